"""Pages of the WSIS Forum: parse, call one service or selector, render (one view serves page and partial)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wsis.accounts.selectors import user_organisations
from wsis.core.charts import bar_chart
from wsis.core.concurrency import ConflictError, conflict_context
from wsis.core.downloads import csv_response
from wsis.core.htmx import htmx_partial
from wsis.core.mail import site_url
from wsis.core.permissions import is_secretariat
from wsis.core.services import FormTokenUsed

from . import selectors, services
from .forms import (
    AgendaFilterForm,
    MilestoneForm,
    NomineeFormSet,
    OutcomeForm,
    ReviewActionForm,
    ReviewFilterForm,
    ScheduleForm,
    SessionForm,
    SpeakerFormSet,
    SubmissionForm,
    apply_service_errors,
)
from .ical import agenda_calendar, milestone_calendar
from .models import Milestone, SubmissionKind

PUBLIC_KINDS = [SubmissionKind.THEMATIC_INPUT, SubmissionKind.SESSION_PROPOSAL, SubmissionKind.SPEAKER_NOMINATION,
                SubmissionKind.HLTF_NOMINATION]


def _require_secretariat(request) -> None:
    if not is_secretariat(request.user):
        raise PermissionDenied(services.ERR_NOT_SECRETARIAT)


def _phase_rows(edition, today):
    return [{"phase": p, "is_open": p.is_open_on(today), "is_past": p.ends_on < today}
            for p in selectors.phase_list(edition)]


def home(request):
    edition = selectors.edition_current()
    today = timezone.localdate()
    context = {"edition": edition, "today": today, "editions": selectors.edition_list()}
    if edition is not None:
        context.update({
            "phases": _phase_rows(edition, today),
            "open_phase": selectors.phase_open_on(edition, today),
            "kinds": PUBLIC_KINDS,
            "is_secretariat": is_secretariat(request.user),
        })
    return render(request, "forum/home.html", context)


def edition_detail(request, year):
    edition = selectors.edition_get(year)
    today = timezone.localdate()
    return render(request, "forum/edition_detail.html", {
        "edition": edition, "phases": _phase_rows(edition, today), "today": today,
        "open_phase": selectors.phase_open_on(edition, today), "kinds": PUBLIC_KINDS,
        "session_count": selectors.session_scheduled_count(edition),
        "is_secretariat": is_secretariat(request.user),
        "document": selectors.outcome_document_get(edition),
    })


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, year, kind):
    edition = selectors.edition_get(year)
    if kind not in PUBLIC_KINDS:
        raise Http404
    organisations = user_organisations(request.user)
    formset_class = SpeakerFormSet if kind == SubmissionKind.SESSION_PROPOSAL else NomineeFormSet
    wants_speakers = kind != SubmissionKind.THEMATIC_INPUT
    form = SubmissionForm(request.POST or None, kind=kind, organisations=organisations)
    formset = formset_class(request.POST or None, prefix="speakers") if wants_speakers else None
    phase_error = None
    try:
        phase = services.phase_for(edition=edition, kind=kind)
    except ValidationError as exc:
        phase, phase_error = None, exc.messages[0]
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        speakers = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("name")] if formset else []
        data = form.cleaned_data
        try:
            submission = services.submission_create(
                edition=edition, kind=kind, organisation=data["organisation"], actor=request.user,
                title=data["title"], summary=data["summary"], issue=data.get("issue", ""),
                session_format=data.get("session_format", ""), organisers=data.get("organisers", ""),
                document_url=data.get("document_url", ""), action_lines=data.get("action_lines", []),
                goals=data.get("goals", []), speakers=speakers, form_token=data.get("form_token", ""))
        except FormTokenUsed as used:
            messages.info(request, _("This form had already been sent: your submission below was received once."))
            return redirect(selectors.submission_get(int(used.target_id), request.user).get_absolute_url())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("organisation", str(exc))
        else:
            messages.success(request, _("Thank you: your submission was received. The secretariat will tell you "
                                        "its decision by e-mail."))
            return redirect(submission.get_absolute_url())
    return render(request, "forum/submit.html", {
        "edition": edition, "kind": kind, "kind_label": SubmissionKind(kind).label, "form": form,
        "formset": formset, "phase": phase, "phase_error": phase_error, "organisations": organisations,
    }, status=400 if request.method == "POST" else 200)


@login_required
def my_submissions(request):
    return render(request, "forum/my_submissions.html", {
        "submissions": selectors.submission_list_own(request.user),
    })


@login_required
def submission_detail(request, pk):
    submission = selectors.submission_get(pk, request.user)
    return render(request, "forum/submission_detail.html", {
        "submission": submission, "is_secretariat": is_secretariat(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def review(request, year):
    _require_secretariat(request)
    edition = selectors.edition_get(year)
    filter_form = ReviewFilterForm(request.GET or None)
    submissions = selectors.submission_review_list(edition, **filter_form.filters())
    action_form = ReviewActionForm(request.POST or None, edition=edition)
    status = 200
    if request.method == "POST":
        if action_form.is_valid():
            data = action_form.cleaned_data
            try:
                decided = services.submission_decide(
                    submissions=list(data["submissions"]), decision=data["decision"], actor=request.user,
                    reason=data["reason"], merge_into=data["merge_into"])
            except ValidationError as exc:
                apply_service_errors(action_form, exc)
                status = 400
            else:
                messages.success(request, ngettext(
                    "%(count)d submission decided; the submitter will be told by e-mail.",
                    "%(count)d submissions decided; the submitters will be told by e-mail.", len(decided))
                    % {"count": len(decided)})
                return redirect(request.get_full_path())
        else:
            status = 400
    context = {"edition": edition, "filter_form": filter_form, "action_form": action_form,
               "submissions": submissions, "selected": {str(v) for v in request.POST.getlist("submissions")}}
    template = "forum/partials/review_table.html" if htmx_partial(request) else "forum/review.html"
    return render(request, template, context, status=status)


def statistics(request, year):
    edition = selectors.edition_get(year)
    stats = selectors.submission_statistics(edition)
    charts = _statistics_charts(request, edition, stats)
    if request.GET.get("format") == "csv":
        rows = [["submissions by kind", k["label"], k["total"]] for k in stats["kinds"]]
        rows += [["submissions by stakeholder type", r["label"], r["n"]] for r in stats["by_stakeholder"]]
        rows += [["submissions by region", r["label"], r["n"]] for r in stats["by_region"]]
        rows.append(["submissions by region", _("Regional commissions"), stats["commission_count"]])
        rows += [["speakers by gender", r["label"], r["n"]] for r in stats["by_gender"]]
        rows += [["speakers by region", r["label"], r["n"]] for r in stats["by_speaker_region"]]
        return csv_response(f"wsis-forum-{edition.year}-consultation.csv", ["table", "category", "count"], rows)
    return render(request, "forum/statistics.html", {"edition": edition, "stats": stats, "charts": charts})


def _statistics_charts(request, edition, stats) -> dict:
    """SVG charts beside the tables of the statistics page."""
    rtl = get_language_bidi()
    source = _("WSIS Forum open consultation submissions")
    charts = {}
    if stats["by_stakeholder"]:
        charts["stakeholder"] = bar_chart(
            id="forum-stakeholder", title=_("Submissions by stakeholder type"), source=source, rtl=rtl,
            labels=[r["label"] for r in stats["by_stakeholder"]], values=[r["n"] for r in stats["by_stakeholder"]])
    if stats["speaker_total"]:
        charts["gender"] = bar_chart(
            id="forum-gender", title=_("Proposed speakers and nominees by gender"), source=source, rtl=rtl,
            labels=[r["label"] for r in stats["by_gender"]], values=[r["n"] for r in stats["by_gender"]])
    return charts


def _agenda_context(request, edition):
    facets = selectors.agenda_facets(edition)
    form = AgendaFilterForm(request.GET or None, days=facets["days"], rooms=facets["rooms"])
    filters = selectors.AgendaFilters(**form.filters())
    sessions = list(selectors.session_list(edition, filters))
    return form, sessions


def agenda(request, year):
    edition = selectors.edition_get(year)
    form, sessions = _agenda_context(request, edition)
    context = {"edition": edition, "form": form, "days": selectors.agenda_days(edition, sessions),
               "session_count": len(sessions), "query": request.GET.urlencode()}
    template = "forum/partials/agenda_days.html" if htmx_partial(request) else "forum/agenda.html"
    return render(request, template, context)


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def agenda_ics(request, year):
    edition = selectors.edition_get(year)
    _form, sessions = _agenda_context(request, edition)
    content = agenda_calendar(name=_("%(edition)s agenda") % {"edition": edition.title}, sessions=sessions,
                              base_url=site_url(request), stamp=timezone.now())
    return _ics(content, f"wsis-forum-{edition.year}.ics")


def session_detail(request, year, pk):
    edition = selectors.edition_get(year)
    session = selectors.session_get(edition, pk)
    outcome = selectors.session_outcome_get(session)
    return render(request, "forum/session_detail.html", {
        "edition": edition, "session": session, "outcome": outcome,
        "can_report": services.can_report_outcome(request.user, session),
        "is_secretariat": is_secretariat(request.user),
    })


def session_ics(request, year, pk):
    edition = selectors.edition_get(year)
    session = selectors.session_get(edition, pk)
    if not session.is_scheduled:
        raise Http404
    content = agenda_calendar(name=session.title, sessions=[session],
                              base_url=site_url(request), stamp=timezone.now())
    return _ics(content, f"wsis-forum-{edition.year}-session-{session.pk}.ics")


@login_required
def sessions_manage(request, year):
    _require_secretariat(request)
    edition = selectors.edition_get(year)
    sessions = selectors.session_list(edition, selectors.AgendaFilters(scheduled_only=False))
    return render(request, "forum/sessions_manage.html", {"edition": edition, "sessions": sessions})


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, year):
    _require_secretariat(request)
    edition = selectors.edition_get(year)
    form = SessionForm(request.POST or None)
    formset = SpeakerFormSet(request.POST or None, prefix="speakers")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        speakers = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("name")]
        try:
            session = services.session_create(edition=edition, actor=request.user, speakers=speakers,
                                              **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The session was created; now give it a room and a time."))
            return redirect("forum:session-schedule", year=edition.year, pk=session.pk)
    return render(request, "forum/session_form.html", {"edition": edition, "form": form, "formset": formset},
                  status=400 if request.method == "POST" else 200)


def _schedule_initial(edition, session) -> dict:
    initial = {"lock_version": session.lock_version}
    if session.is_scheduled:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo(edition.timezone)
        initial.update({"room": session.room_id, "day": session.starts_at.astimezone(tz).date(),
                        "start": session.starts_at.astimezone(tz).time(), "end": session.ends_at.astimezone(tz).time()})
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def session_schedule(request, year, pk):
    _require_secretariat(request)
    edition = selectors.edition_get(year)
    session = selectors.session_get(edition, pk)
    form = ScheduleForm(request.POST or None, edition=edition, initial=_schedule_initial(edition, session))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            starts_at, ends_at = form.times()
            try:
                services.session_schedule(session=session, room=form.cleaned_data["room"], starts_at=starts_at,
                                          ends_at=ends_at, actor=request.user,
                                          expected_version=form.cleaned_data.get("lock_version"))
            except ConflictError as exc:
                session = selectors.session_get(edition, pk)
                return render(request, "forum/session_schedule.html", {
                    "edition": edition, "session": session, "form": form,
                    **conflict_context(form, exc, _schedule_initial(edition, session))}, status=409)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("The session is on the agenda."))
                return redirect(session.get_absolute_url())
        else:
            status = 400
    return render(request, "forum/session_schedule.html", {"edition": edition, "session": session, "form": form},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_outcome(request, year, pk):
    edition = selectors.edition_get(year)
    session = selectors.session_get(edition, pk)
    if not services.can_report_outcome(request.user, session):
        raise PermissionDenied(services.ERR_NOT_ORGANISER)
    form = OutcomeForm(request.POST or None, initial=selectors.session_outcome_initial(session))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            expected = fields.pop("lock_version", None)
            try:
                services.session_outcome_submit(session=session, actor=request.user, expected_version=expected,
                                                **fields)
            except ConflictError as exc:
                theirs = selectors.session_outcome_initial(session)
                return render(request, "forum/session_outcome.html", {
                    "edition": edition, "session": session, "form": form,
                    **conflict_context(form, exc, theirs)}, status=409)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Thank you: the outcome of the session was recorded."))
                return redirect(session.get_absolute_url())
        else:
            status = 400
    return render(request, "forum/session_outcome.html", {"edition": edition, "session": session, "form": form},
                  status=status)


@require_http_methods(["GET", "POST"])
def outcome_document(request, year):
    """The edition's outcome document. Visitors see it once published, and otherwise a page that says the
    edition has none yet (never a 404 behind the tab); the secretariat compiles, reviews and publishes it."""
    edition = selectors.edition_get(year)
    document = selectors.outcome_document_get(edition)
    secretariat = is_secretariat(request.user)
    if request.method == "POST":
        _require_secretariat(request)
        try:
            services.outcome_document_compile(edition=edition, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The outcome document was compiled; the PDF and DOCX files are being "
                                        "generated. Review them, then publish."))
        return redirect("forum:outcome-document", year=edition.year)
    published = document is not None and document.published_at is not None
    if not published and not secretariat:
        return render(request, "forum/outcome_document_none.html", {"edition": edition})
    return render(request, "forum/outcome_document.html", {
        **selectors.outcome_document_data(edition), "document": document, "is_secretariat": secretariat,
    })


@login_required
@require_http_methods(["GET", "POST"])
def outcome_publish(request, year):
    """GET: the confirmation page after review; POST: publish the outcome document."""
    _require_secretariat(request)
    edition = selectors.edition_get(year)
    document = selectors.outcome_document_ready(edition, include_drafts=True)
    if request.method == "POST":
        try:
            services.outcome_document_publish(document=document, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The outcome document is published."))
        return redirect("forum:outcome-document", year=edition.year)
    return render(request, "forum/outcome_publish_confirm.html", {"edition": edition, "document": document})


def _outcome_file(request, year, attr: str, content_type: str):
    edition = selectors.edition_get(year)
    document = selectors.outcome_document_ready(edition, include_drafts=is_secretariat(request.user))
    file = getattr(document, attr)
    if not file:
        raise Http404
    # FileResponse streams the stored file in chunks; no request builds the document in memory.
    return FileResponse(file.open("rb"), content_type=content_type, as_attachment=True,
                        filename=f"wsis-forum-{edition.year}-outcomes.{attr}")


def outcome_pdf(request, year):
    return _outcome_file(request, year, "pdf", "application/pdf")


def outcome_docx(request, year):
    return _outcome_file(request, year, "docx",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def timeline(request):
    kind = request.GET.get("kind", "")
    if kind not in Milestone.Kind.values:
        kind = ""
    return render(request, "forum/timeline.html", {
        "years": selectors.timeline(kind=kind), "kind": kind, "kinds": Milestone.Kind.choices,
        "today": timezone.localdate(), "is_secretariat": is_secretariat(request.user),
    })


def timeline_ics(request):
    from django.urls import reverse

    content = milestone_calendar(name=_("WSIS process: coming events"), milestones=selectors.milestone_future(),
                                 base_url=site_url(request),
                                 link=reverse("forum:timeline"), stamp=timezone.now())
    return _ics(content, "wsis-process.ics")


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, slug=None):
    _require_secretariat(request)
    milestone = selectors.milestone_get(slug) if slug else None
    form = MilestoneForm(request.POST or None, instance=milestone)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            expected = fields.pop("lock_version", None)
            try:
                services.milestone_save(actor=request.user, milestone=milestone, expected_version=expected, **fields)
            except ConflictError as exc:
                current = selectors.milestone_get(slug)
                theirs = MilestoneForm(instance=current).initial
                return render(request, "forum/milestone_form.html", {
                    "form": form, "milestone": current, **conflict_context(form, exc, theirs)}, status=409)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("The timeline was updated."))
                return redirect("forum:timeline")
        else:
            status = 400
    return render(request, "forum/milestone_form.html", {"form": form, "milestone": milestone}, status=status)
