"""Forms of the forum pages. They parse and label input; the rules live in the services."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wsis.core.actions import form_add_service_errors
from wsis.core.concurrency import version_field
from wsis.core.formats import weekday_date
from wsis.core.forms import FormTokenField
from wsis.taxonomy.models import ActionLine, Goal

from .models import Gender, Milestone, Room, Session, SessionType, SpeakerRegion, Submission, SubmissionKind
from .services import Decision

__all__ = [
    "apply_service_errors",
    "SubmissionForm",
    "SpeakerForm",
    "SpeakerFormSet",
    "ReviewFilterForm",
    "ReviewActionForm",
    "ScheduleForm",
    "SessionForm",
    "OutcomeForm",
    "MilestoneForm",
    "AgendaFilterForm",
]


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on the named field where the form has it."""
    form_add_service_errors(form, exc)


def _leaf_lines():
    return ActionLine.objects.filter(is_leaf=True).order_by("order")


class ActionLineChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short_name or obj.title}"


class SubmissionForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    # One-time token: sending the same form twice (a double click) records one submission.
    form_token = FormTokenField()
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("What you propose or want the forum to address, in a few paragraphs."))
    issue = forms.CharField(label=_("Issue"), max_length=255, required=False,
                            help_text=_("The issue the forum should address, in one line."))
    session_format = forms.ChoiceField(label=_("Format"), required=False,
                                       choices=[("", "—")] + list(SessionType.choices))
    organisers = forms.CharField(label=_("Organisers"), max_length=500, required=False,
                                 help_text=_("The organisations that would run the session, separated by semicolons."))
    document_url = forms.URLField(label=_("Link to a document"), required=False, max_length=500,
                                  assume_scheme="https")
    action_lines = ActionLineChoiceField(label=_("WSIS action lines"), queryset=None, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    goals = GoalChoiceField(label=_("Sustainable Development Goals"), queryset=None, required=False,
                            widget=forms.CheckboxSelectMultiple)

    FIELDS_BY_KIND = {
        SubmissionKind.THEMATIC_INPUT: ["organisation", "title", "issue", "summary", "action_lines", "goals",
                                        "document_url"],
        SubmissionKind.SESSION_PROPOSAL: ["organisation", "title", "session_format", "organisers", "summary",
                                          "action_lines", "goals", "document_url"],
        SubmissionKind.SPEAKER_NOMINATION: ["organisation", "title", "summary", "action_lines", "goals"],
        SubmissionKind.HLTF_NOMINATION: ["organisation", "title", "summary", "action_lines", "goals"],
    }

    def __init__(self, *args, kind: str, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["organisation"].queryset = organisations
        self.fields["action_lines"].queryset = _leaf_lines()
        self.fields["goals"].queryset = Goal.objects.order_by("number")
        if kind in (SubmissionKind.SPEAKER_NOMINATION, SubmissionKind.HLTF_NOMINATION):
            self.fields["title"].label = _("Why this person (one line)")
            self.fields["summary"].label = _("Motivation")
            self.fields["summary"].help_text = _("Their experience and what they would bring to the forum.")
        for name in list(self.fields):
            if name not in self.FIELDS_BY_KIND[kind] and name != "form_token":
                del self.fields[name]


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=255, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.NOT_STATED)
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—")] + list(SpeakerRegion.choices), required=False)


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=4, max_num=12)
NomineeFormSet = forms.formset_factory(SpeakerForm, extra=1, max_num=1)


class ReviewFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds"))] + list(SubmissionKind.choices))
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states"))] + list(Submission.State.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ReviewActionForm(forms.Form):
    submissions = forms.ModelMultipleChoiceField(label=_("Selected submissions"), queryset=None,
                                                 widget=forms.CheckboxSelectMultiple,
                                                 error_messages={"required": _("Select at least one submission.")})
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (Decision.ACCEPT, _("Accept")), (Decision.MERGE, _("Merge into another submission")),
        (Decision.DECLINE, _("Decline")),
    ])
    merge_into = forms.ModelChoiceField(label=_("Merge into"), queryset=None, required=False)
    reason = forms.CharField(label=_("Reason or note to the submitters"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required when declining; sent to the submitters by e-mail."))

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Submission.objects.filter(edition=edition)
        self.fields["submissions"].queryset = qs
        self.fields["merge_into"].queryset = qs.exclude(
            state__in=[Submission.State.MERGED, Submission.State.DECLINED]).order_by("title")


class ScheduleForm(forms.Form):
    lock_version = version_field()  # the session's version when the form was opened
    room = forms.ModelChoiceField(label=_("Room"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["room"].queryset = Room.objects.filter(edition=edition).order_by("name")
        self.fields["day"].help_text = _("Times are in the time zone of the forum (%(tz)s).") % {"tz": edition.timezone}

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        tz = ZoneInfo(self.edition.timezone)
        day = self.cleaned_data["day"]
        return (dt.datetime.combine(day, self.cleaned_data["start"], tzinfo=tz),
                dt.datetime.combine(day, self.cleaned_data["end"], tzinfo=tz))


class SessionForm(forms.Form):
    """A session the secretariat puts on the agenda itself (facilitation meetings, ceremonies…)."""

    title = forms.CharField(label=_("Title"), max_length=255)
    type = forms.ChoiceField(label=_("Session type"), choices=SessionType.choices)
    organisers = forms.CharField(label=_("Organisers"), max_length=500, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    action_lines = ActionLineChoiceField(label=_("WSIS action lines"), queryset=None, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    goals = GoalChoiceField(label=_("Sustainable Development Goals"), queryset=None, required=False,
                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_lines"].queryset = _leaf_lines()
        self.fields["goals"].queryset = Goal.objects.order_by("number")


class OutcomeForm(forms.Form):
    lock_version = version_field()  # the outcome's version when the form was opened (0: none yet)
    key_points = forms.CharField(label=_("Key points"), widget=forms.Textarea(attrs={"rows": 8}),
                                 help_text=_("What the session concluded and recommended."))
    action_lines = ActionLineChoiceField(label=_("Action lines addressed"), queryset=None,
                                         widget=forms.CheckboxSelectMultiple)
    goals = GoalChoiceField(label=_("SDGs addressed"), queryset=None, required=False,
                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_lines"].queryset = _leaf_lines()
        self.fields["goals"].queryset = Goal.objects.order_by("number")


class MilestoneForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")
    lock_version = version_field()  # the version the editor started from (editing only)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("lock_version", self.instance.lock_version)
        else:
            del self.fields["lock_version"]

    class Meta:
        model = Milestone
        fields = ["slug", "kind", "date", "end_date", "precision", "reference", "url", "title_en", "title_fr",
                  "title_es", "title_ar", "title_ru", "title_zh_hans", "description_en", "source"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description_en": forms.Textarea(attrs={"rows": 4})}


class AgendaFilterForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=forms.Select)
    track = forms.ChoiceField(label=_("Track"), required=False,
                              choices=[("", _("All tracks"))] + list(Session.Track.choices))
    type = forms.ChoiceField(label=_("Session type"), required=False,
                             choices=[("", _("All types"))] + list(SessionType.choices))
    action_line = forms.ChoiceField(label=_("Action line"), required=False)
    goal = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None)
    room = forms.TypedChoiceField(label=_("Room"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, days=(), rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.choices = [("", _("All days"))] + [
            (d.isoformat(), weekday_date(d)) for d in days]
        self.fields["action_line"].choices = [("", _("All action lines"))] + [
            (al.code, al.label) for al in _leaf_lines()]
        self.fields["goal"].choices = [("", _("All SDGs"))] + [
            (g.number, f"{g.number}. {g.short_name or g.title}") for g in Goal.objects.order_by("number")]
        self.fields["room"].choices = [("", _("All rooms"))] + [(r.pk, r.name) for r in rooms]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
