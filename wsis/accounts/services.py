"""Writes of the accounts app: sign-up and e-mail verification, organisations, members, invitations, API tokens.

Every function is keyword-only, atomic, checks permission, validates with ``full_clean`` and writes
an audit row; e-mails go out after the commit (``wsis.core.mail``). Permission failures raise
``PermissionDenied``; bad input raises ``ValidationError`` with a message naming the field.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wsis.core.concurrency import version_claim
from wsis.core.events import ORGANISATION_CHANGED, emit
from wsis.core.mail import absolute_url, mail_send
from wsis.core.permissions import GLOBAL_ROLES, Role, RoleGrant, grants_forget, is_secretariat
from wsis.core.services import audit_record

from .models import ApiToken, Membership, Organisation, OrganisationInvitation, User, password_fingerprint
from .selectors import user_can_manage_org

__all__ = [
    "ERR_LINK_INVALID",
    "ERR_LINK_EXPIRED",
    "ERR_NOT_ORG_ADMIN",
    "ERR_LAST_ADMIN",
    "ERR_ALREADY_MEMBER",
    "ERR_INVITATION_INVALID",
    "ERR_INVITATION_EXPIRED",
    "ERR_INVITATION_USED",
    "ERR_INVITATION_WRONG_USER",
    "INVITATION_VALID_DAYS",
    "email_verification_token",
    "user_sign_up",
    "user_send_verification",
    "user_resend_verification",
    "user_verify_email",
    "user_mark_email_verified",
    "user_set_language",
    "organisation_create",
    "organisation_update",
    "invitation_create",
    "invitation_get_by_token",
    "invitation_accept",
    "invitation_cancel",
    "membership_set_role",
    "membership_remove",
    "api_token_create",
    "api_token_revoke",
    "api_token_max_days",
    "role_grant_create",
    "role_grant_revoke",
    "hash_secret",
]

ERR_LINK_INVALID = _("This verification link is not valid. Ask for a new one below.")
ERR_LINK_EXPIRED = _("This verification link has expired. Ask for a new one below.")
ERR_NOT_ORG_ADMIN = _("Only administrators of this organisation can do this.")
ERR_LAST_ADMIN = _("An organisation needs at least one administrator: make another member an administrator first.")
ERR_ALREADY_MEMBER = _("This person is already a member of the organisation.")
ERR_INVITATION_INVALID = _("This invitation link is not valid.")
ERR_INVITATION_EXPIRED = _("This invitation has expired. Ask an administrator of the organisation for a new one.")
ERR_INVITATION_USED = _("This invitation has already been used or was cancelled.")
ERR_INVITATION_WRONG_USER = _(
    "This invitation was sent to another e-mail address. Sign in with the address that received it."
)

VERIFY_SALT = "wsis.accounts.verify-email"
INVITATION_VALID_DAYS = 14
RESERVED_SLUGS = {"new"}
RESEND_INTERVAL_SECONDS = 60


def _verification_max_age() -> int:
    """Seconds a verification link stays valid (``ACCOUNTS_VERIFICATION_MAX_AGE``, three days by default)."""
    return int(getattr(settings, "ACCOUNTS_VERIFICATION_MAX_AGE", 3 * 24 * 3600))


def hash_secret(secret: str) -> str:
    """SHA-256 hex digest: tokens are long random strings, so a fast hash without salt is enough."""
    return hashlib.sha256(secret.encode()).hexdigest()


# --- Sign-up and e-mail verification -------------------------------------------------------------

def email_verification_token(user: User) -> str:
    """A signed, timestamped token naming the user and the address being verified.

    The address is part of the signature, so a link stops working if the address changes.
    """
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=True)


@transaction.atomic
def user_sign_up(*, email: str, full_name: str, password: str, preferred_language: str = "en",
                 site_url: str = "", next_url: str = "") -> User | None:
    """Create an account that cannot sign in until its e-mail address is verified, and send the link.

    When the address already has an account, nothing is created and the owner is told by e-mail
    (with links to sign in and to reset the password); the caller shows the visitor the same page
    as for a new account, so the form does not reveal who has one. Returns None then.
    """
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        _user_sign_up_existing(user=existing, site_url=site_url)
        return None
    user = User(email=email, full_name=full_name.strip(), preferred_language=preferred_language,
                email_verified=False, is_active=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=user, action="accounts.user.sign_up", target=user, summary=email)
    user_send_verification(user=user, site_url=site_url, next_url=next_url)
    return user


def _user_sign_up_existing(*, user: User, site_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it (at most once an hour)."""
    if not cache.add(f"accounts:sign-up-existing:{user.pk}", 1, timeout=3600):
        return
    audit_record(actor=None, action="accounts.user.sign_up_existing", target=user, summary=user.email)
    language = user.preferred_language
    mail_send(user=user, template="accounts/sign_up_existing", context={
        "login_link": absolute_url(site_url, "accounts:login", language=language),
        "reset_link": absolute_url(site_url, "accounts:password_reset", language=language),
    })


