"""The permission matrix: every role × every state-changing URL and API operation, with object scope
(issue 13, standing defence).

``MATRIX`` names, for every URL pattern that accepts POST (found by walking the URL resolver) and for
every API operation with POST/PUT/PATCH/DELETE (read from the OpenAPI schema), the roles that may
use it on the objects of ``World``. The ``other_*`` roles hold the same role for another object
(another organisation, commission or country): they test the object scope.

``test_permission_matrix`` is the one test generated from it: each role POSTs (or sends the API
operation) in a savepoint that is rolled back afterwards. A role the matrix allows must get past the
permission check (no 401/403/404/405, no redirect to sign-in: a form error or a wrong-state message
is fine); any other role must be refused and no audit row may be written. Nothing may answer 5xx.
``test_every_state_changing_url_is_in_the_matrix`` fails when a URL or an operation is missing, so a
new view cannot ship without saying who may use it.

Kinds of rows: ``PUBLIC`` (the link or the form is the credential: sign-in, sign-up, invitation and
password-reset links) — only "no 5xx" is checked; ``READ`` (a page that accepts POST but only
reads) — every role may POST and no audit row is written; otherwise the set of allowed roles.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wsis.accounts.models import Membership
from wsis.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory, grant_role
from wsis.core.models import AuditLog
from wsis.core.permissions import Role
from wsis.forum.models import Submission
from wsis.forum.tests.factories import SessionFactory, open_edition
from wsis.reviews import services as review_services
from wsis.reviews.models import ReviewReport
from wsis.reviews.tests import factories as rf
from wsis.stocktaking.tests.factories import make_initiative
from wsis.taxonomy.models import ActionLine

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "user", "member", "org_admin", "other_member", "moderator", "secretariat",
         "facilitator", "co_facilitator", "reviewer", "other_reviewer", "focal_point", "other_focal_point",
         "delegate", "prize_expert", "other_prize_expert", "superuser")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
ADMINS = frozenset({"secretariat", "superuser"})  # the secretariat and superusers pass every role check
PUBLIC, READ = "public", "read"


class World:
    """The objects the matrix speaks of, one per scope, and one user per role."""

    def __init__(self):
        self.users = {"anonymous": None}
        for role in ROLES[1:]:
            self.users[role] = UserFactory(email=f"{role}@example.org")
        u = self.users
        u["superuser"].is_superuser = u["superuser"].is_staff = True
        u["superuser"].save()
        self.membership = MembershipFactory(user=u["member"], role=Membership.Role.EDITOR)
        self.organisation = self.membership.organisation
        MembershipFactory(user=u["org_admin"], organisation=self.organisation, role=Membership.Role.ADMIN)
        self.colleague = MembershipFactory(organisation=self.organisation, role=Membership.Role.EDITOR)
        MembershipFactory(user=u["other_member"], organisation=OrganisationFactory(), role=Membership.Role.ADMIN)
        grant_role(u["moderator"], Role.MODERATOR)
        grant_role(u["secretariat"], Role.SECRETARIAT)
        grant_role(u["facilitator"], Role.FACILITATOR, ActionLine.objects.get(code="C2"))
        grant_role(u["co_facilitator"], Role.CO_FACILITATOR, ActionLine.objects.get(code="C2"))
        grant_role(u["reviewer"], Role.REGIONAL_REVIEWER, rf.commission("ESCAP"))
        grant_role(u["other_reviewer"], Role.REGIONAL_REVIEWER, rf.commission("ECA"))
        grant_role(u["focal_point"], Role.FOCAL_POINT, rf.country("NPL"))
        grant_role(u["other_focal_point"], Role.FOCAL_POINT, rf.country("KEN"))

        from wsis.accounts import services as account_services

        self.org_invitation, self.org_invitation_token = account_services.invitation_create(
            actor=u["org_admin"], organisation=self.organisation, email="newcomer@example.org",
            role=Membership.Role.EDITOR)
        self.api_token, _key = account_services.api_token_create(user=u["member"], name="matrix")

        # Stocktaking: a submitted entry (moderation, edit) and a published one (archive) of the organisation.
        self.submitted = make_initiative(state="submitted", user=u["member"], title="Submitted entry")
        self.published = make_initiative(state="published", user=u["member"], title="Published entry")

        # Reviews: an open ESCAP cycle, Nepal invited, its response with one delegated section, a report.
        self.cycle = rf.make_cycle(actor=u["reviewer"], action_lines=("C1", "C2"))
        self.review_invitation = review_services.invitation_create(
            cycle=self.cycle, country=rf.country("NPL"), email=u["focal_point"].email, actor=u["reviewer"])
        review_services.cycle_transition(cycle=self.cycle, to_state="open", actor=u["reviewer"])
        self.cycle.refresh_from_db()
        self.response = review_services.response_open(cycle=self.cycle, country=rf.country("NPL"),
                                                      actor=u["focal_point"])
        self.section = self.cycle.questionnaire.sections.order_by("pk").first()
        self.question = self.section.questions.order_by("pk").first()
        self.delegation = review_services.delegation_create(
            response=self.response, email=u["delegate"].email, sections=[self.section], actor=u["focal_point"])
        review_services.delegation_accept(delegation=self.delegation, user=u["delegate"])
        self.report = ReviewReport.objects.create(cycle=self.cycle, version=1, status="done")

        # Forum: an open edition, a proposal of the organisation and its session.
        self.edition = open_edition(year=2045, title="WSIS Forum 2045", is_current=True)
        self.submission = Submission.objects.create(
            edition=self.edition, phase=self.edition.phases.get(), kind="session_proposal", title="A proposal",
            summary="s", organisation=self.organisation, submitted_by=u["member"])
        self.session = SessionFactory(edition=self.edition, submission=self.submission,
                                      organisation=self.organisation)
        from wsis.forum.models import Milestone, OutcomeDocument

        self.outcome_document = OutcomeDocument.objects.create(edition=self.edition, status="ready")

        self.milestone = Milestone.objects.create(slug="matrix-milestone", kind="forum", date=dt.date(2045, 1, 1))

        # Coordination: the C2 road map with a milestone, a meeting with a decision, an open reporting round.
        from wsis.coordination import services as coordination

        c2 = ActionLine.objects.get(code="C2")
        self.road_milestone = coordination.milestone_save(actor=u["secretariat"], action_line=c2, title="Milestone",
                                                          due_date=dt.date(2030, 1, 1))
        self.meeting = coordination.meeting_save(actor=u["secretariat"], action_line=c2, title="C2 meeting",
                                                 date=dt.date(2026, 7, 1))
        self.decision = coordination.decision_add(actor=u["secretariat"], meeting=self.meeting, text="Decide")
        self.round = coordination.round_create(actor=u["secretariat"], title="Round", session="CSTD 2027",
                                               period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
                                               deadline=dt.date(2027, 1, 31))
        self.contribution = self.round.contributions.get(action_line=c2)

        # Reports: a ready, unpublished WSIS Stocktaking Report (narratives, publish, new version).
        from wsis.reports import stocktaking_report
        from wsis.reports.models import GeneratedDocument

        self.document = GeneratedDocument.objects.create(
            kind="stocktaking", key="2025/global", language="en", version=1, title="WSIS Stocktaking Report 2025",
            params={"year": 2025, "scope": "global"}, status="done",
            data=stocktaking_report.figures({"year": 2025, "scope": "global"}, "en"))

        from wsis.classify.models import SuggestionRun

        self.run = SuggestionRun.objects.create(requested_by=u["moderator"])

        # Prizes: a contest in its nomination phase with the organisation's entry in C4; the prize expert is
        # in its Expert Group and assigned to C4, the other prize expert is in another contest's group.
        from wsis.prizes import services as prize_services
        from wsis.prizes.tests.factories import dates_for
        from wsis.prizes.tests.factories import make_entry as make_prize_entry

        self.contest = prize_services.contest_create(actor=u["secretariat"], year=2046, dates=dates_for("nomination"))
        other_contest = prize_services.contest_create(actor=u["secretariat"], year=2047, dates=dates_for("voting"))
        grant_role(u["prize_expert"], Role.PRIZE_EXPERT, self.contest)
        grant_role(u["other_prize_expert"], Role.PRIZE_EXPERT, other_contest)
        prize_services.expert_assign(actor=u["secretariat"], category=self.contest.categories.get(
            action_line__code="C4"), expert=u["prize_expert"])
        self.prize_entry = make_prize_entry(self.contest, initiative=self.published, user=u["member"])


@dataclass(frozen=True)
class Row:
    allowed: frozenset | str
    kwargs: Callable[[World], dict] = lambda w: {}
    #: What is posted: valid enough to reach the permission check where a view validates first.
    data: dict | None = None


def roles(*names: str) -> frozenset:
    return frozenset(names) | ADMINS


def _cycle(w):
    return {"pk": w.cycle.pk}


def _country(w):
    return {"pk": w.cycle.pk, "iso3": "NPL"}


#: Organisation membership is not a role: the secretariat does not register initiatives for others.
ORG_MEMBERS = frozenset({"member", "org_admin", "other_member"})
EDITORS = frozenset({"member", "org_admin"})  # members of the organisation that owns the entry
MANAGERS = roles("reviewer")  # the regional reviewers of the cycle's commission

MATRIX: dict[str, Row] = {
    # --- core, accounts
    "core:home": Row(READ),
    "accounts:signup": Row(PUBLIC),
    "accounts:signup-done": Row(READ),
    "accounts:resend-verification": Row(PUBLIC),
    "accounts:verify-email": Row(PUBLIC, lambda w: {"token": "not-a-token"}),
    "accounts:login": Row(PUBLIC),
    "accounts:logout": Row(PUBLIC),
    "accounts:password_reset": Row(PUBLIC),
    "accounts:password_reset_confirm": Row(PUBLIC, lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "accounts:password_change": Row(SIGNED_IN),
    "accounts:account": Row(SIGNED_IN),
    "accounts:api-tokens": Row(SIGNED_IN),
    "accounts:api-token-revoke": Row(frozenset({"member"}), lambda w: {"pk": w.api_token.pk}),
    "accounts:invitation": Row(PUBLIC, lambda w: {"token": w.org_invitation_token}),
    "accounts:organisations": Row(READ),
    "accounts:organisation-create": Row(SIGNED_IN),
    "accounts:organisation": Row(READ, lambda w: {"slug": w.organisation.slug}),
    "accounts:organisation-edit": Row(roles("org_admin"), lambda w: {"slug": w.organisation.slug}),
    "accounts:organisation-members": Row(roles("org_admin"), lambda w: {"slug": w.organisation.slug}),
    "accounts:membership-role": Row(roles("org_admin"), lambda w: {"slug": w.organisation.slug,
                                                                   "pk": w.colleague.pk}, {"role": "admin"}),
    "accounts:membership-remove": Row(roles("org_admin"), lambda w: {"slug": w.organisation.slug,
                                                                     "pk": w.colleague.pk}),
    "accounts:invitation-cancel": Row(roles("org_admin"), lambda w: {"slug": w.organisation.slug,
                                                                     "pk": w.org_invitation.pk}),
    # --- taxonomy (reference pages)
    "taxonomy:action-lines": Row(READ),
    "taxonomy:action-line": Row(READ, lambda w: {"slug": ActionLine.objects.get(code="C2").slug}),
    "taxonomy:goals": Row(READ),
    "taxonomy:goal": Row(READ, lambda w: {"number": 4}),
    "taxonomy:target": Row(READ, lambda w: {"code": "4.4"}),
    "taxonomy:matrix": Row(READ),
    "taxonomy:matrix-cell": Row(READ, lambda w: {"slug": ActionLine.objects.get(code="C2").slug, "number": 4}),
    "taxonomy:countries": Row(READ),
    "taxonomy:country": Row(READ, lambda w: {"iso3": "KEN"}),
    "taxonomy:commissions": Row(READ),
    "taxonomy:sources": Row(READ),
    "taxonomy:commission": Row(READ, lambda w: {"code": "ESCAP"}),
    # --- stocktaking
    "stocktaking:search": Row(READ),
    "stocktaking:create": Row(ORG_MEMBERS),
    "stocktaking:mine": Row(READ),
    "stocktaking:import": Row(ORG_MEMBERS),
    # --- open data (issue 20): IATI files become drafts of one's own organisation; the secretariat rebuilds dumps
    "opendata:iati-import": Row(ORG_MEMBERS),
    "opendata:rebuild": Row(roles()),
    "stocktaking:import-template": Row(READ, lambda w: {"fmt": "csv"}),
    # A POST has a large export prepared as a background job, for whoever is signed in (issue 15).
    "stocktaking:export": Row(SIGNED_IN, lambda w: {"fmt": "csv"}),
    "stocktaking:detail": Row(READ, lambda w: {"pk": w.published.pk}),
    "stocktaking:edit": Row(EDITORS, lambda w: {"pk": w.submitted.pk}),
    "stocktaking:progress": Row(EDITORS, lambda w: {"pk": w.published.pk}),
    "stocktaking:archive": Row(roles("member", "org_admin", "moderator"), lambda w: {"pk": w.published.pk}),
    "stocktaking:moderation": Row(READ),
    "stocktaking:moderation-detail": Row(roles("moderator"), lambda w: {"pk": w.submitted.pk}),
    "stocktaking:moderation-tags": Row(roles("moderator"), lambda w: {"pk": w.published.pk},
                                       {"action_lines": ["C4", "C2"], "goals": ["4"], "reason": "Correction"}),
    "stocktaking:feed": Row(READ),
    # --- analytics, indicators (reading pages; the indicator import is the secretariat's)
    "analytics:coverage": Row(READ),
    "analytics:cell": Row(READ, lambda w: {"slug": ActionLine.objects.get(code="C2").slug, "number": 4}),
    "analytics:gaps": Row(READ),
    "analytics:trends": Row(READ),
    "analytics:country": Row(READ, lambda w: {"iso3": "KEN"}),
    "analytics:region": Row(READ, lambda w: {"m49": "002"}),
    "analytics:commission": Row(READ, lambda w: {"code": "ESCAP"}),
    "analytics:facilitator-list": Row(READ),
    "analytics:facilitator": Row(READ, lambda w: {"slug": ActionLine.objects.get(code="C2").slug}),
    "indicators:list": Row(READ),
    "indicators:groups": Row(READ),
    "indicators:divides": Row(READ),
    "indicators:need": Row(READ),
    "indicators:import": Row(ADMINS),
    "indicators:detail": Row(READ, lambda w: {"code": "none"}),
    "indicators:observations-csv": Row(READ, lambda w: {"code": "none"}),
    # --- reviews
    "reviews:cycles": Row(READ),
    "reviews:cycle-create": Row(roles("reviewer", "other_reviewer")),
    "reviews:invitation-accept": Row(PUBLIC, lambda w: {"token": w.review_invitation.token}),
    "reviews:delegation-accept": Row(PUBLIC, lambda w: {"token": w.delegation.token}),
    "reviews:cycle": Row(READ, _cycle),
    "reviews:cycle-edit": Row(MANAGERS, _cycle),
    "reviews:cycle-transition": Row(MANAGERS, _cycle),
    "reviews:questionnaire": Row(MANAGERS, _cycle),
    "reviews:questionnaire-copy": Row(MANAGERS, _cycle),
    "reviews:section-remove": Row(MANAGERS, lambda w: {**_cycle(w), "section_id": w.section.pk}),
    "reviews:question-create": Row(MANAGERS, lambda w: {**_cycle(w), "section_id": w.section.pk}),
    "reviews:question-edit": Row(MANAGERS, lambda w: {**_cycle(w), "question_id": w.question.pk}),
    "reviews:question-delete": Row(MANAGERS, lambda w: {**_cycle(w), "question_id": w.question.pk}),
    "reviews:question-move": Row(MANAGERS, lambda w: {**_cycle(w), "question_id": w.question.pk}),
    "reviews:invitations": Row(MANAGERS, _cycle),
    "reviews:invite-focal-points": Row(MANAGERS, _cycle),
    "reviews:invitation-revoke": Row(MANAGERS, lambda w: {**_cycle(w), "invitation_id": w.review_invitation.pk}),
    "reviews:progress": Row(MANAGERS, _cycle),
    "reviews:response": Row(roles("focal_point", "delegate", "reviewer"), _country),
    "reviews:response-section": Row(roles("focal_point", "delegate"),
                                    lambda w: {**_country(w), "section_id": w.section.pk}),
    "reviews:response-submit": Row(roles("focal_point"), _country),
    "reviews:response-reopen": Row(MANAGERS, _country),
    "reviews:delegation-create": Row(roles("focal_point"), _country),
    "reviews:delegation-revoke": Row(roles("focal_point", "reviewer"),
                                     lambda w: {**_country(w), "delegation_id": w.delegation.pk}),
    "reviews:reports": Row(MANAGERS, _cycle),
    "reviews:report": Row(MANAGERS, lambda w: {**_cycle(w), "version": 1}),
    "reviews:report-narratives": Row(MANAGERS, lambda w: {**_cycle(w), "version": 1}),
    "reviews:report-publish": Row(MANAGERS, lambda w: {**_cycle(w), "version": 1}),
    "reviews:report-forum": Row(MANAGERS, lambda w: {**_cycle(w), "version": 1}),
    "reviews:report-file": Row(READ, lambda w: {**_cycle(w), "version": 1, "fmt": "html"}),
    # --- reports
    "reports:list": Row(READ),
    "reports:feed": Row(READ),
    "reports:stocktaking-new": Row(ADMINS, data={"year": "2025", "scope": "global", "languages": ["en"]}),
    "reports:document": Row(ADMINS, lambda w: {"pk": w.document.pk}),
    "reports:document-narratives": Row(ADMINS, lambda w: {"pk": w.document.pk}),
    "reports:document-publish": Row(ADMINS, lambda w: {"pk": w.document.pk}),
    "reports:document-new-version": Row(ADMINS, lambda w: {"pk": w.document.pk}),
    "reports:document-file": Row(READ, lambda w: {"pk": w.document.pk, "fmt": "pdf"}),
    # --- forum
    "forum:home": Row(READ),
    "forum:my-submissions": Row(READ),
    "forum:submission": Row(READ, lambda w: {"pk": w.submission.pk}),
    "forum:timeline": Row(READ),
    "forum:timeline-ics": Row(READ),
    "forum:milestone-create": Row(ADMINS),
    "forum:milestone-edit": Row(ADMINS, lambda w: {"slug": w.milestone.slug}),
    "forum:edition": Row(READ, lambda w: {"year": w.edition.year}),
    "forum:submit": Row(SIGNED_IN, lambda w: {"year": w.edition.year, "kind": "session_proposal"}),
    "forum:review": Row(ADMINS, lambda w: {"year": w.edition.year}),
    "forum:statistics": Row(READ, lambda w: {"year": w.edition.year}),
    "forum:agenda": Row(READ, lambda w: {"year": w.edition.year}),
    "forum:agenda-ics": Row(READ, lambda w: {"year": w.edition.year}),
    "forum:sessions-manage": Row(ADMINS, lambda w: {"year": w.edition.year}),
    "forum:session-create": Row(ADMINS, lambda w: {"year": w.edition.year}),
    "forum:session": Row(READ, lambda w: {"year": w.edition.year, "pk": w.session.pk}),
    "forum:session-ics": Row(READ, lambda w: {"year": w.edition.year, "pk": w.session.pk}),
    "forum:session-schedule": Row(ADMINS, lambda w: {"year": w.edition.year, "pk": w.session.pk}),
    "forum:session-outcome": Row(roles("member", "org_admin"), lambda w: {"year": w.edition.year,
                                                                          "pk": w.session.pk}),
    "forum:outcome-document": Row(ADMINS, lambda w: {"year": w.edition.year}),
    "forum:outcome-publish": Row(ADMINS, lambda w: {"year": w.edition.year}),
    "forum:outcome-pdf": Row(READ, lambda w: {"year": w.edition.year}),
    "forum:outcome-docx": Row(READ, lambda w: {"year": w.edition.year}),
    # --- prizes (reading pages answer GET only and are not listed)
    "prizes:enter": Row(SIGNED_IN, lambda w: {"year": w.contest.year}),
    "prizes:vote": Row(SIGNED_IN, lambda w: {"year": w.contest.year, "slug": "c4"}),
    "prizes:nominate": Row(roles("prize_expert"), lambda w: {"year": w.contest.year, "pk": w.prize_entry.pk},
                           {"decision": "nominate"}),
    "prizes:score": Row(roles("prize_expert"), lambda w: {"year": w.contest.year, "pk": w.prize_entry.pk},
                        {"score": "7"}),
    "prizes:conflict-declare": Row(roles("prize_expert"), lambda w: {"year": w.contest.year}),
    "prizes:integrity-votes": Row(ADMINS, lambda w: {"year": w.contest.year}),
    "prizes:expert-assign": Row(ADMINS, lambda w: {"year": w.contest.year}),
    "prizes:finalists-select": Row(ADMINS, lambda w: {"year": w.contest.year}),
    "prizes:publish": Row(ADMINS, lambda w: {"year": w.contest.year}),
    "prizes:confirm": Row(ADMINS, lambda w: {"year": w.contest.year, "slug": "c4"}),
    "prizes:success-stories": Row(ADMINS, lambda w: {"year": w.contest.year}),
    # --- coordination (issue 18): the lead facilitator's team edits the road map, co-facilitators add
    # status updates and contributions; the secretariat opens, closes and compiles reporting rounds.
    "coordination:overview": Row(READ),
    "coordination:roadmap": Row(READ, lambda w: {"code": "C2"}),
    "coordination:roadmap-version": Row(READ, lambda w: {"code": "C2", "number": 1}),
    "coordination:roadmap-edit": Row(roles("facilitator"), lambda w: {"code": "C2"}),
    "coordination:roadmap-publish": Row(roles("facilitator"), lambda w: {"code": "C2"}),
    "coordination:milestone-create": Row(roles("facilitator"), lambda w: {"code": "C2"}),
    "coordination:milestone-edit": Row(roles("facilitator"), lambda w: {"code": "C2", "pk": w.road_milestone.pk}),
    "coordination:milestone-update": Row(roles("facilitator", "co_facilitator"),
                                         lambda w: {"code": "C2", "pk": w.road_milestone.pk}),
    "coordination:meetings": Row(READ),
    "coordination:meeting": Row(READ, lambda w: {"pk": w.meeting.pk}),
    "coordination:meeting-create": Row(roles("facilitator")),
    "coordination:meeting-edit": Row(roles("facilitator"), lambda w: {"pk": w.meeting.pk}),
    "coordination:decision-milestone": Row(roles("facilitator"),
                                           lambda w: {"pk": w.meeting.pk, "decision": w.decision.pk}),
    "coordination:rounds": Row(roles("facilitator", "co_facilitator")),
    "coordination:round-create": Row(ADMINS),
    "coordination:round": Row(roles("facilitator", "co_facilitator"), lambda w: {"pk": w.round.pk}),
    "coordination:round-close": Row(ADMINS, lambda w: {"pk": w.round.pk}),
    "coordination:round-draft": Row(ADMINS, lambda w: {"pk": w.round.pk}),
    "coordination:round-compile": Row(ADMINS, lambda w: {"pk": w.round.pk}),
    "coordination:contribution": Row(roles("facilitator", "co_facilitator"),
                                     lambda w: {"round_pk": w.round.pk, "pk": w.contribution.pk}),
    # --- classify
    "classify:suggest": Row(PUBLIC),
    "classify:runs": Row(roles("moderator")),
    "classify:run": Row(roles("moderator"), lambda w: {"pk": w.run.pk}),
}

#: API operations that change state, as ``"METHOD /path"`` of the OpenAPI schema.
API_MATRIX: dict[str, Row] = {
    "POST /api/v1/classify": Row(PUBLIC),  # computes suggestions for a text; stores nothing
    "POST /api/v1/forum/submissions": Row(SIGNED_IN),
    "POST /api/v1/initiatives": Row(SIGNED_IN),
    "POST /api/v1/prizes/contests/{year}/votes": Row(SIGNED_IN, lambda w: {"year": w.contest.year}),
    "PATCH /api/v1/initiatives/{initiative_id}": Row(EDITORS, lambda w: {"initiative_id": w.submitted.pk}),
    "POST /api/v1/initiatives/{initiative_id}/submit": Row(EDITORS, lambda w: {"initiative_id": w.submitted.pk}),
}

#: The Django admin checks staff status and model permissions for every one of its URLs itself
#: (``AdminSite.admin_view``); the matrix holds it as one row, checked on every admin URL.
ADMIN_NAMESPACE = "admin"
ADMIN_ALLOWED = frozenset({"superuser"})
ADMIN_PUBLIC = {"admin:login", "admin:logout"}
#: Roles that try the reading and public rows (every role tries the state-changing ones).
READ_ROLES = {"anonymous", "user", "superuser"}
#: Roles that try every admin URL: none of them is staff but the superuser.
ADMIN_ROLES = {"anonymous", "moderator", "superuser"}
#: django-ninja's URLs: their operations are read from the OpenAPI schema (``API_MATRIX``).
API_NAMESPACE = "api"


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name is not None:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _allowed_methods(view) -> frozenset | None:
    """The HTTP methods a view restricts itself to (``require_POST``, ``require_http_methods``, a
    class-based view's handlers), or None when it accepts any method (a plain function view)."""
    seen, func = set(), view
    while func is not None and id(func) not in seen:
        seen.add(id(func))
        for cell in getattr(func, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list | tuple) and value and all(isinstance(m, str) and m.isupper() for m in value):
                return frozenset(value)
        func = getattr(func, "__wrapped__", None)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(m.upper() for m in view_class.http_method_names if hasattr(view_class, m))
    return None


def state_changing_urls() -> dict[str, URLPattern]:
    """Every named URL pattern that accepts POST (outside the admin)."""
    found = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if name is None or name.startswith((f"{ADMIN_NAMESPACE}:", f"{API_NAMESPACE}:")):
            continue
        methods = _allowed_methods(pattern.callback)
        if methods is None or "POST" in methods:
            found[name] = pattern
    return found


def api_write_operations() -> set[str]:
    from config.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items()
            for method in operations if method in ("post", "put", "patch", "delete")}


