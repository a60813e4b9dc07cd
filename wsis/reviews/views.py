"""Pages of the regional reviews. Thin: parse, call a selector or service, render.

Managers (the commission's regional reviewers and the secretariat) get the cycle, questionnaire,
invitation, progress and report pages; focal points and their delegates get their country's
response; published reports are public. Anything else is a 404 (or 403 for a signed-in person who
may see a cycle but not act on it).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from wsis.core.actions import error_text, form_add_service_errors, run_service
from wsis.core.concurrency import ConflictError, conflict_context, versions_parse, versions_stamp
from wsis.core.htmx import htmx_partial
from wsis.core.i18n import current_language
from wsis.core.mail import absolute_uri, site_url

from . import selectors, services
from .forms import (
    CopyForm,
    CycleForm,
    DelegationForm,
    InvitationForm,
    NarrativesForm,
    QuestionForm,
    ReportRequestForm,
    SectionAnswerForm,
    SectionsForm,
)
from .models import (
    Response,
    ReviewCycle,
    ReviewReport,
)


def _site_url(request) -> str:
    return site_url(request)





# ---------------------------------------------------------------------------------------------
# Cycles


def cycle_list(request):
    user = request.user
    cycles = list(selectors.cycle_list_visible(user))
    managed = set(selectors.commission_list_managed(user).values_list("pk", flat=True)) if user.is_authenticated \
        else set()
    focal = list(selectors.user_focal_countries(user).values_list("pk", flat=True)[:500]) \
        if user.is_authenticated else []
    return render(request, "reviews/cycle_list.html", {
        "cycles": cycles,
        "managed_ids": managed,
        "can_create": bool(managed),
        "is_focal_point": bool(focal),
    })


@login_required
def cycle_create(request):
    commissions = selectors.commission_list_managed(request.user)
    if not commissions.exists():
        raise PermissionDenied(services.ERR_NOT_REVIEWER)
    form = CycleForm(request.POST or None, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cycle = services.cycle_create(
                commission=d["commission"], year=d["year"], actor=request.user, title=d["title"], theme=d["theme"],
                opens_on=d["opens_on"], closes_on=d["closes_on"], goals=d["goals"] or None)
        except ValidationError as exc:
            form.add_error(None, exc.messages if not hasattr(exc, "error_dict") else
                           [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()])
        else:
            messages.success(request, _("The review cycle was created as a draft."))
            return redirect(cycle)
    return render(request, "reviews/cycle_form.html", {"form": form, "creating": True})


def cycle_detail(request, pk):
    cycle = selectors.cycle_get_visible(request.user, pk)
    can_manage = selectors.cycle_can_manage(request.user, cycle)
    context = {"cycle": cycle, "can_manage": can_manage,
               "published_reports": selectors.reports_published(cycle)}
    if can_manage:
        context.update({
            "progress": selectors.response_progress(cycle),
            "reports": list(selectors.report_list(cycle)[:5]),
            "question_count": selectors.question_count(cycle),
            "transitions": sorted(services.TRANSITIONS.get(cycle.state, set())),
        })
    if request.user.is_authenticated:
        context["my_countries"] = selectors.user_cycle_countries(request.user, cycle)
        context["my_delegations"] = selectors.user_cycle_delegations(request.user, cycle)
    return render(request, "reviews/cycle_detail.html", context)


def _cycle_initial(cycle) -> dict:
    return {"title": cycle.title, "theme": cycle.theme, "opens_on": cycle.opens_on, "closes_on": cycle.closes_on,
            "goals": selectors.cycle_goals(cycle), "lock_version": cycle.lock_version}


@login_required
def cycle_edit(request, pk):
    cycle = selectors.cycle_get_managed(request.user, pk)
    form = CycleForm(request.POST or None, initial=_cycle_initial(cycle), editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.cycle_update(cycle=cycle, actor=request.user, title=d["title"], theme=d["theme"],
                                  opens_on=d["opens_on"], closes_on=d["closes_on"], goals=d["goals"],
                                  expected_version=d.get("lock_version"))
        except ConflictError as exc:
            cycle = selectors.cycle_get_managed(request.user, pk)
            return render(request, "reviews/cycle_form.html", {
                "form": form, "cycle": cycle, "creating": False,
                **conflict_context(form, exc, _cycle_initial(cycle))}, status=409)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The cycle was saved."))
            return redirect(cycle)
    return render(request, "reviews/cycle_form.html", {"form": form, "cycle": cycle, "creating": False})


@login_required
@require_POST
def cycle_transition(request, pk):
    cycle = selectors.cycle_get_managed(request.user, pk)
    to_state = request.POST.get("to", "")
    run_service(request, lambda: services.cycle_transition(cycle=cycle, to_state=to_state, actor=request.user), {
        ReviewCycle.State.OPEN: _("The questionnaire is open for responses."),
        ReviewCycle.State.CLOSED: _("The questionnaire is closed."),
    }.get(to_state, _("The cycle was updated.")))
    return redirect(cycle)


# ---------------------------------------------------------------------------------------------
# Questionnaire builder


@login_required
def questionnaire(request, pk):
    cycle = selectors.cycle_get_managed(request.user, pk)
    sections = selectors.questionnaire_sections(cycle)
    sections_form = SectionsForm(request.POST or None, prefix="sections")
    sections_form.fields["action_lines"].queryset = selectors.section_action_lines_addable(sections)
    sources = selectors.cycle_copy_sources(cycle)
    copy_form = CopyForm(sources=sources, prefix="copy", initial={"source": selectors.previous_cycle(cycle)})
    if request.method == "POST" and sections_form.is_valid():
        als = sections_form.cleaned_data["action_lines"]
        try:
            if sections_form.cleaned_data["starter"]:
                n = services.questionnaire_add_starter(cycle=cycle, action_lines=als, actor=request.user)
                messages.success(request, ngettext("Sections added with %(n)d standard question.",
                                                   "Sections added with %(n)d standard questions.", n) % {"n": n})
            else:
                services.questionnaire_add_sections(cycle=cycle, action_lines=als, actor=request.user)
                messages.success(request, _("Sections added."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect("reviews:questionnaire", cycle.pk)
    return render(request, "reviews/questionnaire.html", {
        "cycle": cycle, "sections": sections, "sections_form": sections_form, "copy_form": copy_form,
        "editable": cycle.state == ReviewCycle.State.DRAFT, "has_sources": sources.exists(),
    })


@login_required
@require_POST
def questionnaire_copy(request, pk):
    cycle = selectors.cycle_get_managed(request.user, pk)
    sources = selectors.cycle_copy_sources(cycle)
    form = CopyForm(request.POST, sources=sources, prefix="copy")
    if form.is_valid():
        run_service(request, lambda: services.questionnaire_copy(cycle=cycle, source=form.cleaned_data["source"],
                                                                 actor=request.user),
                    lambda n: ngettext("%(n)d question copied.", "%(n)d questions copied.", n) % {"n": n})
    else:
        messages.error(request, _("Choose the cycle to copy from."))
    return redirect("reviews:questionnaire", cycle.pk)


@login_required
@require_POST
def section_remove(request, pk, section_id):
    cycle = selectors.cycle_get_managed(request.user, pk)
    section = selectors.section_get(cycle, section_id)
    run_service(request, lambda: services.questionnaire_remove_section(section=section, actor=request.user),
                _("The section was removed."))
    return redirect("reviews:questionnaire", cycle.pk)


@login_required
def question_create(request, pk, section_id):
    cycle = selectors.cycle_get_managed(request.user, pk)
    section = selectors.section_get(cycle, section_id)
    form = QuestionForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(section=section, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The question was added."))
            return redirect(reverse("reviews:questionnaire", args=[cycle.pk]) + f"#section-{section.pk}")
    return render(request, "reviews/question_form.html", {"cycle": cycle, "section": section, "form": form})


@login_required
def question_edit(request, pk, question_id):
    cycle = selectors.cycle_get_managed(request.user, pk)
    question = selectors.question_get(cycle, question_id)
    form = QuestionForm(request.POST or None, cycle=cycle, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, actor=request.user, **form.service_kwargs(),
                                     expected_version=form.cleaned_data.get("lock_version"))
        except ConflictError as exc:
            question = selectors.question_get(cycle, question_id)
            theirs = QuestionForm(cycle=cycle, instance=question).initial
            return render(request, "reviews/question_form.html", {
                "cycle": cycle, "section": question.section, "form": form, "question": question,
                **conflict_context(form, exc, theirs)}, status=409)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The question was saved."))
            return redirect(reverse("reviews:questionnaire", args=[cycle.pk]) + f"#section-{question.section_id}")
    return render(request, "reviews/question_form.html", {"cycle": cycle, "section": question.section,
                                                          "form": form, "question": question})


@login_required
@require_POST
def question_delete(request, pk, question_id):
    cycle = selectors.cycle_get_managed(request.user, pk)
    question = selectors.question_get(cycle, question_id)
    run_service(request, lambda: services.question_delete(question=question, actor=request.user),
                _("The question was deleted."))
    return redirect("reviews:questionnaire", cycle.pk)


@login_required
@require_POST
def question_move(request, pk, question_id):
    cycle = selectors.cycle_get_managed(request.user, pk)
    question = selectors.question_get(cycle, question_id)
    run_service(request, lambda: services.question_move(question=question, direction=request.POST.get("direction", ""),
                                                        actor=request.user))
    return redirect(reverse("reviews:questionnaire", args=[cycle.pk]) + f"#question-{question.pk}")


# ---------------------------------------------------------------------------------------------
# Invitations


@login_required
def invitations(request, pk):
    cycle = selectors.cycle_get_managed(request.user, pk)
    form = InvitationForm(request.POST or None, countries=selectors.commission_member_countries(cycle.commission))
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(cycle=cycle, country=form.cleaned_data["country"],
                                       email=form.cleaned_data["email"], actor=request.user,
                                       site_url=_site_url(request))
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("reviews:invitations", cycle.pk)
    return render(request, "reviews/invitations.html", {
        "cycle": cycle, "form": form, "invitations": selectors.invitation_list(cycle),
    })


@login_required
@require_POST
def invitations_focal_points(request, pk):
    cycle = selectors.cycle_get_managed(request.user, pk)
    run_service(request, lambda: services.invitation_invite_focal_points(cycle=cycle, actor=request.user,
                                                                         site_url=_site_url(request)),
                lambda made: ngettext("%(n)d focal point invited.", "%(n)d focal points invited.", len(made))
                % {"n": len(made)})
    return redirect("reviews:invitations", cycle.pk)


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_id):
    cycle = selectors.cycle_get_managed(request.user, pk)
    invitation = selectors.invitation_get(cycle, invitation_id)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("reviews:invitations", cycle.pk)


@login_required
def invitation_accept(request, token):
    invitation = selectors.invitation_get_by_token(token)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Thank you: you can now answer for %(country)s.")
                             % {"country": invitation.country.name})
            return redirect("reviews:response", invitation.cycle_id, invitation.country.iso3)
    return render(request, "reviews/accept.html", {
        "kind": "invitation", "item": invitation, "cycle": invitation.cycle, "country": invitation.country,
        "email_matches": request.user.email.lower() == invitation.email.lower(),
    })


# ---------------------------------------------------------------------------------------------
# Progress


@login_required
def progress(request, pk):
    cycle = selectors.cycle_get_managed(request.user, pk)
    return render(request, "reviews/progress.html", {"cycle": cycle, "progress": selectors.response_progress(cycle)})


# ---------------------------------------------------------------------------------------------
# Responses


def _response_context(request, pk, iso3):
    cycle = selectors.cycle_get_visible(request.user, pk) if request.user.is_authenticated else None
    if cycle is None:
        raise Http404
    country = selectors.country_get(iso3)
    access = selectors.response_access(request.user, cycle, country)
    if not access.can_view:
        raise Http404
    return cycle, country, access


@login_required
def response_overview(request, pk, iso3):
    cycle, country, access = _response_context(request, pk, iso3)
    try:
        response = services.response_open(cycle=cycle, country=country, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    sections = [s for s in selectors.questionnaire_sections(cycle) if access.can_see_section(s.pk)]
    answers = selectors.response_answers(response)
    statuses = selectors.section_status(sections, answers)
    delegation_form = None
    if access.is_focal_point and response and response.state == Response.State.DRAFT and cycle.is_open:
        delegation_form = DelegationForm(sections=sections)
    return render(request, "reviews/response.html", {
        "cycle": cycle, "country": country, "access": access, "response": response, "statuses": statuses,
        "problems": services.response_check(response) if response and access.is_focal_point else [],
        "delegations": selectors.delegation_list(response) if access.is_focal_point or access.is_reviewer else [],
        "delegation_form": delegation_form,
        "editable": bool(response) and response.state == Response.State.DRAFT and cycle.is_open,
    })


@login_required
def response_section(request, pk, iso3, section_id):
    cycle, country, access = _response_context(request, pk, iso3)
    if not access.can_see_section(int(section_id)):
        raise Http404
    section = selectors.section_get(cycle, section_id, with_questions=True)
    try:
        response = services.response_open(cycle=cycle, country=country, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    answers = selectors.response_answers(response)
    can_edit = access.can_edit_section(section.pk, cycle, response) and response is not None
    form = SectionAnswerForm(request.POST if request.method == "POST" and can_edit else None, section=section,
                             answers=answers, disabled=not can_edit,
                             initial={"lock_version": versions_stamp(selectors.section_versions(response, section))})
    status, conflict = 200, {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(services.ERR_NOT_EDITABLE)
        if form.is_valid():
            try:
                services.response_save_section(
                    response=response, section=section, values=form.values(), actor=request.user,
                    expected_versions=versions_parse(form.cleaned_data.get("lock_version")))
            except ConflictError as exc:
                saved = SectionAnswerForm(section=section, answers=selectors.response_answers(response))
                conflict = conflict_context(form, exc, {name: f.initial for name, f in saved.fields.items()})
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc.messages if not hasattr(exc, "error_dict") else
                               [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()])
            else:
                messages.success(request, _("Your answers to “%(section)s” were saved as a draft.")
                                 % {"section": section.display_title})
                if request.POST.get("next") == "overview":
                    return redirect("reviews:response", cycle.pk, country.iso3)
                return redirect("reviews:response-section", cycle.pk, country.iso3, section.pk)
    sections = [s for s in selectors.questionnaire_sections(cycle) if access.can_see_section(s.pk)]
    ids = [s.pk for s in sections]
    i = ids.index(section.pk) if section.pk in ids else 0
    return render(request, "reviews/response_section.html", {
        "cycle": cycle, "country": country, "section": section, "form": form, "items": form.bound_items(),
        "response": response, "can_edit": can_edit, "access": access,
        "previous_section": sections[i - 1] if i > 0 else None,
        "next_section": sections[i + 1] if i + 1 < len(sections) else None, **conflict,
    }, status=status)


@login_required
def response_submit(request, pk, iso3):
    """GET, or a POST without ``confirm``: the confirmation page (what submitting means, what is missing);
    a POST with ``confirm=yes`` submits."""
    cycle, country, access = _response_context(request, pk, iso3)
    response = selectors.response_get_or_none(cycle, country)
    if response is None or not access.is_focal_point:
        raise Http404
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(request, "reviews/response_submit_confirm.html", {
            "cycle": cycle, "country": country, "response": response,
            "problems": services.response_check(response),
        })
    try:
        services.response_submit(response=response, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _("The response could not be submitted: %(why)s") % {"why": error_text(exc)})
    else:
        messages.success(request, _("The response of %(country)s was submitted. Thank you.")
                         % {"country": country.name})
    return redirect("reviews:response", cycle.pk, country.iso3)


@login_required
@require_POST
def response_reopen(request, pk, iso3):
    cycle = selectors.cycle_get_managed(request.user, pk)
    country = selectors.country_get(iso3)
    response = selectors.response_get_or_none(cycle, country)
    if response is None:
        raise Http404
    run_service(request, lambda: services.response_reopen(response=response, actor=request.user),
                _("The response was returned to its focal points as a draft."))
    return redirect("reviews:response", cycle.pk, country.iso3)


@login_required
@require_POST
def delegation_create(request, pk, iso3):
    cycle, country, access = _response_context(request, pk, iso3)
    response = selectors.response_get_or_none(cycle, country)
    if response is None or not access.is_focal_point:
        raise Http404
    form = DelegationForm(request.POST, sections=selectors.questionnaire_sections(cycle))
    if form.is_valid():
        run_service(request, lambda: services.delegation_create(
            response=response, email=form.cleaned_data["email"], sections=form.cleaned_data["sections"],
            actor=request.user, site_url=_site_url(request)),
            _("%(email)s was asked to answer the chosen sections.") % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, " ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()
                                         if k in form.fields))
    return redirect("reviews:response", cycle.pk, country.iso3)


@login_required
@require_POST
def delegation_revoke(request, pk, iso3, delegation_id):
    cycle, country, access = _response_context(request, pk, iso3)
    delegation = selectors.delegation_get(cycle, country, delegation_id)
    services.delegation_revoke(delegation=delegation, actor=request.user)
    messages.success(request, _("The delegation was withdrawn."))
    return redirect("reviews:response", cycle.pk, country.iso3)


@login_required
def delegation_accept(request, token):
    delegation = selectors.delegation_get_by_token(token)
    cycle, country = delegation.response.cycle, delegation.response.country
    if request.method == "POST":
        try:
            services.delegation_accept(delegation=delegation, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("You can now answer the sections delegated to you."))
            return redirect("reviews:response", cycle.pk, country.iso3)
    return render(request, "reviews/accept.html", {
        "kind": "delegation", "item": delegation, "cycle": cycle, "country": country,
        "sections": selectors.delegation_sections(delegation),
        "email_matches": request.user.email.lower() == delegation.email.lower(),
    })


# ---------------------------------------------------------------------------------------------
# Reports


@login_required
def reports(request, pk):
    cycle = selectors.cycle_get_managed(request.user, pk)
    form = ReportRequestForm(request.POST or None, initial={"language": current_language()})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_request(cycle=cycle, actor=request.user, language=form.cleaned_data["language"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Report version %(v)d is being generated.") % {"v": report.version})
            return redirect(report)
    return render(request, "reviews/reports.html", {
        "cycle": cycle, "form": form, "reports": selectors.report_list(cycle),
        "can_generate": cycle.state in services.REPORT_STATES, "forum_records": selectors.forum_records(cycle),
    })


def _report_for(request, pk, version, *, manage: bool):
    if manage:
        cycle = selectors.cycle_get_managed(request.user, pk)
        return cycle, selectors.report_get(cycle, version), True
    cycle = selectors.cycle_get_visible(request.user, pk)
    report = selectors.report_get(cycle, version)
    can_manage = selectors.cycle_can_manage(request.user, cycle)
    if not can_manage and not report.published_at:
        raise Http404
    return cycle, report, can_manage


def report_detail(request, pk, version):
    cycle, report, can_manage = _report_for(request, pk, version, manage=False)
    context = {"cycle": cycle, "report": report, "can_manage": can_manage}
    if htmx_partial(request):
        return render(request, "reviews/partials/report_status.html", context)
    if can_manage and report.status == ReviewReport.Status.DONE and not report.published_at:
        context["narratives_form"] = NarrativesForm(keys=services.narrative_keys(report), narratives=report.narratives,
                                                    version=report.lock_version)
    context["forum_records"] = selectors.report_forum_records(report) if can_manage else []
    return render(request, "reviews/report_detail.html", context)


@login_required
@require_POST
def report_narratives(request, pk, version):
    cycle, report, _m = _report_for(request, pk, version, manage=True)
    form = NarrativesForm(request.POST, keys=services.narrative_keys(report), narratives=report.narratives)
    if form.is_valid():
        narratives = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            run_service(request, lambda: services.report_update_narratives(
                report=report, narratives=narratives, actor=request.user,
                expected_version=form.cleaned_data.get("lock_version")),
                _("The narrative was saved; the files are being rendered again."))
        except ConflictError as exc:
            cycle, report, _m = _report_for(request, pk, version, manage=True)
            return render(request, "reviews/report_detail.html", {
                "cycle": cycle, "report": report, "can_manage": True, "narratives_form": form,
                "forum_records": selectors.report_forum_records(report),
                **conflict_context(form, exc, report.narratives)}, status=409)
    else:
        messages.error(request, _("A narrative section is too long (at most 20,000 characters)."))
    return redirect(report)


@login_required
def report_publish(request, pk, version):
    """GET: the confirmation page; POST: publish this language version."""
    cycle, report, _m = _report_for(request, pk, version, manage=True)
    if request.method != "POST":
        others = [r for r in selectors.reports_published(cycle) if r.pk != report.pk]
        return render(request, "reviews/report_publish_confirm.html",
                      {"cycle": cycle, "report": report, "others": others})
    run_service(request, lambda: services.report_publish(report=report, actor=request.user),
                _("The report was published."))
    return redirect(report)


@login_required
@require_POST
def report_forum(request, pk, version):
    cycle, report, _m = _report_for(request, pk, version, manage=True)
    url = absolute_uri(request, reverse("reviews:report-file", args=[cycle.pk, report.version, "pdf"]))
    try:
        record = services.report_send_to_forum(report=report, actor=request.user, document_url=url)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        (messages.success if record.status == record.Status.SUBMITTED else messages.warning)(request, record.message)
    return redirect(report)


FILES = {"html": ("html_file", "text/html; charset=utf-8"), "pdf": ("pdf_file", "application/pdf"),
         "docx": ("docx_file", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}


def report_file(request, pk, version, fmt):
    cycle, report, _m = _report_for(request, pk, version, manage=False)
    if fmt not in FILES:
        raise Http404
    field, content_type = FILES[fmt]
    file = getattr(report, field)
    if not file:
        raise Http404
    name = f"{cycle.commission.code.lower()}-review-{cycle.year}-v{report.version}.{fmt}"
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=fmt != "html", filename=name)
    if fmt == "html":
        # The HTML report is our own template's output; keep it from running anything anyway.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response

