"""Reads of the coordination app: road maps, milestone status, the UNGIS overview, meetings, rounds.

Milestone status is computed from the data every time it is read (never stored): see
:func:`status_from`. Public readers see the latest *published* version of a road map; the working
copy is for its facilitators and the secretariat.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.core.permissions import (
    can_contribute_to_action_line,
    contributed_action_lines,
    is_facilitator_of,
    is_secretariat,
)
from wsis.indicators.models import Indicator
from wsis.indicators.selectors import country_series, world_series
from wsis.reports.models import GeneratedDocument
from wsis.stocktaking.selectors import action_line_figures
from wsis.taxonomy.gdc import gdc_by_code
from wsis.taxonomy.models import ActionLine, ActionLineFacilitator, Agency, Country, Goal, Target
from wsis.taxonomy.selectors import matrix_links

from .models import (
    Contribution,
    Decision,
    EvidenceLink,
    GDCObjective,
    Meeting,
    Milestone,
    ReportingRound,
    RoadMap,
    RoadMapVersion,
    StatusUpdate,
)

__all__ = [
    "STATUS",
    "status_from",
    "milestone_status",
    "facilitators_of",
    "can_edit_road_map",
    "can_contribute",
    "road_map_list",
    "road_map_get",
    "road_map_snapshot",
    "version_latest_published",
    "version_get",
    "version_list",
    "matrix_targets",
    "OverviewFilters",
    "overview",
    "meeting_list",
    "meeting_get",
    "round_list",
    "round_get",
    "contribution_list",
    "contribution_get",
    "snapshot_view",
    "contribution_prefill",
    "consolidated_draft",
    "round_documents",
]

ON_TRACK, LATE, ACHIEVED, NO_DATA = "on_track", "late", "achieved", "no_data"
STATUS = {ON_TRACK: _("On track"), LATE: _("Late"), ACHIEVED: _("Achieved"), NO_DATA: _("No data")}


# --- milestone status --------------------------------------------------------------------------------

@dataclass
class Progress:
    """A milestone's computed status and the figures it rests on."""

    status: str
    latest_year: int | None = None
    latest_value: float | None = None
    expected_value: float | None = None

    @property
    def label(self) -> str:
        return str(STATUS[self.status])


def status_from(*, due_date: dt.date, today: dt.date, series: list[tuple[int, float]] | None,
                baseline_year: int | None = None, baseline_value: float | None = None,
                target_value: float | None = None, completed_on: dt.date | None = None) -> Progress:
    """The status of a milestone.

    Without an indicator (``series`` None): achieved once ``completed_on`` is set, late after the due
    date, on track before it. With one: *no data* when the series has no value after the baseline
    year; *achieved* when the latest value reaches the target (upwards or downwards, as the target
    lies from the baseline); *late* after the due date, or when the latest value is behind the straight
    path from the baseline to the target by the due year; *on track* otherwise.
    """
    if series is None:
        if completed_on is not None:
            return Progress(ACHIEVED)
        return Progress(LATE if due_date < today else ON_TRACK)
    after = [(y, v) for y, v in series if y > baseline_year]
    if not after:
        return Progress(NO_DATA)
    year, value = after[-1]
    upwards = target_value >= baseline_value
    if (value >= target_value) if upwards else (value <= target_value):
        return Progress(ACHIEVED, year, value, target_value)
    span = due_date.year - baseline_year
    fraction = 1.0 if span <= 0 else min(1.0, (year - baseline_year) / span)
    expected = baseline_value + (target_value - baseline_value) * fraction
    if due_date < today:
        return Progress(LATE, year, value, expected)
    behind = value < expected if upwards else value > expected
    return Progress(LATE if behind else ON_TRACK, year, value, expected)


class _Series:
    """Indicator series read once per request: (indicator code, country ISO3 or "") → [(year, value)]."""

    def __init__(self):
        self._cache: dict[tuple[str, str], list[tuple[int, float]]] = {}
        self._indicators: dict[str, Indicator | None] = {}
        self._countries: dict[str, Country | None] = {}

    def get(self, code: str, iso3: str = "") -> list[tuple[int, float]]:
        key = (code, iso3 or "")
        if key not in self._cache:
            if code not in self._indicators:
                self._indicators[code] = Indicator.objects.filter(code=code).first()
            indicator = self._indicators[code]
            if indicator is None:
                self._cache[key] = []
            elif iso3:
                if iso3 not in self._countries:
                    self._countries[iso3] = Country.objects.filter(iso3=iso3).first()
                country = self._countries[iso3]
                self._cache[key] = country_series(indicator=indicator, country=country) if country else []
            else:
                self._cache[key] = world_series(indicator=indicator)
        return self._cache[key]


