"""Review cycles: create, update and move between states."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wsis.core.concurrency import version_claim
from wsis.core.permissions import can_review_commission
from wsis.core.services import audit_record
from wsis.taxonomy.models import RegionalCommission

from .. import selectors
from ..models import Question, Questionnaire, ReviewCycle
from ._common import (
    ERR_NO_DEADLINE,
    ERR_NO_QUESTIONS,
    ERR_NOT_REVIEWER,
    ERR_PUBLISHED_LOCKED,
    ERR_WRONG_TRANSITION,
    _require_manager,
)

TRANSITIONS = {
    ReviewCycle.State.DRAFT: {ReviewCycle.State.OPEN},
    ReviewCycle.State.OPEN: {ReviewCycle.State.CLOSED},
    ReviewCycle.State.CLOSED: {ReviewCycle.State.OPEN},
    ReviewCycle.State.REPORT_DRAFTED: {ReviewCycle.State.OPEN},
    ReviewCycle.State.PUBLISHED: set(),
}



# ---------------------------------------------------------------------------------------------
# Cycles


@transaction.atomic
def cycle_create(*, commission: RegionalCommission, year: int, actor, title: str = "", theme: str = "",
                 opens_on: dt.date | None = None, closes_on: dt.date | None = None,
                 goals: Iterable | None = None) -> ReviewCycle:
    """A new draft cycle; theme and SDGs default to that year's HLPF session (or the latest one)."""
    if not can_review_commission(actor, commission):
        raise PermissionDenied(ERR_NOT_REVIEWER)
    session = selectors.hlpf_session_for_year(year)
    cycle = ReviewCycle(
        commission=commission, year=year, opens_on=opens_on, closes_on=closes_on, hlpf_session=session,
        title=title.strip() or str(_("%(commission)s regional review of WSIS implementation, %(year)s")
                                   % {"commission": commission.code, "year": year}),
        theme=theme.strip() or (session.theme_en if session else ""),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    cycle.full_clean()
    cycle.save()
    cycle.goals.set(list(goals) if goals is not None else (list(session.goals.all()) if session else []))
    Questionnaire.objects.create(cycle=cycle)
    audit_record(actor=actor, action="reviews.cycle.create", target=cycle, summary=str(cycle))
    return cycle


@transaction.atomic
def cycle_update(*, cycle: ReviewCycle, actor, title: str, theme: str, opens_on, closes_on,
                 goals: Iterable, expected_version: int | None = None) -> ReviewCycle:
    _require_manager(actor, cycle)
    version_claim(cycle, expected_version=expected_version)
    if cycle.state == ReviewCycle.State.PUBLISHED:
        raise ValidationError(ERR_PUBLISHED_LOCKED)
    cycle.title, cycle.theme, cycle.opens_on, cycle.closes_on = title.strip(), theme.strip(), opens_on, closes_on
    cycle.full_clean()
    cycle.save()
    cycle.goals.set(list(goals))
    audit_record(actor=actor, action="reviews.cycle.update", target=cycle, summary=str(cycle))
    return cycle


@transaction.atomic
def cycle_transition(*, cycle: ReviewCycle, to_state: str, actor) -> ReviewCycle:
    """Open, close or reopen the questionnaire. Report states follow the report services."""
    _require_manager(actor, cycle)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if to_state not in TRANSITIONS.get(cycle.state, set()):
        raise ValidationError(ERR_WRONG_TRANSITION % {
            "from": cycle.get_state_display(), "to": ReviewCycle.State(to_state).label
            if to_state in ReviewCycle.State.values else to_state})
    if to_state == ReviewCycle.State.OPEN:
        if not Question.objects.filter(section__questionnaire__cycle=cycle).exists():
            raise ValidationError(ERR_NO_QUESTIONS)
        if cycle.closes_on is None:
            raise ValidationError({"closes_on": ERR_NO_DEADLINE})
    previous = cycle.state
    cycle.state = to_state
    cycle.save(update_fields=["state", "updated_at"])
    verb = {ReviewCycle.State.OPEN: "open", ReviewCycle.State.CLOSED: "close"}[to_state]
    audit_record(actor=actor, action=f"reviews.cycle.{verb}", target=cycle,
                 summary=f"{cycle}: {previous} → {to_state}")
    return cycle


