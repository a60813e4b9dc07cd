"""Reads of the regional reviews: who may see or manage what, questionnaires, responses, progress.

Permission scoping lives here (STYLE.md §2): a cycle is managed by the regional reviewers of its
commission (and the secretariat); a country's response is open to that country's focal points once
the country is invited, to colleagues for the sections delegated to them, and read-only to the
commission's reviewers. Everyone else gets a 404 for anything unpublished.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from wsis.core.permissions import (
    Role,
    can_review_commission,
    focal_point_countries,
    is_focal_point_of,
    reviewed_commissions,
    role_holders,
)
from wsis.stocktaking.models import Initiative
from wsis.taxonomy.models import ActionLine, Country, Goal, HLPFSession, RegionalCommission

from .models import (
    Answer,
    Delegation,
    ForumSubmissionRecord,
    Invitation,
    Question,
    QuestionnaireSection,
    Response,
    ReviewCycle,
    ReviewReport,
)

__all__ = [
    "ResponseAccess",
    "cycle_can_manage",
    "cycle_list_visible",
    "cycle_get_visible",
    "cycle_get_managed",
    "cycles_for_commission",
    "commission_list_managed",
    "commission_member_countries",
    "country_get",
    "hlpf_session_for_year",
    "previous_cycle",
    "cycle_copy_sources",
    "user_cycle_countries",
    "user_cycle_delegations",
    "cycle_goals",
    "questionnaire_sections",
    "section_get",
    "section_action_lines_addable",
    "question_list",
    "question_count",
    "question_get",
    "question_is_visible",
    "response_access",
    "response_get_or_none",
    "response_answers",
    "section_status",
    "response_progress",
    "invitation_list",
    "invitation_get",
    "invitation_get_by_token",
    "delegation_get",
    "delegation_get_by_token",
    "delegation_sections",
    "delegation_list",
    "report_list",
    "report_get",
    "report_latest_published",
    "reports_published",
    "report_forum_records",
    "review_list_published",
    "review_get_published",
    "forum_records",
    "registry_initiatives",
    "focal_point_users",
    "user_focal_countries",
]


# ---------------------------------------------------------------------------------------------
# Cycles


def cycle_can_manage(user, cycle: ReviewCycle) -> bool:
    """Regional reviewers of the cycle's commission, the secretariat and superusers manage a cycle."""
    return can_review_commission(user, cycle.commission)


def commission_list_managed(user) -> QuerySet[RegionalCommission]:
    return reviewed_commissions(user, RegionalCommission).order_by("code")


def _accepted_invitations(user) -> QuerySet[Invitation]:
    """The invitations ``user`` accepted and that were not withdrawn since.

    Such an invitation is itself the right to answer for its country in its cycle: access is derived
    from it on every request, so revoking it (``state=revoked``) ends the access at once. Accepting
    grants no role (an invitee is not made a country-wide focal point of every cycle).
    """
    return Invitation.objects.filter(user=user, state=Invitation.State.ACCEPTED)


def user_focal_countries(user) -> QuerySet[Country]:
    """Countries for which ``user`` holds the focal-point role (all of them for the secretariat)."""
    return focal_point_countries(user, Country)


def _visible_q(user) -> Q:
    published = Q(state=ReviewCycle.State.PUBLISHED)
    if not getattr(user, "is_authenticated", False):
        return published
    managed = Q(commission__in=commission_list_managed(user))
    # A focal point sees the cycles to which their country is invited (never revoked invitations);
    # an invitee without the role sees the cycles of the invitations they accepted and that stand.
    focal = Q(pk__in=Invitation.objects.exclude(state=Invitation.State.REVOKED)
              .filter(country__in=user_focal_countries(user)).values("cycle_id"))
    focal |= Q(pk__in=_accepted_invitations(user).values("cycle_id"))
    delegated = Q(pk__in=Delegation.objects.filter(user=user, revoked=False).values("response__cycle_id"))
    # Focal points only see cycles once they are open: drafts are the reviewers' business.
    return published | managed | ((focal | delegated) & ~Q(state=ReviewCycle.State.DRAFT))


