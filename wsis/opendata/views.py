"""Pages and files of the open-data app: the downloads page, stable "latest" URLs, the DCAT catalogue, IATI.

Files are sent whole with ``Content-Length``, ``Repr-Digest`` (SHA-256, RFC 9530) and an ``ETag``, so
a client can verify a download and a cache can revalidate it; public files allow any origin (CORS).
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wsis.core.permissions import is_secretariat

from . import descriptors, selectors, services
from .tables import TABLES
from .writers import FORMATS

__all__ = ["downloads", "latest_file", "dump_file", "rebuild", "catalogue"]


def _public(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Content-Length, ETag, Repr-Digest, Last-Modified"
    return response


@require_safe
def downloads(request):
    dump = selectors.dump_latest()
    by_table: dict[str, dict] = {}
    extras = []
    if dump:
        for entry in dump.files:
            if entry["table"]:
                by_table.setdefault(entry["table"], {})[entry["format"]] = entry
            else:
                extras.append(entry)
    tables = [{"table": t, "files": [by_table.get(t.name, {}).get(f.key) for f in FORMATS],
               "rows": next((e["rows"] for e in by_table.get(t.name, {}).values()), None)} for t in TABLES]
    return render(request, "opendata/downloads.html", {
        "dump": dump, "tables": tables if dump else [], "formats": FORMATS, "extras": extras,
        "licence": descriptors.licence(), "pending": selectors.dump_in_progress(),
        "can_rebuild": request.user.is_authenticated and is_secretariat(request.user),
        "all_tables": TABLES,
    })


def _send(request, dump, entry, *, latest: bool):
    etag = f'"{entry["sha256"]}"'
    if request.headers.get("If-None-Match") == etag:
        return _public(HttpResponseNotModified(headers={"ETag": etag}))
    path = entry.get("path") or f"{dump.folder}/{entry['name']}"
    if not default_storage.exists(path):
        raise Http404
    response = FileResponse(default_storage.open(path, "rb"), as_attachment=True, filename=entry["name"],
                            content_type=entry["media_type"] + ("; charset=utf-8" if entry["name"].endswith(
                                (".json", ".csv")) else ""))
    response["Content-Length"] = str(entry["size"])
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(entry['sha256'])).decode()}:"
    response["ETag"] = etag
    response["Last-Modified"] = dump.finished_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    response["Cache-Control"] = "public, max-age=300" if latest else "public, max-age=86400"
    return _public(response)


@require_safe
def latest_file(request, name: str):
    """A file of the newest build under a URL that never changes (``/data/latest/initiatives.csv.gz``)."""
    dump = selectors.dump_latest()
    if dump is None:
        raise Http404
    return _send(request, dump, selectors.dump_file(dump, name), latest=True)


@require_safe
def dump_file(request, pk: int, name: str):
    dump = selectors.dump_get_ready(pk)
    return _send(request, dump, selectors.dump_file(dump, name), latest=False)


@require_POST
def rebuild(request):
    if not (request.user.is_authenticated and is_secretariat(request.user)):
        raise PermissionDenied
    services.dump_request(actor=request.user)
    messages.success(request, _("The bulk downloads are being rebuilt; the new files replace these when ready."))
    return redirect("opendata:downloads")


@require_safe
def catalogue(request, fmt: str):
    """The DCAT-AP catalogue of the bulk downloads, as JSON-LD or Turtle."""
    dump = selectors.dump_latest()
    base = request.build_absolute_uri(reverse("opendata:downloads"))
    graph = descriptors.catalogue_graph(
        dump, base_url=base,
        file_url=lambda name: request.build_absolute_uri(reverse("opendata:latest", args=[name])))
    if fmt == "jsonld":
        return _public(HttpResponse(descriptors.catalogue_jsonld(graph), content_type="application/ld+json"))
    if fmt == "ttl":
        return _public(HttpResponse(descriptors.catalogue_turtle(graph), content_type="text/turtle; charset=utf-8"))
    raise Http404
