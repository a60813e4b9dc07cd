"""Search matches organisation names, and the cached lookup follows a renamed organisation."""

import pytest
from django.core.cache import cache

from wsis.accounts import services as account_services
from wsis.accounts.models import Membership
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative
from wsis.stocktaking.search import initiative_search
from wsis.stocktaking.tests.factories import make_initiative, member

pytestmark = pytest.mark.django_db


def found(q: str) -> set[int]:
    return set(initiative_search(InitiativeFilters(q=q), relations=False).values_list("pk", flat=True))


def test_a_renamed_organisation_is_found_by_its_new_name_at_once(django_capture_on_commit_callbacks):
    cache.clear()
    initiative = make_initiative(state=Initiative.State.PUBLISHED, title="School connectivity")
    organisation = initiative.organisation
    admin = member(organisation, role=Membership.Role.ADMIN)
    assert initiative.pk not in found("Quetzalcoatl")  # asked once: the empty answer is now cached
    with django_capture_on_commit_callbacks(execute=True):
        account_services.organisation_update(actor=admin, organisation=organisation, name="Quetzalcoatl Trust")
    assert initiative.pk in found("Quetzalcoatl")


def test_a_new_organisation_is_found_by_name_though_the_word_was_searched_before(django_capture_on_commit_callbacks):
    """The name matches are cached under their own generation, which publications do not move; creating
    an organisation moves it, so a word asked before the organisation existed finds it afterwards."""
    from wsis.accounts.tests.factories import UserFactory
    from wsis.taxonomy.models import Country, StakeholderType

    cache.clear()
    assert not found("Xochiquetzal")  # the empty answer is now cached
    founder = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        organisation = account_services.organisation_create(
            actor=founder, name="Xochiquetzal Network", stakeholder_type=StakeholderType.objects.first(),
            country=Country.objects.get(iso3="MEX"))
    with django_capture_on_commit_callbacks(execute=True):
        initiative = make_initiative(state=Initiative.State.PUBLISHED, user=founder, organisation=organisation,
                                     title="Community radio")
    assert found("Xochiquetzal") == {initiative.pk}


def test_publishing_leaves_the_cached_name_matches_in_place(django_capture_on_commit_callbacks):
    from wsis.stocktaking.services import organisation_names_generation, search_generation

    cache.clear()
    names, searches = organisation_names_generation(), search_generation()
    with django_capture_on_commit_callbacks(execute=True):
        make_initiative(state=Initiative.State.PUBLISHED, title="Solar-powered school labs")
    assert search_generation() > searches
    assert organisation_names_generation() == names
