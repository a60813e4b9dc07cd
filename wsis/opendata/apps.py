from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class OpenDataConfig(AppConfig):
    name = "wsis.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        registry.add_urls("wsis.opendata.urls")
        registry.add_api_router("wsis.opendata.api.router")
        registry.add_nav("opendata:downloads", _("Open data"), order=98)
