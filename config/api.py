"""The JSON API at /api/v1/ (django-ninja). Each app contributes ``router`` from its ``api.py``."""

from importlib import import_module
from importlib.util import find_spec

from ninja import NinjaAPI

API_APPS = ["taxonomy", "accounts", "stocktaking", "analytics", "indicators", "reviews", "forum", "prizes",
            "classify", "reports"]

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

for label in API_APPS:
    module_name = f"wsis.{label}.api"
    if find_spec(module_name) is not None:
        module = import_module(module_name)
        if hasattr(module, "router"):
            api.add_router("", module.router)
