"""Factories and helpers for stocktaking tests: initiatives with tags, in any state, through the services."""

from __future__ import annotations

import datetime as dt

import factory

from wsis.accounts.models import Membership
from wsis.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory, grant_role
from wsis.core.permissions import Role
from wsis.stocktaking import services
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.snapshots import InitiativeData
from wsis.taxonomy.models import ActionLine, Country, Goal, Target


def complete_data(**overrides) -> InitiativeData:
    """Content that passes full validation: Kenya, C4 (capacity building), SDG 4 target 4.4."""
    data = InitiativeData(
        title="Digital skills for rural youth", summary="Trains young people in rural Kenya in digital skills.",
        description="Courses in community centres.", start_date=dt.date(2024, 1, 15),
        countries=[Country.objects.get(iso3="KEN")], primary_action_line=ActionLine.objects.get(code="C4"),
        goals=[Goal.objects.get(number=4)], targets=[Target.objects.get(code="4.4")], target_groups=["youth"],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def member(organisation=None, role=Membership.Role.EDITOR):
    """A user who belongs to ``organisation`` (a new one by default)."""
    membership = MembershipFactory(organisation=organisation or OrganisationFactory(), role=role)
    return membership.user


def moderator():
    user = UserFactory()
    grant_role(user, Role.MODERATOR)
    return user


def make_initiative(*, state: str = Initiative.State.DRAFT, user=None, organisation=None, **overrides) -> Initiative:
    """An initiative created and moved to ``state`` through the real services."""
    if user is None:
        user = member(organisation)
    organisation = organisation or user.memberships.first().organisation
    initiative = services.initiative_create(user=user, organisation=organisation, data=complete_data(**overrides))
    if state == Initiative.State.DRAFT:
        return initiative
    initiative = services.initiative_submit(user=user, initiative=initiative, confirm_distinct=True)
    if state == Initiative.State.SUBMITTED:
        return initiative
    mod = moderator()
    if state == Initiative.State.IN_REVIEW:
        return services.initiative_start_review(user=mod, initiative=initiative)
    if state == Initiative.State.PUBLISHED:
        return services.initiative_approve(user=mod, initiative=initiative)
    if state == Initiative.State.RETURNED:
        return services.initiative_return(user=mod, initiative=initiative, comment="Please add the end date.")
    if state == Initiative.State.REJECTED:
        return services.initiative_reject(user=mod, initiative=initiative, reason="Not an ICT initiative.")
    if state == Initiative.State.ARCHIVED:
        initiative = services.initiative_approve(user=mod, initiative=initiative)
        return services.initiative_archive(user=mod, initiative=initiative)
    raise ValueError(state)


__all__ = ["complete_data", "member", "moderator", "make_initiative", "UserFactory", "OrganisationFactory",
           "factory"]