def test_every_state_changing_url_is_in_the_matrix():
    urls = state_changing_urls()
    assert len(urls) > 50  # the walk finds the project's URLs
    missing = sorted(set(urls) - set(MATRIX))
    assert not missing, f"URLs accepting POST missing from the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - set(urls))
    assert not stale, f"Rows of the permission matrix that name no URL accepting POST: {stale}"
    operations = api_write_operations()
    assert not operations - set(API_MATRIX), f"API operations missing from the matrix: {operations - set(API_MATRIX)}"
    assert not set(API_MATRIX) - operations, f"Matrix rows naming no API operation: {set(API_MATRIX) - operations}"


def _refused(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (reverse(settings.LOGIN_URL) in location or "/admin/login/" in location)


def _check(client, cookies, role: str, row: Row, send: Callable, what: str, problems: list[str]):
    """Send one request as ``role`` in a savepoint rolled back afterwards; note what breaks the matrix."""
    client.cookies = copy.deepcopy(cookies)  # a sign-out or a sign-in by the request itself does not stick
    with transaction.atomic():
        audit_before = AuditLog.objects.count()
        response = send()
        wrote = AuditLog.objects.count() != audit_before
        transaction.set_rollback(True)
    if response.status_code >= 500:
        problems.append(f"{what} as {role}: {response.status_code}")
    elif row.allowed == READ:
        if wrote:
            problems.append(f"{what} as {role}: a reading page wrote an audit row")
    elif row.allowed == PUBLIC:
        pass
    elif role in row.allowed:
        if _refused(response):
            problems.append(f"{what} as {role}: refused ({response.status_code}) but the matrix allows it")
    elif not _refused(response) or wrote:
        problems.append(f"{what} as {role}: allowed ({response.status_code}) but the matrix refuses it")


def _admin_urls() -> list[str]:
    """Every admin URL without arguments: each model's changelist and add form, and the site's own
    pages. Object URLs go through the same ``AdminSite.admin_view`` guard, so they are left out."""
    return [reverse(name) for name, pattern in _walk(get_resolver().url_patterns)
            if name.startswith(f"{ADMIN_NAMESPACE}:") and name not in ADMIN_PUBLIC
            and not pattern.pattern.regex.groupindex]


def test_permission_matrix(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    client.raise_request_exception = False  # a 500 is reported as a problem of its row, not raised
    problems: list[str] = []
    requests = []
    for name in sorted(MATRIX):
        row = MATRIX[name]
        url = reverse(name, kwargs=row.kwargs(world))
        requests.append((row, f"POST {name}", lambda url=url, data=row.data or {}: client.post(url, data)))
    for operation in sorted(API_MATRIX):
        row = API_MATRIX[operation]
        method, path = operation.split(" ", 1)
        path = path.format(**row.kwargs(world))
        requests.append((row, operation, lambda m=method, p=path: client.generic(
            m, p, json.dumps({}), content_type="application/json")))
    admin_urls = _admin_urls()
    assert len(admin_urls) > 20
    for role in ROLES:
        user = world.users[role]
        client.logout()
        if user is not None:
            client.force_login(user)
        cookies = copy.deepcopy(client.cookies)
        for row, what, send in requests:
            if isinstance(row.allowed, frozenset) or role in READ_ROLES:
                _check(client, cookies, role, row, send, what, problems)
        if role in ADMIN_ROLES:
            # The superuser's answers are only checked for 5xx: read-only admins answer 403, GET-only 405.
            admin_row = Row(PUBLIC) if role == "superuser" else Row(ADMIN_ALLOWED)
            for url in admin_urls:
                _check(client, cookies, role, admin_row, lambda url=url: client.post(url, {}), f"POST {url}", problems)
    assert not problems, "\n".join(problems)
