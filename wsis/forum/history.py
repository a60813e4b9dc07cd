"""Past forum editions, their consultation phases and the WSIS process milestones, from ``data/*.yaml``.

``history_parse`` reads and validates the files into plain structures (errors name the file and the
entry); ``history_load`` writes them in one transaction, updating rows in place so that a second run
changes nothing. Forum editions and HLPF sessions (``taxonomy.HLPFSession``) get a milestone each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.taxonomy.models import HLPFSession
from wsis.taxonomy.provenance import ProvenanceError, collect, parse_entries, provenance_sync

from .models import ConsultationPhase, ForumEdition, Milestone, SubmissionKind

__all__ = ["DATA_DIR", "HistoryError", "history_parse", "history_load", "edition_milestone_sync"]

DATA_DIR = Path(__file__).resolve().parent / "data"
ALL_KINDS = list(SubmissionKind.values)


class HistoryError(ValueError):
    """A data file is wrong; the message names the file and the entry."""


@dataclass
class History:
    editions: list[dict]
    milestones: list[dict]
    hlpf_dates: dict[int, tuple[dt.date, dt.date]]
    retired: list[str] = field(default_factory=list)


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise HistoryError(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from exc


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _phase_order(raw: list, where: str) -> None:
    """Phase numbers follow the dates, and a meeting called the n-th comes after the opening (phase I)."""
    dated = sorted(raw, key=lambda p: p["number"])
    for before, after in zip(dated, dated[1:], strict=False):
        if _date(after.get("date"), where) < _date(before.get("date"), where):
            raise HistoryError(f"{where}: phase {after['number']} opens before phase {before['number']}.")
    for p in raw:
        words = str(p.get("name", "")).lower().replace(":", " ").split()
        for i, word in enumerate(words):
            if word in ORDINALS and "meeting" in words[i + 1:i + 4] and p["number"] < ORDINALS[word] + 1:
                raise HistoryError(
                    f"{where}, phase {p['number']}: a {word} meeting comes after the opening of the consultation "
                    f"(phase I), so its number is at least {ORDINALS[word] + 1}.")


def _provenance(path: Path, defaults: list, item: dict, what: str, facts: list[tuple[str, str]]) -> dict:
    try:
        return collect(path, None, parse_entries(path, item.get("provenance")), defaults, what, facts)
    except ProvenanceError as exc:
        raise HistoryError(str(exc)) from exc


TRANSLATED_LANGUAGES = [lang for lang in LANGUAGE_SUFFIXES if lang != "en"]


def _milestone_translations(path: Path, defaults: list, item: dict, where: str) -> tuple[dict, dict]:
    """``title_fr``… and ``description_fr``… of one milestone from milestones.i18n.yaml, with the provenance
    of each text (a language left out stays blank: the page shows the English text and says so)."""
    unknown = set(item) - set(TRANSLATED_LANGUAGES) - {"provenance"}
    if unknown:
        raise HistoryError(f"{path.name}, {where}: unknown language(s) {sorted(unknown)}.")
    texts, facts = {}, []
    for lang in TRANSLATED_LANGUAGES:
        entry = item.get(lang) or {}
        if set(entry) - {"title", "description"}:
            raise HistoryError(f"{path.name}, {where}, {lang}: only 'title' and 'description' are translated.")
        for name in ("title", "description"):
            text = str(entry.get(name) or "").strip()
            texts[f"{name}_{LANGUAGE_SUFFIXES[lang]}"] = text
            if text:
                facts.append((name, lang))
    return texts, _provenance(path, defaults, item, where, facts)


class _EditionTexts:
    """editions.i18n.yaml: translations keyed by the English text of editions.yaml, with their provenance."""

    def __init__(self, path: Path):
        self.path = path
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        raw = raw or {}
        try:
            self.defaults = parse_entries(path, raw.get("provenance"))
        except ProvenanceError as exc:
            raise HistoryError(str(exc)) from exc
        self.texts = raw.get("texts") or {}
        for english, item in self.texts.items():
            if not isinstance(item, dict):
                raise HistoryError(f"{path.name}, {english!r}: expected a mapping of languages.")
            unknown = set(item) - set(TRANSLATED_LANGUAGES) - {"provenance"}
            if unknown:
                raise HistoryError(f"{path.name}, {english!r}: unknown language(s) {sorted(unknown)}.")
        self.used: set[str] = set()

    def of(self, record: dict, fields: tuple[str, ...], where: str) -> tuple[dict, dict]:
        """``({lang: {field: text}}, {(field, lang): provenance})`` of one edition or phase."""
        translations: dict[str, dict] = {}
        provenance: dict = {}
        for name in fields:
            english = str(record.get(name) or "").strip()
            item = self.texts.get(english) if english else None
            if not item:
                continue
            self.used.add(english)
            facts = []
            for lang in TRANSLATED_LANGUAGES:
                text = str(item.get(lang) or "").strip()
                if text:
                    translations.setdefault(lang, {})[name] = text
                    facts.append((name, lang))
            provenance.update(_provenance(self.path, self.defaults, item, f"{where}, {name}", facts))
        return translations, provenance

    def check_all_used(self) -> None:
        stale = sorted(set(self.texts) - self.used)
        if stale:
            raise HistoryError(f"{self.path.name}: translations of texts editions.yaml does not have: {stale[:5]}.")


def _phases(raw: list, where: str) -> list[dict]:
    phases = []
    raw = sorted(raw or [], key=lambda p: p["number"])
    _phase_order(raw, where)
    deadline_numbers = [p["number"] for p in raw if p.get("kind") == ConsultationPhase.Kind.DEADLINE]
    last_open = deadline_numbers[0] if deadline_numbers else None
    for i, p in enumerate(raw):
        here = f"{where}, phase {p.get('number')}"
        if p.get("kind") not in ConsultationPhase.Kind.values:
            raise HistoryError(f"{here}: unknown kind {p.get('kind')!r}.")
        start = _date(p.get("date"), here)
        if "ends_on" in p:
            end = _date(p["ends_on"], here)
        elif p["kind"] == ConsultationPhase.Kind.DEADLINE or i == len(raw) - 1:
            end = start
        else:
            end = max(start, _date(raw[i + 1]["date"], here) - dt.timedelta(days=1))
        if end < start:
            raise HistoryError(f"{here}: closes before it opens.")
        if "accepts" in p:
            accepts = list(p["accepts"] or [])
        elif last_open is None:
            accepts = ALL_KINDS if p["kind"] in ("launch", "meeting") else []
        else:
            accepts = ALL_KINDS if p["number"] <= last_open else []
        unknown = set(accepts) - set(ALL_KINDS)
        if unknown:
            raise HistoryError(f"{here}: unknown submission kinds {sorted(unknown)}.")
        phases.append({"number": p["number"], "kind": p["kind"], "name": p["name"], "starts_on": start,
                       "ends_on": end, "accepts": accepts, "meeting_format": p.get("format", ""),
                       "note": p.get("note", "")})
    return phases


def history_parse(data_dir: Path = DATA_DIR) -> History:
    editions_file, milestones_file = data_dir / "editions.yaml", data_dir / "milestones.yaml"
    editions_raw = yaml.safe_load(editions_file.read_text(encoding="utf-8"))
    try:
        edition_defaults = parse_entries(editions_file, editions_raw.get("provenance"))
    except ProvenanceError as exc:
        raise HistoryError(str(exc)) from exc
    edition_texts = _EditionTexts(data_dir / "editions.i18n.yaml")
    editions = []
    for i, e in enumerate(editions_raw.get("editions", [])):
        where = f"{editions_file.name}, edition {e.get('year', i + 1)}"
        start, end = _date(e.get("start_date"), where), _date(e.get("end_date"), where)
        if end < start:
            raise HistoryError(f"{where}: ends before it starts.")
        if e.get("format", "in_person") not in ForumEdition.Format.values:
            raise HistoryError(f"{where}: unknown format {e.get('format')!r}.")
        facts = [("record", "")] + ([("theme", "en")] if e.get("theme") else [])
        facts += [("phases", "")] if e.get("phases") else []
        provenance = _provenance(editions_file, edition_defaults, e, where, facts)
        translated = dict(e)
        if translated.get("title") == f"WSIS Forum {translated.get('year')}":
            translated.pop("title")  # the catalogue translates the usual title
        translations, text_provenance = edition_texts.of(translated, ("title", "venue", "theme", "dates_note"), where)
        provenance.update(text_provenance)
        phases = _phases(e.get("phases"), where)
        for phase in phases:
            phase["translations"], phase["provenance"] = edition_texts.of(
                phase, ("name", "note"), f"{where}, phase {phase['number']}")
        editions.append({
            "year": int(e["year"]), "title": e["title"], "start_date": start, "end_date": end,
            "format": e.get("format", "in_person"), "venue": e.get("venue", ""), "theme": e.get("theme", ""),
            "dates_note": e.get("dates_note", ""), "source": provenance[("record", "")]["source"],
            "translations": translations, "phases": phases, "provenance": provenance,
        })
    edition_texts.check_all_used()
    milestones_raw = yaml.safe_load(milestones_file.read_text(encoding="utf-8"))
    try:
        milestone_defaults = parse_entries(milestones_file, milestones_raw.get("provenance"))
    except ProvenanceError as exc:
        raise HistoryError(str(exc)) from exc
    i18n_file = data_dir / "milestones.i18n.yaml"
    i18n_raw = yaml.safe_load(i18n_file.read_text(encoding="utf-8")) if i18n_file.exists() else {}
    try:
        i18n_defaults = parse_entries(i18n_file, (i18n_raw or {}).get("provenance"))
    except ProvenanceError as exc:
        raise HistoryError(str(exc)) from exc
    i18n = (i18n_raw or {}).get("milestones") or {}
    slugs = {m.get("slug") for m in milestones_raw.get("milestones", [])}
    if set(i18n) - slugs:
        raise HistoryError(f"{i18n_file.name}: translations of unknown milestones {sorted(set(i18n) - slugs)}.")
    milestones = []
    for i, m in enumerate(milestones_raw.get("milestones", [])):
        where = f"{milestones_file.name}, milestone {m.get('slug', i + 1)}"
        if m.get("kind") not in Milestone.Kind.values:
            raise HistoryError(f"{where}: unknown kind {m.get('kind')!r}.")
        texts, provenance = _milestone_translations(i18n_file, i18n_defaults, i18n.get(m["slug"]) or {}, where)
        provenance.update(_provenance(milestones_file, milestone_defaults, m, where, [("record", "")]))
        milestones.append({
            "slug": m["slug"], "kind": m["kind"], "date": _date(m["date"], where),
            "end_date": _date(m["end_date"], where) if m.get("end_date") else None,
            "precision": m.get("precision", "day"), "reference": m.get("reference", ""), "url": m.get("url", ""),
            "title_en": m["title"], "description_en": m.get("description", ""), "source": m.get("source", ""),
            **texts, "provenance": provenance,
        })
    retired = [str(slug) for slug in milestones_raw.get("retired") or []]
    hlpf_dates = {int(y): (_date(v[0], f"hlpf_dates {y}"), _date(v[1], f"hlpf_dates {y}"))
                  for y, v in (milestones_raw.get("hlpf_dates") or {}).items()}
    return History(editions=editions, milestones=milestones, hlpf_dates=hlpf_dates, retired=retired)


def _upsert(model, lookup: dict, values: dict) -> tuple[object, bool]:
    """Update a row in place only if something differs, so that a second load writes nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, True
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.full_clean()
        obj.save()
    return obj, bool(changed)


