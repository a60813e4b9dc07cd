"""The project's form renderer: Django's own field rendering with one field template.

``settings.FORM_RENDERER`` points here. ``{{ form.field.as_field_group }}`` (and ``{{ form }}``)
render each field with ``templates/forms/field.html``: label (with "required"), help text, errors
and input, where Django's ``BoundField`` already ties help and errors to the input with
``aria-describedby`` and marks an input with errors ``aria-invalid``. No form needs an ARIA mixin.
"""

import secrets

from django import forms
from django.forms.renderers import TemplatesSetting

__all__ = ["FormRenderer", "FormTokenField", "form_token_new"]


def form_token_new() -> str:
    """A fresh one-time token for a create form (see ``wsis.core.services.form_token_claim``)."""
    return secrets.token_urlsafe(24)


class FormTokenField(forms.CharField):
    """The hidden one-time token of a create form: a new one on every fresh form, the posted one kept
    when a form comes back with errors, so that sending the same form twice creates one object."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", form_token_new)
        super().__init__(**kwargs)


class FormRenderer(TemplatesSetting):
    """Django's templates from ``settings.TEMPLATES`` (so the project can override them), one field template."""

    field_template_name = "forms/field.html"
