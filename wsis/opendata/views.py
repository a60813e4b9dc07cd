"""Pages and files of the open-data app: the downloads page, stable "latest" URLs, the DCAT catalogue, IATI.

Files are sent whole with ``Content-Length``, ``Repr-Digest`` (SHA-256, RFC 9530) and an ``ETag``, so
a client can verify a download and a cache can revalidate it; public files allow any origin (CORS).
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wsis.accounts.selectors import user_organisations
from wsis.core.permissions import is_secretariat
from wsis.core.ratelimit import rate_limit
from wsis.stocktaking.export_jobs import export_direct_max_rows
from wsis.stocktaking.filters import bad_request, parse_filters

from . import descriptors, iati, selectors, services
from .forms import IatiImportForm
from .tables import TABLES
from .writers import FORMATS

__all__ = ["downloads", "latest_file", "dump_file", "rebuild", "catalogue", "iati_export", "iati_import"]


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
    licence = descriptors.licence()
    return render(request, "opendata/downloads.html", {
        "dump": dump, "tables": tables if dump else [], "formats": FORMATS, "extras": extras,
        "licence": licence, "pending": selectors.dump_in_progress(),
        "can_rebuild": request.user.is_authenticated and is_secretariat(request.user),
        "all_tables": TABLES,
        # The licence is named as its licensor publishes it (its English title), cited as a work.
        "licence_cite": format_html('<cite lang="en" dir="ltr">{}</cite>', licence["title"]),
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


@rate_limit("export", methods=("GET",))
@require_safe
def iati_export(request):
    """Published initiatives as an IATI 2.03 activity file, filtered like the search page.

    Up to ``EXPORT_DIRECT_MAX_ROWS`` activities stream at once; a larger selection is pointed to the
    complete file of the bulk downloads (``iati-activities.xml.gz``) instead of being cut short.
    """
    parsed = parse_filters(request.GET)
    if parsed.errors:
        return bad_request(parsed.errors)
    qs = selectors.iati_initiatives(parsed.filters)
    total = qs.count()
    cap = export_direct_max_rows()
    if total > cap:
        return render(request, "opendata/iati_too_large.html", {"total": total, "cap": cap}, status=200)
    response = StreamingHttpResponse(iati.activities_xml(qs.iterator(chunk_size=500)),
                                     content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wsis-iati-activities.xml"'
    return _public(response)


@login_required
@require_http_methods(["GET", "POST"])
def iati_import(request):
    """An IATI activity file imported as draft initiatives of one of the user's organisations."""
    organisations = user_organisations(request.user)
    if not organisations.exists():
        return render(request, "stocktaking/no_organisation.html", status=403)
    form = IatiImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report, created = services.iati_import(user=request.user,
                                                       organisation=form.cleaned_data["organisation"],
                                                       data=form.cleaned_data["file"].read())
                if created:
                    messages.success(request, _("%(count)d activities were imported as draft initiatives. Complete "
                                                "and submit them for moderation.") % {"count": len(created)})
                    return redirect("stocktaking:mine")
            except iati.IatiFileError as exc:
                form.add_error("file", str(exc))
        status = 400
    return render(request, "opendata/iati_import.html", {"form": form, "report": report}, status=status)
