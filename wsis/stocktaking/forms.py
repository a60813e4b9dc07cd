"""Forms of the stocktaking pages: the submission form, moderation decisions, filters and import."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wsis.core.concurrency import version_field
from wsis.core.forms import FormTokenField
from wsis.core.uploads import archive_check, is_zip
from wsis.taxonomy.forms import CountryChoiceField
from wsis.taxonomy.models import ActionLine, Goal, Target

from .models import Initiative, TagSource, TargetGroup
from .selectors import ModerationFilters
from .snapshots import InitiativeData

__all__ = ["InitiativeForm", "ModerationDecisionForm", "ModerationFilterForm", "ImportForm"]


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short_name or obj.title}"


class TargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        title = obj.title if len(obj.title) <= 90 else obj.title[:88] + "…"
        return f"{obj.code} {title}"


class InitiativeForm(forms.Form):
    """The submission form. Everything but the title may be left for later in a draft."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None,
                                          help_text=_("The organisation that registers this initiative."))
    # One-time token of the create form: a double click on "Save and submit" creates one entry.
    form_token = FormTokenField()
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), max_length=1000, required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("One or two sentences (at most 1,000 characters)."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                                  help_text=_("What the initiative does, for whom, and with what results."))
    language = forms.ChoiceField(label=_("Language of this entry"), choices=Initiative._meta.get_field(
        "language").choices, initial="en")
    kind = forms.ChoiceField(label=_("Kind"), choices=Initiative.Kind.choices, initial=Initiative.Kind.PROJECT)
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices, initial=Initiative.Status.ONGOING)
    start_date = forms.DateField(label=_("Start date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("End date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               help_text=_("Leave empty if the initiative is ongoing."))
    coverage = forms.ChoiceField(label=_("Geographic coverage"), choices=Initiative.Coverage.choices,
                                 initial=Initiative.Coverage.NATIONAL)
    countries = CountryChoiceField(
        required=False, label=_("Countries"),
        help_text=_("Where the initiative works. Open a region and tick each country."),
    )
    primary_action_line = forms.ModelChoiceField(
        queryset=ActionLine.objects.filter(is_leaf=True).order_by("order"), to_field_name="code", required=False,
        label=_("Primary action line"), empty_label=_("— choose —"),
        help_text=_("The WSIS action line the initiative contributes to most."),
    )
    action_lines = forms.ModelMultipleChoiceField(
        queryset=ActionLine.objects.filter(is_leaf=True).order_by("order"), to_field_name="code", required=False,
        label=_("Further action lines"), widget=forms.CheckboxSelectMultiple,
    )
    matrix_targets = forms.MultipleChoiceField(
        label=_("SDG targets suggested by the WSIS–SDG Matrix"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The Matrix links these targets to the action lines you chose. Keep the ones that apply."),
    )
    # The suggestions shown the last time the form was rendered: new ones are ticked, cleared ones stay clear.
    suggestions_shown = forms.CharField(required=False, widget=forms.HiddenInput)
    # The version of the entry the editor started from (wsis.core.concurrency).
    lock_version = version_field()
    goals = GoalChoiceField(
        queryset=Goal.objects.order_by("number"), to_field_name="number", required=False, label=_("SDGs"),
        widget=forms.CheckboxSelectMultiple,
    )
    targets = TargetChoiceField(
        queryset=Target.objects.select_related("goal").order_by("goal__number", "order"), to_field_name="code",
        required=False, label=_("Other SDG targets"), widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Targets the Matrix did not suggest but the initiative serves."),
    )
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), choices=TargetGroup.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    gender_marker = forms.TypedChoiceField(
        label=_("Gender marker"), choices=Initiative.GenderMarker.choices, coerce=int, initial=0,
        widget=forms.RadioSelect,
        help_text=_("Is gender equality an objective? As in the OECD DAC gender equality policy marker."),
    )
    partners = forms.CharField(label=_("Partners"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Partner organisations, one per line."))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    reason = forms.CharField(label=_("What changed"), max_length=500, required=False,
                             help_text=_("A short note for the moderators and the revision history (optional)."))
    confirm_distinct = forms.BooleanField(
        label=_("This is a different initiative from the similar one(s) above"), required=False,
    )

    def __init__(self, *args, organisations=None, initiative: Initiative | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["matrix_targets"].choices = [(c, c) for c in Target.objects.values_list("code", flat=True)]
        if initiative is not None:
            # The owner of an existing initiative does not change; only creating needs a token.
            del self.fields["organisation"]
            del self.fields["form_token"]
        else:
            self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data

    def chosen_action_lines(self) -> list[ActionLine]:
        """The action lines picked so far, even when other fields are invalid (for suggestions)."""
        if self.is_bound:
            codes = [self.data.get("primary_action_line", ""), *self.data.getlist("action_lines")]
        else:
            primary = self.initial.get("primary_action_line")
            codes = [getattr(primary, "code", primary or ""), *[getattr(a, "code", a) for a in
                                                               self.initial.get("action_lines", [])]]
        codes = [c for c in codes if c]
        return list(ActionLine.objects.filter(code__in=codes, is_leaf=True).order_by("order")) if codes else []

    def suggestion_state(self, suggestions) -> dict[str, bool]:
        """Target code → ticked, for the suggestions to show now."""
        if not self.is_bound:
            accepted = set(self.initial.get("matrix_targets", []))
            if self.initiative is None:
                return {s.target.code: True for s in suggestions}
            # Reopening a saved entry: show exactly what was accepted before.
            return {s.target.code: s.target.code in accepted for s in suggestions}
        ticked = set(self.data.getlist("matrix_targets"))
        shown = set(self.data.get("suggestions_shown", "").split())
        return {s.target.code: (s.target.code in ticked or s.target.code not in shown) for s in suggestions}

    def to_data(self) -> InitiativeData:
        d = self.cleaned_data
        targets = list(d.get("targets") or [])
        matrix_codes = set(d.get("matrix_targets") or [])
        matrix_targets = list(Target.objects.filter(code__in=matrix_codes)) if matrix_codes else []
        known = {t.pk for t in targets}
        targets += [t for t in matrix_targets if t.pk not in known]
        existing = {}
        if self.initiative is not None:
            existing = {t.target_id: t.source for t in self.initiative.target_tags.all()
                        if t.source in (TagSource.CLASSIFIER, TagSource.MODERATOR)}
        return InitiativeData(
            title=d["title"], summary=d.get("summary", ""), description=d.get("description", ""),
            language=d.get("language") or "en", kind=d.get("kind") or Initiative.Kind.PROJECT,
            status=d.get("status") or Initiative.Status.ONGOING, start_date=d.get("start_date"),
            end_date=d.get("end_date"), coverage=d.get("coverage") or Initiative.Coverage.NATIONAL,
            gender_marker=d.get("gender_marker") or 0, partners=d.get("partners", ""), website=d.get("website", ""),
            countries=list(d.get("countries") or []), primary_action_line=d.get("primary_action_line"),
            action_lines=list(d.get("action_lines") or []), goals=list(d.get("goals") or []), targets=targets,
            matrix_target_ids={t.pk for t in matrix_targets}, target_groups=list(d.get("target_groups") or []),
            target_sources=existing,
        )

    @staticmethod
    def initial_from(data: InitiativeData) -> dict:
        matrix = [t.code for t in data.targets if t.pk in data.matrix_target_ids]
        return {
            "title": data.title, "summary": data.summary, "description": data.description,
            "language": data.language, "kind": data.kind, "status": data.status, "start_date": data.start_date,
            "end_date": data.end_date, "coverage": data.coverage, "gender_marker": data.gender_marker,
            "partners": data.partners, "website": data.website, "countries": data.countries,
            "primary_action_line": data.primary_action_line, "action_lines": data.action_lines,
            "goals": list(data.goals), "targets": [t for t in data.targets if t.pk not in data.matrix_target_ids],
            "matrix_targets": matrix, "suggestions_shown": " ".join(matrix),
            "target_groups": data.target_groups,
        }


class ModerationDecisionForm(forms.Form):
    """A moderator's decision and the comment the submitter will read."""

    DECISIONS = [("start_review", _("Start review")), ("approve", _("Approve and publish")),
                 ("return", _("Return to the submitter")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment for the submitter"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required when returning or rejecting; the submitter reads it."))
    # The fingerprint of the content the page displayed (services.initiative_moderation_fingerprint):
    # a decision on content that changed since is refused. Empty counts as "not the current content".
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("return", "reject") and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Write a comment for the submitter when you return or reject an entry."))
        return data


class ModerationFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("Waiting (submitted or in review)")), (Initiative.State.SUBMITTED, _("Submitted")),
        (Initiative.State.IN_REVIEW, _("In review"))])
    organisation = forms.CharField(label=_("Organisation (slug)"), required=False, max_length=120)
    country = forms.CharField(label=_("Country (ISO3)"), required=False, max_length=3)
    action_line = forms.ModelChoiceField(
        label=_("Action line"), required=False, to_field_name="code",
        queryset=ActionLine.objects.filter(is_leaf=True).order_by("order"), empty_label=_("All"))
    submitted_from = forms.DateField(label=_("Submitted from"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    submitted_to = forms.DateField(label=_("Submitted until"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> ModerationFilters:
        if not self.is_bound or not self.is_valid():
            return ModerationFilters()
        d = self.cleaned_data
        return ModerationFilters(state=d["state"], organisation=d["organisation"].strip(), country=d["country"].strip(),
                                 action_line=d["action_line"].code if d["action_line"] else "",
                                 submitted_from=d["submitted_from"], submitted_to=d["submitted_to"])


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    file = forms.FileField(label=_("File (CSV or XLSX)"),
                           help_text=_("Use the template. At most 5,000 rows and 10 MB."))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 10 MB."))
        if name.endswith(".xlsx") or is_zip(upload):
            archive_check(upload)  # the unpacked size, before anything reads the workbook
        return upload


class ProgressReportForm(forms.Form):
    """The yearly progress report of an organisation on one of its published initiatives (issue 18)."""

    year = forms.IntegerField(label=_("Reporting year"), min_value=1990, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices)
    deliverables = forms.CharField(label=_("Deliverables achieved"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                                   help_text=_("What the initiative delivered during the year."))
    people_reached = forms.IntegerField(label=_("People reached"), required=False, min_value=0, max_value=2_000_000_000,
                                        help_text=_("An estimate; leave empty if unknown."))
    resources = forms.CharField(label=_("Resources"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Budget, staff and in-kind resources used during the year."))
    obstacles = forms.CharField(label=_("Obstacles"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))