def cycle_list_visible(user, *, commission: RegionalCommission | None = None) -> QuerySet[ReviewCycle]:
    qs = (ReviewCycle.objects.filter(_visible_q(user)).select_related("commission", "hlpf_session")
          .annotate(submitted_count=Count("responses", filter=Q(responses__state=Response.State.SUBMITTED),
                                          distinct=True),
                    invited_count=Count("invitations__country",
                                        filter=~Q(invitations__state=Invitation.State.REVOKED), distinct=True)))
    if commission is not None:
        qs = qs.filter(commission=commission)
    return qs.order_by("-year", "commission__code")


def cycle_get_visible(user, pk: int) -> ReviewCycle:
    cycle = (ReviewCycle.objects.filter(_visible_q(user)).select_related("commission", "hlpf_session")
             .prefetch_related("goals").filter(pk=pk).first())
    if cycle is None:
        raise Http404
    return cycle


def cycle_get_managed(user, pk: int) -> ReviewCycle:
    """The cycle if ``user`` manages it; 404 otherwise (a reviewer of another commission learns nothing)."""
    cycle = ReviewCycle.objects.select_related("commission", "hlpf_session").prefetch_related("goals") \
        .filter(pk=pk).first()
    if cycle is None or not cycle_can_manage(user, cycle):
        raise Http404
    return cycle


def cycles_for_commission(*, commission: RegionalCommission, user) -> list[ReviewCycle]:
    return list(cycle_list_visible(user, commission=commission))


def commission_member_countries(commission: RegionalCommission) -> QuerySet[Country]:
    """Member states and associate members of the commission, by English name."""
    return Country.objects.filter(commission_memberships__commission=commission).order_by("name_en").distinct()


def country_get(iso3: str) -> Country:
    """A country by its ISO 3166 alpha-3 code (any case), or 404."""
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404
    return country


def hlpf_session_for_year(year: int) -> HLPFSession | None:
    """That year's HLPF session, or the latest one before it (the HLPF list may lag a year)."""
    return (HLPFSession.objects.filter(year=year).prefetch_related("goals").first()
            or HLPFSession.objects.filter(year__lt=year).order_by("-year").prefetch_related("goals").first()
            or HLPFSession.objects.order_by("-year").prefetch_related("goals").first())


def previous_cycle(cycle: ReviewCycle) -> ReviewCycle | None:
    return (ReviewCycle.objects.filter(commission_id=cycle.commission_id, year__lt=cycle.year)
            .order_by("-year").first())


def cycle_copy_sources(cycle: ReviewCycle) -> QuerySet[ReviewCycle]:
    """The commission's other cycles, newest first: the questionnaires ``cycle`` may start from."""
    return (ReviewCycle.objects.filter(commission_id=cycle.commission_id).exclude(pk=cycle.pk)
            .select_related("commission").order_by("-year"))


def user_cycle_countries(user, cycle: ReviewCycle, *, limit: int = 60) -> list[Country]:
    """The invited countries of an open (not draft) ``cycle`` for which ``user`` is a focal point."""
    if not getattr(user, "is_authenticated", False) or cycle.state == ReviewCycle.State.DRAFT:
        return []
    invited = (Invitation.objects.filter(cycle=cycle).exclude(state=Invitation.State.REVOKED)
               .values_list("country_id", flat=True))
    accepted = _accepted_invitations(user).filter(cycle=cycle).values_list("country_id", flat=True)
    return list(Country.objects.filter(Q(pk__in=user_focal_countries(user).filter(pk__in=invited).values("pk"))
                                       | Q(pk__in=accepted)).order_by("name_en")[:limit])


def user_cycle_delegations(user, cycle: ReviewCycle) -> list[Delegation]:
    """The sections of ``cycle`` that focal points delegated to ``user`` and did not withdraw."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Delegation.objects.filter(user=user, revoked=False, response__cycle=cycle)
                .select_related("response__country"))


# ---------------------------------------------------------------------------------------------
# Questionnaire


def questionnaire_sections(cycle: ReviewCycle) -> list[QuestionnaireSection]:
    """The cycle's sections in order, each with its questions prefetched (two queries)."""
    if not hasattr(cycle, "questionnaire"):
        return []
    return list(
        QuestionnaireSection.objects.filter(questionnaire__cycle=cycle).select_related("action_line")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.select_related("condition_question")
                                   .order_by("order", "id")))
        .order_by("order", "id")
    )


