"""A small factory for initiatives with tags, for analytics tests (the stocktaking app owns the model)."""

from wsis.accounts.tests.factories import OrganisationFactory
from wsis.analytics.services import coverage_refresh_initiative
from wsis.stocktaking.models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeTarget,
    InitiativeTargetGroup,
)
from wsis.taxonomy.models import ActionLine, Country, Goal, StakeholderType, Target


def organisation(stakeholder_type: str = "government", iso3: str = "KEN", **kwargs):
    return OrganisationFactory(stakeholder_type=StakeholderType.objects.get(code=stakeholder_type),
                               country=Country.objects.get(iso3=iso3), **kwargs)


def make_initiative(*, org, state: str = "published", year: int | None = 2020, kind: str = "project",
                    status: str = "ongoing", gender_marker: int = 0, countries=(), action_lines=("C1",), goals=(),
                    targets=(), groups=(), title: str = "An initiative", partners: str = "",
                    refresh: bool = True) -> Initiative:
    """Create an initiative with its tags (codes and numbers), then refresh the coverage table as the
    stocktaking services do after every change."""
    initiative = Initiative.objects.create(
        title=title, summary="Summary.", organisation=org, state=state, year=year, kind=kind, status=status,
        gender_marker=gender_marker, partners=partners,
    )
    initiative.countries.set(Country.objects.filter(iso3__in=countries))
    for n, code in enumerate(action_lines):
        InitiativeActionLine.objects.create(initiative=initiative, action_line=ActionLine.objects.get(code=code),
                                            is_primary=n == 0)
    for number in goals:
        InitiativeGoal.objects.create(initiative=initiative, goal=Goal.objects.get(number=number))
    for code in targets:
        InitiativeTarget.objects.create(initiative=initiative, target=Target.objects.get(code=code))
    for group in groups:
        InitiativeTargetGroup.objects.create(initiative=initiative, group=group)
    if refresh:
        coverage_refresh_initiative(initiative.pk)
    return initiative
