"""Access from an invitation or a delegation lives and dies with it (issue 13, finding 1).

The invitee accepts, answers, the reviewer revokes: from then on every reviews URL of that country —
in that cycle and in earlier ones — refuses (403/404/405 and nothing written), the cycle leaves their
list and the public API knows nothing of it. URLs are read from the reviews URLconf, so a page added
later is checked too.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse

from wsis.accounts.tests.factories import UserFactory
from wsis.core.permissions import is_focal_point_of
from wsis.reviews import services
from wsis.reviews.models import Answer, Response
from wsis.reviews.tests import factories as f

pytestmark = pytest.mark.django_db

#: URL names that name no cycle (lists, creation, the accept pages reached by token).
NOT_CYCLE_SCOPED = {"cycles", "cycle-create", "invitation-accept", "delegation-accept"}
REFUSED = {403, 404, 405}


def _cycle_urls(cycle, iso3: str) -> list[str]:
    section = cycle.questionnaire.sections.order_by("pk").first()
    question = section.questions.order_by("pk").first()
    invitation = cycle.invitations.order_by("pk").first()
    response = Response.objects.filter(cycle=cycle, country__iso3=iso3).first()
    delegation = response.delegations.order_by("pk").first() if response else None
    values = {"pk": cycle.pk, "iso3": iso3, "section_id": section.pk, "question_id": question.pk,
              "invitation_id": invitation.pk, "delegation_id": delegation.pk if delegation else 999999,
              "version": 1, "fmt": "pdf"}
    urls = []
    for pattern in get_resolver("wsis.reviews.urls").url_patterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in NOT_CYCLE_SCOPED:
            continue
        params = pattern.pattern.converters.keys()
        urls.append(reverse(f"reviews:{pattern.name}", kwargs={k: values[k] for k in params}))
    return urls


def _answers_snapshot():
    return sorted(Answer.objects.values_list("pk", "value", "updated_at"), key=lambda r: r[0])


def _assert_everything_refused(client, cycles, iso3):
    before = (_answers_snapshot(), list(Response.objects.values_list("pk", "state")))
    for cycle in cycles:
        for url in _cycle_urls(cycle, iso3):
            got, posted = client.get(url), client.post(url, {"next": "section"})
            assert got.status_code in REFUSED, (url, got.status_code)
            assert posted.status_code in REFUSED, (url, posted.status_code)
        assert cycle.title not in client.get(reverse("reviews:cycles")).content.decode()
        assert client.get(f"/api/v1/reviews/{cycle.pk}").status_code == 404
    assert (_answers_snapshot(), list(Response.objects.values_list("pk", "state"))) == before


@pytest.fixture
def two_cycles():
    """An earlier ESCAP cycle Nepal answered through its focal point, and this year's open cycle."""
    rev = f.reviewer("ESCAP")
    npl = f.focal_point("NPL")
    earlier = f.make_cycle(actor=rev, year=2024, action_lines=("C1",))
    f.invite(earlier, rev, ("NPL", npl))
    services.cycle_transition(cycle=earlier, to_state="open", actor=rev)
    earlier.refresh_from_db()
    services.response_open(cycle=earlier, country=f.country("NPL"), actor=npl)
    current = f.make_cycle(actor=rev, year=2025, action_lines=("C1",))
    services.cycle_transition(cycle=current, to_state="open", actor=rev)
    current.refresh_from_db()
    return rev, npl, earlier, current


def test_revoking_an_invitation_revokes_every_page_of_the_country(client, two_cycles):
    rev, _npl, earlier, current = two_cycles
    newcomer = UserFactory(email="new.focal@example.org")
    invitation = services.invitation_create(cycle=current, country=f.country("NPL"), email=newcomer.email,
                                            actor=rev)
    client.force_login(newcomer)
    accepted = client.post(reverse("reviews:invitation-accept", args=[invitation.token]))
    assert accepted.status_code == 302
    section = current.questionnaire.sections.get()
    section_url = reverse("reviews:response-section", args=[current.pk, "NPL", section.pk])
    assert client.get(reverse("reviews:response", args=[current.pk, "NPL"])).status_code == 200
    policy = f.question(current, "c1-policy")
    assert client.post(section_url, {f"q{policy.pk}": "yes", "next": "section"}).status_code == 302
    assert Answer.objects.filter(question=policy, value="yes").exists()
    # The invitation gave this cycle only, never a country-wide role nor the earlier cycle.
    assert not is_focal_point_of(newcomer, f.country("NPL"))
    assert client.get(reverse("reviews:response", args=[earlier.pk, "NPL"])).status_code == 404

    client.force_login(rev)
    assert client.post(reverse("reviews:invitation-revoke", args=[current.pk, invitation.pk])).status_code == 302

    client.force_login(newcomer)
    _assert_everything_refused(client, [current, earlier], "NPL")
    # Accepting the withdrawn link again gives nothing back.
    client.post(reverse("reviews:invitation-accept", args=[invitation.token]))
    _assert_everything_refused(client, [current], "NPL")


def test_revoking_a_delegation_revokes_every_page_of_the_country(client, two_cycles):
    rev, npl, earlier, current = two_cycles
    services.invitation_create(cycle=current, country=f.country("NPL"), email=npl.email, actor=rev)
    response = services.response_open(cycle=current, country=f.country("NPL"), actor=npl)
    colleague = UserFactory(email="colleague@example.org")
    delegation = services.delegation_create(response=response, email=colleague.email,
                                            sections=current.questionnaire.sections.all(), actor=npl)
    client.force_login(colleague)
    assert client.post(reverse("reviews:delegation-accept", args=[delegation.token])).status_code == 302
    section = current.questionnaire.sections.get()
    assert client.get(reverse("reviews:response-section", args=[current.pk, "NPL", section.pk])).status_code == 200

    client.force_login(npl)
    revoke = reverse("reviews:delegation-revoke", args=[current.pk, "NPL", delegation.pk])
    assert client.post(revoke).status_code == 302

    client.force_login(colleague)
    _assert_everything_refused(client, [current, earlier], "NPL")


def test_migration_removes_the_grants_that_accepting_invitations_created():
    """Grants made by the old invitation_accept (actor None, audit row) go; the secretariat's stay."""
    import importlib

    from django.apps import apps

    from wsis.accounts.services import role_grant_create
    from wsis.core.models import RoleGrant
    from wsis.core.permissions import Role

    migration = importlib.import_module("wsis.reviews.migrations.0003_invitation_grants_removed")
    rev = f.reviewer("ESCAP")
    cycle = f.make_cycle(actor=rev, action_lines=("C1",))
    invitee, appointed = UserFactory(email="invitee@example.org"), f.focal_point("THA")
    invitation = services.invitation_create(cycle=cycle, country=f.country("NPL"), email=invitee.email, actor=rev)
    services.invitation_accept(invitation=invitation, user=invitee)
    # What the old acceptance did on top: a country-wide grant by the platform, on the inviter's behalf.
    legacy = role_grant_create(actor=None, user=invitee, role=Role.FOCAL_POINT, scope=f.country("NPL"),
                               granted_by=rev)

    migration.remove_invitation_grants(apps, None)

    assert not RoleGrant.objects.filter(pk=legacy.pk).exists()
    assert RoleGrant.objects.filter(user=appointed, role=Role.FOCAL_POINT).exists()
    assert not is_focal_point_of(invitee, f.country("NPL"))
