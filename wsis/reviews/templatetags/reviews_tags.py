"""Template helpers of the regional reviews. No queries here (STYLE.md §5)."""

from django import template

from ..answers import display_value

register = template.Library()


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
