"""Who holds which role, in one module: the Role enum, the user's grants and the named predicates.

Every role check of the platform goes through a predicate here (``can_moderate(user)``,
``is_facilitator_of(user, action_line)``, ``can_review_commission(user, commission)`` …); no other
module queries ``RoleGrant``. The grants of a user are read in ONE query, the first time a predicate
asks, and kept on the user object. Django builds a fresh ``request.user`` for every request, so a
request costs at most one query for all its role checks and a grant or revocation is seen by the
next request. The grant services (``accounts.services.role_grant_create`` / ``role_grant_revoke``)
call :func:`grants_forget` so that the same request sees its own change too.

Rules (DESIGN.md §4): superusers and the secretariat pass every check; a grant without a scope
covers every object of the role's scope model; a scoped grant covers exactly its object.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Role, RoleGrant

__all__ = [
    "Role",
    "RoleGrant",
    "GLOBAL_ROLES",
    "Grants",
    "grants_of",
    "grants_forget",
    "has_role",
    "role_scope",
    "is_secretariat",
    "can_moderate",
    "is_facilitator_of",
    "facilitated",
    "is_cofacilitator_of",
    "can_contribute_to_action_line",
    "contributed_action_lines",
    "can_review_commission",
    "reviewed_commissions",
    "is_focal_point_of",
    "focal_point_countries",
    "is_prize_expert_of",
    "role_holders",
]

#: Roles that make sense only without a scope.
GLOBAL_ROLES = frozenset({Role.SECRETARIAT, Role.MODERATOR})

#: Attribute of the user object under which its grants are kept for the rest of the request.
_CACHE_ATTR = "_wsis_role_grants"


@dataclass(frozen=True)
class Grants:
    """The roles one user holds. ``everything`` is true for superusers and the secretariat.

    ``scopes`` maps a role to the scopes it is held for: ``None`` in the set stands for a grant
    without a scope (every object); other members are ``(app_label, model_name, pk)`` triples.
    """

    everything: bool = False
    scopes: dict[str, frozenset] = field(default_factory=dict)

    def has(self, role: str, scope: models.Model | None = None) -> bool:
        if self.everything:
            return True
        held = self.scopes.get(role)
        if not held:
            return False
        if scope is None or None in held:
            return True
        return (scope._meta.app_label, scope._meta.model_name, scope.pk) in held

    def scope_ids(self, role: str, model: type[models.Model]) -> set | None:
        """The primary keys of ``model`` the role is held for; ``None`` means all of them."""
        if self.everything:
            return None
        held = self.scopes.get(role, frozenset())
        if None in held:
            return None
        label, name = model._meta.app_label, model._meta.model_name
        return {pk for (app, mod, pk) in (s for s in held if s is not None) if (app, mod) == (label, name)}


_NOBODY = Grants()


def grants_of(user) -> Grants:
    """The user's grants, read once (one query) and kept on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return _NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        grants = Grants(everything=True)
    else:
        scopes: dict[str, set] = {}
        rows = RoleGrant.objects.filter(user_id=user.pk).values_list(
            "role", "scope_type__app_label", "scope_type__model", "scope_id")
        for role, app_label, model_name, scope_id in rows:
            scopes.setdefault(role, set()).add(
                (app_label, model_name, scope_id) if scope_id is not None and app_label else None)
        grants = Grants(everything=Role.SECRETARIAT in scopes,
                        scopes={role: frozenset(s) for role, s in scopes.items()})
    # request.user is a SimpleLazyObject; setattr reaches the wrapped user.
    setattr(user, _CACHE_ATTR, grants)
    return grants


def grants_forget(user) -> None:
    """Drop the grants kept on ``user`` so that the next check reads them again."""
    with contextlib.suppress(AttributeError):
        delattr(user, _CACHE_ATTR)


def has_role(user, role: str, scope: models.Model | None = None) -> bool:
    """True if ``user`` holds ``role`` — at all, or for ``scope`` when one is given.

    Prefer a named predicate below; this is their common ground and the place for a new one.
    """
    return grants_of(user).has(role, scope)


