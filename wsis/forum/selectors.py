"""Reads of the WSIS Forum: editions, phases, submissions, the agenda, statistics, outcomes, the timeline."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from wsis.accounts.selectors import user_is_org_member
from wsis.core.permissions import can_review_commission, is_secretariat
from wsis.taxonomy.models import ActionLine, Goal, HLPFSession, Region, StakeholderType

from .models import (
    ConsultationPhase,
    ForumEdition,
    Gender,
    Milestone,
    OutcomeDocument,
    Session,
    SessionOutcome,
    SpeakerRegion,
    Submission,
    SubmissionKind,
    SubmissionSpeaker,
)

__all__ = [
    "AgendaFilters",
    "edition_current",
    "edition_get",
    "edition_list",
    "phase_list",
    "phase_open_on",
    "submission_list_own",
    "submission_review_list",
    "submission_get",
    "submission_can_view",
    "submission_statistics",
    "session_list",
    "session_get",
    "session_scheduled_count",
    "session_outcome_get",
    "session_outcome_initial",
    "agenda_days",
    "agenda_facets",
    "outcome_document_data",
    "outcome_document_get",
    "outcome_document_ready",
    "milestone_get",
    "milestone_list",
    "milestone_future",
    "timeline",
    "home_teaser",
]


def edition_current() -> ForumEdition | None:
    """The edition the site shows first: the one marked current, else the latest."""
    return ForumEdition.objects.filter(is_current=True).first() or ForumEdition.objects.order_by("-year").first()


def edition_get(year: int) -> ForumEdition:
    edition = ForumEdition.objects.filter(year=year).first()
    if edition is None:
        raise Http404
    return edition


def edition_list() -> QuerySet[ForumEdition]:
    return ForumEdition.objects.annotate(
        session_count=Count("sessions", distinct=True),
    ).prefetch_related("phases").order_by("-year")


def phase_list(edition: ForumEdition) -> QuerySet[ConsultationPhase]:
    return edition.phases.order_by("number")


def phase_open_on(edition: ForumEdition, day: dt.date | None = None) -> ConsultationPhase | None:
    """The phase running on ``day`` (today by default), if any."""
    day = day or timezone.localdate()
    return edition.phases.filter(starts_on__lte=day, ends_on__gte=day).order_by("number").first()


def _submission_qs() -> QuerySet[Submission]:
    return (Submission.objects.select_related("edition", "phase", "organisation__stakeholder_type",
                                              "organisation__country", "commission", "submitted_by", "merged_into")
            .prefetch_related("action_lines", "goals", "speakers"))


def submission_list_own(user, edition: ForumEdition | None = None) -> QuerySet[Submission]:
    """What ``user`` submitted, or what was submitted for an organisation ``user`` belongs to."""
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    qs = _submission_qs().filter(Q(submitted_by=user) | Q(organisation__memberships__user=user)).distinct()
    if edition is not None:
        qs = qs.filter(edition=edition)
    return qs.order_by("-created_at", "-id")


def submission_review_list(edition: ForumEdition, *, kind: str = "", state: str = "", q: str = ""
                           ) -> QuerySet[Submission]:
    qs = _submission_qs().filter(edition=edition)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(organisation__name__icontains=q) | Q(summary__icontains=q))
    # Submissions awaiting a decision first: that is the secretariat's work queue.
    pending_first = Case(When(state=Submission.State.SUBMITTED, then=Value(0)), default=Value(1))
    return qs.order_by(pending_first, "kind", "-created_at", "-id")


def submission_can_view(user, submission: Submission) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if submission.submitted_by_id == user.pk or is_secretariat(user):
        return True
    if submission.organisation_id and user_is_org_member(user, submission.organisation):
        return True
    return bool(submission.commission_id
                and can_review_commission(user, submission.commission))


def submission_get(pk: int, user) -> Submission:
    """A submission its submitter, its organisation's members or the secretariat may see; 404 for others."""
    submission = _submission_qs().filter(pk=pk).first()
    if submission is None or not submission_can_view(user, submission):
        raise Http404
    return submission