def edition_milestone_sync(edition: ForumEdition) -> Milestone:
    """The timeline entry of a forum edition (kept in step with the edition's dates and title)."""
    obj, _changed = _upsert(Milestone, {"slug": f"wsis-forum-{edition.year}"}, {
        "kind": Milestone.Kind.FORUM, "date": edition.start_date,
        "end_date": edition.end_date if edition.end_date != edition.start_date else None,
        "precision": Milestone.Precision.DAY, "title_en": edition.title, "description_en": edition.theme,
        "edition": edition, "source": edition.source[:500],
    })
    return obj


@transaction.atomic
def history_load(data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Write the past editions, phases and milestones; returns how many rows were created or changed."""
    history = history_parse(data_dir)
    counts = {"editions": 0, "phases": 0, "milestones": 0}
    wanted = {}
    for e in history.editions:
        phases = e.pop("phases")
        provenance = e.pop("provenance")
        edition, changed = _upsert(ForumEdition, {"year": e.pop("year")}, e)
        counts["editions"] += changed
        for (fact, lang), values in provenance.items():
            if fact != "phases":
                wanted[(edition, fact, lang)] = values
        numbers = []
        for p in phases:
            numbers.append(p["number"])
            phase_provenance = p.pop("provenance")
            phase, changed = _upsert(ConsultationPhase, {"edition": edition, "number": p.pop("number")}, p)
            counts["phases"] += changed
            wanted[(phase, "record", "")] = provenance[("phases", "")]
            for (fact, lang), values in phase_provenance.items():
                wanted[(phase, fact, lang)] = values
        # A phase the file no longer lists (renumbered, or removed) goes, unless submissions were made in it.
        stale = ConsultationPhase.objects.filter(edition=edition).exclude(number__in=numbers)
        counts["phases"] += stale.exclude(submissions__isnull=False).delete()[0]
        before = Milestone.objects.filter(slug=f"wsis-forum-{edition.year}").values_list("updated_at", flat=True).first()
        after = edition_milestone_sync(edition).updated_at
        counts["milestones"] += before != after
    for m in history.milestones:
        provenance = m.pop("provenance")
        milestone, changed = _upsert(Milestone, {"slug": m.pop("slug")}, m)
        counts["milestones"] += changed
        for (fact, lang), values in provenance.items():
            wanted[(milestone, fact, lang)] = values
    for session in HLPFSession.objects.all():
        first, last = history.hlpf_dates.get(session.year, (dt.date(session.year, 7, 1), None))
        precision = Milestone.Precision.DAY if session.year in history.hlpf_dates else Milestone.Precision.MONTH
        _m, changed = _upsert(Milestone, {"slug": f"hlpf-{session.year}"}, {
            "kind": Milestone.Kind.HLPF, "date": first, "end_date": last, "precision": precision,
            "title_en": f"High-level Political Forum {session.year}", "description_en": session.theme_en,
            "hlpf_session": session, "source": "taxonomy.HLPFSession (FACTS.md §7)",
        })
        counts["milestones"] += changed
    counts["milestones"] += Milestone.objects.filter(slug__in=history.retired).delete()[0]
    provenance_sync([ForumEdition, ConsultationPhase, Milestone], wanted)
    return counts


def validation_message(exc: ValidationError) -> str:
    return "; ".join(exc.messages)