def role_scope(user, role: str, model: type[models.Model]) -> models.QuerySet:
    """The objects of ``model`` for which ``user`` holds ``role`` (all of them for a global grant)."""
    ids = grants_of(user).scope_ids(role, model)
    if ids is None:
        return model.objects.all() if getattr(user, "is_authenticated", False) else model.objects.none()
    return model.objects.filter(pk__in=ids)


def role_holders(role: str, scope: models.Model | None = None) -> list:
    """The users granted ``role`` for exactly ``scope``, or without a scope when ``scope`` is None.

    Holders of a global grant are not listed for a scope (nor the secretariat): this answers "whom
    to write to about this country", not "who may act on it" — ask a predicate for that.
    """
    if scope is None:
        grants = RoleGrant.objects.filter(role=role, scope_id__isnull=True)
    else:
        grants = RoleGrant.objects.filter(role=role, scope_type=ContentType.objects.get_for_model(scope),
                                          scope_id=scope.pk)
    return [grant.user for grant in grants.select_related("user").order_by("pk")]


# --- Named predicates: what the call sites ask -----------------------------------------------------

def is_secretariat(user) -> bool:
    """The WSIS secretariat (and superusers): imports, forum programme, managing any organisation."""
    return has_role(user, Role.SECRETARIAT)


def can_moderate(user) -> bool:
    """Moderators of the stocktaking (and the secretariat): review initiatives, accept suggested tags."""
    return has_role(user, Role.MODERATOR)


def is_facilitator_of(user, action_line) -> bool:
    """Facilitators of this action line (or of all of them): edit its Matrix links, see its dashboard."""
    return has_role(user, Role.FACILITATOR, action_line)


def facilitated(user, model: type[models.Model]) -> models.QuerySet:
    """The action lines (``model``) the user facilitates."""
    return role_scope(user, Role.FACILITATOR, model)


def is_cofacilitator_of(user, action_line) -> bool:
    """Co-facilitators of this action line: contribute to its road map (status updates) and its agency
    reports, but do not edit the road map itself (issue 18)."""
    return has_role(user, Role.CO_FACILITATOR, action_line)


def can_contribute_to_action_line(user, action_line) -> bool:
    """Lead facilitators and co-facilitators of the action line: status updates, agency contributions."""
    grants = grants_of(user)
    return grants.has(Role.FACILITATOR, action_line) or grants.has(Role.CO_FACILITATOR, action_line)


def contributed_action_lines(user, model: type[models.Model]) -> models.QuerySet:
    """The action lines (``model``) the user facilitates or co-facilitates."""
    return (role_scope(user, Role.FACILITATOR, model) | role_scope(user, Role.CO_FACILITATOR, model)).distinct()


def can_review_commission(user, commission) -> bool:
    """Regional reviewers of this commission: run its review cycles, review its forum submissions."""
    return has_role(user, Role.REGIONAL_REVIEWER, commission)


def reviewed_commissions(user, model: type[models.Model]) -> models.QuerySet:
    """The regional commissions (``model``) the user reviews for."""
    return role_scope(user, Role.REGIONAL_REVIEWER, model)


def is_focal_point_of(user, country) -> bool:
    """National focal points of this country: answer its review questionnaires."""
    return has_role(user, Role.FOCAL_POINT, country)


def focal_point_countries(user, model: type[models.Model]) -> models.QuerySet:
    """The countries (``model``) the user is a focal point of."""
    return role_scope(user, Role.FOCAL_POINT, model)


def is_prize_expert_of(user, contest) -> bool:
    """Members of a prize contest's Expert Group (a grant for the contest, or for every contest).

    Which categories an expert reviews, and the organisations they may not review, the prizes app
    decides on top of this (its assignments and conflict-of-interest declarations).
    """
    return has_role(user, Role.PRIZE_EXPERT, contest)
