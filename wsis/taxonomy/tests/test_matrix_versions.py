"""Editing the WSIS–SDG Matrix: each edit makes a new current version with an audit row; only the
action line's facilitators (and the secretariat) may edit it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wsis.accounts.tests.factories import UserFactory, grant_role
from wsis.core.models import AuditLog
from wsis.core.permissions import Role
from wsis.taxonomy import services
from wsis.taxonomy.models import ActionLine, Goal, MatrixLink, MatrixVersion, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def c5():
    return ActionLine.objects.get(code="C5")


@pytest.fixture
def facilitator(c5):
    user = UserFactory()
    grant_role(user, Role.FACILITATOR, c5)
    return user


def test_adding_a_link_creates_a_new_current_version_with_an_audit_row(facilitator, c5):
    old = MatrixVersion.objects.get(is_current=True)
    old_links = MatrixLink.objects.filter(version=old).count()
    assert not MatrixLink.objects.filter(version=old, action_line=c5, target__code="3.d").exists()
    new = services.matrix_link_add(actor=facilitator, action_line=c5, goal=Goal.objects.get(number=3),
                                   target=Target.objects.get(code="3.d"), rationale="Health emergencies.",
                                   reason="Forum 2026 session")
    old.refresh_from_db()
    assert new.is_current and not old.is_current
    assert MatrixLink.objects.filter(version=new).count() == old_links + 1
    assert MatrixLink.objects.filter(version=old).count() == old_links  # the old version stays readable
    audit = AuditLog.objects.get(action="taxonomy.matrix_link.add")
    assert audit.actor == facilitator and audit.target_id == str(new.pk)
    assert audit.data["previous_version"] == old.code and audit.data["target"] == "3.d"


def test_updating_and_removing_links(facilitator, c5):
    link = MatrixLink.objects.filter(version__is_current=True, action_line=c5).first()
    v1 = services.matrix_link_update(actor=facilitator, link=link, rationale="New words.")
    copied = MatrixLink.objects.get(version=v1, action_line=c5, goal=link.goal, target=link.target)
    assert copied.rationale == "New words."
    v2 = services.matrix_link_remove(actor=facilitator, link=copied)
    assert not MatrixLink.objects.filter(version=v2, action_line=c5, goal=link.goal, target=link.target).exists()
    assert MatrixLink.objects.filter(version=v1, action_line=c5, goal=link.goal, target=link.target).exists()
    assert AuditLog.objects.filter(action__startswith="taxonomy.matrix_link.").count() == 2
    assert MatrixVersion.objects.filter(is_current=True).get() == v2


def test_other_facilitator_is_refused_and_nothing_changes(c5):
    other = UserFactory()
    grant_role(other, Role.FACILITATOR, ActionLine.objects.get(code="C2"))
    before = MatrixVersion.objects.count()
    with pytest.raises(PermissionDenied):
        services.matrix_link_add(actor=other, action_line=c5, goal=Goal.objects.get(number=3))
    assert MatrixVersion.objects.count() == before and not AuditLog.objects.exists()


def test_secretariat_may_edit_any_line(c5):
    staff = UserFactory()
    grant_role(staff, Role.SECRETARIAT)
    assert services.matrix_link_add(actor=staff, action_line=c5, goal=Goal.objects.get(number=2)).is_current


def test_invalid_edits_are_refused_with_a_message(facilitator, c5):
    with pytest.raises(ValidationError) as exc:
        services.matrix_link_add(actor=facilitator, action_line=c5, goal=Goal.objects.get(number=4),
                                 target=Target.objects.get(code="9.c"))
    assert "9.c" in str(exc.value)
    existing = MatrixLink.objects.filter(version__is_current=True, action_line=c5).first()
    with pytest.raises(ValidationError):
        services.matrix_link_add(actor=facilitator, action_line=c5, goal=existing.goal, target=existing.target)
    services.matrix_link_update(actor=facilitator, link=existing, rationale="x")
    with pytest.raises(ValidationError):  # the link belongs to a version that is no longer current
        services.matrix_link_remove(actor=facilitator, link=existing)
