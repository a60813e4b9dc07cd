"""URL configuration.

Pages live under a language prefix (``/<lang>/…``, DESIGN.md §5); ``/`` redirects by
``Accept-Language`` (LocaleMiddleware). Each app of ``wsis`` that has a ``urls.py`` is mounted at
the root of the language prefix under its own namespace; the app's own ``urls.py`` names its paths.
The API, the health check and the admin have no language prefix.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from wsis.core.views import healthz

from .api import api

# Order matters only where two apps would claim the same path; none do.
PAGE_APPS = ["core", "accounts", "taxonomy", "stocktaking", "analytics", "indicators", "reviews", "forum",
             "prizes", "classify", "reports"]


def _app_patterns():
    for label in PAGE_APPS:
        module = f"wsis.{label}.urls"
        if find_spec(module) is not None:
            yield path("", include(import_module(module)))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(*_app_patterns(), prefix_default_language=True)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
