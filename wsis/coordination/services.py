"""Writes of the coordination app (issue 18). Atomic, validating, audited (``coordination.<entity>.<verb>``).

Who may write: the lead facilitator's team of an action line (``Role.FACILITATOR`` for the line) edits
its road map, records its meetings and turns decisions into milestones; co-facilitators
(``Role.CO_FACILITATOR``) add status updates and fill in their agency's contributions; the
secretariat (and superusers) may do everything and alone opens, closes and compiles reporting rounds.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.core.concurrency import version_claim
from wsis.core.mail import absolute_url, mail_send
from wsis.core.permissions import Role, is_secretariat, role_holders
from wsis.core.services import audit_record
from wsis.indicators.models import Indicator
from wsis.reports import services as report_services
from wsis.stocktaking.models import Initiative
from wsis.taxonomy.models import ActionLine, ActionLineFacilitator, Country

from . import documents, selectors
from .models import (
    Contribution,
    Decision,
    EvidenceLink,
    GDCObjective,
    Meeting,
    Milestone,
    Objective,
    ReportingRound,
    RoadMap,
    RoadMapVersion,
    StatusUpdate,
)

__all__ = [
    "road_map_update",
    "objective_add",
    "objective_delete",
    "milestone_save",
    "status_update_add",
    "road_map_publish",
    "meeting_save",
    "decision_add",
    "decision_to_milestone",
    "round_create",
    "round_close",
    "contribution_save",
    "contribution_reminders_send",
    "round_compile",
]

ERR_NOT_LEAD = _("Only the action line's lead facilitators and the secretariat may edit its road map.")
ERR_NOT_CONTRIBUTOR = _("Only the action line's facilitators and co-facilitators may do this.")
ERR_NOT_SECRETARIAT = _("Only the WSIS secretariat may do this.")
ERR_TARGET = _("These targets are not linked to the action line in the WSIS–SDG Matrix: %(codes)s.")
ERR_GDC = _("Unknown Global Digital Compact objective: %(code)s.")
ERR_INDICATOR_VALUES = _("A milestone that follows an indicator needs a baseline year, a baseline value and a target value.")
ERR_BASELINE_YEAR = _("The baseline year must be before the due date's year.")
ERR_EVIDENCE = _("“%(path)s” is not the address of a %(kind)s on this platform.")
ERR_ROUND_CLOSED = _("This reporting round is closed.")
ERR_DEADLINE = _("The deadline must fall within or after the reporting period.")
ERR_NOTHING_CHANGED = _("Nothing changed since the last published version.")

EVIDENCE_VIEWS = {
    EvidenceLink.Kind.INITIATIVE: "stocktaking:detail",
    EvidenceLink.Kind.FORUM_SESSION: "forum:session",
    EvidenceLink.Kind.REVIEW_REPORT: "reviews:report",
}


def _require_lead(actor, action_line: ActionLine) -> None:
    if not selectors.can_edit_road_map(actor, action_line):
        raise PermissionDenied(ERR_NOT_LEAD)


def _require_contributor(actor, action_line: ActionLine) -> None:
    if not selectors.can_contribute(actor, action_line):
        raise PermissionDenied(ERR_NOT_CONTRIBUTOR)


def _require_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise PermissionDenied(ERR_NOT_SECRETARIAT)


def _road_map_for(action_line: ActionLine) -> RoadMap:
    road_map, _created = RoadMap.objects.get_or_create(action_line=action_line)
    return road_map


# --- road maps -----------------------------------------------------------------------------------

@transaction.atomic
def road_map_update(*, actor, action_line: ActionLine, summary: str, targets, gdc_objectives,
                    expected_version: int | None = None) -> RoadMap:
    """Set the road map's summary, its SDG targets (only those the Matrix links to the line) and its
    GDC objectives (codes GDC1–GDC5). Creates the road map on first save."""
    _require_lead(actor, action_line)
    road_map = _road_map_for(action_line)
    version_claim(road_map, expected_version=expected_version)
    targets = list(targets)
    allowed = set(selectors.matrix_targets(action_line).values_list("pk", flat=True))
    wrong = [t.code for t in targets if t.pk not in allowed]
    if wrong:
        raise ValidationError({"targets": [ERR_TARGET % {"codes": ", ".join(wrong)}]})
    gdc = []
    for code in gdc_objectives:
        if code not in GDCObjective.values:
            raise ValidationError({"gdc_objectives": [ERR_GDC % {"code": str(code)[:20]}]})
        if code not in gdc:
            gdc.append(code)
    road_map.summary, road_map.gdc_objectives = (summary or "").strip(), gdc
    road_map.full_clean(exclude=["action_line"])
    road_map.save()
    road_map.targets.set(targets)
    audit_record(actor=actor, action="coordination.road_map.update", target=road_map, summary=action_line.code)
    return road_map


@transaction.atomic
def objective_add(*, actor, action_line: ActionLine, text: str) -> Objective:
    _require_lead(actor, action_line)
    road_map = _road_map_for(action_line)
    order = (road_map.objectives.aggregate(m=Max("order"))["m"] or 0) + 1
    objective = Objective(road_map=road_map, text=(text or "").strip(), order=order)
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, action="coordination.objective.create", target=objective, summary=objective.text)
    return objective


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> None:
    _require_lead(actor, objective.road_map.action_line)
    audit_record(actor=actor, action="coordination.objective.delete", target=objective, summary=objective.text)
    objective.delete()


@transaction.atomic
def milestone_save(*, actor, action_line: ActionLine, milestone: Milestone | None = None,
                   expected_version: int | None = None, title: str, due_date: dt.date,
                   objective: Objective | None = None, indicator: Indicator | None = None,
                   country: Country | None = None, baseline_year: int | None = None,
                   baseline_value: float | None = None, target_value: float | None = None,
                   completed_on: dt.date | None = None, agencies=(), decision: Decision | None = None) -> Milestone:
    """Create or edit a milestone of the line's road map (lead facilitators)."""
    _require_lead(actor, action_line)
    road_map = _road_map_for(action_line)
    created = milestone is None
    if not created:
        if milestone.road_map_id != road_map.pk:
            raise PermissionDenied(ERR_NOT_LEAD)
        version_claim(milestone, expected_version=expected_version)
    if indicator is not None and None in (baseline_year, baseline_value, target_value):
        raise ValidationError({"indicator": [ERR_INDICATOR_VALUES]})
    if indicator is not None and due_date and baseline_year >= due_date.year:
        raise ValidationError({"baseline_year": [ERR_BASELINE_YEAR]})
    if objective is not None and objective.road_map_id != road_map.pk:
        raise ValidationError({"objective": [_("Choose an objective of this road map.")]})
    milestone = milestone or Milestone(road_map=road_map)
    milestone.title, milestone.due_date, milestone.objective = (title or "").strip(), due_date, objective
    milestone.indicator, milestone.country = indicator, country if indicator is not None else None
    milestone.baseline_year, milestone.baseline_value, milestone.target_value = (
        (baseline_year, baseline_value, target_value) if indicator is not None else (None, None, None))
    milestone.completed_on = completed_on
    if decision is not None:
        milestone.decision = decision
    milestone.full_clean(exclude=["road_map", "decision"])
    milestone.save()
    milestone.agencies.set(list(agencies))
    audit_record(actor=actor, action="coordination.milestone.create" if created else "coordination.milestone.update",
                 target=milestone, summary=f"{action_line.code}: {milestone.title}")
    return milestone


