"""The main navigation: entries appear once the app behind them provides the URL."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NAV = [
    ("stocktaking:search", _("Initiatives")),
    ("taxonomy:action-lines", _("Action lines")),
    ("taxonomy:goals", _("SDGs")),
    ("taxonomy:matrix", _("WSIS–SDG Matrix")),
    ("analytics:coverage", _("Analytics")),
    ("indicators:list", _("ICT indicators")),
    ("taxonomy:countries", _("Countries")),
    ("reviews:cycles", _("Regional reviews")),
    ("forum:home", _("WSIS Forum")),
    ("prizes:home", _("WSIS Prizes")),
]


def nav_items(path: str) -> list[dict]:
    items = []
    for name, label in NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": path.startswith(url)})
    return items
