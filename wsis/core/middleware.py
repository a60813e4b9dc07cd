"""Remember the interface language a visitor last used.

Pages live under a language prefix (``/ar/…``), so ``LocaleMiddleware`` never needs the cookie to
pick the language of a page; it reads it only where there is no prefix (``/`` redirects by the
cookie first, then by ``Accept-Language``). Without this middleware a visitor who switched to Arabic
would be sent back to the language of their browser the next time they open the bare address.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

__all__ = ["LanguageCookieMiddleware", "OwnErrorPagesMiddleware", "PermissionsPolicyMiddleware"]


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


class OwnErrorPagesMiddleware:
    """The project's own 404 and 500 pages (``templates/404.html``, ``500.html``) also while DEBUG is on.

    With DEBUG off Django already renders them. With DEBUG on it shows its technical pages instead, so a
    developer (or a reviewer trying the site locally) saw a debug page where visitors see ours: a missing
    page answers with our 404 page in the page's language, and an exception in a view with our 500 page
    (logged with its traceback as Django logs it). ``DEBUG_ERROR_PAGES = True`` (environment
    ``DEBUG_ERROR_PAGES=1``) brings Django's technical pages back for debugging.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def _active(self) -> bool:
        return settings.DEBUG and not getattr(settings, "DEBUG_ERROR_PAGES", False)

    def __call__(self, request):
        response = self.get_response(request)
        if (self._active() and response.status_code == 404
                and response.get("Content-Type", "").startswith("text/html")
                and b"DEBUG = True" in getattr(response, "content", b"")):
            # Django's technical 404 (an address no URL pattern matches): answer with ours.
            from django.views.defaults import page_not_found

            return page_not_found(request, None)
        return response

    def process_exception(self, request, exception):
        if not self._active() or request.path.startswith("/api/"):
            return None
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.views import defaults

        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django renders 403.html or its plain 403 even in DEBUG
        import logging

        logging.getLogger("django.request").error("Internal Server Error: %s", request.path,
                                                  exc_info=(type(exception), exception, exception.__traceback__))
        return defaults.server_error(request)