def _evidence_check(kind: str, raw: str) -> tuple[str, Initiative | None]:
    """The path of an evidence link, checked against the view it must point to (kind)."""
    path = urlparse((raw or "").strip()).path
    kind_label = dict(EvidenceLink.Kind.choices).get(kind, kind)
    error = ValidationError({"evidence": [ERR_EVIDENCE % {"path": raw[:80], "kind": kind_label}]})
    if kind not in EVIDENCE_VIEWS or not path.startswith("/"):
        raise error
    try:
        match = resolve(path)
    except Resolver404:
        raise error from None
    if match.view_name != EVIDENCE_VIEWS[kind]:
        raise error
    initiative = None
    if kind == EvidenceLink.Kind.INITIATIVE:
        initiative = Initiative.objects.filter(pk=match.kwargs.get("pk"), state=Initiative.State.PUBLISHED).first()
        if initiative is None:
            raise error
    return path, initiative


@transaction.atomic
def status_update_add(*, actor, milestone: Milestone, date: dt.date, text: str, evidence=(),
                      completed_on: dt.date | None = None) -> StatusUpdate:
    """A dated status update on a milestone, with evidence links ``[(kind, path)]``; lead facilitators and
    co-facilitators. ``completed_on`` marks a milestone without an indicator as reached."""
    action_line = milestone.road_map.action_line
    _require_contributor(actor, action_line)
    update = StatusUpdate(milestone=milestone, date=date, text=(text or "").strip(), author=actor)
    update.full_clean(exclude=["milestone", "author"])
    if date > timezone.localdate():
        raise ValidationError({"date": [_("The date of an update cannot be in the future.")]})
    links = [(kind, *_evidence_check(kind, path)) for kind, path in evidence if (path or "").strip()]
    update.save()
    for kind, path, initiative in links:
        EvidenceLink.objects.create(update=update, kind=kind, path=path, initiative=initiative)
    if completed_on is not None and milestone.indicator_id is None:
        version_claim(milestone, expected_version=None)
        Milestone.objects.filter(pk=milestone.pk).update(completed_on=completed_on)
        milestone.completed_on = completed_on
    audit_record(actor=actor, action="coordination.status_update.create", target=update,
                 summary=f"{action_line.code}: {milestone.title}", data={"milestone": milestone.pk})
    return update


