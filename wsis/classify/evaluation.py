"""Evaluation on the held-out set (``manage.py evaluate_classifier``).

The evaluation set (``data/examples/eval.tsv``) lists texts with every SDG each addresses. It is
turned into (text, SDG, true/false) items the way SDG benchmarks are built: for each SDG, every
text labelled with it is a positive item, and as many texts not labelled with it are drawn as
negative items — half of them, where possible, from "neighbouring" SDGs that are easy to confuse
(poverty and inequality, climate and energy…), the rest from any other text. The draw is seeded,
so every run scores the same items.

Accuracy, precision, recall and F1 are computed per SDG over its items and then averaged
(macro). A second view scores every text against all 17 SDGs (no sampling).
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

from .corpus import Example

__all__ = ["NEIGHBOURS", "ActionLineItem", "EvalItem", "action_line_items", "evaluation_items", "score_action_lines",
           "score_items", "score_all_labels", "score_by_language", "target_hits", "latency"]

NEIGHBOURS = {
    1: (10, 8, 2), 2: (12, 15, 1), 3: (6, 2, 5), 4: (8, 5, 10), 5: (10, 4, 16), 6: (3, 14, 11), 7: (13, 9, 12),
    8: (9, 1, 4), 9: (11, 8, 17), 10: (5, 1, 16), 11: (9, 13, 6), 12: (13, 2, 11), 13: (7, 15, 11),
    14: (15, 6, 13), 15: (14, 13, 2), 16: (17, 10, 5), 17: (16, 9, 8),
}


@dataclass(frozen=True)
class EvalItem:
    example: Example
    sdg: int
    label: bool


def evaluation_items(examples: list[Example], *, seed: int = 17) -> list[EvalItem]:
    rng = random.Random(seed)
    items: list[EvalItem] = []
    for sdg in range(1, 18):
        positives = [ex for ex in examples if sdg in ex.sdgs]
        others = [ex for ex in examples if sdg not in ex.sdgs]
        near = [ex for ex in others if ex.sdgs & set(NEIGHBOURS[sdg])]
        far = [ex for ex in others if ex not in near]
        want = len(positives)
        n_near = min(len(near), want // 2)
        chosen = rng.sample(near, n_near) + rng.sample(far, min(len(far), want - n_near))
        items += [EvalItem(ex, sdg, True) for ex in positives]
        items += [EvalItem(ex, sdg, False) for ex in chosen]
    return items


@dataclass(frozen=True)
class ActionLineItem:
    example: Example
    code: str
    label: bool


def action_line_items(examples: list[Example], codes: tuple[str, ...], *, seed: int = 17) -> list[ActionLineItem]:
    """Benchmark-style items for the action lines: per line, every text labelled with it (positive)
    and as many texts not labelled with it (negative, a seeded draw)."""
    rng = random.Random(seed)
    items: list[ActionLineItem] = []
    for code in codes:
        positives = [ex for ex in examples if code in ex.action_lines]
        others = [ex for ex in examples if code not in ex.action_lines]
        chosen = rng.sample(others, min(len(others), len(positives)))
        items += [ActionLineItem(ex, code, True) for ex in positives]
        items += [ActionLineItem(ex, code, False) for ex in chosen]
    return items


def score_action_lines(items: list[ActionLineItem], predicted: dict[str, set[str]],
                       codes: tuple[str, ...]) -> tuple[dict[str, dict], dict]:
    """Per action line: accuracy, precision, recall and F1 over its items; and their macro average
    over the lines that have items."""
    counts = {code: [0, 0, 0, 0] for code in codes}
    for item in items:
        guess = item.code in predicted[item.example.id]
        c = counts[item.code]
        c[0 if guess and item.label else 1 if guess else 2 if not item.label else 3] += 1
    per_line = {code: _metrics(*c) for code, c in counts.items()}
    return per_line, _average(per_line)


def _metrics(tp: int, fp: int, tn: int, fn: int) -> dict[str, float]:
    total = tp + fp + tn + fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": total, "accuracy": (tp + tn) / total if total else 0.0, "precision": precision,
            "recall": recall, "f1": f1}


def _average(per_sdg: dict) -> dict[str, float]:
    """Macro average over the labels (SDGs or action lines) that have items."""
    keys = ("accuracy", "precision", "recall", "f1")
    present = [m for m in per_sdg.values() if m["n"]] or list(per_sdg.values())
    out = {k: statistics.fmean(m[k] for m in present) for k in keys}
    out["n"] = sum(m["n"] for m in per_sdg.values())
    return out


def score_items(items: list[EvalItem], predicted: dict[str, set[int]]) -> tuple[dict[int, dict], dict]:
    """Per-SDG metrics over the benchmark items, and their macro average."""
    counts = {s: [0, 0, 0, 0] for s in range(1, 18)}
    for item in items:
        guess = item.sdg in predicted[item.example.id]
        c = counts[item.sdg]
        if guess and item.label:
            c[0] += 1
        elif guess:
            c[1] += 1
        elif not item.label:
            c[2] += 1
        else:
            c[3] += 1
    per_sdg = {s: _metrics(*c) for s, c in counts.items()}
    return per_sdg, _average(per_sdg)


def score_all_labels(examples: list[Example], predicted: dict[str, set[int]]) -> tuple[dict[int, dict], dict]:
    """Every text against every SDG (imbalanced: most answers are "no")."""
    per_sdg = {}
    for s in range(1, 18):
        tp = sum(1 for ex in examples if s in ex.sdgs and s in predicted[ex.id])
        fp = sum(1 for ex in examples if s not in ex.sdgs and s in predicted[ex.id])
        fn = sum(1 for ex in examples if s in ex.sdgs and s not in predicted[ex.id])
        tn = len(examples) - tp - fp - fn
        per_sdg[s] = _metrics(tp, fp, tn, fn)
    return per_sdg, _average(per_sdg)


def score_by_language(examples: list[Example], predicted: dict[str, set[int]], *, seed: int = 17) -> dict[str, dict]:
    """Per language: the benchmark items built from that language's texts alone, scored per SDG and
    averaged over the SDGs that have items there."""
    out = {}
    for lang in sorted({ex.lang for ex in examples}):
        subset = [ex for ex in examples if ex.lang == lang]
        items = evaluation_items(subset, seed=seed)
        per_sdg, average = score_items(items, predicted)
        average["texts"] = len(subset)
        average["sdgs_with_items"] = sum(1 for m in per_sdg.values() if m["n"])
        out[lang] = average
    return out


def target_hits(examples: list[Example], suggestions: dict) -> dict[str, float] | None:
    """Top-3 hit rate of the suggested targets, over the texts labelled with targets.

    ``end_to_end``: one of the text's targets is among the (up to three) targets suggested under its
    goal — the goal must have been suggested too. ``given_goal``: the same, over the texts whose
    goal was suggested.
    """
    labelled = [ex for ex in examples if ex.targets]
    if not labelled:
        return None
    hits = with_goal = 0
    for ex in labelled:
        suggestion = suggestions[ex.id]
        goals = ex.sdgs & set(suggestion.sdgs)
        if goals:
            with_goal += 1
        suggested = {t.code for g in goals for t in suggestion.targets.get(g, [])}
        if suggested & ex.targets:
            hits += 1
    return {"texts": len(labelled), "end_to_end": hits / len(labelled),
            "texts_goal_suggested": with_goal, "given_goal": hits / with_goal if with_goal else 0.0}


def latency(backend, text: str, *, repeat: int = 50, cold: bool = True) -> dict[str, float]:
    """Median and 95th percentile milliseconds per call of ``backend.suggest`` on one text.

    With ``cold`` the per-word caches are emptied before each call, as if every word of the text
    were new to the process: the honest worst case for a text nobody sent before.
    """
    from .text import clear_caches

    backend.suggest(text)
    times = []
    for _ in range(repeat):
        if cold:
            clear_caches()
        start = time.perf_counter()
        backend.suggest(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}
