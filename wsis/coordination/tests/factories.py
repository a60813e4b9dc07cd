"""Helpers for coordination tests: users with the facilitator roles, road maps written through the services."""

from __future__ import annotations

import datetime as dt

from wsis.accounts.tests.factories import UserFactory, grant_role
from wsis.coordination import services
from wsis.core.permissions import Role
from wsis.taxonomy.models import ActionLine


def line(code: str) -> ActionLine:
    return ActionLine.objects.get(code=code)


def facilitator(code: str):
    user = UserFactory()
    grant_role(user, Role.FACILITATOR, line(code))
    return user


def cofacilitator(code: str):
    user = UserFactory()
    grant_role(user, Role.CO_FACILITATOR, line(code))
    return user


def secretariat():
    user = UserFactory()
    grant_role(user, Role.SECRETARIAT)
    return user


def milestone(actor, code: str, title: str = "Workshops held", due=dt.date(2030, 12, 31), **kwargs):
    return services.milestone_save(actor=actor, action_line=line(code), title=title, due_date=due, **kwargs)
