"""Analytics keeps one derived table: a pre-aggregation of published initiatives' tags.

Nothing here is entered by people. ``CoverageFact`` is rebuilt from the stocktaking tables by
``wsis.analytics.services`` whenever an initiative changes (``listeners.py`` subscribes to the
events the stocktaking services emit), and can be rebuilt whole with ``manage.py coverage_rebuild``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CoverageFact"]


class CoverageFact(models.Model):
    """A published initiative's tag pair, with the initiative's filterable attributes copied beside it.

    For each published initiative there is one row per (action line, SDG) pair it is tagged with,
    plus roll-up rows where a column is empty meaning "any": (action line, –) once per action line,
    (–, SDG) once per SDG and (–, –) once. So that counting distinct initiatives for a cell, a row
    total, a column total or the grand total is a plain ``COUNT(*)`` of one ``GROUP BY`` over this
    table — no joins and no ``COUNT(DISTINCT …)`` — which is what keeps the coverage matrix fast at
    a million initiatives. Country, stakeholder-type and target-group filters are applied through
    the live stocktaking and taxonomy tables (semi-joins), so a country's LDC status or an
    organisation's type never goes stale here.
    """

    initiative = models.ForeignKey(
        "stocktaking.Initiative", verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="+"
    )
    action_line = models.ForeignKey(
        "taxonomy.ActionLine", verbose_name=_("action line"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+", db_index=False, help_text=_("Empty on roll-up rows that count every action line."),
    )
    goal = models.ForeignKey(
        "taxonomy.Goal", verbose_name=_("SDG"), null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        db_index=False, help_text=_("Empty on roll-up rows that count every SDG."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20)
    status = models.CharField(_("status"), max_length=12)
    gender_marker = models.PositiveSmallIntegerField(_("gender marker"), default=0)

    class Meta:
        verbose_name = _("coverage fact")
        verbose_name_plural = _("coverage facts")
        indexes = [models.Index(fields=["action_line", "goal"], name="analytics_fact_cell_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.action_line_id or '*'} × {self.goal_id or '*'}"
