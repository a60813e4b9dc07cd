"""The facilitator dashboard: who may see and edit it, and that an edit makes a version and an audit row."""

import pytest
from django.urls import reverse

from wsis.accounts.tests.factories import UserFactory, grant_role
from wsis.core.models import AuditLog
from wsis.core.permissions import Role
from wsis.taxonomy.models import ActionLine, MatrixLink, MatrixVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def c5():
    return ActionLine.objects.get(code="C5")


def dashboard(al):
    return reverse("analytics:facilitator", args=[al.slug])


def signed_in(client, role=None, scope=None):
    user = UserFactory()
    if role:
        grant_role(user, role, scope)
    client.force_login(user)
    return user


def test_facilitator_sees_dashboard_with_bounded_queries(client, dataset, c5, django_assert_max_num_queries):
    signed_in(client, Role.FACILITATOR, c5)
    with django_assert_max_num_queries(40):
        response = client.get(dashboard(c5))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Matrix links of this action line" in html and 'class="chart-svg"' in html
    assert "2 published initiatives on this action line." in html


def test_facilitator_adds_a_link_creating_a_version_and_audit_row(client, dataset, c5):
    user = signed_in(client, Role.FACILITATOR, c5)
    before = MatrixVersion.objects.get(is_current=True)
    response = client.post(dashboard(c5), {"op": "add", "add-goal": "3", "add-target": "3.d",
                                           "add-rationale": "Early warning for health.", "add-reason": "review"})
    assert response.status_code == 302
    current = MatrixVersion.objects.get(is_current=True)
    assert current != before
    assert MatrixLink.objects.filter(version=current, action_line=c5, target__code="3.d").exists()
    audit = AuditLog.objects.get(action="taxonomy.matrix_link.add")
    assert audit.actor == user
    page = client.get(dashboard(c5)).content.decode()
    assert current.code in page and "3.d" in page


def test_facilitator_edits_and_removes_links(client, dataset, c5):
    signed_in(client, Role.FACILITATOR, c5)
    link = MatrixLink.objects.filter(version__is_current=True, action_line=c5).first()
    assert client.post(dashboard(c5), {"op": "update", "link": link.pk, "rationale": "Better."}).status_code == 302
    new_link = MatrixLink.objects.get(version__is_current=True, action_line=c5, goal=link.goal, target=link.target)
    assert new_link.rationale == "Better."
    assert client.post(dashboard(c5), {"op": "remove", "link": new_link.pk}).status_code == 302
    assert not MatrixLink.objects.filter(version__is_current=True, action_line=c5, goal=link.goal,
                                         target=link.target).exists()
    assert AuditLog.objects.filter(action__startswith="taxonomy.matrix_link.").count() == 2


def test_bad_add_shows_the_error_on_the_field(client, dataset, c5):
    signed_in(client, Role.FACILITATOR, c5)
    response = client.post(dashboard(c5), {"op": "add", "add-goal": "4", "add-target": "9.c"})
    assert response.status_code == 400
    assert "This target belongs to another SDG." in response.content.decode()
    assert not AuditLog.objects.exists()


def test_other_facilitator_gets_403_for_view_and_edit(client, dataset, c5):
    signed_in(client, Role.FACILITATOR, ActionLine.objects.get(code="C2"))
    assert client.get(dashboard(c5)).status_code == 403
    link = MatrixLink.objects.filter(version__is_current=True, action_line=c5).first()
    assert client.post(dashboard(c5), {"op": "remove", "link": link.pk}).status_code == 403
    assert not AuditLog.objects.exists()


def test_plain_user_403_anonymous_redirected_secretariat_allowed(client, dataset, c5):
    assert client.get(dashboard(c5)).status_code == 302
    signed_in(client)
    assert client.get(dashboard(c5)).status_code == 403
    signed_in(client, Role.SECRETARIAT)
    assert client.get(dashboard(c5)).status_code == 200


def test_facilitator_list_shows_own_lines(client, db, c5):
    signed_in(client, Role.FACILITATOR, c5)
    html = client.get(reverse("analytics:facilitator-list")).content.decode()
    assert c5.label in html and "C2 " not in html
