"""Optimistic concurrency (wsis.core.concurrency): the claim, the diff, and every edit page's conflict.

The table ``EDIT_PAGES`` lists every page that edits a versioned record. For each, two editors open
the page; the first changes one field and saves; the second changes another field and saves: the
second gets the conflict page (409) with their text kept and the first one's change shown, and the
first one's change is still saved. Before the version column, the second save silently undid the
first (finding 2 of issue 13).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client

from wsis.core.concurrency import ConflictError, conflict_context, field_diffs, version_claim
from wsis.core.models import Versioned
from wsis.core.tests.formdata import form_data

pytestmark = pytest.mark.django_db


# --- the pages ------------------------------------------------------------------------------------

@dataclass
class EditPage:
    """``setup()`` returns (url, editor A, editor B, reload: () -> dict of the fields below) and, for
    fields and values named after rows made by the setup, a mapping from the names below to the form's."""

    name: str
    setup: Callable
    field_a: str
    value_a: str
    field_b: str
    value_b: str


def _initiative():
    from wsis.stocktaking.models import Initiative
    from wsis.stocktaking.tests.factories import make_initiative, member

    initiative = make_initiative(title="Solar school labs", summary="Labs in schools.")
    colleague = member(initiative.organisation)

    def reload():
        i = Initiative.objects.get(pk=initiative.pk)
        return {"title": i.title, "summary": i.summary}

    return f"/en/initiatives/{initiative.pk}/edit/", initiative.created_by, colleague, reload


def _translation():
    from wsis.stocktaking import services
    from wsis.stocktaking.models import InitiativeTranslation
    from wsis.stocktaking.tests.factories import make_initiative, member

    initiative = make_initiative(title="Solar school labs", summary="Labs in schools.")
    t = services.initiative_translation_create(user=initiative.created_by, initiative=initiative, language="fr",
                                               title="Laboratoires solaires", summary="Des laboratoires.")
    colleague = member(initiative.organisation)

    def reload():
        row = InitiativeTranslation.objects.get(pk=t.pk)
        return {"title": row.title, "summary": row.summary}

    return f"/en/initiatives/{initiative.pk}/translations/fr/", initiative.created_by, colleague, reload


def _organisation():
    from wsis.accounts.models import Membership, Organisation
    from wsis.accounts.tests.factories import MembershipFactory, OrganisationFactory

    org = OrganisationFactory(name="Open Data Kenya", description="Publishes data.")
    a, b = (MembershipFactory(organisation=org, role=Membership.Role.ADMIN).user for _ in range(2))

    def reload():
        o = Organisation.objects.get(pk=org.pk)
        return {"name": o.name, "description": o.description}

    return f"/en/organisations/{org.slug}/edit/", a, b, reload


def _cycle():
    from wsis.reviews.models import ReviewCycle
    from wsis.reviews.tests.factories import make_cycle, reviewer

    a, b = reviewer("ESCAP"), reviewer("ESCAP")
    cycle = make_cycle(actor=a)

    def reload():
        c = ReviewCycle.objects.get(pk=cycle.pk)
        return {"title": c.title, "theme": c.theme}

    return f"/en/reviews/{cycle.pk}/edit/", a, b, reload


def _question():
    from wsis.reviews.models import Question
    from wsis.reviews.tests.factories import make_cycle, reviewer

    a, b = reviewer("ESCAP"), reviewer("ESCAP")
    cycle = make_cycle(actor=a)
    question = Question.objects.filter(section__questionnaire__cycle=cycle, kind=Question.Kind.TEXT).first()

    def reload():
        q = Question.objects.get(pk=question.pk)
        return {"label_en": q.label.get("en", ""), "help_en": (q.help_text or {}).get("en", "")}

    return f"/en/reviews/{cycle.pk}/questionnaire/questions/{question.pk}/", a, b, reload


def _milestone():
    import datetime as dt

    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.forum.models import Milestone

    milestone = Milestone.objects.create(slug="wsis-20-review", kind=Milestone._meta.get_field("kind").choices[0][0],
                                         date=dt.date(2025, 12, 16), title_en="WSIS+20 review",
                                         description_en="The General Assembly reviews WSIS.")
    a, b = UserFactory(), UserFactory()
    grant_role(a, Role.SECRETARIAT)
    grant_role(b, Role.SECRETARIAT)

    def reload():
        m = Milestone.objects.get(pk=milestone.pk)
        return {"title_en": m.title_en, "description_en": m.description_en}

    return f"/en/forum/timeline/{milestone.slug}/edit/", a, b, reload


