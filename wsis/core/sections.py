"""Sections that other apps add to a shared page (the country page, an action line, an SDG, home).

A page asks ``page_sections("country", request=…, country=…)``; every provider an app registered for
that page (``registry.add_section("country", "wsis.<app>.sections.country_section")`` in its
``AppConfig.ready()``) is called and may return a :class:`Section` (a template and its context) or
``None``. The providers are selectors-backed mini-views owned by their app; the page itself stays
ignorant of them. A registered provider that does not import raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .registry import registry

__all__ = ["Section", "page_sections"]


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def page_sections(page: str, **kwargs) -> list[Section]:
    sections = []
    for provider in registry.section_providers(page):
        section = provider(**kwargs)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda s: s.order)
