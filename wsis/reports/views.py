"""Pages of the reports app: the list of published editions, the WSIS Stocktaking Report form (secretariat),
a document version's page (progress, downloads, narrative, publish with confirmation), and downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wsis.core.actions import error_text, run_service
from wsis.core.htmx import htmx_partial
from wsis.core.sections import page_sections

from . import selectors, services, stocktaking_report
from .forms import NarrativesForm, StocktakingReportForm
from .storage import digest_header

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def report_list(request):
    """Every published edition with its languages and formats; the secretariat also sees its drafts."""
    context = {
        "editions": selectors.editions_published(),
        "sections": page_sections("reports", request=request),
        "can_generate": services.can_manage(request.user, stocktaking_report.KIND, {}),
    }
    if context["can_generate"]:
        context["managed"] = [d for d in selectors.documents_managed(request.user) if not d.published_at][:30]
    return render(request, "reports/list.html", context)


@login_required
def stocktaking_new(request):
    if not services.can_manage(request.user, stocktaking_report.KIND, {}):
        raise PermissionDenied
    form = StocktakingReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, scope = form.cleaned_data["year"], form.cleaned_data["scope"]
        params = {"year": year, "scope": scope}
        try:
            with transaction.atomic():
                docs = [services.document_request(
                    kind=stocktaking_report.KIND, key=stocktaking_report.scope_key(year, scope), language=language,
                    title=_title(year, scope, language), symbol=stocktaking_report.default_symbol(year, scope),
                    params=params, actor=request.user) for language in form.cleaned_data["languages"]]
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The report is being generated; this page shows its progress."))
            return redirect(docs[0])
    return render(request, "reports/stocktaking_form.html", {"form": form}, status=400 if form.errors else 200)


def _title(year: int, scope: str, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return stocktaking_report.default_title(year, scope)


def document_detail(request, pk):
    doc, manages = selectors.document_get(request.user, pk)
    context = {"doc": doc, "can_manage": manages,
               "versions": selectors.document_versions(doc, manages=manages)}
    if htmx_partial(request):
        return render(request, "reports/partials/status.html", context)
    if manages and doc.status == doc.Status.DONE and not doc.published_at:
        context["narratives_form"] = NarrativesForm(keys=services.narrative_keys(doc), narratives=doc.narratives)
    return render(request, "reports/document.html", context)


@login_required
@require_POST
def document_narratives(request, pk):
    doc, manages = selectors.document_get(request.user, pk)
    if not manages:
        raise PermissionDenied
    form = NarrativesForm(request.POST, keys=services.narrative_keys(doc), narratives=doc.narratives)
    if not form.is_valid():
        context = {"doc": doc, "can_manage": True, "narratives_form": form,
                   "versions": selectors.document_versions(doc, manages=True)}
        return render(request, "reports/document.html", context, status=400)
    run_service(request, lambda: services.document_update_narratives(
        document=doc, narratives=form.cleaned_data, actor=request.user),
        _("The narrative was saved; the files are being rendered again."))
    return redirect(doc)


@login_required
def document_publish(request, pk):
    """GET: the confirmation page (what publishing does, and that it cannot be undone); POST: publish."""
    doc, manages = selectors.document_get(request.user, pk)
    if not manages:
        raise PermissionDenied
    if request.method == "POST":
        ok, _result = run_service(request, lambda: services.document_publish(document=doc, actor=request.user),
                                  _("The document was published."))
        return redirect(doc)
    return render(request, "reports/publish_confirm.html", {"doc": doc})


@login_required
@require_POST
def document_new_version(request, pk):
    doc, manages = selectors.document_get(request.user, pk)
    if not manages:
        raise PermissionDenied
    ok, new = run_service(request, lambda: services.document_new_version(document=doc, actor=request.user),
                          _("A new version is being generated."))
    return redirect(new if ok else doc)


def document_file(request, pk, fmt):
    doc, _manages = selectors.document_get(request.user, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    file = doc.file_for(fmt)
    if not file:
        raise Http404
    name = f"{doc.kind}-{doc.key.replace('/', '-')}-{doc.language}-v{doc.version}.{fmt}"
    response = FileResponse(file.open("rb"), content_type=CONTENT_TYPES[fmt], as_attachment=fmt != "html",
                            filename=name)
    if doc.sha256_for(fmt):
        response["Repr-Digest"] = digest_header(doc.sha256_for(fmt))
    if fmt == "html":
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response
