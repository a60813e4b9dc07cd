"""The country picker of the forms (issue 14): countries grouped by region, posted as ISO3, and the keys its
type-ahead matches (every name in the six languages and every alias, as ``names.key``)."""

import pytest
from django import forms
from django.utils import translation

from wsis.taxonomy.forms import CountryChoiceField, CountryFilterForm
from wsis.taxonomy.models import Country, Region
from wsis.taxonomy.names import country_keys, key
from wsis.taxonomy.tests.test_names import COUNTRY_QUERIES

pytestmark = pytest.mark.django_db

TYPOS = {"Nepl", "Tanzanai", "Kenia"}  # forgiven by the search, not by a type-ahead that matches as you type


class PickerForm(forms.Form):
    countries = CountryChoiceField(required=False)


def test_every_country_once_under_its_region_antarctica_last():
    groups = list(PickerForm().fields["countries"].choices)
    names = [name for name, _options in groups]
    regions = list(Region.objects.filter(level=Region.Level.REGION).values_list("name_en", flat=True))
    assert sorted(names[:-1]) == sorted(regions) and names[-1] == "Other areas"
    values = [str(value) for _name, options in groups for value, _label in options]
    assert sorted(values) == sorted(Country.objects.values_list("iso3", flat=True))
    africa = dict(groups)["Africa"]
    assert ("KEN", "Kenya") in [(str(v), label) for v, label in africa]
    labels = [label for _v, label in africa]
    assert labels == sorted(labels, key=key)  # alphabetical within a region


def test_labels_and_order_follow_the_language():
    with translation.override("ar"):
        groups = dict(PickerForm().fields["countries"].choices)
    africa = Region.objects.get(level=Region.Level.REGION, name_en="Africa")
    kenya = Country.objects.get(iso3="KEN")
    assert kenya.name_ar in [label for _v, label in groups[africa.name_ar]]


def test_posted_iso3_codes_are_cleaned_and_unknown_ones_refused():
    form = PickerForm({"countries": ["KEN", "NPL"]})
    assert form.is_valid()
    assert sorted(c.iso3 for c in form.cleaned_data["countries"]) == ["KEN", "NPL"]
    form = PickerForm({"countries": ["KEN", "XXX"]})
    assert not form.is_valid()
    assert "XXX" in str(form.errors["countries"])


def test_a_chosen_country_opens_its_region():
    html = str(PickerForm({"countries": ["NPL"]})["countries"])
    assert html.count("<details open>") == 1
    opened = html[html.index("<details open>"):]
    assert '<span class="group-name">Asia</span><span class="chosen">: Nepal</span>' in opened[:300]


@pytest.mark.parametrize(("typed", "iso3"), [q for q in COUNTRY_QUERIES if q[0] not in TYPOS])
def test_the_type_ahead_matches_what_people_type(typed, iso3):
    assert any(key(typed) in k for k in country_keys()[iso3].split()), (typed, country_keys()[iso3])


def test_type_ahead_keys_are_short():
    keys = country_keys()
    assert set(keys) == set(Country.objects.values_list("iso3", flat=True))
    for iso3, joined in keys.items():
        parts = joined.split()
        assert not [a for a in parts for b in parts if a != b and a in b], iso3
    assert sum(len(v) for v in keys.values()) < 40_000  # some 250 countries in the form's HTML


def test_country_filter_checkbox_labels_have_no_colon():
    form = CountryFilterForm()
    assert form["ldc"].label_tag().endswith("(LDC)</label>")
