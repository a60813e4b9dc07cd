"""Writes shared by every app: the audit row that each state change records."""

import re
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditLog, FormToken
from .observability import audit_action_counted

__all__ = ["audit_action_check", "audit_record", "FormTokenUsed", "form_token_claim", "form_token_bind",
           "form_tokens_purge", "FORM_TOKEN_DAYS"]

# A create form's token is kept this long: far beyond any sitting at one form (a session ends sooner),
# after which a resent form is an old page and creates anew, as the CSRF token would refuse it anyway.
FORM_TOKEN_DAYS = 30
ERR_FORM_TOKEN = _("This form can no longer be sent. Reload the page and try again.")

# `<app>.<entity>.<verb>`: the app's label, the entity in snake case, and the verb in the imperative
# ("accounts.invitation.accept"), so that the log can be filtered by app, by entity and by what was done.
AUDIT_ACTION = re.compile(r"(?P<app>[a-z]+)\.(?P<entity>[a-z][a-z_]*)\.(?P<verb>[a-z][a-z_]*)")
# Past participles ("invitation_accepted") were one of the three styles the log used before this one.
_PAST_PARTICIPLE = re.compile(r"ed$")


def audit_action_check(action: str) -> None:
    """Refuse an audit action that is not named `<app>.<entity>.<verb>` after an installed app.

    A programming error, not a user's: every service that records an audit row runs through this in
    the suite, so a new name in another style fails its tests.
    """
    match = AUDIT_ACTION.fullmatch(action)
    if match is None or _PAST_PARTICIPLE.search(match["verb"]):
        raise ValueError(f"Audit action {action!r} is not named <app>.<entity>.<verb>, "
                         "e.g. 'accounts.invitation.accept'.")
    labels = {config.label for config in apps.get_app_configs() if config.name.startswith("wsis.")}
    if match["app"] not in labels:
        raise ValueError(f"Audit action {action!r} does not start with the label of an app of the platform.")


def audit_record(*, actor, action: str, target: models.Model, summary: str = "",
                 data: dict[str, Any] | None = None) -> AuditLog:
    """Append an audit row for ``action`` on ``target`` by ``actor`` (None for the system)."""
    audit_action_check(action)
    audit_action_counted(action)  # the Prometheus counter, once the transaction commits
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=user,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:500],
        data=data or {},
    )


class FormTokenUsed(Exception):  # noqa: N818 - a condition, not an error: the form was sent before
    """The form was sent before: nothing new was created. ``target_id`` is what the first sending created."""

    def __init__(self, target_type: str, target_id: str):
        super().__init__(f"{target_type}:{target_id}")
        self.target_type, self.target_id = target_type, target_id


def form_token_claim(*, token: str, user, action: str) -> FormToken | None:
    """Claim a create form's one-time ``token`` for ``action`` inside the caller's transaction.

    Returns the claim (to :func:`form_token_bind` once the object exists), or ``None`` without a
    token (the API and scripts create without one). Raises :class:`FormTokenUsed` when the same user
    sent the same form before and it created something; ``ValidationError`` when the token is
    another user's or another form's. Concurrent sendings serialise on the unique column: the second
    waits until the first commits (or rolls back, and then it goes through).
    """
    if not token:
        return None
    if len(token) > FormToken._meta.get_field("token").max_length:
        raise ValidationError(ERR_FORM_TOKEN, code="form_token")
    try:
        with transaction.atomic():
            return FormToken.objects.create(token=token, user=user, action=action)
    except IntegrityError:
        earlier = FormToken.objects.filter(token=token).first()
    if earlier is None or earlier.user_id != user.pk or earlier.action != action or not earlier.target_id:
        raise ValidationError(ERR_FORM_TOKEN, code="form_token")
    raise FormTokenUsed(earlier.target_type, earlier.target_id)


def form_token_bind(claim: FormToken | None, target: models.Model) -> None:
    """Record what the claimed sending created (no-op without a claim)."""
    if claim is None:
        return
    claim.target_type, claim.target_id = target._meta.label_lower, str(target.pk)
    claim.save(update_fields=["target_type", "target_id"])


def form_tokens_purge(*, days: int = FORM_TOKEN_DAYS) -> int:
    """Delete the form tokens claimed more than ``days`` ago; returns how many (``manage.py purge_form_tokens``)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    deleted, _by_model = FormToken.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted
