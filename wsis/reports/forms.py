from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .stocktaking_report import scope_choices

FIRST_YEAR = 2003


class StocktakingReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR,
                              help_text=_("The report counts the initiatives that started in this year."))
    scope = forms.ChoiceField(label=_("Scope"), help_text=_("The whole registry, one UN region or one regional commission."))
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple, initial=["en"],
                                          help_text=_("One version is generated per language."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices()
        self.fields["year"].validators.append(_max_year)
        self.fields["year"].initial = dt.date.today().year - 1


def _max_year(value: int) -> None:
    if value > dt.date.today().year:
        raise forms.ValidationError(_("The year cannot be in the future."))


class NarrativesForm(forms.Form):
    def __init__(self, *args, keys: list[tuple[str, str]], narratives: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in keys:
            self.fields[key] = forms.CharField(
                label=title, required=False, initial=narratives.get(key, ""), max_length=20000,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("Markdown: **bold**, *italic*, lists with “- ”, links. Leave empty to keep the "
                            "sentences generated from the figures."))
