#!/usr/bin/env python
"""Benchmark of the document engine (issue 16): rendering a report of about 30 A4 pages to HTML, PDF and DOCX.

It renders the engine's specimen document (``wsis.reports.specimen``: cover, contents, a foreword, N
chapters each with a Markdown narrative, a footnoted paragraph, a vector chart with its data table, a
numbered table, a sub-section with quotes, and two annexes) ``--repeat`` times per language and reports,
per language, the page count and the wall time of each step (HTML, PDF with WeasyPrint, DOCX with
python-docx and cairosvg) and of the whole, median and worst, the CPU time of the whole (what the
rendering costs on a quiet machine: on this shared 2-core machine the wall time depends on the load),
with the load average before and after. No database.

The acceptance criterion: the whole (HTML + PDF + DOCX) of a 30-page report in under 20 s on this machine.

Usage::

    .venv/bin/python bench/documents.py                          # en, ar, zh-hans; 9 chapters (≈30 pages); 3 runs
    .venv/bin/python bench/documents.py --languages en --chapters 9 --repeat 5
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
LIMIT_S = 20.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", nargs="+", default=["en", "ar", "zh-hans"])
    parser.add_argument("--chapters", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="Also write the results to this file.")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from pypdf import PdfReader

    from wsis.reports.rendering import render_html, render_pdf
    from wsis.reports.specimen import specimen
    from wsis.reports.word import render_docx

    load_before = os.getloadavg()
    print(f"Document engine: {args.chapters} chapters, {args.repeat} runs per language; "
          f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"on {os.cpu_count()} CPUs")
    results = []
    failed = False
    for language in args.languages:
        runs = []
        pages = 0
        for _ in range(args.repeat):
            doc = specimen(language, chapters=args.chapters, draft=False)
            c0 = time.process_time()
            t0 = time.perf_counter()
            html = render_html(doc)
            t1 = time.perf_counter()
            pdf = render_pdf(doc, html)
            t2 = time.perf_counter()
            docx = render_docx(doc)
            t3 = time.perf_counter()
            cpu = time.process_time() - c0
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            runs.append({"html": t1 - t0, "pdf": t2 - t1, "docx": t3 - t2, "total": t3 - t0, "cpu": cpu,
                         "pdf_bytes": len(pdf), "docx_bytes": len(docx)})
        total = [r["total"] for r in runs]
        row = {"language": language, "pages": pages, "runs": args.repeat,
               "html_s": statistics.median(r["html"] for r in runs), "pdf_s": statistics.median(r["pdf"] for r in runs),
               "docx_s": statistics.median(r["docx"] for r in runs), "total_median_s": statistics.median(total),
               "total_max_s": max(total),
               "cpu_median_s": statistics.median(r["cpu"] for r in runs), "pdf_kib": runs[-1]["pdf_bytes"] // 1024,
               "docx_kib": runs[-1]["docx_bytes"] // 1024}
        ok = row["total_max_s"] < LIMIT_S
        failed |= not ok
        results.append(row)
        print(f"  {language:8} {pages:3d} pages  HTML {row['html_s']:.2f} s  PDF {row['pdf_s']:.2f} s  "
              f"DOCX {row['docx_s']:.2f} s  total median {row['total_median_s']:.2f} s, worst "
              f"{row['total_max_s']:.2f} s, CPU {row['cpu_median_s']:.2f} s  ({row['pdf_kib']} KiB PDF, {row['docx_kib']} KiB DOCX)  "
              f"{'ok' if ok else 'OVER ' + str(LIMIT_S) + ' s'}")
    load_after = os.getloadavg()
    print(f"Load average after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"load_before": load_before, "load_after": load_after,
                                               "results": results}, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
