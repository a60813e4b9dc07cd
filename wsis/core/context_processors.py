"""Template context shared by every page."""

from django.conf import settings
from django.utils.translation import get_language_info

from .i18n import current_language
from .navigation import nav_items


def site(request):
    lang = current_language()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CURRENT_LANG": lang,
        "LANGUAGE_CHOICES": [
            {"code": code, "name": get_language_info(code)["name_local"], "active": code == lang}
            for code, _name in settings.LANGUAGES
        ],
        "NAV_ITEMS": nav_items(request.path),
    }
