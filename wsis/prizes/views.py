"""Pages of the WSIS Prizes: parse, call one service or selector, render."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wsis.accounts.models import Organisation
from wsis.core.permissions import is_prize_expert_of
from wsis.core.ratelimit import client_ip, rate_limit

from . import documents, selectors, services
from .forms import (
    ConfirmForm,
    ConflictForm,
    EntryForm,
    InvalidateForm,
    NominateForm,
    ScoreForm,
    VoteForm,
    apply_service_errors,
)
from .models import Entry, Phase
from .reference import gdc_objectives, gdc_source
from .wordcount import DEFAULT_LIMITS, LIMITS


def _require_secretariat(request, contest=None) -> None:
    if not services.is_secretariat(request.user):
        raise PermissionDenied(services.ERR_NOT_SECRETARIAT)


def _require_expert(request, contest) -> None:
    if not (is_prize_expert_of(request.user, contest) or services.is_secretariat(request.user)):
        raise PermissionDenied(services.ERR_NOT_EXPERT_GROUP % {"user": request.user, "contest": contest.title})


def contest_action(*, guard: Callable, then: str):
    """A form button that changes a contest: the view's body only parses the form and calls a service.

    Decorates ``body(request, contest, **url_kwargs)``. The view answers POST only, to a signed-in
    user; it finds the contest of the URL's year, runs ``guard(request, contest)`` (which raises
    PermissionDenied: a 403), then the body. The body returns the success message; a ValidationError
    it raises (a service's rule, the phase dates, or an invalid form) becomes the error message instead.
    Either way the browser goes back to the page ``then`` of the contest. The services enforce the
    phases and roles again; the guard only answers early and alike for every button.
    """
    def decorator(body):
        @login_required
        @require_POST
        @functools.wraps(body)
        def view(request, year, **kwargs):
            contest = selectors.contest_get(year)
            guard(request, contest)
            try:
                success = body(request, contest, **kwargs)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, success)
            return redirect(then, year=contest.year)
        return view
    return decorator


@require_safe
def home(request):
    contest = selectors.contest_current()
    today = timezone.localdate()
    context = {"contest": contest, "contests": selectors.contest_list(), "today": today}
    if contest is not None:
        context.update({"phases": selectors.phase_rows(contest, today), "phase": contest.phase_on(today)})
    return render(request, "prizes/home.html", context)


@require_safe
def methodology(request):
    low, high, _unit = DEFAULT_LIMITS
    zl, zh, _u = LIMITS["zh-hans"]
    return render(request, "prizes/methodology.html", {
        "burst_ip": selectors.BURST_IP, "burst_network": selectors.BURST_NETWORK,
        "burst_minutes": int(selectors.BURST_WINDOW.total_seconds() // 60),
        "new_days": selectors.NEW_ACCOUNT_AGE.days, "new_count": selectors.NEW_ACCOUNTS_FOR_ONE,
        "low": low, "high": high, "zl": zl, "zh": zh, "objectives": gdc_objectives(), "gdc": gdc_source(),
    })


@require_safe
def contest_detail(request, year):
    contest = selectors.contest_get(year)
    today = timezone.localdate()
    phase = contest.phase_on(today)
    return render(request, "prizes/contest.html", {
        "contest": contest, "phases": selectors.phase_rows(contest, today), "phase": phase,
        "categories": selectors.category_list(contest), "votes": selectors.user_votes(request.user, contest),
        "entries": selectors.entries_own(request.user, contest) if request.user.is_authenticated else [],
        "is_secretariat": services.is_secretariat(request.user),
        "is_expert": is_prize_expert_of(request.user, contest),
        "show_nominees": today >= contest.voting_opens,
    })


@require_safe
def category_detail(request, year, slug):
    contest = selectors.contest_get(year)
    category = selectors.category_get(contest, slug)
    today = timezone.localdate()
    nominees = list(selectors.nominees(category)) if today >= contest.voting_opens else []
    votes = selectors.user_votes(request.user, contest)
    mine = votes.get(category.pk)
    form = VoteForm(nominees=nominees, initial={"entry": mine.entry_id} if mine else None)
    return render(request, "prizes/category.html", {
        "contest": contest, "category": category, "nominees": nominees, "my_vote": mine, "form": form,
        "voting_open": contest.phase_on(today) == Phase.VOTING,
        "show_counts": selectors.votes_counts_shown(contest, today),
        "results": selectors.category_results(category),
    })


@login_required
@require_POST
@rate_limit("prize_vote", keys=("user_or_ip",))
@rate_limit("prize_vote_ip", keys=("ip",))
def vote(request, year, slug):
    contest = selectors.contest_get(year)
    category = selectors.category_get(contest, slug)
    nominees = list(selectors.nominees(category))
    form = VoteForm(request.POST, nominees=nominees)
    if form.is_valid():
        entry = next(e for e in nominees if e.pk == form.cleaned_data["entry"])
        try:
            _vote, outcome = services.vote_cast(voter=request.user, entry=entry, ip=client_ip(request))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            text = {"cast": _("Your vote for “%(title)s” in %(category)s is recorded."),
                    "changed": _("Your vote in %(category)s is now for “%(title)s”. Your earlier vote no longer counts."),
                    "unchanged": _("You had already voted for “%(title)s” in %(category)s; it counts once.")}[outcome]
            messages.success(request, text % {"title": entry.title, "category": category})
            return redirect("prizes:my-votes", year=contest.year)
    else:
        messages.error(request, _("Choose one nominee to vote for."))
    return redirect(category.get_absolute_url())


@login_required
@require_safe
def my_votes(request, year):
    contest = selectors.contest_get(year)
    votes = selectors.user_votes(request.user, contest)
    rows = [(c, votes.get(c.pk)) for c in selectors.category_list(contest)]
    return render(request, "prizes/my_votes.html", {
        "contest": contest, "rows": rows, "count": len(votes),
        "voting_open": contest.phase_on(timezone.localdate()) == Phase.VOTING,
    })


@login_required
@require_http_methods(["GET", "POST"])
def enter(request, year):
    contest = selectors.contest_get(year)
    initiatives = selectors.initiatives_to_enter(request.user)
    categories = contest.categories.select_related("action_line").order_by("action_line__order")
    initial = {}
    chosen = request.GET.get("initiative", "")
    if request.method == "GET" and chosen.isdigit():
        initiative = initiatives.filter(pk=int(chosen)).first()
        if initiative is not None:
            primary = initiative.action_line_tags.filter(is_primary=True).first()
            initial = {"initiative": initiative.pk, "language": initiative.language,
                       "description": initiative.description or initiative.summary,
                       "partnerships": initiative.partners, "goals": list(initiative.goals.all()),
                       "stage": Entry.Stage.COMPLETED if initiative.status == "completed" else Entry.Stage.MAJOR_PHASE}
            if primary is not None:
                initial["category"] = categories.filter(action_line=primary.action_line_id).first()
    form = EntryForm(request.POST or None, initial=initial, initiatives=initiatives, categories=categories)
    phase_error = None
    try:
        services.phase_check(contest, Phase.SUBMISSION, _("Entering a project"), timezone.localdate())
    except ValidationError as exc:
        phase_error = exc.messages[0]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.entry_create(
                actor=request.user, contest=contest, initiative=data["initiative"], category=data["category"],
                description=data["description"], language=data["language"], stage=data["stage"],
                stage_note=data["stage_note"], impact=data["impact"], partnerships=data["partnerships"],
                challenges=data["challenges"], sdg_linkages=data["sdg_linkages"], goals=list(data["goals"]),
                gdc_objectives=data["gdc_objectives"], gdc_linkages=data["gdc_linkages"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("initiative", str(exc))
        else:
            messages.success(request, _("Your project is entered. The Expert Group will review it during the "
                                        "nomination phase."))
            return redirect(entry.get_absolute_url())
    return render(request, "prizes/enter.html", {
        "contest": contest, "form": form, "phase_error": phase_error, "initiatives": initiatives,
        "entries": selectors.entries_own(request.user, contest),
    }, status=400 if request.method == "POST" else 200)


@require_safe
def entry_detail(request, year, pk):
    contest = selectors.contest_get(year)
    entry = selectors.entry_get(contest, pk, request.user)
    objectives = {o.number: o for o in gdc_objectives()}
    return render(request, "prizes/entry.html", {
        "contest": contest, "entry": entry,
        "objectives": [objectives[n] for n in entry.gdc_objectives if n in objectives],
    })


# --- Experts --------------------------------------------------------------------------------------

@login_required
@require_safe
def review(request, year):
    contest = selectors.contest_get(year)
    _require_expert(request, contest)
    rows = selectors.review_queue(request.user, contest)
    return render(request, "prizes/review.html", {
        "contest": contest, "rows": rows, "phase": contest.phase_on(timezone.localdate()),
        "categories": selectors.expert_categories(request.user, contest),
        "conflicts": selectors.conflicts_of(request.user, contest),
        "conflict_form": ConflictForm(organisations=Organisation.objects.order_by("name")),
        "nominate_form": NominateForm(), "score_form": ScoreForm(),
    })


@contest_action(guard=_require_expert, then="prizes:review")
def conflict_declare(request, contest):
    form = ConflictForm(request.POST, organisations=Organisation.objects.all())
    if not form.is_valid():
        raise ValidationError(_("Choose the organisation."))
    services.conflict_declare(actor=request.user, contest=contest, organisation=form.cleaned_data["organisation"],
                              note=form.cleaned_data["note"])
    return _("Your conflict of interest is recorded: you will not review this organisation's entries.")


@contest_action(guard=_require_expert, then="prizes:review")
def nominate(request, contest, pk):
    entry = selectors.entry_get(contest, pk, request.user)
    form = NominateForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose whether to nominate the entry."))
    services.entry_nominate(actor=request.user, entry=entry, nominate=form.cleaned_data["decision"] == "nominate",
                            note=form.cleaned_data["note"])
    return _("Your decision on “%(title)s” is recorded.") % {"title": entry.title}


@contest_action(guard=_require_expert, then="prizes:review")
def score(request, contest, pk):
    entry = selectors.entry_get(contest, pk, request.user)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        raise ValidationError(services.ERR_SCORE)
    services.score_submit(actor=request.user, entry=entry, score=form.cleaned_data["score"],
                          note=form.cleaned_data["note"])
    return _("Your score for “%(title)s” is recorded.") % {"title": entry.title}


# --- Secretariat ----------------------------------------------------------------------------------

@login_required
@require_safe
def integrity(request, year):
    contest = selectors.contest_get(year)
    _require_secretariat(request)
    return render(request, "prizes/integrity.html", {
        "contest": contest, "flags": selectors.integrity_report(contest), "totals": selectors.vote_totals(contest),
        "invalid": selectors.invalid_votes(contest)[:200],
    })


@contest_action(guard=_require_secretariat, then="prizes:integrity")
def integrity_votes(request, contest):
    form = InvalidateForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Give the reason: it is kept in the audit log."))
    data = form.cleaned_data
    service = services.votes_invalidate if data["action"] == "invalidate" else services.votes_reinstate
    count = service(actor=request.user, contest=contest, vote_ids=data["votes"], reason=data["reason"])
    return ngettext("%(count)d vote changed.", "%(count)d votes changed.", count) % {"count": count}


@login_required
@require_safe
def selection(request, year):
    contest = selectors.contest_get(year)
    _require_secretariat(request)
    rows = []
    for category in selectors.category_list(contest):
        finalists = selectors.finalists(category)
        rows.append((category, finalists, ConfirmForm(finalists=[s.entry for s in finalists], prefix=category.slug)))
    return render(request, "prizes/selection.html", {
        "contest": contest, "rows": rows, "phase": contest.phase_on(timezone.localdate()),
        "assignments": selectors.assignments(contest),
        "categories": contest.categories.select_related("action_line").order_by("action_line__order"),
    })


@contest_action(guard=_require_secretariat, then="prizes:selection")
def finalists_select(request, contest):
    services.finalists_select(actor=request.user, contest=contest)
    return _("The finalists are selected: the experts can score them.")


@contest_action(guard=_require_secretariat, then="prizes:selection")
def confirm(request, contest, slug):
    category = selectors.category_get(contest, slug)
    finalists = [s.entry for s in selectors.finalists(category)]
    form = ConfirmForm(request.POST, finalists=finalists, prefix=category.slug)
    if not form.is_valid():
        raise ValidationError(_("Choose the winner among the finalists."))
    by_pk = {e.pk: e for e in finalists}
    services.results_confirm(actor=request.user, category=category, winner=by_pk[form.cleaned_data["winner"]],
                             champions=[by_pk[pk] for pk in form.cleaned_data["champions"]])
    return _("The results of %(category)s are confirmed.") % {"category": category}


@contest_action(guard=_require_secretariat, then="prizes:selection")
def publish(request, contest):
    services.results_publish(actor=request.user, contest=contest)
    return _("The results are published.")


@contest_action(guard=_require_secretariat, then="prizes:selection")
def expert_assign(request, contest):
    email = request.POST.get("email", "").strip()
    expert = get_user_model().objects.filter(email__iexact=email).first() if email else None
    try:
        category = selectors.category_get(contest, request.POST.get("category", ""))
    except Http404:
        category = None
    if expert is None or category is None:
        raise ValidationError(_("Give the e-mail address of an account and choose a category."))
    services.expert_assign(actor=request.user, category=category, expert=expert)
    return _("%(expert)s reviews %(category)s.") % {"expert": expert, "category": category}


# --- Results --------------------------------------------------------------------------------------

@require_safe
def results(request, year):
    contest = selectors.contest_get(year)
    staff = services.is_secretariat(request.user)
    return render(request, "prizes/results.html", {
        "contest": contest, "rows": selectors.results(contest), "is_secretariat": staff,
        "stories": documents.success_stories_published(contest),
        "managed": documents.success_stories_managed(request.user, contest) if staff else [],
        "languages": settings.LANGUAGES,
    })


@login_required
@require_POST
def success_stories(request, year):
    contest = selectors.contest_get(year)
    _require_secretariat(request)
    languages = [code for code in request.POST.getlist("languages") if code in dict(settings.LANGUAGES)]
    try:
        docs = documents.success_stories_request(actor=request.user, contest=contest, languages=languages)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("prizes:results", year=contest.year)
    messages.success(request, _("The success stories are being generated; this page shows their progress."))
    return redirect(docs[0])


@require_safe
def category_results(request, year, slug):
    contest = selectors.contest_get(year)
    category = selectors.category_get(contest, slug)
    if contest.results_published_at is None:
        raise Http404("Results not published.")
    return render(request, "prizes/category_results.html", {
        "contest": contest, "category": category, "results": selectors.category_results(category),
        "standings": selectors.category_standings(category),
    })
