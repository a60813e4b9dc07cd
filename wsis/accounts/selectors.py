"""Reads about users: which organisations they belong to, and the list of their role grants.

Role *checks* are predicates in ``wsis.core.permissions``."""

from dataclasses import dataclass

from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from wsis.core.permissions import RoleGrant, is_secretariat

from .models import ApiToken, Membership, Organisation, OrganisationInvitation

__all__ = [
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
    return user_is_org_admin(user, organisation) or is_secretariat(user)


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
    return ApiToken.objects.filter(user=user).select_related("user").order_by("-created")
