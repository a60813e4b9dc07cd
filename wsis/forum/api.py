"""Forum API: editions, consultation phases and sessions (public); the caller's own submissions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from wsis.accounts.auth import api_auth
from wsis.accounts.models import Organisation
from wsis.api.errors import ErrorOut
from wsis.core.mail import absolute_uri
from wsis.taxonomy.api import ProvenanceOut
from wsis.taxonomy.models import ActionLine, Goal
from wsis.taxonomy.provenance import provenance_map

from . import selectors, services
from .models import SessionType, SubmissionKind

router = Router(tags=["forum"])


class PhaseOut(Schema):
    number: int
    kind: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    accepts: list[str]
    is_open: bool
    provenance: list[ProvenanceOut]
    translations: dict[str, dict[str, str]] = Field(description=(
        "The texts in the other UN languages (ar, es, fr, ru, zh-hans), by language then field; the provenance "
        "list says which are official and which the platform's translations. A text left out is shown in English."))


class EditionOut(Schema):
    year: int
    title: str
    start_date: dt.date
    end_date: dt.date
    format: str
    venue: str
    theme: str
    is_current: bool
    is_demo: bool
    provenance: list[ProvenanceOut]
    translations: dict[str, dict[str, str]] = Field(description=(
        "The texts in the other UN languages (ar, es, fr, ru, zh-hans), by language then field; the provenance "
        "list says which are official and which the platform's translations. A text left out is shown in English."))


class EditionDetailOut(EditionOut):
    dates_note: str
    phases: list[PhaseOut]


class SpeakerOut(Schema):
    name: str
    affiliation: str


class SessionOut(Schema):
    id: int
    title: str
    type: str
    track: str
    description: str
    organisers: str
    room: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    action_lines: list[str]
    sdgs: list[int]
    speakers: list[SpeakerOut]
    url: str


class SpeakerIn(Schema):
    name: str
    affiliation: str = ""
    gender: str = "not_stated"
    region: str = ""


class SubmissionIn(Schema):
    edition: int
    kind: str
    organisation: str
    title: str
    summary: str
    issue: str = ""
    session_format: str = ""
    organisers: str = ""
    document_url: str = ""
    action_lines: list[str] = []
    sdgs: list[int] = []
    speakers: list[SpeakerIn] = []


class SubmissionOut(Schema):
    id: int
    edition: int
    kind: str
    state: str
    title: str
    summary: str
    organisation: str | None
    phase: str
    action_lines: list[str]
    sdgs: list[int]
    decision_reason: str
    merged_into: int | None
    created_at: dt.datetime


def _edition_out(e, provenance: dict | None = None) -> dict:
    provenance = provenance if provenance is not None else provenance_map([e])
    return {"year": e.year, "title": e.title, "start_date": e.start_date, "end_date": e.end_date,
            "format": e.format, "venue": e.venue, "theme": e.theme, "is_current": e.is_current,
            "is_demo": e.is_demo, "provenance": provenance.get(e.pk, []), "translations": e.translations or {}}


def _phase_out(p, today, provenance: dict) -> dict:
    return {"number": p.number, "kind": p.kind, "name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on,
            "accepts": list(p.accepts or []), "is_open": p.is_open_on(today), "provenance": provenance.get(p.pk, []),
            "translations": p.translations or {}}


def _edition(year: int):
    from django.http import Http404

    try:
        return selectors.edition_get(year)
    except Http404 as exc:
        raise HttpError(404, "No forum edition for that year.") from exc


def _submission_out(s) -> dict:
    return {"id": s.pk, "edition": s.edition.year, "kind": s.kind, "state": s.state, "title": s.title,
            "summary": s.summary, "organisation": s.organisation.slug if s.organisation_id else None,
            "phase": s.phase.name, "action_lines": [al.code for al in s.action_lines.all()],
            "sdgs": [g.number for g in s.goals.all()], "decision_reason": s.decision_reason,
            "merged_into": s.merged_into_id, "created_at": s.created_at}


@router.get("/forum/editions", response=list[EditionOut], summary="WSIS Forum editions, latest first")
def list_editions(request):
    editions = list(selectors.edition_list())
    provenance = provenance_map(editions)
    return [_edition_out(e, provenance) for e in editions]


@router.get("/forum/editions/{year}", response=EditionDetailOut, summary="One edition with its consultation phases")
def get_edition(request, year: int):
    from django.utils import timezone

    edition = _edition(year)
    today = timezone.localdate()
    phases = list(selectors.phase_list(edition))
    provenance = provenance_map(phases)
    return {**_edition_out(edition), "dates_note": edition.dates_note,
            "phases": [_phase_out(p, today, provenance) for p in phases]}


@router.get("/forum/editions/{year}/phases", response=list[PhaseOut], summary="The consultation phases of an edition")
def list_phases(request, year: int):
    from django.utils import timezone

    today = timezone.localdate()
    phases = list(selectors.phase_list(_edition(year)))
    provenance = provenance_map(phases)
    return [_phase_out(p, today, provenance) for p in phases]


@router.get("/forum/editions/{year}/sessions", response=list[SessionOut],
            summary="The scheduled sessions of an edition (the agenda)")
def list_sessions(request, year: int, track: str = "", type: str = "", action_line: str = "", sdg: int | None = None):
    edition = _edition(year)
    filters = selectors.AgendaFilters(track=track, type=type, action_line=action_line, goal=sdg)
    return [{
        "id": s.pk, "title": s.title, "type": s.type, "track": s.track, "description": s.description,
        "organisers": s.organisers, "room": s.room.name if s.room_id else None, "starts_at": s.starts_at,
        "ends_at": s.ends_at, "action_lines": [al.code for al in s.action_lines.all()],
        "sdgs": [g.number for g in s.goals.all()],
        "speakers": [{"name": sp.name, "affiliation": sp.affiliation} for sp in s.speakers.all()],
        "url": absolute_uri(request, s.get_absolute_url()),
    } for s in selectors.session_list(edition, filters)]


@router.get("/forum/submissions", response=list[SubmissionOut], auth=api_auth,
            summary="My submissions to the open consultation (and my organisations')")
def list_my_submissions(request, edition: int | None = None):
    edition_obj = _edition(edition) if edition else None
    return [_submission_out(s) for s in selectors.submission_list_own(request.auth, edition_obj)]


@router.post("/forum/submissions", response={201: SubmissionOut, 400: ErrorOut, 403: ErrorOut}, auth=api_auth,
             summary="Send a submission to an edition's open consultation (only while a phase accepts its kind)")
def create_submission(request, payload: SubmissionIn):
    edition = _edition(payload.edition)
    if payload.kind not in SubmissionKind.values or payload.kind == SubmissionKind.REGIONAL_INPUT:
        return 400, {"detail": "kind: must be thematic_input, session_proposal, speaker_nomination or hltf_nomination."}
    if payload.session_format and payload.session_format not in SessionType.values:
        return 400, {"detail": f"session_format: unknown format {payload.session_format!r}."}
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        return 400, {"detail": f"organisation: no organisation {payload.organisation!r}."}
    lines = list(ActionLine.objects.filter(code__in=payload.action_lines, is_leaf=True))
    if len(lines) != len(set(payload.action_lines)):
        return 400, {"detail": "action_lines: unknown action line code."}
    goals = list(Goal.objects.filter(number__in=payload.sdgs))
    if len(goals) != len(set(payload.sdgs)):
        return 400, {"detail": "sdgs: unknown SDG number."}
    try:
        submission = services.submission_create(
            edition=edition, kind=payload.kind, organisation=organisation, actor=request.auth,
            title=payload.title, summary=payload.summary, issue=payload.issue,
            session_format=payload.session_format, organisers=payload.organisers,
            document_url=payload.document_url, action_lines=lines, goals=goals,
            speakers=[s.model_dump() for s in payload.speakers])
    except PermissionDenied as exc:
        return 403, {"detail": str(exc)}
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        else:
            detail = " ".join(exc.messages)
        return 400, {"detail": detail}
    submission = selectors.submission_get(submission.pk, request.auth)
    return 201, _submission_out(submission)
