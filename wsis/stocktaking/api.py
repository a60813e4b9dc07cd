"""The stocktaking registry in the API: search published initiatives; members create, edit and submit.

Reads are public (anonymous callers see published entries only; members also see their
organisation's drafts by id). Writes need a session or an API token of a member of the owning
organisation and go through the same services as the pages.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.http import http_date
from ninja import Field, Query, Router, Schema

from wsis.accounts.auth import api_auth
from wsis.accounts.models import Organisation
from wsis.api.errors import ErrorOut
from wsis.api.pagination import InvalidCursor, keyset_page
from wsis.api.parser import parses_own_query
from wsis.core.concurrency import ConflictError
from wsis.taxonomy.models import ActionLine, Country, Goal, Target

from . import selectors, services
from .filters import ParsedFilters, legacy_to_canonical, parse_filters
from .models import Initiative, TagSource, TargetGroup
from .permissions import can_edit
from .search import initiative_search
from .snapshots import InitiativeData, data_from_initiative, data_from_snapshot

router = Router(tags=["stocktaking"])

API_ORDERING = ("-id",)


def _anonymous(request):
    """Reads are open to everyone; a session or token, when given, lets members see their drafts."""
    return True


read_auth = [*api_auth, _anonymous]


def _integers(description: str = "", **kw):
    """A list of integers in the contract, read as text so that the one parser names a bad value (400)."""
    return Field([], description=description, json_schema_extra={"items": {"type": "integer"}}, **kw)


def _legacy_flag(description: str):
    return Field("", description=f"Deprecated: use group={description}.",
                 json_schema_extra={"type": "boolean", "deprecated": True})


class InitiativeFiltersIn(Schema):
    """The one initiative filter set (``wsis.stocktaking.filters``), as on the search page and the analytics:
    several values of one filter match any; filters combine. A bad value answers 400 naming the parameter."""

    q: str = Field("", description="Full-text search (ranked on PostgreSQL).")
    action_line: list[str] = Field([], description="Action-line codes, e.g. C3, C7.4.")
    goal: list[str] = _integers("SDG numbers.")
    target: list[str] = Field([], description="SDG target codes, e.g. 4.4.")
    country: list[str] = Field([], description="ISO 3166 alpha-3 codes.")
    region: list[str] = Field([], description="UN M49 region or sub-region codes, e.g. 002 (Africa).")
    commission: list[str] = Field([], description="Regional commission codes (ECA, ECE, ECLAC, ESCAP, ESCWA).")
    group: list[str] = Field([], description="Country groups: ldc, lldc, sids (a country in any of them).")
    stakeholder_type: list[str] = Field([], description="Stakeholder type codes.")
    kind: list[str] = []
    status: list[str] = []
    year: list[str] = _integers("Start years.")
    year_from: str = Field("", description="First start year.", json_schema_extra={"type": "integer"})
    year_to: str = Field("", description="Last start year.", json_schema_extra={"type": "integer"})
    target_group: list[str] = []
    gender_marker: list[str] = _integers("0, 1 or 2.")
    organisation: str = Field("", description="Organisation slug.")
    tags: str = Field("", description="Tag quality: confirmed (only initiatives whose every tag a moderator "
                                      "confirmed).")
    activity: str = Field("", description="active: published or given a progress report in the last two years; "
                                          "inactive: neither (issue 18).")
    language: list[str] = Field([], description="Available in these languages (ar, zh-hans, en, fr, ru, es): "
                                                "written in one of them or translated into one (issue 21).")


class LegacyGroupsIn(Schema):
    """The analytics' old spelling of ``group``, still read by the API."""

    ldc: str = _legacy_flag("ldc")
    lldc: str = _legacy_flag("lldc")
    sids: str = _legacy_flag("sids")


class InitiativeQuery(InitiativeFiltersIn):
    cursor: str | None = Field(None, description="The next_cursor of the previous page.")
    limit: int = Field(50, ge=1, le=200)


def filter_error(errors: dict[str, list[str]]) -> dict:
    """The 400 body for invalid filters: the parameters named in ``detail`` and each one's messages."""
    return {"detail": f"Invalid filter parameter: {', '.join(errors)}.", "errors": errors}


def request_filters(request) -> ParsedFilters:
    """The request's filters, old spellings read as deprecated aliases."""
    return parse_filters(legacy_to_canonical(request.GET) or request.GET)


class TagOut(Schema):
    code: str
    source: str
    confirmed: bool = Field(description="A moderator confirmed this tag (approved the entry with it, or "
                                        "corrected the tags since).")


class TranslationOut(Schema):
    """The title and summary in another language than the original's, added by the organisation."""

    language: str
    title: str
    summary: str


