"""API of the accounts app: the public organisation list and detail, and the signed-in user (/me)."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.pagination import paginate

from wsis.api.pagination import BoundedLimitOffsetPagination

from . import selectors
from .auth import api_auth

router = Router(tags=["accounts"])

__all__ = ["router"]


class OrganisationOut(Schema):
    slug: str
    name: str
    acronym: str
    stakeholder_type: str
    stakeholder_type_name: str
    country: str
    country_name: str
    website: str

    # Resolvers read the joined rows, so a page is one query however many organisations it holds.
    @staticmethod
    def resolve_stakeholder_type(org) -> str:
        return org.stakeholder_type.code

    @staticmethod
    def resolve_stakeholder_type_name(org) -> str:
        return str(org.stakeholder_type.name)

    @staticmethod
    def resolve_country(org) -> str:
        return org.country.iso3

    @staticmethod
    def resolve_country_name(org) -> str:
        return str(org.country.name)


class OrganisationDetailOut(OrganisationOut):
    description: str
    iati_identifier: str


class MyOrganisationOut(Schema):
    slug: str
    name: str
    role: str


class RoleGrantOut(Schema):
    role: str
    scope_type: str | None
    scope_id: int | None
    scope: str | None


class MeOut(Schema):
    email: str
    full_name: str
    preferred_language: str
    organisations: list[MyOrganisationOut]
    roles: list[RoleGrantOut]


@router.get("/organisations", response=list[OrganisationOut], summary="Stakeholder organisations")
@paginate(BoundedLimitOffsetPagination)
def list_organisations(request, q: str = "", stakeholder_type: str = "", country: str = ""):
    """Organisations by name. Filter by ``stakeholder_type`` code (e.g. ``civil_society``), ``country``
    (ISO 3166 alpha-3) and ``q`` (part of the name or the acronym)."""
    filters = selectors.OrganisationFilters(q=q.strip(), stakeholder_type=stakeholder_type, country=country)
    return selectors.organisation_list(filters)


@router.get("/organisations/{slug}", response=OrganisationDetailOut, summary="One organisation")
def get_organisation(request, slug: str):
    return selectors.organisation_get(slug=slug)


@router.get("/me", response=MeOut, auth=api_auth, summary="The signed-in user, their organisations and roles")
def me(request):
    user = request.auth
    return {
        "email": user.email, "full_name": user.full_name, "preferred_language": user.preferred_language,
        "organisations": [{"slug": m.organisation.slug, "name": m.organisation.name, "role": m.role}
                          for m in selectors.user_memberships(user)],
        "roles": [{"role": g.role, "scope_type": g.scope_type.model if g.scope_type else None,
                   "scope_id": g.scope_id, "scope": str(g.scope) if g.scope_id and g.scope else None}
                  for g in selectors.user_role_grants(user)],
    }
