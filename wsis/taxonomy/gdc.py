"""The five objectives of the Global Digital Compact (A/RES/79/1, annex I, paragraph 7): a reference list
in the six UN languages, shipped in ``data/gdc_objectives.yaml`` with the provenance of every text.

WSIS Prizes entries link to objectives by number (1–5); action-line road maps by code (``GDC1``…).
The provenance follows the rules of :mod:`wsis.taxonomy.provenance` (a file default per field and
language, overridable per objective; a non-English text is official only through an entry naming its
language). The list is read once per process; nothing is stored in the database, so the provenance
is shown from the file (``GdcObjective.provenance_row()`` gives an unsaved
:class:`~wsis.taxonomy.models.Provenance` that the ``provenance_mark`` template tag renders like any other).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured

from wsis.core.i18n import LANGUAGE_SUFFIXES, current_language

from .models import Provenance
from .provenance import ProvenanceError, collect, parse_entries

__all__ = ["GdcObjective", "gdc_objectives", "gdc_source", "gdc_codes", "gdc_by_code", "GDC_FILE"]

GDC_FILE = Path(__file__).resolve().parent / "data" / "gdc_objectives.yaml"
LANGUAGES = tuple(LANGUAGE_SUFFIXES)  # ar, en, es, fr, ru, zh-hans
NUMBERS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class GdcObjective:
    number: int
    names: dict  # language → text; all six languages
    provenance: dict  # language → {status, source, checked_on, note}

    @property
    def code(self) -> str:
        """The code road maps store: ``GDC1``…``GDC5``."""
        return f"GDC{self.number}"

    @property
    def language(self) -> str:
        """The language the text is shown in: the page's (every language is shipped; English otherwise)."""
        lang = current_language()
        return lang if self.names.get(lang) else "en"

    @property
    def name(self) -> str:
        return self.names[self.language]

    @property
    def label(self) -> str:
        """``"1. Close all digital divides…"``: the number and the name, for lists and choices."""
        return f"{self.number}. {self.name}"

    def status(self, language: str | None = None) -> str:
        return self.provenance[language or self.language]["status"]

    def is_official(self, language: str | None = None) -> bool:
        return self.status(language) == Provenance.Status.OFFICIAL

    def provenance_row(self, language: str | None = None) -> Provenance:
        """The provenance of the text shown, as an unsaved row (for ``{% provenance_mark %}``)."""
        lang = language or self.language
        return Provenance(field="name", language=lang, **self.provenance[lang])


@lru_cache(maxsize=1)
def _load() -> tuple[dict, tuple[GdcObjective, ...]]:
    path = GDC_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("source", "source_url", "provenance", "objectives"):
        if key not in data:
            raise ImproperlyConfigured(f"{path.name}: the key {key!r} is missing.")
    try:
        defaults = parse_entries(path, data["provenance"])
        numbers = [item.get("number") for item in data["objectives"]]
        if tuple(numbers) != NUMBERS:
            raise ImproperlyConfigured(f"{path.name}: the objectives must be numbered 1 to 5, in order (got {numbers}).")
        objectives = []
        for item in data["objectives"]:
            names = {lang: " ".join(str(text).split()) for lang, text in (item.get("name") or {}).items()}
            unknown, missing = set(names) - set(LANGUAGES), [lang for lang in LANGUAGES if not names.get(lang)]
            if unknown or missing:
                raise ImproperlyConfigured(f"{path.name}: objective {item['number']}: unknown languages "
                                           f"{sorted(unknown)}, missing {missing}.")
            what = f"objective {item['number']}"
            facts = collect(path, None, parse_entries(path, item.get("provenance")), defaults, what,
                            [("name", lang) for lang in LANGUAGES])
            objectives.append(GdcObjective(number=item["number"], names=names,
                                           provenance={lang: facts[("name", lang)] for lang in LANGUAGES}))
    except ProvenanceError as exc:
        raise ImproperlyConfigured(str(exc)) from exc
    return {"source": data["source"], "source_url": data["source_url"]}, tuple(objectives)


def gdc_objectives() -> list[GdcObjective]:
    """The five objectives, in order."""
    return list(_load()[1])


def gdc_codes() -> list[str]:
    return [o.code for o in _load()[1]]


def gdc_by_code() -> dict[str, GdcObjective]:
    return {o.code: o for o in _load()[1]}


def gdc_source() -> dict:
    """``source`` and ``source_url`` of the list; ``official``: whether the text shown in the page's
    language is the official one for every objective; ``checked``: the latest date any text was checked."""
    meta, objectives = _load()
    return {**meta, "official": all(o.is_official() for o in objectives),
            "checked": max(p["checked_on"] for o in objectives for p in o.provenance.values())}
