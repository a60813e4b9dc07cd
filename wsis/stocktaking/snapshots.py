"""The plain data of an initiative — fields and tags — and its JSON snapshot in a revision.

``InitiativeData`` is what forms, the API and the importer hand to the services. A revision's
``data`` is the same thing as JSON, with reference rows named by their codes (``C3``, ``4.4``,
``KEN``) so that a snapshot stays readable after ids change and can be shown as a diff.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from wsis.taxonomy.models import ActionLine, Country, Goal, Target

from .models import Initiative, TagSource

__all__ = ["InitiativeData", "data_from_initiative", "data_from_snapshot", "snapshot_from_data",
           "SCALAR_FIELDS", "snapshot_diff", "snapshot_fingerprint"]

SCALAR_FIELDS = ["title", "summary", "description", "language", "kind", "status", "start_date", "end_date",
                 "coverage", "gender_marker", "partners", "website"]


@dataclass
class InitiativeData:
    """An initiative's editable content: its fields and its tags (reference rows, not ids)."""

    title: str = ""
    summary: str = ""
    description: str = ""
    language: str = "en"
    kind: str = Initiative.Kind.PROJECT
    status: str = Initiative.Status.ONGOING
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    coverage: str = Initiative.Coverage.NATIONAL
    gender_marker: int = Initiative.GenderMarker.NOT_TARGETED
    partners: str = ""
    website: str = ""
    countries: list[Country] = field(default_factory=list)
    primary_action_line: ActionLine | None = None
    action_lines: list[ActionLine] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # Targets the submitter accepted from the Matrix suggestions: stored with source=matrix.
    matrix_target_ids: set[int] = field(default_factory=set)
    target_groups: list[str] = field(default_factory=list)
    # Sources of existing tags to keep (a moderator's or the classifier's tag stays theirs).
    action_line_sources: dict[int, str] = field(default_factory=dict)
    goal_sources: dict[int, str] = field(default_factory=dict)
    target_sources: dict[int, str] = field(default_factory=dict)

    def further_action_lines(self) -> list[ActionLine]:
        primary = self.primary_action_line.pk if self.primary_action_line else None
        return [al for al in self.action_lines if al.pk != primary]


def data_from_initiative(initiative: Initiative) -> InitiativeData:
    """The current content of a saved initiative (tags read through prefetchable relations)."""
    al_tags = list(initiative.action_line_tags.select_related("action_line"))
    goal_tags = list(initiative.goal_tags.select_related("goal"))
    target_tags = list(initiative.target_tags.select_related("target__goal"))
    data = InitiativeData(**{name: getattr(initiative, name) for name in SCALAR_FIELDS})
    data.countries = list(initiative.countries.all())
    data.primary_action_line = next((t.action_line for t in al_tags if t.is_primary), None)
    data.action_lines = [t.action_line for t in al_tags if not t.is_primary]
    data.goals = [t.goal for t in goal_tags]
    data.targets = [t.target for t in target_tags]
    data.matrix_target_ids = {t.target_id for t in target_tags if t.source == TagSource.MATRIX}
    data.target_groups = list(initiative.target_group_tags.values_list("group", flat=True))
    data.action_line_sources = {t.action_line_id: t.source for t in al_tags}
    data.goal_sources = {t.goal_id: t.source for t in goal_tags}
    data.target_sources = {t.target_id: t.source for t in target_tags}
    return data


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def snapshot_from_data(data: InitiativeData) -> dict[str, Any]:
    snap: dict[str, Any] = {name: getattr(data, name) for name in SCALAR_FIELDS}
    snap["start_date"] = _date(data.start_date)
    snap["end_date"] = _date(data.end_date)
    snap["gender_marker"] = int(data.gender_marker)
    snap["countries"] = sorted(c.iso3 for c in data.countries)
    snap["primary_action_line"] = data.primary_action_line.code if data.primary_action_line else None
    snap["action_lines"] = sorted(al.code for al in data.further_action_lines())
    snap["goals"] = sorted(g.number for g in data.goals)
    snap["targets"] = {
        t.code: (TagSource.MATRIX if t.pk in data.matrix_target_ids else data.target_sources.get(t.pk, TagSource.SUBMITTER))
        for t in data.targets
    }
    snap["target_groups"] = sorted(data.target_groups)
    # Sources of SDG and action-line tags other than the submitter's (an accepted classifier
    # suggestion, a moderator's tag), so that an update applied on approval keeps them.
    goal_sources = {str(g.number): data.goal_sources[g.pk] for g in data.goals
                    if data.goal_sources.get(g.pk, TagSource.SUBMITTER) != TagSource.SUBMITTER}
    if goal_sources:
        snap["goal_sources"] = goal_sources
    line_sources = {al.code: data.action_line_sources[al.pk]
                    for al in [*([data.primary_action_line] if data.primary_action_line else []), *data.action_lines]
                    if data.action_line_sources.get(al.pk, TagSource.SUBMITTER) != TagSource.SUBMITTER}
    if line_sources:
        snap["action_line_sources"] = line_sources
    return snap


def data_from_snapshot(snap: dict[str, Any]) -> InitiativeData:
    """Rebuild the content of a revision (used to apply an approved pending update)."""
    data = InitiativeData(**{name: snap[name] for name in SCALAR_FIELDS if name in snap})
    data.start_date = dt.date.fromisoformat(snap["start_date"]) if snap.get("start_date") else None
    data.end_date = dt.date.fromisoformat(snap["end_date"]) if snap.get("end_date") else None
    data.countries = list(Country.objects.filter(iso3__in=snap.get("countries", [])))
    codes = [snap.get("primary_action_line"), *snap.get("action_lines", [])]
    by_code = {al.code: al for al in ActionLine.objects.filter(code__in=[c for c in codes if c])}
    data.primary_action_line = by_code.get(snap.get("primary_action_line"))
    data.action_lines = [by_code[c] for c in snap.get("action_lines", []) if c in by_code]
    data.goals = list(Goal.objects.filter(number__in=snap.get("goals", [])))
    target_sources = snap.get("targets", {})
    data.targets = list(Target.objects.filter(code__in=list(target_sources)).select_related("goal"))
    data.matrix_target_ids = {t.pk for t in data.targets if target_sources.get(t.code) == TagSource.MATRIX}
    data.target_sources = {t.pk: target_sources[t.code] for t in data.targets}
    data.target_groups = list(snap.get("target_groups", []))
    goal_sources = snap.get("goal_sources", {})
    data.goal_sources = {g.pk: goal_sources[str(g.number)] for g in data.goals if str(g.number) in goal_sources}
    line_sources = snap.get("action_line_sources", {})
    data.action_line_sources = {al.pk: line_sources[al.code] for al in
                                [*([data.primary_action_line] if data.primary_action_line else []), *data.action_lines]
                                if al.code in line_sources}
    return data


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, old value, new value) for each field that differs between two snapshots."""
    keys = [*SCALAR_FIELDS, "countries", "primary_action_line", "action_lines", "goals", "targets", "target_groups"]
    return [(key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)]


def snapshot_fingerprint(snapshot: dict[str, Any]) -> str:
    """A short hash of a snapshot's content: equal for equal content, whatever the key order.

    The moderation form posts the fingerprint of what it displayed, so that a decision taken on
    content that changed since is refused (``services.initiative_approve`` and siblings).
    """
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]
