"""Pages of the coordination app: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wsis.core.actions import form_add_service_errors
from wsis.core.concurrency import ConflictError, conflict_context
from wsis.core.permissions import contributed_action_lines, facilitated, is_secretariat
from wsis.taxonomy.models import ActionLine, Agency, Goal

from . import selectors, services
from .forms import (
    ContributionForm,
    DecisionForm,
    MeetingForm,
    MilestoneForm,
    ObjectiveForm,
    PublishForm,
    RoadMapForm,
    RoundForm,
    StatusUpdateForm,
)
from .models import Contribution, Milestone, ReportingRound


def overview(request):
    f = selectors.OverviewFilters.parse(request.GET)
    data = selectors.overview(f)
    return render(request, "coordination/overview.html", {
        "f": f, "data": data, "statuses": selectors.STATUS,
        "action_lines": ActionLine.objects.filter(road_map__isnull=False).order_by("order"),
        "goals": Goal.objects.order_by("number"), "agencies": Agency.objects.order_by("code"),
        "errors": list(f.errors.items()),
        "can_edit_any": request.user.is_authenticated and facilitated(request.user, ActionLine).exists(),
        "secretariat": is_secretariat(request.user),
    })


def _roadmap_context(request, code):
    action_line, road_map = selectors.road_map_get(code=code)
    editor = selectors.can_edit_road_map(request.user, action_line)
    contributor = selectors.can_contribute(request.user, action_line)
    return action_line, road_map, editor, contributor


def roadmap(request, code):
    action_line, road_map, editor, contributor = _roadmap_context(request, code)
    published = selectors.version_latest_published(road_map)
    if road_map is None and not editor:
        raise Http404
    context = {"action_line": action_line, "road_map": road_map, "editor": editor, "contributor": contributor,
               "agencies": selectors.facilitators_of(action_line), "published": published,
               "view": selectors.snapshot_view(published.data) if published else None,
               "versions": selectors.version_list(road_map) if road_map else []}
    if editor or contributor:
        today = timezone.localdate()
        context["working"] = [(m, selectors.milestone_status(m, today=today))
                              for m in road_map.milestones.all()] if road_map else []
        context["publish_form"] = PublishForm()
    return render(request, "coordination/roadmap.html", context)


def roadmap_version(request, code, number):
    action_line, road_map, editor, _contributor = _roadmap_context(request, code)
    if road_map is None:
        raise Http404
    version = selectors.version_get(road_map, number=number, user=request.user)
    return render(request, "coordination/roadmap_version.html", {
        "action_line": action_line, "road_map": road_map, "version": version,
        "view": selectors.snapshot_view(version.data), "editor": editor})


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_edit(request, code):
    action_line, road_map, editor, _c = _roadmap_context(request, code)
    if not editor:
        raise PermissionDenied
    targets = selectors.matrix_targets(action_line)
    objective_form = ObjectiveForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "objective":
        objective_form = ObjectiveForm(request.POST)
        form = RoadMapForm(targets=targets, initial=_roadmap_initial(road_map))
        if objective_form.is_valid():
            try:
                services.objective_add(actor=request.user, action_line=action_line, **objective_form.cleaned_data)
                messages.success(request, _("The objective was added."))
                return redirect("coordination:roadmap-edit", code=code)
            except ValidationError as exc:
                form_add_service_errors(objective_form, exc)
        status = 400
    elif request.method == "POST" and request.POST.get("action", "").startswith("delete-"):
        pk = request.POST["action"].removeprefix("delete-")
        objective = road_map.objectives.filter(pk=pk).first() if road_map and pk.isdigit() else None
        if objective is None:
            raise Http404
        services.objective_delete(actor=request.user, objective=objective)
        messages.success(request, _("The objective was removed."))
        return redirect("coordination:roadmap-edit", code=code)
    elif request.method == "POST":
        form = RoadMapForm(request.POST, targets=targets)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.road_map_update(actor=request.user, action_line=action_line, summary=d["summary"],
                                         targets=d["targets"], gdc_objectives=d["gdc_objectives"],
                                         expected_version=d["lock_version"] or None)
                messages.success(request, _("The road map was saved. Publish a version to make it public."))
                return redirect("coordination:roadmap", code=code)
            except ConflictError as exc:
                return render(request, "coordination/roadmap_edit.html", {
                    "action_line": action_line, "road_map": road_map, "form": form, "objective_form": objective_form,
                    **conflict_context(form, exc, _roadmap_initial(road_map))}, status=409)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
        status = 400
    else:
        form = RoadMapForm(targets=targets, initial=_roadmap_initial(road_map))
    return render(request, "coordination/roadmap_edit.html", {
        "action_line": action_line, "road_map": road_map, "form": form, "objective_form": objective_form,
    }, status=status)


def _roadmap_initial(road_map):
    if road_map is None:
        return {"lock_version": 0}
    return {"lock_version": road_map.lock_version, "summary": road_map.summary,
            "targets": list(road_map.targets.all()), "gdc_objectives": road_map.gdc_objectives}


@login_required
@require_POST
def roadmap_publish(request, code):
    action_line, _road_map, editor, _c = _roadmap_context(request, code)
    if not editor:
        raise PermissionDenied
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        version = services.road_map_publish(actor=request.user, action_line=action_line,
                                            note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Version %(n)d was published.") % {"n": version.number})
    return redirect("coordination:roadmap", code=code)


def _milestone_initial(m: Milestone) -> dict:
    return {"lock_version": m.lock_version, "title": m.title, "objective": m.objective, "due_date": m.due_date,
            "agencies": list(m.agencies.all()), "indicator": m.indicator, "country": m.country,
            "baseline_year": m.baseline_year, "baseline_value": m.baseline_value, "target_value": m.target_value,
            "completed_on": m.completed_on}


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, code, pk=None):
    action_line, road_map, editor, _c = _roadmap_context(request, code)
    if not editor:
        raise PermissionDenied
    milestone = None
    if pk is not None:
        milestone = road_map.milestones.filter(pk=pk).first() if road_map else None
        if milestone is None:
            raise Http404
    if request.method != "POST":
        form = MilestoneForm(road_map=road_map, initial=_milestone_initial(milestone) if milestone else {})
        return render(request, "coordination/milestone_form.html",
                      {"action_line": action_line, "form": form, "milestone": milestone})
    form = MilestoneForm(request.POST, road_map=road_map)
    if form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("lock_version")
        try:
            services.milestone_save(actor=request.user, action_line=action_line, milestone=milestone,
                                    expected_version=version or None, **d)
            messages.success(request, _("The milestone was saved."))
            return redirect("coordination:roadmap", code=code)
        except ConflictError as exc:
            return render(request, "coordination/milestone_form.html", {
                "action_line": action_line, "form": form, "milestone": milestone,
                **conflict_context(form, exc, _milestone_initial(milestone))}, status=409)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
    return render(request, "coordination/milestone_form.html",
                  {"action_line": action_line, "form": form, "milestone": milestone}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_update(request, code, pk):
    action_line, road_map, _editor, contributor = _roadmap_context(request, code)
    if not contributor:
        raise PermissionDenied
    milestone = road_map.milestones.filter(pk=pk).first() if road_map else None
    if milestone is None:
        raise Http404
    if request.method != "POST":
        form = StatusUpdateForm(initial={"date": timezone.localdate()})
    else:
        form = StatusUpdateForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.status_update_add(actor=request.user, milestone=milestone, date=d["date"], text=d["text"],
                                           completed_on=d["completed_on"], evidence=form.evidence())
                messages.success(request, _("The status update was added. Publish a version to make it public."))
                return redirect("coordination:roadmap", code=code)
            except ValidationError as exc:
                form_add_service_errors(form, exc, field_map={"evidence": "initiative"})
    return render(request, "coordination/milestone_update.html", {
        "action_line": action_line, "milestone": milestone, "form": form,
        "progress": selectors.milestone_status(milestone)}, status=400 if form.is_bound else 200)


# --- meetings ------------------------------------------------------------------------------------

def meetings(request):
    return render(request, "coordination/meetings.html", {
        "meetings": selectors.meeting_list(),
        "can_record": request.user.is_authenticated and facilitated(request.user, ActionLine).exists()})


def meeting(request, pk):
    m = selectors.meeting_get(pk=pk)
    editor = selectors.can_edit_road_map(request.user, m.action_line)
    return render(request, "coordination/meeting.html", {
        "meeting": m, "editor": editor, "decision_form": DecisionForm() if editor else None,
        "participants": [p for p in m.participants.splitlines() if p.strip()]})


def _meeting_initial(m):
    return {"lock_version": m.lock_version, "action_line": m.action_line.code, "title": m.title, "date": m.date,
            "forum_session_path": m.forum_session_path, "agenda": m.agenda, "participants": m.participants,
            "minutes": m.minutes}


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk=None):
    lines = facilitated(request.user, ActionLine).filter(children__isnull=True).order_by("order") if request.user.is_authenticated else []
    m = selectors.meeting_get(pk=pk) if pk else None
    if m is not None and not selectors.can_edit_road_map(request.user, m.action_line):
        raise PermissionDenied
    if m is None and not lines:
        raise PermissionDenied
    if request.method != "POST":
        form = MeetingForm(action_lines=lines, initial=_meeting_initial(m) if m else {})
        return render(request, "coordination/meeting_form.html", {"form": form, "meeting": m})
    form = MeetingForm(request.POST, action_lines=lines)
    if form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("lock_version")
        action_line = ActionLine.objects.get(code=d.pop("action_line"))
        try:
            saved = services.meeting_save(actor=request.user, action_line=action_line, meeting=m,
                                          expected_version=version or None, **d)
            messages.success(request, _("The meeting was saved."))
            return redirect("coordination:meeting", pk=saved.pk)
        except ConflictError as exc:
            return render(request, "coordination/meeting_form.html", {
                "form": form, "meeting": m, **conflict_context(form, exc, _meeting_initial(m))}, status=409)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
    return render(request, "coordination/meeting_form.html", {"form": form, "meeting": m}, status=400)


@login_required
@require_POST
def decision_milestone(request, pk, decision):
    m = selectors.meeting_get(pk=pk)
    if not selectors.can_edit_road_map(request.user, m.action_line):
        raise PermissionDenied
    if decision == 0:  # the "record a decision" form posts to decision 0
        form = DecisionForm(request.POST)
        if form.is_valid():
            services.decision_add(actor=request.user, meeting=m, **form.cleaned_data)
            messages.success(request, _("The decision was recorded."))
        else:
            messages.error(request, " ".join(f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items()))
        return redirect("coordination:meeting", pk=pk)
    d = m.decisions.filter(pk=decision).first()
    if d is None:
        raise Http404
    try:
        services.decision_to_milestone(actor=request.user, decision=d)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The decision is now a milestone of the road map."))
    return redirect("coordination:meeting", pk=pk)


# --- agency reporting ----------------------------------------------------------------------------

def _require_reporting(request):
    if not (is_secretariat(request.user) or contributed_action_lines(request.user, ActionLine).exists()):
        raise PermissionDenied


@login_required
def rounds(request):
    _require_reporting(request)
    return render(request, "coordination/rounds.html", {"rounds": selectors.round_list(),
                                                        "secretariat": is_secretariat(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The reporting round was opened."))
            return redirect("coordination:round", pk=rnd.pk)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
    return render(request, "coordination/round_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


@login_required
def round_detail(request, pk):
    rnd = selectors.round_get(pk=pk, user=request.user)
    return render(request, "coordination/round.html", {
        "round": rnd, "contributions": selectors.contribution_list(rnd, user=request.user),
        "secretariat": is_secretariat(request.user), "today": timezone.localdate()})


@login_required
@require_POST
def round_close(request, pk):
    rnd = selectors.round_get(pk=pk, user=request.user)
    services.round_close(actor=request.user, rnd=rnd)
    messages.success(request, _("The reporting round was closed."))
    return redirect("coordination:round", pk=pk)


@login_required
def round_draft(request, pk):
    rnd = selectors.round_get(pk=pk, user=request.user)
    if not is_secretariat(request.user):
        raise PermissionDenied
    return render(request, "coordination/round_draft.html", {
        **selectors.consolidated_draft(rnd), "documents": selectors.round_documents(rnd)})


@login_required
@require_POST
def round_compile(request, pk):
    rnd = selectors.round_get(pk=pk, user=request.user)
    if not is_secretariat(request.user):
        raise PermissionDenied
    doc = services.round_compile(actor=request.user, rnd=rnd)
    messages.success(request, _("The consolidated draft is being built; this page shows its progress."))
    return redirect(doc)


def _contribution_initial(c: Contribution) -> dict:
    return {"lock_version": c.lock_version, **{n: getattr(c, n) for n in services.CONTRIBUTION_FIELDS}}


@login_required
@require_http_methods(["GET", "POST"])
def contribution(request, round_pk, pk):
    c = selectors.contribution_get(round_pk=round_pk, pk=pk, user=request.user)
    editable = c.round.state == ReportingRound.State.OPEN
    if request.method != "POST":
        form = ContributionForm(initial=_contribution_initial(c))
        return render(request, "coordination/contribution.html", {"c": c, "form": form, "editable": editable})
    form = ContributionForm(request.POST)
    action = request.POST.get("action", "save")
    if action == "refresh" or form.is_valid():
        d = dict(form.cleaned_data) if form.is_valid() else {}
        version = d.pop("lock_version", None) or request.POST.get("lock_version")
        version = int(version) if str(version or "").isdigit() else None
        try:
            services.contribution_save(actor=request.user, contribution=c, expected_version=version,
                                       submit=action == "submit", refresh=action == "refresh", **d)
            messages.success(request, _("The contribution was submitted.") if action == "submit"
                             else _("The contribution was saved."))
            return redirect("coordination:contribution", round_pk=round_pk, pk=pk)
        except ConflictError as exc:
            return render(request, "coordination/contribution.html", {
                "c": c, "form": form, "editable": editable,
                **conflict_context(form, exc, _contribution_initial(c))}, status=409)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
    return render(request, "coordination/contribution.html", {"c": c, "form": form, "editable": editable},
                  status=400)