def submission_statistics(edition: ForumEdition) -> dict:
    """The consultation's "final brief" figures: submissions by kind and state, stakeholder type and
    region, and the gender and region of the proposed speakers and nominees."""
    subs = Submission.objects.filter(edition=edition)
    kind_labels, state_labels = dict(SubmissionKind.choices), dict(Submission.State.choices)
    by_kind = {k: dict.fromkeys(Submission.State.values, 0) for k in SubmissionKind.values}
    for row in subs.values("kind", "state").annotate(n=Count("id")):
        by_kind[row["kind"]][row["state"]] = row["n"]
    kinds = [{"code": k, "label": kind_labels[k], "counts": [by_kind[k][s] for s in Submission.State.values],
              "total": sum(by_kind[k].values())} for k in SubmissionKind.values]

    stakeholder = list(subs.filter(organisation__isnull=False)
                       .values("organisation__stakeholder_type__code", "organisation__stakeholder_type__name_en")
                       .annotate(n=Count("id")).order_by("-n", "organisation__stakeholder_type__code"))
    type_names = {t.code: t.name for t in StakeholderType.objects.all()}
    by_stakeholder = [{"code": r["organisation__stakeholder_type__code"],
                       "label": type_names.get(r["organisation__stakeholder_type__code"], ""), "n": r["n"]}
                      for r in stakeholder]
    regions = (subs.filter(organisation__isnull=False)
               .values("organisation__country__region__m49").annotate(n=Count("id")).order_by("-n"))
    region_names = {r.m49: r.name for r in Region.objects.filter(level=Region.Level.REGION)}
    by_region = [{"code": r["organisation__country__region__m49"] or "",
                  "label": region_names.get(r["organisation__country__region__m49"], "—"), "n": r["n"]}
                 for r in regions]
    commission_count = subs.filter(commission__isnull=False).count()

    speakers = SubmissionSpeaker.objects.filter(submission__edition=edition)
    gender_counts = dict(speakers.values_list("gender").annotate(n=Count("id")).values_list("gender", "n"))
    region_counts = dict(speakers.values_list("region").annotate(n=Count("id")).values_list("region", "n"))
    total_speakers = sum(gender_counts.values())
    by_gender = [{"code": code, "label": label, "n": gender_counts.get(code, 0),
                  "share": round(100 * gender_counts.get(code, 0) / total_speakers, 1) if total_speakers else 0.0}
                 for code, label in Gender.choices]
    by_speaker_region = [{"code": code, "label": label, "n": region_counts.get(code, 0)}
                         for code, label in SpeakerRegion.choices]
    if region_counts.get(""):
        by_speaker_region.append({"code": "", "label": "—", "n": region_counts[""]})
    return {
        "states": [state_labels[s] for s in Submission.State.values],
        "kinds": kinds,
        "total": sum(k["total"] for k in kinds),
        "by_stakeholder": by_stakeholder,
        "by_region": by_region,
        "commission_count": commission_count,
        "by_gender": by_gender,
        "by_speaker_region": by_speaker_region,
        "speaker_total": total_speakers,
    }


@dataclass
class AgendaFilters:
    day: dt.date | None = None
    track: str = ""
    type: str = ""
    action_line: str = ""  # code, e.g. C7.4
    goal: int | None = None
    room: int | None = None
    scheduled_only: bool = True
    extra: dict = field(default_factory=dict)


def _session_qs() -> QuerySet[Session]:
    return (Session.objects.select_related("edition", "room", "organisation", "submission__submitted_by")
            .prefetch_related(
                Prefetch("action_lines", queryset=ActionLine.objects.order_by("order")),
                Prefetch("goals", queryset=Goal.objects.order_by("number")),
                "speakers"))


def session_list(edition: ForumEdition, filters: AgendaFilters | None = None) -> QuerySet[Session]:
    filters = filters or AgendaFilters()
    qs = _session_qs().filter(edition=edition)
    if filters.scheduled_only:
        qs = qs.filter(starts_at__isnull=False, room__isnull=False)
    if filters.day:
        tz = ZoneInfo(edition.timezone)
        start = dt.datetime.combine(filters.day, dt.time.min, tzinfo=tz)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    if filters.track:
        qs = qs.filter(track=filters.track)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.action_line:
        qs = qs.filter(action_lines__code=filters.action_line)
    if filters.goal:
        qs = qs.filter(goals__number=filters.goal)
    if filters.room:
        qs = qs.filter(room_id=filters.room)
    return qs.order_by("starts_at", "room__name", "title")


def session_get(edition: ForumEdition, pk: int) -> Session:
    session = _session_qs().select_related("outcome").filter(edition=edition, pk=pk).first()
    if session is None:
        raise Http404
    return session


def session_scheduled_count(edition: ForumEdition) -> int:
    """Sessions of the edition that have a room and a time."""
    return edition.sessions.filter(starts_at__isnull=False).count()


def session_outcome_get(session: Session) -> SessionOutcome | None:
    """The outcome reported for the session, with its action lines and SDGs; ``None`` before the report."""
    return SessionOutcome.objects.filter(session=session).prefetch_related("action_lines", "goals").first()


def session_outcome_initial(session: Session) -> dict:
    """The outcome form's starting values: the reported outcome, else the session's own action lines and SDGs."""
    existing = SessionOutcome.objects.filter(session=session).first()
    if existing:
        return {"key_points": existing.key_points, "action_lines": list(existing.action_lines.all()),
                "goals": list(existing.goals.all()), "lock_version": existing.lock_version}
    return {"action_lines": list(session.action_lines.all()), "goals": list(session.goals.all()), "lock_version": 0}


