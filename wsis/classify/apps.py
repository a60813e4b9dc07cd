from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class ClassifyConfig(AppConfig):
    name = "wsis.classify"
    label = "classify"
    verbose_name = _("Auto-mapping")

    def ready(self):
        registry.add_urls("wsis.classify.urls")
        registry.add_api_router("wsis.classify.api.router")
        registry.add_section("moderation", "wsis.classify.sections.moderation_section")
        registry.add_section("initiative_form", "wsis.classify.sections.initiative_form_section")
        registry.add_section("data_quality", "wsis.classify.sections.data_quality_section")
