"""Template tags for shipped facts: the provenance mark, and reference text rendered as text.

``{% fact_mark obj "field" %}`` prints nothing when the fact shown is an official text, and
otherwise a small mark with its status; its source and the date checked are in the mark's title
(on hover) and in a text that screen readers read and print shows. The language is the one the
page shows: the current language where the record has a text in it, else English (the fallback).

``{{ action_line.plan_of_action|plan_of_action }}`` renders a Plan of Action text (plain text with
lettered items) as paragraphs and ordered lists, escaping everything: reference text is never
trusted markup.
"""

import re

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wsis.core.i18n import LANGUAGE_SUFFIXES, current_language

from .. import selectors
from ..models import Provenance
from ..reference import plan_text_blocks

register = template.Library()


def shown_language(obj, field: str) -> str:
    """The language of ``obj.<field>`` as the page shows it ("" when the field is not a translated text)."""
    if not hasattr(obj, f"{field}_en"):
        return ""
    lang = current_language()
    return lang if getattr(obj, f"{field}_{LANGUAGE_SUFFIXES.get(lang, 'en')}", "") else "en"


def _rows(context, obj) -> dict:
    """All provenance rows of ``obj``'s model, read once per page render."""
    cache = context.render_context.setdefault("taxonomy_provenance", {})
    model = type(obj)
    if model not in cache:
        cache[model] = selectors.provenance_by_record(model)
    return cache[model]


def provenance_row(context, obj, field: str, fallback: str = "") -> Provenance | None:
    rows = _rows(context, obj)
    lang = shown_language(obj, field)
    row = rows.get((obj.pk, field, lang))
    if row is None and lang == "":  # a text kept in English only, such as the Plan of Action
        row = rows.get((obj.pk, field, "en"))
    if row is None and fallback:
        row = rows.get((obj.pk, fallback, shown_language(obj, fallback)))
    return row


def mark_html(row: Provenance | None):
    if row is None or row.is_official:
        return ""
    label = row.get_status_display()
    sentence = _("Source: %(source)s, checked %(date)s.")
    checked = date_format(row.checked_on, "DATE_FORMAT")
    detail = sentence % {"source": row.source, "date": checked}
    if row.note:
        detail = f"{detail} {row.note}"
    # The source is cited as written (the data files name their sources in English): a <cite> in English
    # on a page in another language; a note, which is the platform's own English text, says it is one.
    english = current_language() != "en"
    before, _sep, after = (sentence % {"source": "\x00", "date": checked}).partition("\x00")
    cite = format_html('<cite lang="en" dir="ltr">{}</cite>', row.source) if english else row.source
    visible = format_html("{}{}{}", before, cite, after)
    if row.note:
        note = (format_html('<span lang="en" dir="ltr">{}</span>{}', row.note, _english_fallback_mark()) if english
                else row.note)
        visible = format_html("{} {}", visible, note)
    return format_html(
        '<small class="fact-mark fact-mark-{}" title="{}" tabindex="0">[{}]<span class="fact-source"> {}</span></small>',
        row.status, detail, label, visible)


def _english_fallback_mark():
    return format_html('<small class="fact-mark fact-mark-fallback">[{}]</small>', _("English: not yet translated"))


@register.simple_tag(takes_context=True)
def fact_mark(context, obj, field: str, fallback: str = ""):
    """The status mark of one fact of ``obj`` (empty for an official text or a record without provenance)."""
    if obj is None or getattr(obj, "pk", None) is None:
        return ""
    return mark_html(provenance_row(context, obj, field, fallback))


@register.simple_tag
def provenance_mark(row):
    """The status mark of a provenance row that is not stored: a reference list read from its data file
    (the Global Digital Compact's objectives: ``{% provenance_mark objective.provenance_row %}``)."""
    return mark_html(row)


