from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wsis.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.core import checks

        from .cache import register as cache_register
        from .ratelimit import check_rate_limit_cache
        from .registry import check_registry, registry

        checks.register(check_registry)
        checks.register(check_rate_limit_cache, checks.Tags.security, deploy=True)
        registry.add_urls("wsis.core.urls")
        registry.add_warm_paths("wsis.core.warm.paths")
        cache_register()
