"""Reads about users: which roles they hold, which organisations they belong to."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Membership, Organisation, RoleGrant

__all__ = ["user_has_role", "user_role_scopes", "user_organisations", "user_is_org_admin", "user_is_org_member"]


def user_has_role(user, role: str, scope: models.Model | None = None) -> bool:
    """True if ``user`` holds ``role`` — globally, or for ``scope`` when one is given.

    Superusers and the secretariat pass every check; a global grant also covers every scope.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    grants = RoleGrant.objects.filter(user=user)
    if grants.filter(role=RoleGrant.Role.SECRETARIAT).exists():
        return True
    grants = grants.filter(role=role)
    if scope is None:
        return grants.exists()
    ct = ContentType.objects.get_for_model(scope)
    return grants.filter(models.Q(scope_id__isnull=True) | models.Q(scope_type=ct, scope_id=scope.pk)).exists()


def user_role_scopes(user, role: str, model: type[models.Model]) -> models.QuerySet:
    """The objects of ``model`` for which ``user`` holds ``role`` (all of them for a global grant)."""
    if not getattr(user, "is_authenticated", False):
        return model.objects.none()
    grants = RoleGrant.objects.filter(user=user)
    if user.is_superuser or grants.filter(role=RoleGrant.Role.SECRETARIAT).exists():
        return model.objects.all()
    grants = grants.filter(role=role)
    if grants.filter(scope_id__isnull=True).exists():
        return model.objects.all()
    ct = ContentType.objects.get_for_model(model)
    return model.objects.filter(pk__in=grants.filter(scope_type=ct).values("scope_id"))


def user_organisations(user) -> models.QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).select_related("country", "stakeholder_type")


def user_is_org_member(user, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def user_is_org_admin(user, organisation: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role=Membership.Role.ADMIN).exists()