def milestone_status(milestone: Milestone, *, today: dt.date | None = None) -> Progress:
    """The status of a working-copy milestone, from its indicator's series (see :func:`status_from`)."""
    today = today or timezone.localdate()
    series = None
    if milestone.indicator_id:
        indicator = milestone.indicator
        series = (country_series(indicator=indicator, country=milestone.country) if milestone.country_id
                  else world_series(indicator=indicator))
    return status_from(due_date=milestone.due_date, today=today, series=series,
                       baseline_year=milestone.baseline_year, baseline_value=milestone.baseline_value,
                       target_value=milestone.target_value, completed_on=milestone.completed_on)


def _snapshot_status(m: dict, *, today: dt.date, series: _Series) -> Progress:
    data = series.get(m["indicator"], m.get("country") or "") if m.get("indicator") else None
    return status_from(due_date=dt.date.fromisoformat(m["due_date"]), today=today, series=data,
                       baseline_year=m.get("baseline_year"), baseline_value=m.get("baseline_value"),
                       target_value=m.get("target_value"),
                       completed_on=dt.date.fromisoformat(m["completed_on"]) if m.get("completed_on") else None)


# --- who may do what ------------------------------------------------------------------------------

def facilitators_of(action_line: ActionLine) -> dict[str, list[Agency]]:
    """The agencies facilitating the line, from the reference data: {"lead": [...], "co": [...]}."""
    out: dict[str, list[Agency]] = {"lead": [], "co": []}
    for row in ActionLineFacilitator.objects.filter(action_line=action_line).select_related("agency").order_by(
            "agency__code"):
        out["lead" if row.role == ActionLineFacilitator.Role.LEAD else "co"].append(row.agency)
    return out


def can_edit_road_map(user, action_line: ActionLine) -> bool:
    """The lead facilitator's team (facilitator role for the line) and the secretariat."""
    return is_facilitator_of(user, action_line)


def can_contribute(user, action_line: ActionLine) -> bool:
    """Lead facilitators and co-facilitators: status updates and agency contributions."""
    return can_contribute_to_action_line(user, action_line)


# --- road maps -----------------------------------------------------------------------------------

def _milestones_qs() -> QuerySet[Milestone]:
    return (Milestone.objects.select_related("indicator", "country", "objective", "decision__meeting")
            .prefetch_related("agencies", Prefetch(
                "updates", queryset=StatusUpdate.objects.select_related("author").prefetch_related(
                    Prefetch("evidence", queryset=EvidenceLink.objects.select_related("initiative"))))))


def road_map_list() -> QuerySet[RoadMap]:
    return RoadMap.objects.select_related("action_line").order_by("action_line__order")


def road_map_get(*, code: str, create_for=None) -> tuple[ActionLine, RoadMap | None]:
    """The action line named ``code`` and its road map (working copy) or None; 404 for an unknown code."""
    action_line = ActionLine.objects.filter(code=code).first()
    if action_line is None:
        raise Http404
    road_map = (RoadMap.objects.filter(action_line=action_line).prefetch_related(
        "objectives", "targets__goal", Prefetch("milestones", queryset=_milestones_qs())).first())
    return action_line, road_map


def matrix_targets(action_line: ActionLine):
    """The SDG targets the WSIS–SDG Matrix links to the action line (what a road map may link)."""
    ids = matrix_links(action_line=action_line).exclude(target__isnull=True).values("target_id")
    return Target.objects.filter(pk__in=ids).select_related("goal").order_by("goal__number", "order")


def _evidence_label(link: EvidenceLink) -> str:
    if link.kind == EvidenceLink.Kind.INITIATIVE and link.initiative_id:
        return link.initiative.title
    return str(link.get_kind_display())


