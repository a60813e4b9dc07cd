"""Analytics counts follow initiatives through the real services: publish, update, archive, classifier tags."""

import pytest

from wsis.analytics.models import CoverageFact
from wsis.analytics.selectors import coverage_matrix
from wsis.classify.services import initiative_tags_accept
from wsis.stocktaking import services
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative
from wsis.taxonomy.models import Goal

from .factories import make_initiative, moderator

pytestmark = pytest.mark.django_db


def cell(action_line_code: str, goal_number: int) -> int:
    matrix = coverage_matrix(InitiativeFilters(), with_urls=False)
    for al, cells, _total in matrix.rows:
        if al.code == action_line_code:
            return next(c.count for c in cells if c.goal.number == goal_number)
    raise AssertionError(action_line_code)


def test_publishing_counts_and_archiving_uncounts():
    before = cell("C4", 4)
    initiative = make_initiative(state=Initiative.State.SUBMITTED)
    assert cell("C4", 4) == before  # not published: not counted
    services.initiative_approve(user=moderator(), initiative=initiative)
    assert cell("C4", 4) == before + 1
    services.initiative_archive(user=moderator(), initiative=initiative, reason="Ended long ago.")
    assert cell("C4", 4) == before
    assert not CoverageFact.objects.filter(initiative=initiative).exists()


def test_classifier_tags_accepted_on_a_published_initiative_are_counted():
    initiative = make_initiative(state=Initiative.State.PUBLISHED)
    before = cell("C4", 5)
    initiative_tags_accept(user=moderator(), initiative=initiative, goals=[5], targets=[])
    assert initiative.goal_tags.filter(goal=Goal.objects.get(number=5)).exists()
    assert cell("C4", 5) == before + 1
