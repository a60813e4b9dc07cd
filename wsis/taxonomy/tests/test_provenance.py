"""Issue 23: every shipped fact says where it comes from, and whether it is official; reference text is
never trusted markup. Each numbered finding of the issue has a check here (or in the forum's tests)
that fails on the content shipped before the fix."""

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.taxonomy import models
from wsis.taxonomy.models import Provenance
from wsis.taxonomy.provenance import ProvenanceError, collect, parse_entries
from wsis.taxonomy.reference import DATA_DIR, ReferenceDataError, html_problems, parse_all, parse_sources
from wsis.taxonomy.services import reference_load

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
C5_OPENING = "Confidence and security are among the main pillars of the Information Society"
OFFICIAL_FR = {
    "C1": "Le rôle des gouvernements et de toutes les parties prenantes dans la promotion des TIC pour le développement",
    "C7": "Les applications TIC et leur apport dans tous les domaines",
    "C7.1": "Administration électronique",
    "C7.2": "Commerce électronique",
}


def rows_of(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return {(p.field, p.language): p for p in Provenance.objects.filter(content_type=ct, object_id=obj.pk)}


def texts(obj, field):
    return [lang for lang, suffix in LANGUAGE_SUFFIXES.items() if getattr(obj, f"{field}_{suffix}", "")]


def url(lang, name, *args):
    with translation.override(lang):
        return reverse(name, args=args)


# --- Every fact carries its provenance ---------------------------------------------------------

class TestEveryFactHasProvenance:
    def assert_complete(self, obj, facts):
        rows = rows_of(obj)
        for fact in facts:
            row = rows.get(fact)
            assert row is not None, f"{obj}: no provenance for {fact}"
            assert row.source.strip() and row.status in Provenance.Status.values and row.checked_on, (obj, fact)
            if fact[1] not in ("", "en") and row.status == Provenance.Status.OFFICIAL:
                assert row.source.strip(), f"{obj}: the {fact[1]} text claims to be official without a source"

    def test_action_lines_names_per_language_texts_and_facilitators(self):
        for al in models.ActionLine.objects.all():
            facts = [("name", lang) for lang in texts(al, "name")] + [("facilitators", "")]
            if al.plan_of_action:
                facts.append(("plan_of_action", "en"))
            self.assert_complete(al, facts)

    def test_wsis_targets_per_language(self):
        for target in models.WSISTarget.objects.all():
            self.assert_complete(target, [("text", lang) for lang in texts(target, "text")])

    def test_hlpf_sessions_groups_commissions_and_the_matrix(self):
        for session in models.HLPFSession.objects.all():
            self.assert_complete(session, [("record", "")] + [("theme", lang) for lang in texts(session, "theme")])
        for group in models.CountryGroup.objects.all():
            self.assert_complete(group, [("members", "")])
        for commission in models.RegionalCommission.objects.all():
            self.assert_complete(commission, [("members", "")])
        version = models.MatrixVersion.objects.get(code="2019")
        self.assert_complete(version, [("links", "")])

    def test_no_non_english_text_claims_official_without_its_own_source(self):
        for row in Provenance.objects.exclude(language__in=["", "en"]).filter(status=Provenance.Status.OFFICIAL):
            assert row.source.startswith(("http", "WSIS-", "A/")), row

    def test_a_wildcard_entry_cannot_make_a_translation_official(self, tmp_path):
        path = tmp_path / "x.yaml"
        defaults = parse_entries(path, [{"field": "name", "status": "official", "source": "s", "checked": "2026-12-07"}])
        collect(path, 1, [], defaults, "C1", [("name", "en")])  # English may inherit it
        with pytest.raises(ProvenanceError, match="fr text of 'name' claims to be official"):
            collect(path, 1, [], defaults, "C1", [("name", "fr")])
        with pytest.raises(ProvenanceError, match="no provenance for 'theme'"):
            collect(path, 1, [], defaults, "C1", [("theme", "en")])
        with pytest.raises(ProvenanceError, match="without 'source'"):
            parse_entries(path, [{"field": "name", "status": "official", "checked": "2026-12-07"}])
        with pytest.raises(ProvenanceError, match="is not one of"):
            parse_entries(path, [{"field": "name", "status": "approved", "source": "s", "checked": "2026-12-07"}])

    def test_the_loader_refuses_a_file_whose_translation_claims_official(self, tmp_path):
        data = tmp_path / "data"
        shutil.copytree(DATA_DIR, data)
        path = data / "wsis_targets.yaml"
        text = path.read_text(encoding="utf-8").replace("status: unofficial_translation", "status: official", 1)
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ReferenceDataError, match="claims to be official"):
            parse_all(data)

    def test_the_model_refuses_a_row_without_source(self):
        target = models.WSISTarget.objects.get(number=1)
        row = Provenance(fact=target, field="text", language="fr", status=Provenance.Status.OFFICIAL, source=" ",
                         checked_on=dt.date(2026, 12, 7))
        with pytest.raises(ValidationError):
            row.full_clean()


