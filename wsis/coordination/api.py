"""Coordination API (read-only): the UNGIS overview and the published road maps."""

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from wsis.api.errors import ErrorOut
from wsis.api.pagination import BoundedLimitOffsetPagination
from wsis.taxonomy.models import ActionLine

from . import selectors

router = Router(tags=["coordination"])


class EvidenceOut(Schema):
    kind: str
    path: str
    label: str


class UpdateOut(Schema):
    date: dt.date
    text: str
    evidence: list[EvidenceOut]


class MilestoneOut(Schema):
    id: int
    title: str
    objective: str
    due_date: dt.date
    status: str
    indicator: str | None
    country: str | None
    baseline_year: int | None
    baseline_value: float | None
    target_value: float | None
    latest_year: int | None
    latest_value: float | None
    completed_on: dt.date | None
    agencies: list[str]
    updates: list[UpdateOut]


class RoadMapOut(Schema):
    action_line: str
    version: int
    published_at: dt.datetime
    note: str = Field(description="What changed in this version.")
    summary: str
    objectives: list[str]
    sdg_targets: list[str]
    gdc_objectives: list[str]
    lead_facilitators: list[str]
    co_facilitators: list[str]
    status_counts: dict[str, int]
    milestones: list[MilestoneOut]


class RoadMapVersionOut(Schema):
    version: int
    published_at: dt.datetime
    note: str


class GoalProgressOut(Schema):
    goal: int
    status_counts: dict[str, int]


class MeetingOut(Schema):
    id: int
    action_line: str
    title: str
    date: dt.date

    @staticmethod
    def resolve_action_line(obj) -> str:
        return obj["action_line"] if isinstance(obj, dict) else obj.action_line.code


class DecisionOut(Schema):
    id: int
    text: str
    due_date: dt.date | None
    milestone: int | None = Field(description="The road-map milestone the decision became (its id), if any.")


class MeetingDetailOut(MeetingOut):
    forum_session_path: str = Field(description="The WSIS Forum session's page on this platform, if the meeting "
                                                "was one; empty otherwise.")
    agenda: str
    participants: list[str] = Field(description="One participant or organisation per item.")
    minutes: str
    decisions: list[DecisionOut]


class OverviewOut(Schema):
    totals: dict[str, int]
    road_maps: list[RoadMapOut]
    by_goal: list[GoalProgressOut]
    meetings: list[MeetingOut]


class OverviewQuery(Schema):
    action_line: list[str] = []
    goal: list[str] = []
    status: list[str] = []
    agency: list[str] = []


def _milestone(m: dict) -> dict:
    p = m["progress"]
    return {**{k: m.get(k) for k in ("id", "title", "objective", "indicator", "country", "baseline_year",
                                      "baseline_value", "target_value", "completed_on", "agencies", "updates")},
            "due_date": m["due_date"], "status": p.status, "latest_year": p.latest_year,
            "latest_value": p.latest_value}


def _road_map(action_line, version, view, counts=None) -> dict:
    return {"action_line": action_line.code, "version": version.number, "published_at": version.created_at,
            "note": version.note,
            "summary": view.get("summary", ""), "objectives": view.get("objectives", []),
            "sdg_targets": view.get("targets", []), "gdc_objectives": view.get("gdc", []),
            "lead_facilitators": view.get("lead", []), "co_facilitators": view.get("co", []),
            "status_counts": counts or {k: sum(1 for m in view["milestones"] if m["progress"].status == k)
                                        for k in selectors.STATUS},
            "milestones": [_milestone(m) for m in view["milestones"]]}


@router.get("/coordination/overview", response={200: OverviewOut, 400: ErrorOut},
            summary="The UNGIS overview: every published road map, filtered by action line, SDG, status and agency")
