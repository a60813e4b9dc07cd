"""URL configuration.

Pages live under a language prefix (``/<lang>/…``, DESIGN.md §5); ``/`` redirects by
``Accept-Language`` (LocaleMiddleware). Each app registers its ``urls.py`` from its
``AppConfig.ready()`` (``registry.add_urls``); every registered URLconf is mounted at the root of the
language prefix under its own ``app_name`` namespace, in ``INSTALLED_APPS`` order. Django imports this
module once every app is ready, so the registry is complete here.
The API, the health and readiness checks, the metrics and the admin have no language prefix.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from wsis.core.observability import metrics
from wsis.core.registry import registry
from wsis.core.views import healthz, readyz

from .api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(*(path("", include(urlconf)) for urlconf in registry.url_modules()),
                             prefix_default_language=True)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
