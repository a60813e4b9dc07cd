"""Matrix, gaps, trends and profiles on the hand-made dataset of conftest.py, against counts by hand.

    id  org (type, base)    state      year  countries      action lines  SDGs     targets        groups
    I1  gov  KEN            published  2018  KEN            C1 C2         1 9      9.c 1.4        women_girls
    I2  civil society NPL   published  2020  NPL            C1            1 2      –              youth
    I3  gov  KEN            published  2021  RWA ETH        C2            9        9.c            –
    I4  private FRA         published  2015  FRA            C5            9 4      4.4            –
    I5  gov  KEN            draft      2020  KEN            C1            1        –              –
    I6  civil society NPL   published  2022  (global)       C1            17       –              –
    I7  gov  KEN            published  2019  HTI KEN        C1 C5         1 16     16.10          –

Region 002 is Africa: KEN (not LDC), RWA, ETH (LDC). HTI is an LDC in the Americas.
"""

import pytest

from wsis.analytics import selectors
from wsis.stocktaking.filters import InitiativeFilters
from wsis.taxonomy.models import ActionLine, Goal, MatrixLink, Target

pytestmark = pytest.mark.django_db


def grid(matrix):
    return {(al.code, c.goal.number): c.count for al, cells, _t in matrix.rows for c in cells if c.count}


def test_matrix_counts_published_initiatives_per_cell_and_totals(dataset):
    m = selectors.coverage_matrix(InitiativeFilters())
    assert grid(m) == {
        ("C1", 1): 3, ("C1", 2): 1, ("C1", 9): 1, ("C1", 16): 1, ("C1", 17): 1,
        ("C2", 1): 1, ("C2", 9): 2,
        ("C5", 1): 1, ("C5", 4): 1, ("C5", 9): 1, ("C5", 16): 1,
    }
    totals = {al.code: t for al, _c, t in m.rows if t}
    assert totals == {"C1": 4, "C2": 2, "C5": 2}  # each initiative once per row
    goal_totals = {g.number: n for g, n in zip(m.goals, m.goal_totals, strict=True) if n}
    assert goal_totals == {1: 3, 2: 1, 4: 1, 9: 3, 16: 1, 17: 1}
    assert m.total == 6  # the draft I5 is not counted


def test_matrix_marks_gaps_and_cells_beyond_the_matrix(dataset):
    m = selectors.coverage_matrix(InitiativeFilters())
    cells = {(al.code, c.goal.number): c for al, cells, _t in m.rows for c in cells}
    # The reference Matrix links C1 to SDG 1 but not to SDG 2.
    assert MatrixLink.objects.filter(action_line__code="C1", goal__number=1).exists()
    assert not MatrixLink.objects.filter(action_line__code="C1", goal__number=2).exists()
    assert cells[("C1", 1)].state == "covered"
    assert cells[("C1", 2)].state == "unlinked"
    assert cells[("C1", 5)].state == "gap"  # linked, nobody works on it
    linked = MatrixLink.objects.values_list("action_line__code", "goal__number").distinct().count()
    assert m.gaps == linked - sum(1 for c in cells.values() if c.state == "covered")
    assert m.unlinked == sum(1 for c in cells.values() if c.state == "unlinked")


def test_region_ldc_stakeholder_type_and_year_range_combined(dataset):
    f = InitiativeFilters(region=["002"], group=["ldc"], stakeholder_type=["government"], year_from=2019, year_to=2021)
    m = selectors.coverage_matrix(f)
    # Africa ∩ LDC → RWA, ETH (I3); I7 is in KEN (Africa, not LDC) and HTI (LDC, not Africa): the
    # conditions hold for the same country, so I7 is out.
    assert grid(m) == {("C2", 9): 1}
    assert m.total == 1


def test_region_stakeholder_and_years_without_ldc(dataset):
    f = InitiativeFilters(region=["002"], stakeholder_type=["government"], year_from=2018, year_to=2019)
    m = selectors.coverage_matrix(f)
    assert grid(m) == {("C1", 1): 2, ("C1", 9): 1, ("C1", 16): 1, ("C2", 1): 1, ("C2", 9): 1, ("C5", 1): 1,
                       ("C5", 16): 1}
    assert m.total == 2


@pytest.mark.parametrize(("filters", "expected_total"), [
    (InitiativeFilters(kind=["platform"]), 1),
    (InitiativeFilters(status=["completed"]), 2),
    (InitiativeFilters(gender_marker=[2]), 1),
    (InitiativeFilters(target_group=["women_girls"]), 1),
    (InitiativeFilters(country=["npl"]), 1),
    (InitiativeFilters(commission=["ECE"]), 1),  # France
    (InitiativeFilters(group=["sids"]), 1),  # Haiti (I7)
    (InitiativeFilters(group=["lldc"]), 2),  # Nepal, Rwanda/Ethiopia
    (InitiativeFilters(year_from=2020), 3),
    (InitiativeFilters(group=["ldc", "sids"]), 3),  # any of the groups: Nepal (I2), Rwanda/Ethiopia (I3), Haiti (I7)
])
def test_each_filter_alone(dataset, filters, expected_total):
    assert selectors.coverage_matrix(filters).total == expected_total


