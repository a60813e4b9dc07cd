"""Demo data for coordination: road maps of C5 and C7.4 (published), one facilitation meeting with
decisions, and a CSTD reporting round in progress. Deterministic and idempotent; written through the
services, so the audit log and the versions are those of real use."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wsis.core.demo import DemoContext
from wsis.core.permissions import Role, role_holders
from wsis.indicators.models import Indicator
from wsis.indicators.selectors import HEADLINE_CODE
from wsis.taxonomy.models import ActionLine, ActionLineFacilitator, Country

from . import selectors, services
from .models import Contribution, GDCObjective, Meeting, ReportingRound, RoadMap

ROAD_MAPS = {
    "C5": {
        "summary": "Build confidence and security in the use of ICTs: national incident response capacity, "
                   "child online protection and cybersecurity skills, measured where data exist.",
        "objectives": ["Every least developed country has a national computer incident response team",
                       "Child online protection guidelines are adopted in 30 more countries"],
        "gdc": [GDCObjective.GDC3],
        "milestones": [
            {"title": "Regional CIRT workshops held in Africa, Asia-Pacific and the Arab region", "due": (2026, 6, 30),
             "completed": (2026, 5, 20)},
            {"title": "Cybersecurity capacity self-assessment published for 20 LDCs", "due": (2027, 3, 31)},
        ],
    },
    "C7.4": {
        "summary": "E-health: digital health strategies and connectivity of health facilities, with the share of "
                   "Internet users as the headline measure of who can be reached online.",
        "objectives": ["Connect primary health care to broadband", "Every country adopts a digital health strategy"],
        "gdc": [GDCObjective.GDC1, GDCObjective.GDC2],
        "milestones": [
            {"title": "Internet use in Kenya reaches 45 %", "due": (2028, 12, 31), "indicator": HEADLINE_CODE,
             "country": "KEN", "baseline": (2020, 29.0), "target": 45.0},
            {"title": "Digital health strategy toolkit translated into the six UN languages", "due": (2025, 12, 31)},
        ],
    },
}


def _actor():
    holders = role_holders(Role.SECRETARIAT)
    return holders[0] if holders else None


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    actor = _actor()
    if actor is None:
        ctx.log("Coordination: no secretariat user, skipped.")
        return
    for code, spec in ROAD_MAPS.items():
        action_line = ActionLine.objects.get(code=code)
        if RoadMap.objects.filter(action_line=action_line, versions__isnull=False).exists():
            continue
        targets = list(selectors.matrix_targets(action_line)[:3])
        services.road_map_update(actor=actor, action_line=action_line, summary=spec["summary"], targets=targets,
                                 gdc_objectives=spec["gdc"])
        objectives = [services.objective_add(actor=actor, action_line=action_line, text=t) for t in spec["objectives"]]
        lead = [r.agency for r in ActionLineFacilitator.objects.filter(action_line=action_line,
                                                                       role=ActionLineFacilitator.Role.LEAD)]
        for i, m in enumerate(spec["milestones"]):
            indicator = Indicator.objects.filter(code=m["indicator"]).first() if m.get("indicator") else None
            extra = {}
            if indicator is not None:
                extra = {"indicator": indicator, "country": Country.objects.filter(iso3=m["country"]).first(),
                         "baseline_year": m["baseline"][0], "baseline_value": m["baseline"][1],
                         "target_value": m["target"]}
            milestone = services.milestone_save(
                actor=actor, action_line=action_line, title=m["title"], due_date=dt.date(*m["due"]),
                objective=objectives[i % len(objectives)], agencies=lead,
                completed_on=dt.date(*m["completed"]) if m.get("completed") else None, **extra)
            if m.get("completed"):
                services.status_update_add(actor=actor, milestone=milestone, date=dt.date(*m["completed"]),
                                           text="Three regional workshops held; reports circulated to participants.")
        services.road_map_publish(actor=actor, action_line=action_line, note="First road map after WSIS+20")
    c5 = ActionLine.objects.get(code="C5")
    if not Meeting.objects.filter(action_line=c5).exists():
        meeting = services.meeting_save(
            actor=actor, action_line=c5, title="C5 action line facilitation meeting 2026", date=dt.date(2026, 7, 8),
            agenda="1. Road map after WSIS+20\n2. Incident response capacity in LDCs\n3. Report to the CSTD",
            participants="ITU\nUNODC\nFIRST\nNational CIRTs of Kenya and Nepal",
            minutes="The facilitators reviewed the draft road map and agreed on two new milestones.")
        services.decision_add(actor=actor, meeting=meeting, text="Publish a CIRT maturity survey of LDCs",
                              due_date=dt.date(2027, 6, 30))
        services.decision_add(actor=actor, meeting=meeting, text="Hold a joint session with C10 on online harms")
    if not ReportingRound.objects.exists():
        today = timezone.localdate()
        rnd = services.round_create(actor=actor, title="Contributions to the Secretary-General's report on WSIS",
                                    session="CSTD 30th session (2027)", period_start=dt.date(2026, 1, 1),
                                    period_end=dt.date(2026, 12, 31), deadline=today + dt.timedelta(days=30))
        first = Contribution.objects.filter(round=rnd, action_line=c5, is_lead=True).first()
        if first is not None:
            services.contribution_save(
                actor=actor, contribution=first, submit=True,
                highlights="Regional incident response workshops in three regions; road map published.",
                challenges="Data on incident response capacity is scarce for small island states.",
                next_steps="A maturity survey of LDC CIRTs in 2027.")
    ctx.log("Coordination: road maps of C5 and C7.4, one meeting, one reporting round.")
