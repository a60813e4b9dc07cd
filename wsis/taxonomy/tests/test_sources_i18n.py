"""The "Sources of the reference data" page in six languages (sources.i18n.yaml, issue 21)."""

from __future__ import annotations

import shutil

import pytest
from django.test import Client
from django.utils import translation

from wsis.core.templatetags.wsis_tags import code_words
from wsis.taxonomy.reference import DATA_DIR, ReferenceDataError, parse_sources

pytestmark = pytest.mark.django_db


def test_every_dataset_has_its_description_in_the_five_other_languages():
    for dataset in parse_sources():
        assert set(dataset["translations"]) == {"ar", "es", "fr", "ru", "zh-hans"}, dataset["files"][0]
        for lang, texts in dataset["translations"].items():
            wanted = {"what", "licence"} | ({"status_note"} if dataset["status_note"] else set())
            assert set(texts) == wanted, (dataset["files"][0], lang)
        assert dataset["provenance"]["what"]["status"] == "unofficial_translation"


def test_a_key_naming_no_dataset_is_refused_with_its_line(tmp_path):
    shutil.copy(DATA_DIR / "sources.yaml", tmp_path / "sources.yaml")
    text = (DATA_DIR / "sources.i18n.yaml").read_text(encoding="utf-8")
    text = text.replace("  wsis/taxonomy/data/plan_of_action.yaml:", "  wsis/taxonomy/data/nothing.yaml:")
    (tmp_path / "sources.i18n.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"sources\.i18n\.yaml:\d+: 'wsis/taxonomy/data/nothing\.yaml' is not"):
        parse_sources(tmp_path)


def test_an_unknown_language_is_refused(tmp_path):
    shutil.copy(DATA_DIR / "sources.yaml", tmp_path / "sources.yaml")
    text = (DATA_DIR / "sources.i18n.yaml").read_text(encoding="utf-8").replace("\n    fr:\n      what:", "\n    de:\n      what:", 1)
    (tmp_path / "sources.i18n.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="unknown language 'de'"):
        parse_sources(tmp_path)


def test_the_page_shows_the_translation_with_its_mark_and_english_without():
    arabic = Client().get("/ar/sources/").content.decode()
    assert "نص خطة عمل جنيف لكل وحدة من وحدات خطوط العمل" in arabic
    assert "fact-mark-unofficial_translation" in arabic
    assert "Text of the Geneva Plan of Action for each action-line unit" not in arabic
    # The sources are cited as published.
    assert '<cite lang="en" dir="ltr">Geneva Plan of Action' in arabic
    english = Client().get("/en/sources/").content.decode()
    assert "Text of the Geneva Plan of Action for each action-line unit" in english
    assert "fact-mark-unofficial_translation" not in english


def test_code_words_marks_names_and_escapes():
    with translation.override("en"):
        assert code_words("See `plan_of_action` & initiatives.id <b>") == (
            "See <code>plan_of_action</code> &amp; <code>initiatives.id</code> &lt;b&gt;")
        assert code_words("planned, ongoing or completed.") == "planned, ongoing or completed."
    with translation.override("zh-hans"):
        assert code_words("planned、ongoing或completed。http://metadata.un.org/sdg/x") == (
            "<code>planned</code>、<code>ongoing</code>或<code>completed</code>。http://metadata.un.org/sdg/x")
