"""Which language of an initiative's title and summary a visitor sees (issue 21).

An initiative is written in one language (``Initiative.language``) and may have translations of its
title and summary (``InitiativeTranslation``). Pages show the visitor's language when a translation
into it exists and the original otherwise, with a badge saying which one it is ("Translation from
English", "Original in French"); the text itself carries ``lang`` and, when the direction changes,
``dir`` (``{% content_lang %}``). Lists either prefetch ``translations`` or, cheaper for a page of
search results, annotate the one translation the page can show (:func:`with_page_text`): no query per
row either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import current_language

__all__ = ["LANGUAGE_NAMES", "ShownText", "initiative_text", "language_label", "native_name", "available_languages",
           "with_page_text"]

# Names in the page's language. Their own context: the report engine's cover keeps "Original: English"
# in English in Russian and Chinese as UN documents do, so its messages cannot serve the pages.
LANGUAGE_NAMES = {"ar": pgettext_lazy("language name", "Arabic"), "zh-hans": pgettext_lazy("language name", "Chinese"),
                  "en": pgettext_lazy("language name", "English"), "fr": pgettext_lazy("language name", "French"),
                  "ru": pgettext_lazy("language name", "Russian"), "es": pgettext_lazy("language name", "Spanish")}
_NATIVE = dict(settings.LANGUAGES)
# The badges as whole sentences, one per language, so that each language can decline the name
# ("Перевод с английского", "مترجم من الإنكليزية"); a code without its sentence uses the generic one.
TRANSLATION_FROM = {"ar": _("Translation from Arabic"), "zh-hans": _("Translation from Chinese"),
                    "en": _("Translation from English"), "fr": _("Translation from French"),
                    "ru": _("Translation from Russian"), "es": _("Translation from Spanish")}
ORIGINAL_IN = {"ar": _("Original in Arabic"), "zh-hans": _("Original in Chinese"), "en": _("Original in English"),
               "fr": _("Original in French"), "ru": _("Original in Russian"), "es": _("Original in Spanish")}


def language_label(code: str) -> str:
    """The language's name in the page's language ("French", « français »)."""
    return str(LANGUAGE_NAMES.get(code, code))


def native_name(code: str) -> str:
    """The language's name in itself ("Français", "العربية")."""
    return str(_NATIVE.get(code, code))


@dataclass(frozen=True)
class ShownText:
    """The title and summary a page shows, the language they are in, and whether they are a translation."""

    title: str
    summary: str
    language: str
    original_language: str
    translated: bool

    @property
    def badge(self) -> str:
        """"Translation from English" / "Original in French"; empty when the original is in the page's language."""
        if self.translated:
            return str(TRANSLATION_FROM.get(self.original_language) or gettext("Translation from %(language)s") % {
                "language": language_label(self.original_language)})
        if self.language != current_language():
            return str(ORIGINAL_IN.get(self.language) or gettext("Original in %(language)s") % {
                "language": language_label(self.language)})
        return ""


def with_page_text(qs: QuerySet, language: str | None = None) -> QuerySet:
    """``qs`` with the title and summary of each row's translation into ``language`` (the page's), if any.

    Two correlated look-ups of the (language, initiative) index, evaluated for the shown rows only:
    the search page used to prefetch every translation of its 20 rows, a query and model instances
    that most pages never use (issue 12's search benchmark).
    """
    from .models import InitiativeTranslation

    language = language or current_language()
    translation = InitiativeTranslation.objects.filter(initiative=OuterRef("pk"), language=language).order_by()
    return qs.annotate(page_text_language=Value(language),
                       page_text_title=Subquery(translation.values("title")[:1]),
                       page_text_summary=Subquery(translation.values("summary")[:1]))


def _translation_into(initiative, language: str) -> tuple[str, str] | None:
    """The title and summary of ``initiative``'s translation into ``language``: from the annotation of
    :func:`with_page_text` when the row has it, else from its (prefetched) translations."""
    if getattr(initiative, "page_text_language", None) == language:
        if initiative.page_text_title is None:
            return None
        return initiative.page_text_title, initiative.page_text_summary
    for translation in initiative.translations.all():
        if translation.language == language:
            return translation.title, translation.summary
    return None


def initiative_text(initiative, language: str | None = None) -> ShownText:
    """``initiative``'s title and summary in ``language`` (the page's) when translated into it, else the original."""
    language = language or current_language()
    found = _translation_into(initiative, language) if initiative.language != language else None
    if found is not None:
        return ShownText(*found, language, initiative.language, True)
    return ShownText(initiative.title, initiative.summary, initiative.language, initiative.language, False)


def available_languages(initiative) -> list[str]:
    """The original's language first, then those of the translations (in the platform's order)."""
    translated = {t.language for t in initiative.translations.all()} - {initiative.language}
    return [initiative.language, *[code for code in _NATIVE if code in translated]]
