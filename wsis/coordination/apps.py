from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class CoordinationConfig(AppConfig):
    name = "wsis.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        registry.add_urls("wsis.coordination.urls")
        registry.add_api_router("wsis.coordination.api.router")
        registry.add_nav("coordination:overview", _("Road maps"), order=95)
        registry.add_section("action_line", "wsis.coordination.sections.action_line_section")
        registry.add_demo_seeder("coordination", "wsis.coordination.demo.seed", order=70,
                                 after=["accounts", "stocktaking", "indicators", "forum"])
