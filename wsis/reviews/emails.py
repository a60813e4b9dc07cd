"""E-mails of the regional reviews: invitations, delegations, reminders and submission notices.

Each builds its context and hands it to :func:`wsis.core.mail.mail_send` (templates in
``emails/reviews/``, the recipient's language, sent after the commit).
"""

from __future__ import annotations

from wsis.core.mail import absolute_url, mail_send

__all__ = ["send_invitation", "send_delegation", "send_reminder", "send_submitted_notice"]


def _send(*, to: list[str], template: str, context: dict, language: str) -> None:
    mail_send(to=to, template=f"reviews/{template}", context=context, language=language or "en")


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
