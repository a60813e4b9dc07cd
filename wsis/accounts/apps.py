from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wsis.core.registry import registry


class AccountsConfig(AppConfig):
    name = "wsis.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        registry.add_urls("wsis.accounts.urls")
        registry.add_api_router("wsis.accounts.api.router")
        registry.add_demo_seeder("accounts", "wsis.accounts.demo.seed", order=10, after=["taxonomy"])
