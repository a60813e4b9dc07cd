from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class PrizesConfig(AppConfig):
    name = "wsis.prizes"
    label = "prizes"
    verbose_name = _("WSIS Prizes")

    def ready(self):
        registry.add_urls("wsis.prizes.urls")
        registry.add_api_router("wsis.prizes.api.router")
        registry.add_nav("prizes:home", _("WSIS Prizes"), order=92)
        registry.add_section("home", "wsis.prizes.sections.home_section")
        registry.add_demo_seeder("prizes", "wsis.prizes.demo.seed", order=75, after=["accounts", "stocktaking"])
        # Registers the "success stories" publication with the document engine (wsis.reports).
        from . import documents  # noqa: F401
