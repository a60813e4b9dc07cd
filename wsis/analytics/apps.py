from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "wsis.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self):
        from .listeners import register  # keeps derived data fresh: subscribes to domain events
        register()
