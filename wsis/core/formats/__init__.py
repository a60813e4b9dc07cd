"""Formats where the UN's usage differs from Django's defaults (FORMAT_MODULE_PATH).

Numbers: UN documents in Arabic and Chinese group digits by thousands with a comma and use a decimal
point (١٬٢٣٤ is not used on UN web pages, which keep Western digits); Django's own formats for these
two languages do not group at all.

Dates: every language writes the day, the month in words and the year ("7 December 2026",
"7 décembre 2026", "7 de diciembre de 2026", "7 декабря 2026 г.", "7 ديسمبر 2026", "2026年12月7日"),
never an all-number date. ``SHORT_DATE_FORMAT`` abbreviates the month where the language does.

Lists: :func:`join_list` joins items with the language's list separator (Arabic "، ", Chinese "、").
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from django.utils.formats import date_format
from django.utils.translation import get_language, to_locale

__all__ = ["weekday_date", "join_list", "LIST_SEPARATORS"]

# The separator between items of a list, per language (the "and" before the last item is left out:
# lists of names and codes on the platform read as enumerations).
LIST_SEPARATORS = {"ar": "، ", "zh-hans": "、"}
DEFAULT_SEPARATOR = ", "


def _language() -> str:
    return (get_language() or "en").lower()


def weekday_date(value) -> str:
    """A date with its weekday, in the active language ("Monday, 7 December 2026", "2026年12月7日 星期一")."""
    locale = to_locale(_language())
    try:
        fmt = importlib.import_module(f"{__name__}.{locale}.formats").WEEKDAY_DATE_FORMAT
    except (ImportError, AttributeError):
        fmt = "l, j F Y"
    return date_format(value, fmt)


def join_list(items: Iterable, language: str | None = None) -> str:
    """Items joined with the list separator of ``language`` (default: the active one)."""
    separator = LIST_SEPARATORS.get((language or _language()).lower(), DEFAULT_SEPARATOR)
    return separator.join(str(item) for item in items)
