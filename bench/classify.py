#!/usr/bin/env python
"""Benchmark: the default classifier backend's start-up, per-text latency and batch throughput.

Run from the repository root (no database needed)::

    python bench/classify.py [--texts 1000]

It measures, each in a fresh process where it matters:

1. loading the backend (import of numpy and the model code plus reading the artefacts);
2. the median and 95th percentile of ``suggest()`` for a 200-word text on one core (English, and
   ~200-word French, Russian and Arabic texts joined from the own held-out set: non-English texts
   get an English gloss before scoring, which costs time);
3. ``manage.py suggest_sdgs`` on ``--texts`` lines (default 1,000), start-up included.

4. the resident memory (peak RSS) of a fresh process that loaded the backend and classified a text.

Budget (issue 22): median ≤ 30 ms and p95 ≤ 80 ms per 200-word text on one core with the model
loaded; load ≤ 5 s; resident memory ≤ 600 MB. Each line says whether it is met, and the load
average of the machine is printed (timings on a busy shared machine are pessimistic).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def _fresh(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1000)
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = "1"

    load = [_fresh("import time; t=time.perf_counter(); from wsis.classify.backends.linear import LinearBackend; "
                   "LinearBackend(); print(time.perf_counter()-t)") for _ in range(3)]
    rss_mb = _fresh("import resource; from wsis.classify.backends.linear import LinearBackend; "
                    "from wsis.classify.management.commands.evaluate_classifier import LATENCY_TEXT; "
                    "LinearBackend().suggest(LATENCY_TEXT); "
                    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")

    from wsis.classify.backends.linear import LinearBackend
    from wsis.classify.corpus import load_examples
    from wsis.classify.management.commands.evaluate_classifier import LATENCY_TEXT

    backend = LinearBackend()
    from wsis.classify.text import clear_caches

    def timed(text: str) -> list[float]:
        backend.suggest(text)
        out = []
        for _ in range(200):
            clear_caches()  # every word new to the process: the honest worst case
            start = time.perf_counter()
            backend.suggest(text)
            out.append((time.perf_counter() - start) * 1000)
        return sorted(out)

    # Non-English texts are longer to score (the English gloss and the word units are added before
    # the features, see wsis/classify/pivot.py): a ~200-word text per language, joined from the own
    # held-out set's texts in that language.
    held_out = load_examples("eval")
    texts = {"en": LATENCY_TEXT}
    for lang in ("fr", "ru", "ar"):
        parts, count = [], 0
        for ex in held_out:
            if ex.lang == lang and count < 200:
                parts.append(ex.text)
                count += len(ex.text.split())
        texts[lang] = " ".join(parts)
    per_lang = {lang: timed(text) for lang, text in texts.items()}
    times = per_lang["en"]

    examples = load_examples("eval") + load_examples("dev")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for i in range(args.texts):
                ex = examples[i % len(examples)]
                fh.write(json.dumps({"id": i, "text": f"{ex.text} {examples[(i * 7) % len(examples)].text}"},
                                    ensure_ascii=False) + "\n")
        start = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "suggest_sdgs", "--input", str(src), "--output", str(dst)],
                       cwd=ROOT, check=True, capture_output=True)
        batch = time.perf_counter() - start
        lines = len(dst.read_text(encoding="utf-8").splitlines())

    median, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"backend: {backend.name}")
    print(f"load backend (fresh process): median {statistics.median(load):.2f} s (runs: {', '.join(f'{x:.2f}' for x in load)})"
          f"  [budget ≤ 5 s: {verdict(statistics.median(load) <= 5)}]")
    print(f"suggest() on a {len(LATENCY_TEXT.split())}-word text (word caches emptied before each call): median {median:.1f} ms, p95 {p95:.1f} ms"
          f"  [budget median ≤ 30 ms: {verdict(median <= 30)}; p95 ≤ 80 ms: {verdict(p95 <= 80)}]")
    for lang, lang_times in per_lang.items():
        if lang == "en":
            continue
        m, p = statistics.median(lang_times), lang_times[int(0.95 * (len(lang_times) - 1))]
        print(f"suggest() on a {len(texts[lang].split())}-word {lang} text: median {m:.1f} ms, p95 {p:.1f} ms"
              f"  [budget median ≤ 30 ms: {verdict(m <= 30)}; p95 ≤ 80 ms: {verdict(p <= 80)}]")
    print(f"resident memory after load and one text (fresh process, peak RSS): {rss_mb:.0f} MB"
          f"  [budget ≤ 600 MB: {verdict(rss_mb <= 600)}]")
    print(f"manage.py suggest_sdgs, {lines} texts: {batch:.1f} s including start-up")


if __name__ == "__main__":
    main()
