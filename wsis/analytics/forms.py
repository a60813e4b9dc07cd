"""The analytics filter form (a plain GET form: shareable URLs, works without JavaScript) and the
facilitator's Matrix edit forms."""

from html import escape

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import Translated
from wsis.stocktaking.filters import ACTIVITY, GROUP_FLAGS, TAG_QUALITY, InitiativeFilters, parse_filters
from wsis.stocktaking.models import Initiative, TargetGroup
from wsis.taxonomy.models import Country, Goal, Region, RegionalCommission, StakeholderType, Target

from .selectors import FIRST_YEAR

__all__ = ["CoverageFilterForm", "MatrixLinkAddForm", "MatrixLinkEditForm", "MatrixLinkRemoveForm", "FastSelect"]


class FastSelect(forms.Select):
    """A ``<select>`` written in one pass of string building.

    Django renders each ``<option>`` through a template, which made the filter form (300 options, most
    of them countries) take longer than the coverage query itself. The markup is the same.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {"" if value is None else str(value)} if not isinstance(value, (list, tuple)) else {
            str(v) for v in value}
        html_attrs = "".join(
            f' {escape(key)}="{escape(str(val))}"' if val is not True else f" {escape(key)}"
            for key, val in final.items() if val is not False and val is not None
        )

        def option(val, label):
            val = "" if val is None else str(val)
            selected = " selected" if val in chosen else ""
            return f'<option value="{escape(val)}"{selected}>{escape(str(label))}</option>'

        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                inner = "".join(option(v, lab) for v, lab in group_label)
                parts.append(f'<optgroup label="{escape(str(group_value))}">{inner}</optgroup>')
            else:
                parts.append(option(group_value, group_label))
        return mark_safe(f"<select{html_attrs}>{''.join(parts)}</select>")

FILTER_FIELDS = ["region", "commission", "country", "group", "stakeholder_type", "kind", "status",
                 "year_from", "year_to", "target_group", "gender_marker", "tags", "activity"]


class CoverageFilterForm(forms.Form):
    """The widgets of the initiative filter set that the analytics pages offer.

    The input is read and checked by the one parser (``wsis.stocktaking.filters.parse_filters``), not by
    these fields: its messages become the fields' errors, and the invalid values are left out.
    """

    region = forms.ChoiceField(label=_("Region"), required=False, widget=FastSelect)
    commission = forms.ChoiceField(label=_("Regional commission"), required=False, widget=FastSelect)
    country = forms.ChoiceField(label=_("Country or area"), required=False, widget=FastSelect)
    group = forms.MultipleChoiceField(label=_("Country group"), required=False, widget=forms.CheckboxSelectMultiple,
                                      choices=list(GROUP_FLAGS.items()),
                                      help_text=_("A country in any of the groups ticked."))
    stakeholder_type = forms.ChoiceField(label=_("Stakeholder type"), required=False, widget=FastSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=FastSelect,
                             choices=[("", _("All kinds")), *Initiative.Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect,
                               choices=[("", _("Any status")), *Initiative.Status.choices])
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=FIRST_YEAR, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=FIRST_YEAR, max_value=2100)
    target_group = forms.ChoiceField(label=_("Target group"), required=False, widget=FastSelect,
                                     choices=[("", _("Any target group")), *TargetGroup.choices])
    gender_marker = forms.TypedChoiceField(
        label=_("Gender marker"), required=False, widget=FastSelect, coerce=int, empty_value=None,
        choices=[("", _("Any")), *[(str(v), label) for v, label in Initiative.GenderMarker.choices]],
    )
    tags = forms.ChoiceField(label=_("Tags"), required=False, widget=FastSelect,
                             choices=[("", _("All tags, checked or not")), *TAG_QUALITY.items()],
                             help_text=_("Count only initiatives whose tags a moderator has confirmed."))

    activity = forms.ChoiceField(label=_("Activity"), required=False, widget=FastSelect,
                                 choices=[("", _("All published initiatives")), *ACTIVITY.items()],
                                 help_text=_("Count active initiatives only: reported on or published in the "
                                             "last two years."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = list(Region.objects.filter(level__in=[Region.Level.REGION, Region.Level.SUB_REGION])
                       .order_by("level", Translated.column("name")))
        self.fields["region"].choices = [
            ("", _("All regions")),
            (_("Regions"), [(r.m49, r.name) for r in regions if r.level == Region.Level.REGION]),
            (_("Sub-regions"), [(r.m49, r.name) for r in regions if r.level == Region.Level.SUB_REGION]),
        ]
        self.fields["commission"].choices = [("", _("All commissions"))] + [
            (c.code, f"{c.code} – {c.name}") for c in RegionalCommission.objects.all()
        ]
        column = Translated.column("name")
        self.fields["country"].choices = [("", _("All countries and areas"))] + [
            (iso3, local or english) for iso3, local, english in
            Country.objects.order_by(column, "name_en").values_list("iso3", column, "name_en")
        ]
        self.fields["stakeholder_type"].choices = [("", _("All stakeholder types"))] + [
            (s.code, s.name) for s in StakeholderType.objects.all()
        ]

    def full_clean(self):
        """Parse with the one parser; its errors on this form's fields (the others' on the form)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        self.parsed = parse_filters(self.data if self.is_bound else {})
        if not self.is_bound:
            return
        for name, messages in self.parsed.errors.items():
            # Django's BoundField then ties each message to its input (aria-invalid, aria-describedby).
            self._errors[name if name in self.fields else NON_FIELD_ERRORS] = self.error_class(messages)
        self.cleaned_data = {name: getattr(self.parsed.filters, name) for name in self.fields}

    def summary(self) -> list[tuple[str, str]]:
        """(label, shown value) of each filter in use, for the printed page and screen readers."""
        f = self.filters()
        out = []
        for name in FILTER_FIELDS:
            value = getattr(f, name)
            if value in (None, "", []):
                continue
            field = self.fields[name]
            labels = {}
            for choice, label in getattr(field, "choices", []):
                if isinstance(label, (list, tuple)):
                    labels.update({str(v): str(lab) for v, lab in label})
                else:
                    labels[str(choice)] = str(label)
            shown = [labels.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value])]
            out.append((str(field.label), ", ".join(shown)))
        return out

    def filters(self) -> InitiativeFilters:
        """The valid part of the input (an invalid value is shown with its error and left out)."""
        self.errors  # noqa: B018 - parses once
        return self.parsed.filters


class MatrixLinkAddForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("SDG"), queryset=Goal.objects.all(), to_field_name="number")
    target = forms.ModelChoiceField(
        label=_("SDG target"), queryset=Target.objects.select_related("goal"), to_field_name="code", required=False,
        help_text=_("Leave empty to link the goal as a whole."),
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                                required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        goal, target = data.get("goal"), data.get("target")
        if goal and target and target.goal_id != goal.pk:
            self.add_error("target", _("This target belongs to another SDG."))
        return data


class MatrixLinkEditForm(forms.Form):
    link = forms.IntegerField(label=_("Link"), widget=forms.HiddenInput)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                                required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)


class MatrixLinkRemoveForm(forms.Form):
    link = forms.IntegerField(label=_("Link"), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)