def _answers():
    from wsis.reviews import services
    from wsis.reviews.models import Answer
    from wsis.reviews.tests import factories as f

    rev = f.reviewer("ESCAP")
    a, b = f.focal_point("THA"), f.focal_point("THA")
    cycle = f.make_cycle(actor=rev, action_lines=("C1",))
    f.invite(cycle, rev, ("THA", a), ("THA", b))
    services.cycle_transition(cycle=cycle, to_state="open", actor=rev)
    policy, progress = f.question(cycle, "c1-policy"), f.question(cycle, "c1-progress")

    def reload():
        values = dict(Answer.objects.filter(question__in=[policy, progress]).values_list("question_id", "value"))
        return {f"q{q.pk}": "" if values.get(q.pk) is None else str(values[q.pk]) for q in (policy, progress)}

    url = f"/en/reviews/{cycle.pk}/countries/THA/sections/{policy.section_id}/"
    return url, a, b, reload, {"policy": f"q{policy.pk}", "progress": f"q{progress.pk}"}


def _secretaries():
    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.core.permissions import Role

    users = UserFactory(), UserFactory()
    for user in users:
        grant_role(user, Role.SECRETARIAT)
    return users


def _session_schedule():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from wsis.forum import services
    from wsis.forum.models import Session
    from wsis.forum.tests.factories import ForumEditionFactory, RoomFactory, SessionFactory

    a, b = _secretaries()
    edition = ForumEditionFactory()
    tz = ZoneInfo(edition.timezone)
    session = SessionFactory(edition=edition)
    services.session_schedule(session=session, room=RoomFactory(edition=edition), actor=a,
                              starts_at=dt.datetime.combine(edition.start_date, dt.time(10), tzinfo=tz),
                              ends_at=dt.datetime.combine(edition.start_date, dt.time(11), tzinfo=tz))

    def reload():
        s = Session.objects.get(pk=session.pk)
        return {"start": f"{s.starts_at.astimezone(tz):%H:%M}", "end": f"{s.ends_at.astimezone(tz):%H:%M}"}

    return f"/en/forum/{edition.year}/sessions/{session.pk}/schedule/", a, b, reload


def _session_outcome():
    from wsis.accounts.tests.factories import MembershipFactory, OrganisationFactory
    from wsis.forum import services
    from wsis.forum.models import SessionOutcome
    from wsis.forum.tests.factories import ForumEditionFactory, SessionFactory
    from wsis.taxonomy.models import ActionLine, Goal

    org = OrganisationFactory()
    a, b = (MembershipFactory(organisation=org).user for _ in range(2))
    session = SessionFactory(edition=ForumEditionFactory(), organisation=org)
    services.session_outcome_submit(session=session, actor=a, key_points="Broadband matters.",
                                    action_lines=[ActionLine.objects.get(code="C2")], goals=[])
    goal = Goal.objects.get(number=9)

    def reload():
        o = SessionOutcome.objects.get(session=session)
        return {"key_points": o.key_points, "goals": ",".join(str(g.pk) for g in o.goals.all())}

    return f"/en/forum/{session.edition.year}/sessions/{session.pk}/outcome/", a, b, reload, {"9": str(goal.pk)}


def _coordination_editors(code):
    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.core.permissions import Role
    from wsis.taxonomy.models import ActionLine

    a, b = UserFactory(), UserFactory()
    for user in (a, b):
        grant_role(user, Role.FACILITATOR, ActionLine.objects.get(code=code))
    return ActionLine.objects.get(code=code), a, b


def _road_map():
    from wsis.coordination import services
    from wsis.coordination.models import RoadMap

    line, a, b = _coordination_editors("C5")
    services.road_map_update(actor=a, action_line=line, summary="Safer ICT use.", targets=[], gdc_objectives=[])

    def reload():
        r = RoadMap.objects.get(action_line=line)
        return {"summary": r.summary, "gdc_objectives": ",".join(r.gdc_objectives)}

    return "/en/coordination/road-maps/C5/edit/", a, b, reload


def _road_milestone():
    import datetime as dt

    from wsis.coordination import services
    from wsis.coordination.models import Milestone

    line, a, b = _coordination_editors("C5")
    m = services.milestone_save(actor=a, action_line=line, title="Workshops", due_date=dt.date(2030, 1, 1))

    def reload():
        m2 = Milestone.objects.get(pk=m.pk)
        return {"title": m2.title, "due_date": m2.due_date.isoformat()}

    return f"/en/coordination/road-maps/C5/milestones/{m.pk}/edit/", a, b, reload


