"""Search and the analytics matrix follow every input of their derived data (PostgreSQL).

On PostgreSQL search reads stored facet tokens built from the initiative's organisation and
countries; these tests change each input through the service that owns it — an organisation's
type, a country's LDC status, a reference reload that moves a country into a commission, the
classifier's accepted tags — and check that search results, facet counts and the coverage matrix
show the new state. On SQLite search reads the live tables, so there is nothing derived to test.
"""

import copy

import pytest
from django.db import connection

from wsis.accounts.models import Membership
from wsis.accounts.services import organisation_update
from wsis.analytics.selectors import coverage_matrix
from wsis.classify.services import initiative_tags_accept
from wsis.core.events import REFERENCE_DATA_RELOADED, emit
from wsis.core.models import AuditLog
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative, TagSource
from wsis.stocktaking.search import initiative_facets, initiative_search
from wsis.taxonomy.models import Country, StakeholderType
from wsis.taxonomy.reference import DATA_DIR, parse_all
from wsis.taxonomy.services import reference_load

from .factories import OrganisationFactory, make_initiative, member, moderator

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="search tokens are stored on PostgreSQL only (SQLite reads the live tables)"),
]


def found(**filters) -> set[int]:
    return set(initiative_search(InitiativeFilters(**filters), relations=False).values_list("pk", flat=True))


def facet_count(facet: str, value: str) -> int:
    _total, facets = initiative_facets(InitiativeFilters())
    options = next((f.options for f in facets if f.name == facet), [])  # a facet with no counts is left out
    return next((o.count for o in options if o.value == value), 0)


def cell(filters: InitiativeFilters, action_line_code: str = "C4", goal_number: int = 4) -> int:
    matrix = coverage_matrix(filters, with_urls=False)
    for al, cells, _total in matrix.rows:
        if al.code == action_line_code:
            return next(c.count for c in cells if c.goal.number == goal_number)
    raise AssertionError(action_line_code)


@pytest.fixture
def kenyan(django_capture_on_commit_callbacks):
    """A published initiative in Kenya (C4, SDG 4) by a government organisation."""
    organisation = OrganisationFactory(stakeholder_type=StakeholderType.objects.get(code="government"))
    with django_capture_on_commit_callbacks(execute=True):
        return make_initiative(state=Initiative.State.PUBLISHED, organisation=organisation)


def test_changing_the_organisation_type_moves_its_initiatives_in_search_and_the_matrix(
        kenyan, django_capture_on_commit_callbacks):
    civil = StakeholderType.objects.get(code="civil_society")
    before = facet_count("stakeholder_type", "civil_society"), cell(InitiativeFilters(stakeholder_type=["civil_society"]))
    assert kenyan.pk not in found(stakeholder_type=["civil_society"])

    admin = member(kenyan.organisation, role=Membership.Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(actor=admin, organisation=kenyan.organisation, stakeholder_type=civil)

    assert kenyan.pk in found(stakeholder_type=["civil_society"])
    assert kenyan.pk not in found(stakeholder_type=["government"])
    assert facet_count("stakeholder_type", "civil_society") == before[0] + 1
    assert cell(InitiativeFilters(stakeholder_type=["civil_society"])) == before[1] + 1


def _reference_with(change) -> None:
    data = copy.deepcopy(parse_all(DATA_DIR))
    change(data)
    reference_load(data=data)


def test_a_country_becoming_an_ldc_brings_its_initiatives_into_the_ldc_group(
        kenyan, django_capture_on_commit_callbacks):
    assert not Country.objects.get(iso3="KEN").ldc
    before = facet_count("group", "ldc"), cell(InitiativeFilters(group=["ldc"]))
    assert kenyan.pk not in found(group=["ldc"])

    def kenya_is_ldc(data):
        next(g for g in data.groups if g["code"] == "LDC")["members"].append("KEN")

    with django_capture_on_commit_callbacks(execute=True):
        _reference_with(kenya_is_ldc)

    assert Country.objects.get(iso3="KEN").ldc
    assert kenyan.pk in found(group=["ldc"])
    assert facet_count("group", "ldc") == before[0] + 1
    assert cell(InitiativeFilters(group=["ldc"])) == before[1] + 1


def test_a_reference_reload_that_moves_a_country_into_a_commission_moves_its_initiatives(
        kenyan, django_capture_on_commit_callbacks):
    assert not Country.objects.get(iso3="KEN").commission_memberships.filter(commission__code="ESCWA").exists()
    before = facet_count("commission", "ESCWA"), cell(InitiativeFilters(commission=["ESCWA"]))
    assert kenyan.pk not in found(commission=["ESCWA"])

    def kenya_joins_escwa(data):
        next(c for c in data.commissions if c["code"] == "ESCWA")["members"].append("KEN")

    with django_capture_on_commit_callbacks(execute=True):
        _reference_with(kenya_joins_escwa)

    assert kenyan.pk in found(commission=["ESCWA"])
    assert kenyan.pk in found(commission=["ECA"])  # still in its own commission too
    assert facet_count("commission", "ESCWA") == before[0] + 1
    assert cell(InitiativeFilters(commission=["ESCWA"])) == before[1] + 1


def test_a_reload_that_changes_a_code_in_the_tokens_rebuilds_them(kenyan, django_capture_on_commit_callbacks):
    # Reloads match rows on their codes, so no file can change one; the handler is there for the day a
    # code does change (here by hand, as a migration would).
    StakeholderType.objects.filter(code="government").update(code="public_sector")
    with django_capture_on_commit_callbacks(execute=True):
        emit(REFERENCE_DATA_RELOADED, fields=frozenset({"taxonomy.StakeholderType.code"}))
    assert kenyan.pk in found(stakeholder_type=["public_sector"])
    assert facet_count("stakeholder_type", "public_sector") >= 1


def test_accepted_classifier_tags_show_in_search_and_the_matrix(kenyan, django_capture_on_commit_callbacks):
    before = facet_count("goal", "5"), cell(InitiativeFilters(), "C4", 5)
    assert kenyan.pk not in found(goal=[5])

    user = moderator()
    with django_capture_on_commit_callbacks(execute=True):
        result = initiative_tags_accept(user=user, initiative=kenyan, goals=[5], targets=["5.b"])

    assert result.goals_added == [5] and result.targets_added == ["5.b"]
    assert kenyan.pk in found(goal=[5]) and kenyan.pk in found(target=["5.b"])
    assert facet_count("goal", "5") == before[0] + 1
    assert cell(InitiativeFilters(), "C4", 5) == before[1] + 1
    # Through the stocktaking service: a revision and its audit row, tags labelled by their source.
    assert kenyan.revisions.order_by("-number").first().reason == "Tags accepted from the classifier"
    assert AuditLog.objects.filter(action="stocktaking.initiative.add_tags", target_id=str(kenyan.pk),
                                   data__source=TagSource.CLASSIFIER).exists()
