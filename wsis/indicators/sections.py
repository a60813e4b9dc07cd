"""The indicators' parts of shared pages: the country page, a regional commission, an SDG, home."""

from __future__ import annotations

from wsis.core.sections import Section

from . import selectors
from .models import Indicator

__all__ = ["country_section", "commission_section", "goal_section", "home_section"]


def country_section(*, request, country, **_kwargs) -> Section | None:
    """The country's latest value of each indicator beside the world and its LDC/LLDC/SIDS groups."""
    rows = selectors.country_profile(country=country)
    if not rows:
        return None
    return Section("indicators/partials/country_section.html", {"country": country, "rows": rows}, order=40)


def commission_section(*, request, commission, **_kwargs) -> Section | None:
    """Internet use across the commission's members: the group value with its method, and each member."""
    indicator, year, row, members = selectors.commission_profile(commission=commission)
    if indicator is None or not members:
        return None
    return Section("indicators/partials/commission_section.html", {
        "commission": commission, "indicator": indicator, "year": year, "row": row, "members": members,
    }, order=40)


def goal_section(*, request, goal, **_kwargs) -> Section | None:
    """The ICT series that measure an indicator of this SDG."""
    indicators = selectors.goal_indicators(goal=goal)
    if not indicators:
        return None
    return Section("indicators/partials/goal_section.html", {"goal": goal, "indicators": indicators}, order=40)


def home_section(*, request, **_kwargs) -> Section | None:
    """Internet use in the world, LDCs, LLDCs and SIDS."""
    indicator = Indicator.objects.filter(code=selectors.HEADLINE_CODE).first()
    if indicator is None:
        return None
    year, rows = selectors.group_comparison(indicator=indicator, kinds=("world", "status"))
    if not rows:
        return None
    return Section("indicators/partials/home_section.html", {"indicator": indicator, "year": year, "rows": rows},
                   order=60)
