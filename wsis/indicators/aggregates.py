"""Group values from country values, with the method always stated beside the number.

Percentages of countries with unequal populations must not be averaged as if each country weighed
the same: a share is combined as a population-weighted mean of the reporting countries that have a
population figure (those without one are left out and counted in the description), and as the
median of the reporting countries only when none has one. Counts are summed. Every result carries its method, the number of countries reporting and the group size,
so that a page can say "median of 41 of 44 countries" rather than show a bare number.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

__all__ = ["Aggregate", "Method", "aggregate", "POPULATION_CODE"]

# The series used for weights: the World Bank's total population (shipped: data/wdi-2025/population_total.csv).
POPULATION_CODE = "SP.POP.TOTL"


class Method:
    WEIGHTED_MEAN = "weighted_mean"
    MEDIAN = "median"
    SUM = "sum"
    NONE = "none"

    LABELS = {
        WEIGHTED_MEAN: _("Population-weighted mean"),
        MEDIAN: _("Median"),
        SUM: _("Sum"),
        NONE: _("No data"),
    }


@dataclass(frozen=True)
class Aggregate:
    """A group's value for one year, how it was computed and from how many countries."""

    value: float | None
    method: str
    reporting: int
    members: int
    year: int | None = None
    weighted_fallback: bool = False  # a share shown as a median because population data were missing
    unweighted: int = 0  # reporting countries left out of a weighted mean for want of a population figure

    @property
    def method_label(self) -> str:
        return str(Method.LABELS[self.method])

    @property
    def description(self) -> str:
        """The method in a sentence, e.g. "Median of 41 of 44 countries reporting (not population-weighted)"."""
        n, m = self.reporting, self.members
        if self.method == Method.WEIGHTED_MEAN and self.unweighted:
            return ngettext(
                "Population-weighted mean of %(n)d of %(m)d country reporting (%(k)d without population data "
                "left out)",
                "Population-weighted mean of %(n)d of %(m)d countries reporting (%(k)d without population data "
                "left out)", m) % {"n": n - self.unweighted, "m": m, "k": self.unweighted}
        if self.method == Method.WEIGHTED_MEAN:
            return ngettext(
                "Population-weighted mean of %(n)d of %(m)d country reporting",
                "Population-weighted mean of %(n)d of %(m)d countries reporting", m) % {"n": n, "m": m}
        if self.method == Method.SUM:
            return ngettext(
                "Sum of %(n)d of %(m)d country reporting; countries without data are not included",
                "Sum of %(n)d of %(m)d countries reporting; countries without data are not included",
                m) % {"n": n, "m": m}
        if self.method == Method.MEDIAN and self.weighted_fallback:
            return ngettext(
                "Median of %(n)d of %(m)d country reporting (not population-weighted: no population data)",
                "Median of %(n)d of %(m)d countries reporting (not population-weighted: no population data)",
                m) % {"n": n, "m": m}
        if self.method == Method.MEDIAN:
            return ngettext("Median of %(n)d of %(m)d country reporting",
                            "Median of %(n)d of %(m)d countries reporting", m) % {"n": n, "m": m}
        return ngettext("No data for any of %(m)d country", "No data for any of %(m)d countries", m) % {"m": m}

    @property
    def coverage(self) -> float:
        return self.reporting / self.members if self.members else 0.0


def aggregate(values: Mapping[int, float], *, members: set[int], aggregation: str,
              population: Mapping[int, float] | None = None, year: int | None = None) -> Aggregate:
    """Combine ``values`` (country id → value) of the ``members`` of a group.

    ``aggregation`` is the indicator's (``share``, ``median`` or ``sum``). For a share, the mean is
    weighted by ``population`` (country id → people) over the reporting countries with a positive
    population; the others are left out and counted (``unweighted``). When none has one, the median
    is returned and flagged as a fallback.
    """
    reporting = {cid: v for cid, v in values.items() if cid in members}
    n, m = len(reporting), len(members)
    if not reporting:
        return Aggregate(None, Method.NONE, 0, m, year)
    if aggregation == "sum":
        return Aggregate(sum(reporting.values()), Method.SUM, n, m, year)
    if aggregation == "share":
        weights = {cid: w for cid in reporting if (w := (population or {}).get(cid)) and w > 0}
        if weights:
            total = sum(weights.values())
            value = sum(reporting[cid] * w for cid, w in weights.items()) / total
            return Aggregate(value, Method.WEIGHTED_MEAN, n, m, year, unweighted=n - len(weights))
        return Aggregate(statistics.median(reporting.values()), Method.MEDIAN, n, m, year, weighted_fallback=True)
    return Aggregate(statistics.median(reporting.values()), Method.MEDIAN, n, m, year)
