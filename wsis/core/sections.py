"""Sections that other apps add to a shared page (the country page, an action line, an SDG, home).

A page asks ``page_sections("country", request=…, country=…)``; for each module listed for that page
that exists and defines ``<page>_section``, the function is called and may return a
:class:`Section` (a template and its context) or ``None``. The providers are selectors-backed
mini-views owned by their app; the page itself stays ignorant of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

__all__ = ["Section", "page_sections", "SECTION_PROVIDERS"]

SECTION_PROVIDERS = {
    "home": ["wsis.stocktaking.sections", "wsis.analytics.sections", "wsis.indicators.sections", "wsis.forum.sections"],
    "country": ["wsis.stocktaking.sections", "wsis.analytics.sections", "wsis.indicators.sections"],
    "action_line": ["wsis.stocktaking.sections", "wsis.analytics.sections"],
    "goal": ["wsis.stocktaking.sections", "wsis.analytics.sections", "wsis.indicators.sections"],
    "commission": ["wsis.analytics.sections", "wsis.indicators.sections", "wsis.reviews.sections"],
    "organisation": ["wsis.stocktaking.sections"],
    "moderation": ["wsis.classify.sections"],
}


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def page_sections(page: str, **kwargs) -> list[Section]:
    sections = []
    for module_name in SECTION_PROVIDERS.get(page, []):
        if find_spec(module_name) is None:
            continue
        provider = getattr(import_module(module_name), f"{page}_section", None)
        if provider is None:
            continue
        section = provider(**kwargs)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda s: s.order)
