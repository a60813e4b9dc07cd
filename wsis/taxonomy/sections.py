"""Sections the taxonomy adds to shared pages (see ``wsis.core.sections``)."""

from __future__ import annotations

from wsis.core.sections import Section

from .selectors import reference_summary


def home_section(*, request=None, **kwargs) -> Section:
    """The cards of the reference data (action lines, SDGs, the Matrix, countries) at the top of home."""
    return Section("taxonomy/sections/home.html", reference_summary(), order=0)
