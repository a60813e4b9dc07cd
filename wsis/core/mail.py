"""E-mail: the one way the platform sends mail.

Every message is three templates in one layout, ``templates/emails/<app>/<name>``:

* ``<name>_subject.txt`` — the subject (only its first line is used: a header holds no line break),
* ``<name>.txt`` — the plain-text body (required),
* ``<name>.html`` — an HTML alternative (optional; extends ``emails/base.html``).

:func:`mail_send` renders them **in the recipient's language** (``language=``, else the
``preferred_language`` of ``user=``, else ``settings.LANGUAGE_CODE``) at once, so a template error
fails the request and not a silent callback, and **sends after the transaction commits**
(``transaction.on_commit``), so that no mail speaks of a change that was rolled back. Outside a
transaction (a background task) it is sent at once.

Every template gets ``SITE_NAME``, ``recipient`` (the first address) and, when given, ``user``.
Links in a mail are absolute and carry the recipient's language: :func:`absolute_url`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

__all__ = ["absolute_uri", "absolute_url", "mail_render", "mail_send", "site_url", "site_url_default"]

# Where neither SITE_URL nor a request gives a host (a job or a command on a developer's machine).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def site_url_default() -> str:
    """The site's base URL for links when no request supplies one (tasks, commands): ``SITE_URL``."""
    return (settings.SITE_URL or DEVELOPMENT_SITE_URL).rstrip("/")


def site_url(request=None) -> str:
    """The base URL of absolute links: ``SITE_URL`` when set (always in production), else the request's
    own scheme and host, else the development server's."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEVELOPMENT_SITE_URL


def absolute_uri(request, path: str) -> str:
    """``path`` (site-absolute, "/en/...") as a full URL under :func:`site_url`."""
    return f"{site_url(request)}{path}"


def absolute_url(site_url: str, viewname: str, *, language: str, args=None, query: str = "") -> str:
    """``site_url`` (or :func:`site_url_default`) + the path of ``viewname`` under the ``/<language>/`` prefix."""
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse(viewname, args=args or [])
    return f"{(site_url or site_url_default()).rstrip('/')}{path}{query}"


def _language(language: str | None, user) -> str:
    return language or getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def mail_render(*, template: str, context: dict, to: Sequence[str], language: str) -> EmailMultiAlternatives:
    """The message for ``emails/<template>`` rendered in ``language`` (not sent)."""
    base = f"emails/{template}"
    with translation.override(language):
        context = {"SITE_NAME": settings.SITE_NAME, "recipient": to[0] if to else "", **context}
        subject = render_to_string(f"{base}_subject.txt", context).strip().splitlines()[0]
        text = render_to_string(f"{base}.txt", context)
        try:
            html_template = get_template(f"{base}.html")
        except TemplateDoesNotExist:
            html = None
        else:
            html = html_template.render(context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to))
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def mail_send(*, template: str, context: dict, to: str | Sequence[str] | None = None, user=None,
              language: str | None = None) -> EmailMultiAlternatives:
    """Render ``emails/<template>`` for the recipients now and send it once the transaction commits.

    ``template`` is ``"<app>/<name>"``. Give ``to`` (one address or several), or ``user`` (its
    address and its preferred language), or both. Returns the message that will be sent.
    """
    if to is None:
        if user is None or not user.email:
            raise ValueError("mail_send needs `to` or a `user` with an e-mail address")
        to = [user.email]
    elif isinstance(to, str):
        to = [to]
    if user is not None:
        context = {"user": user, **context}
    message = mail_render(template=template, context=context, to=to, language=_language(language, user))
    transaction.on_commit(message.send)
    return message