@register.filter
def plan_of_action(text: str):
    """Plain Plan of Action text as escaped paragraphs and lettered lists."""
    def items_html(items, style):
        return format_html('<ol type="{}">{}</ol>', style, format_html_join(
            "", "<li>{}{}</li>",
            ((item["text"], items_html(item["items"], "i") if item["items"] else "") for item in items)))

    parts = []
    for block in plan_text_blocks(text or ""):
        if block["kind"] == "p":
            parts.append(format_html("<p>{}</p>", block["text"]))
        else:
            parts.append(items_html(block["items"], "a"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is built by format_html


@register.simple_tag(takes_context=True)
def fact_note(context, obj, field: str):
    """The note of a fact's own provenance row, when it is not official (nothing is inherited from a fallback)."""
    if obj is None or getattr(obj, "pk", None) is None:
        return ""
    row = provenance_row(context, obj, field)
    return row.note if row is not None and not row.is_official else ""


def _is_fallback(obj, field: str) -> bool:
    """The page's language is not English and ``obj.<field>`` has no text in it: English is shown."""
    return (obj is not None and hasattr(obj, f"{field}_en") and current_language() != "en"
            and bool(getattr(obj, f"{field}_en", "")) and shown_language(obj, field) == "en")


@register.simple_tag
def fallback_attrs(obj, field: str):
    """`` lang="en" dir="ltr"`` on the element holding ``obj.<field>`` when the English text stands in for a
    missing translation (screen readers switch voice; Arabic pages keep the English left to right)."""
    if not _is_fallback(obj, field):
        return ""
    return mark_safe(' lang="en" dir="ltr"')  # noqa: S308 - constant markup


@register.simple_tag
def fallback_mark(obj, field: str):
    """A mark saying that the text is shown in English because it is not translated yet (nothing otherwise)."""
    if not _is_fallback(obj, field):
        return ""
    label = _("English: not yet translated")
    return format_html('<small class="fact-mark fact-mark-fallback">[{}]</small>', label)


@register.simple_tag
def english_only_mark(is_english: bool = True):
    """``[English: not yet translated]`` on a page in another language, for a text the platform ships in
    English only (a forum edition's theme as the organisers published it)."""
    if not is_english or current_language() == "en":
        return ""
    return format_html('<small class="fact-mark fact-mark-fallback">[{}]</small>', _("English: not yet translated"))


@register.simple_tag
def english_attrs(is_english: bool = True):
    """`` lang="en" dir="ltr"`` for such a text on a page in another language."""
    if not is_english or current_language() == "en":
        return ""
    return mark_safe(' lang="en" dir="ltr"')  # noqa: S308 - constant markup


_LINE_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,200}>")


@register.filter
def rationale_text(text: str):
    """A Matrix rationale as text: the line breaks some source rows write as ``<br/>`` become line
    breaks, any other markup is dropped, and everything is escaped (reference text is not markup)."""
    plain = _TAG.sub("", _LINE_BREAK.sub("\n", text or "")).strip()
    lines = [line.strip() for line in plain.splitlines() if line.strip()]
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))


@register.simple_tag(takes_context=True)
def shipped_text(context, obj, field: str):
    """A shipped text in the page's language with its marks: ``{% shipped_text edition "theme" %}``.

    The translation, with the mark of its provenance ("[Unofficial translation]"), where the record has
    one in the active language; otherwise the English text in ``<span lang="en" dir="ltr">`` followed
    by "[English: not yet translated]". Reads ``obj.<field>_shown`` where the model has it (texts kept
    in a translations field), else ``obj.<field>`` (``translated_fields`` columns)."""
    if obj is None:
        return ""
    text = getattr(obj, f"{field}_shown", None)
    if text is None:
        text = getattr(obj, field, "")
    mark = fact_mark(context, obj, field)
    if _is_fallback(obj, field):
        return format_html('<span lang="en" dir="ltr">{}</span>{}{}', text, mark, fallback_mark(obj, field))
    return format_html("{}{}", text, mark)
