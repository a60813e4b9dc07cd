"""Template helpers shared by every app. No queries here (STYLE.md §5)."""

import re

from django import template
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi, get_language_info

from wsis.core import formats, joblog
from wsis.core.i18n import current_language

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context, code: str) -> str:
    """The current page in another language (the same path under ``/<code>/``, query kept)."""
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    # Each page asks twice per language (the <link rel="alternate"> and the switcher): resolve once.
    known = request.__dict__.setdefault("_translated_paths", {})
    if code not in known:
        known[code] = translate_url(request.get_full_path(), code)
    return known[code]


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (``None`` removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dictionaries built by selectors."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.simple_tag
def urlparams(**params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"?{urlencode(clean)}" if clean else ""


@register.simple_tag
def content_lang(code) -> str:
    """``<p{% content_lang initiative.language %}>`` — ``lang`` (and ``dir`` when the direction
    changes) for text written in another language than the page, e.g. an English rationale on an
    Arabic page. Screen readers then switch voice, and Arabic text in an English page runs right to
    left. Gives nothing when the text is in the page's language or the code is unknown."""
    code = (code or "").strip()
    if not code or code.lower() == current_language():
        return ""
    try:
        bidi = get_language_info(code)["bidi"]
    except KeyError:
        return format_html(' lang="{}"', code)
    if bidi != get_language_bidi():
        return format_html(' lang="{}" dir="{}"', code, "rtl" if bidi else "ltr")
    return format_html(' lang="{}"', code)


def _relative_luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@register.filter
def ink_on(background: str) -> str:
    """The text colour (white or near-black) with the higher WCAG contrast on ``background``.

    ``style="background: {{ goal.colour }}; color: {{ goal.colour|ink_on }}"``: several official SDG
    colours (yellow 7, orange 11, light green 2…) fail 4.5:1 with white text. One of the two always
    passes (every colour has ≥ 4.58:1 with black or with white).
    """
    try:
        lum = _relative_luminance(str(background))
    except (ValueError, IndexError):
        return "#ffffff"
    on_white = 1.05 / (lum + 0.05)
    on_black = (lum + 0.05) / (_relative_luminance("#1b1f24") + 0.05)
    return "#ffffff" if on_white >= on_black else "#1b1f24"


@register.filter
def join_list(items) -> str:
    """``{{ names|join_list }}``: items joined with the active language's list separator (Arabic "، ",
    Chinese "、", else ", "); each item is escaped (autoescape is on)."""
    return mark_safe(formats.join_list(conditional_escape(item) for item in (items or [])))  # noqa: S308 - escaped


@register.simple_tag
def list_sep() -> str:
    """The active language's list separator, for loops that join links: ``{% if not forloop.last %}{% list_sep %}{% endif %}``."""
    return formats.LIST_SEPARATORS.get(current_language(), formats.DEFAULT_SEPARATOR)


@register.filter
def weekday_date(value) -> str:
    """``{{ day|weekday_date }}``: "Monday, 7 December 2026", "2026年12月7日 星期一"."""
    return formats.weekday_date(value) if value else ""


@register.filter
def job_message(line: dict) -> str:
    """A background job's progress line in the page's language (``wsis.core.joblog``)."""
    return joblog.shown(line)


_URL = re.compile(r"((?:https?://|www\.)\S+)")
_BACKTICKED = re.compile(r"`([^`\n]{1,80})`")
# A field, table or value name: lower-case words joined by "_" or "." (primary_action_line, initiatives.id).
_IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_/.-])[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+(?![A-Za-z0-9_/-])")
# In a language not written in the Latin script, a lower-case Latin word left in a translated sentence is
# a code value kept as the data spell it ("planned أو ongoing أو completed").
_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_/.-])[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*(?![A-Za-z0-9_/-])")
_NON_LATIN_SCRIPT = {"ar", "ru", "zh-hans"}


@register.filter
def code_words(text) -> str:
    """A plain description with its code names shown as ``<code>``, everything escaped.

    Marked as code: text between backticks (the data files' convention: ```plan_of_action```), names
    joined by ``_`` or ``.`` (``primary_action_line``, ``initiatives.id``) and, on a page in Arabic,
    Chinese or Russian, the lower-case Latin words left in the translation (code values such as
    ``ongoing``). URLs are left as written."""
    text = str(text or "")
    pattern = _LATIN_WORD if current_language() in _NON_LATIN_SCRIPT else _IDENTIFIER
    parts = []
    for index, piece in enumerate(_URL.split(text)):
        if index % 2:  # a URL
            parts.append(conditional_escape(piece))
            continue
        for number, chunk in enumerate(_BACKTICKED.split(piece)):
            if number % 2:
                parts.append(format_html("<code>{}</code>", chunk))
                continue
            last = 0
            for match in pattern.finditer(chunk):
                parts.append(conditional_escape(chunk[last:match.start()]))
                parts.append(format_html("<code>{}</code>", match.group(0)))
                last = match.end()
            parts.append(conditional_escape(chunk[last:]))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is escaped or built by format_html
