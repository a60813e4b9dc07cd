from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"
    verbose_name = "Plug-in test app"

    def ready(self):
        from wsis.core.registry import registry

        registry.add_urls("tests.plugin_app.urls")
        registry.add_api_router("tests.plugin_app.api.router")
        registry.add_nav("plugin_app:index", "Plug-in page", order=95)
        registry.add_nav("plugin_app:staff", "Plug-in staff page", order=96,
                         permission=lambda request: request.user.is_staff)
        registry.add_section("home", "tests.plugin_app.sections.home_section")
        registry.add_demo_seeder("plugin_app", "tests.plugin_app.demo.seed", order=5, after=["accounts"])
