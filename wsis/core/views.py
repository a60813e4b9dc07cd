"""Site-wide pages: home and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .cache import public_page
from .sections import page_sections


@public_page
def home(request):
    return render(request, "core/home.html", {"sections": page_sections("home", request=request)})


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 otherwise. Used by load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
