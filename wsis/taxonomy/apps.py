from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class TaxonomyConfig(AppConfig):
    name = "wsis.taxonomy"
    label = "taxonomy"
    verbose_name = _("Reference taxonomy")

    def ready(self):
        registry.add_urls("wsis.taxonomy.urls")
        registry.add_api_router("wsis.taxonomy.api.router")
        registry.add_nav("taxonomy:action-lines", _("Action lines"), order=20)
        registry.add_nav("taxonomy:goals", _("SDGs"), order=30)
        registry.add_nav("taxonomy:matrix", _("WSIS–SDG Matrix"), order=40)
        registry.add_nav("taxonomy:countries", _("Countries"), order=70)
        registry.add_section("home", "wsis.taxonomy.sections.home_section")
        registry.add_demo_seeder("taxonomy", "wsis.taxonomy.demo.seed", order=0)