@transaction.atomic
def road_map_publish(*, actor, action_line: ActionLine, note: str = "", publish: bool = True,
                     now: dt.datetime | None = None) -> RoadMapVersion:
    """Save the road map as a new numbered version (published: public). Refused when nothing changed."""
    _require_lead(actor, action_line)
    road_map = _road_map_for(action_line)
    RoadMap.objects.select_for_update().filter(pk=road_map.pk).first()  # number versions one at a time
    data = selectors.road_map_snapshot(road_map)
    last = road_map.versions.order_by("-number").first()
    if last is not None and last.data == data and (last.published or not publish):
        raise ValidationError(ERR_NOTHING_CHANGED)
    version = RoadMapVersion.objects.create(
        road_map=road_map, number=(last.number + 1) if last else 1, data=data, note=(note or "")[:300],
        published=publish, created_at=now or timezone.now(), created_by=actor if actor and actor.pk else None)
    audit_record(actor=actor, action="coordination.road_map.publish" if publish else "coordination.road_map.snapshot",
                 target=road_map, summary=f"{action_line.code} v{version.number}", data={"version": version.number})
    return version


# --- meetings ------------------------------------------------------------------------------------

@transaction.atomic
def meeting_save(*, actor, action_line: ActionLine, meeting: Meeting | None = None,
                 expected_version: int | None = None, title: str, date: dt.date, agenda: str = "",
                 participants: str = "", minutes: str = "", forum_session_path: str = "") -> Meeting:
    """Record or edit a facilitation meeting of the line (lead facilitators)."""
    _require_lead(actor, action_line)
    created = meeting is None
    if not created:
        _require_lead(actor, meeting.action_line)
        version_claim(meeting, expected_version=expected_version)
    path = ""
    if (forum_session_path or "").strip():
        try:
            path, _initiative = _evidence_check(EvidenceLink.Kind.FORUM_SESSION, forum_session_path)
        except ValidationError as exc:
            raise ValidationError({"forum_session_path": exc.message_dict["evidence"]}) from None
    meeting = meeting or Meeting()
    meeting.action_line, meeting.title, meeting.date = action_line, (title or "").strip(), date
    meeting.agenda, meeting.participants, meeting.minutes = agenda or "", participants or "", minutes or ""
    meeting.forum_session_path = path
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action="coordination.meeting.create" if created else "coordination.meeting.update",
                 target=meeting, summary=f"{action_line.code}: {meeting.title}")
    return meeting


@transaction.atomic
def decision_add(*, actor, meeting: Meeting, text: str, due_date: dt.date | None = None) -> Decision:
    _require_lead(actor, meeting.action_line)
    decision = Decision(meeting=meeting, text=(text or "").strip(), due_date=due_date)
    decision.full_clean()
    decision.save()
    audit_record(actor=actor, action="coordination.decision.create", target=decision, summary=decision.text)
    return decision


@transaction.atomic
def decision_to_milestone(*, actor, decision: Decision) -> Milestone:
    """Make a meeting's decision a milestone of the line's road map (due by the decision's date, else a
    year after the meeting). A decision becomes one milestone at most."""
    action_line = decision.meeting.action_line
    _require_lead(actor, action_line)
    if Milestone.objects.filter(decision=decision).exists():
        raise ValidationError(_("This decision is already a milestone of the road map."))
    due = decision.due_date or decision.meeting.date.replace(year=decision.meeting.date.year + 1)
    lead = [row.agency for row in ActionLineFacilitator.objects.filter(
        action_line=action_line, role=ActionLineFacilitator.Role.LEAD).select_related("agency")]
    return milestone_save(actor=actor, action_line=action_line, title=decision.text[:300], due_date=due,
                          agencies=lead, decision=decision)


# --- agency reporting ----------------------------------------------------------------------------

@transaction.atomic
def round_create(*, actor, title: str, session: str, period_start: dt.date, period_end: dt.date,
                 deadline: dt.date, today: dt.date | None = None) -> ReportingRound:
    """Open a reporting round (secretariat): one contribution per agency and action line it facilitates,
    its figures prefilled from the road map's progress and the registry."""
    _require_secretariat(actor)
    rnd = ReportingRound(title=(title or "").strip(), session=(session or "").strip(), period_start=period_start,
                         period_end=period_end, deadline=deadline)
    rnd.full_clean()
    if deadline < period_start:
        raise ValidationError({"deadline": [ERR_DEADLINE]})
    rnd.save()
    prefills: dict[int, dict] = {}
    rows = ActionLineFacilitator.objects.select_related("action_line", "agency").order_by("action_line__order")
    for row in rows:
        if row.action_line_id not in prefills:
            prefills[row.action_line_id] = selectors.contribution_prefill(rnd=rnd, action_line=row.action_line,
                                                                          today=today)
        Contribution.objects.create(round=rnd, action_line=row.action_line, agency=row.agency,
                                    is_lead=row.role == ActionLineFacilitator.Role.LEAD,
                                    **prefills[row.action_line_id])
    audit_record(actor=actor, action="coordination.reporting_round.create", target=rnd, summary=rnd.title)
    return rnd


