from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry
from wsis.reports.published import published_sources


class ReviewsConfig(AppConfig):
    name = "wsis.reviews"
    label = "reviews"
    verbose_name = _("Regional reviews")

    def ready(self):
        registry.add_urls("wsis.reviews.urls")
        registry.add_api_router("wsis.reviews.api.router")
        registry.add_nav("reviews:cycles", _("Regional reviews"), order=80)
        registry.add_section("commission", "wsis.reviews.sections.commission_section")
        registry.add_section("reports", "wsis.reviews.sections.reports_section")
        published_sources.register("reviews.report", "wsis.reviews.feeds.published_reports")
        registry.add_demo_seeder("reviews", "wsis.reviews.demo.seed", order=50,
                                  after=["accounts", "analytics", "indicators"])
