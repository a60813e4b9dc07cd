from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry
from wsis.reports.published import published_sources


class ForumConfig(AppConfig):
    name = "wsis.forum"
    label = "forum"
    verbose_name = _("WSIS Forum")

    def ready(self):
        registry.add_urls("wsis.forum.urls")
        registry.add_api_router("wsis.forum.api.router")
        registry.add_nav("forum:home", _("WSIS Forum"), order=90)
        registry.add_section("home", "wsis.forum.sections.home_section")
        published_sources.register("forum.outcome", "wsis.forum.feeds.published_outcomes")
        registry.add_demo_seeder("forum", "wsis.forum.demo.seed", order=60, after=["accounts"])