@transaction.atomic
def round_close(*, actor, rnd: ReportingRound) -> ReportingRound:
    _require_secretariat(actor)
    ReportingRound.objects.filter(pk=rnd.pk).update(state=ReportingRound.State.CLOSED)
    rnd.state = ReportingRound.State.CLOSED
    audit_record(actor=actor, action="coordination.reporting_round.close", target=rnd, summary=rnd.title)
    return rnd


CONTRIBUTION_FIELDS = (*selectors.NUMBER_FIELDS, "highlights", "challenges", "next_steps")


@transaction.atomic
def contribution_save(*, actor, contribution: Contribution, expected_version: int | None = None,
                      submit: bool = False, refresh: bool = False, **fields) -> Contribution:
    """Save (and optionally submit) an agency's contribution; its line's (co-)facilitators or the
    secretariat, while the round is open. ``refresh`` takes the figures from the data again."""
    if not (is_secretariat(actor) or selectors.can_contribute(actor, contribution.action_line)):
        raise PermissionDenied(ERR_NOT_CONTRIBUTOR)
    if contribution.round.state != ReportingRound.State.OPEN:
        raise ValidationError(ERR_ROUND_CLOSED)
    version_claim(contribution, expected_version=expected_version)
    unknown = set(fields) - set(CONTRIBUTION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(contribution, name, value if value is not None else (0 if name in selectors.NUMBER_FIELDS else ""))
    if refresh:
        for name, value in selectors.contribution_prefill(rnd=contribution.round,
                                                          action_line=contribution.action_line).items():
            setattr(contribution, name, value)
    if submit:
        contribution.state, contribution.submitted_at = Contribution.State.SUBMITTED, timezone.now()
    contribution.full_clean(exclude=["round", "action_line", "agency"])
    contribution.save()
    audit_record(actor=actor, action="coordination.contribution.submit" if submit else "coordination.contribution.update",
                 target=contribution, summary=str(contribution))
    return contribution


def contribution_reminders_send(*, today: dt.date | None = None, days_before: int = 14,
                                every_days: int = 7) -> int:
    """E-mail the (co-)facilitators of every unsubmitted contribution of an open round whose deadline
    is at most ``days_before`` days away (or passed), at most once every ``every_days`` days.
    Returns how many contributions were reminded. Run daily (``manage.py send_contribution_reminders``)."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = (Contribution.objects.select_related("round", "action_line", "agency")
           .filter(round__state=ReportingRound.State.OPEN, state=Contribution.State.DRAFT,
                   round__deadline__lte=today + dt.timedelta(days=days_before))
           .exclude(reminded_at__gte=now - dt.timedelta(days=every_days)).order_by("pk"))
    count = 0
    for contribution in due:
        with transaction.atomic():
            recipients = {u.pk: u for role in (Role.FACILITATOR, Role.CO_FACILITATOR)
                          for u in role_holders(role, contribution.action_line) if u.is_active}
            for user in recipients.values():
                language = user.preferred_language or "en"
                mail_send(user=user, template="coordination/contribution_reminder", language=language, context={
                    "contribution": contribution, "round": contribution.round,
                    "overdue": contribution.round.deadline < today,
                    "url": absolute_url("", "coordination:contribution", language=language,
                                        args=[contribution.round_id, contribution.pk]),
                })
            Contribution.objects.filter(pk=contribution.pk).update(reminded_at=now)
            audit_record(actor=None, action="coordination.contribution.remind", target=contribution,
                         summary=str(contribution), data={"recipients": len(recipients)})
        count += 1
    return count


def round_compile(*, actor, rnd: ReportingRound, language: str = "en", enqueue: bool = True):
    """The secretariat's consolidated draft of the round through the document engine: a new version of
    the stored document (kind ``coordination.round``) built in the background as HTML, PDF and DOCX;
    the executive summary written on the previous version carries over."""
    _require_secretariat(actor)
    return report_services.document_request(
        kind=documents.KIND, key=documents.document_key(rnd), language=language,
        title=documents.document_title(rnd), params={"round": rnd.pk}, actor=actor, enqueue=enqueue)
