"""Writes shared by every app: the audit row that each state change records."""

from typing import Any

from django.db import models

from .models import AuditLog

__all__ = ["audit_record"]


def audit_record(*, actor, action: str, target: models.Model, summary: str = "",
                 data: dict[str, Any] | None = None) -> AuditLog:
    """Append an audit row for ``action`` on ``target`` by ``actor`` (None for the system)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=user,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:500],
        data=data or {},
    )