def _meeting():
    import datetime as dt

    from wsis.coordination import services
    from wsis.coordination.models import Meeting

    line, a, b = _coordination_editors("C5")
    m = services.meeting_save(actor=a, action_line=line, title="C5 meeting", date=dt.date(2026, 7, 8))

    def reload():
        m2 = Meeting.objects.get(pk=m.pk)
        return {"title": m2.title, "agenda": m2.agenda}

    return f"/en/coordination/meetings/{m.pk}/edit/", a, b, reload


def _contribution():
    import datetime as dt

    from wsis.accounts.tests.factories import UserFactory, grant_role
    from wsis.coordination import services
    from wsis.coordination.models import Contribution
    from wsis.core.permissions import Role

    line, a, b = _coordination_editors("C7.4")
    secretariat = UserFactory()
    grant_role(secretariat, Role.SECRETARIAT)
    rnd = services.round_create(actor=secretariat, title="Round", session="CSTD 2027", period_start=dt.date(2026, 1, 1),
                                period_end=dt.date(2026, 12, 31), deadline=dt.date(2099, 1, 1))
    c = rnd.contributions.get(action_line=line, is_lead=True)

    def reload():
        c2 = Contribution.objects.get(pk=c.pk)
        return {"highlights": c2.highlights, "challenges": c2.challenges}

    return f"/en/coordination/reporting/{rnd.pk}/contributions/{c.pk}/", a, b, reload


EDIT_PAGES = [
    EditPage("initiative", _initiative, "title", "Solar school labs in Kenya", "summary", "Labs in 40 schools."),
    EditPage("initiativetranslation", _translation, "title", "Laboratoires scolaires solaires", "summary",
             "Des laboratoires dans 40 écoles."),
    EditPage("organisation", _organisation, "name", "Open Data Kenya Trust", "description", "Publishes open data."),
    EditPage("reviewcycle", _cycle, "title", "Asia-Pacific review 2025", "theme", "Digital inclusion."),
    EditPage("question", _question, "label_en", "What did your country do?", "help_en", "Name laws and plans."),
    EditPage("answer", _answers, "policy", "yes", "progress", "3"),
    EditPage("session", _session_schedule, "start", "09:30", "end", "11:30"),
    EditPage("sessionoutcome", _session_outcome, "key_points", "Broadband matters for schools.", "goals", "9"),
    EditPage("milestone", _milestone, "title_en", "WSIS+20 high-level meeting", "description_en",
             "The General Assembly meets."),
    EditPage("roadmap", _road_map, "summary", "Safer and trusted ICT use.", "gdc_objectives", "GDC3"),
    EditPage("milestone", _road_milestone, "title", "Regional CIRT workshops", "due_date", "2031-05-01"),
    EditPage("meeting", _meeting, "title", "C5 facilitation meeting 2026", "agenda", "Road map review."),
    EditPage("contribution", _contribution, "highlights", "Strategies adopted in twelve countries.",
             "challenges", "Scarce data."),
]


