"""Filter forms of the indicator pages: plain GET forms, so every view has a shareable URL and works without JavaScript."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from wsis.taxonomy.models import ActionLine, Country

from .models import Indicator, Observation
from .selectors import HEADLINE_CODE, group_definitions

__all__ = ["IndicatorChoiceForm", "GroupComparisonForm", "NeedFilterForm", "IndicatorDetailForm"]

SORTS = [
    ("name", _("Country (A–Z)")),
    ("-value", _("Value (highest first)")),
    ("value", _("Value (lowest first)")),
    ("-year", _("Year (latest first)")),
]


def _indicator_choices(*, with_data_only: bool = True):
    qs = Indicator.objects.order_by("order", "code")
    if with_data_only:
        qs = qs.filter(Exists(Observation.objects.filter(indicator=OuterRef("pk"), country__isnull=False)))
    return [(i.code, i.name) for i in qs]


class IndicatorChoiceForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = _indicator_choices()

    def indicator_code(self) -> str:
        if self.is_valid() and self.cleaned_data.get("indicator"):
            return self.cleaned_data["indicator"]
        return HEADLINE_CODE


class GroupComparisonForm(IndicatorChoiceForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1960, max_value=2100,
                              help_text=_("Empty: the latest year with good coverage."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["aria-describedby"] = "id_year_help"

    def year_value(self) -> int | None:
        return self.cleaned_data.get("year") if self.is_valid() else None


class NeedFilterForm(IndicatorChoiceForm):
    group = forms.ChoiceField(label=_("Country group"), required=False)
    action_line = forms.ChoiceField(label=_("Action line"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All countries"))] + [
            (g.code, g.name) for g in group_definitions(kinds=("status", "region", "commission"))
        ]
        self.fields["action_line"].choices = [("", _("All action lines"))] + [
            (al.code, al.label) for al in ActionLine.objects.filter(is_leaf=True).order_by("order")
        ]

    def values(self) -> dict:
        if not self.is_valid():
            return {"group": "", "action_line": ""}
        return {"group": self.cleaned_data.get("group") or "", "action_line": self.cleaned_data.get("action_line") or ""}


class IndicatorDetailForm(forms.Form):
    country = forms.ChoiceField(label=_("Country for the time series"), required=False)
    sort = forms.ChoiceField(label=_("Sort the comparison by"), required=False, choices=SORTS)

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        countries = countries if countries is not None else Country.objects.all()
        self.fields["country"].choices = [("", _("No country"))] + [(c.iso3, c.name) for c in countries]

    def values(self) -> dict:
        if not self.is_valid():
            return {"country": "", "sort": "name"}
        return {"country": self.cleaned_data.get("country") or "", "sort": self.cleaned_data.get("sort") or "name"}
