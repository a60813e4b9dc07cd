"""load_reference: the counts the issue names, idempotence, and all-or-nothing on malformed files."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from wsis.taxonomy import models
from wsis.taxonomy.reference import DATA_DIR, ReferenceDataError, parse_all
from wsis.taxonomy.services import reference_load

pytestmark = pytest.mark.django_db


class TestReferenceCounts:
    def test_eighteen_action_line_units_with_c7_parent(self):
        assert models.ActionLine.objects.filter(is_leaf=True).count() == 18
        c7 = models.ActionLine.objects.get(code="C7")
        assert not c7.is_leaf
        assert sorted(c7.children.values_list("code", flat=True)) == [f"C7.{i}" for i in range(1, 9)]

    def test_facilitators_follow_the_facts(self):
        roles = {(r.action_line.code, r.agency.code): r.role for r in models.ActionLineFacilitator.objects.all()}
        assert roles[("C1", "UNDESA")] == "lead"
        assert roles[("C2", "ITU")] == "lead"
        assert roles[("C7.4", "WHO")] == "lead"
        assert roles[("C7.6", "WMO")] == "lead"
        assert roles[("C7.6", "UNEP")] == "co"
        assert roles[("C7.7", "FAO")] == "lead"

    def test_seventeen_goals_169_targets_in_six_languages(self):
        assert models.Goal.objects.count() == 17
        assert models.Target.objects.count() == 169
        assert models.Indicator.objects.count() >= 231
        for goal in models.Goal.objects.all():
            for suffix in ("ar", "en", "es", "fr", "ru", "zh_hans"):
                assert getattr(goal, f"title_{suffix}"), f"SDG {goal.number} lacks a title in {suffix}"
        assert models.Target.objects.get(code="4.a").goal.number == 4
        assert models.Target.objects.get(code="17.19").goal.number == 17

    def test_countries_members_and_groups(self):
        assert models.Country.objects.filter(is_un_member=True).count() == 193
        ldc = models.CountryGroup.objects.get(code="LDC")
        assert ldc.members.count() in (44, 45)
        assert ldc.as_of is not None
        assert models.Country.objects.filter(ldc=True).count() == ldc.members.count()
        assert models.Country.objects.filter(lldc=True).count() == 32
        assert models.Country.objects.filter(sids=True).count() == models.CountryGroup.objects.get(
            code="SIDS").members.count() > 30
        kenya = models.Country.objects.get(iso3="KEN")
        assert kenya.name_fr and kenya.name_ar and kenya.name_zh_hans and kenya.region.name_en == "Africa"

    def test_regional_commission_membership_is_as_published_not_geography(self):
        def count(code, kind):
            return models.CommissionMembership.objects.filter(commission__code=code, kind=kind).count()

        assert count("ECA", "member") == 54
        assert count("ECE", "member") == 56
        assert (count("ECLAC", "member"), count("ECLAC", "associate")) == (46, 14)
        assert (count("ESCAP", "member"), count("ESCAP", "associate")) == (53, 9)
        assert count("ESCWA", "member") >= 20
        france = set(models.Country.objects.get(iso3="FRA").commissions.values_list("code", flat=True))
        assert france == {"ECE", "ECLAC", "ESCAP"}
        escap = set(models.RegionalCommission.objects.get(code="ESCAP").countries.values_list("iso3", flat=True))
        assert {"FRA", "NLD", "GBR", "USA"} <= escap

    def test_stakeholder_types_hlpf_and_wsis_targets(self):
        assert models.StakeholderType.objects.count() == 6
        assert models.WSISTarget.objects.count() == 10
        hlpf_2019 = models.HLPFSession.objects.get(year=2019)
        assert sorted(hlpf_2019.goals.values_list("number", flat=True)) == [4, 8, 10, 13, 16, 17]

    def test_matrix_is_normalised(self):
        version = models.MatrixVersion.objects.get(code="2019")
        assert version.is_current
        links = models.MatrixLink.objects.filter(version=version)
        # "9.1, 9.a, 9.c" under one item becomes three target links of C2.
        c2 = set(links.filter(action_line__code="C2").exclude(target=None).values_list("target__code", flat=True))
        assert {"9.1", "9.a", "9.c", "11.5", "11.b", "1.4", "8.2"} <= c2
        # A bare goal number ("4" for e-learning) is a goal-level link.
        assert links.filter(action_line__code="C7.3", goal__number=4, target=None).exists()
        # Targets are filed under their own goal even when listed under another goalId (e-agriculture).
        assert links.filter(action_line__code="C7.7", target__code="13.1", goal__number=13).exists()
        # Goal-level SDGs of C3: every goal but 4 (FACTS.md §2.2).
        c3_goals = set(links.filter(action_line__code="C3").values_list("goal__number", flat=True))
        assert c3_goals == set(range(1, 18)) - {4}
        for link in links.exclude(target=None):
            assert link.target.goal_id == link.goal_id


class TestIdempotence:
    def test_second_run_changes_nothing(self):
        counts_before = {m: m.objects.count() for m in (models.MatrixLink, models.Country, models.Target)}
        report = reference_load()
        assert report.changed == 0
        assert {m: m.objects.count() for m in counts_before} == counts_before

    def test_command_says_nothing_changed(self):
        out = StringIO()
        call_command("load_reference", stdout=out)
        assert "nothing changed" in out.getvalue()

    def test_a_changed_row_is_put_back(self):
        models.Country.objects.filter(iso3="KEN").update(name_fr="Autre nom", ldc=True)
        report = reference_load()
        assert report.changed == 1
        kenya = models.Country.objects.get(iso3="KEN")
        assert kenya.name_fr != "Autre nom" and not kenya.ldc


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


class TestMalformedFiles:
    def test_bad_country_code_names_file_and_line(self, data_copy):
        path = data_copy / "regional_commissions.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("- FRA", "- XXX", 1), encoding="utf-8")
        expected_line = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "- XXX" in line)
        with pytest.raises(ReferenceDataError) as exc:
            parse_all(data_copy)
        assert exc.value.path.name == "regional_commissions.yaml"
        assert exc.value.line == expected_line
        assert "XXX" in str(exc.value) and f"regional_commissions.yaml:{expected_line}" in str(exc.value)

    def test_invalid_yaml_reports_line(self, data_copy):
        path = data_copy / "hlpf.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines.insert(5, "  - year: [unclosed")
        path.write_text("\n".join(lines), encoding="utf-8")
        with pytest.raises(ReferenceDataError) as exc:
            parse_all(data_copy)
        assert exc.value.path.name == "hlpf.yaml" and exc.value.line is not None

    def test_bad_matrix_target_names_json_line(self, data_copy):
        path = data_copy / "matrix" / "actions-2019.json"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"subId" : "9.4"', '"subId" : "9.z"', 1), encoding="utf-8")
        expected = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if '"9.z"' in line)
        with pytest.raises(ReferenceDataError) as exc:
            parse_all(data_copy)
        assert exc.value.line == expected and "9.z" in exc.value.message

    def test_bad_csv_row_names_line(self, data_copy):
        path = data_copy / "countries" / "country-codes.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[10] = lines[10].replace(",AZE,", ",az3,", 1) if ",AZE," in lines[10] else lines[10]
        header = lines[0].split(",")
        iso3_col = header.index("ISO3166-1-Alpha-3")
        row = lines[10].split(",")
        row[iso3_col] = "az3"
        lines[10] = ",".join(row)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(ReferenceDataError) as exc:
            parse_all(data_copy)
        assert exc.value.line == 11 and "az3" in exc.value.message

    def test_nothing_is_loaded_when_a_late_file_is_malformed(self, data_copy, monkeypatch):
        """Wipe the tables, break the last file read, and check that not even the first file was loaded."""
        (data_copy / "wsis_targets.yaml").write_text("targets:\n  - number: 1\n", encoding="utf-8")
        models.MatrixLink.objects.all().delete()
        models.ActionLineFacilitator.objects.all().delete()
        models.Agency.objects.all().delete()
        monkeypatch.setattr("wsis.taxonomy.services.DATA_DIR", data_copy)
        with pytest.raises(ReferenceDataError):
            reference_load()
        assert models.Agency.objects.count() == 0
        assert models.MatrixLink.objects.count() == 0

    def test_command_exits_with_message_and_loads_nothing(self, data_copy, monkeypatch):
        (data_copy / "agencies.yaml").write_text("agencies:\n  - names: {en: No code}\n", encoding="utf-8")
        models.MatrixLink.objects.all().delete()
        monkeypatch.setattr("wsis.taxonomy.services.DATA_DIR", data_copy)
        with pytest.raises(CommandError, match=r"agencies\.yaml:2: missing required field 'code'"):
            call_command("load_reference")
        assert models.MatrixLink.objects.count() == 0
