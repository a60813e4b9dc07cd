"""Stored documents: one row per version and language of a document built by the engine.

A version is built in the background (status, progress, messages), keeps the figures it was built from
(``data``) and the editors' narratives (Markdown, by section key), and its three files with their
SHA-256 checksums. Once published, a version never changes (the services refuse any edit or re-render
and the files are never rewritten); a correction is a new version, which starts from the latest
narratives. Versions of one document in several languages are published side by side.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wsis.core.models import BaseModel

__all__ = ["GeneratedDocument", "FORMATS"]

FORMATS = ("pdf", "docx", "html")


def document_upload_to(instance: GeneratedDocument, filename: str) -> str:
    return f"documents/{instance.kind}/{instance.key}/{instance.language}/v{instance.version}/{filename}"


class GeneratedDocument(BaseModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.SlugField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=80, help_text=_("Which document of its kind, e.g. 2025/global."))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    symbol = models.CharField(_("document symbol"), max_length=80, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    data = models.JSONField(_("figures"), default=dict, blank=True)
    narratives = models.JSONField(_("narrative sections"), default=dict, blank=True)
    html_file = models.FileField(_("HTML"), upload_to=document_upload_to, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to=document_upload_to, blank=True)
    docx_file = models.FileField(_("DOCX"), upload_to=document_upload_to, blank=True)
    html_sha256 = models.CharField(_("HTML SHA-256"), max_length=64, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["kind", "key", "language", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "key", "language", "version"],
                                               name="reports_document_version_unique")]
        indexes = [models.Index(fields=["kind", "published_at"], name="reports_doc_kind_published")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language}, v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("reports:document", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def file_for(self, fmt: str):
        return getattr(self, f"{fmt}_file")

    def sha256_for(self, fmt: str) -> str:
        return getattr(self, f"{fmt}_sha256")
