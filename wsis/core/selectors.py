"""Reads for site-wide pages."""

from django.apps import apps

__all__ = ["home_summary"]


def home_summary() -> dict[str, int]:
    """Headline counts for the home page, one query per figure."""
    counts = {}
    for key, label in (
        ("action_lines", "taxonomy.ActionLine"),
        ("goals", "taxonomy.Goal"),
        ("targets", "taxonomy.Target"),
        ("matrix_links", "taxonomy.MatrixLink"),
        ("countries", "taxonomy.Country"),
        ("organisations", "accounts.Organisation"),
    ):
        model = apps.get_model(label)
        qs = model.objects.all()
        if key == "action_lines":
            qs = qs.filter(is_leaf=True)
        counts[key] = qs.count()
    return counts
