"""Template helpers shared by every app. No queries here (STYLE.md §5)."""

from django import template
from django.urls import translate_url
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context, code: str) -> str:
    """The current page in another language (the same path under ``/<code>/``, query kept)."""
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    return translate_url(request.get_full_path(), code)


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
