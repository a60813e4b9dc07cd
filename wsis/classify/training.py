"""Fit the default backend's model from the data in the repository (``manage.py train_classifier``).

Steps, all deterministic for a given seed:

1. compile the lexicon (published query systems + our multilingual lexicon);
2. build the training documents (:func:`wsis.classify.corpus.training_documents`): SDG goal and
   target texts and the training sixth of the indicator titles in six languages (weighted
   ``OFFICIAL_WEIGHT``), matrix rationales and Plan of Action text, lexicon pseudo-documents and
   composed snippets; the development, evaluation and independent (indicator tune/test) sets are
   *not* among them;
3. fit one L2-regularised logistic regression per SDG and per action line over hashed tf-idf
   n-grams plus lexicon features (scikit-learn, liblinear);
4. on the own development split and the independent tuning split (``indicators-tune``): fit the
   calibration layer (one logistic regression shared by all SDGs over the margin, the margin
   relative to the best SDG and the lexicon score) and choose the decision rule (threshold,
   minimum margin, minimum margin of the best SDG) on benchmark-style items of those splits;
5. write ``model.npz``, ``meta.json`` and ``lexicon.json``.

scikit-learn is imported inside :func:`train` so that serving never loads it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

from .corpus import (
    ACTION_LINES,
    DATA,
    TAXONOMY_DATA,
    load_examples,
    matrix_links,
    parallel_texts,
    target_texts,
    target_titles,
    training_documents,
)
from .evaluation import action_line_items, evaluation_items, score_action_lines, score_items
from .lexicon import Lexicon, build_lexicon
from .model import ARTEFACT_DIR, LinearModel, lexicon_vector
from .pivot import build_dictionary, with_gloss
from .text import N_BUCKETS, hashed_counts, word_counts

__all__ = ["DEFAULT_SEED", "MIN_MARGIN", "calibrate", "train"]

DEFAULT_SEED = 2030
SDG_C = 4.0
AL_C = 2.0
MIN_MARGIN = -1.0
OFFICIAL_SOURCES = ("sdg-goal", "sdg-target", "sdg-indicator-train")
OFFICIAL_WEIGHT = 6.0
#: follow non-English texts with their English gloss (``pivot.py``)
PIVOT = True
#: a foreign word must occur this often in the parallel texts to enter the dictionary
PIVOT_MIN_COUNT = 1
#: our lexicon's phrase lists are parallel texts too
PIVOT_LEXICON = True
#: foreign words are also added reduced to their units (``pivot.foreign_units``)
PIVOT_UNITS = True
#: the target index compares "word" features (unigrams, bigrams, Chinese n-grams) or "all" (with
#: the character n-grams)
TARGET_FEATURES = "word"
#: minimum margins tried by :func:`calibrate` (chosen with the threshold on dev + indicators-tune)
MIN_MARGINS = (-3.5, -3.0, -2.0, -1.5, -1.0, -0.5)
#: minimum margins of the best SDG tried by :func:`calibrate`
TOP_MIN_MARGINS = (-2.5, -2.0, -1.5, -1.0, -0.5)
#: weights of the target similarity in the decision margins tried by :func:`calibrate`
TARGET_BETAS = (0.0, 8.0, 16.0, 24.0, 32.0, 48.0, 64.0)
AL_ONLY_SOURCES = {"plan-of-action", "action-line-name"}


def _tfidf_matrix(count_rows: list[dict[int, float]], idf: np.ndarray) -> sparse.csr_matrix:
    indptr, indices, data = [0], [], []
    for row in count_rows:
        idx = np.fromiter(row.keys(), dtype=np.int64, count=len(row))
        tf = np.fromiter(row.values(), dtype=np.float64, count=len(row))
        order = np.argsort(idx)
        idx, tf = idx[order], tf[order]
        val = (1.0 + np.log(tf)) * idf[idx] if idx.size else tf
        norm = float(np.sqrt(np.dot(val, val))) if idx.size else 0.0
        if norm > 0:
            val = val / norm
        indices.extend(idx.tolist())
        data.extend(val.tolist())
        indptr.append(len(indices))
    return sparse.csr_matrix((np.array(data), np.array(indices, dtype=np.int64), np.array(indptr)),
                             shape=(len(count_rows), N_BUCKETS))


def _target_matrix(texts: list[str], idf: np.ndarray) -> sparse.csr_matrix:
    """The target index: word-level features only, or every feature (``TARGET_FEATURES``)."""
    rows = [hashed_counts(text) if TARGET_FEATURES == "all" else word_counts(text)[0] for text in texts]
    return _tfidf_matrix(rows, idf)


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def train(*, out_dir: Path = ARTEFACT_DIR, seed: int = DEFAULT_SEED, log=print) -> dict:
    """Fit and write the artefacts; returns a summary (also stored in ``meta.json``)."""
    import time

    from sklearn.linear_model import LogisticRegression

    started = time.monotonic()

    def log_step(message: str) -> None:
        log(f"[{time.monotonic() - started:6.1f}s] {message}")

    out_dir.mkdir(parents=True, exist_ok=True)
    entries = build_lexicon()
    lexicon = Lexicon(entries)
    docs = training_documents(entries, seed=seed)
    log_step(f"training documents: {len(docs)} ({dict(sorted(Counter(d.source.split('/')[0] for d in docs).items()))})")

    # Multilingual normalisation: every non-English text is followed by its English word-for-word
    # gloss, from dictionaries learnt on the UN's parallel training texts (``pivot.py``).
    pivot = build_dictionary(parallel_texts(lexicon=PIVOT_LEXICON), min_count=PIVOT_MIN_COUNT) if PIVOT else None
    pivot_path = out_dir / "pivot.json"
    if pivot:
        with open(pivot_path, "w", encoding="utf-8") as fh:
            json.dump(pivot, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        log_step(f"bilingual dictionaries: {', '.join(f'{k} {len(v)}' for k, v in sorted(pivot.items()))} units")
    elif pivot_path.exists():
        pivot_path.unlink()
    texts = [with_gloss(d.text, pivot, units=PIVOT_UNITS) for d in docs]
    count_rows = [hashed_counts(text) for text in texts]
    df = np.zeros(N_BUCKETS)
    for row in count_rows:
        df[list(row.keys())] += 1
    idf = (np.log((1 + len(docs)) / (1 + df)) + 1.0).astype(np.float16).astype(np.float64)
    X = _tfidf_matrix(count_rows, idf)
    log_step("features built")

    sdg_labels = [f"sdg:{s}" for s in range(1, 18)]
    al_labels = [f"al:{c}" for c in ACTION_LINES]
    matches = [lexicon.match(text) for text in texts]
    sdg_lex = np.array([lexicon_vector(m, sdg_labels) for m in matches])
    totals = sdg_lex.sum(axis=1, keepdims=True)
    sdg_share = np.divide(sdg_lex, totals, out=np.zeros_like(sdg_lex), where=totals > 0)
    sdg_dense = np.hstack([sdg_lex, sdg_share])
    al_lex = np.array([lexicon_vector(m, al_labels) for m in matches])
    log_step("lexicon features built")

    # SDG models: every document except those that speak only of action lines.
    sdg_rows = np.array([d.source not in AL_ONLY_SOURCES and not (d.source == "lexicon" and d.action_lines)
                         for d in docs])
    Xs = sparse.hstack([X[sdg_rows], sparse.csr_matrix(sdg_dense[sdg_rows])]).tocsr()
    Ys = np.array([[s in d.sdgs for s in range(1, 18)] for d in docs])[sdg_rows]
    # Official UN texts (goal, target and training-split indicator titles, six languages each) weigh
    # OFFICIAL_WEIGHT times a document of our own: they are the only training texts that nobody here
    # wrote, and the only ones evenly spread over the six languages.
    weights = np.array([OFFICIAL_WEIGHT if d.source.split("/")[0] in OFFICIAL_SOURCES else 1.0 for d in docs])[sdg_rows]
    sdg_coef = np.zeros((17, N_BUCKETS + sdg_dense.shape[1]))
    sdg_b = np.zeros(17)
    for s in range(17):
        clf = LogisticRegression(C=SDG_C, class_weight="balanced", solver="liblinear", dual=True, random_state=seed,
                                 max_iter=1000)
        clf.fit(Xs, Ys[:, s], sample_weight=weights)
        sdg_coef[s], sdg_b[s] = clf.coef_[0], clf.intercept_[0]
    log_step(f"SDG models fitted on {int(sdg_rows.sum())} documents")

    # Action-line models: documents about action lines, with no-SDG snippets as extra negatives.
    al_rows = np.array([bool(d.action_lines) or (d.source == "snippet" and not d.sdgs) for d in docs])
    Xa = sparse.hstack([X[al_rows], sparse.csr_matrix(al_lex[al_rows])]).tocsr()
    Ya = np.array([[c in d.action_lines for c in ACTION_LINES] for d in docs])[al_rows]
    al_coef = np.zeros((len(ACTION_LINES), N_BUCKETS + al_lex.shape[1]))
    al_b = np.zeros(len(ACTION_LINES))
    for i in range(len(ACTION_LINES)):
        clf = LogisticRegression(C=AL_C, class_weight="balanced", solver="liblinear", dual=True, random_state=seed,
                                 max_iter=1000)
        clf.fit(Xa, Ya[:, i])
        al_coef[i], al_b[i] = clf.coef_[0], clf.intercept_[0]
    log_step(f"action-line models fitted on {int(al_rows.sum())} documents")

    # Target similarity matrix.
    targets = target_texts()
    t_codes = list(targets)
    # Targets are compared on word-level features only (cheaper, and closer to "the same words"),
    # one vector per target and language; a text's similarity to a target is the best of them.
    t_rows = [(i, text) for i, by_lang in enumerate(targets.values()) for _lang, text in sorted(by_lang.items())]
    # (A target text gets the same gloss and units as a query text, so that the two meet.)
    T = _target_matrix([with_gloss(text, pivot, units=PIVOT_UNITS) for _i, text in t_rows], idf)
    t_row_target = np.array([i for i, _text in t_rows], dtype=np.int16)
    Tc = T.tocsc()
    Tc.sort_indices()

    links = matrix_links()
    al_matrix = []
    for code in ACTION_LINES:
        row = np.array([links[code].get(s, 0) for s in range(1, 18)], dtype=float)
        al_matrix.append((row / row.max()).round(4).tolist() if row.max() > 0 else row.tolist())

    def rows_of(coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w = coef[:, :N_BUCKETS].T
        keep = np.flatnonzero(np.abs(w).max(axis=1) > 1e-5)
        return keep.astype(np.int32), w[keep].astype(np.float16)

    s_rows, s_w = rows_of(sdg_coef)
    a_rows, a_w = rows_of(al_coef)
    np.savez_compressed(
        out_dir / "model.npz",
        idf=idf.astype(np.float16),
        sdg_rows=s_rows, sdg_w=s_w, sdg_dense=sdg_coef[:, N_BUCKETS:].astype(np.float32), sdg_b=sdg_b.astype(np.float32),
        al_rows=a_rows, al_w=a_w, al_dense=al_coef[:, N_BUCKETS:].astype(np.float32), al_b=al_b.astype(np.float32),
        t_data=Tc.data.astype(np.float16), t_rows=Tc.indices.astype(np.int16), t_colptr=Tc.indptr.astype(np.int32),
        t_row_target=t_row_target,
    )
    with open(out_dir / "lexicon.json", "w", encoding="utf-8") as fh:
        json.dump(entries, fh, ensure_ascii=False, separators=(",", ":"))
    en_titles = target_titles("en")
    meta = {
        "format": 1,
        "pivot_units": bool(pivot and PIVOT_UNITS),
        "target_features": TARGET_FEATURES,
        "n_buckets": N_BUCKETS,
        "seed": seed,
        "action_lines": list(ACTION_LINES),
        "targets": [{"code": c, "title": en_titles[c]} for c in t_codes],
        "al_matrix": al_matrix,
        "al_threshold": 0.5,
        "calibration": {"a_margin": 1.0, "a_relative": 0.0, "a_lexicon": 0.0, "bias": [0.0] * 17},
        "thresholds": {str(s): 0.5 for s in range(1, 18)},
        "training": {
            "documents": len(docs),
            "by_source": dict(sorted(Counter(d.source for d in docs).items())),
            "lexicon_entries": len(entries),
            "inputs_sha256": _digest(
                [*sorted((DATA / "queries").glob("*.csv")), DATA / "lexicon.yaml", DATA / "examples" / "train_snippets.tsv",
                 TAXONOMY_DATA / "matrix" / "actions-2019.json", TAXONOMY_DATA / "action_lines.yaml",
                 *sorted((TAXONOMY_DATA / "sdg").glob("*/*.yml"))]
            ),
            "sdg_C": SDG_C,
            "official_weight": OFFICIAL_WEIGHT,
            "al_C": AL_C,
        },
    }
    _write_meta(out_dir, meta)

    meta["training"].update(calibrate(out_dir=out_dir, log=log_step))
    return json.loads((out_dir / "meta.json").read_text(encoding="utf-8"))


def calibrate(*, out_dir: Path = ARTEFACT_DIR, log=print) -> dict:
    """Fit the calibration layer and choose the decision rule on the development and tuning splits.

    A cross-validation on the development split preferred one calibration shared by all SDGs (no
    per-SDG intercepts) and one shared threshold chosen for accuracy on benchmark-style items:
    per-SDG freedom over-fits the ten or so positives each SDG has there (per-SDG thresholds on
    dev + indicators-tune gained in sample only, too). The minimum margins keep a text about
    nothing in particular without suggestions; see the search below.
    """
    from sklearn.linear_model import LogisticRegression

    with open(out_dir / "meta.json", encoding="utf-8") as fh:
        meta = json.load(fh)
    model = LinearModel(out_dir)
    # The own development split and the tuning split of the independent indicator texts (never
    # the ``indicators-test`` split nor ``eval``).
    dev = load_examples("dev") + load_examples("indicators-tune")
    raw, sims, lex, truth = [], [], [], []
    for ex in dev:
        f = model.features(ex.text)
        raw.append(model.sdg_margins(f))
        sims.append(model.goal_similarities(f))
        lex.append(f.sdg_lex)
        truth.append([s in ex.sdgs for s in range(1, 18)])
    raw, sims, lex, truth = np.array(raw), np.array(sims), np.array(lex), np.array(truth)
    n = len(dev)
    target = truth.T.ravel()
    # The threshold, the minimum margin of every suggested SDG and the minimum margin of the best
    # SDG (the gate that keeps a text about nothing in particular empty) are chosen together, for
    # the mean of the item accuracy on the own development split and on the independent tuning
    # split (each weighs the same), among the rules that leave at least half of the development
    # split's no-SDG texts without a suggestion (the tuning split has none; without this
    # constraint the best rule suggests SDGs for every text, however empty).
    own_dev = [ex for ex in dev if not ex.id.startswith("ind-")]
    own = evaluation_items(own_dev)
    tune = evaluation_items([ex for ex in dev if ex.id.startswith("ind-")])
    empty = [i for i, ex in enumerate(dev) if not ex.sdgs]
    best = (-1.0, 0.5, MIN_MARGIN, MIN_MARGIN, 0.0, None)
    # The weight of the target similarity in the decision margins (``LinearModel.decision_margins``)
    # is chosen with the rest of the rule; the calibration layer is refitted for each.
    for beta in TARGET_BETAS:
        margins = raw + beta * sims
        rel = margins - margins.max(axis=1, keepdims=True)
        features = np.column_stack([margins.T.ravel(), rel.T.ravel(), lex.T.ravel()])
        cal = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000)
        cal.fit(features, target)
        probs = cal.predict_proba(features)[:, 1].reshape(17, n).T
        top = margins.max(axis=1)
        for gate in TOP_MIN_MARGINS:
            open_ = top > gate
            if empty and sum(1 for i in empty if not open_[i]) < len(empty) / 2:
                continue
            for min_margin in MIN_MARGINS:
                if min_margin > gate:
                    continue
                for t in np.round(np.arange(0.01, 0.96, 0.01), 2):
                    predicted = {ex.id: {s + 1 for s in range(17) if probs[i, s] >= t and margins[i, s] > min_margin}
                                 if open_[i] else set() for i, ex in enumerate(dev)}
                    accuracy = (score_items(own, predicted)[1]["accuracy"]
                                + score_items(tune, predicted)[1]["accuracy"]) / 2
                    if accuracy > best[0] + 1e-9:
                        best = (accuracy, float(t), float(min_margin), float(gate), float(beta), cal)
    cal = best[5]
    coef, bias = cal.coef_[0], float(cal.intercept_[0])
    meta["calibration"] = {"a_margin": round(float(coef[0]), 6), "a_relative": round(float(coef[1]), 6),
                           "a_lexicon": round(float(coef[2]), 6), "bias": [round(bias, 6)] * 17}
    meta["target_beta"] = best[4]
    meta["thresholds"] = {str(s): best[1] for s in range(1, 18)}
    meta["min_margin"] = best[2]
    meta["top_min_margin"] = best[3]
    _write_meta(out_dir, meta)
    meta["quality"] = _quality_on_tuning_split(out_dir)
    summary = {"dev_texts": n, "dev_accuracy_in_sample": round(best[0], 4)}
    meta["training"].update(summary)
    _write_meta(out_dir, meta)
    log(f"calibrated on {n} development and tuning texts; target weight {best[4]}, threshold {best[1]}, "
        f"minimum margin {best[2]}, "
        f"minimum margin of the best SDG {best[3]} "
        f"(in-sample dev accuracy {best[0]:.3f})")
    return summary


def _quality_on_tuning_split(out_dir: Path) -> dict:
    """What users are told about the suggestions' quality, measured on ``indicators-tune`` with the
    final decision rule (the indicator test split is never touched here): SDG item accuracy and the
    share of texts whose target is among the three suggested under a suggested goal; and the
    action lines' item accuracy on ``actionlines-test`` (no action-line setting is tuned)."""
    from .backends.linear import LinearBackend
    from .evaluation import target_hits

    backend = LinearBackend(out_dir)
    examples = load_examples("indicators-tune")
    suggestions = {ex.id: backend.suggest(ex.text) for ex in examples}
    sdg_accuracy = score_items(evaluation_items(examples), {k: set(v.sdgs) for k, v in suggestions.items()})[1]
    targets = target_hits(examples, suggestions)
    # Action lines: nothing is tuned for them, so their quality is measured on their evaluation set
    # (read here, never trained or tuned on).
    lines = load_examples("actionlines-test")
    predicted = {ex.id: set(backend.suggest(ex.text).action_lines) for ex in lines}
    al_accuracy = score_action_lines(action_line_items(lines, ACTION_LINES), predicted, ACTION_LINES)[1]
    return {"measured_on": "indicators-tune", "sdg_item_accuracy": round(sdg_accuracy["accuracy"], 3),
            "targets_top3_given_goal": round(targets["given_goal"], 3),
            "action_lines": round(al_accuracy["accuracy"], 3), "action_lines_measured_on": "actionlines-test"}


def _write_meta(out_dir: Path, meta: dict) -> None:
    with open(out_dir / "meta.json", "w", encoding="utf-8") as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