def road_map_snapshot(road_map: RoadMap) -> dict[str, Any]:
    """Everything a road map says, as plain data (what a version keeps)."""
    agencies = facilitators_of(road_map.action_line)
    milestones = []
    for m in _milestones_qs().filter(road_map=road_map).order_by("due_date", "pk"):
        milestones.append({
            "id": m.pk, "title": m.title, "objective": m.objective.text if m.objective_id else "",
            "due_date": m.due_date.isoformat(), "indicator": m.indicator.code if m.indicator_id else None,
            "indicator_name": m.indicator.name_en if m.indicator_id else "",
            # The indicator's name in each language, shown in the visitor's (older versions have English only).
            "indicator_names": ({lang: getattr(m.indicator, f"name_{suffix}", "") for lang, suffix in LANGUAGE_SUFFIXES.items()}
                                if m.indicator_id else {}),
            "country": m.country.iso3 if m.country_id else None,
            "baseline_year": m.baseline_year, "baseline_value": m.baseline_value, "target_value": m.target_value,
            "completed_on": m.completed_on.isoformat() if m.completed_on else None,
            "agencies": sorted(a.code for a in m.agencies.all()),
            "updates": [{"date": u.date.isoformat(), "text": u.text,
                         "evidence": [{"kind": e.kind, "path": e.path, "label": _evidence_label(e)}
                                      for e in u.evidence.all()]} for u in m.updates.all()],
        })
    return {
        "action_line": road_map.action_line.code,
        "summary": road_map.summary,
        "objectives": [o.text for o in road_map.objectives.all()],
        "targets": sorted((t.code for t in road_map.targets.all()), key=_target_key),
        "gdc": [c for c in GDCObjective.values if c in (road_map.gdc_objectives or [])],
        "lead": [a.code for a in agencies["lead"]], "co": [a.code for a in agencies["co"]],
        "milestones": milestones,
    }


def _target_key(code: str):
    goal, _sep, rest = code.partition(".")
    return (int(goal) if goal.isdigit() else 99, rest.zfill(3))


def version_latest_published(road_map: RoadMap | None) -> RoadMapVersion | None:
    if road_map is None:
        return None
    return road_map.versions.filter(published=True).order_by("-number").first()


def version_list(road_map: RoadMap, *, include_drafts: bool = False) -> QuerySet[RoadMapVersion]:
    qs = road_map.versions.select_related("created_by").order_by("-number")
    return qs if include_drafts else qs.filter(published=True)


def version_get(road_map: RoadMap, *, number: int, user=None) -> RoadMapVersion:
    """A version: published ones for everyone, unpublished only for those who edit the road map."""
    version = road_map.versions.filter(number=number).first()
    if version is None or (not version.published and not can_edit_road_map(user, road_map.action_line)):
        raise Http404
    return version


def snapshot_view(data: dict, *, today: dt.date | None = None, series: _Series | None = None) -> dict:
    """A version's data ready for a page: each milestone with its live status."""
    today = today or timezone.localdate()
    series = series or _Series()
    milestones = []
    for m in data.get("milestones", []):
        m = dict(m)
        m["progress"] = _snapshot_status(m, today=today, series=series)
        m["due"] = dt.date.fromisoformat(m["due_date"])
        milestones.append(m)
    gdc = gdc_by_code()
    return {**data, "milestones": milestones, "gdc_objectives": [gdc[c] for c in data.get("gdc", []) if c in gdc]}


# --- UNGIS overview --------------------------------------------------------------------------------

@dataclass
class OverviewFilters:
    action_line: list[str] = field(default_factory=list)
    goal: list[int] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    agency: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, query) -> OverviewFilters:
        f = cls()

        def values(name):
            out = []
            for v in query.getlist(name) if hasattr(query, "getlist") else query.get(name, []):
                for part in str(v).split(","):
                    part = part.strip()
                    if part and part not in out and len(part) <= 20 and part.isprintable():
                        out.append(part)
            return out[:30]

        known_lines = set(ActionLine.objects.values_list("code", flat=True))
        known_agencies = set(Agency.objects.values_list("code", flat=True))
        for v in values("action_line"):
            (f.action_line.append(v.upper()) if v.upper() in known_lines
             else f.errors.setdefault("action_line", []).append(str(_("Unknown action line: %(v)s.") % {"v": v})))
        for v in values("goal"):
            (f.goal.append(int(v)) if v.isascii() and v.isdigit() and 1 <= int(v) <= 17
             else f.errors.setdefault("goal", []).append(str(_("Enter an SDG number from 1 to 17, not “%(v)s”.") % {"v": v})))
        for v in values("status"):
            (f.status.append(v) if v in STATUS
             else f.errors.setdefault("status", []).append(str(_("Unknown status: %(v)s.") % {"v": v})))
        for v in values("agency"):
            (f.agency.append(v.upper()) if v.upper() in known_agencies
             else f.errors.setdefault("agency", []).append(str(_("Unknown agency: %(v)s.") % {"v": v})))
        return f


