"""Remember the interface language a visitor last used.

Pages live under a language prefix (``/ar/…``), so ``LocaleMiddleware`` never needs the cookie to
pick the language of a page; it reads it only where there is no prefix (``/`` redirects by the
cookie first, then by ``Accept-Language``). Without this middleware a visitor who switched to Arabic
would be sent back to the language of their browser the next time they open the bare address.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

__all__ = ["LanguageCookieMiddleware", "PermissionsPolicyMiddleware"]


class LanguageCookieMiddleware:
    """Set the language cookie to the language of the page just served when it differs.

    Only successful full-page GETs count (not HTMX fragments, redirects, errors or the API), so the
    cookie follows what the visitor chose to read, e.g. through the language switcher.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "GET" or response.status_code != 200:
            return response
        if getattr(request, "htmx", False):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        lang = get_language_from_path(request.path_info)
        if lang and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != lang:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                lang,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            # The response now depends on the cookie; keep shared caches from serving it to others
            # (also when the page cache already set Cache-Control on it).
            patch_cache_control(response, private=True)
        return response


class PermissionsPolicyMiddleware:
    """Send ``settings.PERMISSIONS_POLICY`` (browser features no page needs: camera, microphone, …)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.setdefault("Permissions-Policy", self.policy)
        return response
