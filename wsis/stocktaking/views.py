"""Pages of the stocktaking registry: search, detail, the submission form, moderation, import/export.

Views parse the request, call one selector or service and render. Every page works without
JavaScript; HTMX requests get the fragment they asked for (``wsis.core.htmx.htmx_partial``).
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wsis.accounts.selectors import user_organisations
from wsis.core.actions import form_add_service_errors
from wsis.core.cache import public_page
from wsis.core.concurrency import ConflictError, conflict_context
from wsis.core.htmx import htmx_partial
from wsis.core.ratelimit import rate_limit
from wsis.core.sections import page_sections
from wsis.core.services import FormTokenUsed

from . import export_jobs, exports, imports, selectors, services
from . import search as search_selectors
from .filters import ACTIVITY, FILTER_LABELS, bad_request, legacy_redirect, parse_filters
from .forms import (
    ImportForm,
    InitiativeForm,
    ModerationDecisionForm,
    ModerationFilterForm,
    ModerationTagsForm,
    ProgressReportForm,
    TranslationForm,
)
from .languages import available_languages, initiative_text, language_label
from .linked_data import initiative_jsonld, jsonld_script_body
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
    paginator = _CountedPaginator(selectors.with_activity(search_selectors.initiative_search(filters)), PER_PAGE, total)
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode(filters.as_query())
    context = {
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
    jsonld = None
    if initiative.state == Initiative.State.PUBLISHED:
        jsonld = jsonld_script_body(initiative_jsonld(
            initiative, url=request.build_absolute_uri(initiative.get_absolute_url()),
            action_lines_url=request.build_absolute_uri(reverse("taxonomy:action-lines"))))
    return render(request, "stocktaking/detail.html", {
        "initiative": initiative, "rationale": selectors.initiative_matrix_rationale(initiative),
        "member": member, "pending": pending, "revisions": revisions,
        "moderator": can_moderate(request.user), "jsonld": jsonld,
        "progress_reports": selectors.progress_report_list(initiative)[:5] if published else [],
        "inactive": published and not selectors.initiative_is_active(initiative),
        "shown": initiative_text(initiative), "languages": available_languages(initiative),
        "can_translate": member and initiative.state not in services.TRANSLATION_CLOSED_STATES,
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


# --- translations of the title and summary (issue 21) ---------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def translations(request, pk: int):
    """The initiative's translations, and the form that adds one (members of the owning organisation)."""
    initiative = selectors.initiative_get_for_edit(pk=pk, user=request.user)
    form = TranslationForm(request.POST or None, initiative=initiative)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                translation = services.initiative_translation_create(
                    user=request.user, initiative=initiative, language=d["language"], title=d["title"],
                    summary=d["summary"])
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("The translation into %(language)s was saved.")
                                 % {"language": language_label(translation.language)})
                return redirect("stocktaking:translations", pk=pk)
        status = 400
    return render(request, "stocktaking/translations.html", {
        "initiative": initiative, "form": form, "translations": selectors.translation_list(initiative),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def translation_edit(request, pk: int, language: str):
    """Change one translation; a save from an older version gets the conflict page (409)."""
    initiative = selectors.initiative_get_for_edit(pk=pk, user=request.user)
    translation = selectors.translation_get(initiative=initiative, language=language)
    initial = {"title": translation.title, "summary": translation.summary, "lock_version": translation.lock_version}
    if request.method != "POST":
        form = TranslationForm(initial=initial, initiative=initiative, translation=translation)
        return _render_translation(request, form, initiative, translation)
    form = TranslationForm(request.POST, initiative=initiative, translation=translation)
    if not form.is_valid():
        return _render_translation(request, form, initiative, translation, status=400)
    d = form.cleaned_data
    try:
        services.initiative_translation_update(user=request.user, translation=translation, title=d["title"],
                                               summary=d["summary"], expected_version=d.get("lock_version"))
    except ConflictError as exc:
        current = selectors.translation_get(initiative=initiative, language=language)
        context = conflict_context(form, exc, {"title": current.title, "summary": current.summary})
        return _render_translation(request, form, initiative, current, status=409, **context)
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return _render_translation(request, form, initiative, translation, status=400)
    messages.success(request, _("The translation into %(language)s was saved.") % {"language": language_label(language)})
    return redirect("stocktaking:translations", pk=pk)


def _render_translation(request, form, initiative, translation, *, status=200, **extra):
    return render(request, "stocktaking/translation_form.html", {
        "initiative": initiative, "translation": translation, "form": form, **extra}, status=status)


@login_required
@require_POST
def translation_delete(request, pk: int, language: str):
    """Remove a translation (members of the organisation, or a moderator), from the version the page showed."""
    initiative = selectors.initiative_get(pk=pk, user=request.user)
    if not (can_edit(request.user, initiative.organisation) or can_moderate(request.user)):
        raise PermissionDenied
    translation = selectors.translation_get(initiative=initiative, language=language)
    raw = request.POST.get("lock_version", "")
    expected = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    try:
        services.initiative_translation_delete(user=request.user, translation=translation, expected_version=expected)
    except ConflictError:
        messages.error(request, _("This translation was changed after you opened the page, so it was not removed. "
                                  "Read it again below, then remove it if you still want to."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The translation into %(language)s was removed.")
                         % {"language": language_label(language)})
    if request.POST.get("next") == "moderation" and can_moderate(request.user):
        return redirect(f"{reverse('stocktaking:moderation-detail', args=[pk])}#translations")
    if can_edit(request.user, initiative.organisation):
        return redirect("stocktaking:translations", pk=pk)
    return redirect("stocktaking:detail", pk=pk)


CLASSIFIER_ON = {"1", "on", "true", "True"}


def _classifier_sections(request, form: InitiativeForm) -> tuple[list, bool]:
    """The classifier's suggestions for the form's text, once the submitter asked for them ("Check tags").

    The classifier sits above stocktaking, so it offers them as a section of the ``initiative_form``
    page (``wsis.classify.sections.initiative_form_section``); this page only asks.
    """
    if not form.is_bound:
        return [], False
    if request.POST.get("action") != "check_tags" and request.POST.get("classifier_checked") not in CLASSIFIER_ON:
        return [], False
    return page_sections("initiative_form", request=request, text=form.classifier_text(),
                         state=form.classifier_state()), True


def _form_context(form: InitiativeForm, *, initiative=None, duplicates=None, request=None):
    action_lines = form.chosen_action_lines()
    suggestions = selectors.matrix_suggestions(action_lines)
    ticked = form.suggestion_state(suggestions)
    classifier, checked = _classifier_sections(request, form) if request is not None else ([], False)
    return {
        "form": form, "initiative": initiative, "suggestions": suggestions, "ticked": ticked,
        "chosen_action_lines": action_lines, "duplicates": duplicates or [],
        "sections": classifier, "classifier_checked": checked, "targets_by_goal": form.targets_by_goal(),
        "confirm_goals": form.confirm_goal_choices(),
    }


def _render_form(request, form, *, initiative=None, duplicates=None, status=200):
    context = _form_context(form, initiative=initiative, duplicates=duplicates, request=request)
    if htmx_partial(request) and request.POST.get("action") == "suggest":
        return render(request, "stocktaking/partials/suggestions.html", context)
    if htmx_partial(request) and request.POST.get("action") == "check_tags":
        return render(request, "stocktaking/partials/classifier.html", context)
    return render(request, "stocktaking/form.html", context, status=status)


# Buttons that show the form again with what was typed, saving nothing: "Update suggestions" (the
# Matrix) and "Check tags" (the classifier). Both work without JavaScript: the whole form is posted.
REDISPLAY_ACTIONS = {"suggest", "check_tags"}


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
    context = _form_context(form, initiative=current, request=request)
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
    if request.POST.get("action") in REDISPLAY_ACTIONS:
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
    if request.POST.get("action") in REDISPLAY_ACTIONS:
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


def _moderation_context(request, initiative: Initiative, *, form=None, tags_form=None) -> dict:
    pending = selectors.pending_revision_get(initiative)
    diff = []
    if pending is not None:
        current = snapshot_from_data(data_from_initiative(initiative))
        diff = [(initiative_field_label(name), old, new) for name, old, new in
                snapshot_diff(current, pending.data)]
    duplicates = services.initiative_duplicates(organisation=initiative.organisation, title=initiative.title,
                                                exclude_pk=initiative.pk)
    if form is None:
        form = ModerationDecisionForm(initial={"seen": services.initiative_moderation_fingerprint(initiative)})
    if tags_form is None:
        tags_form = ModerationTagsForm(initial=selectors.initiative_tag_initial(initiative))
    return {
        "initiative": initiative, "pending": pending, "diff": diff, "form": form, "duplicates": duplicates,
        "tags_form": tags_form, "tags": selectors.initiative_tags_with_provenance(initiative),
        "rationale": selectors.initiative_matrix_rationale(initiative),
        "revisions": selectors.revision_list(initiative)[:10],
        "translations": selectors.translation_list(initiative),
        "sections": page_sections("moderation", request=request, initiative=initiative),
    }


def moderation_detail(request, pk: int):
    if (response := _require_moderator(request)) is not None:
        return response
    initiative = selectors.initiative_get(pk=pk, user=request.user)
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
    return render(request, "stocktaking/moderation_detail.html",
                  _moderation_context(request, initiative, form=form), status=status)


@require_POST
def moderation_tags(request, pk: int):
    """A moderator corrects the tags (adds and removes action lines, SDGs and targets) with a reason."""
    if (response := _require_moderator(request)) is not None:
        return response
    initiative = selectors.initiative_get(pk=pk, user=request.user)
    form = ModerationTagsForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            change = services.initiative_tags_correct(
                user=request.user, initiative=initiative, action_lines=list(d["action_lines"]),
                goals=list(d["goals"]), targets=list(d["targets"]), reason=d["reason"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Tags corrected (%(change)s); the submitter has been told.")
                             % {"change": change.describe()})
            return redirect(f"{reverse('stocktaking:moderation-detail', args=[initiative.pk])}#tags")
    return render(request, "stocktaking/moderation_detail.html",
                  _moderation_context(request, initiative, tags_form=form), status=400)


@require_safe
def data_quality(request):
    """The secretariat's data-quality page: entries to look at again, and why."""
    if (response := _require_moderator(request)) is not None:
        return response
    many_count, many = selectors.quality_many_tags()
    never_count, never = selectors.quality_never_reviewed()
    prefilled = selectors.quality_prefilled_matrix()
    return render(request, "stocktaking/data_quality.html", {
        "many": many, "many_count": many_count, "never": never, "never_count": never_count,
        "duplicates": selectors.quality_duplicates(), "prefilled_count": len(prefilled),
        "many_goals": selectors.MANY_GOALS, "many_targets": selectors.MANY_TARGETS,
        "sections": page_sections("data_quality", request=request),
    })


@require_safe
def prefilled_queue(request):
    """The one-off review queue of entries whose targets are the whole Matrix suggestion of their lines."""
    if (response := _require_moderator(request)) is not None:
        return response
    entries = selectors.quality_prefilled_matrix()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "stocktaking/prefilled_queue.html", {"page": page, "total": len(entries)})


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


@rate_limit("export", methods=("GET", "POST"))
@require_http_methods(["GET", "HEAD", "POST"])
def export(request, fmt: str):
    """The search's results as a file: streamed when small, a background job when large (issue 15).

    Up to ``EXPORT_DIRECT_MAX_ROWS`` rows stream at once. Above that, the page says how many rows
    there are and offers a signed-in user to have the file prepared (a POST here creates the job) and
    everyone the complete bulk downloads; no export is ever cut short to fit a request.
    """
    if fmt not in export_jobs.FORMATS:
        raise Http404
    if moved := legacy_redirect(request):
        return moved
    parsed = parse_filters(request.GET)
    if parsed.errors:
        return bad_request(parsed.errors)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        job = export_jobs.export_job_create(user=request.user, query=request.GET.urlencode(), fmt=fmt)
        messages.success(request, _("Your export is being prepared. This page shows its progress; you will "
                                    "also receive an e-mail when it is ready."))
        return redirect(job)
    qs = search_selectors.initiative_search(parsed.filters, relations=False)
    total = qs.count()
    cap = export_jobs.export_direct_max_rows()
    if total > cap:
        return render(request, "stocktaking/export_large.html", {
            "total": total, "cap": cap, "fmt": fmt, "query": urlencode(parsed.filters.as_query()),
        })
    if fmt == "csv":
        return exports.export_csv(qs)
    if fmt == "xlsx":
        return exports.export_xlsx(qs)
    return exports.export_json(qs)


@require_safe
@login_required
def export_job_list(request):
    return render(request, "stocktaking/export_jobs.html", {"jobs": export_jobs.export_job_list(user=request.user)})


@require_safe
@login_required
def export_job_detail(request, pk: int):
    job = export_jobs.export_job_get(pk=pk, user=request.user)
    return render(request, "stocktaking/export_job.html", {
        "job": job, "refresh": job.state in (job.State.QUEUED, job.State.RUNNING),
        "query": job.query,
    })


@require_safe
@login_required
def export_job_download(request, pk: int):
    """The job's file, whole: ``Content-Length`` and ``Repr-Digest`` (SHA-256) let the client verify it."""
    job = export_jobs.export_job_get(pk=pk, user=request.user)
    if job.state == job.State.EXPIRED:
        return render(request, "stocktaking/export_job.html", {"job": job, "refresh": False}, status=410)
    if job.state != job.State.DONE or not job.file or not default_storage.exists(job.file):
        raise Http404
    response = FileResponse(default_storage.open(job.file, "rb"), as_attachment=True,
                            filename=f"wsis-initiatives-{job.created_at:%Y%m%d-%H%M}-{job.pk}.{job.format}",
                            content_type=exports.CONTENT_TYPES[job.format])
    response["Content-Length"] = str(job.size)
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(job.sha256)).decode()}:"
    response["ETag"] = f'"{job.sha256}"'
    return response
