"""The JSON API at /api/v1/ (django-ninja).

Each app registers the ``router`` of its ``api.py`` from its ``AppConfig.ready()``
(``registry.add_api_router``). This module is imported by ``config/urls.py`` and by
``manage.py export_openapi``, both after every app is ready; read earlier, the registry raises.
"""

from ninja import NinjaAPI

from wsis.core.registry import registry

api = NinjaAPI(
    title="WSIS Implementation Platform API",
    version="1",
    description=(
        "Open data of the WSIS Implementation Platform: the WSIS action lines, the SDGs, the WSIS–SDG "
        "Matrix, countries and groups, the stocktaking registry of ICT initiatives and its analytics. "
        "Read endpoints are public; writes need a signed-in session (CSRF) or an API token."
    ),
    urls_namespace="api",
)

for router in registry.api_routers():
    api.add_router("", router)
