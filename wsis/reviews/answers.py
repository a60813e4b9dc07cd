"""Typing and checking of answer values, shared by the form layer and the services.

Values are stored as JSON: text and single choice as a string, multiple choice as a list of
strings, number as a number, scale as an integer, yes/no as ``"yes"`` / ``"no"``, a table as a
list of ``{column key: text}`` rows. ``None`` (or an empty string/list) means unanswered.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Question

__all__ = ["MAX_TEXT", "MAX_TABLE_ROWS", "clean_value", "is_answered", "display_value"]

MAX_TEXT = 5000
MAX_CELL = 500
MAX_TABLE_ROWS = 60


def is_answered(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(is_answered(v) if not isinstance(v, dict) else any(is_answered(x) for x in v.values())
                   for v in value)
    return True


def clean_value(question: Question, value):
    """The value normalised for ``question``'s kind, or ``ValidationError`` naming what is wrong."""
    if not is_answered(value):
        return None
    kind = question.kind
    K = Question.Kind
    if kind == K.TEXT:
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(ngettext("Write at most %(max)d character.", "Write at most %(max)d characters.", MAX_TEXT)
                                  % {"max": MAX_TEXT})
        return text
    if kind in (K.SINGLE, K.YES_NO):
        allowed = {v for v, _label in question.choice_options()}
        if str(value) not in allowed:
            raise ValidationError(_("Choose one of the options offered."))
        return str(value)
    if kind == K.MULTIPLE:
        values = value if isinstance(value, list) else [value]
        allowed = [v for v, _label in question.choice_options()]
        bad = [v for v in values if v not in allowed]
        if bad:
            raise ValidationError(_("Choose among the options offered."))
        return [v for v in allowed if v in values]  # the questionnaire's order, no duplicates
    if kind == K.NUMBER:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number."))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == K.SCALE:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError(_("Choose a point on the scale.")) from None
        if not question.scale_min <= number <= question.scale_max:
            raise ValidationError(_("Choose a point from %(min)d to %(max)d.")
                                  % {"min": question.scale_min, "max": question.scale_max})
        return number
    if kind == K.TABLE:
        if not isinstance(value, list):
            raise ValidationError(_("Enter the table as rows."))
        keys = [key for key, _label in question.column_options()]
        rows = []
        for row in value:
            if not isinstance(row, dict):
                raise ValidationError(_("Enter the table as rows."))
            clean = {k: str(row.get(k) or "").strip() for k in keys}
            if any(len(v) > MAX_CELL for v in clean.values()):
                raise ValidationError(ngettext("Each cell holds at most %(max)d character.",
                                               "Each cell holds at most %(max)d characters.", MAX_CELL)
                                      % {"max": MAX_CELL})
            if any(clean.values()):
                rows.append(clean)
        if len(rows) > MAX_TABLE_ROWS:
            raise ValidationError(_("Enter at most %(max)d rows.") % {"max": MAX_TABLE_ROWS})
        return rows or None
    raise ValidationError(_("Unknown kind of question."))


def display_value(question: Question, value) -> str:
    """A one-line reading of an answer (for read-only views and report quotes)."""
    if not is_answered(value):
        return ""
    K = Question.Kind
    if question.kind in (K.SINGLE, K.YES_NO):
        return question.choice_label(str(value))
    if question.kind == K.MULTIPLE:
        return "; ".join(question.choice_label(v) for v in value)
    if question.kind == K.TABLE:
        return "; ".join(" – ".join(v for v in row.values() if v) for row in value)
    return str(value)
