"""The prizes' part of shared pages: the current contest and its open phase on the home page."""

from wsis.core.sections import Section

from .selectors import home_teaser

__all__ = ["home_section"]


def home_section(request=None, **kwargs) -> Section | None:
    teaser = home_teaser()
    if teaser is None:
        return None
    return Section(template="prizes/sections/home.html", context=teaser, order=65)
