"""E-mails of the regional reviews: invitations, delegations, reminders and submission notices.

Plain text, rendered in the recipient's language when it is known, sent after the commit so that
no mail speaks of a change that was rolled back.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from wsis.accounts.emails import absolute_url

__all__ = ["send_invitation", "send_delegation", "send_reminder", "send_submitted_notice"]


def _send(*, to: list[str], template: str, context: dict, language: str) -> None:
    base = f"reviews/email/{template}"
    with translation.override(language or "en"):
        context = {"SITE_NAME": settings.SITE_NAME, **context}
        subject = render_to_string(f"{base}_subject.txt", context).strip().splitlines()[0]
        body = render_to_string(f"{base}.txt", context)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    transaction.on_commit(message.send)


def send_invitation(invitation, *, site_url: str, language: str) -> None:
    link = absolute_url(site_url, "reviews:invitation-accept", language=language, args=[invitation.token])
    _send(to=[invitation.email], template="invitation", language=language,
          context={"invitation": invitation, "cycle": invitation.cycle, "country": invitation.country, "link": link})


def send_delegation(delegation, *, site_url: str, language: str) -> None:
    link = absolute_url(site_url, "reviews:delegation-accept", language=language, args=[delegation.token])
    _send(to=[delegation.email], template="delegation", language=language,
          context={"delegation": delegation, "cycle": delegation.response.cycle,
                   "country": delegation.response.country, "sections": list(delegation.sections.all()),
                   "link": link})


def send_reminder(invitation, *, site_url: str, language: str, days_left: int) -> None:
    link = absolute_url(site_url, "reviews:response", language=language,
                        args=[invitation.cycle_id, invitation.country.iso3])
    _send(to=[invitation.email], template="reminder", language=language,
          context={"invitation": invitation, "cycle": invitation.cycle, "country": invitation.country,
                   "link": link, "days_left": days_left})


def send_submitted_notice(response) -> None:
    """Tell the cycle's invitees for the country that the response went in (a receipt)."""
    recipients = sorted({i.email for i in response.cycle.invitations.filter(country=response.country)
                         .exclude(state="revoked")})
    if not recipients:
        return
    _send(to=recipients, template="submitted", language="en",
          context={"cycle": response.cycle, "country": response.country, "response": response})
