"""Reads about users: which roles they hold, which organisations they belong to."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import ApiToken, Membership, Organisation, OrganisationInvitation, RoleGrant

__all__ = [
    "user_has_role",
    "user_role_scopes",
    "user_organisations",
    "user_is_org_admin",
    "user_is_org_member",
    "user_can_manage_org",
    "user_exists",
    "OrganisationFilters",
    "organisation_list",
    "organisation_get",
    "organisation_members",
    "organisation_pending_invitations",
    "membership_get",
    "invitation_get",
    "user_memberships",
    "user_role_grants",
    "user_api_tokens",
]


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


def user_can_manage_org(user, organisation: Organisation) -> bool:
    """Organisation admins manage their organisation (details, members); the secretariat may step in."""
    return user_is_org_admin(user, organisation) or user_has_role(user, RoleGrant.Role.SECRETARIAT)


def user_exists(*, email: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).exists()


# --- Organisations, members, invitations, tokens (pages and API) ---------------------------------

@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    stakeholder_type: str = ""  # StakeholderType.code
    country: str = ""  # Country.iso3


def organisation_list(filters: OrganisationFilters | None = None) -> models.QuerySet[Organisation]:
    """Organisations matching the filters, by name, with their type and country joined."""
    filters = filters or OrganisationFilters()
    qs = Organisation.objects.select_related("stakeholder_type", "country")
    if filters.q:
        qs = qs.filter(models.Q(name__icontains=filters.q) | models.Q(acronym__icontains=filters.q))
    if filters.stakeholder_type:
        qs = qs.filter(stakeholder_type__code=filters.stakeholder_type)
    if filters.country:
        qs = qs.filter(country__iso3__iexact=filters.country)
    return qs.order_by("name", "pk")


def organisation_get(*, slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("stakeholder_type", "country"), slug=slug)


def organisation_members(organisation: Organisation) -> models.QuerySet[Membership]:
    """Members with their role: administrators first, then by name."""
    role_order = models.Case(models.When(role=Membership.Role.ADMIN, then=0), default=1)
    return (Membership.objects.filter(organisation=organisation).select_related("user")
            .order_by(role_order, "user__full_name", "user__email"))


def organisation_pending_invitations(organisation: Organisation) -> models.QuerySet[OrganisationInvitation]:
    return (OrganisationInvitation.objects.filter(organisation=organisation, accepted_at__isnull=True,
                                                  cancelled_at__isnull=True, expires_at__gt=timezone.now())
            .select_related("invited_by").order_by("-created_at"))


def membership_get(*, organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "organisation"),
                             organisation=organisation, pk=pk)


def invitation_get(*, organisation: Organisation, pk: int) -> OrganisationInvitation:
    return get_object_or_404(OrganisationInvitation.objects.select_related("organisation"),
                             organisation=organisation, pk=pk)


def user_memberships(user) -> models.QuerySet[Membership]:
    """The user's memberships with their organisations, by organisation name."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (Membership.objects.filter(user=user)
            .select_related("organisation__stakeholder_type", "organisation__country")
            .order_by("organisation__name"))


def user_role_grants(user) -> list[RoleGrant]:
    """The user's role grants with their scope objects loaded (one query per scope model)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(RoleGrant.objects.filter(user=user).select_related("scope_type")
                .prefetch_related("scope").order_by("role", "pk"))


def user_api_tokens(user) -> models.QuerySet[ApiToken]:
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created")
