"""Bulk downloads of all published data (issue 20): one row per build, its files described in ``files``."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wsis.core.models import BaseModel

__all__ = ["Dump"]


class Dump(BaseModel):
    """One build of the bulk downloads: every table in CSV, JSON Lines, XLSX and Parquet, with descriptors.

    ``files`` lists what was written, one entry per file: ``{"name", "table", "format", "rows", "size",
    "sha256", "media_type"}``; the files live under ``opendata/<id>/`` in the default storage.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        ON_DEMAND = "on_demand", _("On demand")

    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED, db_index=True)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.NIGHTLY)
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    files = models.JSONField(_("files"), default=list, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("bulk download build")
        verbose_name_plural = _("bulk download builds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"dump {self.pk} ({self.state})"

    @property
    def folder(self) -> str:
        return f"opendata/{self.pk}"

    def file_url(self, name: str) -> str:
        return reverse("opendata:dump-file", args=[self.pk, name])
