"""ICT indicators: the catalogue of series, their observations, and the WSIS targets they track.

An :class:`Indicator` is one statistical series (share of individuals using the Internet, fixed
broadband subscriptions per 100 people…), linked where one exists to the SDG indicator it measures.
An :class:`Observation` is one value of a series for a country — or for an aggregate published by
the source ("World", "High-income countries") — in a year, optionally disaggregated by sex,
urban/rural area or age. Aggregates for country groups computed by the platform are never stored:
they are computed from country observations with their method stated (see ``aggregates.py``).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import translated_fields
from wsis.core.models import BaseModel

__all__ = ["Indicator", "Observation", "WSISTargetIndicator", "Sex", "Area", "TOTAL"]

TOTAL = "total"

Name = translated_fields("name", verbose_name=_("name"))
Description = translated_fields("description", verbose_name=_("description"), text=True, required=False)


class Sex(models.TextChoices):
    """Disaggregation by sex (SDMX SEX: _T, F, M)."""

    TOTAL = "total", _("Both sexes")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Area(models.TextChoices):
    """Disaggregation by area (SDMX URBANISATION: _T, U, R)."""

    TOTAL = "total", _("All areas")
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class Indicator(Name, Description, BaseModel):
    """A statistical series of the catalogue: code, name, unit, SDG link, source and licence."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("percentage of the population")
        PERCENT_INCOME = "percent_income", _("percentage of average income")
        PER_100 = "per_100", _("per 100 inhabitants")
        PER_MILLION = "per_million", _("per million people")
        COUNT = "count", _("number")

    class Aggregation(models.TextChoices):
        """How country values combine into a group value."""

        SHARE = "share", _("Population-weighted mean where a population series exists, else median")
        MEDIAN = "median", _("Median of reporting countries")
        SUM = "sum", _("Sum of reporting countries")

    code = models.CharField(_("code"), max_length=40, unique=True,
                            help_text=_("Series code, e.g. IT.NET.USER.ZS (World Bank WDI) or an ITU code."))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    aggregation = models.CharField(_("aggregation"), max_length=10, choices=Aggregation.choices,
                                   default=Aggregation.SHARE)
    higher_is_better = models.BooleanField(
        _("higher is better"), default=True,
        help_text=_("Whether a higher value means less need (Internet use: yes; cost of data: no)."),
    )
    sdg_indicator = models.ForeignKey(
        "taxonomy.Indicator", verbose_name=_("SDG indicator"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="ict_series", help_text=_("The SDG indicator this series measures, where there is one."),
    )
    source = models.CharField(_("source"), max_length=500, help_text=_("Who produced the data, and through whom."))
    vintage = models.CharField(
        _("vintage"), max_length=200, blank=True,
        help_text=_("The release the newest values come from and the last year it covers, shown beside the "
                    "source on every chart (e.g. WDI 2025 release: data to 2024)."))
    licence = models.CharField(_("licence"), max_length=300, help_text=_("Terms of use of the data."))
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("ICT indicator")
        verbose_name_plural = _("ICT indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.code])

    @property
    def source_line(self) -> str:
        """Source, vintage and licence in one line: the caption of every chart of this indicator."""
        return " · ".join(part for part in (self.source, self.vintage, self.licence) if part)

    @property
    def is_percentage(self) -> bool:
        return self.unit in {self.Unit.PERCENT, self.Unit.PERCENT_INCOME}


class Observation(models.Model):
    """One value of an indicator for a country, or for an aggregate the source published, in one year.

    Exactly one of ``country`` and ``group_code`` is set. ``sex``, ``area`` and ``age`` are
    ``"total"`` for the undisaggregated value.
    """

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="observations")
    country = models.ForeignKey("taxonomy.Country", verbose_name=_("country or area"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="ict_observations")
    group_code = models.CharField(
        _("aggregate code"), max_length=80, blank=True, default="",
        help_text=_("For an aggregate published by the source (World, income groups…): its code."),
    )
    group_name = models.CharField(_("aggregate name"), max_length=200, blank=True, default="",
                                  help_text=_("The aggregate's name as the source writes it."))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.TOTAL)
    area = models.CharField(_("area"), max_length=8, choices=Area.choices, default=Area.TOTAL)
    age = models.CharField(_("age group"), max_length=20, default=TOTAL,
                           help_text=_("An age band such as 15-24, or total."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator", "country", "group_code", "year"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(group_code=""))
                | (Q(country__isnull=True) & ~Q(group_code="")),
                name="ind_obs_country_xor_group",
            ),
            models.UniqueConstraint(
                fields=["indicator", "country", "year", "sex", "area", "age"],
                condition=Q(country__isnull=False), name="ind_obs_country_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "group_code", "year", "sex", "area", "age"],
                condition=Q(country__isnull=True), name="ind_obs_group_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "year"], name="ind_obs_ind_year_idx"),
            models.Index(fields=["country", "indicator", "year"], name="ind_obs_country_idx"),
        ]

    def __str__(self) -> str:
        where = self.country.iso3 if self.country_id else self.group_code
        return f"{self.indicator_id} {where} {self.year} = {self.value}"


class WSISTargetIndicator(models.Model):
    """An indicator that tracks a WSIS target, with the rule that says whether the target is met.

    Loaded from ``data/wsis_targets.yaml``. With a ``threshold`` the status compares the world
    value (published by the source, else computed) with it; without one the target is monitored only.
    """

    class Scope(models.TextChoices):
        WORLD = "world", _("World value")
        ALL_COUNTRIES = "all_countries", _("Every reporting country")

    wsis_target = models.ForeignKey("taxonomy.WSISTarget", verbose_name=_("WSIS target"), on_delete=models.CASCADE,
                                    related_name="ict_indicator_links")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="wsis_target_links")
    threshold = models.FloatField(_("threshold"), null=True, blank=True,
                                  help_text=_("The value at or above which the target counts as met."))
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.WORLD)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("WSIS target indicator")
        verbose_name_plural = _("WSIS target indicators")
        ordering = ["wsis_target__number", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["wsis_target", "indicator"], name="ind_wsis_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.wsis_target} ← {self.indicator_id}"
