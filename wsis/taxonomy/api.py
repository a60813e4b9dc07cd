"""Public read API of the taxonomy: action lines, SDGs, the Matrix and countries."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from . import selectors
from .identifiers import goal_uri, m49_uri, target_uri
from .models import CountryGroup, Goal, WSISTarget
from .provenance import provenance_map

router = Router(tags=["taxonomy"])


class ProvenanceOut(Schema):
    """Where one fact comes from: its field, language ("" when not a text), status, source and date checked."""

    field: str
    language: str
    status: str
    source: str
    checked_on: dt.date
    note: str


class AgencyRoleOut(Schema):
    agency: str
    role: str


class ActionLineOut(Schema):
    code: str
    slug: str
    name: str
    short_name: str
    facilitators: list[AgencyRoleOut]
    plan_of_action: str
    provenance: list[ProvenanceOut]


class TargetOut(Schema):
    code: str
    title: str
    uri: str = Field(description="The target in the UN SDG knowledge organisation system.")


class GoalOut(Schema):
    number: int
    title: str
    short_name: str
    colour: str
    uri: str = Field(description="The goal in the UN SDG knowledge organisation system.")


class GoalDetailOut(GoalOut):
    targets: list[TargetOut]


class MatrixLinkOut(Schema):
    action_line: str
    goal: int
    target: str | None
    rationale: str


class MatrixOut(Schema):
    version: str
    provenance: list[ProvenanceOut]
    links: list[MatrixLinkOut]


class WSISTargetOut(Schema):
    number: int
    text: str
    provenance: list[ProvenanceOut]


class CountryOut(Schema):
    iso3: str
    iso2: str
    m49: str
    m49_uri: str = Field(description="The country's UN M49 code as a URI.")
    name: str
    region: str | None
    sub_region: str | None
    is_un_member: bool
    ldc: bool
    lldc: bool
    sids: bool
    commissions: list[str]
    group_provenance: dict[str, ProvenanceOut]


def _action_line_out(al, provenance: dict) -> dict:
    return {
        "code": al.code, "slug": al.slug, "name": al.name, "short_name": al.short_name,
        "facilitators": [{"agency": r.agency.code, "role": r.role} for r in al.facilitator_roles.all()],
        "plan_of_action": al.plan_of_action, "provenance": provenance.get(al.pk, []),
    }


def _group_provenance() -> dict[str, dict]:
    """Per country group: its members' provenance, and any member's own (``member:ISO3``)."""
    groups = list(CountryGroup.objects.all())
    by_pk = provenance_map(groups)
    return {g.code: {row["field"]: row for row in by_pk.get(g.pk, [])} for g in groups}


def _country_out(c, groups: dict[str, dict]) -> dict:
    flags = {"LDC": c.ldc, "LLDC": c.lldc, "SIDS": c.sids}
    rows = {code: groups.get(code, {}) for code, member in flags.items() if member}
    return {
        "group_provenance": {code: r.get(f"member:{c.iso3}") or r["members"] for code, r in rows.items()
                             if r.get(f"member:{c.iso3}") or r.get("members")},
        "iso3": c.iso3, "iso2": c.iso2, "m49": c.m49, "m49_uri": m49_uri(c.m49), "name": c.name,
        "region": c.region.name if c.region else None, "sub_region": c.sub_region.name if c.sub_region else None,
        "is_un_member": c.is_un_member, "ldc": c.ldc, "lldc": c.lldc, "sids": c.sids,
        "commissions": [m.commission.code for m in c.commission_memberships.all()],
    }


@router.get("/action-lines", response=list[ActionLineOut], summary="The 18 WSIS action-line units")
def list_action_lines(request):
    action_lines = list(selectors.action_line_list())
    provenance = provenance_map(action_lines)
    return [_action_line_out(al, provenance) for al in action_lines]


@router.get("/sdgs", response=list[GoalOut], summary="The 17 Sustainable Development Goals")
def list_goals(request):
    return [{"number": g.number, "title": g.title, "short_name": g.short_name, "colour": g.colour,
             "uri": goal_uri(g.number)} for g in selectors.goal_list()]


@router.get("/sdgs/{number}", response=GoalDetailOut, summary="One SDG with its targets")
def get_goal(request, number: int):
    goal = get_object_or_404(Goal.objects.prefetch_related("targets"), number=number)
    return {"number": goal.number, "title": goal.title, "short_name": goal.short_name, "colour": goal.colour,
            "uri": goal_uri(goal.number),
            "targets": [{"code": t.code, "title": t.title, "uri": target_uri(t.code)} for t in goal.targets.all()]}


@router.get("/matrix", response=MatrixOut, summary="The current WSIS–SDG Matrix")
def get_matrix(request):
    version = selectors.matrix_version_current()
    links = selectors.matrix_links(version=version)
    return {
        "version": version.code if version else "",
        "provenance": provenance_map([version]).get(version.pk, []) if version else [],
        "links": [{"action_line": link.action_line.code, "goal": link.goal.number,
                   "target": link.target.code if link.target else None, "rationale": link.rationale}
                  for link in links],
    }


@router.get("/countries", response=list[CountryOut], summary="Countries and areas (UN M49)")
def list_countries(request, region: str = "", commission: str = "", ldc: bool = False, lldc: bool = False,
                   sids: bool = False):
    filters = selectors.CountryFilters(region=region, commission=commission, ldc=ldc, lldc=lldc, sids=sids)
    groups = _group_provenance()
    return [_country_out(c, groups) for c in selectors.country_list(filters)]


@router.get("/countries/{iso3}", response=CountryOut, summary="One country or area")
def get_country(request, iso3: str):
    return _country_out(selectors.country_get(iso3=iso3), _group_provenance())


@router.get("/wsis-targets", response=list[WSISTargetOut],
            summary="The ten WSIS targets (Geneva Plan of Action, para. 6), with the status of each text")
def list_wsis_targets(request):
    targets = list(WSISTarget.objects.order_by("number"))
    provenance = provenance_map(targets)
    return [{"number": t.number, "text": t.text, "provenance": provenance.get(t.pk, [])} for t in targets]
