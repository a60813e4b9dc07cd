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

from .languages import language_label, native_name
from .models import Initiative, TagSource, TargetGroup
from .selectors import ModerationFilters
from .snapshots import InitiativeData

__all__ = ["TranslationForm", "InitiativeForm", "MAX_GOALS_UNCONFIRMED", "ModerationTagsForm", "ModerationDecisionForm", "ModerationFilterForm", "ImportForm"]


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short_name or obj.title}"


class TargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        title = obj.title if len(obj.title) <= 90 else obj.title[:88] + "…"
        return f"{obj.code} {title}"


# More SDGs than this on one initiative asks the submitter to confirm each further one (docs/tagging.md:
# in the registry the careful entries name one to three goals; five leaves room for a cross-cutting
# programme, and beyond it a tag is more often a pre-ticked suggestion kept than a considered choice).
MAX_GOALS_UNCONFIRMED = 5
GOALS_TO_CONFIRM = _("You chose %(count)d SDGs. An initiative rarely works towards more than %(limit)d directly: "
                     "confirm each of SDG %(goals)s below, or untick it.")


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
        label=_("SDG targets the WSIS–SDG Matrix links to your action lines"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Suggestions only: nothing here is chosen for you. Tick a target only if the initiative "
                    "works towards it; the facilitators' reason for each link is shown below it."),
    )
    # The version of the entry the editor started from (wsis.core.concurrency).
    lock_version = version_field()
    goals = GoalChoiceField(
        queryset=Goal.objects.order_by("number"), to_field_name="number", required=False, label=_("SDGs"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The goals the initiative works towards directly. Most initiatives serve one to three."),
    )
    targets = TargetChoiceField(
        queryset=Target.objects.select_related("goal").order_by("goal__number", "order"), to_field_name="code",
        required=False, label=_("SDG targets"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Open a goal to see its targets. Choosing a target also tags its goal."),
    )
    # "Check tags" was used: the classifier's suggestions are shown again on every re-display of the
    # form, with the ones the submitter ticked (classifier_*) kept ticked.
    classifier_checked = forms.BooleanField(required=False, widget=forms.HiddenInput)
    classifier_goals = forms.TypedMultipleChoiceField(required=False, coerce=int, choices=[
        (n, n) for n in range(1, 18)], label=_("SDGs suggested by the classifier"))
    classifier_targets = forms.MultipleChoiceField(required=False, label=_("SDG targets suggested by the classifier"))
    classifier_action_lines = forms.MultipleChoiceField(required=False,
                                                        label=_("Action lines suggested by the classifier"))
    confirm_goals = forms.TypedMultipleChoiceField(
        required=False, coerce=int, choices=[(n, n) for n in range(1, 18)], widget=forms.CheckboxSelectMultiple,
        label=_("Confirm the further SDGs"),
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
        codes = [(c, c) for c in Target.objects.values_list("code", flat=True)]
        self.fields["matrix_targets"].choices = codes
        self.fields["classifier_targets"].choices = codes
        self.fields["classifier_action_lines"].choices = [
            (c, c) for c in ActionLine.objects.filter(is_leaf=True).values_list("code", flat=True)]
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
        if self.data.get("action") == "submit":
            unconfirmed = [n for n in self.goals_to_confirm() if n not in set(data.get("confirm_goals") or [])]
            if unconfirmed:
                self.add_error("confirm_goals", ValidationError(
                    GOALS_TO_CONFIRM, code="confirm_goals", params={
                        "count": len(self.chosen_goal_numbers()), "limit": MAX_GOALS_UNCONFIRMED,
                        "goals": ", ".join(str(n) for n in unconfirmed)}))
        return data

    def _values(self, name: str) -> list[str]:
        """The raw values of a field, bound or not (reference rows are named by their code or number)."""
        if self.is_bound:
            return [v for v in self.data.getlist(name) if v] if hasattr(self.data, "getlist") else list(
                self.data.get(name) or [])
        values = self.initial.get(name) or []
        if not isinstance(values, list | tuple | set):
            values = [values]
        return [str(getattr(v, "code", getattr(v, "number", v))) for v in values]

    def chosen_goal_numbers(self) -> list[int]:
        """Every SDG the form would tag: chosen directly, through a target, or from a suggestion accepted."""
        numbers = {int(v) for v in [*self._values("goals"), *self._values("classifier_goals")]
                   if str(v).isdigit() and 1 <= int(v) <= 17}
        codes = [*self._values("targets"), *self._values("matrix_targets"), *self._values("classifier_targets")]
        if codes:
            numbers |= set(Target.objects.filter(code__in=codes).values_list("goal__number", flat=True))
        return sorted(numbers)

    def goals_to_confirm(self) -> list[int]:
        """The SDGs beyond the first ``MAX_GOALS_UNCONFIRMED`` (by number) that the submitter must confirm."""
        numbers = self.chosen_goal_numbers()
        return numbers[MAX_GOALS_UNCONFIRMED:] if len(numbers) > MAX_GOALS_UNCONFIRMED else []

    def confirm_goal_choices(self) -> list[tuple[Goal, bool]]:
        confirmed = {str(v) for v in self._values("confirm_goals")}
        numbers = self.goals_to_confirm()
        goals = Goal.objects.filter(number__in=numbers).order_by("number") if numbers else []
        return [(g, str(g.number) in confirmed) for g in goals]

    def targets_by_goal(self) -> list[tuple[Goal, list[tuple[Target, bool]], int]]:
        """Every SDG target, grouped under its goal, with whether it is ticked and how many are, per goal."""
        ticked = set(self._values("targets"))
        groups: dict[int, tuple[Goal, list]] = {}
        for target in self.fields["targets"].queryset:
            groups.setdefault(target.goal_id, (target.goal, []))[1].append((target, target.code in ticked))
        return [(goal, items, sum(1 for _t, on in items if on)) for goal, items in groups.values()]

    def classifier_state(self) -> dict[str, set[str]]:
        """What the submitter already chose (main fields) and which classifier suggestions they ticked."""
        return {
            "goals": {str(v) for v in self._values("goals")},
            "targets": {*self._values("targets"), *self._values("matrix_targets")},
            "action_lines": {*self._values("action_lines"), *self._values("primary_action_line")},
            "accepted_goals": {str(v) for v in self._values("classifier_goals")},
            "accepted_targets": set(self._values("classifier_targets")),
            "accepted_action_lines": set(self._values("classifier_action_lines")),
        }

    def classifier_text(self) -> str:
        """The text the classifier reads: title, summary and description as typed."""
        source = self.data if self.is_bound else self.initial
        return "\n".join(str(source.get(k) or "") for k in ("title", "summary", "description")).strip()

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
        """Target code → ticked, for the Matrix suggestions to show now: only what the submitter ticked
        (on this form, or accepted and saved before). A suggestion is never ticked for them."""
        accepted = set(self._values("matrix_targets"))
        return {s.target.code: s.target.code in accepted for s in suggestions}

    def to_data(self) -> InitiativeData:
        d = self.cleaned_data
        targets = list(d.get("targets") or [])
        goals = list(d.get("goals") or [])
        action_lines = list(d.get("action_lines") or [])
        matrix_codes = set(d.get("matrix_targets") or [])
        matrix_targets = list(Target.objects.filter(code__in=matrix_codes)) if matrix_codes else []
        known = {t.pk for t in targets}
        targets += [t for t in matrix_targets if t.pk not in known]
        known |= {t.pk for t in matrix_targets}
        # Suggestions of the classifier the submitter ticked: tagged with the classifier as source,
        # unless the submitter also chose the same tag directly.
        sources: dict[str, dict[int, str]] = {"goals": {}, "targets": {}, "action_lines": {}}
        extra_targets = Target.objects.filter(code__in=d.get("classifier_targets") or []).select_related("goal")
        for target in extra_targets:
            if target.pk not in known:
                targets.append(target)
                known.add(target.pk)
                sources["targets"][target.pk] = TagSource.CLASSIFIER
        have_goals = {g.pk for g in goals}
        for goal in Goal.objects.filter(number__in=d.get("classifier_goals") or []):
            if goal.pk not in have_goals:
                goals.append(goal)
                sources["goals"][goal.pk] = TagSource.CLASSIFIER
        primary = d.get("primary_action_line")
        have_lines = {a.pk for a in action_lines} | ({primary.pk} if primary else set())
        for line in ActionLine.objects.filter(code__in=d.get("classifier_action_lines") or [], is_leaf=True):
            if line.pk not in have_lines:
                action_lines.append(line)
                sources["action_lines"][line.pk] = TagSource.CLASSIFIER
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
            countries=list(d.get("countries") or []), primary_action_line=primary,
            action_lines=action_lines, goals=goals, targets=targets,
            matrix_target_ids={t.pk for t in matrix_targets}, target_groups=list(d.get("target_groups") or []),
            target_sources={**existing, **sources["targets"]}, goal_sources=sources["goals"],
            action_line_sources=sources["action_lines"],
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
            "matrix_targets": matrix,
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


class ModerationTagsForm(forms.Form):
    """A moderator's correction of an initiative's tags: the full set to keep, and why."""

    action_lines = forms.ModelMultipleChoiceField(
        queryset=ActionLine.objects.filter(is_leaf=True).order_by("order"), to_field_name="code",
        label=_("Action lines"), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Untick to remove, tick to add. The primary action line stays unless you remove it."),
    )
    goals = GoalChoiceField(queryset=Goal.objects.order_by("number"), to_field_name="number", required=False,
                            label=_("SDGs"), widget=forms.CheckboxSelectMultiple,
                            help_text=_("Removing an SDG removes its targets too."))
    targets = TargetChoiceField(
        queryset=Target.objects.select_related("goal").order_by("goal__number", "order"), to_field_name="code",
        required=False, label=_("SDG targets"), widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=400, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required. The submitter receives it by e-mail with the list of changes."))

    _values = InitiativeForm._values
    targets_by_goal = InitiativeForm.targets_by_goal


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


class TranslationForm(forms.Form):
    """The title and summary of an initiative in another language (issue 21).

    Adding asks for the language (the list offers those still free: not the original's, not one
    already translated; the service names the problem if another is sent); changing keeps it and
    carries the translation's version (``lock_version``) against lost updates.
    """

    language = forms.ChoiceField(label=_("Language of the translation"))
    title = forms.CharField(label=_("Title"), max_length=255, strip=True)
    summary = forms.CharField(label=_("Summary"), max_length=1000, strip=True, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("One or two sentences (at most 1,000 characters)."))
    lock_version = version_field()

    def __init__(self, *args, initiative: Initiative, translation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative, self.translation = initiative, translation
        if translation is not None:  # changing one: its language stays
            del self.fields["language"]
            for name in ("title", "summary"):
                self.fields[name].widget.attrs["lang"] = translation.language
                self.fields[name].widget.attrs["dir"] = "rtl" if translation.language == "ar" else "ltr"
            return
        del self.fields["lock_version"]
        for name in ("title", "summary"):  # Arabic typed here runs right to left before the language is known
            self.fields[name].widget.attrs["dir"] = "auto"
        codes = [code for code, _name in Initiative._meta.get_field("language").choices]
        # Every platform language validates (the service explains why one is refused); the list offers the free ones.
        self.fields["language"].choices = [("", "—"), *[(c, self._label(c)) for c in codes]]
        taken = {initiative.language, *(t.language for t in initiative.translations.all())}
        self.fields["language"].widget.choices = [("", "—"), *[(c, self._label(c)) for c in codes if c not in taken]]

    @staticmethod
    def _label(code: str) -> str:
        native, name = native_name(code), language_label(code)
        return native if native.casefold() == name.casefold() else f"{native} ({name})"
