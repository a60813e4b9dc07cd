"""The Global Digital Compact's objectives: one reference list in six languages, each text with its provenance."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.utils import translation

from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.taxonomy import gdc


def test_five_objectives_in_six_languages_with_provenance():
    objectives = gdc.gdc_objectives()
    assert [o.number for o in objectives] == [1, 2, 3, 4, 5]
    assert gdc.gdc_codes() == ["GDC1", "GDC2", "GDC3", "GDC4", "GDC5"]
    for o in objectives:
        assert set(o.names) == set(LANGUAGE_SUFFIXES)
        assert len(set(o.names.values())) == 6  # no language is a copy of another
        # Nothing shipped claims to be official: English is unverified, the rest the platform's translations.
        assert o.status("en") == "unverified"
        assert {o.status(lang) for lang in LANGUAGE_SUFFIXES if lang != "en"} == {"unofficial_translation"}
    assert objectives[4].names["en"] == ("Enhance international governance of artificial intelligence for the "
                                         "benefit of humanity")


def test_the_page_language_picks_the_text_and_its_mark():
    first = gdc.gdc_objectives()[0]
    template = Template("{% load facts %}{% provenance_mark o.provenance_row %}")
    with translation.override("fr"):
        assert first.name.startswith("Réduire toutes les fractures numériques")
        assert first.label == f"1. {first.name}"
        mark = template.render(Context({"o": first}))
        assert "[Traduction non officielle]" in mark or "[Unofficial translation]" in mark
        assert "A/RES/79/1" in mark and "fact-mark-unofficial_translation" in mark
    with translation.override("ar"):
        assert first.language == "ar" and "الفجوات الرقمية" in first.name
    with translation.override("en"):
        assert "fact-mark-unverified" in template.render(Context({"o": first}))
    assert gdc.gdc_source()["official"] is False


@pytest.fixture
def data_file(tmp_path, monkeypatch):
    """A copy of the data file to break; the cache is cleared before and after."""
    path = tmp_path / "gdc_objectives.yaml"
    path.write_text(gdc.GDC_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(gdc, "GDC_FILE", path)
    gdc._load.cache_clear()
    yield path
    gdc._load.cache_clear()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_translation_claiming_to_be_official_needs_its_own_entry(data_file):
    _replace(data_file, "- {field: name, status: unofficial_translation,", "- {field: name, status: official,")
    with pytest.raises(ImproperlyConfigured, match="claims to be official through an entry that does not name"):
        gdc.gdc_objectives()


def test_an_official_text_with_its_own_entry_is_shown_unmarked(data_file):
    _replace(data_file, "  - number: 2\n", '  - number: 2\n    provenance:\n      - {field: name, lang: fr, status: '
             'official, source: "A/RES/79/1 (French), annex I, para. 7", checked: 2026-12-08}\n')
    second = gdc.gdc_objectives()[1]
    assert second.is_official("fr") and not second.is_official("es")
    with translation.override("fr"):
        assert Template("{% load facts %}{% provenance_mark o.provenance_row %}").render(Context({"o": second})) == ""


def test_a_missing_language_is_refused(data_file):
    _replace(data_file, '      ru: "Укрепить международное', '      xx: "Укрепить международное')
    with pytest.raises(ImproperlyConfigured, match=r"objective 5: unknown languages \['xx'\], missing \['ru'\]"):
        gdc.gdc_objectives()
