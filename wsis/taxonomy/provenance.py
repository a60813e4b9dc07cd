"""Provenance of shipped facts: how the data files state it, and how it reaches the database.

Every reference file that states facts carries ``provenance`` entries, at the top of the file (the
defaults) and on any record (overrides)::

    provenance:
      - {field: name, lang: en, status: official, source: "https://…", checked: 2026-12-07}
      - {field: name, status: unofficial_translation, source: "…", checked: 2026-12-07}

An entry without ``lang`` covers every language the record has no entry of its own for, and facts
that are not texts (``lang`` ""). For each fact of each record the loader picks, in order: the
record's entry for that language, the record's entry without a language, the file's entry for that
language, the file's entry without a language. A fact with none, an entry without source, status
or date, and a text in a language other than English that claims "official" through an entry that
does not name that language are all errors: a translation is official only where its own source
says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Provenance

__all__ = ["STATUSES", "ProvenanceError", "parse_entries", "resolve", "provenance_sync", "provenance_of"]

STATUSES = set(Provenance.Status.values)


class ProvenanceError(ValueError):
    """A provenance entry is malformed or a fact has none. ``str()`` names the file and line."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path.name}:{line}: {message}" if line else f"{path.name}: {message}")


def parse_entries(path: Path, raw: Any, line: int | None = None) -> list[dict]:
    """Validate a ``provenance`` list; return its entries with ``checked`` as a date."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ProvenanceError(path, line, "'provenance' must be a list of entries")
    lines = getattr(raw, "lines", [line] * len(raw))
    out = []
    for entry, here in zip(raw, lines, strict=False):
        here = getattr(entry, "line", None) or here
        if not isinstance(entry, dict):
            raise ProvenanceError(path, here, "a provenance entry must be a mapping")
        unknown = set(entry) - {"field", "lang", "status", "source", "checked", "note"}
        if unknown:
            raise ProvenanceError(path, here, f"unknown provenance key(s) {sorted(unknown)}")
        for key in ("field", "status", "source", "checked"):
            if entry.get(key) in (None, ""):
                raise ProvenanceError(path, here, f"provenance entry without '{key}'")
        if entry["status"] not in STATUSES:
            raise ProvenanceError(path, here, f"status {entry['status']!r} is not one of {sorted(STATUSES)}")
        checked = entry["checked"]
        if not isinstance(checked, dt.date):
            try:
                checked = dt.date.fromisoformat(str(checked))
            except ValueError as exc:
                raise ProvenanceError(path, here, f"'checked' is not an ISO date: {checked!r}") from exc
        lang = str(entry.get("lang") or "")
        if entry["status"] == Provenance.Status.UNOFFICIAL_TRANSLATION and lang == "en":
            raise ProvenanceError(path, here, "an English text cannot be an unofficial translation")
        out.append({"field": str(entry["field"]), "lang": lang or None, "status": entry["status"],
                    "source": " ".join(str(entry["source"]).split()), "checked_on": checked,
                    "note": " ".join(str(entry.get("note") or "").split()), "line": here})
    return out


def resolve(path: Path, line: int | None, record: list[dict], defaults: list[dict], field: str,
            lang: str, what: str) -> dict:
    """The provenance of one fact (``lang`` "" for a fact that is not a text); see the module docstring."""
    for entries in (record, defaults):
        exact = [e for e in entries if e["field"] == field and e["lang"] == (lang or None)] if lang else []
        if exact:
            return exact[0]
        wildcard = [e for e in entries if e["field"] == field and e["lang"] is None]
        if wildcard:
            entry = wildcard[0]
            if lang not in ("", "en") and entry["status"] == Provenance.Status.OFFICIAL:
                raise ProvenanceError(path, entry["line"] or line, (
                    f"{what}: the {lang} text of '{field}' claims to be official through an entry that does "
                    f"not name {lang}; give the {lang} text its own entry with its own source"))
            return entry
    raise ProvenanceError(path, line, f"{what}: no provenance for '{field}'" + (f" [{lang}]" if lang else ""))


def collect(path: Path, line: int | None, record: list[dict], defaults: list[dict], what: str,
            facts: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """Resolve every ``(field, lang)`` fact of a record; return ``{(field, lang): values}``."""
    out = {}
    for field, lang in facts:
        entry = resolve(path, line, record, defaults, field, lang, what)
        out[(field, lang)] = {"status": entry["status"], "source": entry["source"][:500],
                              "checked_on": entry["checked_on"], "note": entry["note"][:500]}
    return out


def provenance_sync(models_: list[type[models.Model]], wanted: dict[tuple, dict]) -> dict[str, int]:
    """Make the provenance of the records of ``models_`` what ``wanted`` says.

    ``wanted`` maps ``(instance, field, language)`` to ``{status, source, checked_on, note}``. A row the
    admin checked later than the file (a newer ``checked_on``) is kept as it is; rows of these models
    of a record the files name but for a fact they no longer name, and rows whose record is gone, are
    deleted; records the files do not name (a Matrix version made by an edit) keep theirs.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0, "deleted": 0}
    cts = {model: ContentType.objects.get_for_model(model) for model in models_}
    named = {(cts[type(obj)].pk, obj.pk) for obj, _field, _lang in wanted}
    current = {}
    for model, ct in cts.items():
        rows = Provenance.objects.filter(content_type=ct)
        orphans = rows.exclude(object_id__in=model.objects.values("pk"))
        counts["deleted"] += orphans.delete()[0]
        for row in rows:
            if (row.content_type_id, row.object_id) in named:
                current[(row.content_type_id, row.object_id, row.field, row.language)] = row
    for (obj, field, lang), values in wanted.items():
        key = (cts[type(obj)].pk, obj.pk, field, lang)
        row = current.pop(key, None)
        if row is None:
            Provenance.objects.create(content_type_id=key[0], object_id=obj.pk, field=field, language=lang, **values)
            counts["created"] += 1
        elif row.checked_on and row.checked_on > values["checked_on"]:
            counts["kept"] += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    if current:
        Provenance.objects.filter(pk__in=[row.pk for row in current.values()]).delete()
        counts["deleted"] += len(current)
    return counts


def provenance_of(obj: models.Model) -> list[Provenance]:
    """Every provenance row of one record."""
    ct = ContentType.objects.get_for_model(type(obj))
    return list(Provenance.objects.filter(content_type=ct, object_id=obj.pk))


def provenance_map(objects) -> dict[int, list[dict]]:
    """``{pk: [{field, language, status, source, checked_on, note}, …]}`` for records of one model, in one query."""
    objects = [obj for obj in objects if obj is not None]
    if not objects:
        return {}
    ct = ContentType.objects.get_for_model(type(objects[0]))
    out: dict[int, list[dict]] = {obj.pk: [] for obj in objects}
    rows = Provenance.objects.filter(content_type=ct, object_id__in=list(out)).order_by("field", "language")
    for row in rows:
        out[row.object_id].append({"field": row.field, "language": row.language, "status": row.status,
                                   "source": row.source, "checked_on": row.checked_on, "note": row.note})
    return out
