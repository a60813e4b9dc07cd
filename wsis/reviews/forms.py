"""Forms of the regional reviews: cycles, the questionnaire builder, invitations, delegations,
the answer form built from a questionnaire section, and the report's narrative sections."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wsis.core.actions import form_add_service_errors
from wsis.core.concurrency import version_field
from wsis.core.i18n import LANGUAGE_LABELS, LANGUAGE_SUFFIXES
from wsis.taxonomy.models import ActionLine, Goal

from .answers import MAX_TABLE_ROWS, clean_value
from .models import Question, QuestionnaireSection, ReviewCycle

__all__ = [
    "CycleForm",
    "SectionsForm",
    "CopyForm",
    "QuestionForm",
    "InvitationForm",
    "DelegationForm",
    "SectionAnswerForm",
    "NarrativesForm",
    "ReportRequestForm",
    "parse_options",
]

LANGS = list(LANGUAGE_SUFFIXES)  # ar en es fr ru zh-hans


_ROW_NUMBER = re.compile(r"[0-9]{1,6}")


def _suffix(lang: str) -> str:
    return LANGUAGE_SUFFIXES[lang]


class DateInput(forms.DateInput):
    input_type = "date"


class CycleForm(forms.Form):
    commission = forms.ModelChoiceField(label=_("Regional commission"), queryset=None)
    year = forms.IntegerField(label=_("Year under review"), min_value=2003, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=255, required=False,
                            help_text=_("Leave empty for “<commission> regional review of WSIS implementation, <year>”."))
    theme = forms.CharField(label=_("Theme"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Leave empty to use the theme of that year's High-level Political Forum."))
    opens_on = forms.DateField(label=_("Questionnaire opens on"), required=False, widget=DateInput)
    closes_on = forms.DateField(label=_("Questionnaire deadline"), required=False, widget=DateInput)
    goals = forms.ModelMultipleChoiceField(
        label=_("SDGs under review"), queryset=Goal.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to use the SDGs under in-depth review at that year's HLPF."),
    )

    def __init__(self, *args, commissions=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["lock_version"] = version_field()
            del self.fields["commission"]
            del self.fields["year"]
            self.fields["title"].required = True
            self.fields["goals"].help_text = ""
        else:
            self.fields["commission"].queryset = commissions
        self.fields["goals"].label_from_instance = lambda g: f"{g.number}. {g.short_name or g.title}"

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The deadline must be on or after the opening date."))
        return data


class SectionsForm(forms.Form):
    action_lines = forms.ModelMultipleChoiceField(
        label=_("Action lines"), queryset=ActionLine.objects.filter(is_leaf=True).order_by("order"),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("One section per action line. Tick none and use “All 18” to add every unit."),
    )
    all_units = forms.BooleanField(label=_("All 18 action-line units"), required=False)
    starter = forms.BooleanField(
        label=_("Add the standard questions"), required=False, initial=True,
        help_text=_("Policy in place, progress, priorities, initiatives from the registry, achievements."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_lines"].label_from_instance = lambda al: al.label

    def clean(self):
        data = super().clean()
        if data.get("all_units"):
            data["action_lines"] = list(ActionLine.objects.filter(is_leaf=True).order_by("order"))
        if not data.get("action_lines"):
            self.add_error("action_lines", _("Choose at least one action line."))
        return data


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the questionnaire of"), queryset=ReviewCycle.objects.none())

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources if sources is not None else ReviewCycle.objects.none()
        self.fields["source"].label_from_instance = lambda c: f"{c.commission.code} {c.year} – {c.title}"


def parse_options(text: str, *, key_name: str) -> list[dict]:
    """Lines ``code | English label | fr: libellé | ar: …`` into ``[{key_name: code, "label": {…}}]``.

    A line with only a label gets a code made from it. Raises ``ValidationError`` naming the line.
    """
    from django.utils.text import slugify

    options, seen = [], set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 1:
            code, english, rest = slugify(parts[0])[:60], parts[0], []
        else:
            code, english, rest = slugify(parts[0])[:60], parts[1], parts[2:]
        if not code or not english:
            raise ValidationError(_("Line %(n)d: write “code | label”.") % {"n": number})
        if code in seen:
            raise ValidationError(_("Line %(n)d: the code “%(code)s” is used twice.") % {"n": number, "code": code})
        seen.add(code)
        label = {"en": english}
        for piece in rest:
            lang, sep, text_ = piece.partition(":")
            lang = lang.strip().lower()
            if not sep or lang not in LANGUAGE_SUFFIXES:
                raise ValidationError(_("Line %(n)d: write translations as “fr: libellé” with one of the codes "
                                        "%(codes)s.") % {"n": number, "codes": ", ".join(LANGS)})
            label[lang] = text_.strip()
        options.append({key_name: code, "label": label})
    return options


def format_options(options: list[dict], *, key_name: str) -> str:
    lines = []
    for option in options or []:
        label = dict(option.get("label") or {})
        english = label.pop("en", "")
        extra = "".join(f" | {lang}: {text}" for lang, text in label.items() if text)
        lines.append(f"{option[key_name]} | {english}{extra}")
    return "\n".join(lines)


class QuestionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60, required=False,
                           help_text=_("Letters, digits and hyphens; unique in the questionnaire. Answers carry over "
                                       "to next year's cycle by code. Leave empty to number it."))
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices_text = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single and multiple choice: one per line, “code | English label”, optionally followed by "
                    "“| fr: libellé | ar: …”."))
    columns_text = forms.CharField(
        label=_("Table columns"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For table rows: one column per line, in the same form as choices."))
    scale_min = forms.IntegerField(label=_("Scale from"), initial=1, min_value=0, max_value=10)
    scale_max = forms.IntegerField(label=_("Scale to"), initial=5, min_value=1, max_value=10)
    condition_question = forms.ModelChoiceField(
        label=_("Show only if question"), queryset=Question.objects.none(), required=False,
        help_text=_("A yes/no or choice question of this questionnaire."))
    condition_value = forms.CharField(label=_("has the answer"), max_length=60, required=False,
                                      help_text=_("“yes”, “no”, or the code of a choice."))
    prefill = forms.ChoiceField(label=_("Prefill"), choices=Question.Prefill.choices, required=False)

    def __init__(self, *args, cycle: ReviewCycle, instance: Question | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            initial = {
                "code": instance.code, "kind": instance.kind, "required": instance.required,
                "choices_text": format_options(instance.choices, key_name="value"),
                "columns_text": format_options(instance.columns, key_name="key"),
                "scale_min": instance.scale_min, "scale_max": instance.scale_max,
                "condition_question": instance.condition_question_id, "condition_value": instance.condition_value,
                "prefill": instance.prefill, "lock_version": instance.lock_version,
            }
            for lang in LANGS:
                initial[f"label_{_suffix(lang)}"] = (instance.label or {}).get(lang, "")
                initial[f"help_{_suffix(lang)}"] = (instance.help_text or {}).get(lang, "")
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["lock_version"] = version_field()
        for lang in LANGS:
            name = LANGUAGE_LABELS[lang]
            self.fields[f"label_{_suffix(lang)}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": name}, required=lang == "en",
                widget=forms.Textarea(attrs={"rows": 2, "lang": lang, "dir": "rtl" if lang == "ar" else "auto"}))
            self.fields[f"help_{_suffix(lang)}"] = forms.CharField(
                label=_("Help text (%(language)s)") % {"language": name}, required=False,
                widget=forms.Textarea(attrs={"rows": 2, "lang": lang, "dir": "rtl" if lang == "ar" else "auto"}))
        qs = Question.objects.filter(section__questionnaire__cycle=cycle,
                                     kind__in=[Question.Kind.YES_NO, Question.Kind.SINGLE, Question.Kind.MULTIPLE])
        if instance is not None:
            qs = qs.exclude(pk=instance.pk)
        self.fields["condition_question"].queryset = qs.order_by("section__order", "order")
        self.fields["condition_question"].label_from_instance = lambda q: f"{q.code} – {q.text[:80]}"

    @property
    def english_fields(self):
        return [self["code"], self["kind"], self["label_en"], self["help_en"], self["required"]]

    @property
    def translation_fields(self):
        return [self[f"{kind}_{_suffix(lang)}"] for lang in LANGS if lang != "en" for kind in ("label", "help")]

    def clean_choices_text(self):
        return parse_options(self.cleaned_data.get("choices_text", ""), key_name="value")

    def clean_columns_text(self):
        return parse_options(self.cleaned_data.get("columns_text", ""), key_name="key")

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "code": d["code"], "kind": d["kind"], "required": d["required"],
            "label": {lang: d[f"label_{_suffix(lang)}"].strip() for lang in LANGS if d.get(f"label_{_suffix(lang)}")},
            "help_text": {lang: d[f"help_{_suffix(lang)}"].strip() for lang in LANGS
                          if d.get(f"help_{_suffix(lang)}")},
            "choices": d["choices_text"] if d["kind"] in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) else [],
            "columns": d["columns_text"] if d["kind"] == Question.Kind.TABLE else [],
            "scale_min": d["scale_min"], "scale_max": d["scale_max"],
            "condition_question": d.get("condition_question"), "condition_value": d.get("condition_value", "").strip(),
            "prefill": d.get("prefill") or "",
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field errors on the form fields that produced them."""
        form_add_service_errors(self, error, field_map={
            "label": "label_en", "help_text": "help_en", "choices": "choices_text", "columns": "columns_text"})


class InvitationForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Member state"), queryset=None)
    email = forms.EmailField(label=_("Focal point's e-mail address"))

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries


class DelegationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))
    sections = forms.ModelMultipleChoiceField(label=_("Sections to delegate"), queryset=None,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = QuestionnaireSection.objects.filter(
            pk__in=[s.pk for s in sections or []]).select_related("action_line").order_by("order")
        self.fields["sections"].label_from_instance = lambda s: s.display_title


class ReportRequestForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the report"), choices=[
        (code, LANGUAGE_LABELS[code]) for code in LANGS])


TABLE_BLANK_ROWS = 3


class SectionAnswerForm(forms.Form):
    """The fields of one questionnaire section, typed by question; tables get one field per cell.

    ``values()`` returns ``{question id: value}`` for the service. Required questions are not
    required here: a draft may be incomplete; requirements apply at submission.
    """

    # The versions of the section's answers when the page was opened (wsis.core.concurrency.versions_stamp).
    lock_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20000)

    def __init__(self, *args, section: QuestionnaireSection, answers: dict, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.questions = list(section.questions.all())
        self.items = []
        for q in self.questions:
            answer = answers.get(q.pk)
            value = answer.value if answer else None
            item = {"question": q, "answer": answer, "name": f"q{q.pk}",
                    "condition_label": q.condition_question.choice_label(q.condition_value)
                    if q.condition_question_id else ""}
            help_text = q.help
            attrs = {"disabled": True} if disabled else {}
            K = Question.Kind
            if q.kind == K.TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, **attrs}), initial=value)
            elif q.kind in (K.SINGLE, K.YES_NO):
                field = forms.ChoiceField(choices=q.choice_options(), widget=forms.RadioSelect(attrs=attrs),
                                          initial=value)
            elif q.kind == K.MULTIPLE:
                field = forms.MultipleChoiceField(choices=q.choice_options(),
                                                  widget=forms.CheckboxSelectMultiple(attrs=attrs), initial=value)
            elif q.kind == K.NUMBER:
                field = forms.DecimalField(initial=value, widget=forms.NumberInput(attrs={"step": "any", **attrs}))
            elif q.kind == K.SCALE:
                field = forms.TypedChoiceField(
                    choices=[(str(i), str(i)) for i in range(q.scale_min, q.scale_max + 1)], coerce=int,
                    widget=forms.RadioSelect(attrs=attrs), initial=str(value) if value is not None else None)
            else:
                field = None
            if field is not None:
                field.required = False
                field.show_required = q.required  # shown as required by forms/field.html
                field.label = q.text
                field.help_text = help_text
                self.fields[item["name"]] = field
            else:
                rows = list(value or [])
                n_rows = min(len(rows) + (0 if disabled else TABLE_BLANK_ROWS), MAX_TABLE_ROWS)
                if self.is_bound:
                    # Keep every row the person sent back, even beyond the blank ones offered.
                    prefix = f"q{q.pk}__r"
                    # Row numbers are ASCII digits (a key such as q1__r²__x is ignored, not a 500).
                    sent = {int(k[len(prefix):].split("__")[0]) for k in self.data if k.startswith(prefix)
                            and _ROW_NUMBER.fullmatch(k[len(prefix):].split("__")[0])}
                    n_rows = min(max([n_rows, *(i + 1 for i in sent)]), MAX_TABLE_ROWS)
                columns = q.column_options()
                table = []
                for r in range(n_rows):
                    row_fields = []
                    for key, label in columns:
                        name = f"q{q.pk}__r{r}__{key}"
                        self.fields[name] = forms.CharField(
                            required=False, max_length=500, label=label,
                            initial=(rows[r].get(key, "") if r < len(rows) else ""),
                            widget=forms.TextInput(attrs=attrs))
                        row_fields.append(name)
                    table.append(row_fields)
                item["table"] = table
                item["columns"] = columns
            self.items.append(item)

    def bound_items(self):
        """Items for the template: bound fields, table rows as bound fields."""
        out = []
        for item in self.items:
            entry = dict(item)
            if "table" in item:
                entry["rows"] = [[self[name] for name in row] for row in item["table"]]
            else:
                entry["field"] = self[item["name"]]
            out.append(entry)
        return out

    def clean(self):
        data = super().clean()
        for item in self.items:
            q = item["question"]
            try:
                clean_value(q, self._raw_value(item, data))
            except ValidationError as exc:
                if "table" in item:
                    self.add_error(None, _("%(question)s: %(error)s") % {"question": q.text,
                                                                         "error": " ".join(exc.messages)})
                else:
                    self.add_error(item["name"], exc)
        return data

    def _raw_value(self, item, data):
        q = item["question"]
        if "table" in item:
            keys = [k for k, _label in item["columns"]]
            return [{k: data.get(name, "") for k, name in zip(keys, row, strict=True)} for row in item["table"]]
        value = data.get(item["name"])
        if q.kind == Question.Kind.NUMBER and value is not None:
            return str(value)
        return value

    def values(self) -> dict[int, object]:
        return {item["question"].pk: self._raw_value(item, self.cleaned_data) for item in self.items}


class NarrativesForm(forms.Form):
    # The report's lock_version when the form was opened (wsis.core.concurrency).
    lock_version = version_field()

    def __init__(self, *args, keys: list[tuple[str, str]], narratives: dict, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = version
        for key, title in keys:
            self.fields[key] = forms.CharField(label=title, required=False, initial=narratives.get(key, ""),
                                               widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
