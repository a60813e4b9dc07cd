"""Optimistic concurrency for every record edited through a form or the API (no lost updates).

One mechanism for all apps:

- the model inherits :class:`Versioned`: a ``lock_version`` integer, 1 when created;
- the edit form inherits :class:`VersionedForm` (or adds :func:`version_field`): the version the
  editor started from travels in a hidden field;
- the service calls :func:`version_claim` first, inside its transaction, with
  ``expected_version`` given by the view (``None`` only for callers that edit without a form, such
  as imports). It runs ``UPDATE … SET lock_version = lock_version + 1 WHERE id = … AND
  lock_version = n``: of two writers that started from version *n*, exactly one updates the row,
  the other (on PostgreSQL after waiting for the first one's commit) matches nothing and gets
  :class:`ConflictError`, so its transaction writes nothing;
- the view catches :class:`ConflictError` and calls :func:`conflict_context`: the form is shown
  again with what the second writer typed, the current version in the hidden field (saving again
  replaces the other person's text knowingly) and a word-level diff, per field, between the saved
  text and theirs. The API answers 409 with the current version.

The column is called ``lock_version`` (Rails' name) because ``version`` already means something
else on some models (a review report's version number).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .models import Versioned

__all__ = ["Versioned", "ConflictError", "version_claim", "versions_stamp", "versions_parse", "version_field", "VersionedForm", "FieldDiff",
           "field_diffs", "conflict_context", "CONFLICT_MESSAGE"]

VERSION_FIELD = "lock_version"
CONFLICT_MESSAGE = _("Someone else saved this while you were editing it. Your text is kept below: compare it "
                     "with what they saved, then save again to replace their version, or reload the page to "
                     "start from theirs.")


class ConflictError(Exception):
    """The record changed since the editor loaded it (``expected`` is not ``current`` any more).

    A form that edits several rows at once (a questionnaire section's answers) carries a stamp of
    their versions (:func:`versions_stamp`) instead of one number; ``current`` is then that stamp.
    """

    def __init__(self, *, instance: models.Model, expected: int | str | None, current: int | str | None):
        self.instance = instance
        self.expected = expected
        self.current = current
        super().__init__(f"{instance._meta.label} #{instance.pk}: expected version {expected}, "
                         f"now {current}")

    @property
    def message(self) -> str:
        return str(CONFLICT_MESSAGE)


def version_claim(instance: Versioned, *, expected_version: int | None) -> int:
    """Increment ``instance``'s version if it is still ``expected_version``; raise ConflictError otherwise.

    Call it first in the (atomic) service, before reading the values it changes: the UPDATE takes
    the row lock until the transaction ends, and a rollback undoes the increment. ``None`` skips
    the check but still increments, so that editors with a form open see this change too. Sets and
    returns the new version, so that a later ``instance.save()`` writes it and not the old one.
    """
    model = type(instance)
    rows = model._base_manager.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(lock_version=expected_version)
    if not rows.update(lock_version=F("lock_version") + 1):
        current = model._base_manager.filter(pk=instance.pk).values_list("lock_version", flat=True).first()
        raise ConflictError(instance=instance, expected=expected_version, current=current)
    instance.lock_version = model._base_manager.filter(pk=instance.pk).values_list(
        "lock_version", flat=True).get()
    return instance.lock_version


def versions_stamp(versions: Mapping[int, int]) -> str:
    """Versions of several rows (key → version) as one hidden-field value: ``"12:3 14:1"``."""
    return " ".join(f"{key}:{versions[key]}" for key in sorted(versions))


def versions_parse(stamp: str | None) -> dict[int, int] | None:
    """The inverse of :func:`versions_stamp`; ``None`` for an empty or malformed stamp (no check)."""
    if not stamp:
        return None
    out = {}
    for part in stamp.split():
        key, _sep, version = part.partition(":")
        if not (key.isascii() and key.isdigit() and version.isascii() and version.isdigit()):
            return None
        out[int(key)] = int(version)
    return out


def version_field() -> forms.IntegerField:
    """The hidden field that carries the version the editor started from (0: the row did not exist yet)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)


class VersionedForm(forms.Form):
    """A form whose ``lock_version`` hidden field must be filled from the record (``initial``)."""

    lock_version = version_field()


# --- the conflict page ----------------------------------------------------------------------------

@dataclass
class FieldDiff:
    """One field that differs: its label, both texts and the word-level changes from theirs to yours."""

    name: str
    label: str
    theirs: str
    yours: str
    segments: list[tuple[str, str]] = field(default_factory=list)  # ("equal" | "delete" | "insert", text)


_TOKENS = re.compile(r"\s+|[^\s]+")


def _segments(theirs: str, yours: str) -> list[tuple[str, str]]:
    a, b = _TOKENS.findall(theirs), _TOKENS.findall(yours)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("insert", "".join(b[j1:j2])))
    return out


def field_diffs(rows: Iterable[tuple[str, str, str, str]]) -> list[FieldDiff]:
    """``(name, label, theirs, yours)`` rows → a :class:`FieldDiff` for each row whose texts differ."""
    return [FieldDiff(name, str(label), theirs, yours, _segments(theirs, yours))
            for name, label, theirs, yours in rows if theirs != yours]


def _text(form_field: forms.Field, value) -> str:
    """A value as the person sees it: choices by label, records by name, lists sorted and joined."""
    if value is None or value == "":
        return ""
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        return ", ".join(sorted(t for t in (_text(form_field, v) for v in value) if t))
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(form_field, forms.ModelChoiceField):
        key = form_field.to_field_name or "pk"
        obj = form_field.queryset.filter(**{key: value}).first()
        return str(obj) if obj is not None else str(value)
    choices = getattr(form_field, "choices", None)
    if choices is not None:
        flat = {}
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                flat.update({str(k): v for k, v in label})
            else:
                flat[str(key)] = label
        return str(flat.get(str(value), value))
    return str(value)


def conflict_context(form: forms.Form, error: ConflictError, theirs: Mapping[str, object],
                     *, exclude: Iterable[str] = ()) -> dict:
    """Prepare ``form`` (valid, bound) for the conflict page and return the template context.

    ``theirs`` maps form field names to the saved values (as the form's ``initial`` would hold
    them). The form keeps what was typed, gets the current version in its hidden field; the context's
    ``conflict`` (shown by ``core/partials/conflict.html``) lists the fields that differ.
    """
    skip = {VERSION_FIELD, *exclude}
    yours = getattr(form, "cleaned_data", {})
    rows = []
    for name, form_field in form.fields.items():
        if name in skip or form_field.widget.is_hidden or name not in yours:
            continue
        rows.append((name, form_field.label or name, _text(form_field, theirs.get(name)),
                     _text(form_field, yours.get(name))))
    data = form.data.copy()
    data[form.add_prefix(VERSION_FIELD)] = str(error.current or "")
    form.data = data
    return {"conflict": {"message": error.message, "diffs": field_diffs(rows), "version": error.current}}