def test_cell_drills_down_to_targets(dataset):
    detail = selectors.coverage_cell(InitiativeFilters(), action_line=ActionLine.objects.get(code="C2"),
                                     goal=Goal.objects.get(number=9))
    counts = {t.target.code: t.count for t in detail.targets if t.count}
    assert detail.count == 2 and counts == {"9.c": 2} and detail.untargeted == 0
    assert "action_line=C2" in detail.url and "goal=9" in detail.url
    c1 = selectors.coverage_cell(InitiativeFilters(), action_line=ActionLine.objects.get(code="C1"),
                                 goal=Goal.objects.get(number=1))
    assert c1.count == 3 and {t.target.code: t.count for t in c1.targets if t.count} == {"1.4": 1}
    assert c1.untargeted == 2


def test_gap_finder_counts_per_country_and_ranks_fewest_first(dataset):
    report = selectors.gap_finder(InitiativeFilters(region=["002"]))
    rows = {r.target.code: r for r in report.rows}
    assert report.countries == 54  # UN member states in Africa
    assert rows["9.c"].count == 2 and rows["9.c"].countries_reached == 3  # KEN, RWA, ETH
    assert rows["9.c"].per_country == round(2 / 54, 2)
    assert rows["16.10"].count == 1  # I7 through Kenya
    assert rows["4.4"].count == 0  # I4 is in France
    linked_targets = Target.objects.filter(matrix_links__isnull=False).distinct().count()
    assert len(report.rows) == linked_targets
    rates = [r.per_country for r in report.rows]
    assert rates == sorted(rates)
    europe = [a.label for a in report.areas].index("Europe")
    assert rows["4.4"].by_area[europe] > 0


def test_trends_by_action_line_stakeholder_and_region(dataset):
    report = selectors.trends(InitiativeFilters(year_from=2015, year_to=2022))
    assert report.years == list(range(2015, 2023))

    def series(rows, key):
        return {getattr(obj, key): {y: n for y, n in zip(report.years, values, strict=True) if n}
                for obj, values in rows if any(values)}

    assert series(report.by_action_line, "code") == {
        "C1": {2018: 1, 2019: 1, 2020: 1, 2022: 1}, "C2": {2018: 1, 2021: 1}, "C5": {2015: 1, 2019: 1}}
    assert series(report.by_stakeholder, "code") == {
        "government": {2018: 1, 2019: 1, 2021: 1}, "civil_society": {2020: 1, 2022: 1}, "private_sector": {2015: 1}}
    assert series(report.by_region, "m49") == {
        "002": {2018: 1, 2019: 1, 2021: 1}, "019": {2019: 1}, "142": {2020: 1}, "150": {2015: 1}}
    assert dict(zip(report.years, report.totals, strict=True)) == {
        2015: 1, 2016: 0, 2017: 0, 2018: 1, 2019: 1, 2020: 1, 2021: 1, 2022: 1}


def test_country_profile_by_action_line_sdg_and_partners(dataset):
    country, profile = selectors.country_profile("ken")
    assert country.iso3 == "KEN"
    assert profile.total == 2  # I1 and I7 (I5 is a draft)
    assert {al.code: n for al, n in profile.by_action_line if n} == {"C1": 2, "C2": 1, "C5": 1}
    assert {g.number: n for g, n in profile.by_goal if n} == {1: 2, 9: 1, 16: 1}
    assert {st.code: n for st, n in profile.by_stakeholder if n} == {"government": 2}
    assert profile.partners == [("ITU", 1), ("UNDP", 1)]
    assert profile.organisations[0][0] == "Kenya ICT Authority"


def test_region_profile_lists_countries(dataset):
    profile = selectors.area_profile(InitiativeFilters(region=["002"]), per_country=True)
    counts = {c.iso3: n for c, n in profile.by_country if n}
    assert counts == {"KEN": 2, "RWA": 1, "ETH": 1}
    assert profile.total == 3


def test_facilitator_dashboard_reach(dataset):
    board = selectors.facilitator_dashboard(ActionLine.objects.get(code="C5"))
    assert board.total == 2
    assert {g.number: n for g, n, _linked in board.by_goal if n} == {1: 1, 4: 1, 9: 1, 16: 1}
    assert {r.m49: n for r, n in board.by_region if n} == {"002": 1, "019": 1, "150": 1}
    assert [i.title for i in board.recent] and all(i.title != "I5 (draft)" for i in board.recent)
