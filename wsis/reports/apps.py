from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class ReportsConfig(AppConfig):
    """The document engine (wsis.reports.document → HTML, PDF, DOCX), stored document versions, and the
    yearly WSIS Stocktaking Report."""

    name = "wsis.reports"
    label = "reports"
    verbose_name = _("Reports and documents")

    def ready(self):
        from .builders import builders

        registry.add_urls("wsis.reports.urls")
        registry.add_api_router("wsis.reports.api.router")
        registry.add_nav("reports:list", _("Reports"), order=85)
        registry.add_demo_seeder("reports", "wsis.reports.demo.seed", order=55, after=["stocktaking", "analytics"])
        builders.register("stocktaking", figures="wsis.reports.stocktaking_report.figures",
                          document="wsis.reports.stocktaking_report.document",
                          narrative_keys="wsis.reports.stocktaking_report.narrative_keys",
                          label=_("WSIS Stocktaking Report"))
