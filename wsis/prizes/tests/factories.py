"""Factories for prize tests: contests in a given phase today, entries through the service, voters."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wsis.accounts.tests.factories import UserFactory, grant_role
from wsis.core.permissions import Role
from wsis.prizes import services
from wsis.prizes.models import Category, Contest, Entry, Phase
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.tests.factories import make_initiative, member
from wsis.taxonomy.models import Goal

PHASE_INDEX = {Phase.SUBMISSION: 0, Phase.NOMINATION: 1, Phase.VOTING: 2, Phase.SELECTION: 3}

#: 170 English words: within 150–200.
DESCRIPTION = " ".join(["Community"] + ["networks connect rural schools to the Internet"] * 24 + ["today."])[:10_000]


def words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


def dates_for(phase: str | None, today: dt.date | None = None) -> dict:
    """Phase dates of ten days each (a gap-free calendar) such that ``phase`` is open today.

    ``phase=None`` gives a finished contest (announced ten days ago); ``"before"`` one that opens tomorrow.
    """
    today = today or timezone.localdate()
    if phase is None:
        start = today - dt.timedelta(days=50)
    elif phase == "before":
        start = today + dt.timedelta(days=1)
    elif phase == Phase.ANNOUNCEMENT:
        start = today - dt.timedelta(days=40)
    else:
        start = today - dt.timedelta(days=10 * PHASE_INDEX[phase] + 1)

    def day(n):
        return start + dt.timedelta(days=n)

    return {"submission_opens": day(0), "submission_closes": day(9), "nomination_opens": day(10),
            "nomination_closes": day(19), "voting_opens": day(20), "voting_closes": day(29),
            "selection_opens": day(30), "selection_closes": day(39), "announcement_on": day(40)}


def secretariat():
    user = UserFactory()
    grant_role(user, Role.SECRETARIAT)
    return user


def make_contest(phase: str | None = Phase.SUBMISSION, *, year: int = 2040, actor=None, **settings) -> Contest:
    return services.contest_create(actor=actor or secretariat(), year=year, dates=dates_for(phase), **settings)


def category(contest: Contest, code: str = "C4") -> Category:
    return contest.categories.get(action_line__code=code)


def published(user=None, organisation=None, **overrides) -> Initiative:
    initiative = make_initiative(state=Initiative.State.PUBLISHED, user=user, organisation=organisation, **overrides)
    return initiative


def entry_kwargs(**overrides) -> dict:
    data = {"description": DESCRIPTION, "language": "en", "stage": Entry.Stage.MAJOR_PHASE,
            "stage_note": "The pilot in 40 schools ended in 2025.", "impact": "12,000 pupils online.",
            "partnerships": "The ministry and two operators.", "challenges": "Power supply.",
            "sdg_linkages": "Quality education (SDG 4).", "goals": [Goal.objects.get(number=4)],
            "gdc_objectives": [1], "gdc_linkages": "Closes the school connectivity divide."}
    data.update(overrides)
    return data


def make_entry(contest: Contest, *, code: str = "C4", initiative: Initiative | None = None, user=None,
               state: str = Entry.State.SUBMITTED, today: dt.date | None = None, **overrides) -> Entry:
    """An entry created through the service on the contest's first submission day, then set to ``state``."""
    initiative = initiative or published(user=user, title=overrides.pop("title", f"Project {Entry.objects.count()}"))
    user = user or initiative.created_by
    entry = services.entry_create(actor=user, contest=contest, initiative=initiative, category=category(contest, code),
                                  today=contest.submission_opens, **entry_kwargs(**overrides))
    if state != Entry.State.SUBMITTED:
        Entry.objects.filter(pk=entry.pk).update(state=state)
        entry.refresh_from_db()
    return entry


def voter(**kwargs):
    return UserFactory(**kwargs)


def expert(contest: Contest | None = None, categories=()):
    user = UserFactory()
    grant_role(user, Role.PRIZE_EXPERT, contest)
    for cat in categories:
        services.expert_assign(actor=secretariat(), category=cat, expert=user)
    return user


__all__ = ["DESCRIPTION", "words", "dates_for", "secretariat", "make_contest", "category", "published", "entry_kwargs",
           "make_entry", "voter", "expert", "member"]
