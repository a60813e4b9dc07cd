#!/usr/bin/env python
"""Benchmark: the default classifier backend's start-up, per-text latency and batch throughput.

Run from the repository root (no database needed)::

    python bench/classify.py [--texts 1000]

It measures, each in a fresh process where it matters:

1. loading the backend (import of numpy and the model code plus reading the artefacts);
2. the median and 95th percentile of ``suggest()`` for a 200-word text on one core;
3. ``manage.py suggest_sdgs`` on ``--texts`` lines (default 1,000), start-up included.

Targets (issue 8): load < 2 s, median ≤ 20 ms per 200-word text, 1,000 texts < 30 s.
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

    from wsis.classify.backends.linear import LinearBackend
    from wsis.classify.corpus import load_examples
    from wsis.classify.management.commands.evaluate_classifier import LATENCY_TEXT

    backend = LinearBackend()
    times = []
    backend.suggest(LATENCY_TEXT)
    for _ in range(200):
        start = time.perf_counter()
        backend.suggest(LATENCY_TEXT)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()

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

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load backend (fresh process): median {statistics.median(load):.2f} s (runs: {', '.join(f'{x:.2f}' for x in load)})")
    print(f"suggest() on a {len(LATENCY_TEXT.split())}-word text: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms")
    print(f"manage.py suggest_sdgs, {lines} texts: {batch:.1f} s including start-up")


if __name__ == "__main__":
    main()
