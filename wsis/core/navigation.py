"""The main navigation: the entries apps register (``registry.add_nav``), by their order.

An entry's URL name must resolve: a typo or a missing URLconf raises instead of hiding the entry.
"""

from django.urls import reverse

from .registry import registry


def nav_items(request) -> list[dict]:
    items = []
    for entry in registry.nav_entries():
        if not entry.visible_to(request):
            continue
        url = reverse(entry.url_name)
        items.append({"url": url, "label": entry.label, "active": request.path.startswith(url)})
    return items
