"""Multilingual normalisation: the English gloss learnt from the UN's parallel training texts."""

import json

import pytest

from wsis.classify.model import ARTEFACT_DIR
from wsis.classify.pivot import build_dictionary, detect_latin, foreign_units, gloss, with_gloss


@pytest.fixture(scope="module")
def dictionary():
    return json.loads((ARTEFACT_DIR / "pivot.json").read_text(encoding="utf-8"))


def test_english_text_is_left_alone(dictionary):
    text = "Proportion of the population living below the international poverty line"
    assert foreign_units(text) == []
    assert with_gloss(text, dictionary, units=True) == text


def test_latin_languages_are_told_apart_by_function_words():
    assert detect_latin(["la", "part", "de", "la", "population", "et", "des", "femmes"]) == "fr"
    assert detect_latin(["la", "proporción", "de", "los", "hogares", "y", "las", "mujeres"]) == "es"
    assert detect_latin(["the", "share", "of", "the", "population", "and", "of", "women"]) == "en"


@pytest.mark.parametrize("text, expected", [
    ("Proportion de la population vivant au-dessous du seuil de pauvreté", {"population", "poverty"}),
    ("Proporción de la población que vive por debajo del umbral de pobreza", {"population", "poverty"}),
    ("Доля населения, живущего за чертой бедности", {"population"}),
    ("نسبة السكان الذين يعيشون دون خط الفقر", {"population", "poverty"}),
    ("生活在贫困线以下的人口比例", {"poverty"}),
])
def test_the_gloss_of_a_foreign_text_carries_its_english_words(dictionary, text, expected):
    english = set(gloss(text, dictionary).split())
    assert expected <= english, english
    glossed = with_gloss(text, dictionary, units=True)
    assert glossed.startswith(text) and glossed.count("\n") >= 1


def test_dictionary_learning_aligns_repeated_words_and_is_deterministic():
    pairs = [
        ("fr", "la santé des femmes", "the health of women"),
        ("fr", "la santé des enfants", "the health of children"),
        ("fr", "l'éducation des enfants", "the education of children"),
        ("fr", "l'éducation des femmes", "the education of women"),
    ]
    first = build_dictionary(pairs, min_count=2)
    assert first == build_dictionary(pairs, min_count=2)
    table = first["fr"]
    assert table["santé"][0][0] == "health"
    assert table["enfant"][0][0] == "children"
    assert table["femmes"][0][0] == "women"
