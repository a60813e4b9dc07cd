"""Pages of the stocktaking registry: search, detail, the submission form, moderation, import/export.

Views parse the request, call one selector or service and render. Every page works without
JavaScript; HTMX requests get the fragment they asked for (``wsis.core.htmx.htmx_partial``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from wsis.accounts.selectors import user_organisations
from wsis.core.actions import form_add_service_errors
from wsis.core.cache import public_page
from wsis.core.concurrency import ConflictError, conflict_context
from wsis.core.htmx import htmx_partial
from wsis.core.ratelimit import rate_limit
from wsis.core.sections import page_sections
from wsis.core.services import FormTokenUsed

from . import exports, imports, selectors, services
from . import search as search_selectors
from .filters import ACTIVITY, FILTER_LABELS, bad_request, legacy_redirect, parse_filters
from .forms import (
    ImportForm,
    InitiativeForm,
    ModerationDecisionForm,
    ModerationFilterForm,
    ProgressReportForm,
)
from .models import Initiative
from .permissions import can_edit, can_moderate
from .snapshots import data_from_initiative, data_from_snapshot, snapshot_diff, snapshot_from_data

PER_PAGE = 20


class _CountedPaginator(Paginator):
    """A paginator whose total comes from the (cached) facet count instead of another COUNT query."""

    def __init__(self, object_list, per_page, total):
        super().__init__(object_list, per_page)
        self._total = total

    @property
    def count(self):
        return self._total


@public_page
def search(request):
    if moved := legacy_redirect(request):
        return moved
    parsed = parse_filters(request.GET)
    filters = parsed.filters
    expand = request.GET.get("all", "")
    total, facets = search_selectors.initiative_facets(filters, expand=expand)
    paginator = _CountedPaginator(search_selectors.initiative_search(filters), PER_PAGE, total)
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode(filters.as_query())
    context = {
        "inactive_ids": selectors.inactive_ids(i.pk for i in page.object_list),
        "activity_choices": ACTIVITY,
        "filters": filters, "facets": facets, "page": page, "total": total, "sorts": search_selectors.SORTS,
        "query": query, "sort": filters.effective_sort, "expand": expand, "filter_count": filters.filter_count,
        "hints": search_selectors.search_hints(filters, total),
        "export_formats": ["csv", "xlsx", "json"],
        "filter_errors": [(FILTER_LABELS.get(name, name), messages) for name, messages in parsed.errors.items()],
    }
    if htmx_partial(request):
        return render(request, "stocktaking/partials/results.html", context)
    context["moderator"] = request.user.is_authenticated and can_moderate(request.user)
    return render(request, "stocktaking/search.html", context)


def detail(request, pk: int):
    initiative = selectors.initiative_get(pk=pk, user=request.user)
    member = can_edit(request.user, initiative.organisation)
    published = initiative.state == initiative.State.PUBLISHED
    pending = selectors.pending_revision_get(initiative) if (member or can_moderate(request.user)) else None
    revisions = selectors.revision_list(initiative)[:10] if member else []
    return render(request, "stocktaking/detail.html", {
        "initiative": initiative, "rationale": selectors.initiative_matrix_rationale(initiative),
        "member": member, "pending": pending, "revisions": revisions,
        "moderator": can_moderate(request.user),
        "progress_reports": selectors.progress_report_list(initiative)[:5] if published else [],
        "inactive": published and not selectors.initiative_is_active(initiative),
    })


@login_required
@require_http_methods(["GET", "POST"])
def progress(request, pk: int):
    """The organisation's yearly progress report on a published initiative, filled in from the last one."""
    initiative = selectors.initiative_get_for_edit(pk=pk, user=request.user)
    this_year = timezone.now().year
    if request.method != "POST":
        form = ProgressReportForm(initial=selectors.progress_report_prefill(initiative, year=this_year))
    else:
        form = ProgressReportForm(request.POST)
        if form.is_valid():
            try:
                services.progress_report_file(user=request.user, initiative=initiative, **form.cleaned_data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you: the progress report was filed."))
                return redirect("stocktaking:detail", pk=pk)
    return render(request, "stocktaking/progress_form.html", {
        "form": form, "initiative": initiative, "reports": selectors.progress_report_list(initiative),
    }, status=400 if form.is_bound else 200)


def _form_context(form: InitiativeForm, *, initiative=None, duplicates=None):
    action_lines = form.chosen_action_lines()
    suggestions = selectors.matrix_suggestions(action_lines)
    ticked = form.suggestion_state(suggestions)
    return {
        "form": form, "initiative": initiative, "suggestions": suggestions, "ticked": ticked,
        "suggestions_shown": " ".join(s.target.code for s in suggestions), "chosen_action_lines": action_lines,
        "duplicates": duplicates or [],
    }


def _render_form(request, form, *, initiative=None, duplicates=None, status=200):
    context = _form_context(form, initiative=initiative, duplicates=duplicates)
    if htmx_partial(request) and request.POST.get("action") == "suggest":
        return render(request, "stocktaking/partials/suggestions.html", context)
    return render(request, "stocktaking/form.html", context, status=status)


def _quiet(form: InitiativeForm) -> InitiativeForm:
    """A bound form that shows what was typed without error messages (used for 'Update suggestions')."""
    from django.forms.utils import ErrorDict

    form._errors = ErrorDict()
    form.cleaned_data = {}
    return form


def _save_and_maybe_submit(request, form: InitiativeForm, initiative: Initiative | None):
    """Save (create or update) then, if asked, submit. Returns a response."""
    data = form.to_data()
    reason = form.cleaned_data.get("reason", "")
    try:
        if initiative is None:
            try:
                initiative = services.initiative_create(
                    user=request.user, organisation=form.cleaned_data["organisation"], data=data, reason=reason,
                    form_token=form.cleaned_data.get("form_token", ""))
            except FormTokenUsed as used:
                return _already_created(request, used)
        else:
            initiative = services.initiative_update(user=request.user, initiative=initiative, data=data, reason=reason,
                                                    expected_version=form.cleaned_data.get("lock_version"))
    except ConflictError as exc:
        return _render_conflict(request, form, initiative, exc)
    except ValidationError as exc:
        _errors_to_form(form, exc)
        return _render_form(request, form, initiative=initiative, status=400)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved. You can come back to it at any time."))
        return redirect("stocktaking:edit", pk=initiative.pk)
    try:
        services.initiative_submit(user=request.user, initiative=initiative,
                                   confirm_distinct=form.cleaned_data.get("confirm_distinct", False))
    except services.DuplicateTitle as exc:
        form.add_error("title", exc.error_dict["title"])
        messages.warning(request, _("Your changes were saved as a draft."))
        return _render_form(request, form, initiative=initiative, duplicates=exc.matches, status=400)
    except ValidationError as exc:
        _errors_to_form(form, exc)
        messages.warning(request, _("Your changes were saved as a draft, but the entry is not complete yet."))
        return _render_form(request, form, initiative=initiative, status=400)
    messages.success(request, _("Thank you. The initiative was sent to the moderators."))
    return redirect("stocktaking:detail", pk=initiative.pk)


def _render_conflict(request, form: InitiativeForm, initiative: Initiative, exc: ConflictError):
    """Someone saved the entry since this editor opened it: their text, the form kept, and the differences."""
    current = selectors.initiative_get_for_edit(pk=initiative.pk, user=request.user)
    pending = selectors.pending_revision_get(current)
    theirs = InitiativeForm.initial_from(data_from_snapshot(pending.data) if pending else data_from_initiative(current))
    context = _form_context(form, initiative=current)
    context.update(conflict_context(form, exc, theirs, exclude=["reason", "confirm_distinct"]))
    return render(request, "stocktaking/form.html", context, status=409)


def _already_created(request, used: FormTokenUsed):
    """The create form was sent twice (a double click, a reload): show what the first sending made."""
    initiative = selectors.initiative_get(pk=int(used.target_id), user=request.user)
    if initiative.state in (Initiative.State.DRAFT, Initiative.State.RETURNED):
        messages.warning(request, _("This form had already been sent: the initiative was saved as a draft. "
                                    "Check it here and submit it when it is ready."))
        return redirect("stocktaking:edit", pk=initiative.pk)
    messages.info(request, _("This form had already been sent: the initiative below was created from it."))
    return redirect("stocktaking:detail", pk=initiative.pk)


def _errors_to_form(form, exc: ValidationError) -> None:
    form_add_service_errors(form, exc)


@login_required
def create(request):
    organisations = user_organisations(request.user)
    if not organisations.exists():
        return render(request, "stocktaking/no_organisation.html", status=403)
    if request.method != "POST":
        form = InitiativeForm(organisations=organisations, initial={"organisation": organisations.first()})
        return _render_form(request, form)
    form = InitiativeForm(request.POST, organisations=organisations)
    valid = form.is_valid()
    if request.POST.get("action") == "suggest":
        return _render_form(request, _quiet(form))
    if not valid:
        return _render_form(request, form, status=400)
    return _save_and_maybe_submit(request, form, None)


@login_required
def edit(request, pk: int):
    initiative = selectors.initiative_get_for_edit(pk=pk, user=request.user)
    pending = selectors.pending_revision_get(initiative)
    if request.method != "POST":
        data = data_from_snapshot(pending.data) if pending else data_from_initiative(initiative)
        initial = {**InitiativeForm.initial_from(data), "lock_version": initiative.lock_version}
        form = InitiativeForm(initial=initial, initiative=initiative)
        return _render_form(request, form, initiative=initiative)
    form = InitiativeForm(request.POST, initiative=initiative)
    valid = form.is_valid()
    if request.POST.get("action") == "suggest":
        return _render_form(request, _quiet(form), initiative=initiative)
    if not valid:
        return _render_form(request, form, initiative=initiative, status=400)
    return _save_and_maybe_submit(request, form, initiative)


@login_required
@require_POST
def archive(request, pk: int):
    initiative = selectors.initiative_get(pk=pk, user=request.user)
    try:
        services.initiative_archive(user=request.user, initiative=initiative, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The initiative was archived."))
    return redirect("stocktaking:detail", pk=pk)


@login_required
def mine(request):
    initiatives = selectors.initiative_list_for_user(user=request.user)
    page = Paginator(initiatives, 50).get_page(request.GET.get("page"))
    return render(request, "stocktaking/mine.html", {"page": page,
                                                     "organisations": user_organisations(request.user)})


# --- moderation -----------------------------------------------------------------------------------

def _require_moderator(request):
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    if not can_moderate(request.user):
        raise PermissionDenied
    return None


def _login_url():
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


def moderation_queue(request):
    if (response := _require_moderator(request)) is not None:
        return response
    form = ModerationFilterForm(request.GET or None)
    queue = selectors.moderation_queue(user=request.user, filters=form.filters())
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    if htmx_partial(request):
        return render(request, "stocktaking/partials/moderation_table.html", context)
    return render(request, "stocktaking/moderation_queue.html", context)


def moderation_detail(request, pk: int):
    if (response := _require_moderator(request)) is not None:
        return response
    initiative = selectors.initiative_get(pk=pk, user=request.user)
    pending = selectors.pending_revision_get(initiative)
    form = ModerationDecisionForm(request.POST or None,
                                  initial={"seen": services.initiative_moderation_fingerprint(initiative)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
            seen = form.cleaned_data["seen"]  # what the moderator saw; a change since refuses the decision
            try:
                if decision == "start_review":
                    services.initiative_start_review(user=request.user, initiative=initiative)
                elif decision == "approve":
                    services.initiative_approve(user=request.user, initiative=initiative, comment=comment,
                                                seen=seen)
                elif decision == "return":
                    services.initiative_return(user=request.user, initiative=initiative, comment=comment,
                                               seen=seen)
                else:
                    services.initiative_reject(user=request.user, initiative=initiative, reason=comment, seen=seen)
            except services.ModerationStale as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("stocktaking:moderation-detail", initiative.pk)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("Decision recorded; the submitter has been informed."))
                return redirect("stocktaking:moderation")
        status = 400
    diff = []
    if pending is not None:
        current = snapshot_from_data(data_from_initiative(initiative))
        diff = [(initiative_field_label(name), old, new) for name, old, new in
                snapshot_diff(current, pending.data)]
    duplicates = services.initiative_duplicates(organisation=initiative.organisation, title=initiative.title,
                                                exclude_pk=initiative.pk)
    return render(request, "stocktaking/moderation_detail.html", {
        "initiative": initiative, "pending": pending, "diff": diff, "form": form, "duplicates": duplicates,
        "rationale": selectors.initiative_matrix_rationale(initiative),
        "revisions": selectors.revision_list(initiative)[:10],
        "sections": page_sections("moderation", request=request, initiative=initiative),
    }, status=status)


FIELD_LABELS = {
    "countries": gettext_lazy("Countries"), "primary_action_line": gettext_lazy("Primary action line"),
    "action_lines": gettext_lazy("Further action lines"), "goals": gettext_lazy("SDGs"),
    "targets": gettext_lazy("SDG targets"), "target_groups": gettext_lazy("Target groups"),
}


def initiative_field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    try:
        return str(Initiative._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # noqa: BLE001 - a label is cosmetic; fall back to the key
        return name


# --- import and export ------------------------------------------------------------------------------

@login_required
def import_upload(request):
    organisations = user_organisations(request.user)
    if not organisations.exists():
        return render(request, "stocktaking/no_organisation.html", status=403)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rows = imports.parse_upload(form.cleaned_data["file"])
                report = imports.validate_rows(rows)
                if not report.errors:
                    created = imports.initiative_import(user=request.user,
                                                        organisation=form.cleaned_data["organisation"],
                                                        report=report)
                    messages.success(request, ngettext(
                        "%(count)d initiative was imported and sent to the moderators.",
                        "%(count)d initiatives were imported and sent to the moderators.", len(created))
                        % {"count": len(created)})
                    return redirect("stocktaking:mine")
            except imports.ImportFileError as exc:
                form.add_error("file", str(exc))
        status = 400
    return render(request, "stocktaking/import.html", {"form": form, "report": report,
                                                       "columns": imports.COLUMNS}, status=status)


def import_template(request, fmt: str):
    if fmt == "csv":
        return exports.template_csv()
    if fmt == "xlsx":
        return exports.template_xlsx()
    raise Http404


@rate_limit("export", methods=("GET",))
def export(request, fmt: str):
    if moved := legacy_redirect(request):
        return moved
    parsed = parse_filters(request.GET)
    if parsed.errors:
        return bad_request(parsed.errors)
    qs = search_selectors.initiative_search(parsed.filters, relations=False)
    if fmt == "csv":
        return exports.export_csv(qs)
    if fmt == "xlsx":
        return exports.export_xlsx(qs)
    if fmt == "json":
        return exports.export_json(qs)
    raise Http404

