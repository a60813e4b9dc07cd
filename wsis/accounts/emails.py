"""E-mails of the accounts app: rendered in the recipient's language, text and HTML, sent after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

__all__ = ["absolute_url", "send_templated_mail", "site_url_default"]


def site_url_default() -> str:
    """The site's base URL for links in e-mails when no request supplies one (tasks, commands)."""
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def absolute_url(site_url: str, viewname: str, *, language: str, args=None, query: str = "") -> str:
    """``site_url`` + the path of ``viewname`` under the ``/<language>/`` prefix."""
    with translation.override(language):
        path = reverse(viewname, args=args or [])
    return f"{(site_url or site_url_default()).rstrip('/')}{path}{query}"


def _render(template: str, context: dict, language: str) -> EmailMultiAlternatives:
    base = f"emails/accounts/{template}"
    with translation.override(language):
        context = {"SITE_NAME": settings.SITE_NAME, **context}
        # A header cannot hold a line break: keep only the first line of the subject template.
        subject = render_to_string(f"{base}_subject.txt", context).strip().splitlines()[0]
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[context["recipient"]])
    message.attach_alternative(html, "text/html")
    return message


def send_templated_mail(*, to: str, template: str, context: dict, language: str) -> None:
    """Send ``emails/accounts/<template>{_subject.txt,.txt,.html}`` to ``to`` once the transaction commits.

    Rendering happens now (so a template error fails the request, not a silent callback); sending
    waits for the commit so that no mail speaks of a change that was rolled back.
    """
    message = _render(template, {**context, "recipient": to}, language)
    transaction.on_commit(message.send)
