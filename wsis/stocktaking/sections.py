"""Parts the stocktaking registry adds to other pages (``wsis.core.sections``): small, two queries each."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wsis.core.sections import Section

from .selectors import initiative_latest

__all__ = ["organisation_section", "country_section", "action_line_section", "goal_section", "home_section"]

TEMPLATE = "stocktaking/partials/section_list.html"


def _section(title, items, total, params: dict | None, order=20) -> Section:
    url = reverse("stocktaking:search") + (f"?{urlencode(params)}" if params else "")
    return Section(TEMPLATE, {"title": title, "initiatives": items, "total": total, "more_url": url}, order=order)


def organisation_section(*, organisation, request=None, **kwargs) -> Section:
    items, total = initiative_latest(limit=10, organisation=organisation)
    return _section(_("Initiatives of this organisation"), items, total, {"organisation": organisation.slug})


def country_section(*, country, request=None, **kwargs) -> Section:
    items, total = initiative_latest(countries=country)
    return _section(_("Initiatives in this country"), items, total, {"country": country.iso3})


def action_line_section(*, action_line, request=None, **kwargs) -> Section | None:
    if not action_line.is_leaf:
        return None
    items, total = initiative_latest(action_line_tags__action_line=action_line)
    return _section(_("Initiatives under this action line"), items, total, {"action_line": action_line.code})


def goal_section(*, goal, request=None, **kwargs) -> Section:
    items, total = initiative_latest(goal_tags__goal=goal)
    return _section(_("Initiatives for this SDG"), items, total, {"goal": goal.number})


def home_section(*, request=None, **kwargs) -> Section:
    items, total = initiative_latest(limit=6)
    return _section(_("Latest initiatives"), items, total, None, order=10)