def agenda_days(edition: ForumEdition, sessions) -> list[dict]:
    """Sessions grouped by local day: ``[{"day": date, "sessions": [...]}, …]``."""
    tz = ZoneInfo(edition.timezone)
    days: dict[dt.date, list] = defaultdict(list)
    for s in sessions:
        days[s.starts_at.astimezone(tz).date()].append(s)
    return [{"day": day, "sessions": days[day]} for day in sorted(days)]


def agenda_facets(edition: ForumEdition) -> dict:
    """What the agenda can be filtered by: the days with sessions, the rooms."""
    tz = ZoneInfo(edition.timezone)
    starts = Session.objects.filter(edition=edition, starts_at__isnull=False).values_list("starts_at", flat=True)
    return {
        "days": sorted({s.astimezone(tz).date() for s in starts}),
        "rooms": list(edition.rooms.order_by("name")),
    }


def outcome_document_data(edition: ForumEdition) -> dict:
    """Everything the outcome document shows: sessions with outcomes grouped by the action lines they
    addressed, and the WSIS–SDG matrix of those sessions (number of sessions per action line × SDG)."""
    outcomes = list(
        SessionOutcome.objects.filter(session__edition=edition)
        .select_related("session__room", "session__organisation")
        .prefetch_related(Prefetch("action_lines", queryset=ActionLine.objects.order_by("order")),
                          Prefetch("goals", queryset=Goal.objects.order_by("number")), "session__speakers")
        .order_by("session__starts_at", "session__title")
    )
    lines = list(ActionLine.objects.filter(is_leaf=True).order_by("order"))
    goals = list(Goal.objects.order_by("number"))
    by_line: dict[int, list] = defaultdict(list)
    matrix: Counter = Counter()
    goal_totals: Counter = Counter()
    for outcome in outcomes:
        outcome_lines = list(outcome.action_lines.all())
        outcome_goals = list(outcome.goals.all())
        for al in outcome_lines:
            by_line[al.pk].append(outcome)
            for goal in outcome_goals:
                matrix[(al.pk, goal.number)] += 1
        for goal in outcome_goals:
            goal_totals[goal.number] += 1
    groups = [{"action_line": al, "outcomes": by_line[al.pk]} for al in lines if by_line.get(al.pk)]
    rows = [{"action_line": al, "cells": [matrix.get((al.pk, g.number), 0) for g in goals],
             "total": len(by_line.get(al.pk, []))} for al in lines]
    codes = {al.pk: al.code for al in lines}
    return {
        "edition": edition,
        "timezone": ZoneInfo(edition.timezone),
        "outcomes": outcomes,
        "groups": groups,
        "goals": goals,
        "matrix_rows": rows,
        "matrix": {f"{codes[pk]}|{number}": n for (pk, number), n in matrix.items()},
        "goal_totals": [goal_totals.get(g.number, 0) for g in goals],
        "session_count": len(outcomes),
        "scheduled_count": Session.objects.filter(edition=edition, starts_at__isnull=False).count(),
        "link_count": sum(matrix.values()),
    }


def outcome_document_get(edition: ForumEdition) -> OutcomeDocument | None:
    """The edition's outcome document in whatever state it is; ``None`` before the first compilation."""
    return OutcomeDocument.objects.filter(edition=edition).first()


def outcome_document_ready(edition: ForumEdition, *, include_drafts: bool = False) -> OutcomeDocument:
    """The edition's outcome document with its files built — published, or a draft for the secretariat
    (``include_drafts``) — or 404."""
    qs = OutcomeDocument.objects.filter(edition=edition, status=OutcomeDocument.Status.READY)
    if not include_drafts:
        qs = qs.filter(published_at__isnull=False)
    document = qs.first()
    if document is None:
        raise Http404
    return document


def milestone_get(slug: str) -> Milestone:
    milestone = Milestone.objects.filter(slug=slug).first()
    if milestone is None:
        raise Http404
    return milestone


def milestone_list(*, kind: str = "") -> QuerySet[Milestone]:
    qs = Milestone.objects.select_related("edition", "hlpf_session").prefetch_related(
        Prefetch("hlpf_session__goals", queryset=Goal.objects.order_by("number")))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("date", "slug")


def milestone_future(today: dt.date | None = None) -> QuerySet[Milestone]:
    today = today or timezone.localdate()
    return milestone_list().filter(Q(date__gte=today) | Q(end_date__gte=today))


def timeline(*, kind: str = "") -> list[dict]:
    """Milestones grouped by year: ``[{"year": 2003, "milestones": [...]}, …]``."""
    years: dict[int, list] = defaultdict(list)
    for m in milestone_list(kind=kind):
        years[m.date.year].append(m)
    return [{"year": y, "milestones": years[y]} for y in sorted(years)]


def hlpf_sessions() -> QuerySet[HLPFSession]:
    return HLPFSession.objects.prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("number")))


def home_teaser() -> dict | None:
    edition = edition_current()
    if edition is None:
        return None
    phase = phase_open_on(edition)
    return {
        "edition": edition,
        "phase": phase,
        "submission_count": edition.submissions.count(),
        "session_count": session_scheduled_count(edition),
    }