def user_send_verification(*, user: User, site_url: str = "", next_url: str = "") -> None:
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    link = absolute_url(site_url, "accounts:verify-email", language=user.preferred_language,
                        args=[email_verification_token(user)], query=query)
    mail_send(user=user, template="accounts/verify_email",
              context={"link": link, "valid_days": _verification_max_age() // 86400})


@transaction.atomic
def user_resend_verification(*, email: str, site_url: str = "", next_url: str = "") -> bool:
    """Send a new link if an unverified account has this address. Says nothing either way to the caller's
    visitor (the view shows the same message) so that the form does not reveal who has an account."""
    user = User.objects.filter(email__iexact=email.strip(), email_verified=False, is_active=True).first()
    if user is None:
        return False
    # One mail a minute per address at most, so the form cannot be used to flood someone's inbox.
    if not cache.add(f"accounts:resend-verification:{user.pk}", 1, timeout=RESEND_INTERVAL_SECONDS):
        return False
    audit_record(actor=None, action="accounts.user.resend_verification", target=user, summary=user.email)
    user_send_verification(user=user, site_url=site_url, next_url=next_url)
    return True


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=_verification_max_age())
    except signing.SignatureExpired as exc:
        raise ValidationError(ERR_LINK_EXPIRED, code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(ERR_LINK_INVALID, code="invalid") from exc
    user = User.objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or user.email != payload.get("e"):
        raise ValidationError(ERR_LINK_INVALID, code="invalid")
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        audit_record(actor=user, action="accounts.user.verify_email", target=user, summary=user.email)
    return user


@transaction.atomic
def user_mark_email_verified(*, user: User, reason: str) -> None:
    """Mark the address verified after another proof of control (a password-reset link, an invitation)."""
    if user.email_verified:
        return
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    audit_record(actor=user, action="accounts.user.verify_email", target=user, summary=reason)


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Choose one of the listed languages.")})
    if user.preferred_language != language:
        old = user.preferred_language
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit_record(actor=user, action="accounts.user.change_language", target=user,
                     data={"from": old, "to": language})
    return user


# --- Organisations -------------------------------------------------------------------------------

def _unique_slug(name: str, acronym: str = "", exclude_pk: int | None = None) -> str:
    base = slugify(name)[:100].strip("-") or slugify(acronym)[:100].strip("-") or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).exclude(pk=exclude_pk)
                .values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


ORGANISATION_FIELDS = ("name", "acronym", "stakeholder_type", "country", "website", "description", "iati_identifier")


@transaction.atomic
def organisation_create(*, actor: User, name: str, stakeholder_type, country, acronym: str = "",
                        website: str = "", description: str = "", iati_identifier: str = "") -> Organisation:
    """Create an organisation; its creator becomes its first administrator."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    org = Organisation(name=name.strip(), acronym=acronym.strip(), stakeholder_type=stakeholder_type,
                       country=country, website=website, description=description,
                       iati_identifier=iati_identifier.strip())
    org.slug = _unique_slug(org.name, org.acronym)
    org.full_clean()
    org.save()
    Membership.objects.create(user=actor, organisation=org, role=Membership.Role.ADMIN)
    audit_record(actor=actor, action="accounts.organisation.create", target=org, summary=org.name)
    # A new name to search by (stocktaking caches which organisations a word names).
    emit(ORGANISATION_CHANGED, organisation_ids=[org.pk], fields=["name"])
    return org


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, expected_version: int | None = None,
                        **changes) -> Organisation:
    """Change an organisation's details (administrators, the secretariat and superusers).

    ``expected_version``: the ``lock_version`` the editor started from (ConflictError if it moved on).
    """
    if not user_can_manage_org(actor, organisation):
        raise PermissionDenied(ERR_NOT_ORG_ADMIN)
    version_claim(organisation, expected_version=expected_version)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    changed = {}
    for field, value in changes.items():
        old = getattr(organisation, field)
        if old != value:
            changed[field] = [str(old), str(value)]
            setattr(organisation, field, value)
    if not changed:
        return organisation
    organisation.full_clean()
    organisation.save()
    audit_record(actor=actor, action="accounts.organisation.update", target=organisation,
                 summary=organisation.name, data={"changed": changed})
    # Search files the organisation's initiatives under its stakeholder type (core/events.py).
    emit(ORGANISATION_CHANGED, organisation_ids=[organisation.pk], fields=sorted(changed))
    return organisation



# --- Invitations ---------------------------------------------------------------------------------

@transaction.atomic
def invitation_create(*, actor: User, organisation: Organisation, email: str, role: str,
                      site_url: str = "") -> tuple[OrganisationInvitation, str]:
    """Invite ``email`` to join with ``role``; returns the invitation and the secret token of its link.

    A new invitation to the same address replaces a pending one (the old link stops working).
    """
    if not user_can_manage_org(actor, organisation):
        raise PermissionDenied(ERR_NOT_ORG_ADMIN)
    email = User.objects.normalize_email(email).strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": ERR_ALREADY_MEMBER})
    now = timezone.now()
    OrganisationInvitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=now)
    token = secrets.token_urlsafe(32)
    invitation = OrganisationInvitation(
        organisation=organisation, email=email, role=role, token_hash=hash_secret(token), invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="accounts.invitation.send", target=organisation,
                 summary=email, data={"invitation": invitation.pk, "role": role})
    existing = User.objects.filter(email__iexact=email).only("preferred_language").first()
    language = existing.preferred_language if existing else (getattr(actor, "preferred_language", "") or "en")
    link = absolute_url(site_url, "accounts:invitation", language=language, args=[token])
    mail_send(to=email, template="accounts/invitation", language=language, context={
        "organisation": organisation, "inviter": actor, "link": link, "role": invitation.get_role_display(),
        "valid_days": INVITATION_VALID_DAYS,
    })
    return invitation, token


def invitation_get_by_token(*, token: str) -> OrganisationInvitation:
    """The invitation behind a link, whatever its state; ``ValidationError`` when there is none."""
    invitation = (OrganisationInvitation.objects.select_related("organisation", "invited_by")
                  .filter(token_hash=hash_secret(token or "")).first())
    if invitation is None:
        raise ValidationError(ERR_INVITATION_INVALID, code="invalid")
    return invitation


@transaction.atomic
def invitation_accept(*, actor: User, token: str) -> Membership:
    """The signed-in invitee joins the organisation. The invitation must be theirs, pending and unexpired."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    invitation = invitation_get_by_token(token=token)
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.cancelled_at:
        raise ValidationError(ERR_INVITATION_USED, code="used")
    if invitation.is_expired:
        raise ValidationError(ERR_INVITATION_EXPIRED, code="expired")
    if invitation.email.lower() != actor.email.lower():
        raise ValidationError(ERR_INVITATION_WRONG_USER, code="wrong_user")
    membership, created = Membership.objects.get_or_create(
        user=actor, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Membership.Role.ADMIN and membership.role != Membership.Role.ADMIN:
        # An invitation never lowers a role, but it may raise an editor to administrator.
        membership.role = Membership.Role.ADMIN
        membership.save(update_fields=["role", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    # The link reached this address, which proves control of it.
    user_mark_email_verified(user=actor, reason="invitation")
    audit_record(actor=actor, action="accounts.invitation.accept", target=invitation.organisation,
                 summary=actor.email, data={"invitation": invitation.pk, "role": membership.role})
    return membership


@transaction.atomic
def invitation_cancel(*, actor: User, invitation: OrganisationInvitation) -> OrganisationInvitation:
    if not user_can_manage_org(actor, invitation.organisation):
        raise PermissionDenied(ERR_NOT_ORG_ADMIN)
    if invitation.accepted_at or invitation.cancelled_at:
        raise ValidationError(ERR_INVITATION_USED, code="used")
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at", "updated_at"])
    audit_record(actor=actor, action="accounts.invitation.cancel", target=invitation.organisation,
                 summary=invitation.email, data={"invitation": invitation.pk})
    return invitation


# --- Memberships ---------------------------------------------------------------------------------

def _other_admins_exist(membership: Membership) -> bool:
    # Lock the organisation's admin rows so two admins demoting each other at once cannot both succeed.
    admins = (Membership.objects.select_for_update()
              .filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
              .exclude(pk=membership.pk))
    return len(list(admins.values_list("pk", flat=True))) > 0


@transaction.atomic
def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    if not user_can_manage_org(actor, membership.organisation):
        raise PermissionDenied(ERR_NOT_ORG_ADMIN)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.ADMIN and not _other_admins_exist(membership):
        raise ValidationError(ERR_LAST_ADMIN, code="last_admin")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(actor=actor, action="accounts.membership.change_role", target=membership.organisation,
                 summary=membership.user.email, data={"user": membership.user_id, "from": old, "to": role})
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a member (administrators), or leave an organisation (the member themself)."""
    if membership.user_id != getattr(actor, "pk", None) and not user_can_manage_org(actor, membership.organisation):
        raise PermissionDenied(ERR_NOT_ORG_ADMIN)
    if membership.role == Membership.Role.ADMIN and not _other_admins_exist(membership):
        raise ValidationError(ERR_LAST_ADMIN, code="last_admin")
    organisation, email, user_id = membership.organisation, membership.user.email, membership.user_id
    membership.delete()
    audit_record(actor=actor, action="accounts.membership.remove", target=organisation, summary=email,
                 data={"user": user_id})


# --- Role grants ---------------------------------------------------------------------------------

ERR_NOT_SECRETARIAT = _("Only the secretariat can give or withdraw roles.")
ERR_ROLE_UNKNOWN = _("Choose one of the listed roles.")
ERR_ROLE_GLOBAL = _("This role is held for the whole platform; it takes no scope.")
ERR_ROLE_HELD = _("This person already holds this role for this scope.")


@transaction.atomic
def role_grant_create(*, actor: User | None, user: User, role: str, scope=None,
                      granted_by: User | None = None) -> RoleGrant:
    """Give ``user`` a role, for ``scope`` (a country, a commission, an action line…) or for everything.

    The secretariat gives roles; ``actor=None`` is the platform itself acting on a right checked by
    the caller (a focal point accepting a review invitation). The user's cached grants are dropped,
    so the change shows in this request as well as the next one.
    """
    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied(ERR_NOT_SECRETARIAT)
    if role not in Role.values:
        raise ValidationError({"role": ERR_ROLE_UNKNOWN})
    if role in GLOBAL_ROLES and scope is not None:
        raise ValidationError({"scope_id": ERR_ROLE_GLOBAL})
    grant = RoleGrant(user=user, role=role, scope=scope, granted_by=granted_by or actor)
    held = RoleGrant.objects.filter(user=user, role=role, scope_type=grant.scope_type, scope_id=grant.scope_id)
    if held.exists():
        raise ValidationError(ERR_ROLE_HELD, code="held")
    grant.full_clean()
    grant.save()
    grants_forget(user)
    audit_record(actor=actor, action="accounts.role_grant.create", target=user,
                 summary=f"{role} {scope}" if scope is not None else role,
                 data={"grant": grant.pk, "role": role, "scope_type": grant.scope_type_id,
                       "scope_id": grant.scope_id, "granted_by": grant.granted_by_id})
    return grant


@transaction.atomic
def role_grant_revoke(*, actor: User | None, grant: RoleGrant) -> None:
    """Withdraw a role. It stops counting from the next request (and at once for this ``grant.user``)."""
    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied(ERR_NOT_SECRETARIAT)
    user, data = grant.user, {"grant": grant.pk, "role": grant.role, "scope_type": grant.scope_type_id,
                              "scope_id": grant.scope_id}
    grant.delete()
    grants_forget(user)
    if actor is not None and actor.pk == user.pk:
        grants_forget(actor)
    audit_record(actor=actor, action="accounts.role_grant.revoke", target=user, summary=data["role"], data=data)


# --- API tokens ----------------------------------------------------------------------------------

TOKEN_PREFIX = "wsis_"


def api_token_max_days() -> int:
    """The longest lifetime of a token, in days (``API_TOKEN_MAX_DAYS``, a year by default)."""
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))


@transaction.atomic
def api_token_create(*, user: User, name: str, scope: str = ApiToken.Scope.READ,
                     days: int | None = None) -> tuple[ApiToken, str]:
    """A new personal API token; the key is returned once and only its hash is kept.

    ``scope`` is ``read`` or ``write``; the token expires after ``days`` (at most ``API_TOKEN_MAX_DAYS``)
    and when the user's password changes.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    max_days = api_token_max_days()
    days = max_days if days is None else days
    if not 1 <= days <= max_days:
        raise ValidationError({"days": _("A token lasts from 1 to %(max)d days.") % {"max": max_days}})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), key_hash=hash_secret(key), prefix=key[:12], scope=scope,
                     expires_at=timezone.now() + timedelta(days=days),
                     password_fingerprint=password_fingerprint(user))
    token.full_clean()
    token.save()
    audit_record(actor=user, action="accounts.api_token.create", target=token, summary=token.name,
                 data={"scope": token.scope, "expires_at": token.expires_at.isoformat()})
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != getattr(user, "pk", None):
        raise PermissionDenied
    audit_record(actor=user, action="accounts.api_token.revoke", target=token, summary=token.name)
    token.delete()
