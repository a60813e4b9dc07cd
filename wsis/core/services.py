"""Writes shared by every app: the audit row that each state change records."""

import re
from typing import Any

from django.apps import apps
from django.db import models

from .models import AuditLog

__all__ = ["audit_action_check", "audit_record"]

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
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=user,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:500],
        data=data or {},
    )