def section_get(cycle: ReviewCycle, pk: int, *, with_questions: bool = False) -> QuestionnaireSection:
    """A section of the cycle's questionnaire, or 404; ``with_questions`` prefetches them and their conditions."""
    qs = QuestionnaireSection.objects.select_related("action_line")
    if with_questions:
        qs = qs.prefetch_related("questions__condition_question")
    section = qs.filter(pk=pk, questionnaire__cycle=cycle).first()
    if section is None:
        raise Http404
    return section


def section_action_lines_addable(sections: list[QuestionnaireSection]) -> QuerySet[ActionLine]:
    """The action-line units that have no section yet among ``sections``."""
    present = {s.action_line_id for s in sections}
    return ActionLine.objects.filter(is_leaf=True).exclude(pk__in=present).order_by("order")


def cycle_goals(cycle: ReviewCycle) -> list[Goal]:
    return list(cycle.goals.all())


def question_count(cycle: ReviewCycle) -> int:
    return question_list(cycle).count()


def question_get(cycle: ReviewCycle, pk: int) -> Question:
    """A question of the cycle's questionnaire (with its section and action line), or 404."""
    question = (Question.objects.select_related("section__action_line")
                .filter(pk=pk, section__questionnaire__cycle=cycle).first())
    if question is None:
        raise Http404
    return question


def question_list(cycle: ReviewCycle) -> QuerySet[Question]:
    return Question.objects.filter(section__questionnaire__cycle=cycle).select_related(
        "section", "condition_question").order_by("section__order", "section_id", "order", "id")


def question_is_visible(question: Question, values: dict[int, object],
                        by_id: dict[int, Question] | None = None, _depth: int = 0) -> bool:
    """A question with a condition applies only when the condition question has the given answer.

    ``values`` maps question id → answer value; ``by_id`` (question id → question) lets chained
    conditions be followed without queries. If the condition question is itself hidden, so is this one.
    """
    if not question.condition_question_id:
        return True
    cond = (by_id or {}).get(question.condition_question_id) or question.condition_question
    if _depth < 20 and not question_is_visible(cond, values, by_id, _depth + 1):
        return False
    value = values.get(cond.pk)
    if isinstance(value, list):
        return question.condition_value in value
    return value is not None and str(value) == question.condition_value


# ---------------------------------------------------------------------------------------------
# Responses and access


@dataclass
class ResponseAccess:
    """What one user may do with one country's response in one cycle."""

    can_view: bool = False
    is_reviewer: bool = False
    is_focal_point: bool = False
    section_ids: set[int] | None = None  # None: every section; a set: only these (a delegate)
    delegations: list[Delegation] = field(default_factory=list)

    def can_see_section(self, section_id: int) -> bool:
        return self.can_view and (self.section_ids is None or section_id in self.section_ids)

    def can_edit_section(self, section_id: int, cycle: ReviewCycle, response: Response | None) -> bool:
        if not (self.is_focal_point or self.delegations) or not cycle.is_open:
            return False
        if response is not None and response.state == Response.State.SUBMITTED:
            return False
        return self.can_see_section(section_id)

    @property
    def can_submit(self) -> bool:
        return self.is_focal_point


def response_access(user, cycle: ReviewCycle, country: Country) -> ResponseAccess:
    access = ResponseAccess()
    if not getattr(user, "is_authenticated", False):
        return access
    invited = Invitation.objects.filter(cycle=cycle, country=country).exclude(
        state=Invitation.State.REVOKED).exists()
    if not invited:
        # Without an invitation the country takes no part: only reviewers may look (and find nothing).
        if cycle_can_manage(user, cycle):
            return ResponseAccess(can_view=True, is_reviewer=True)
        return access
    if cycle.state != ReviewCycle.State.DRAFT and (
            is_focal_point_of(user, country)
            or _accepted_invitations(user).filter(cycle=cycle, country=country).exists()):
        access.can_view = access.is_focal_point = True
    if cycle_can_manage(user, cycle):
        access.can_view = access.is_reviewer = True
    if access.can_view:
        return access
    delegations = list(Delegation.objects.filter(
        response__cycle=cycle, response__country=country, user=user, revoked=False,
    ).prefetch_related("sections"))
    if delegations and cycle.state != ReviewCycle.State.DRAFT:
        access.can_view = True
        access.delegations = delegations
        access.section_ids = {s.pk for d in delegations for s in d.sections.all()}
    return access