def _open(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data(response.content.decode())


@pytest.mark.parametrize("page", EDIT_PAGES, ids=lambda p: p.name)
def test_second_editor_gets_a_conflict_page_not_a_lost_update(page: EditPage):
    url, editor_a, editor_b, reload, *names = page.setup()
    names = names[0] if names else {}
    field_a, field_b = names.get(page.field_a, page.field_a), names.get(page.field_b, page.field_b)
    value_a, value_b = names.get(page.value_a, page.value_a), names.get(page.value_b, page.value_b)
    a, b = Client(), Client()
    a.force_login(editor_a)
    b.force_login(editor_b)
    form_a, form_b = _open(a, url), _open(b, url)
    before = reload()
    assert form_a["lock_version"] == form_b["lock_version"]

    response = a.post(url, {**form_a, field_a: value_a, "action": "save"})
    assert response.status_code in (200, 302), response.status_code
    assert reload()[field_a] == value_a

    response = b.post(url, {**form_b, field_b: value_b, "action": "save"})
    assert response.status_code == 409
    html = response.content.decode()
    after = reload()
    assert after[field_a] == value_a, "the first editor's change was lost"
    assert after[field_b] == before[field_b], "the stale save went through"
    kept = form_data(html)
    assert kept[field_b] == value_b, "the second editor's text was not kept"
    assert kept["lock_version"] not in ("", form_b["lock_version"]), "the form still carries the old version"
    assert 'id="conflict"' in html
    # The diff shows the other person's words (escaped as the page escapes them).
    first_word = re.escape(value_a.split()[-1].rstrip("."))
    assert re.search(first_word, html)

    # Saving the kept form again replaces the other version knowingly.
    response = b.post(url, {**kept, "action": "save"})
    assert response.status_code in (200, 302), response.status_code
    assert reload()[field_b] == value_b


def test_every_versioned_model_has_an_edit_page_in_the_table():
    versioned = sorted(m._meta.label for m in apps.get_models() if issubclass(m, Versioned))
    assert versioned, "no model uses Versioned"
    covered = {page.name for page in EDIT_PAGES}
    missing = [label for label in versioned if label.split(".")[1].lower() not in covered and label not in
               SERVICE_ONLY]
    assert not missing, f"versioned models without an edit-page case: {missing}"


# Versioned models edited by a service with no page of its own (the API, or a page that edits several).
SERVICE_ONLY: set[str] = set()


# --- the mechanism --------------------------------------------------------------------------------

def test_claim_increments_and_refuses_a_stale_version():
    from wsis.stocktaking.tests.factories import make_initiative

    initiative = make_initiative()
    start = initiative.lock_version
    assert version_claim(initiative, expected_version=start) == start + 1
    with pytest.raises(ConflictError) as caught:
        version_claim(initiative, expected_version=start)
    assert (caught.value.expected, caught.value.current) == (start, start + 1)
    # None: no check, but editors with an older version still see that something changed.
    assert version_claim(initiative, expected_version=None) == start + 2


def test_field_diffs_are_word_level_and_skip_equal_fields():
    diffs = field_diffs([("title", "Title", "Solar labs", "Solar school labs"), ("kind", "Kind", "a", "a")])
    assert [d.name for d in diffs] == ["title"]
    assert ("insert", "school ") in diffs[0].segments
    assert "".join(t for k, t in diffs[0].segments if k != "insert") == "Solar labs"


def test_conflict_context_keeps_the_input_and_moves_the_version_on():
    from django import forms

    from wsis.core.concurrency import VersionedForm

    class F(VersionedForm):
        title = forms.CharField(label="Title")
        kind = forms.ChoiceField(label="Kind", choices=[("p", "Project"), ("q", "Programme")])

    form = F({"title": "Mine", "kind": "p", "lock_version": "3"})
    assert form.is_valid()
    error = ConflictError(instance=type("X", (), {"_meta": type("M", (), {"label": "x.X"}), "pk": 1})(),
                          expected=3, current=5)
    context = conflict_context(form, error, {"title": "Theirs", "kind": "q"})
    assert form.data["lock_version"] == "5"
    assert form.data["title"] == "Mine"
    assert [(d.label, d.theirs, d.yours) for d in context["conflict"]["diffs"]] == [
        ("Title", "Theirs", "Mine"), ("Kind", "Programme", "Project")]


def test_report_narratives_conflict_keeps_the_second_text():
    """The report page's narrative form (its POST goes to another URL, and a save re-queues the build)."""
    from wsis.reviews.models import ReviewReport
    from wsis.reviews.tests.factories import make_cycle, reviewer

    rev_a, rev_b = reviewer("ESCAP"), reviewer("ESCAP")
    cycle = make_cycle(actor=rev_a)
    report = ReviewReport.objects.create(cycle=cycle, version=1, status=ReviewReport.Status.DONE,
                                         narratives={"summary": "Broadband grew.", "conclusions": "More to do."})
    page, post = f"/en/reviews/{cycle.pk}/reports/1/", f"/en/reviews/{cycle.pk}/reports/1/narratives/"
    a, b = Client(), Client()
    a.force_login(rev_a)
    b.force_login(rev_b)
    form_a, form_b = _open(a, page), _open(b, page)
    assert a.post(post, {**form_a, "summary": "Broadband grew fast."}).status_code == 302
    report.refresh_from_db()
    assert report.narratives["summary"] == "Broadband grew fast."
    ReviewReport.objects.filter(pk=report.pk).update(status=ReviewReport.Status.DONE)  # the re-render finished

    response = b.post(post, {**form_b, "conclusions": "Much more to do."})
    assert response.status_code == 409
    report.refresh_from_db()
    # (the form also saves the cover texts of this language version, empty here)
    assert {k: v for k, v in report.narratives.items() if v} == {"summary": "Broadband grew fast.",
                                                                  "conclusions": "More to do."}
    html = response.content.decode()
    assert form_data(html)["conclusions"] == "Much more to do."
    assert "fast" in html


SERVICE_ONLY.add("reviews.ReviewReport")  # its page posts elsewhere: test_report_narratives_conflict_…
