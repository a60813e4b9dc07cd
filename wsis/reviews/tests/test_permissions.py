"""Who sees what: reviewers of another commission, focal points of another country, the public."""

import pytest
from django.urls import reverse

from wsis.accounts.tests.factories import UserFactory
from wsis.reviews import selectors, services
from wsis.reviews.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def escap_cycle():
    rev = f.reviewer("ESCAP")
    cycle = f.make_cycle(actor=rev)
    return cycle, rev


def test_eca_reviewer_cannot_see_escap_cycle(client, escap_cycle):
    cycle, _rev = escap_cycle
    eca = f.reviewer("ECA")
    client.force_login(eca)
    for name in ("reviews:cycle", "reviews:questionnaire", "reviews:progress", "reviews:invitations",
                 "reviews:reports", "reviews:cycle-edit"):
        assert client.get(reverse(name, args=[cycle.pk])).status_code == 404, name
    assert client.post(reverse("reviews:cycle-transition", args=[cycle.pk]), {"to": "open"}).status_code == 404
    assert cycle not in selectors.cycle_list_visible(eca)
    assert cycle.title not in client.get(reverse("reviews:cycles")).content.decode()


def test_eca_reviewer_cannot_manage_escap_cycle_through_services(escap_cycle):
    from django.core.exceptions import PermissionDenied

    cycle, _rev = escap_cycle
    eca = f.reviewer("ECA")
    with pytest.raises(PermissionDenied):
        services.cycle_transition(cycle=cycle, to_state="open", actor=eca)
    with pytest.raises(PermissionDenied):
        services.cycle_create(commission=f.commission("ESCAP"), year=2030, actor=eca)


def test_escap_reviewer_and_secretariat_manage_the_cycle(client, escap_cycle):
    from wsis.accounts.tests.factories import grant_role
    from wsis.core.permissions import Role

    cycle, rev = escap_cycle
    secretariat = UserFactory()
    grant_role(secretariat, Role.SECRETARIAT)
    for user in (rev, secretariat):
        client.force_login(user)
        assert client.get(reverse("reviews:questionnaire", args=[cycle.pk])).status_code == 200


def test_focal_point_sees_only_their_country(client, escap_cycle):
    cycle, rev = escap_cycle
    tha, npl = f.focal_point("THA"), f.focal_point("NPL")
    f.invite(cycle, rev, ("THA", tha), ("NPL", npl))
    services.cycle_transition(cycle=cycle, to_state="open", actor=rev)
    client.force_login(tha)
    assert client.get(reverse("reviews:response", args=[cycle.pk, "THA"])).status_code == 200
    assert client.get(reverse("reviews:response", args=[cycle.pk, "NPL"])).status_code == 404
    section = cycle.questionnaire.sections.first()
    assert client.get(reverse("reviews:response-section", args=[cycle.pk, "NPL", section.pk])).status_code == 404
    assert client.post(reverse("reviews:response-submit", args=[cycle.pk, "NPL"])).status_code == 404
    # ...and cannot manage the cycle.
    assert client.get(reverse("reviews:progress", args=[cycle.pk])).status_code == 404


def test_focal_point_of_uninvited_country_sees_nothing(client, escap_cycle):
    cycle, rev = escap_cycle
    services.cycle_transition(cycle=cycle, to_state="open", actor=rev)
    bgd = f.focal_point("BGD")
    client.force_login(bgd)
    assert client.get(reverse("reviews:cycle", args=[cycle.pk])).status_code == 404
    assert client.get(reverse("reviews:response", args=[cycle.pk, "BGD"])).status_code == 404


def test_focal_points_do_not_see_draft_cycles(client, escap_cycle):
    cycle, rev = escap_cycle
    tha = f.focal_point("THA")
    f.invite(cycle, rev, ("THA", tha))
    client.force_login(tha)
    assert client.get(reverse("reviews:cycle", args=[cycle.pk])).status_code == 404


def test_anonymous_sees_only_published_cycles(client, escap_cycle):
    cycle, _rev = escap_cycle
    assert client.get(reverse("reviews:cycle", args=[cycle.pk])).status_code == 404
    assert client.get(reverse("reviews:cycles")).status_code == 200
    cycle.state = "published"
    cycle.save()
    assert client.get(reverse("reviews:cycle", args=[cycle.pk])).status_code == 200
    # The questionnaire stays the reviewers' page even once published.
    assert client.get(reverse("reviews:questionnaire", args=[cycle.pk])).status_code == 302


def test_a_reviewer_cannot_invite_a_country_outside_the_commission(escap_cycle):
    from django.core.exceptions import ValidationError

    cycle, rev = escap_cycle
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(cycle=cycle, country=f.country("KEN"), email="x@example.org", actor=rev)
    assert "country" in exc.value.message_dict