def response_get_or_none(cycle: ReviewCycle, country: Country) -> Response | None:
    return Response.objects.filter(cycle=cycle, country=country).select_related("country", "submitted_by").first()


def section_versions(response: Response | None, section: QuestionnaireSection) -> dict[int, int]:
    """Question id → its answer's ``lock_version`` (0 when unanswered), for a section's questions."""
    versions = {q.pk: 0 for q in section.questions.all()}
    if response is not None:
        versions.update(response.answers.filter(question__section=section).values_list("question_id", "lock_version"))
    return versions


def response_answers(response: Response | None) -> dict[int, Answer]:
    if response is None:
        return {}
    return {a.question_id: a for a in response.answers.all()}


def _is_answered(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_is_answered(v) if not isinstance(v, dict) else any(_is_answered(x) for x in v.values())
                   for v in value)
    return True


@dataclass
class SectionStatus:
    section: QuestionnaireSection
    answered: int
    applicable: int
    required_missing: int

    @property
    def complete(self) -> bool:
        return self.required_missing == 0 and self.answered > 0


def section_status(sections: list[QuestionnaireSection], answers: dict[int, Answer]) -> list[SectionStatus]:
    values = {qid: a.value for qid, a in answers.items()}
    by_id = {q.pk: q for s in sections for q in s.questions.all()}
    out = []
    for section in sections:
        answered = applicable = missing = 0
        for q in section.questions.all():
            if not question_is_visible(q, values, by_id):
                continue
            applicable += 1
            if _is_answered(values.get(q.pk)):
                answered += 1
            elif q.required:
                missing += 1
        out.append(SectionStatus(section, answered, applicable, missing))
    return out


@dataclass
class ProgressRow:
    country: Country
    invitations: list[Invitation]
    response: Response | None
    sections: list[SectionStatus]

    @property
    def invited(self) -> bool:
        return any(i.state != Invitation.State.REVOKED for i in self.invitations)


def response_progress(cycle: ReviewCycle) -> dict:
    """The progress dashboard: for each member state, invitations, response state and per-section status.

    A fixed number of queries whatever the number of countries (sections, countries, invitations,
    responses with their answers).
    """
    sections = questionnaire_sections(cycle)
    countries = list(commission_member_countries(cycle.commission))
    invitations: dict[int, list[Invitation]] = {}
    for inv in Invitation.objects.filter(cycle=cycle).order_by("email"):
        invitations.setdefault(inv.country_id, []).append(inv)
    responses = {r.country_id: r for r in Response.objects.filter(cycle=cycle).select_related("submitted_by")
                 .prefetch_related("answers")}
    rows = []
    for country in countries:
        response = responses.get(country.pk)
        answers = {a.question_id: a for a in response.answers.all()} if response else {}
        rows.append(ProgressRow(country, invitations.get(country.pk, []), response,
                                section_status(sections, answers) if response else []))
    invited = [r for r in rows if r.invited]
    return {
        "sections": sections,
        "rows": rows,
        "invited_rows": invited,
        "uninvited_rows": [r for r in rows if not r.invited],
        "invited_count": len(invited),
        "submitted_count": sum(1 for r in invited if r.response and r.response.state == Response.State.SUBMITTED),
        "draft_count": sum(1 for r in invited if r.response and r.response.state == Response.State.DRAFT),
        "member_count": len(rows),
    }


def invitation_list(cycle: ReviewCycle) -> QuerySet[Invitation]:
    return Invitation.objects.filter(cycle=cycle).select_related("country", "user", "invited_by")


def invitation_get(cycle: ReviewCycle, pk: int) -> Invitation:
    inv = Invitation.objects.filter(cycle=cycle, pk=pk).first()
    if inv is None:
        raise Http404
    return inv


def invitation_get_by_token(token: str) -> Invitation:
    inv = Invitation.objects.select_related("cycle__commission", "country").filter(token=token).first()
    if inv is None:
        raise Http404
    return inv


