"""Helpers to build review cycles for tests: a cycle with a questionnaire, invitations and focal points."""

from __future__ import annotations

import datetime as dt

from wsis.accounts.tests.factories import UserFactory, grant_role
from wsis.core.permissions import Role
from wsis.reviews import services
from wsis.reviews.models import Question, ReviewCycle
from wsis.taxonomy.models import ActionLine, Country, RegionalCommission


def commission(code: str) -> RegionalCommission:
    return RegionalCommission.objects.get(code=code)


def country(iso3: str) -> Country:
    return Country.objects.get(iso3=iso3)


def reviewer(code: str = "ESCAP", **kwargs):
    user = UserFactory(**kwargs)
    grant_role(user, Role.REGIONAL_REVIEWER, commission(code))
    return user


def focal_point(iso3: str, **kwargs):
    user = UserFactory(**kwargs)
    grant_role(user, Role.FOCAL_POINT, country(iso3))
    return user


def make_cycle(*, actor, code: str = "ESCAP", year: int = 2025, action_lines=("C1", "C7.4"),
               starter: bool = True, closes_on=None) -> ReviewCycle:
    cycle = services.cycle_create(commission=commission(code), year=year, actor=actor,
                                  opens_on=dt.date(year, 1, 15), closes_on=closes_on or dt.date(year, 3, 31))
    als = list(ActionLine.objects.filter(code__in=action_lines))
    if starter:
        services.questionnaire_add_starter(cycle=cycle, action_lines=als, actor=actor)
    else:
        services.questionnaire_add_sections(cycle=cycle, action_lines=als, actor=actor)
    return cycle


def question(cycle: ReviewCycle, code: str) -> Question:
    return Question.objects.get(section__questionnaire__cycle=cycle, code=code)


def invite(cycle, actor, *users_by_iso3):
    for iso3, user in users_by_iso3:
        services.invitation_create(cycle=cycle, country=country(iso3), email=user.email, actor=actor)
