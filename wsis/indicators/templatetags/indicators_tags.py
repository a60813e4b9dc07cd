"""Number formatting for indicator values: whole numbers with grouping for counts, one or two decimals otherwise."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def indval(value, unit: str = ""):
    """``{{ value|indval:indicator.unit }}`` → "5,706,349" for a count, "49.6" for a share, "–" when missing."""
    if value is None or value == "":
        return "–"
    if unit == "count":
        return floatformat(value, "0g")
    if unit in ("per_million", "per_100") and abs(float(value)) < 1:
        return floatformat(value, "3g")
    return floatformat(value, "1g")
