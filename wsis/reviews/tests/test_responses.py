"""Answering: drafts, types, required answers at submission, delegation, prefill."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wsis.reviews import services
from wsis.reviews.models import Answer, Response
from wsis.reviews.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_cycle():
    rev = f.reviewer("ESCAP")
    tha = f.focal_point("THA")
    cycle = f.make_cycle(actor=rev, action_lines=("C1", "C5"))
    f.invite(cycle, rev, ("THA", tha))
    services.cycle_transition(cycle=cycle, to_state="open", actor=rev)
    cycle.refresh_from_db()
    return cycle, rev, tha


def _sections(cycle):
    return {s.action_line.code: s for s in cycle.questionnaire.sections.select_related("action_line")}


def test_save_draft_then_submit(open_cycle):
    cycle, rev, tha = open_cycle
    response = services.response_open(cycle=cycle, country=f.country("THA"), actor=tha)
    assert response.state == Response.State.DRAFT
    with pytest.raises(ValidationError) as exc:
        services.response_submit(response=response, actor=tha)
    assert len(exc.value.messages) == 4  # policy and progress, in two sections
    for section in _sections(cycle).values():
        slug = section.action_line.slug
        services.response_save_section(response=response, section=section, actor=tha, values={
            f.question(cycle, f"{slug}-policy").pk: "no",
            f.question(cycle, f"{slug}-progress").pk: 3,
        })
    services.response_submit(response=response, actor=tha)
    response.refresh_from_db()
    assert response.state == Response.State.SUBMITTED and response.submitted_by == tha
    with pytest.raises(ValidationError):
        services.response_save_section(response=response, section=_sections(cycle)["C1"], actor=tha, values={})


def test_conditional_required_question_is_required_only_when_shown(open_cycle):
    cycle, rev, tha = open_cycle
    policy, name = f.question(cycle, "c1-policy"), f.question(cycle, "c1-policy-name")
    services.question_update  # noqa: B018 - the questionnaire is frozen; make the condition required directly
    name.required = True
    name.save()
    response = services.response_open(cycle=cycle, country=f.country("THA"), actor=tha)
    c1 = _sections(cycle)["C1"]
    services.response_save_section(response=response, section=c1, actor=tha, values={policy.pk: "no"})
    assert not any(p["question"] == name for p in services.response_check(response))
    services.response_save_section(response=response, section=c1, actor=tha, values={policy.pk: "yes"})
    assert any(p["question"] == name for p in services.response_check(response))


def test_a_wrong_type_saves_nothing_and_names_the_question(open_cycle):
    cycle, rev, tha = open_cycle
    response = services.response_open(cycle=cycle, country=f.country("THA"), actor=tha)
    c1 = _sections(cycle)["C1"]
    before = Answer.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.response_save_section(response=response, section=c1, actor=tha, values={
            f.question(cycle, "c1-policy").pk: "yes",
            f.question(cycle, "c1-progress").pk: 9,  # the scale is 1 to 5
        })
    assert "c1-progress" in exc.value.message_dict
    assert Answer.objects.count() == before


def test_only_focal_points_submit(open_cycle):
    cycle, rev, tha = open_cycle
    response = services.response_open(cycle=cycle, country=f.country("THA"), actor=tha)
    with pytest.raises(PermissionDenied):
        services.response_submit(response=response, actor=rev)


def test_delegate_sees_and_answers_only_delegated_sections(client, open_cycle):
    cycle, rev, tha = open_cycle
    response = services.response_open(cycle=cycle, country=f.country("THA"), actor=tha)
    sections = _sections(cycle)
    mail.outbox.clear()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        delegation = services.delegation_create(response=response, email="colleague@example.org",
                                                sections=[sections["C5"]], actor=tha)
    assert mail.outbox and delegation.token in mail.outbox[0].body
    from wsis.accounts.tests.factories import UserFactory

    colleague = UserFactory(email="colleague@example.org")
    client.force_login(colleague)
    # Before accepting: nothing.
    assert client.get(reverse("reviews:response", args=[cycle.pk, "THA"])).status_code == 404
    client.post(reverse("reviews:delegation-accept", args=[delegation.token]))
    page = client.get(reverse("reviews:response", args=[cycle.pk, "THA"]))
    assert page.status_code == 200
    assert sections["C5"].display_title in page.content.decode()
    assert sections["C1"].display_title not in page.content.decode()
    assert client.get(reverse("reviews:response-section", args=[cycle.pk, "THA", sections["C1"].pk])).status_code == 404
    ok = client.post(reverse("reviews:response-section", args=[cycle.pk, "THA", sections["C5"].pk]),
                     {f"q{f.question(cycle, 'c5-policy').pk}": "yes", "next": "section"})
    assert ok.status_code == 302
    assert Answer.objects.get(response=response, question=f.question(cycle, "c5-policy")).value == "yes"
    with pytest.raises(PermissionDenied):
        services.response_save_section(response=response, section=sections["C1"], actor=colleague, values={})
    with pytest.raises(PermissionDenied):
        services.response_submit(response=response, actor=colleague)
    # A revoked delegation closes the door again.
    services.delegation_revoke(delegation=delegation, actor=tha)
    assert client.get(reverse("reviews:response", args=[cycle.pk, "THA"])).status_code == 404


def test_delegation_link_needs_the_invited_address(client, open_cycle):
    cycle, rev, tha = open_cycle
    response = services.response_open(cycle=cycle, country=f.country("THA"), actor=tha)
    delegation = services.delegation_create(response=response, email="right@example.org",
                                            sections=[_sections(cycle)["C5"]], actor=tha)
    from wsis.accounts.tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        services.delegation_accept(delegation=delegation, user=UserFactory(email="wrong@example.org"))


def test_invitation_by_email_gives_access_to_its_cycle_on_acceptance_without_a_role(open_cycle):
    from wsis.accounts.tests.factories import UserFactory
    from wsis.core.permissions import is_focal_point_of

    cycle, rev, tha = open_cycle
    newcomer = UserFactory(email="new.focal@example.org")
    invitation = services.invitation_create(cycle=cycle, country=f.country("NPL"), email="New.Focal@example.org",
                                            actor=rev)
    assert invitation.state == "pending"
    assert not is_focal_point_of(newcomer, f.country("NPL"))
    services.invitation_accept(invitation=invitation, user=newcomer)
    assert not is_focal_point_of(newcomer, f.country("NPL"))  # access derives from the invitation
    assert services.response_open(cycle=cycle, country=f.country("NPL"), actor=newcomer) is not None


def _publish(initiative_country, action_line_code, title, org_country="THA"):
    from wsis.accounts.tests.factories import OrganisationFactory
    from wsis.stocktaking.models import Initiative, InitiativeActionLine
    from wsis.taxonomy.models import ActionLine

    org = OrganisationFactory(country=f.country(org_country))
    initiative = Initiative.objects.create(title=title, summary="s", organisation=org, state="published", year=2024)
    initiative.countries.add(f.country(initiative_country))
    InitiativeActionLine.objects.create(initiative=initiative, action_line=ActionLine.objects.get(
        code=action_line_code), is_primary=True)
    return initiative


def test_prefill_from_the_registry_and_last_cycle():
    rev = f.reviewer("ESCAP")
    tha = f.focal_point("THA")
    last = f.make_cycle(actor=rev, year=2024, action_lines=("C1",))
    f.invite(last, rev, ("THA", tha))
    services.cycle_transition(cycle=last, to_state="open", actor=rev)
    last.refresh_from_db()
    old = services.response_open(cycle=last, country=f.country("THA"), actor=tha)
    services.response_save_section(response=old, section=last.questionnaire.sections.get(), actor=tha,
                                   values={f.question(last, "c1-highlights").pk: "Fibre reached 40 districts."})
    _publish("THA", "C1", "Thai e-strategy")
    _publish("THA", "C1", "Thai open data portal")
    _publish("THA", "C5", "Thai CERT")          # another action line
    _publish("NPL", "C1", "Nepal e-strategy")   # another country
    this = services.cycle_create(commission=f.commission("ESCAP"), year=2025, actor=rev,
                                 closes_on=last.closes_on.replace(year=2025))
    services.questionnaire_copy(cycle=this, source=last, actor=rev)
    f.invite(this, rev, ("THA", tha))
    services.cycle_transition(cycle=this, to_state="open", actor=rev)
    this.refresh_from_db()
    response = services.response_open(cycle=this, country=f.country("THA"), actor=tha)
    answers = {a.question.code: a for a in response.answers.select_related("question")}
    assert answers["c1-highlights"].value == "Fibre reached 40 districts."
    assert answers["c1-highlights"].source == Answer.Source.LAST_CYCLE
    assert answers["c1-initiative-count"].value == 2
    assert sorted(r["title"] for r in answers["c1-initiatives"].value) == ["Thai e-strategy", "Thai open data portal"]
    assert answers["c1-initiatives"].source == Answer.Source.REGISTRY
    # Opening again does not prefill twice or overwrite the focal point's edits.
    services.response_save_section(response=response, section=this.questionnaire.sections.get(), actor=tha,
                                   values={f.question(this, "c1-initiative-count").pk: 5})
    services.response_open(cycle=this, country=f.country("THA"), actor=tha)
    assert Answer.objects.get(response=response, question__code="c1-initiative-count").value == 5


def test_reminders_go_to_countries_that_have_not_submitted():
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.test import TestCase
    from django.utils import timezone

    today = timezone.localdate()
    rev, tha, npl = f.reviewer("ESCAP"), f.focal_point("THA"), f.focal_point("NPL")
    cycle = f.make_cycle(actor=rev, year=today.year, action_lines=("C1",), closes_on=today + dt.timedelta(days=3))
    f.invite(cycle, rev, ("THA", tha), ("NPL", npl))
    services.cycle_transition(cycle=cycle, to_state="open", actor=rev)
    cycle.refresh_from_db()
    response = services.response_open(cycle=cycle, country=f.country("NPL"), actor=npl)
    services.response_save_section(response=response, section=cycle.questionnaire.sections.get(), actor=npl,
                                   values={f.question(cycle, "c1-policy").pk: "no",
                                           f.question(cycle, "c1-progress").pk: 2})
    services.response_submit(response=response, actor=npl)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminded = services.reminders_send(days_before=7)
    assert [i.email for i in reminded] == [tha.email]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [tha.email]
    assert "3 days" in mail.outbox[0].body
    # Once a day at most; and not while the deadline is further away than the horizon.
    assert services.reminders_send(days_before=7) == []
    assert services.reminders_send(today=today + dt.timedelta(days=1), days_before=7) != []
    out = StringIO()
    call_command("send_review_reminders", "--dry-run", "--days", "1", "--today",
                 str(today - dt.timedelta(days=10)), stdout=out)
    assert "Would remind 0" in out.getvalue()
