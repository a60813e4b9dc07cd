"""``{% initiative_text initiative as shown %}``: the title and summary in the visitor's language (issue 21)."""

from django import template

from ..languages import initiative_text as _initiative_text
from ..languages import language_label, native_name
from ..search import list_tags

register = template.Library()


@register.simple_tag
def initiative_text(initiative):
    """The translation into the page's language when there is one, else the original (``languages.ShownText``)."""
    return _initiative_text(initiative)


@register.simple_tag
def result_tags(initiative):
    """The action lines, SDGs and countries a search result shows (``search.ListTags``)."""
    return list_tags(initiative)


@register.filter
def language_name(code):
    """A language code's name in the page's language."""
    return language_label(code)


@register.filter
def language_native(code):
    """A language code's name in that language (for lists of languages, with ``lang``)."""
    return native_name(code)
