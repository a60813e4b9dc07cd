"""Form widgets of the project beyond Django's own.

:class:`GroupedCheckboxes` — a long list of choices (some 250 countries) as checkboxes in groups that
open and close (``<details>``), for a form that works without JavaScript: every box is a real form
control, posted whether its group is open or not. A group with a ticked box starts open and names the
ticked choices in its summary, so a closed group still shows what it holds. ``static/js/site.js`` adds a
type-ahead filter above the groups (progressive enhancement): it matches what is typed, as a key
(accents, case and punctuation ignored), against each option's ``data-keys``, which a subclass fills
through :meth:`GroupedCheckboxes.option_keys`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["GroupedCheckboxes"]


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in ``<details>`` groups; the choices must be grouped ``[(group, [(value, label), …]), …]``."""

    template_name = "forms/widgets/grouped_checkboxes.html"
    # The field template (templates/forms/field.html) renders this widget whole inside its fieldset.
    grouped = True
    filter_label = _("Find")
    filter_help = _("Type a few letters to show only the matching choices.")

    def option_keys(self, value) -> str:
        """Space-separated keys the type-ahead matches for one option ("" for none: its label is used)."""
        return ""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        keys = self.option_keys(value)
        if keys:
            option["attrs"]["data-keys"] = keys
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        groups = []
        for group_name, options, index in context["widget"]["optgroups"]:
            chosen = [option["label"] for option in options if option["selected"]]
            groups.append({"name": group_name, "options": options, "index": index, "chosen": chosen})
        context["widget"]["groups"] = groups
        context["widget"]["filter_label"] = self.filter_label
        context["widget"]["filter_help"] = self.filter_help
        # The separator of the chosen names in a summary ("Kenya, Uganda"; "كينيا، أوغندا").
        context["widget"]["separator"] = pgettext_lazy("list separator", ", ")
        return context
