from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class AnalyticsConfig(AppConfig):
    name = "wsis.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self):
        registry.add_urls("wsis.analytics.urls")
        registry.add_api_router("wsis.analytics.api.router")
        registry.add_nav("analytics:coverage", _("Analytics"), order=50)
        for page in ("country", "action_line", "commission"):
            registry.add_section(page, f"wsis.analytics.sections.{page}_section")
        registry.add_demo_seeder("analytics", "wsis.analytics.demo.seed", order=40, after=["stocktaking"])
        registry.add_warm_paths("wsis.analytics.warm.paths")

        from .listeners import register as subscribe_listeners  # derived data: see core/events.py

        subscribe_listeners()
