"""The application's URLs plus ``/bench/minimal-initiatives``: the API list's first page from a bare
Django view (one query, ``JsonResponse``), the floor the API endpoint is compared with."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns
from wsis.stocktaking.models import Initiative

FIELDS = ("id", "title", "summary", "organisation__name", "kind", "status", "year", "published_at")


def minimal_initiatives(request):
    rows = list(Initiative.objects.filter(state=Initiative.State.PUBLISHED)
                .order_by("-published_at", "-id").values(*FIELDS)[:50])
    return JsonResponse({"items": rows, "count": len(rows)})


urlpatterns = [path("bench/minimal-initiatives", minimal_initiatives), *app_urlpatterns]
