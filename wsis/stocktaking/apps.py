from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class StocktakingConfig(AppConfig):
    name = "wsis.stocktaking"
    label = "stocktaking"
    verbose_name = _("Stocktaking")

    def ready(self):
        registry.add_urls("wsis.stocktaking.urls")
        registry.add_api_router("wsis.stocktaking.api.router")
        registry.add_nav("stocktaking:search", _("Initiatives"), order=10)
        for page in ("home", "country", "action_line", "goal", "organisation"):
            registry.add_section(page, f"wsis.stocktaking.sections.{page}_section")
        registry.add_demo_seeder("stocktaking", "wsis.stocktaking.demo.seed", order=20, after=["accounts"])
        registry.add_warm_paths("wsis.stocktaking.warm.paths")

        from .listeners import register as subscribe_listeners  # derived data: see core/events.py

        subscribe_listeners()
