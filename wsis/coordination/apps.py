from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class CoordinationConfig(AppConfig):
    name = "wsis.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        # Imported here, not at the top: the builders module reads core.permissions (models), which the app
        # registry must be ready for. Listed with this reason in .importlinter's ignore_imports.
        from wsis.reports.builders import builders

        registry.add_urls("wsis.coordination.urls")
        registry.add_api_router("wsis.coordination.api.router")
        registry.add_nav("coordination:overview", _("Road maps"), order=94)
        registry.add_section("action_line", "wsis.coordination.sections.action_line_section")
        registry.add_demo_seeder("coordination", "wsis.coordination.demo.seed", order=70,
                                 after=["accounts", "stocktaking", "indicators", "forum"])
        builders.register("coordination.round", figures="wsis.coordination.documents.figures",
                          document="wsis.coordination.documents.document",
                          narrative_keys="wsis.coordination.documents.narrative_keys",
                          label=_("Consolidated agency contributions (CSTD)"))
