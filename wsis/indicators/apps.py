from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class IndicatorsConfig(AppConfig):
    name = "wsis.indicators"
    label = "indicators"
    verbose_name = _("ICT indicators")

    def ready(self):
        registry.add_urls("wsis.indicators.urls")
        registry.add_api_router("wsis.indicators.api.router")
        registry.add_nav("indicators:list", _("ICT indicators"), order=60)
        for page in ("home", "country", "goal", "commission"):
            registry.add_section(page, f"wsis.indicators.sections.{page}_section")
        registry.add_demo_seeder("indicators", "wsis.indicators.demo.seed", order=30, after=["taxonomy"])
