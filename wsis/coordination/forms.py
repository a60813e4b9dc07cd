"""Forms of the coordination pages (parse input only; the services validate and write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wsis.core.concurrency import version_field
from wsis.indicators.models import Indicator
from wsis.taxonomy.gdc import gdc_objectives
from wsis.taxonomy.models import Agency, Country, Target

from .models import EvidenceLink, Objective

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TargetChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"[:160]


def _gdc_choices():
    """The objectives' names in the language of the request (the choices are read when the form is shown)."""
    return [(o.code, o.label) for o in gdc_objectives()]


class RoadMapForm(forms.Form):
    lock_version = version_field()
    summary = forms.CharField(label=_("Summary"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    targets = TargetChoice(label=_("SDG targets"), queryset=Target.objects.none(), required=False,
                           widget=forms.CheckboxSelectMultiple,
                           help_text=_("The targets the WSIS–SDG Matrix links to this action line."))
    gdc_objectives = forms.MultipleChoiceField(
        label=_("Global Digital Compact objectives"), required=False, choices=_gdc_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wording of the objectives not yet checked against the adopted text."))

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = targets if targets is not None else Target.objects.none()


class ObjectiveForm(forms.Form):
    text = forms.CharField(label=_("New objective"), max_length=500)


class MilestoneForm(forms.Form):
    lock_version = version_field()
    title = forms.CharField(label=_("Title"), max_length=300)
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    agencies = forms.ModelMultipleChoiceField(label=_("Responsible agencies"), queryset=Agency.objects.all(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.all(), required=False,
                                       help_text=_("Optional: follow an ICT indicator; its status is then computed "
                                                   "from the data."))
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all(), required=False,
                                     help_text=_("Leave empty to follow the world value published by the source."))
    baseline_year = forms.IntegerField(label=_("Baseline year"), required=False, min_value=1990, max_value=2100)
    baseline_value = forms.FloatField(label=_("Baseline value"), required=False)
    target_value = forms.FloatField(label=_("Target value"), required=False)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE,
                                   help_text=_("For a milestone without an indicator: when it was reached."))

    def __init__(self, *args, road_map=None, **kwargs):
        super().__init__(*args, **kwargs)
        if road_map is not None:
            self.fields["objective"].queryset = road_map.objectives.all()


class StatusUpdateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    completed_on = forms.DateField(label=_("Milestone reached on"), required=False, widget=DATE,
                                   help_text=_("Only for a milestone without an indicator."))
    initiative = forms.CharField(label=_("Evidence: a registered initiative"), required=False, max_length=300,
                                 help_text=_("The initiative's address, e.g. /en/initiatives/12/."))
    forum_session = forms.CharField(label=_("Evidence: a WSIS Forum session"), required=False, max_length=300,
                                    help_text=_("The session's address, e.g. /en/forum/2026/sessions/3/."))
    review_report = forms.CharField(label=_("Evidence: a regional review report"), required=False, max_length=300,
                                    help_text=_("The report's address, e.g. /en/reviews/2/reports/1/."))

    def evidence(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(EvidenceLink.Kind.INITIATIVE, d.get("initiative", "")),
                (EvidenceLink.Kind.FORUM_SESSION, d.get("forum_session", "")),
                (EvidenceLink.Kind.REVIEW_REPORT, d.get("review_report", ""))]


class PublishForm(forms.Form):
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class MeetingForm(forms.Form):
    lock_version = version_field()
    action_line = forms.ChoiceField(label=_("Action line"))
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DATE)
    forum_session_path = forms.CharField(label=_("WSIS Forum session"), required=False, max_length=300,
                                         help_text=_("The session's address on this platform, if the meeting was one."))
    agenda = forms.CharField(label=_("Agenda"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))
    participants = forms.CharField(label=_("Participants"), required=False, max_length=8000,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=_("One participant or organisation per line."))
    minutes = forms.CharField(label=_("Minutes"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, action_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_line"].choices = [(al.code, f"{al.code} {al.name}") for al in action_lines]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=1000)
    due_date = forms.DateField(label=_("By when"), required=False, widget=DATE)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    session = forms.CharField(label=_("For"), max_length=100, help_text=_("E.g. CSTD 30th session (2027)."))
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)


class ContributionForm(forms.Form):
    lock_version = version_field()
    milestones_total = forms.IntegerField(label=_("Milestones in the road map"), min_value=0, max_value=100000)
    milestones_achieved = forms.IntegerField(label=_("Milestones achieved"), min_value=0, max_value=100000)
    milestones_late = forms.IntegerField(label=_("Milestones late"), min_value=0, max_value=100000)
    initiatives_total = forms.IntegerField(label=_("Published initiatives on the action line"), min_value=0,
                                           max_value=10_000_000)
    initiatives_active = forms.IntegerField(label=_("Of which active"), min_value=0, max_value=10_000_000)
    initiatives_new = forms.IntegerField(label=_("Initiatives published in the period"), min_value=0,
                                         max_value=10_000_000)
    events_held = forms.IntegerField(label=_("Meetings and events held"), min_value=0, max_value=100000)
    highlights = forms.CharField(label=_("Highlights"), required=False, max_length=8000,
                                 widget=forms.Textarea(attrs={"rows": 6}))
    challenges = forms.CharField(label=_("Challenges"), required=False, max_length=8000,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, max_length=8000,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if (data.get("milestones_achieved") or 0) + (data.get("milestones_late") or 0) > (data.get("milestones_total") or 0):
            self.add_error("milestones_achieved", _("Achieved and late milestones cannot outnumber the milestones."))
        if (data.get("initiatives_active") or 0) > (data.get("initiatives_total") or 0):
            self.add_error("initiatives_active", _("Active initiatives cannot outnumber the published ones."))
        return data
