"""Factories for indicator tests: small catalogues and hand-made observations."""

from pathlib import Path

import factory

from wsis.indicators.models import Indicator, Observation
from wsis.taxonomy.models import Country

DATA = Path(__file__).resolve().parent / "data"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST.IND.{n}")
    name_en = factory.Sequence(lambda n: f"Test indicator {n}")
    name_fr = factory.Sequence(lambda n: f"Indicateur d'essai {n}")
    unit = Indicator.Unit.PERCENT
    aggregation = Indicator.Aggregation.SHARE
    source = "Test source"
    licence = "CC BY 4.0"


def internet_indicator(**kwargs) -> Indicator:
    """The headline indicator as the catalogue defines it (code IT.NET.USER.ZS, a share, higher is better)."""
    return IndicatorFactory(code="IT.NET.USER.ZS", name_en="Individuals using the Internet",
                            name_ar="الأفراد الذين يستخدمون الإنترنت", **kwargs)


def observe(indicator: Indicator, iso3: str, year: int, value: float, **kwargs) -> Observation:
    return Observation.objects.create(indicator=indicator, country=Country.objects.get(iso3=iso3), year=year,
                                      value=value, **kwargs)
