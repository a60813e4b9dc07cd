"""The independent evaluation sets: never trained on, never in the target index, split cleanly."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from wsis.classify.corpus import (
    ACTION_LINES,
    EVAL_SETS,
    INDEPENDENT_SETS,
    LANGS,
    SDG_SETS,
    indicator_examples,
    load_examples,
    normalised_text,
    parallel_texts,
    target_texts,
    training_documents,
)
from wsis.classify.lexicon import build_lexicon


def _norm_hash(text: str) -> str:
    """A hash of the normalised text (NFKC, case-folded, punctuation dropped, whitespace collapsed):
    copies that differ only in form hash the same."""
    return hashlib.sha256(normalised_text(text).encode()).hexdigest()


@pytest.fixture(scope="module")
def training_hashes():
    docs = training_documents(build_lexicon())
    return {_norm_hash(d.text) for d in docs}


@pytest.mark.parametrize("name", INDEPENDENT_SETS)
def test_no_independent_text_is_a_training_document(name, training_hashes):
    examples = load_examples(name)
    assert len(examples) >= (100 if name == "actionlines-test" else 200)
    overlap = [ex.id for ex in examples if _norm_hash(ex.text) in training_hashes]
    assert overlap == []


@pytest.mark.parametrize("name", INDEPENDENT_SETS)
def test_no_independent_text_is_in_the_target_index(name):
    index = {_norm_hash(text) for by_lang in target_texts().values() for text in by_lang.values()}
    assert [ex.id for ex in load_examples(name) if _norm_hash(ex.text) in index] == []


@pytest.mark.parametrize("name", INDEPENDENT_SETS)
def test_no_independent_text_is_in_the_parallel_texts_of_the_gloss_dictionaries(name):
    # The bilingual dictionaries (pivot.py) are learnt from these pairs: training texts only.
    parallel = {_norm_hash(text) for _lang, foreign, english in parallel_texts() for text in (foreign, english)}
    assert [ex.id for ex in load_examples(name) if _norm_hash(ex.text) in parallel] == []


def test_the_action_line_set_covers_the_lines_and_is_labelled_by_the_matrix():
    examples = load_examples("actionlines-test")
    covered = {code for ex in examples for code in ex.action_lines}
    assert len(covered) >= 16 and covered <= set(ACTION_LINES)
    assert all(ex.action_lines for ex in examples)
    assert len({_norm_hash(ex.text) for ex in examples}) == len(examples)


def test_tuning_and_test_splits_share_no_text_and_no_indicator():
    tune, test = indicator_examples("tune"), indicator_examples("test")
    assert not {_norm_hash(ex.text) for ex in tune} & {_norm_hash(ex.text) for ex in test}
    code = lambda ex: ex.id.split("-")[1]  # noqa: E731
    assert not {code(ex) for ex in tune} & {code(ex) for ex in test}


def test_independent_sets_cover_the_sdgs_in_all_six_languages():
    # The test split covers all 17 goals; the (smaller) tuning split nearly all.
    for name, goals in (("indicators-test", 17), ("indicators-tune", 14)):
        examples = load_examples(name)
        assert len({s for ex in examples for s in ex.sdgs}) >= goals, name
        assert {ex.lang for ex in examples} == set(LANGS), name
        assert all(ex.targets and {int(t.split(".")[0]) for t in ex.targets} == set(ex.sdgs) for ex in examples)


def test_the_training_split_of_the_indicators_is_disjoint_from_tuning_and_test():
    train = {_norm_hash(ex.text) for ex in indicator_examples("train")}
    assert train
    for name in INDEPENDENT_SETS:
        assert not train & {_norm_hash(ex.text) for ex in load_examples(name)}, name


def test_own_sets_are_not_in_the_independent_sets():
    own = {_norm_hash(ex.text) for name in ("eval", "dev") for ex in load_examples(name)}
    assert not own & {_norm_hash(ex.text) for name in INDEPENDENT_SETS for ex in load_examples(name)}


def test_unknown_set_is_an_error():
    with pytest.raises(ValueError, match="unknown evaluation set"):
        load_examples("osdg")


def test_evaluate_classifier_reports_every_set_per_language_and_targets(tmp_path):
    import json

    out = StringIO()
    report = tmp_path / "all.json"
    call_command("evaluate_classifier", which=["all"], json_path=str(report), stdout=out)
    data = json.loads(report.read_text())
    assert set(data["sets"]) == set(EVAL_SETS)
    for name in SDG_SETS:
        result = data["sets"][name]
        assert len(result["per_sdg"]) == 17, name
        assert set(result["by_language"]) == set(LANGS), name
    lines = data["sets"]["actionlines-test"]
    assert set(lines["per_action_line"]) == set(ACTION_LINES) and 0 < lines["average"]["accuracy"] <= 1
    assert data["sets"]["indicators-test"]["targets"]["texts"] == len(load_examples("indicators-test"))
    assert data["sets"]["indicators-test"]["independent"] is True
    assert "Summary" in out.getvalue() and "By language" in out.getvalue()
