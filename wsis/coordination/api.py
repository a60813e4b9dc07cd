"""Coordination API (read-only): the UNGIS overview and the published road maps."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from wsis.api.errors import ErrorOut

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
    summary: str
    objectives: list[str]
    sdg_targets: list[str]
    gdc_objectives: list[str]
    lead_facilitators: list[str]
    co_facilitators: list[str]
    status_counts: dict[str, int]
    milestones: list[MilestoneOut]


class GoalProgressOut(Schema):
    goal: int
    status_counts: dict[str, int]


class MeetingOut(Schema):
    id: int
    action_line: str
    title: str
    date: dt.date


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
