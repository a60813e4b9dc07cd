"""Writes of the WSIS Forum: consultation submissions, review decisions, sessions, scheduling, outcomes.

Every function checks permission, validates, writes an audit row and runs in a transaction; e-mail
goes out through tasks scheduled with ``transaction.on_commit`` so that nothing is sent for a
change that rolled back. Refusals raise ``ValidationError`` (bad input, closed phase, conflict) or
``PermissionDenied`` with a message meant for the person who tried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wsis.accounts.selectors import user_is_org_member
from wsis.core.concurrency import ConflictError, version_claim
from wsis.core.permissions import can_review_commission, is_secretariat
from wsis.core.services import audit_record, form_token_bind, form_token_claim
from wsis.reports.storage import file_store

from .models import (
    HIGH_LEVEL_TYPES,
    ConsultationPhase,
    ForumEdition,
    Milestone,
    OutcomeDocument,
    Room,
    Session,
    SessionOutcome,
    SessionSpeaker,
    SessionType,
    Submission,
    SubmissionKind,
    SubmissionSpeaker,
)

__all__ = [
    "Decision",
    "SpeakerData",
    "phase_for",
    "submission_create",
    "regional_input_submit",
    "submission_decide",
    "session_create",
    "session_create_from_proposal",
    "session_schedule",
    "speaker_conflict_message",
    "session_outcome_submit",
    "can_report_outcome",
    "outcome_document_compile",
    "outcome_document_render",
    "outcome_document_publish",
    "milestone_save",
]

# Messages as constants so that tests and callers can match them (STYLE.md habit 1).
ERR_SIGN_IN = gettext_lazy("Please sign in to take part in the consultation.")
ERR_NOT_MEMBER = gettext_lazy("You can only submit on behalf of an organisation you belong to.")
ERR_NOT_SECRETARIAT = gettext_lazy("Only the WSIS secretariat can do this.")
ERR_NOT_REVIEWER = gettext_lazy("Only the regional commission's reviewers or the secretariat can submit its regional input.")
ERR_NO_PHASE = gettext_lazy(
    "%(edition)s does not accept submissions of the kind “%(kind)s” in any phase of its consultation."
)
ERR_PHASE_CLOSED = gettext_lazy(
    "Submissions of the kind “%(kind)s” are not accepted on %(today)s. %(edition)s accepts them only during: "
    "%(phases)s."
)
ERR_REGIONAL_VIA_REVIEW = gettext_lazy("Regional inputs come from a regional commission's published review.")
ERR_NOT_PENDING = gettext_lazy("“%(title)s” has already been decided (%(state)s).")
ERR_REASON_REQUIRED = gettext_lazy("Give the reason for declining: the submitter will read it.")
ERR_MERGE_TARGET = gettext_lazy("Choose the submission to merge into.")
ERR_MERGE_SELF = gettext_lazy("A submission cannot be merged into itself.")
ERR_MERGE_OTHER_EDITION = gettext_lazy("Submissions can only be merged within the same edition.")
ERR_MERGE_TARGET_CLOSED = gettext_lazy("“%(title)s” was merged or declined; choose another submission to merge into.")
ERR_NOTHING_SELECTED = gettext_lazy("Select at least one submission.")
ERR_ROOM_EDITION = gettext_lazy("The room belongs to another edition.")
ERR_TIMES_ORDER = gettext_lazy("The session must end after it starts.")
ERR_OUTSIDE_FORUM = gettext_lazy("%(edition)s runs from %(start)s to %(end)s; the session must fall within those days.")
ERR_ROOM_BUSY = gettext_lazy(
    "%(room)s is already booked from %(start)s to %(end)s by the session “%(title)s”."
)
ERR_SPEAKER_BUSY = gettext_lazy(
    "%(speaker)s already speaks in the session “%(title)s” from %(start)s to %(end)s."
)
ERR_NOT_ORGANISER = gettext_lazy("Only the session's organisers or the secretariat can report its outcome.")
ERR_NO_OUTCOMES = gettext_lazy("No session of %(edition)s has reported an outcome yet.")
ERR_OUTCOME_PUBLISHED = gettext_lazy("The outcome document is published and can no longer change.")
ERR_OUTCOME_NOT_READY = gettext_lazy("The outcome document's files are not ready yet.")

PROPOSAL_KINDS = {SubmissionKind.SESSION_PROPOSAL}
NOMINATION_KINDS = {SubmissionKind.SPEAKER_NOMINATION, SubmissionKind.HLTF_NOMINATION}


class Decision:
    ACCEPT = "accept"
    MERGE = "merge"
    DECLINE = "decline"
    ALL = (ACCEPT, MERGE, DECLINE)


SpeakerData = dict  # {"name", "affiliation", "gender", "region"}


def _require_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise PermissionDenied(ERR_NOT_SECRETARIAT)


def _today() -> dt.date:
    return timezone.localdate()


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def phase_for(*, edition: ForumEdition, kind: str, on: dt.date | None = None) -> ConsultationPhase:
    """The phase of ``edition`` that accepts ``kind`` on day ``on`` (today by default).

    Raises ``ValidationError`` naming the phases (and their dates) that do accept it, or saying that
    none does, so that the person who tried knows when to come back.
    """
    on = on or _today()
    phases = [p for p in edition.phases.all() if p.accepts_kind(kind)]
    label = SubmissionKind(kind).label
    if not phases:
        raise ValidationError(ERR_NO_PHASE % {"edition": edition.title, "kind": label}, code="no_phase")
    for phase in phases:
        if phase.is_open_on(on):
            return phase
    windows = "; ".join(
        _("%(name)s (%(start)s – %(end)s)") % {"name": p.name, "start": _day(p.starts_on), "end": _day(p.ends_on)}
        for p in sorted(phases, key=lambda p: p.starts_on)
    )
    raise ValidationError(
        ERR_PHASE_CLOSED % {"kind": label, "today": _day(on), "edition": edition.title, "phases": windows},
        code="phase_closed",
    )


def _clean_speakers(kind: str, speakers: Sequence[SpeakerData]) -> list[SpeakerData]:
    cleaned = [s for s in speakers if (s.get("name") or "").strip()]
    if kind in NOMINATION_KINDS and len(cleaned) != 1:
        raise ValidationError({"speakers": _("A nomination names exactly one person.")})
    if kind in PROPOSAL_KINDS and not cleaned:
        raise ValidationError({"speakers": _("Name at least one proposed speaker.")})
    keys = [SessionSpeaker.make_key(s["name"]) for s in cleaned]
    if len(set(keys)) != len(keys):
        raise ValidationError({"speakers": _("Each speaker may be listed only once.")})
    return cleaned


def _add_speakers(submission: Submission, speakers: Sequence[SpeakerData]) -> None:
    rows = []
    for order, s in enumerate(speakers):
        row = SubmissionSpeaker(submission=submission, name=s["name"].strip(),
                                affiliation=(s.get("affiliation") or "").strip(),
                                gender=s.get("gender") or "not_stated", region=s.get("region") or "", order=order)
        row.full_clean(exclude=["submission"])
        rows.append(row)
    SubmissionSpeaker.objects.bulk_create(rows)


@transaction.atomic
def submission_create(*, edition: ForumEdition, kind: str, organisation, actor, title: str, summary: str,
                      issue: str = "", session_format: str = "", organisers: str = "", document_url: str = "",
                      action_lines: Iterable = (), goals: Iterable = (), speakers: Sequence[SpeakerData] = (),
                      today: dt.date | None = None, form_token: str = "") -> Submission:
    """Record a stakeholder's submission to the consultation, if a phase open today accepts its kind.

    ``form_token`` (the submission form's one-time token) makes a second sending of the same form
    record nothing: it raises ``wsis.core.services.FormTokenUsed`` naming the first submission.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(ERR_SIGN_IN)
    if kind == SubmissionKind.REGIONAL_INPUT:
        raise ValidationError(ERR_REGIONAL_VIA_REVIEW)
    if organisation is None or not (user_is_org_member(actor, organisation) or is_secretariat(actor)):
        raise PermissionDenied(ERR_NOT_MEMBER)
    phase = phase_for(edition=edition, kind=kind, on=today)
    action_lines, goals = list(action_lines), list(goals)
    errors = {}
    if kind == SubmissionKind.THEMATIC_INPUT:
        if not issue.strip():
            errors["issue"] = _("Say which issue the forum should address.")
        if not action_lines and not goals:
            errors["action_lines"] = _("Choose at least one action line or SDG.")
    if kind == SubmissionKind.SESSION_PROPOSAL:
        if not session_format:
            errors["session_format"] = _("Choose the format of the session.")
        if not organisers.strip():
            errors["organisers"] = _("Name the organisers of the session.")
        if not action_lines:
            errors["action_lines"] = _("Choose at least one action line.")
    if errors:
        raise ValidationError(errors)
    speakers = _clean_speakers(kind, speakers)
    claim = form_token_claim(token=form_token, user=actor, action="forum.submission.create")
    submission = Submission(
        edition=edition, phase=phase, kind=kind, title=title.strip(), summary=summary.strip(), issue=issue.strip(),
        session_format=session_format if kind in PROPOSAL_KINDS else "", organisers=organisers.strip(),
        document_url=document_url, organisation=organisation, submitted_by=actor,
    )
    submission.full_clean()
    submission.save()
    submission.action_lines.set(action_lines)
    submission.goals.set(goals)
    _add_speakers(submission, speakers)
    audit_record(actor=actor, action="forum.submission.create", target=submission,
                 summary=f"{kind}: {submission.title}", data={"edition": edition.year, "phase": phase.number})
    form_token_bind(claim, submission)
    return submission


@transaction.atomic
def regional_input_submit(*, edition: ForumEdition, commission, title: str, summary: str, document_url: str,
                          actor) -> Submission:
    """Record a regional commission's published review as its regional input to ``edition``'s consultation.

    Called by the regional reviews app when a review is published. ``actor`` is the reviewer (or the
    secretariat) publishing it, or ``None`` for a system job. The phase window is enforced as for
    every other submission. Idempotent: publishing the same document again returns the submission
    already recorded (and refreshes its title and summary).
    """
    if actor is not None and not can_review_commission(actor, commission):
        raise PermissionDenied(ERR_NOT_REVIEWER)
    existing = (Submission.objects.select_for_update()
                .filter(edition=edition, commission=commission, kind=SubmissionKind.REGIONAL_INPUT,
                        document_url=document_url)
                .exclude(state=Submission.State.DECLINED).first())
    if existing is not None:
        existing.title, existing.summary = title.strip(), summary.strip()
        existing.full_clean()
        existing.save(update_fields=["title", "summary", "updated_at"])
        audit_record(actor=actor, action="forum.submission.update_regional_input", target=existing,
                     summary=f"{commission.code}: {existing.title}")
        return existing
    phase = phase_for(edition=edition, kind=SubmissionKind.REGIONAL_INPUT)
    submission = Submission(
        edition=edition, phase=phase, kind=SubmissionKind.REGIONAL_INPUT, title=title.strip(),
        summary=summary.strip(), document_url=document_url, commission=commission,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    submission.full_clean()
    submission.save()
    audit_record(actor=actor, action="forum.submission.add_regional_input", target=submission,
                 summary=f"{commission.code}: {submission.title}", data={"edition": edition.year})
    return submission


def _notify_decision(submission_id: int) -> None:
    from .tasks import notify_submission_decision

    notify_submission_decision.enqueue(submission_id)


@transaction.atomic
def submission_decide(*, submissions: Iterable[Submission], decision: str, actor, reason: str = "",
                      merge_into: Submission | None = None) -> list[Submission]:
    """Accept, merge or decline submissions in bulk: all of them or, if one cannot be decided, none.

    Accepting a session proposal puts it on the agenda as an unscheduled session. Each submitter is
    told by e-mail once the transaction commits.
    """
    _require_secretariat(actor)
    if decision not in Decision.ALL:
        raise ValidationError(_("Unknown decision."))
    ids = [s.pk for s in submissions]
    if not ids:
        raise ValidationError(ERR_NOTHING_SELECTED)
    # Lock the rows so that two secretariat members deciding at once cannot both decide one submission.
    rows = list(Submission.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    reason = reason.strip()
    if decision == Decision.DECLINE and not reason:
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    if decision == Decision.MERGE:
        if merge_into is None:
            raise ValidationError({"merge_into": ERR_MERGE_TARGET})
        merge_into = Submission.objects.select_for_update().get(pk=merge_into.pk)
        if merge_into.pk in ids:
            raise ValidationError({"merge_into": ERR_MERGE_SELF})
        if merge_into.state in (Submission.State.MERGED, Submission.State.DECLINED):
            raise ValidationError({"merge_into": ERR_MERGE_TARGET_CLOSED % {"title": merge_into.title}})
    for row in rows:
        if row.state != Submission.State.SUBMITTED:
            raise ValidationError(ERR_NOT_PENDING % {"title": row.title, "state": row.get_state_display()})
        if decision == Decision.MERGE and row.edition_id != merge_into.edition_id:
            raise ValidationError({"merge_into": ERR_MERGE_OTHER_EDITION})
    now = timezone.now()
    new_state = {Decision.ACCEPT: Submission.State.ACCEPTED, Decision.MERGE: Submission.State.MERGED,
                 Decision.DECLINE: Submission.State.DECLINED}[decision]
    for row in rows:
        row.state, row.decided_by, row.decided_at, row.decision_reason = new_state, actor, now, reason
        row.merged_into = merge_into if decision == Decision.MERGE else None
        row.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "merged_into", "updated_at"])
        if decision == Decision.ACCEPT and row.kind == SubmissionKind.SESSION_PROPOSAL:
            session_create_from_proposal(proposal=row, actor=actor)
        audit_record(actor=actor, action=f"forum.submission.{decision}", target=row, summary=row.title,
                     data={"reason": reason, "merged_into": merge_into.pk if merge_into else None})
        transaction.on_commit(lambda pk=row.pk: _notify_decision(pk))
    return rows


def _track_for(session_type: str) -> str:
    return Session.Track.HIGH_LEVEL if session_type in HIGH_LEVEL_TYPES else Session.Track.FORUM


def _set_session_speakers(session: Session, speakers: Sequence[SpeakerData]) -> None:
    rows, seen = [], set()
    for order, s in enumerate(speakers):
        key = SessionSpeaker.make_key(s["name"])
        if not key or key in seen:
            continue
        seen.add(key)
        rows.append(SessionSpeaker(session=session, name=s["name"].strip(), key=key,
                                   affiliation=s.get("affiliation", ""), gender=s.get("gender") or "not_stated",
                                   region=s.get("region") or "", order=order))
    SessionSpeaker.objects.bulk_create(rows)


@transaction.atomic
def session_create(*, edition: ForumEdition, title: str, type: str, actor, description: str = "",
                   organisers: str = "", organisation=None, action_lines: Iterable = (), goals: Iterable = (),
                   speakers: Sequence[SpeakerData] = (), track: str | None = None) -> Session:
    """Put a session on the agenda directly (facilitation meetings, ceremonies…), unscheduled."""
    _require_secretariat(actor)
    session = Session(edition=edition, title=title.strip(), type=type, track=track or _track_for(type),
                      description=description, organisers=organisers, organisation=organisation)
    session.full_clean()
    session.save()
    session.action_lines.set(list(action_lines))
    session.goals.set(list(goals))
    _set_session_speakers(session, speakers)
    audit_record(actor=actor, action="forum.session.create", target=session, summary=session.title)
    return session


def session_create_from_proposal(*, proposal: Submission, actor) -> Session:
    """The session an accepted proposal becomes: its title, format, organisers, tags and speakers."""
    _require_secretariat(actor)
    session_type = proposal.session_format or SessionType.THEMATIC_WORKSHOP
    session = Session(edition=proposal.edition, title=proposal.title, type=session_type,
                      track=_track_for(session_type), description=proposal.summary, organisers=proposal.organisers,
                      organisation=proposal.organisation, submission=proposal)
    session.full_clean()
    session.save()
    session.action_lines.set(proposal.action_lines.all())
    session.goals.set(proposal.goals.all())
    _set_session_speakers(session, [
        {"name": s.name, "affiliation": s.affiliation, "gender": s.gender, "region": s.region}
        for s in proposal.speakers.all()
    ])
    audit_record(actor=actor, action="forum.session.create", target=session, summary=session.title,
                 data={"proposal": proposal.pk})
    return session


def _when(value: dt.datetime, tz: ZoneInfo) -> str:
    local = value.astimezone(tz)
    return f"{date_format(local, 'DATE_FORMAT')} {local:%H:%M}"


def speaker_conflict_message(*, session: Session, keys: Iterable[str], starts_at: dt.datetime | None = None,
                             ends_at: dt.datetime | None = None) -> str:
    """Why one of ``keys`` (speaker matching keys) cannot speak in ``session`` at that time, or ``""``.

    Used by scheduling and by the admin's speaker list, so that adding a speaker to a scheduled
    session cannot double-book them either.
    """
    starts_at, ends_at = starts_at or session.starts_at, ends_at or session.ends_at
    keys = [k for k in keys if k]
    if not (keys and starts_at and ends_at):
        return ""
    busy = (SessionSpeaker.objects.select_related("session")
            .filter(key__in=keys, session__edition_id=session.edition_id, session__starts_at__lt=ends_at,
                    session__ends_at__gt=starts_at)
            .exclude(session_id=session.pk).order_by("session__starts_at", "name").first())
    if busy is None:
        return ""
    tz = ZoneInfo(session.edition.timezone)
    return str(ERR_SPEAKER_BUSY % {"speaker": busy.name, "title": busy.session.title,
                                   "start": _when(busy.session.starts_at, tz), "end": _when(busy.session.ends_at, tz)})


@transaction.atomic
def session_schedule(*, session: Session, room: Room, starts_at: dt.datetime, ends_at: dt.datetime,
                     actor, expected_version: int | None = None) -> Session:
    """Put a session in a room at a time, refusing to double-book the room or any of its speakers.

    ``expected_version``: the session's ``lock_version`` when the form was opened (ConflictError if it moved on).
    """
    _require_secretariat(actor)
    version_claim(session, expected_version=expected_version)
    # Lock the edition: every booking of the edition's rooms and speakers goes through this row, so two
    # schedulers cannot both see a free slot and take it (no cross-database exclusion constraint exists).
    edition = ForumEdition.objects.select_for_update().get(pk=session.edition_id)
    tz = ZoneInfo(edition.timezone)
    if room.edition_id != edition.pk:
        raise ValidationError({"room": ERR_ROOM_EDITION})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": ERR_TIMES_ORDER})
    first, last = starts_at.astimezone(tz).date(), ends_at.astimezone(tz).date()
    if first < edition.start_date or last > edition.end_date:
        raise ValidationError({"starts_at": ERR_OUTSIDE_FORUM % {
            "edition": edition.title, "start": _day(edition.start_date), "end": _day(edition.end_date)}})
    clash = (Session.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
             .exclude(pk=session.pk).order_by("starts_at").first())
    if clash is not None:
        raise ValidationError({"room": ERR_ROOM_BUSY % {
            "room": room.name, "start": _when(clash.starts_at, tz), "end": _when(clash.ends_at, tz),
            "title": clash.title}})
    message = speaker_conflict_message(session=session, keys=session.speakers.values_list("key", flat=True),
                                       starts_at=starts_at, ends_at=ends_at)
    if message:
        raise ValidationError({"speakers": message})
    before = {"room": session.room_id, "starts_at": session.starts_at.isoformat() if session.starts_at else None}
    session.room, session.starts_at, session.ends_at = room, starts_at, ends_at
    session.full_clean()
    session.save(update_fields=["room", "starts_at", "ends_at", "updated_at"])
    audit_record(actor=actor, action="forum.session.schedule", target=session, summary=session.title,
                 data={"before": before, "room": room.pk, "starts_at": starts_at.isoformat(),
                       "ends_at": ends_at.isoformat()})
    return session


def can_report_outcome(user, session: Session) -> bool:
    """The secretariat, the person who proposed the session, or a member of its organising organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_secretariat(user):
        return True
    if session.submission_id and session.submission.submitted_by_id == user.pk:
        return True
    return bool(session.organisation_id and user_is_org_member(user, session.organisation))


@transaction.atomic
def session_outcome_submit(*, session: Session, key_points: str, action_lines: Iterable, goals: Iterable,
                           actor, expected_version: int | None = None) -> SessionOutcome:
    """Record (or replace) a session's outcome as reported by its organisers.

    ``expected_version``: the outcome's ``lock_version`` when the form was opened, 0 if there was
    none yet; ConflictError if someone else reported it since.
    """
    if not can_report_outcome(actor, session):
        raise PermissionDenied(ERR_NOT_ORGANISER)
    action_lines, goals = list(action_lines), list(goals)
    errors = {}
    if not key_points.strip():
        errors["key_points"] = _("Write the key points of the session.")
    if not action_lines:
        errors["action_lines"] = _("Choose at least one action line the session addressed.")
    if errors:
        raise ValidationError(errors)
    # Lock the session: two first reports of one outcome take turns, and the second sees the first.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    outcome = SessionOutcome.objects.filter(session=session).first()
    if outcome is not None:
        version_claim(outcome, expected_version=expected_version)
    elif expected_version:
        raise ConflictError(instance=session, expected=expected_version, current=0)
    outcome = outcome or SessionOutcome(session=session)
    created = outcome.pk is None
    outcome.key_points, outcome.submitted_by = key_points.strip(), actor
    outcome.full_clean()
    outcome.save()
    outcome.action_lines.set(action_lines)
    outcome.goals.set(goals)
    audit_record(actor=actor, action="forum.outcome.submit" if created else "forum.outcome.update",
                 target=outcome, summary=session.title, data={"session": session.pk})
    return outcome


def _render_outcome(document_id: int) -> None:
    from .tasks import render_outcome_document

    render_outcome_document.enqueue(document_id)


@transaction.atomic
def outcome_document_compile(*, edition: ForumEdition, actor) -> OutcomeDocument:
    """Compile the edition's outcome document from the sessions' outcomes; the files render in a task.

    The result is a draft for the secretariat to review; :func:`outcome_document_publish` makes it public.
    A published outcome document never changes."""
    _require_secretariat(actor)
    count = SessionOutcome.objects.filter(session__edition=edition).count()
    if not count:
        raise ValidationError(ERR_NO_OUTCOMES % {"edition": edition.title})
    document, _created = OutcomeDocument.objects.select_for_update().get_or_create(edition=edition)
    if document.published_at:
        raise ValidationError(ERR_OUTCOME_PUBLISHED)
    document.status, document.compiled_at, document.compiled_by = OutcomeDocument.Status.PENDING, timezone.now(), actor
    document.session_count, document.message = count, ""
    document.save()
    audit_record(actor=actor, action="forum.outcome_document.compile", target=document,
                 summary=edition.title, data={"sessions": count})
    transaction.on_commit(lambda: _render_outcome(document.pk))
    return document


def _store_outcome_files(document: OutcomeDocument) -> None:
    from . import documents
    from .selectors import outcome_document_data

    with translation.override(settings.LANGUAGE_CODE):
        files = documents.outcome_files(outcome_document_data(document.edition), published_at=document.published_at)
    year = document.edition.year
    for fmt in ("pdf", "docx"):
        setattr(document, f"{fmt}_sha256",
                file_store(document, fmt, f"wsis-forum-{year}-outcomes.{fmt}", files[fmt]))


def outcome_document_render(*, document: OutcomeDocument) -> OutcomeDocument:
    """Write the PDF and DOCX files of a compiled outcome document (run by the task, not by a request)."""
    if document.published_at:
        return document  # published files never change
    try:
        _store_outcome_files(document)
    except Exception as exc:  # noqa: BLE001 - record any renderer failure on the job instead of losing it
        document.status, document.message = OutcomeDocument.Status.FAILED, str(exc)[:1000]
        document.save(update_fields=["status", "message", "updated_at"])
        raise
    document.status = OutcomeDocument.Status.READY
    document.save()
    audit_record(actor=None, action="forum.outcome_document.render", target=document, summary=document.edition.title)
    return document


@transaction.atomic
def outcome_document_publish(*, document: OutcomeDocument, actor) -> OutcomeDocument:
    """After review, make the outcome document public: its files are written once more without the draft
    marks, and never change afterwards."""
    _require_secretariat(actor)
    document = OutcomeDocument.objects.select_for_update().select_related("edition").get(pk=document.pk)
    if document.published_at:
        raise ValidationError(ERR_OUTCOME_PUBLISHED)
    if document.status != OutcomeDocument.Status.READY:
        raise ValidationError(ERR_OUTCOME_NOT_READY)
    document.published_at, document.published_by = timezone.now(), actor
    _store_outcome_files(document)
    document.save()
    audit_record(actor=actor, action="forum.outcome_document.publish", target=document, summary=document.edition.title,
                 data={"pdf_sha256": document.pdf_sha256})
    return document


@transaction.atomic
def milestone_save(*, actor, milestone: Milestone | None = None, expected_version: int | None = None,
                   **fields) -> Milestone:
    """Create or edit a milestone of the WSIS process timeline (secretariat only).

    ``expected_version``: when editing, the ``lock_version`` the editor started from (ConflictError if it moved on).
    """
    _require_secretariat(actor)
    created = milestone is None
    if not created:
        version_claim(milestone, expected_version=expected_version)
    milestone = milestone or Milestone()
    for name, value in fields.items():
        setattr(milestone, name, value)
    milestone.full_clean()
    milestone.save()
    audit_record(actor=actor, action="forum.milestone.create" if created else "forum.milestone.update",
                 target=milestone, summary=milestone.title_en)
    return milestone
