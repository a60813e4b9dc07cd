"""The role predicates of ``wsis.core.permissions``, the grant services and the RoleGrant admin.

Each predicate is checked against a table of grants × scopes; one request reads the grants once
whatever the number of checks; a revocation counts from the next request.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wsis.accounts import services
from wsis.accounts.models import User
from wsis.core import permissions
from wsis.core.models import AuditLog
from wsis.core.permissions import Role, RoleGrant
from wsis.taxonomy.models import ActionLine, Country, RegionalCommission

from .factories import UserFactory, grant_role

pytestmark = pytest.mark.django_db


def scope(kind: str | None):
    """A scope object by short name: "C5" / "C2" (action lines), "ESCAP" / "ECA", "THA" / "NPL"."""
    if kind is None:
        return None
    if kind.startswith("C"):
        return ActionLine.objects.get(code=kind)
    if kind in {"ESCAP", "ECA", "ECE", "ECLAC", "ESCWA"}:
        return RegionalCommission.objects.get(code=kind)
    return Country.objects.get(iso3=kind)


def holder(grant):
    """A fresh user (read back from the database, as a request would) holding ``grant``.

    ``grant`` is None (no role), "superuser", or (role, scope kind or None).
    """
    if grant == "superuser":
        return User.objects.get(pk=UserFactory(is_superuser=True).pk)
    user = UserFactory()
    if grant is not None:
        role, kind = grant
        grant_role(user, role, scope(kind))
    return User.objects.get(pk=user.pk)


PREDICATES = {
    "is_secretariat": lambda user, _scope: permissions.is_secretariat(user),
    "can_moderate": lambda user, _scope: permissions.can_moderate(user),
    "is_facilitator_of": permissions.is_facilitator_of,
    "can_review_commission": permissions.can_review_commission,
    "is_focal_point_of": permissions.is_focal_point_of,
}

# (grant, predicate, scope asked about, allowed?)
TABLE = [
    # Nobody, superusers and the secretariat.
    (None, "is_secretariat", None, False),
    (None, "can_moderate", None, False),
    (None, "is_facilitator_of", "C5", False),
    (None, "can_review_commission", "ESCAP", False),
    (None, "is_focal_point_of", "THA", False),
    ("superuser", "is_secretariat", None, True),
    ("superuser", "is_facilitator_of", "C5", True),
    ("superuser", "is_focal_point_of", "THA", True),
    ((Role.SECRETARIAT, None), "is_secretariat", None, True),
    ((Role.SECRETARIAT, None), "can_moderate", None, True),
    ((Role.SECRETARIAT, None), "is_facilitator_of", "C5", True),
    ((Role.SECRETARIAT, None), "can_review_commission", "ECA", True),
    ((Role.SECRETARIAT, None), "is_focal_point_of", "NPL", True),
    # Moderators moderate, nothing more.
    ((Role.MODERATOR, None), "can_moderate", None, True),
    ((Role.MODERATOR, None), "is_secretariat", None, False),
    ((Role.MODERATOR, None), "is_facilitator_of", "C5", False),
    # Facilitators: their action line; a grant without scope covers all of them.
    ((Role.FACILITATOR, "C5"), "is_facilitator_of", "C5", True),
    ((Role.FACILITATOR, "C5"), "is_facilitator_of", "C2", False),
    ((Role.FACILITATOR, "C5"), "can_moderate", None, False),
    ((Role.FACILITATOR, "C5"), "can_review_commission", "ESCAP", False),
    ((Role.FACILITATOR, None), "is_facilitator_of", "C2", True),
    # Regional reviewers: their commission.
    ((Role.REGIONAL_REVIEWER, "ESCAP"), "can_review_commission", "ESCAP", True),
    ((Role.REGIONAL_REVIEWER, "ESCAP"), "can_review_commission", "ECA", False),
    ((Role.REGIONAL_REVIEWER, "ESCAP"), "is_focal_point_of", "THA", False),
    ((Role.REGIONAL_REVIEWER, "ESCAP"), "is_secretariat", None, False),
    ((Role.REGIONAL_REVIEWER, None), "can_review_commission", "ECA", True),
    # Focal points: their country.
    ((Role.FOCAL_POINT, "THA"), "is_focal_point_of", "THA", True),
    ((Role.FOCAL_POINT, "THA"), "is_focal_point_of", "NPL", False),
    ((Role.FOCAL_POINT, "THA"), "can_review_commission", "ESCAP", False),
    # Prize experts hold no right checked by these predicates.
    ((Role.PRIZE_EXPERT, None), "can_moderate", None, False),
    ((Role.PRIZE_EXPERT, None), "is_facilitator_of", "C5", False),
]


def _id(row):
    grant, predicate, asked, allowed = row
    who = grant if grant in (None, "superuser") else f"{grant[0]}@{grant[1] or 'all'}"
    return f"{who}-{predicate}-{asked or 'global'}-{'allowed' if allowed else 'denied'}"


@pytest.mark.parametrize("row", TABLE, ids=[_id(r) for r in TABLE])
def test_predicate_table(row):
    grant, predicate, asked, allowed = row
    assert PREDICATES[predicate](holder(grant), scope(asked)) is allowed


@pytest.mark.parametrize("predicate", sorted(PREDICATES))
def test_anonymous_users_hold_no_role(predicate, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert PREDICATES[predicate](AnonymousUser(), None) is False


def test_role_scopes_list_the_granted_objects():
    user = holder((Role.FACILITATOR, "C5"))
    grant_role(user, Role.FACILITATOR, scope("C2"))
    assert set(permissions.facilitated(user, ActionLine).values_list("code", flat=True)) == {"C5", "C2"}
    assert not permissions.reviewed_commissions(user, RegionalCommission).exists()
    everyone = holder((Role.REGIONAL_REVIEWER, None))
    assert permissions.reviewed_commissions(everyone, RegionalCommission).count() == RegionalCommission.objects.count()
    assert not permissions.focal_point_countries(AnonymousUser(), Country).exists()


def test_role_holders_lists_scoped_or_global_grants():
    tha = holder((Role.FOCAL_POINT, "THA"))
    holder((Role.FOCAL_POINT, "NPL"))
    holder((Role.FOCAL_POINT, None))
    assert permissions.role_holders(Role.FOCAL_POINT, scope("THA")) == [tha]
    secretariat = holder((Role.SECRETARIAT, None))
    assert permissions.role_holders(Role.SECRETARIAT) == [secretariat]


def test_many_checks_cost_one_query(django_assert_num_queries):
    user = holder((Role.FACILITATOR, "C5"))
    grant_role(user, Role.REGIONAL_REVIEWER, scope("ESCAP"))
    grant_role(user, Role.FOCAL_POINT, scope("THA"))
    user = User.objects.get(pk=user.pk)
    c5, c2, escap, eca, tha = (scope(k) for k in ("C5", "C2", "ESCAP", "ECA", "THA"))
    with django_assert_num_queries(1):
        answers = [permissions.is_secretariat(user), permissions.can_moderate(user),
                   permissions.is_facilitator_of(user, c5), permissions.is_facilitator_of(user, c2),
                   permissions.can_review_commission(user, escap), permissions.can_review_commission(user, eca),
                   permissions.is_focal_point_of(user, tha)] * 3
    assert answers == [False, False, True, False, True, False, True] * 3


def _grant_queries(queries) -> int:
    return sum(1 for q in queries if "accounts_rolegrant" in q["sql"])


def test_one_request_reads_the_grants_once(client):
    """The facilitator page checks the role in the view and again in the Matrix service: one read."""
    c5 = scope("C5")
    client.force_login(holder((Role.FACILITATOR, "C5")))
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("analytics:facilitator", args=[c5.slug]),
                               {"op": "add", "add-goal": "3", "add-target": "3.d",
                                "add-rationale": "Early warning for health.", "add-reason": "review"})
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="taxonomy.matrix_link.add").exists()  # both checks ran
    assert _grant_queries(ctx.captured_queries) == 1


def test_revocation_counts_from_the_next_request(client):
    c5 = scope("C5")
    secretariat = holder((Role.SECRETARIAT, None))
    facilitator = holder((Role.FACILITATOR, "C5"))
    client.force_login(facilitator)
    page = reverse("analytics:facilitator", args=[c5.slug])
    assert client.get(page).status_code == 200
    services.role_grant_revoke(actor=secretariat, grant=RoleGrant.objects.get(user=facilitator))
    assert client.get(page).status_code == 403
    services.role_grant_create(actor=secretariat, user=facilitator, role=Role.FACILITATOR, scope=c5)
    assert client.get(page).status_code == 200


def test_grant_services_write_audit_rows_and_refresh_the_same_user_object():
    secretariat = holder((Role.SECRETARIAT, None))
    user = holder(None)
    tha = scope("THA")
    assert not permissions.is_focal_point_of(user, tha)  # caches "no grants" on this object
    grant = services.role_grant_create(actor=secretariat, user=user, role=Role.FOCAL_POINT, scope=tha)
    assert permissions.is_focal_point_of(user, tha)
    assert grant.granted_by == secretariat
    created = AuditLog.objects.get(action="accounts.role_grant.create")
    assert created.actor == secretariat and created.target_id == str(user.pk)
    assert created.data["role"] == Role.FOCAL_POINT and created.data["scope_id"] == tha.pk
    grant_pk = grant.pk
    services.role_grant_revoke(actor=secretariat, grant=grant)
    assert not permissions.is_focal_point_of(user, tha)
    assert not RoleGrant.objects.filter(user=user).exists()
    revoked = AuditLog.objects.get(action="accounts.role_grant.revoke")
    assert revoked.actor == secretariat and revoked.data["grant"] == grant_pk


@pytest.mark.parametrize("actor_grant", [None, (Role.MODERATOR, None), (Role.FACILITATOR, None)])
def test_only_the_secretariat_gives_and_withdraws_roles(actor_grant):
    actor, user = holder(actor_grant), holder(None)
    with pytest.raises(PermissionDenied):
        services.role_grant_create(actor=actor, user=user, role=Role.MODERATOR)
    grant = grant_role(user, Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.role_grant_revoke(actor=actor, grant=grant)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert not AuditLog.objects.filter(action__startswith="accounts.role_grant").exists()


def test_grant_service_rejects_bad_grants():
    secretariat, user = holder((Role.SECRETARIAT, None)), holder(None)
    with pytest.raises(ValidationError) as exc:
        services.role_grant_create(actor=secretariat, user=user, role="pope")
    assert "role" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.role_grant_create(actor=secretariat, user=user, role=Role.MODERATOR, scope=scope("THA"))
    assert "scope_id" in exc.value.message_dict
    services.role_grant_create(actor=secretariat, user=user, role=Role.FOCAL_POINT, scope=scope("THA"))
    with pytest.raises(ValidationError):
        services.role_grant_create(actor=secretariat, user=user, role=Role.FOCAL_POINT, scope=scope("THA"))
    assert RoleGrant.objects.filter(user=user).count() == 1


# --- Admin -----------------------------------------------------------------------------------------

@pytest.fixture
def superuser(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def test_admin_adds_a_grant_through_the_service(client, superuser):
    user, tha = UserFactory(), scope("THA")
    country_type = RoleGrant._meta.get_field("scope_type").related_model.objects.get_for_model(Country)
    response = client.post(reverse("admin:core_rolegrant_add"), {
        "user": user.pk, "role": Role.FOCAL_POINT, "scope_type": country_type.pk, "scope_id": tha.pk})
    assert response.status_code == 302, response.content.decode()
    grant = RoleGrant.objects.get(user=user)
    assert grant.scope == tha and grant.granted_by == superuser
    assert AuditLog.objects.get(action="accounts.role_grant.create").actor == superuser
    assert client.get(reverse("admin:core_rolegrant_change", args=[grant.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 200


def test_admin_refuses_a_missing_scope_or_a_scoped_global_role(client, superuser):
    user = UserFactory()
    country_type = RoleGrant._meta.get_field("scope_type").related_model.objects.get_for_model(Country)
    for data in ({"role": Role.FOCAL_POINT, "scope_type": country_type.pk, "scope_id": 999999},
                 {"role": Role.MODERATOR, "scope_type": country_type.pk, "scope_id": scope("THA").pk},
                 {"role": Role.FOCAL_POINT, "scope_type": country_type.pk, "scope_id": ""}):
        response = client.post(reverse("admin:core_rolegrant_add"), {"user": user.pk, **data})
        assert response.status_code == 200, data  # the form again, with its error
    assert not RoleGrant.objects.filter(user=user).exists()


def test_admin_deletes_grants_through_the_service(client, superuser):
    one, two = grant_role(UserFactory(), Role.MODERATOR), grant_role(UserFactory(), Role.MODERATOR)
    response = client.post(reverse("admin:core_rolegrant_delete", args=[one.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(reverse("admin:core_rolegrant_changelist"),
                           {"action": "delete_selected", "_selected_action": [two.pk], "post": "yes"})
    assert response.status_code == 302
    assert not RoleGrant.objects.exists()
    assert AuditLog.objects.filter(action="accounts.role_grant.revoke").count() == 2