def delegation_get_by_token(token: str) -> Delegation:
    d = Delegation.objects.select_related("response__cycle__commission", "response__country").filter(
        token=token).first()
    if d is None:
        raise Http404
    return d


def delegation_get(cycle: ReviewCycle, country: Country, pk: int) -> Delegation:
    """A delegation on the country's response to the cycle, or 404."""
    d = Delegation.objects.filter(pk=pk, response__cycle=cycle, response__country=country).first()
    if d is None:
        raise Http404
    return d


def delegation_sections(delegation: Delegation) -> list[QuestionnaireSection]:
    return list(delegation.sections.select_related("action_line"))


def delegation_list(response: Response | None) -> list[Delegation]:
    if response is None:
        return []
    return list(response.delegations.select_related("user", "delegated_by").prefetch_related(
        "sections__action_line"))


def focal_point_users(country: Country) -> list:
    """Users holding the focal-point role for ``country`` (scoped grants only)."""
    return role_holders(Role.FOCAL_POINT, country)


# ---------------------------------------------------------------------------------------------
# Reports


def report_list(cycle: ReviewCycle) -> QuerySet[ReviewReport]:
    return ReviewReport.objects.filter(cycle=cycle).select_related("created_by").order_by("-version")


def report_get(cycle: ReviewCycle, version: int) -> ReviewReport:
    report = ReviewReport.objects.filter(cycle=cycle, version=version).select_related("cycle__commission").first()
    if report is None:
        raise Http404
    return report


def reports_published(cycle: ReviewCycle) -> list[ReviewReport]:
    """The newest published version in each language, side by side (English first, then by language)."""
    newest: dict[str, ReviewReport] = {}
    for report in ReviewReport.objects.filter(cycle=cycle, published_at__isnull=False).order_by("-version"):
        newest.setdefault(report.language, report)
    return sorted(newest.values(), key=lambda r: (r.language != "en", r.language))


def report_latest_published(cycle: ReviewCycle) -> ReviewReport | None:
    return (ReviewReport.objects.filter(cycle=cycle, published_at__isnull=False)
            .order_by("-published_at").first())


def report_forum_records(report: ReviewReport) -> QuerySet[ForumSubmissionRecord]:
    """The hand-overs of one report version to the WSIS Forum."""
    return report.forum_submissions.select_related("submitted_by")


def _published_reviews() -> QuerySet[ReviewCycle]:
    """Published cycles, each with ``published_reports`` (newest first) and its SDGs prefetched."""
    reports = ReviewReport.objects.filter(published_at__isnull=False).order_by("-published_at")
    return (ReviewCycle.objects.filter(state=ReviewCycle.State.PUBLISHED).select_related("commission")
            .prefetch_related("goals", Prefetch("reports", queryset=reports, to_attr="published_reports"))
            .order_by("-year", "commission__code"))


def review_list_published(*, commission: str = "", year: int | None = None) -> QuerySet[ReviewCycle]:
    """Published reviews for the public API, optionally of one commission (by code) or one year."""
    qs = _published_reviews()
    if commission:
        qs = qs.filter(commission__code__iexact=commission)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def review_get_published(pk: int) -> ReviewCycle:
    """A published review that has a published report, or 404."""
    cycle = _published_reviews().filter(pk=pk).first()
    if cycle is None or not cycle.published_reports:
        raise Http404
    return cycle


def forum_records(cycle: ReviewCycle) -> QuerySet[ForumSubmissionRecord]:
    return ForumSubmissionRecord.objects.filter(report__cycle=cycle).select_related("report", "submitted_by")


# ---------------------------------------------------------------------------------------------
# The registry, for prefilling answers


def registry_initiatives(*, country: Country, action_line, limit: int = 50) -> list[dict]:
    """The country's published initiatives tagged with ``action_line``, newest first, as plain rows."""
    qs = (Initiative.objects.filter(state=Initiative.State.PUBLISHED, countries=country,
                                    action_line_tags__action_line=action_line)
          .select_related("organisation").order_by("-year", "title").distinct())
    return [
        {"title": i.title, "organisation": i.organisation.name, "year": i.year or "", "id": i.pk,
         "status": i.get_status_display()}
        for i in qs[:limit]
    ]
