from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class ReportsConfig(AppConfig):
    """The document engine (wsis.reports.document → HTML, PDF, DOCX) and the yearly WSIS Stocktaking Report."""

    name = "wsis.reports"
    label = "reports"
    verbose_name = _("Reports and documents")

    def ready(self):
        registry  # noqa: B018 - pages, API and demo data are registered below as they land
