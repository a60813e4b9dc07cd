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
