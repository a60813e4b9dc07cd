"""Pages of the classify app: check a text's tags, and the analysts' bulk runs with their review page.

Every page works without JavaScript; HTMX requests get the fragment they asked for.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from wsis.core.htmx import htmx_partial
from wsis.core.ratelimit import rate_limit

from . import selectors, services
from .forms import CheckTextForm, ReviewForm, RunStartForm
from .models import InitiativeSuggestion

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@rate_limit("classify")
def suggest(request):
    """Suggest SDGs, targets and action lines for the posted title, summary and description.

    The initiative form posts here ("Check tags"): with HTMX the suggestions replace a box in
    that form and their checkboxes become part of it; without JavaScript this page shows them.
    """
    form = CheckTextForm(request.POST or None)
    view = None
    if request.method == "POST" and form.is_valid():
        view = selectors.text_suggestions(text=form.text)
    context = {"form": form, "view": view, "embedded": htmx_partial(request),
               "quality": selectors.suggestion_quality() if view else {}}
    if htmx_partial(request):
        return render(request, "classify/partials/suggestions.html", context)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "classify/suggest.html", context, status=status)


def _require_reviewer(request):
    if not request.user.is_authenticated:
        from django.conf import settings
        from django.shortcuts import resolve_url

        return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
    if not services.user_can_review_suggestions(request.user):
        raise PermissionDenied
    return None


@require_http_methods(["GET", "POST"])
def run_list(request):
    """The bulk runs, and a form to start one (moderators and the secretariat)."""
    if (response := _require_reviewer(request)) is not None:
        return response
    form = RunStartForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.suggestion_run_create(user=request.user, scope=form.cleaned_data["scope"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The suggestion run has been queued; it runs in the background."))
                return redirect("classify:run", pk=run.pk)
        status = 400
    runs = Paginator(selectors.suggestion_run_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "classify/run_list.html", {"form": form, "runs": runs}, status=status)


@require_http_methods(["GET", "POST"])
def run_detail(request, pk: int):
    """One run: its progress and the suggestions that would add tags, to accept or dismiss in bulk."""
    if (response := _require_reviewer(request)) is not None:
        return response
    run = selectors.suggestion_run_get(pk=pk)
    pending = selectors.suggestion_list(run=run)
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    form = ReviewForm(request.POST or None, suggestion_ids=[s.pk for s in page.object_list])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = InitiativeSuggestion.objects.filter(pk__in=form.cleaned_data["selected"], run=run,
                                                         decision=InitiativeSuggestion.Decision.PENDING)
            count = 0
            for suggestion in chosen.select_related("initiative"):
                if form.cleaned_data["action"] == ReviewForm.ACCEPT:
                    services.suggestion_accept(user=request.user, suggestion=suggestion)
                else:
                    services.suggestion_dismiss(user=request.user, suggestion=suggestion)
                count += 1
            if form.cleaned_data["action"] == ReviewForm.ACCEPT:
                text = ngettext("%(count)d suggestion accepted; its tags are recorded as from the classifier.",
                                "%(count)d suggestions accepted; their tags are recorded as from the classifier.",
                                count) % {"count": count}
            else:
                text = ngettext("%(count)d suggestion dismissed.", "%(count)d suggestions dismissed.",
                                count) % {"count": count}
            messages.success(request, text)
            return redirect(request.get_full_path())
        status = 400
    context = {"run": run, "page": page, "form": form}
    if htmx_partial(request) and request.GET.get("part") == "status":
        return render(request, "classify/partials/run_status.html", context)
    return render(request, "classify/run_detail.html", context, status=status)