class TestProvenanceLoad:
    def test_reload_changes_nothing_and_keeps_a_later_check(self):
        target = models.WSISTarget.objects.get(number=1)
        row = rows_of(target)[("text", "fr")]
        row.status, row.source, row.checked_on = Provenance.Status.OFFICIAL, "WSIS-03/GENEVA/DOC/5-F, para. 6", \
            dt.date(2027, 1, 5)
        row.save()
        report = reference_load()
        assert report.counts["Provenance"]["created"] == 0 and report.counts["Provenance"]["updated"] == 0
        row.refresh_from_db()
        assert row.status == Provenance.Status.OFFICIAL and row.checked_on == dt.date(2027, 1, 5)

    def test_a_matrix_edit_states_where_the_new_version_comes_from(self):
        from wsis.accounts.tests.factories import UserFactory, grant_role
        from wsis.core.permissions import Role
        from wsis.taxonomy.services import matrix_link_add

        al = models.ActionLine.objects.get(code="C5")
        user = UserFactory(email="sec@example.org")
        grant_role(user, Role.FACILITATOR, al)
        goal = models.Goal.objects.get(number=2)
        new = matrix_link_add(actor=user, action_line=al, goal=goal, rationale="Secure farm payments")
        row = rows_of(new)[("links", "")]
        assert "edited from 2019 by sec@example.org" in row.source
        assert "uwidcit" in row.note and row.status == Provenance.Status.UNVERIFIED


# --- The numbered findings of issue 23 ------------------------------------------------------

