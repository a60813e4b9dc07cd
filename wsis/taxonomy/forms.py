"""Filter forms of the public taxonomy pages (plain GET forms: they work without JavaScript)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RegionalCommission
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
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [(r.m49, r.name) for r in region_list()]
        self.fields["commission"].choices = [("", _("All commissions"))] + [
            (c.code, f"{c.code} – {c.name}") for c in RegionalCommission.objects.all()
        ]

    def filters(self) -> CountryFilters:
        if not self.is_valid():
            return CountryFilters()
        return CountryFilters(**self.cleaned_data)