@dataclass
class OverviewRow:
    action_line: ActionLine
    version: RoadMapVersion
    data: dict
    counts: dict[str, int]


@dataclass
class Overview:
    rows: list[OverviewRow]
    due: list[tuple[OverviewRow, dict]]
    late: list[tuple[OverviewRow, dict]]
    by_goal: list[tuple[Goal, dict[str, int]]]
    totals: dict[str, int]
    meetings: list[Meeting]
    today: dt.date


def overview(f: OverviewFilters, *, today: dt.date | None = None, due_within_days: int = 180) -> Overview:
    """Every published road map (latest version), filtered: milestones due soon and late, progress by
    action line and by SDG, and the facilitators' meetings of the filtered lines."""
    today = today or timezone.localdate()
    series = _Series()
    rows: list[OverviewRow] = []
    goals = {g.number: g for g in Goal.objects.all()}
    by_goal: dict[int, Counter] = defaultdict(Counter)
    due, late, totals = [], [], Counter()
    maps = road_map_list()
    if f.action_line:
        maps = maps.filter(action_line__code__in=f.action_line)
    for road_map in maps:
        version = version_latest_published(road_map)
        if version is None:
            continue
        data = snapshot_view(version.data, today=today, series=series)
        road_goals = {int(code.split(".")[0]) for code in data.get("targets", []) if code.split(".")[0].isdigit()}
        if f.goal and not road_goals & set(f.goal):
            continue
        if f.agency and not set(f.agency) & set(data.get("lead", []) + data.get("co", [])):
            continue
        milestones = [m for m in data["milestones"] if not f.status or m["progress"].status in f.status]
        if f.agency:
            milestones = [m for m in milestones if not m["agencies"] or set(m["agencies"]) & set(f.agency)]
        data["milestones"] = milestones
        counts = Counter(m["progress"].status for m in milestones)
        row = OverviewRow(road_map.action_line, version, data, {k: counts.get(k, 0) for k in STATUS})
        rows.append(row)
        totals.update(counts)
        for number in road_goals:
            if not f.goal or number in f.goal:
                by_goal[number].update(counts)
        for m in milestones:
            if m["progress"].status == LATE:
                late.append((row, m))
            elif m["progress"].status != ACHIEVED and today <= m["due"] <= today + dt.timedelta(days=due_within_days):
                due.append((row, m))
    meetings = Meeting.objects.select_related("action_line").order_by("-date")
    if f.action_line:
        meetings = meetings.filter(action_line__code__in=f.action_line)
    return Overview(
        rows=rows, due=sorted(due, key=lambda p: p[1]["due"]), late=sorted(late, key=lambda p: p[1]["due"]),
        by_goal=[(goals[n], {k: by_goal[n].get(k, 0) for k in STATUS}) for n in sorted(by_goal) if n in goals],
        totals={k: totals.get(k, 0) for k in STATUS}, meetings=list(meetings[:50]), today=today,
    )


# --- meetings ------------------------------------------------------------------------------------

