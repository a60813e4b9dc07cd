"""Stored suggestions: a bulk run of the classifier over the registry, and its result per initiative.

Suggestions computed on the fly (the initiative form, the API, ``suggest_sdgs``) are not stored.
A :class:`SuggestionRun` is started by an analyst; a background task fills one
:class:`InitiativeSuggestion` per initiative, holding what the classifier suggests that the
initiative is not yet tagged with. Reviewers then accept (tags are written with source
"classifier") or dismiss them, one by one or in bulk.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wsis.core.models import BaseModel

__all__ = ["SuggestionRun", "InitiativeSuggestion"]


class SuggestionRun(BaseModel):
    """One run of the classifier over many initiatives, done by a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Scope(models.TextChoices):
        PUBLISHED = "published", _("Published initiatives")
        ACTIVE = "active", _("Submitted, in review and published initiatives")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices, default=Scope.PUBLISHED,
                             help_text=_("Which initiatives the run looks at."))
    backend = models.CharField(_("classifier"), max_length=80, blank=True,
                               help_text=_("Name and version of the classifier backend that made the suggestions."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    total = models.PositiveIntegerField(_("initiatives to check"), default=0)
    processed = models.PositiveIntegerField(_("initiatives checked"), default=0)
    with_suggestions = models.PositiveIntegerField(_("initiatives with new suggestions"), default=0)
    message = models.TextField(_("message"), blank=True, help_text=_("Error or summary from the task."))

    class Meta:
        verbose_name = _("suggestion run")
        verbose_name_plural = _("suggestion runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)


class InitiativeSuggestion(models.Model):
    """What the classifier suggests for one initiative in one run, and what a reviewer decided."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    run = models.ForeignKey(SuggestionRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="suggestions")
    initiative = models.ForeignKey("stocktaking.Initiative", verbose_name=_("initiative"), on_delete=models.CASCADE,
                                   related_name="classifier_suggestions")
    sdgs = models.JSONField(_("suggested SDGs"), default=list, help_text=_("SDG numbers, best first."))
    scores = models.JSONField(_("scores"), default=dict, help_text=_("Calibrated score per SDG number."))
    targets = models.JSONField(_("suggested targets"), default=list, help_text=_("Target codes, e.g. 4.4."))
    action_lines = models.JSONField(_("suggested action lines"), default=list)
    evidence = models.JSONField(_("evidence"), default=dict, help_text=_("Matched phrases per SDG or action line."))
    new_goals = models.JSONField(_("SDGs not yet tagged"), default=list)
    new_targets = models.JSONField(_("targets not yet tagged"), default=list)
    missing_goals = models.JSONField(
        _("tagged SDGs not suggested"), default=list,
        help_text=_("SDGs the initiative is tagged with that the classifier did not suggest."),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING,
                                db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("initiative suggestion")
        verbose_name_plural = _("initiative suggestions")
        ordering = ["run", "initiative_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "initiative"], name="classify_one_suggestion_per_run"),
        ]
        indexes = [models.Index(fields=["run", "decision"], name="classify_sugg_run_dec_idx")]

    def __str__(self) -> str:
        return f"run {self.run_id} → initiative {self.initiative_id}"

    @property
    def has_news(self) -> bool:
        return bool(self.new_goals or self.new_targets)
