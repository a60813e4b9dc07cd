"""Filter forms of the public taxonomy pages (plain GET forms: they work without JavaScript), and the
country picker other apps' forms use (:class:`CountryChoiceField`)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from wsis.core.widgets import GroupedCheckboxes

from . import names
from .models import Country, RegionalCommission
from .selectors import CountryFilters, region_list


class CountryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or ISO code"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    commission = forms.ChoiceField(label=_("Regional commission"), required=False)
    ldc = forms.BooleanField(label=_("Least developed countries (LDC)"), required=False)
    lldc = forms.BooleanField(label=_("Landlocked developing countries (LLDC)"), required=False)
    sids = forms.BooleanField(label=_("Small island developing states (SIDS)"), required=False)
    members_only = forms.BooleanField(label=_("UN member states only"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # no colon after a checkbox's label (it follows the box)
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [(r.m49, r.name) for r in region_list()]
        self.fields["commission"].choices = [("", _("All commissions"))] + [
            (c.code, f"{c.code} – {c.name}") for c in RegionalCommission.objects.all()
        ]

    def filters(self) -> CountryFilters:
        if not self.is_valid():
            return CountryFilters()
        return CountryFilters(**self.cleaned_data)


class _CountriesByRegion(ModelChoiceIterator):
    """The countries grouped by UN M49 region, each group in the order of the names in the page's language;
    the areas without a region (Antarctica) come last."""

    def __iter__(self):
        groups: dict = {}
        for country in self.queryset.select_related("region"):
            groups.setdefault(country.region, []).append(country)
        regions = sorted((r for r in groups if r is not None), key=lambda r: names.key(r.name))
        for region in [*regions, None] if None in groups else regions:
            members = sorted(groups[region], key=lambda c: names.key(c.name))
            label = region.name if region is not None else _("Other areas")
            yield (label, [self.choice(country) for country in members])

    def __len__(self):
        return self.queryset.order_by().values("region").distinct().count()


class CountryCheckboxes(GroupedCheckboxes):
    """Countries as checkboxes under their region; the type-ahead knows every name and alias of each."""

    filter_label = _("Find a country")
    filter_help = _("Type a few letters of its name in any of the six languages, or its ISO code.")

    def option_keys(self, value) -> str:
        instance = getattr(value, "instance", None)
        if instance is None:
            return ""
        return names.country_keys().get(instance.iso3, names.key(instance.iso3))


class CountryChoiceField(forms.ModelMultipleChoiceField):
    """Several countries, picked by region without JavaScript (a box each), by typing with it; posted as ISO3."""

    iterator = _CountriesByRegion
    widget = CountryCheckboxes

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Country.objects.all())
        kwargs.setdefault("to_field_name", "iso3")
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return obj.name
