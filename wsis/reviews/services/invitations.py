"""Invitations of country focal points, delegations of response sections, deadline reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.accounts.models import User
from wsis.core.permissions import is_focal_point_of
from wsis.core.services import audit_record
from wsis.taxonomy.models import Country

from .. import emails, selectors
from ..models import Delegation, Invitation, QuestionnaireSection, Response, ReviewCycle
from ._common import (
    ERR_ALREADY_SUBMITTED,
    ERR_NOT_FOCAL_POINT,
    ERR_NOT_MEMBER,
    ERR_PUBLISHED_LOCKED,
    ERR_WRONG_ACCOUNT,
    _require_manager,
)

# ---------------------------------------------------------------------------------------------
# Invitations


def _check_member(cycle: ReviewCycle, country: Country) -> None:
    if not cycle.commission.memberships.filter(country=country).exists():
        raise ValidationError({"country": ERR_NOT_MEMBER % {"country": country.name,
                                                              "commission": cycle.commission.code}})


@transaction.atomic
def invitation_create(*, cycle: ReviewCycle, country: Country, email: str, actor,
                      site_url: str = "") -> Invitation:
    """Invite ``email`` to answer for ``country``; sends the link once committed.

    An address that already belongs to a focal point of the country is accepted at once (the link
    still goes out, as the notice that the questionnaire awaits them). Inviting the same address
    again re-sends the link.
    """
    _require_manager(actor, cycle)
    if cycle.state == ReviewCycle.State.PUBLISHED:
        raise ValidationError(ERR_PUBLISHED_LOCKED)
    _check_member(cycle, country)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    invitation, created = Invitation.objects.get_or_create(
        cycle=cycle, country=country, email=email, defaults={"invited_by": actor})
    if invitation.state == Invitation.State.REVOKED:
        invitation.state = Invitation.State.PENDING
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and invitation.state == Invitation.State.PENDING and is_focal_point_of(
            user, country):
        invitation.user, invitation.state, invitation.accepted_at = user, Invitation.State.ACCEPTED, timezone.now()
    invitation.sent_at = timezone.now()
    invitation.save()
    audit_record(actor=actor, action="reviews.invitation.create" if created else "reviews.invitation.resend",
                 target=invitation, summary=f"{cycle} {country.iso3} {email}")
    emails.send_invitation(invitation, site_url=site_url, language=getattr(user, "preferred_language", "") or "en")
    return invitation


@transaction.atomic
def invitation_invite_focal_points(*, cycle: ReviewCycle, actor, site_url: str = "") -> list[Invitation]:
    """Invite every registered focal point of every member state not invited yet."""
    _require_manager(actor, cycle)
    already = set(Invitation.objects.filter(cycle=cycle).values_list("country_id", "email"))
    made = []
    for country in selectors.commission_member_countries(cycle.commission):
        for user in selectors.focal_point_users(country):
            if (country.pk, user.email.lower()) in already:
                continue
            made.append(invitation_create(cycle=cycle, country=country, email=user.email, actor=actor,
                                          site_url=site_url))
    return made


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Invitation:
    """The invitee accepts: they may answer for the country in this cycle while the invitation stands.

    No role is granted: ``selectors.response_access`` derives the access from the accepted invitation
    on every request, so :func:`invitation_revoke` ends it (finding 1 of issue 13: a permanent
    country-wide focal-point grant outlived the revocation and opened earlier cycles too).
    """
    if invitation.state == Invitation.State.REVOKED:
        raise ValidationError(_("This invitation has been withdrawn."))
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(ERR_WRONG_ACCOUNT % {"email": invitation.email})
    if invitation.state != Invitation.State.ACCEPTED:
        invitation.state, invitation.user, invitation.accepted_at = (
            Invitation.State.ACCEPTED, user, timezone.now())
        invitation.save(update_fields=["state", "user", "accepted_at", "updated_at"])
        audit_record(actor=user, action="reviews.invitation.accept", target=invitation,
                     summary=f"{invitation.cycle} {invitation.country.iso3}")
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """Withdraw an invitation: the invitee's access to the country's response ends with it (access is
    derived from the accepted invitation per request; focal points holding the role keep theirs)."""
    _require_manager(actor, invitation.cycle)
    invitation.state = Invitation.State.REVOKED
    invitation.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="reviews.invitation.revoke", target=invitation,
                 summary=f"{invitation.cycle} {invitation.country.iso3} {invitation.email}")
    return invitation


# ---------------------------------------------------------------------------------------------
# Delegations


@transaction.atomic
def delegation_create(*, response: Response, email: str, sections: Iterable[QuestionnaireSection], actor,
                      site_url: str = "") -> Delegation:
    """A focal point hands some sections to a colleague, who gets a link by e-mail."""
    access = selectors.response_access(actor, response.cycle, response.country)
    if not access.is_focal_point:
        raise PermissionDenied(ERR_NOT_FOCAL_POINT)
    if response.state == Response.State.SUBMITTED:
        raise ValidationError(ERR_ALREADY_SUBMITTED)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    sections = [s for s in sections if s.questionnaire.cycle_id == response.cycle_id]
    if not sections:
        raise ValidationError({"sections": _("Choose at least one section.")})
    delegation = Delegation.objects.create(response=response, email=email, delegated_by=actor)
    delegation.sections.set(sections)
    user = User.objects.filter(email__iexact=email).first()
    audit_record(actor=actor, action="reviews.delegation.create", target=delegation,
                 summary=f"{response.country.iso3} → {email}: {', '.join(s.display_title for s in sections)}")
    emails.send_delegation(delegation, site_url=site_url,
                           language=getattr(user, "preferred_language", "") or "en")
    return delegation


@transaction.atomic
def delegation_accept(*, delegation: Delegation, user) -> Delegation:
    if delegation.revoked:
        raise ValidationError(_("This delegation has been withdrawn."))
    if user.email.lower() != delegation.email.lower():
        raise PermissionDenied(ERR_WRONG_ACCOUNT % {"email": delegation.email})
    if delegation.user_id != user.pk:
        delegation.user, delegation.accepted_at = user, timezone.now()
        delegation.save(update_fields=["user", "accepted_at", "updated_at"])
        audit_record(actor=user, action="reviews.delegation.accept", target=delegation, summary=delegation.email)
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, actor) -> Delegation:
    access = selectors.response_access(actor, delegation.response.cycle, delegation.response.country)
    if not (access.is_focal_point or access.is_reviewer):
        raise PermissionDenied(ERR_NOT_FOCAL_POINT)
    delegation.revoked = True
    delegation.save(update_fields=["revoked", "updated_at"])
    audit_record(actor=actor, action="reviews.delegation.revoke", target=delegation, summary=delegation.email)
    return delegation


# ---------------------------------------------------------------------------------------------
# Reminders


def reminders_send(*, today: dt.date | None = None, days_before: int = 7, site_url: str = "",
                   dry_run: bool = False) -> list[Invitation]:
    """Remind the invitees of open cycles whose deadline falls within ``days_before`` days and whose
    country has not submitted; at most one reminder per invitation per day. Returns those reminded."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days_before)
    due = (Invitation.objects.filter(cycle__state=ReviewCycle.State.OPEN, cycle__closes_on__gte=today,
                                     cycle__closes_on__lte=horizon)
           .exclude(state=Invitation.State.REVOKED)
           .select_related("cycle__commission", "country", "user"))
    submitted = set(Response.objects.filter(state=Response.State.SUBMITTED,
                                            cycle__in={i.cycle_id for i in due}).values_list("cycle_id",
                                                                                             "country_id"))
    reminded = []
    for invitation in due:
        if (invitation.cycle_id, invitation.country_id) in submitted:
            continue
        if invitation.last_reminded_at and timezone.localdate(invitation.last_reminded_at) >= today:
            continue
        reminded.append(invitation)
        if dry_run:
            continue
        with transaction.atomic():
            invitation.last_reminded_at = timezone.now()
            invitation.save(update_fields=["last_reminded_at", "updated_at"])
            audit_record(actor=None, action="reviews.invitation.remind", target=invitation,
                         summary=f"{invitation.cycle} {invitation.country.iso3} {invitation.email}")
            emails.send_reminder(invitation, site_url=site_url,
                                 language=getattr(invitation.user, "preferred_language", "") or "en",
                                 days_left=(invitation.cycle.closes_on - today).days)
    return reminded