def meeting_list(*, action_line: ActionLine | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("action_line").order_by("-date", "pk")
    return qs.filter(action_line=action_line) if action_line is not None else qs


def meeting_get(*, pk: int) -> Meeting:
    meeting = (Meeting.objects.select_related("action_line")
               .prefetch_related(Prefetch("decisions", queryset=Decision.objects.select_related("milestone")))
               .filter(pk=pk).first())
    if meeting is None:
        raise Http404
    return meeting


# --- reporting rounds ------------------------------------------------------------------------------

def round_list() -> QuerySet[ReportingRound]:
    return ReportingRound.objects.order_by("-deadline", "pk")


def round_get(*, pk: int, user) -> ReportingRound:
    """A round, for the secretariat and anyone who (co-)facilitates an action line; 404 otherwise."""
    rnd = ReportingRound.objects.filter(pk=pk).first()
    if rnd is None or not (is_secretariat(user) or contributed_action_lines(user, ActionLine).exists()):
        raise Http404
    return rnd


def contribution_list(rnd: ReportingRound, *, user=None) -> QuerySet[Contribution]:
    qs = rnd.contributions.select_related("action_line", "agency").order_by("action_line__order", "-is_lead",
                                                                             "agency__code")
    if user is not None and not is_secretariat(user):
        qs = qs.filter(action_line__in=contributed_action_lines(user, ActionLine))
    return qs


def contribution_get(*, round_pk: int, pk: int, user) -> Contribution:
    """A contribution its action line's (co-)facilitators or the secretariat may open; 404 otherwise."""
    c = Contribution.objects.select_related("round", "action_line", "agency").filter(pk=pk, round_id=round_pk).first()
    if c is None or not (is_secretariat(user) or can_contribute(user, c.action_line)):
        raise Http404
    return c


def contribution_prefill(*, rnd: ReportingRound, action_line: ActionLine, today: dt.date | None = None) -> dict:
    """The structured fields of a contribution, from the road map's progress and the registry's figures."""
    today = today or timezone.localdate()
    road_map = RoadMap.objects.filter(action_line=action_line).first()
    statuses = [milestone_status(m, today=today) for m in
                Milestone.objects.filter(road_map=road_map).select_related("indicator", "country")] if road_map else []
    counts = Counter(p.status for p in statuses)
    figures = action_line_figures(action_line=action_line, start=rnd.period_start, end=rnd.period_end)
    events = Meeting.objects.filter(action_line=action_line, date__gte=rnd.period_start,
                                    date__lte=rnd.period_end).count()
    return {"milestones_total": len(statuses), "milestones_achieved": counts.get(ACHIEVED, 0),
            "milestones_late": counts.get(LATE, 0), "events_held": events, **figures}


NUMBER_FIELDS = ("milestones_total", "milestones_achieved", "milestones_late", "initiatives_total",
                 "initiatives_active", "initiatives_new", "events_held")


@dataclass
class DraftLine:
    action_line: ActionLine
    contributions: list[Contribution]
    figures: dict[str, int]
    missing: list[Contribution]


def consolidated_draft(rnd: ReportingRound) -> dict[str, Any]:
    """The secretariat's consolidated draft, by action line: the submitted contributions' texts, their
    figures (the lead facilitator's when it submitted, else the largest any agency reported — agencies
    of one line report on the same road map and registry, so figures are not added up), and who has
    not submitted yet; plus the totals over action lines."""
    lines: dict[int, DraftLine] = {}
    for c in contribution_list(rnd):
        line = lines.setdefault(c.action_line_id, DraftLine(c.action_line, [], dict.fromkeys(NUMBER_FIELDS, 0), []))
        if c.state != Contribution.State.SUBMITTED:
            line.missing.append(c)
            continue
        line.contributions.append(c)
    for line in lines.values():
        lead = next((c for c in line.contributions if c.is_lead), None)
        for name in NUMBER_FIELDS:
            values = [getattr(c, name) for c in line.contributions]
            line.figures[name] = getattr(lead, name) if lead else (max(values) if values else 0)
    ordered = sorted(lines.values(), key=lambda d: d.action_line.order)
    totals = {name: sum(d.figures[name] for d in ordered) for name in NUMBER_FIELDS}
    submitted = sum(len(d.contributions) for d in ordered)
    expected = submitted + sum(len(d.missing) for d in ordered)
    return {"round": rnd, "lines": ordered, "totals": totals, "submitted": submitted, "expected": expected}


def round_documents(rnd: ReportingRound) -> QuerySet[GeneratedDocument]:
    """The versions of the round's consolidated draft built through the document engine, newest first."""
    return GeneratedDocument.objects.filter(kind="coordination.round", key=f"round-{rnd.pk}").order_by("-version")
