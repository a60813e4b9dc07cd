"""Cross-cutting models: the timestamped base class, the audit log and role grants. No domain models here."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["BaseModel", "Versioned", "AuditLog", "FormToken", "Role", "RoleGrant", "WorkerHeartbeat"]


class BaseModel(models.Model):
    """Abstract base with creation and modification timestamps."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Abstract: a version number that every saving service checks and increments (see ``wsis.core.concurrency``)."""

    lock_version = models.PositiveIntegerField(
        _("edit version"), default=1, editable=False,
        help_text=_("Incremented by every save; a save that started from an older version is refused."))

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """One row per state change made through a service: who did what to which object, and why.

    Rows are append-only. ``target_type`` / ``target_id`` name the object by app label, model and
    primary key so that the log survives deletion of the object it speaks of.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("object type"), max_length=80)
    target_id = models.CharField(_("object id"), max_length=64)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class Role(models.TextChoices):
    """The roles of DESIGN.md §4. Read them through ``wsis.core.permissions``, never by querying grants."""

    SECRETARIAT = "secretariat", _("Secretariat")
    MODERATOR = "moderator", _("Moderator")
    REGIONAL_REVIEWER = "regional_reviewer", _("Regional reviewer")
    FOCAL_POINT = "focal_point", _("National focal point")
    FACILITATOR = "facilitator", _("Action line facilitator")
    CO_FACILITATOR = "co_facilitator", _("Action line co-facilitator")
    PRIZE_EXPERT = "prize_expert", _("Prize expert")


class RoleGrant(BaseModel):
    """A role a user holds, possibly scoped to an object (DESIGN.md §4).

    secretariat and moderator are global; a regional reviewer holds a RegionalCommission, a focal
    point a Country, a facilitator an ActionLine, a prize expert a prize Contest. The scope is a
    generic relation so that core names no domain model; the table keeps its historical name
    (the model lived in ``accounts`` until the roles moved to one module).

    Grants are written only through ``accounts.services.role_grant_create`` / ``role_grant_revoke``
    (audit row, per-request cache cleared) and read only through ``wsis.core.permissions``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, db_index=True)
    scope_type = models.ForeignKey(
        ContentType, verbose_name=_("scope type"), null=True, blank=True, on_delete=models.CASCADE
    )
    scope_id = models.PositiveBigIntegerField(_("scope id"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "accounts_rolegrant"
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        indexes = [models.Index(fields=["role", "scope_type", "scope_id"], name="accounts_role_scope_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"], name="accounts_rolegrant_unique",
                condition=Q(scope_id__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role"], name="accounts_rolegrant_global_unique", condition=Q(scope_id__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        scope = f" ({self.scope})" if self.scope_id else ""
        return f"{self.user}: {self.get_role_display()}{scope}"


class FormToken(models.Model):
    """The one-time token a create form carried, and what its first sending created (issue 13).

    A create form holds a random hidden token (``wsis.core.forms.FormTokenField``). The service that
    creates claims it in its own transaction (``wsis.core.services.form_token_claim``): the unique
    column lets one sending through; a second sending of the same form (a double click, a reload)
    waits for the first to commit, then learns what it created instead of creating a second one.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("object type"), max_length=80, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form token")
        verbose_name_plural = _("form tokens")

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class WorkerHeartbeat(models.Model):
    """A background-job worker's sign of life (``manage.py worker`` writes it every few seconds).

    ``/readyz`` is green only while one worker has written within ``WORKER_HEARTBEAT_MAX_AGE`` seconds;
    a job still marked running by a worker silent for that long is put back in the queue
    (``wsis.core.jobs.jobs_requeue_orphaned``).
    """

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker_id}@{self.host}"
