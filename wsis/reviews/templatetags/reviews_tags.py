"""Template helpers of the regional reviews. No queries here (STYLE.md §5)."""

from django import template

from ..answers import display_value

register = template.Library()


@register.filter
def described(bound_field):
    """The field's widget with ``aria-describedby`` pointing at its help text and errors, and
    ``aria-invalid`` when it has errors (WCAG: errors and help tied to the input)."""
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_errors")
    attrs = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(bound_field) -> bool:
    if not hasattr(bound_field, "field"):
        return False
    widget = bound_field.field.widget
    return getattr(widget, "input_type", "") in ("radio", "checkbox") and (
        getattr(widget, "allow_multiple_selected", False) or widget.input_type == "radio")


@register.simple_tag
def answer_text(question, answer):
    return display_value(question, answer.value if answer is not None else None)


@register.filter
def text_dir(text) -> str:
    """``rtl`` or ``ltr`` from the first strongly directional character of ``text`` (as ``dir="auto"``
    does in browsers; computed here because the PDF renderer does not implement ``auto``). An English
    question in an Arabic report then reads left to right with its punctuation in place."""
    import unicodedata

    for ch in str(text or ""):
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "auto"
