"""The hand-made dataset every analytics test counts by hand (see the table in test_selectors.py)."""

import pytest

from .factories import make_initiative, organisation


@pytest.fixture
def dataset(db):
    gov_ken = organisation("government", "KEN", name="Kenya ICT Authority")
    cs_npl = organisation("civil_society", "NPL", name="Nepal Digital Forum")
    priv_fra = organisation("private_sector", "FRA", name="Paris Tech SA")
    return {
        "I1": make_initiative(org=gov_ken, year=2018, kind="project", countries=["KEN"], action_lines=["C1", "C2"],
                              goals=[1, 9], targets=["9.c", "1.4"], groups=["women_girls"], title="I1",
                              partners="UNDP\nITU"),
        "I2": make_initiative(org=cs_npl, year=2020, kind="capacity_building", status="completed", gender_marker=2,
                              countries=["NPL"], action_lines=["C1"], goals=[1, 2], groups=["youth"], title="I2",
                              partners="ITU"),
        "I3": make_initiative(org=gov_ken, year=2021, kind="policy", gender_marker=1, countries=["RWA", "ETH"],
                              action_lines=["C2"], goals=[9], targets=["9.c"], title="I3"),
        "I4": make_initiative(org=priv_fra, year=2015, kind="platform", status="completed", countries=["FRA"],
                              action_lines=["C5"], goals=[9, 4], targets=["4.4"], title="I4"),
        "I5": make_initiative(org=gov_ken, state="draft", year=2020, countries=["KEN"], action_lines=["C1"],
                              goals=[1], title="I5 (draft)"),
        "I6": make_initiative(org=cs_npl, year=2022, countries=[], action_lines=["C1"], goals=[17], title="I6"),
        "I7": make_initiative(org=gov_ken, year=2019, countries=["HTI", "KEN"], action_lines=["C1", "C5"],
                              goals=[1, 16], targets=["16.10"], title="I7"),
    }