def get_overview(request, filters: Query[OverviewQuery]):
    f = selectors.OverviewFilters.parse(request.GET)
    if f.errors:
        return 400, {"detail": "Invalid filters.", "errors": {f"query.{k}": v for k, v in f.errors.items()}}
    data = selectors.overview(f)
    return {
        "totals": data.totals,
        "road_maps": [_road_map(r.action_line, r.version, r.data, r.counts) for r in data.rows],
        "by_goal": [{"goal": g.number, "status_counts": c} for g, c in data.by_goal],
        "meetings": [{"id": m.pk, "action_line": m.action_line.code, "title": m.title, "date": m.date}
                     for m in data.meetings],
    }


@router.get("/coordination/road-maps/{code}", response={200: RoadMapOut, 404: ErrorOut},
            summary="The latest published version of an action line's road map")
def get_road_map(request, code: str):
    try:
        action_line, road_map = selectors.road_map_get(code=code.upper())
    except Http404:
        raise HttpError(404, "No such action line.") from None
    version = selectors.version_latest_published(road_map)
    if version is None:
        raise HttpError(404, "This action line has no published road map.")
    return _road_map(action_line, version, selectors.snapshot_view(version.data))


def _road_map_of(code: str):
    try:
        action_line, road_map = selectors.road_map_get(code=code.upper())
    except Http404:
        raise HttpError(404, "No such action line.") from None
    if road_map is None:
        raise HttpError(404, "This action line has no published road map.")
    return action_line, road_map


@router.get("/coordination/road-maps/{code}/versions", response={200: list[RoadMapVersionOut], 404: ErrorOut},
            summary="The published versions of an action line's road map, latest first")
def list_road_map_versions(request, code: str):
    _action_line, road_map = _road_map_of(code)
    return [{"version": v.number, "published_at": v.created_at, "note": v.note}
            for v in selectors.version_list(road_map)]


@router.get("/coordination/road-maps/{code}/versions/{number}", response={200: RoadMapOut, 404: ErrorOut},
            summary="One published version of an action line's road map, as it was published")
def get_road_map_version(request, code: str, number: int):
    action_line, road_map = _road_map_of(code)
    version = selectors.version_list(road_map).filter(number=number).first()
    if version is None:
        raise HttpError(404, "This road map has no published version with that number.")
    return _road_map(action_line, version, selectors.snapshot_view(version.data))


class MeetingQuery(Schema):
    action_line: str = Field("", max_length=20, description="An action-line code (C1 … C11, C7.1 …).")


def _meeting(m, *, detail: bool = False) -> dict:
    out = {"id": m.pk, "action_line": m.action_line.code, "title": m.title, "date": m.date}
    if detail:
        out.update({
            "forum_session_path": m.forum_session_path, "agenda": m.agenda, "minutes": m.minutes,
            "participants": [p.strip() for p in m.participants.splitlines() if p.strip()],
            "decisions": [{"id": d.pk, "text": d.text, "due_date": d.due_date,
                           "milestone": getattr(getattr(d, "milestone", None), "pk", None)}
                          for d in m.decisions.all()],
        })
    return out


@router.get("/coordination/meetings", response=list[MeetingOut],
            summary="The action lines' facilitation meetings, latest first")
@paginate(BoundedLimitOffsetPagination)
def list_meetings(request, filters: Query[MeetingQuery]):
    action_line = None
    if filters.action_line:
        action_line = ActionLine.objects.filter(code=filters.action_line.upper()).first()
        if action_line is None:
            raise ValidationError([{"loc": ("query", "action_line"), "type": "value_error",
                                    "msg": f"Unknown action line '{filters.action_line}'."}])
    return selectors.meeting_list(action_line=action_line)


@router.get("/coordination/meetings/{meeting_id}", response={200: MeetingDetailOut, 404: ErrorOut},
            summary="One facilitation meeting: agenda, participants, minutes and decisions")
def get_meeting(request, meeting_id: int):
    try:
        return _meeting(selectors.meeting_get(pk=meeting_id), detail=True)
    except Http404:
        raise HttpError(404, "No such meeting.") from None
