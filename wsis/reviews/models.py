"""Regional reviews: a commission's yearly review cycle, its questionnaire, the member states'
responses, and the review report's versions (DESIGN.md §4).

A cycle belongs to one UN regional commission and one year and moves
draft → open → closed → report drafted → published. Its questionnaire has one section per
action-line unit (all 18 or a chosen subset) holding typed questions whose labels, help texts and
choice labels are stored as ``{language code: text}`` JSON so that a reviewer can write them in any
of the six UN languages. Each invited member state has one response (answers keyed by question),
which its focal points edit and submit and whose sections they may delegate to colleagues.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import current_language
from wsis.core.models import BaseModel, Versioned

__all__ = [
    "pick_label",
    "ReviewCycle",
    "Questionnaire",
    "QuestionnaireSection",
    "Question",
    "Invitation",
    "Response",
    "Answer",
    "Delegation",
    "ReviewReport",
    "ForumSubmissionRecord",
]


def pick_label(labels: dict | None, lang: str | None = None) -> str:
    """The text of a ``{language: text}`` mapping in ``lang`` (default: active), else English, else any."""
    if not labels:
        return ""
    lang = lang or current_language()
    return labels.get(lang) or labels.get("en") or next((v for v in labels.values() if v), "")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ReviewCycle(Versioned, BaseModel):
    """One regional commission's review of WSIS implementation for one year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for responses")
        CLOSED = "closed", _("Closed")
        REPORT_DRAFTED = "report_drafted", _("Report drafted")
        PUBLISHED = "published", _("Published")

    commission = models.ForeignKey(
        "taxonomy.RegionalCommission", verbose_name=_("regional commission"), on_delete=models.PROTECT,
        related_name="review_cycles",
    )
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The year under review."))
    title = models.CharField(_("title"), max_length=255)
    theme = models.TextField(
        _("theme"), blank=True,
        help_text=_("By default the theme of that year's High-level Political Forum."),
    )
    hlpf_session = models.ForeignKey(
        "taxonomy.HLPFSession", verbose_name=_("HLPF session"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="review_cycles",
        help_text=_("The HLPF session whose theme and SDGs under review this cycle follows."),
    )
    goals = models.ManyToManyField(
        "taxonomy.Goal", verbose_name=_("SDGs under review"), blank=True, related_name="review_cycles",
        help_text=_("The SDGs under in-depth review at the HLPF; the report shows the Matrix alignment with them."),
    )
    opens_on = models.DateField(_("questionnaire opens on"), null=True, blank=True)
    closes_on = models.DateField(_("questionnaire deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        ordering = ["-year", "commission__code"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "year"], name="reviews_cycle_commission_year_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(opens_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="reviews_cycle_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commission.code} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:cycle", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Questionnaire(BaseModel):
    """The questionnaire of a cycle: an introduction and sections of typed questions."""

    cycle = models.OneToOneField(ReviewCycle, verbose_name=_("review cycle"), on_delete=models.CASCADE,
                                 related_name="questionnaire")
    intro = models.JSONField(_("introduction"), default=dict, blank=True,
                             help_text=_("Introduction shown to focal points, by language code."))
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"Questionnaire {self.cycle}"


class QuestionnaireSection(BaseModel):
    """A section of a questionnaire, normally one per action-line unit."""

    questionnaire = models.ForeignKey(Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE,
                                      related_name="sections")
    action_line = models.ForeignKey(
        "taxonomy.ActionLine", verbose_name=_("action line"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty for a general section."),
    )
    title = models.JSONField(_("title"), default=dict, blank=True,
                             help_text=_("By language code; empty to use the action line's name."))
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("questionnaire section")
        verbose_name_plural = _("questionnaire sections")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "action_line"], condition=Q(action_line__isnull=False),
                                    name="reviews_section_action_line_unique"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        text = pick_label(self.title)
        if text:
            return text
        if self.action_line_id:
            return self.action_line.label
        return str(_("General"))


class Question(Versioned, BaseModel):
    """A typed question of a section, with its labels, requirement, condition and prefill rule."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        NUMBER = "number", _("Number")
        SCALE = "scale", _("Scale")
        YES_NO = "yes_no", _("Yes or no")
        TABLE = "table", _("Table rows")

    class Prefill(models.TextChoices):
        NONE = "", _("No prefill")
        LAST_CYCLE = "last_cycle", _("The country's answer in the previous cycle")
        REGISTRY_INITIATIVES = "registry_initiatives", _("The country's published initiatives on this action line")
        REGISTRY_COUNT = "registry_count", _("The number of the country's published initiatives on this action line")

    section = models.ForeignKey(QuestionnaireSection, verbose_name=_("section"), on_delete=models.CASCADE,
                                related_name="questions")
    code = models.SlugField(
        _("code"), max_length=60,
        help_text=_("Short identifier, unique in the questionnaire; answers are carried to the next cycle by code."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    label = models.JSONField(_("question"), default=dict, help_text=_("The question text by language code."))
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(
        _("choices"), default=list, blank=True,
        help_text=_("For choice questions: a list of {value, label: {language: text}}."),
    )
    columns = models.JSONField(
        _("table columns"), default=list, blank=True,
        help_text=_("For table questions: a list of {key, label: {language: text}}."),
    )
    scale_min = models.SmallIntegerField(_("scale minimum"), default=1)
    scale_max = models.SmallIntegerField(_("scale maximum"), default=5)
    condition_question = models.ForeignKey(
        "self", verbose_name=_("shown only if question"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="dependants",
    )
    condition_value = models.CharField(
        _("has the answer"), max_length=60, blank=True,
        help_text=_("The answer (\"yes\", or a choice value) that makes this question apply."),
    )
    prefill = models.CharField(_("prefill"), max_length=24, choices=Prefill.choices, default=Prefill.NONE,
                               blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "section_id", "order", "id"]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return pick_label(self.label)

    @property
    def help(self) -> str:
        return pick_label(self.help_text)

    def choice_label(self, value: str) -> str:
        for choice in self.choices or []:
            if choice.get("value") == value:
                return pick_label(choice.get("label")) or value
        if self.kind == self.Kind.YES_NO:
            return str({"yes": _("Yes"), "no": _("No")}.get(value, value))
        return value

    def choice_options(self) -> list[tuple[str, str]]:
        if self.kind == self.Kind.YES_NO:
            return [("yes", str(_("Yes"))), ("no", str(_("No")))]
        return [(c["value"], pick_label(c.get("label")) or c["value"]) for c in self.choices or []]

    def column_options(self) -> list[tuple[str, str]]:
        return [(c["key"], pick_label(c.get("label")) or c["key"]) for c in self.columns or []]


class Invitation(BaseModel):
    """An invitation to a national focal point to answer a cycle's questionnaire for their country.

    A country may have several. When the invitee accepts (signed in with the invited address), they
    receive the focal-point role for the country if they do not hold it yet.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    cycle = models.ForeignKey(ReviewCycle, verbose_name=_("review cycle"), on_delete=models.CASCADE,
                              related_name="invitations")
    country = models.ForeignKey("taxonomy.Country", verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="+")
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("focal point"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="review_invitations")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["country__name_en", "email"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "country", "email"], name="reviews_invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} → {self.country.iso3} ({self.email})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:invitation-accept", args=[self.token])


class Response(BaseModel):
    """A member state's response to a cycle's questionnaire: a draft until a focal point submits it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    cycle = models.ForeignKey(ReviewCycle, verbose_name=_("review cycle"), on_delete=models.CASCADE,
                              related_name="responses")
    country = models.ForeignKey("taxonomy.Country", verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    prefilled = models.BooleanField(_("prefilled"), default=False,
                                    help_text=_("Whether answers were prefilled from the last cycle and the registry."))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["country__name_en"]
        constraints = [models.UniqueConstraint(fields=["cycle", "country"], name="reviews_response_unique")]

    def __str__(self) -> str:
        return f"{self.cycle} {self.country.iso3} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:response", args=[self.cycle_id, self.country.iso3])


class Answer(Versioned, models.Model):
    """The answer to one question in one response; ``value`` holds a string, number, list or table rows."""

    class Source(models.TextChoices):
        USER = "user", _("Entered")
        LAST_CYCLE = "last_cycle", _("From the previous cycle")
        REGISTRY = "registry", _("From the registry")

    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE,
                                 related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE,
                                 related_name="answers")
    value = models.JSONField(_("value"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.USER)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="reviews_answer_unique")]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"


class Delegation(BaseModel):
    """Sections of a response that a focal point hands to a colleague, who sees and answers only those."""

    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE,
                                 related_name="delegations")
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("colleague"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="review_delegations")
    sections = models.ManyToManyField(QuestionnaireSection, verbose_name=_("sections"), related_name="+")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    delegated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delegated by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.response} → {self.email}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:delegation-accept", args=[self.token])


def report_upload_to(instance: ReviewReport, filename: str) -> str:
    return f"reviews/{instance.cycle_id}/v{instance.version}/{filename}"


class ReviewReport(Versioned, BaseModel):
    """One version of a cycle's review report, built in the background (status, progress, messages).

    ``data`` keeps the figures the report was built from, so that editing the narrative re-renders
    the same numbers; ``narratives`` holds the reviewers' texts by section key.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(ReviewCycle, verbose_name=_("review cycle"), on_delete=models.CASCADE,
                              related_name="reports")
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    data = models.JSONField(_("figures"), default=dict, blank=True)
    narratives = models.JSONField(_("narrative sections"), default=dict, blank=True)
    html_file = models.FileField(_("HTML"), upload_to=report_upload_to, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True)
    docx_file = models.FileField(_("DOCX"), upload_to=report_upload_to, blank=True)
    html_sha256 = models.CharField(_("HTML SHA-256"), max_length=64, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["cycle", "-version"]
        constraints = [models.UniqueConstraint(fields=["cycle", "version"], name="reviews_report_version_unique")]

    def __str__(self) -> str:
        return f"{self.cycle} report v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:report", args=[self.cycle_id, self.version])

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ForumSubmissionRecord(BaseModel):
    """A published report sent to the WSIS Forum's open consultation as the region's formal input.

    Kept whether or not the forum app accepted it, so the commission has its own record;
    ``forum_submission_id`` links the forum's submission once there is one.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted to the forum")
        RECORDED = "recorded", _("Recorded; the forum consultation is not available")
        FAILED = "failed", _("The forum refused it")

    report = models.ForeignKey(ReviewReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="forum_submissions")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    forum_submission_id = models.PositiveBigIntegerField(_("forum submission"), null=True, blank=True)
    forum_edition = models.CharField(_("forum edition"), max_length=40, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    payload = models.JSONField(_("what was sent"), default=dict, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("forum submission record")
        verbose_name_plural = _("forum submission records")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} → forum ({self.status})"
