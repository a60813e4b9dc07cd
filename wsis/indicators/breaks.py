"""Sudden breaks in a series: a jump between two consecutive values far outside the series' usual steps.

A reporting change (a new survey, operators counting SIM cards differently, a census revision) shows
in the published numbers as a step no real trend makes: Fiji's mobile subscriptions per 100 people go
from 111.7 (2022) to 361.0 (2023) and 574.2 (2024). Such a step is *flagged* — named on the page and
the line not drawn across it — rather than plotted as growth.

A step from ``a`` to ``b`` (per year elapsed) is a break when all hold:

- it is more than ``factor`` times the median size of the neighbouring steps (up to ``window`` on
  each side, itself left out): diffusion curves climb steeply but smoothly, so a fast year among
  fast years is not a break, while a jump out of a calm stretch (or a fall followed by a rebound) is;
- it is at least ``min_share`` of the series' largest value, so that wobbles of a tiny series
  (0.1 → 0.3 subscriptions per 100) are not flagged;
- it is at least ``min_step`` in the series' unit (1 percentage point or subscription per 100 by
  default; 0 for counts, where the share of the largest value is enough);
- the level changes by at least ``min_ratio`` (larger over smaller value);
- the two values are at most ``max_gap`` years apart: a change spread over six unreported years is
  not sudden.

Series with fewer than ``min_points`` values are never flagged: there are no neighbours to compare.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["SeriesBreak", "detect_breaks"]

FACTOR = 5.0
WINDOW = 3
MIN_RATIO = 1.3
MIN_SHARE = 0.1
MIN_POINTS = 5
MIN_STEP = 1.0
MAX_GAP = 2


@dataclass(frozen=True)
class SeriesBreak:
    """A flagged step: the value before (year, value) and the value after."""

    year_before: int
    value_before: float
    year: int
    value: float

    @property
    def ratio(self) -> float:
        low, high = sorted((abs(self.value_before), abs(self.value)))
        return high / low if low else float("inf")


def detect_breaks(points: Iterable[tuple[int, float]], *, factor: float = FACTOR, window: int = WINDOW,
                  min_ratio: float = MIN_RATIO, min_share: float = MIN_SHARE,
                  min_points: int = MIN_POINTS, min_step: float = MIN_STEP,
                  max_gap: int = MAX_GAP) -> list[SeriesBreak]:
    """The breaks of one series of (year, value) pairs, oldest first."""
    series = sorted((int(y), float(v)) for y, v in points if v is not None)
    if len(series) < min_points:
        return []
    top = max(abs(v) for _y, v in series)
    sizes = [abs(v1 - v0) / ((y1 - y0) or 1) for (y0, v0), (y1, v1) in zip(series, series[1:], strict=False)]
    breaks = []
    for i, size in enumerate(sizes):
        (y0, v0), (y1, v1) = series[i], series[i + 1]
        neighbours = sizes[max(i - window, 0):i] + sizes[i + 1:i + 1 + window]
        usual = statistics.median(neighbours) if neighbours else 0.0
        low, high = sorted((abs(v0), abs(v1)))
        ratio = high / low if low else float("inf")
        if (y1 - y0 <= max_gap and size > factor * max(usual, 1e-9) and abs(v1 - v0) >= max(min_share * top, min_step)
                and ratio >= min_ratio):
            breaks.append(SeriesBreak(y0, v0, y1, v1))
    return breaks
