"""Columns that hold one text per UN language, and reading them in the active language.

Reference data (goal titles, country names, action-line names…) are stored as one column per
language (``name_en``, ``name_fr``…, ``name_zh_hans``) so that they can be indexed, sorted and
edited in the admin. ``translated_fields("name", …)`` builds an abstract model with those six
columns and a ``name`` attribute that returns the text in the current language, falling back
to English where a translation is missing.
"""

from django.db import models
from django.utils.translation import get_language

__all__ = ["LANGUAGE_SUFFIXES", "Translated", "lang_suffix", "translated_fields", "current_language"]

LANGUAGE_SUFFIXES = {"ar": "ar", "en": "en", "es": "es", "fr": "fr", "ru": "ru", "zh-hans": "zh_hans"}
LANGUAGE_LABELS = {
    "ar": "Arabic",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "ru": "Russian",
    "zh-hans": "Chinese",
}


def current_language() -> str:
    """The active language code, reduced to one of the six (``zh-hans`` for any Chinese)."""
    lang = (get_language() or "en").lower()
    if lang in LANGUAGE_SUFFIXES:
        return lang
    if lang.startswith("zh"):
        return "zh-hans"
    base = lang.split("-")[0]
    return base if base in LANGUAGE_SUFFIXES else "en"


def lang_suffix(lang: str | None = None) -> str:
    """Column suffix for a language code: ``zh-hans`` → ``zh_hans``."""
    return LANGUAGE_SUFFIXES.get(lang or current_language(), "en")


class Translated:
    """Descriptor: ``obj.name`` → ``obj.name_<active language>`` or, if empty, ``obj.name_en``."""

    def __init__(self, base: str):
        self.base = base

    def __set_name__(self, owner, name):
        self.attr = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = getattr(obj, f"{self.base}_{lang_suffix()}", "")
        return value or getattr(obj, f"{self.base}_en", "")

    @staticmethod
    def column(base: str, lang: str | None = None) -> str:
        """The column name for ``base`` in ``lang`` (used to order querysets by the local name)."""
        return f"{base}_{lang_suffix(lang)}"


def translated_fields(base: str, *, verbose_name: str, text: bool = False, max_length: int = 255,
                      required: bool = True):
    """An abstract model with ``<base>_<lang>`` columns for the six languages and a ``<base>`` reader.

    English is required (it is the fallback); the other languages may be blank.
    """
    attrs = {"__module__": __name__, "Meta": type("Meta", (), {"abstract": True})}
    for lang, suffix in LANGUAGE_SUFFIXES.items():
        label = f"{verbose_name} ({lang})"
        blank = not (required and lang == "en")
        if text:
            attrs[f"{base}_{suffix}"] = models.TextField(label, blank=blank, default="")
        else:
            attrs[f"{base}_{suffix}"] = models.CharField(label, max_length=max_length, blank=blank, default="")
    attrs[base] = Translated(base)
    cls_name = "".join(part.capitalize() for part in base.split("_")) + "Translations"
    return type(cls_name, (models.Model,), attrs)
