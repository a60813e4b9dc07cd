"""CoverageFact stays equal to plain SQL over the registry whatever happens to initiatives.

Every check compares the selector (pre-aggregated) with ``reference_sql`` (GROUP BY over the live
stocktaking tables) for several filter combinations.
"""

import random

import pytest

from wsis.analytics import selectors
from wsis.analytics.models import CoverageFact
from wsis.analytics.reference_sql import matrix_sql, target_counts_sql, target_reach_sql, trends_sql
from wsis.analytics.services import coverage_rebuild, coverage_refresh, coverage_refresh_initiative
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative, InitiativeActionLine, InitiativeGoal
from wsis.taxonomy.models import ActionLine, Goal

from .factories import make_initiative, organisation

pytestmark = pytest.mark.django_db

FILTERS = [
    InitiativeFilters(),
    InitiativeFilters(region=["002"], group=["ldc"], stakeholder_type=["government"], year_from=2019, year_to=2021),
    InitiativeFilters(commission=["ESCAP"], kind=["project"]),
    InitiativeFilters(gender_marker=[1], group=["sids"]),
    InitiativeFilters(region=["019"], group=["ldc", "sids"]),
    InitiativeFilters(target_group=["youth"], status=["ongoing"]),
    InitiativeFilters(country=["KEN"], year_to=2020),
]


def selector_counts(f):
    m = selectors.coverage_matrix(f, with_urls=False)
    out = {(al.pk, c.goal.pk): c.count for al, cells, _t in m.rows for c in cells if c.count}
    out.update({(al.pk, None): t for al, _c, t in m.rows if t})
    out.update({(None, g.pk): n for g, n in zip(m.goals, m.goal_totals, strict=True) if n})
    out[(None, None)] = m.total
    return out


def assert_agrees():
    for f in FILTERS:
        assert selector_counts(f) == matrix_sql(f), f


@pytest.fixture
def random_registry(db):
    rng = random.Random(7)
    orgs = [organisation(t, c) for t, c in [("government", "KEN"), ("civil_society", "NPL"),
                                            ("private_sector", "THA"), ("academia", "FJI")]]
    countries = ["KEN", "NPL", "THA", "FJI", "HTI", "RWA", "FRA", "BRA", "ETH", "BTN"]
    codes = list(ActionLine.objects.filter(is_leaf=True).values_list("code", flat=True))
    made = []
    for n in range(40):
        made.append(make_initiative(
            org=rng.choice(orgs), state=rng.choice(["published"] * 4 + ["draft", "archived"]),
            year=rng.choice([None, 2016, 2019, 2020, 2021, 2024]), kind=rng.choice(["project", "policy"]),
            status=rng.choice(["ongoing", "completed"]), gender_marker=rng.choice([0, 1, 2]),
            countries=rng.sample(countries, rng.randint(0, 3)), action_lines=rng.sample(codes, rng.randint(1, 3)),
            goals=rng.sample(range(1, 18), rng.randint(0, 3)), groups=rng.sample(["youth", "rural"], rng.randint(0, 1)),
            title=f"R{n}",
        ))
    return made


def test_selectors_equal_plain_sql_on_a_random_registry(random_registry):
    assert_agrees()
    for f in FILTERS:
        report = selectors.trends(f)
        raw = trends_sql(f)
        got = {(y, al.pk): n for al, values in report.by_action_line for y, n in zip(report.years, values, strict=True)
               if n}
        assert got == {k: v for k, v in raw["action_line"].items() if k[0] in report.years}
        got = {(y, r.pk): n for r, values in report.by_region for y, n in zip(report.years, values, strict=True) if n}
        assert got == {k: v for k, v in raw["region"].items() if k[0] in report.years}
        gaps = selectors.gap_finder(f, compare=False)
        raw_targets = target_counts_sql(f)
        assert {r.target.pk: r.count for r in gaps.rows if r.count} == {
            t: n for t, n in raw_targets.items() if t in {r.target.pk for r in gaps.rows}}
        raw_reach = target_reach_sql(f)
        assert {r.target.pk: r.countries_reached for r in gaps.rows if r.countries_reached} == {
            t: n for t, n in raw_reach.items() if t in {r.target.pk for r in gaps.rows}}


def test_publishing_unpublishing_retagging_and_deleting_keep_counts_right(random_registry):
    draft = next(i for i in random_registry if i.state == "draft")
    published = [i for i in random_registry if i.state == "published"]
    # Publish a draft.
    Initiative.objects.filter(pk=draft.pk).update(state="published")
    coverage_refresh_initiative(draft.pk)
    assert_agrees()
    # Archive a published one.
    Initiative.objects.filter(pk=published[0].pk).update(state="archived")
    coverage_refresh_initiative(published[0].pk)
    assert_agrees()
    # Change attributes and tags of another.
    target = published[1]
    Initiative.objects.filter(pk=target.pk).update(year=2003, kind="policy", gender_marker=2)
    InitiativeGoal.objects.filter(initiative=target).delete()
    InitiativeGoal.objects.create(initiative=target, goal=Goal.objects.get(number=5))
    InitiativeActionLine.objects.filter(initiative=target, is_primary=False).delete()
    target.countries.set([])
    coverage_refresh(initiative_ids=[target.pk])
    assert_agrees()
    # Delete one: its rows go with it (foreign key cascade), no refresh needed.
    published[2].delete()
    assert_agrees()


def test_country_status_changes_apply_without_a_refresh(random_registry):
    # LDC status is read live from the taxonomy, never copied into the coverage table.
    from wsis.taxonomy.models import Country

    before = selectors.coverage_matrix(InitiativeFilters(group=["ldc"]), with_urls=False).total
    Country.objects.filter(iso3="BTN").update(ldc=not Country.objects.get(iso3="BTN").ldc)
    after = selectors.coverage_matrix(InitiativeFilters(group=["ldc"]), with_urls=False).total
    assert after == matrix_sql(InitiativeFilters(group=["ldc"]))[(None, None)]
    assert before != after or not Initiative.objects.filter(countries__iso3="BTN", state="published").exists()


def test_rebuild_gives_the_same_rows_as_incremental_refreshes(random_registry):
    incremental = sorted(CoverageFact.objects.values_list("initiative_id", "action_line_id", "goal_id", "year"),
                         key=str)
    coverage_rebuild()
    rebuilt = sorted(CoverageFact.objects.values_list("initiative_id", "action_line_id", "goal_id", "year"), key=str)
    assert incremental == rebuilt
    assert_agrees()


def test_rebuild_command_and_demo_step(random_registry):
    from io import StringIO

    from django.core.management import call_command

    from wsis.analytics.demo import seed
    from wsis.core.demo import DemoContext

    out = StringIO()
    call_command("coverage_rebuild", stdout=out)
    assert "Coverage table rebuilt" in out.getvalue()
    assert_agrees()
    CoverageFact.objects.filter(action_line__isnull=True, goal__isnull=True)[:1].get().delete()
    log = StringIO()
    seed(DemoContext(seed=1, initiatives=0, stdout=log))  # notices the missing roll-up row and rebuilds
    assert "rebuilt" in log.getvalue()
    assert_agrees()
