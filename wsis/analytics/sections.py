"""Analytics parts of shared pages: the country, commission, action-line and home pages.

Each returns a :class:`wsis.core.sections.Section` built from one light selector call (a single
aggregate over ``CoverageFact`` plus the reference lists), so the host page stays fast.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from wsis.core import charts
from wsis.core.permissions import is_facilitator_of
from wsis.core.sections import Section
from wsis.stocktaking.filters import InitiativeFilters

from . import figures, selectors

__all__ = ["country_section", "commission_section", "action_line_section"]


def _summary_charts(profile, prefix: str) -> list[charts.Chart]:
    rtl = get_language_bidi()
    f = profile.filters
    al_chart = charts.bar_chart(
        id=f"{prefix}-action-lines", title=_("Initiatives by action line"), label_header=_("Action line"),
        labels=[al.label for al, _n in profile.by_action_line], values=[n for _al, n in profile.by_action_line],
        links=[selectors.search_url(f, action_line=al.code) for al, _n in profile.by_action_line], rtl=rtl,
        source=figures.SOURCE(),
    )
    goal_chart = charts.bar_chart(
        id=f"{prefix}-sdgs", title=_("Initiatives by SDG"), label_header=_("SDG"),
        labels=[f"{g.number} {g.short_name}" for g, _n in profile.by_goal], values=[n for _g, n in profile.by_goal],
        links=[selectors.search_url(f, goal=g.number) for g, _n in profile.by_goal], rtl=rtl, source=figures.SOURCE(),
    )
    return [al_chart, goal_chart]


def country_section(request=None, country=None, **kwargs) -> Section | None:
    if country is None:
        return None
    profile = selectors.area_summary(InitiativeFilters(country=[country.iso3]))
    return Section("analytics/sections/area.html", {
        "heading": _("ICT initiatives in this country"), "profile": profile,
        "charts": _summary_charts(profile, "country"), "more": reverse("analytics:country", args=[country.iso3]),
        "search": selectors.search_url(profile.filters),
    }, order=40)


def commission_section(request=None, commission=None, **kwargs) -> Section | None:
    if commission is None:
        return None
    profile = selectors.area_summary(InitiativeFilters(commission=[commission.code]))
    return Section("analytics/sections/area.html", {
        "heading": _("ICT initiatives in the member states"), "profile": profile,
        "charts": _summary_charts(profile, "commission"),
        "more": reverse("analytics:commission", args=[commission.code.lower()]),
        "search": selectors.search_url(profile.filters),
    }, order=40)


def action_line_section(request=None, action_line=None, **kwargs) -> Section | None:
    if action_line is None or not action_line.is_leaf:
        return None
    f = InitiativeFilters()
    cells = selectors.action_line_coverage(action_line, f)
    chart = charts.bar_chart(
        id="action-line-sdgs", title=_("Published initiatives on this action line by SDG (◆ linked in the Matrix)"),
        label_header=_("SDG"),
        labels=[f"{c.goal.number} {c.goal.short_name}" + (" ◆" if c.linked else "") for c in cells],
        values=[c.count for c in cells], rtl=get_language_bidi(), source=figures.SOURCE(),
        links=[selectors.search_url(f, action_line=action_line.code, goal=c.goal.number) for c in cells],
    )
    user = getattr(request, "user", None)
    dashboard = (reverse("analytics:facilitator", args=[action_line.slug])
                 if user is not None and is_facilitator_of(user, action_line) else "")
    return Section("analytics/sections/action_line.html", {
        "chart": chart, "gaps": [c for c in cells if c.state == "gap"], "dashboard": dashboard,
        "search": selectors.search_url(f, action_line=action_line.code),
        "gap_url": reverse("analytics:gaps") + f"?action_line={action_line.code}",
    }, order=40)
