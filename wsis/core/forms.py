"""The project's form renderer: Django's own field rendering with one field template.

``settings.FORM_RENDERER`` points here. ``{{ form.field.as_field_group }}`` (and ``{{ form }}``)
render each field with ``templates/forms/field.html``: label (with "required"), help text, errors
and input, where Django's ``BoundField`` already ties help and errors to the input with
``aria-describedby`` and marks an input with errors ``aria-invalid``. No form needs an ARIA mixin.
"""

from django.forms.renderers import TemplatesSetting

__all__ = ["FormRenderer"]


class FormRenderer(TemplatesSetting):
    """Django's templates from ``settings.TEMPLATES`` (so the project can override them), one field template."""

    field_template_name = "forms/field.html"
