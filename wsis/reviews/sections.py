"""The regional reviews' part of the commission page: the commission's review cycles the visitor may see."""

from wsis.core.sections import Section

from .selectors import cycles_for_commission, reports_published, review_list_published

__all__ = ["commission_section", "reports_section"]


def commission_section(*, request=None, commission=None, **kwargs) -> Section | None:
    if commission is None:
        return None
    user = getattr(request, "user", None)
    return Section("reviews/sections/commission.html", {"cycles": cycles_for_commission(commission=commission,
                                                                                        user=user)}, order=60)


def reports_section(*, request=None, **kwargs) -> Section | None:
    """The reports page's list of published regional reviews, each with its languages and formats."""
    rows = [(cycle, reports_published(cycle)) for cycle in review_list_published()]
    return Section("reviews/sections/reports.html", {"reviews": rows}, order=20)