class TestFindings:
    def test_1_c6_no_longer_shows_c5s_opening(self, client):
        c6 = models.ActionLine.objects.get(code="C6")
        assert not c6.plan_of_action.startswith(C5_OPENING)
        assert c6.plan_of_action.startswith("To maximize the social, economic and environmental benefits")
        assert models.ActionLine.objects.get(code="C5").plan_of_action.startswith(C5_OPENING)
        html = client.get(url("en", "taxonomy:action-line", "c6")).content.decode()
        assert C5_OPENING not in html
        heading = html.split("<h2>Geneva Plan of Action", 1)[1].split("</h2>", 1)[0]
        assert "fact-mark-unverified" in heading and "WSIS-03/GENEVA/DOC/5" in heading

    def test_1_the_loader_refuses_two_texts_with_the_same_opening(self, tmp_path):
        data = tmp_path / "data"
        shutil.copytree(DATA_DIR, data)
        path = data / "plan_of_action.yaml"
        text = path.read_text(encoding="utf-8").replace(
            "To maximize the social, economic and environmental benefits of the Information Society, governments "
            "need to create a trustworthy, transparent and non-discriminatory legal, regulatory and policy "
            "environment.", C5_OPENING + ".")
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ReferenceDataError, match="C6 opens with the same sentence as C5"):
            parse_all(data)

    def test_2_c10_keeps_its_first_sentence_and_e_learning_is_not_empty(self, client):
        html = client.get(url("en", "taxonomy:action-line", "c10")).content.decode()
        assert "The Information Society should be subject to universally held values" in html
        html = client.get(url("en", "taxonomy:action-line", "c7-3")).content.decode()
        assert "(see section C4)" in html
        assert not re.search(r"<div class=\"prose\"[^>]*>\s*</div>", html)

    def test_2_reference_html_must_parse(self):
        assert html_problems("<pThe Information Society should be subject</p><ol><li>a</li></ol>")
        assert html_problems("<p></p>")
        assert html_problems("<p>Text</ol>")
        assert html_problems("<p>One</p><ol><li>a<li>b</ol>") == []
        matrix = json.loads((DATA_DIR / "matrix" / "actions-2019.json").read_text(encoding="utf-8"))
        assert all(html_problems(entry["desc"]) == [] for entry in matrix)

    def test_2_plan_of_action_text_is_escaped_never_trusted(self):
        rendered = Template("{% load facts %}{{ text|plan_of_action }}").render(Context({
            "text": "Intro <script>alert(1)</script>\n\na) first\n   i) sub\nb) second"}))
        assert "<script>" not in rendered and "&lt;script&gt;" in rendered
        assert '<ol type="a"><li>first<ol type="i"><li>sub</li></ol></li><li>second</li></ol>' in rendered
        for template in (ROOT / "templates").rglob("*.html"):
            assert not re.search(r"(plan_of_action|rationale|desc)\|safe", template.read_text(encoding="utf-8")), template

    def test_3_french_titles_are_the_official_ones(self, client):
        for code, title in OFFICIAL_FR.items():
            al = models.ActionLine.objects.get(code=code)
            assert al.name_fr == title
            row = rows_of(al)[("name", "fr")]
            assert row.status == Provenance.Status.OFFICIAL and "booklet/plan_action_C" in row.source
        other = rows_of(models.ActionLine.objects.get(code="C2"))[("name", "fr")]
        assert other.status == Provenance.Status.UNOFFICIAL_TRANSLATION
        html = client.get(url("fr", "taxonomy:action-line", "c2")).content.decode()
        assert "fact-mark-unofficial_translation" in html
        html = client.get(url("fr", "taxonomy:action-line", "c7-1")).content.decode()
        assert "Administration électronique" in html and "<h1>" in html
        assert "fact-mark-unofficial_translation" not in html.split("<h1>", 1)[1].split("</h1>", 1)[0]

    def test_4_translated_wsis_targets_are_marked(self, client):
        for target in models.WSISTarget.objects.all():
            rows = rows_of(target)
            for lang in ("ar", "es", "fr", "ru", "zh-hans"):
                assert rows[("text", lang)].status == Provenance.Status.UNOFFICIAL_TRANSLATION
        html = client.get(url("es", "indicators:list")).content.decode()
        assert html.count("fact-mark-unofficial_translation") >= 10
        assert "WSIS-03/GENEVA/DOC/5, para. 6" in html  # the source, for hover and print

    def test_8_ldc_members_due_to_graduate_show_status_date_and_source(self, client):
        ldc = models.CountryGroup.objects.get(code="LDC")
        assert ldc.as_of == dt.date(2024, 12, 13)
        rows = rows_of(ldc)
        for iso3 in ("BGD", "LAO", "NPL"):
            row = rows[(f"member:{iso3}", "")]
            assert row.status == Provenance.Status.UNVERIFIED and "24 November 2026" in row.note
            assert "A/76/L.6/Rev.1" in row.source
        html = client.get(url("en", "taxonomy:country", "NPL")).content.decode()
        assert "Scheduled to graduate on 24 November 2026" in html and "A/76/L.6/Rev.1" in html
        html = client.get(url("en", "taxonomy:country", "AFG")).content.decode()
        assert "Scheduled to graduate" not in html

    def test_9_the_matrix_is_credited_to_the_copy_it_is(self, client):
        html = client.get(url("en", "taxonomy:matrix")).content.decode()
        assert "ITU WSIS Secretariat and the action-line facilitators" not in html
        assert "University of the West Indies" in html
        row = rows_of(models.MatrixVersion.objects.get(code="2019"))[("links", "")]
        assert row.status == Provenance.Status.UNVERIFIED and "uwidcit/WSIS-SDG-Matrix" in row.source
        attribution = (DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
        assert "third-party" in attribution

    def test_6_docs_do_not_say_all_five_commissions_review_every_year_under_72_10(self):
        for doc in (ROOT / "docs" / "reviews.md", ROOT / "README.md"):
            text = " ".join(doc.read_text(encoding="utf-8").split())
            for sentence in re.split(r"(?<=[.!?])\s", text):
                if "72/10" in sentence:
                    assert "every year" not in sentence and "ESCAP" in sentence, (doc.name, sentence)


# --- Sources page and API ---------------------------------------------------------------------

class TestSourcesPage:
    def test_every_shipped_data_file_is_listed(self):
        patterns = [f for d in parse_sources() for f in d["files"]]
        shipped = [p.relative_to(ROOT).as_posix() for app in (ROOT / "wsis").iterdir() if (app / "data").is_dir()
                   for p in (app / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        unlisted = [f for f in shipped if not any(Path(f).match(pattern) for pattern in patterns)]
        assert shipped and unlisted == []

    @pytest.mark.parametrize("lang", list(LANGUAGE_SUFFIXES))
    def test_linked_from_the_footer_in_every_language(self, client, lang):
        home = client.get(f"/{lang}/").content.decode()
        footer = home.split('<footer class="site-footer">', 1)[1]
        page = url(lang, "taxonomy:sources")
        assert f'href="{page}"' in footer
        html = client.get(page).content.decode()
        assert "open-sdg/sdg-translations" in html and "CC BY 4.0" in html and "uwidcit/WSIS-SDG-Matrix" in html
        assert "A/76/L.6/Rev.1" in html


class TestApi:
    def test_action_lines_and_matrix_carry_provenance(self, client):
        lines = {al["code"]: al for al in client.get("/api/v1/action-lines").json()}
        fr = [p for p in lines["C1"]["provenance"] if p["field"] == "name" and p["language"] == "fr"][0]
        assert fr["status"] == "official" and fr["checked_on"] == "2026-12-07"
        assert any(p["field"] == "plan_of_action" and p["status"] == "unverified" for p in lines["C6"]["provenance"])
        matrix = client.get("/api/v1/matrix").json()
        assert matrix["provenance"][0]["status"] == "unverified"

    def test_wsis_targets_and_country_groups(self, client):
        targets = client.get("/api/v1/wsis-targets", HTTP_ACCEPT_LANGUAGE="en").json()
        assert len(targets) == 10
        assert {p["language"]: p["status"] for p in targets[0]["provenance"]}["fr"] == "unofficial_translation"
        nepal = client.get("/api/v1/countries/NPL").json()
        assert nepal["group_provenance"]["LDC"]["status"] == "unverified"
        afg = client.get("/api/v1/countries/AFG").json()
        assert afg["group_provenance"]["LDC"]["status"] == "official"


def test_sources_manifest_parses_with_known_statuses():
    statuses = {s for d in parse_sources() for s in d["statuses"]}
    assert statuses <= set(Provenance.Status.values)
    assert yaml.safe_load((DATA_DIR / "sources.yaml").read_text(encoding="utf-8"))["datasets"]