class InitiativeOut(Schema):
    id: int
    url: str
    title: str
    summary: str
    description: str
    language: str = Field(description="The language the title, summary and description are written in.")
    translations: list[TranslationOut] = Field(description="The title and summary in other languages (issue 21).")
    organisation: str
    organisation_name: str
    kind: str
    status: str
    state: str
    start_date: dt.date | None
    end_date: dt.date | None
    year: int | None
    coverage: str
    countries: list[str]
    primary_action_line: str | None
    action_lines: list[str]
    goals: list[TagOut]
    targets: list[TagOut]
    target_groups: list[str]
    gender_marker: int
    partners: list[str]
    website: str
    published_at: dt.datetime | None
    last_reviewed_at: dt.datetime | None
    version: int = Field(description="Edit version: send it back with PATCH so that a change made meanwhile is "
                                     "not overwritten (409).")


class InitiativePage(Schema):
    items: list[InitiativeOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page; null on the last page.")
    limit: int


class ProgressReportOut(Schema):
    year: int = Field(description="The year reported on (one report per initiative and year).")
    status: str = Field(description="The initiative's status that year: planned, ongoing or completed.")
    deliverables: str = Field(description="What the initiative delivered during the year (in its language).")
    people_reached: int | None = Field(description="An estimate; null when not reported.")
    resources: str
    obstacles: str
    filed_at: dt.datetime


class InitiativeIn(Schema):
    """An initiative's content. On create, ``organisation`` is required; everything but the title may wait."""

    organisation: str | None = Field(None, description="Slug of the owning organisation (create only).")
    title: str = Field(..., max_length=255)
    summary: str = Field("", max_length=1000)
    description: str = ""
    language: str = "en"
    kind: str = Initiative.Kind.PROJECT
    status: str = Initiative.Status.ONGOING
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    coverage: str = Initiative.Coverage.NATIONAL
    countries: list[str] = Field([], description="ISO3 codes.")
    primary_action_line: str | None = Field(None, description="Action-line code.")
    action_lines: list[str] = Field([], description="Further action-line codes.")
    goals: list[int] = []
    targets: list[str] = Field([], description="SDG target codes.")
    matrix_targets: list[str] = Field([], description="Targets accepted from the WSIS–SDG Matrix suggestions.")
    target_groups: list[str] = []
    gender_marker: int = Field(0, ge=0, le=2)
    partners: list[str] = []
    website: str = ""
    reason: str = Field("", max_length=500, description="What changed (for the revision history).")


class InitiativePatch(Schema):
    """Only the fields given change."""

    title: str | None = Field(None, max_length=255)
    summary: str | None = Field(None, max_length=1000)
    description: str | None = None
    language: str | None = None
    kind: str | None = None
    status: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    coverage: str | None = None
    countries: list[str] | None = None
    primary_action_line: str | None = None
    action_lines: list[str] | None = None
    goals: list[int] | None = None
    targets: list[str] | None = None
    matrix_targets: list[str] | None = None
    target_groups: list[str] | None = None
    gender_marker: int | None = Field(None, ge=0, le=2)
    partners: list[str] | None = None
    website: str | None = None
    reason: str = Field("", max_length=500)
    version: int | None = Field(None, ge=1, le=2**31 - 1, description=(
        "The `version` of the entry your change starts from (from GET). If the entry was changed since, "
        "nothing is saved and the answer is 409 with the current version. Leave it out only to overwrite."))


class SubmitIn(Schema):
    confirm_distinct: bool = Field(False, description="Confirm that a similarly titled entry is a different one.")


class ConflictOut(Schema):
    detail: str
    version: int | None = Field(description="The entry's current version: GET it, merge, and PATCH again.")


def _out(i: Initiative) -> dict:
    als = list(i.action_line_tags.all())
    return {
        "id": i.pk, "url": i.get_absolute_url(), "title": i.title, "summary": i.summary,
        "description": i.description, "language": i.language,
        "translations": [{"language": t.language, "title": t.title, "summary": t.summary}
                         for t in sorted(i.translations.all(), key=lambda t: t.language)],
        "organisation": i.organisation.slug,
        "organisation_name": i.organisation.name, "kind": i.kind, "status": i.status, "state": i.state,
        "start_date": i.start_date, "end_date": i.end_date, "year": i.year, "coverage": i.coverage,
        "countries": sorted(c.iso3 for c in i.countries.all()),
        "primary_action_line": next((t.action_line.code for t in als if t.is_primary), None),
        "action_lines": [t.action_line.code for t in als if not t.is_primary],
        "goals": [{"code": str(t.goal.number), "source": t.source, "confirmed": t.confirmed_by_id is not None}
                  for t in i.goal_tags.all()],
        "targets": [{"code": t.target.code, "source": t.source, "confirmed": t.confirmed_by_id is not None}
                    for t in i.target_tags.all()],
        "target_groups": [t.group for t in i.target_group_tags.all()], "gender_marker": i.gender_marker,
        "partners": [p for p in i.partners.splitlines() if p.strip()], "website": i.website,
        "published_at": i.published_at, "last_reviewed_at": i.last_reviewed_at, "version": i.lock_version,
    }


def _lookup(model, field: str, codes: list, label: str, errors: dict) -> list:
    if not codes:
        return []
    found = {str(getattr(o, field)).lower(): o for o in model.objects.filter(**{f"{field}__in": codes})}
    result = []
    for code in codes:
        obj = found.get(str(code).lower())
        if obj is None:
            errors.setdefault(label, []).append(f"Unknown code '{code}'.")
        else:
            result.append(obj)
    return result


def _apply_payload(data: InitiativeData, payload: dict) -> InitiativeData:
    """Overlay the given fields of an API body on ``data``; unknown codes raise a ValidationError by field."""
    errors: dict[str, list[str]] = {}
    for name in ("title", "summary", "description", "language", "kind", "status", "start_date", "end_date",
                 "coverage", "gender_marker", "website"):
        if name in payload:
            setattr(data, name, payload[name] if payload[name] is not None else getattr(InitiativeData, name, ""))
    for name, choices in (("kind", Initiative.Kind.values), ("status", Initiative.Status.values),
                          ("coverage", Initiative.Coverage.values)):
        if getattr(data, name) not in choices:
            errors.setdefault(name, []).append(f"Must be one of {', '.join(choices)}.")
    if "partners" in payload:
        data.partners = "\n".join(p.strip() for p in payload["partners"] or [] if p.strip())
    if "countries" in payload:
        data.countries = _lookup(Country, "iso3", payload["countries"] or [], "countries", errors)
    if "primary_action_line" in payload:
        code = payload["primary_action_line"]
        found = _lookup(ActionLine, "code", [code] if code else [],
                        "primary_action_line", errors)
        data.primary_action_line = found[0] if found else None
    if "action_lines" in payload:
        data.action_lines = _lookup(ActionLine, "code", payload["action_lines"] or [], "action_lines", errors)
    if "goals" in payload:
        data.goals = _lookup(Goal, "number", payload["goals"] or [], "goals", errors)
    if "targets" in payload or "matrix_targets" in payload:
        plain = _lookup(Target, "code", payload.get("targets") or [], "targets", errors)
        matrix = _lookup(Target, "code", payload.get("matrix_targets") or [], "matrix_targets", errors)
        known = {t.pk for t in plain}
        data.targets = plain + [t for t in matrix if t.pk not in known]
        data.matrix_target_ids = {t.pk for t in matrix}
        data.target_sources = {pk: s for pk, s in data.target_sources.items()
                               if s in (TagSource.CLASSIFIER, TagSource.MODERATOR)}
    if "target_groups" in payload:
        groups = payload["target_groups"] or []
        bad = [g for g in groups if g not in TargetGroup.values]
        if bad:
            errors.setdefault("target_groups", []).append(f"Unknown: {', '.join(bad)}.")
        data.target_groups = [g for g in groups if g in TargetGroup.values]
    if errors:
        raise ValidationError(errors)
    return data


def _error(exc: ValidationError) -> tuple[int, dict]:
    if hasattr(exc, "error_dict"):
        errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        return 422, {"detail": "The initiative is not valid.", "errors": errors}
    return 422, {"detail": " ".join(exc.messages), "errors": {}}


def _reload(pk: int, user) -> Initiative:
    return selectors.initiative_get(pk=pk, user=user)


@router.get("/initiatives", response={200: InitiativePage, 400: ErrorOut}, summary="Search published initiatives")
@parses_own_query
def list_initiatives(request, filters: Query[InitiativeQuery]):
    """Published initiatives, newest registered first, with the search page's filters and cursor paging."""
    parsed = request_filters(request)
    if parsed.errors:
        return 400, filter_error(parsed.errors)
    qs = selectors.with_detail_relations(initiative_search(parsed.filters, relations=False))
    try:
        page = keyset_page(qs, ordering=API_ORDERING, cursor=filters.cursor, limit=filters.limit)
    except InvalidCursor as exc:
        return 400, {"detail": str(exc)}
    return 200, {"items": [_out(i) for i in page.items], "next_cursor": page.next_cursor, "limit": page.limit}


@router.get("/initiatives/{initiative_id}", response={200: InitiativeOut, 404: ErrorOut}, auth=read_auth,
            summary="One initiative")
def get_initiative(request, initiative_id: int, response: HttpResponse):
    try:
        initiative = _reload(initiative_id, request.user)
    except Http404:
        return 404, {"detail": "Not found."}
    # A validator for caches and clients (If-Modified-Since → 304, answered by wsis.api.middleware).
    response["Last-Modified"] = http_date(initiative.updated_at.timestamp())
    return 200, _out(initiative)


@router.get("/initiatives/{initiative_id}/progress-reports", response={200: list[ProgressReportOut], 404: ErrorOut},
            summary="The yearly progress reports of a published initiative, latest year first")
def list_progress_reports(request, initiative_id: int):
    """As the initiative's page shows them: published initiatives only (a draft's reports are its owners')."""
    initiative = Initiative.objects.filter(pk=initiative_id, state=Initiative.State.PUBLISHED).first()
    if initiative is None:
        return 404, {"detail": "Not found."}
    return 200, [{"year": r.year, "status": r.status, "deliverables": r.deliverables,
                  "people_reached": r.people_reached, "resources": r.resources, "obstacles": r.obstacles,
                  "filed_at": r.filed_at} for r in selectors.progress_report_list(initiative)]


@router.post("/initiatives", response={201: InitiativeOut, 403: ErrorOut, 422: ErrorOut}, auth=api_auth,
             summary="Register an initiative (as a draft)")
def create_initiative(request, payload: InitiativeIn):
    body = payload.dict()
    organisation = Organisation.objects.filter(slug=body.pop("organisation") or "").first()
    if organisation is None:
        return 422, {"detail": "Unknown organisation.", "errors": {"organisation": ["Give an organisation slug."]}}
    if not can_edit(request.user, organisation):
        return 403, {"detail": str(services.NOT_MEMBER)}
    try:
        data = _apply_payload(InitiativeData(), body)
        initiative = services.initiative_create(user=request.user, organisation=organisation, data=data,
                                                reason=body.get("reason", ""))
    except PermissionDenied as exc:
        return 403, {"detail": str(exc) or "Forbidden."}
    except ValidationError as exc:
        return _error(exc)
    return 201, _out(_reload(initiative.pk, request.user))


@router.patch("/initiatives/{initiative_id}", response={200: InitiativeOut, 403: ErrorOut, 404: ErrorOut,
                                                        409: ConflictOut, 422: ErrorOut}, auth=api_auth,
              summary="Change an initiative (a published one gets a pending update for moderation)")
def update_initiative(request, initiative_id: int, payload: InitiativePatch):
    try:
        initiative = _reload(initiative_id, request.user)
    except Http404:
        return 404, {"detail": "Not found."}
    if not can_edit(request.user, initiative.organisation):
        return 403, {"detail": str(services.NOT_MEMBER)}
    body = payload.dict(exclude_unset=True)
    pending = selectors.pending_revision_get(initiative)
    base = data_from_snapshot(pending.data) if pending else data_from_initiative(initiative)
    try:
        data = _apply_payload(base, body)
        services.initiative_update(user=request.user, initiative=initiative, data=data,
                                   reason=body.get("reason", ""), expected_version=body.get("version"))
    except ConflictError as exc:
        return 409, {"detail": exc.message, "version": exc.current}
    except PermissionDenied as exc:
        return 403, {"detail": str(exc) or "Forbidden."}
    except ValidationError as exc:
        return _error(exc)
    return 200, _out(_reload(initiative_id, request.user))


@router.post("/initiatives/{initiative_id}/submit", response={200: InitiativeOut, 403: ErrorOut, 404: ErrorOut,
                                                              409: ErrorOut, 422: ErrorOut}, auth=api_auth,
             summary="Send a draft, a returned entry or a pending update to the moderators")
def submit_initiative(request, initiative_id: int, payload: SubmitIn):
    try:
        initiative = _reload(initiative_id, request.user)
    except Http404:
        return 404, {"detail": "Not found."}
    try:
        services.initiative_submit(user=request.user, initiative=initiative,
                                   confirm_distinct=payload.confirm_distinct)
    except PermissionDenied as exc:
        return 403, {"detail": str(exc) or "Forbidden."}
    except services.DuplicateTitle as exc:
        return 409, {"detail": " ".join(exc.messages),
                     "errors": {"duplicates": [m.get_absolute_url() for m in exc.matches]}}
    except ValidationError as exc:
        return _error(exc)
    return 200, _out(_reload(initiative_id, request.user))
