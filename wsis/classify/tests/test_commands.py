"""The batch contract (DESIGN.md §5) and the evaluation command."""

import hashlib
import json
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

INPUT = "\n".join([
    json.dumps({"id": "a-1", "text": "Telemedicine links rural clinics and patients with hospital doctors."}),
    "{not json",
    json.dumps({"id": 42, "text": "Smallholder farmers receive crop advice and market prices by SMS."}),
    json.dumps({"text": "no id here"}),
    json.dumps(["a", "list"]),
    "",
    json.dumps({"id": "c", "text": 5}),
    json.dumps({"id": "d", "text": ""}),
]) + "\n"


def _run(tmp_path, content=INPUT, **kwargs):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(content, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("suggest_sdgs", input=str(src), output=str(dst), stdout=out, stderr=err, **kwargs)
    lines = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    return lines, out.getvalue(), err.getvalue()


def test_each_valid_line_gives_one_output_line_with_its_id_in_input_order(tmp_path):
    lines, out, _ = _run(tmp_path)
    assert [line["id"] for line in lines] == ["a-1", 42, "d"]
    assert "3 suggestion(s) written, 4 line(s) skipped." in out


def test_output_lines_follow_the_contract(tmp_path):
    lines, _, _ = _run(tmp_path)
    first = lines[0]
    assert set(first) >= {"id", "sdgs", "scores", "action_lines"}
    assert all(isinstance(s, int) for s in first["sdgs"]) and 3 in first["sdgs"]
    assert sorted(first["scores"], key=int) == [str(n) for n in range(1, 18)]
    assert all(isinstance(v, float) for v in first["scores"].values())
    assert all(isinstance(code, str) and code.startswith("C") for code in first["action_lines"])
    assert 2 in lines[1]["sdgs"]
    assert lines[2]["sdgs"] == []


def test_malformed_lines_are_reported_with_their_line_number_and_skipped(tmp_path):
    _, _, err = _run(tmp_path)
    assert "line 2: not valid JSON" in err
    assert "line 4: missing \"id\"" in err
    assert "line 5: expected a JSON object" in err
    assert "line 7: missing \"text\" or it is not a string" in err
    assert "line 6" not in err  # blank lines are ignored quietly


def test_output_is_identical_across_runs(tmp_path):
    first, _, _ = _run(tmp_path)
    second, _, _ = _run(tmp_path)
    assert first == second


@pytest.mark.django_db
def test_batch_run_makes_no_database_queries(tmp_path, django_assert_num_queries):
    with django_assert_num_queries(0):
        _run(tmp_path)


def test_missing_input_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read --input"):
        call_command("suggest_sdgs", input=str(tmp_path / "nope.jsonl"), output=str(tmp_path / "o.jsonl"))


def test_fake_backend_can_be_chosen_on_the_command_line(tmp_path):
    lines, _, _ = _run(tmp_path, json.dumps({"id": 1, "text": "water and climate"}) + "\n",
                       backend="wsis.classify.backends.fake.FakeBackend")
    assert lines == [{"id": 1, "sdgs": [6, 13], "scores": lines[0]["scores"], "action_lines": ["C7.6"],
                      "targets": {"6": ["6.1"], "13": ["13.1"]}, "evidence": {"6": ["water"], "13": ["climate"]}}]


def test_evaluate_classifier_reports_per_sdg_metrics_averages_and_latency(tmp_path):
    out = StringIO()
    report = tmp_path / "eval.json"
    call_command("evaluate_classifier", json_path=str(report), stdout=out)
    text = out.getvalue()
    assert "accuracy" in text and "precision" in text and "recall" in text and "F1" in text
    assert " avg " in text and "Latency" in text
    data = json.loads(report.read_text())["sets"]["eval"]
    assert data["items"] >= 1000 and len(data["per_sdg"]) == 17
    # The acceptance bar of issue 8, on the held-out set.
    assert data["average"]["accuracy"] >= 0.85


@pytest.mark.skipif(not os.environ.get("WSIS_SLOW_TESTS"),
                    reason="retrains the model (minutes on a busy machine); set WSIS_SLOW_TESTS=1")
def test_train_classifier_rebuilds_the_committed_artefacts_byte_for_byte(tmp_path):
    from wsis.classify.model import ARTEFACT_DIR

    call_command("train_classifier", output_dir=str(tmp_path), stdout=StringIO())
    for name in ("model.npz", "meta.json", "lexicon.json"):
        committed = hashlib.sha256((ARTEFACT_DIR / name).read_bytes()).hexdigest()
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == committed, name


def test_unknown_backend_is_a_command_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot load the classifier backend"):
        call_command("suggest_sdgs", input=str(src), output=str(tmp_path / "o.jsonl"),
                     backend="wsis.classify.backends.nope.Missing")
