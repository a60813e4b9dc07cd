"""Filter forms of the indicator pages: plain GET forms, so every view has a shareable URL and works without JavaScript."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from wsis.core.uploads import is_zip
from wsis.taxonomy.models import ActionLine, Country

from .models import Indicator, Observation
from .selectors import HEADLINE_CODE, group_definitions

__all__ = ["IndicatorChoiceForm", "GroupComparisonForm", "NeedFilterForm", "IndicatorDetailForm", "ImportForm"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

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


class ImportForm(forms.Form):
    """Upload of one indicator's observations (secretariat only)."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    format = forms.ChoiceField(label=_("File layout"), choices=[
        ("owid", _("Our World in Data CSV (Entity, Code, Year, value)")),
        ("wdi", _("World Bank WDI CSV (one column per year)")),
        ("itu", _("ITU DataHub CSV (entityIso, dataYear, dataValue)")),
        ("sdmx", _("SDMX-CSV (REF_AREA, TIME_PERIOD, OBS_VALUE)")),
        ("tidy", _("Long CSV (iso3, year, value)")),
    ])
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 text, at most 20 MB."))
    column = forms.CharField(label=_("Value column (Our World in Data files with several)"), required=False,
                             max_length=200)
    series = forms.CharField(label=_("Series code (files holding several series)"), required=False, max_length=60)
    skip_unknown = forms.BooleanField(
        label=_("Skip rows whose country is not recognised"), required=False,
        help_text=_("Each skipped row is listed. Without this, one unknown country stops the whole import."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, f"{i.code} – {i.name}")
                                            for i in Indicator.objects.order_by("order", "code")]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if is_zip(upload):
            # Never unpacked here: an XLSX workbook or a ZIP is refused before anything reads it.
            raise forms.ValidationError(_("This is an XLSX workbook or a ZIP archive; upload the CSV file itself."))
        return upload
