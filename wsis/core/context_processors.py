"""Template context shared by every page."""

from django.conf import settings

from .i18n import current_language
from .navigation import nav_items


def site(request):
    lang = current_language()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CURRENT_LANG": lang,
        "LANGUAGE_CHOICES": [
            # Each language named in itself, as settings.LANGUAGES writes it ("Français", "中文").
            {"code": code, "name": name, "active": code == lang}
            for code, name in settings.LANGUAGES
        ],
        "NAV_ITEMS": nav_items(request),
    }
