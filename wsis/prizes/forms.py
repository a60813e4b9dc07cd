"""Forms of the prizes: an entry (a published initiative promoted, plus the contest's boxes), expert
decisions, votes and the secretariat's invalidation and selection."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wsis.core.actions import form_add_service_errors
from wsis.taxonomy.models import Goal

from .models import Entry
from .reference import gdc_objectives
from .wordcount import DEFAULT_LIMITS, LIMITS

__all__ = ["EntryForm", "NominateForm", "ScoreForm", "ConflictForm", "VoteForm", "InvalidateForm",
           "ConfirmForm", "apply_service_errors"]


def apply_service_errors(form, exc) -> None:
    form_add_service_errors(form, exc)


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short_name or obj.title}"


def _limits_help() -> str:
    low, high, _unit = DEFAULT_LIMITS
    zl, zh, _u = LIMITS["zh-hans"]
    return ngettext("Length: %(low)d–%(high)d word (in Chinese, %(zl)d–%(zh)d characters). Voters read this text.",
                    "Length: %(low)d–%(high)d words (in Chinese, %(zl)d–%(zh)d characters). Voters read this text.",
                    high) % {"low": low, "high": high, "zl": zl, "zh": zh}


class EntryForm(forms.Form):
    initiative = forms.ModelChoiceField(
        label=_("Project from the registry"), queryset=None, empty_label=None,
        help_text=_("A published initiative of your organisation: its title, organisation, countries and tags are "
                    "taken from the registry."))
    category = forms.ModelChoiceField(label=_("Prize category"), queryset=None, empty_label=None,
                                      help_text=_("One category per project."))
    language = forms.ChoiceField(label=_("Language of the entry"), choices=settings.LANGUAGES)
    description = forms.CharField(label=_("Description for the vote"), widget=forms.Textarea(attrs={"rows": 8}))
    stage = forms.ChoiceField(label=_("Stage of the project"), choices=Entry.Stage.choices, widget=forms.RadioSelect)
    stage_note = forms.CharField(label=_("Which major phase has ended"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Needed when the project is not completed."))
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                             help_text=_("Qualitative and quantitative; economic, social and environmental."))
    partnerships = forms.CharField(label=_("Partnerships"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    challenges = forms.CharField(label=_("Challenges and outlook"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    goals = GoalChoiceField(label=_("Sustainable Development Goals"), queryset=Goal.objects.order_by("number"),
                            required=False, widget=forms.CheckboxSelectMultiple)
    sdg_linkages = forms.CharField(label=_("Linkages to the SDGs"), widget=forms.Textarea(attrs={"rows": 3}),
                                   required=False, help_text=_("How the project advances each goal you chose."))
    gdc_objectives = forms.TypedMultipleChoiceField(
        label=_("Global Digital Compact objectives"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        choices=())
    gdc_linkages = forms.CharField(label=_("Linkages to the Global Digital Compact"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, initiatives, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: c.action_line.label
        self.fields["description"].help_text = _limits_help()
        self.fields["gdc_objectives"].choices = [(o.number, o.label) for o in gdc_objectives()]


class NominateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("nominate", _("Nominate")), ("decline", _("Do not nominate"))])
    note = forms.CharField(label=_("Note against the criteria"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Score (1–10)"), min_value=1, max_value=10)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    note = forms.CharField(label=_("Nature of the conflict"), required=False, max_length=300)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class VoteForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("Your vote"), coerce=int, widget=forms.RadioSelect, choices=())

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(e.pk, f"{e.title} — {e.organisation}") for e in nominees]


class InvalidateForm(forms.Form):
    action = forms.ChoiceField(choices=[("invalidate", _("Invalidate")), ("reinstate", _("Reinstate"))],
                               widget=forms.HiddenInput)
    votes = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean_votes(self):
        raw = self.cleaned_data["votes"]
        try:
            return [int(v) for v in raw.replace(",", " ").split()]
        except ValueError as exc:
            raise forms.ValidationError(_("The list of votes is not valid.")) from exc


class ConfirmForm(forms.Form):
    winner = forms.TypedChoiceField(label=_("Winner"), coerce=int, widget=forms.RadioSelect, choices=())
    champions = forms.TypedMultipleChoiceField(label=_("Champions (up to four)"), coerce=int, required=False,
                                               widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args, finalists, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(e.pk, e.title) for e in finalists]
        self.fields["winner"].choices = choices
        self.fields["champions"].choices = choices
