"""Charts of the analytics pages, built from selector results with :mod:`wsis.core.charts`.

Presentation only: no queries here (the selectors have already run).
"""

from __future__ import annotations

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from wsis.core import charts
from wsis.stocktaking.filters import InitiativeFilters

from .selectors import AreaProfile, FacilitatorDashboard, TrendReport, search_url

__all__ = ["profile_charts", "trend_charts", "dashboard_charts", "SOURCE"]


def SOURCE() -> str:  # noqa: N802 - reads like the constant it stands for, evaluated in the active language
    return _("WSIS Stocktaking registry, published initiatives")


def profile_charts(profile: AreaProfile, *, prefix: str = "profile") -> list[charts.Chart]:
    f = profile.filters
    rtl = get_language_bidi()
    out = [
        charts.bar_chart(
            id=f"{prefix}-action-lines", title=_("Initiatives by action line"), label_header=_("Action line"),
            labels=[al.label for al, _n in profile.by_action_line], values=[n for _al, n in profile.by_action_line],
            links=[search_url(f, action_line=al.code) for al, _n in profile.by_action_line], rtl=rtl, source=SOURCE(),
        ),
        charts.bar_chart(
            id=f"{prefix}-sdgs", title=_("Initiatives by SDG"), label_header=_("SDG"),
            labels=[f"{g.number} {g.short_name}" for g, _n in profile.by_goal],
            values=[n for _g, n in profile.by_goal],
            links=[search_url(f, goal=g.number) for g, _n in profile.by_goal], rtl=rtl, source=SOURCE(),
        ),
        charts.bar_chart(
            id=f"{prefix}-stakeholders", title=_("Initiatives by stakeholder type"),
            label_header=_("Stakeholder type"), labels=[st.name for st, _n in profile.by_stakeholder],
            values=[n for _st, n in profile.by_stakeholder],
            links=[search_url(f.replace(stakeholder_type=[st.code])) for st, _n in profile.by_stakeholder], rtl=rtl,
            source=SOURCE(),
        ),
    ]
    if profile.by_year:
        out.append(charts.bar_chart(
            id=f"{prefix}-years", title=_("Initiatives by start year"), label_header=_("Year"),
            labels=[y for y, _n in profile.by_year], values=[n for _y, n in profile.by_year], orientation="vertical",
            rtl=rtl, source=SOURCE(),
        ))
    return out


def trend_charts(report: TrendReport) -> list[charts.Chart]:
    rtl = get_language_bidi()
    years = [str(y) for y in report.years]
    heat = charts.heatmap(
        id="trend-action-lines", title=_("Initiatives per year by action line"), row_labels=[
            al.label for al, _v in report.by_action_line], column_labels=[y[-2:] for y in years],
        values=[v for _al, v in report.by_action_line], rtl=rtl, source=SOURCE(), label_header=_("Action line"),
        cell=26,
    )
    # The table and CSV keep full years even though the grid's column heads are abbreviated.
    heat.columns = [_("Action line"), *years]
    stake = charts.bar_chart(
        id="trend-stakeholders", title=_("Initiatives per year by stakeholder type"), labels=years,
        series=[charts.Series(st.name, v) for st, v in report.by_stakeholder], stacked=True,
        orientation="vertical", rtl=rtl, source=SOURCE(), label_header=_("Year"),
    )
    region = charts.line_chart(
        id="trend-regions", title=_("Initiatives per year by region"), x_labels=years,
        series=[charts.Series(r.name, v) for r, v in report.by_region], rtl=rtl, source=SOURCE(),
        label_header=_("Year"),
    )
    return [heat, stake, region]


def dashboard_charts(board: FacilitatorDashboard, f: InitiativeFilters) -> list[charts.Chart]:
    rtl = get_language_bidi()
    al = board.action_line
    goal_labels = []
    for g, _n, linked in board.by_goal:
        goal_labels.append(f"{g.number} {g.short_name}" + (" ◆" if linked else ""))
    out = [
        charts.bar_chart(
            id="dash-sdgs", title=_("Initiatives by SDG (◆ linked in the Matrix)"), label_header=_("SDG"),
            labels=goal_labels, values=[n for _g, n, _l in board.by_goal], rtl=rtl, source=SOURCE(),
            links=[search_url(f, action_line=al.code, goal=g.number) for g, _n, _l in board.by_goal],
        ),
        charts.bar_chart(
            id="dash-regions", title=_("Initiatives by region"), label_header=_("Region"),
            labels=[r.name for r, _n in board.by_region], values=[n for _r, n in board.by_region], rtl=rtl,
            source=SOURCE(), links=[search_url(f.replace(region=[r.m49]), action_line=al.code) for r, _n in board.by_region],
        ),
    ]
    if board.by_year:
        out.append(charts.bar_chart(
            id="dash-years", title=_("Initiatives by start year"), label_header=_("Year"),
            labels=[y for y, _n in board.by_year], values=[n for _y, n in board.by_year], orientation="vertical",
            rtl=rtl, source=SOURCE(),
        ))
    return out
