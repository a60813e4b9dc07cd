"""The stocktaking registry: ICT initiatives, their tags, and every revision of them (DESIGN.md §4).

An initiative belongs to an organisation and moves through moderation states
(draft → submitted → in review → published | returned | rejected | archived). Tags to action lines,
SDG goals and SDG targets are rows of their own that record where each tag came from: the
submitter, the WSIS–SDG Matrix, the classifier or a moderator.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wsis.core.models import BaseModel, Versioned

from .fields import TokenListField

__all__ = [
    "ExportJob",
    "Initiative",
    "InitiativeActionLine",
    "InitiativeGoal",
    "InitiativeTarget",
    "InitiativeTargetGroup",
    "InitiativeRevision",
    "InitiativeTranslation",
    "TagProvenance",
    "ProgressReport",
    "INACTIVE_AFTER_DAYS",
    "TagSource",
    "TargetGroup",
]


class TagSource(models.TextChoices):
    """Where a tag on an initiative came from."""

    SUBMITTER = "submitter", _("Submitter")
    MATRIX = "matrix", _("WSIS–SDG Matrix suggestion accepted")
    CLASSIFIER = "classifier", _("Classifier suggestion accepted")
    MODERATOR = "moderator", _("Moderator")
    IMPORT = "import", _("Import from a file")


class TagProvenance(models.Model):
    """Who put a tag on an initiative and which moderator, if any, confirmed it.

    ``added_by`` is the person who chose the tag (a submitter ticking it, accepting a Matrix or
    classifier suggestion, or importing a file; a moderator correcting the entry). ``confirmed_by``
    and ``confirmed_at`` are set when a moderator approved the entry with this tag or corrected its
    tags: "confirmed by a moderator" in the analytics means exactly this. Tags written before these
    columns existed have neither (nobody can tell who checked them).
    """

    source = models.CharField(_("source"), max_length=12, choices=TagSource.choices, default=TagSource.SUBMITTER)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", help_text=_("The moderator who confirmed this tag."),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        abstract = True


class TargetGroup(models.TextChoices):
    """People an initiative is designed for (DESIGN.md §4)."""

    WOMEN_GIRLS = "women_girls", _("Women and girls")
    YOUTH = "youth", _("Youth")
    OLDER_PERSONS = "older_persons", _("Older persons")
    DISABILITIES = "disabilities", _("Persons with disabilities")
    INDIGENOUS = "indigenous", _("Indigenous peoples")
    RURAL = "rural", _("Rural communities")
    LDC_LLDC_SIDS = "ldc_lldc_sids", _("LDC, LLDC and SIDS populations")


class Initiative(Versioned, BaseModel):
    """An ICT-for-development initiative registered by a stakeholder organisation."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project")
        PROGRAMME = "programme", _("Programme")
        POLICY = "policy", _("Policy or strategy")
        CAPACITY_BUILDING = "capacity_building", _("Capacity building")
        EVENT = "event", _("Event")
        PLATFORM = "platform", _("Platform or website")
        TOOLKIT = "toolkit", _("Toolkit")
        STUDY = "study", _("Study")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    class Coverage(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        GLOBAL = "global", _("Global")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    class GenderMarker(models.IntegerChoices):
        """OECD DAC / IATI gender equality policy marker."""

        NOT_TARGETED = 0, _("0 – Not targeted")
        SIGNIFICANT = 1, _("1 – Significant objective")
        PRINCIPAL = 2, _("2 – Principal objective")

    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), max_length=1000, help_text=_("One or two sentences (at most 1,000 characters)."))
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The language the title, summary and description are written in."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="initiatives"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROJECT)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ONGOING)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, db_index=True,
        help_text=_("Year the initiative started (from the start date); used by filters and trends."),
    )
    coverage = models.CharField(_("geographic coverage"), max_length=10, choices=Coverage.choices,
                                default=Coverage.NATIONAL)
    countries = models.ManyToManyField(
        "taxonomy.Country", verbose_name=_("countries"), related_name="initiatives", blank=True
    )
    action_lines = models.ManyToManyField(
        "taxonomy.ActionLine", through="InitiativeActionLine", related_name="initiatives",
        verbose_name=_("action lines"),
    )
    goals = models.ManyToManyField(
        "taxonomy.Goal", through="InitiativeGoal", related_name="initiatives", verbose_name=_("SDGs")
    )
    targets = models.ManyToManyField(
        "taxonomy.Target", through="InitiativeTarget", related_name="initiatives", verbose_name=_("SDG targets")
    )
    gender_marker = models.PositiveSmallIntegerField(
        _("gender marker"), choices=GenderMarker.choices, default=GenderMarker.NOT_TARGETED
    )
    partners = models.TextField(_("partners"), blank=True, help_text=_("Partner organisations, one per line."))
    website = models.URLField(_("website"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    last_reviewed_at = models.DateTimeField(_("last revised"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True,
                                        help_text=_("When it was last sent to moderation."))
    moderator_comment = models.TextField(
        _("comment from the moderators"), blank=True,
        help_text=_("What the moderators asked to change, or why they rejected it; shown to the submitter."),
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True,
                                       help_text=_("When the organisation was last asked to update the entry."))
    # Maintained by the services (never by signals); only PostgreSQL fills it, with a GIN index
    # of published rows only (migration 0006; 0003 had one on every row) on PostgreSQL only. SQLite
    # searches with LIKE instead.
    search_vector = SearchVectorField(_("search vector"), null=True, blank=True, editable=False)
    # Tags flattened to tokens ("al:C3", "c:KEN", "r:002"…) so PostgreSQL filters and counts every
    # facet from one GIN-indexed column (published rows only, migration 0006); maintained with the
    # search vector, PostgreSQL only.
    facet_tokens = TokenListField(_("facet tokens"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["state", "year"], name="stock_init_state_year_idx"),
            models.Index(fields=["organisation", "state"], name="stock_init_org_state_idx"),
            # "Latest published" (home, feed, unfiltered lists, the API's keyset pages) walks this
            # instead of the whole published_at index through every unpublished row. Migration 0006
            # creates it (concurrently on PostgreSQL) with the partial GIN indexes of search.
            models.Index(fields=["-published_at", "-id"], condition=Q(state="published"),
                         name="stock_init_pub_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="stock_init_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stocktaking:detail", args=[self.pk])


class InitiativeActionLine(TagProvenance):
    """An initiative's tag to an action-line unit; exactly one of them is primary."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="action_line_tags")
    action_line = models.ForeignKey("taxonomy.ActionLine", on_delete=models.PROTECT, related_name="initiative_tags")
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("action line tag")
        verbose_name_plural = _("action line tags")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "action_line"], name="stock_al_tag_unique"),
            models.UniqueConstraint(fields=["initiative"], condition=Q(is_primary=True), name="stock_one_primary_al"),
        ]
        indexes = [models.Index(fields=["action_line", "initiative"], name="stock_al_tag_rev_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.action_line_id}{' (primary)' if self.is_primary else ''}"


class InitiativeGoal(TagProvenance):
    """An initiative's tag to an SDG, with its source."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="goal_tags")
    goal = models.ForeignKey("taxonomy.Goal", on_delete=models.PROTECT, related_name="initiative_tags")

    class Meta:
        verbose_name = _("SDG tag")
        verbose_name_plural = _("SDG tags")
        constraints = [models.UniqueConstraint(fields=["initiative", "goal"], name="stock_goal_tag_unique")]
        indexes = [models.Index(fields=["goal", "initiative"], name="stock_goal_tag_rev_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id} → SDG {self.goal_id}"


class InitiativeTarget(TagProvenance):
    """An initiative's tag to an SDG target, with its source."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="target_tags")
    target = models.ForeignKey("taxonomy.Target", on_delete=models.PROTECT, related_name="initiative_tags")

    class Meta:
        verbose_name = _("SDG target tag")
        verbose_name_plural = _("SDG target tags")
        constraints = [models.UniqueConstraint(fields=["initiative", "target"], name="stock_target_tag_unique")]
        indexes = [models.Index(fields=["target", "initiative"], name="stock_target_tag_rev_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.target_id}"


class InitiativeTargetGroup(models.Model):
    """A group of people an initiative is designed for."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="target_group_tags")
    group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [models.UniqueConstraint(fields=["initiative", "group"], name="stock_target_group_unique")]
        indexes = [models.Index(fields=["group", "initiative"], name="stock_tgroup_rev_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.group}"


class InitiativeTranslation(Versioned, BaseModel):
    """The title and summary of an initiative in another language than the one it was written in (issue 21).

    Written by members of the owning organisation (``services.initiative_translation_save``); pages
    show the visitor's language when a translation exists and the original otherwise, marked with a
    language badge. One translation per language, never in the initiative's own language (the
    service refuses it; the original keeps ``Initiative.language``). Search matches translations too:
    they are inputs of the search vector and of the ``lang:`` facet tokens (``listeners.SEARCH``).
    """

    initiative = models.ForeignKey(Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE,
                                   related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                help_text=_("The language of this translation."))
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), max_length=1000,
                               help_text=_("One or two sentences (at most 1,000 characters)."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("initiative translation")
        verbose_name_plural = _("initiative translations")
        ordering = ["initiative", "language"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "language"], name="stock_translation_one_per_lang"),
        ]
        indexes = [models.Index(fields=["language", "initiative"], name="stock_translation_lang_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id} [{self.language}] {self.title}"


class InitiativeRevision(models.Model):
    """A snapshot of an initiative after a change: who changed it, why, and in which state it was left.

    ``data`` holds the initiative's fields and tags as JSON. A pending update of a published
    initiative is a revision with ``pending=True``: the published initiative stays as it is until a
    moderator approves the revision, which then is applied.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=Initiative.State.choices)
    pending = models.BooleanField(_("pending moderation"), default=False)
    data = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("initiative revision")
        verbose_name_plural = _("initiative revisions")
        ordering = ["initiative", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "number"], name="stock_revision_number_unique"),
            models.UniqueConstraint(fields=["initiative"], condition=Q(pending=True), name="stock_one_pending_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} r{self.number}"


class ExportJob(BaseModel):
    """A search export too large to build inside a request, written in the background to a file.

    The file is kept until ``expires_at``; its size and SHA-256 are recorded when it is complete, and
    the download sends both (``Content-Length``, ``Repr-Digest``), so a cut download is detectable.
    ``rows_written`` counts progress while the job runs; ``row_count`` is the final number of rows.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE,
                             related_name="+")
    query = models.CharField(_("filters"), max_length=4000, blank=True,
                             help_text=_("The search's query string, as the export URL carried it."))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED, db_index=True)
    expected_rows = models.PositiveIntegerField(_("rows expected"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.CharField(_("file"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="stock_exportjob_user_idx")]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.format}, {self.state})"

    def get_absolute_url(self) -> str:
        return reverse("stocktaking:export-job", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.expected_rows:
            return 0
        return min(99, self.rows_written * 100 // self.expected_rows)


#: An entry whose organisation has filed no progress report (and which was not published) for this many
#: days is *inactive*: still public, but marked in search and left out of "active only" counts.
INACTIVE_AFTER_DAYS = 730


class ProgressReport(BaseModel):
    """An organisation's yearly report on how one of its published initiatives is doing (issue 18).

    Lives in stocktaking, not in coordination: the one filter set (``filters.initiative_q``) reads it
    to tell active entries from inactive ones, and stocktaking sits below coordination in the layers.
    One report per initiative and year; a later filing for the same year replaces the text (service).
    """

    initiative = models.ForeignKey(Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE,
                                   related_name="progress_reports")
    year = models.PositiveSmallIntegerField(_("reporting year"))
    status = models.CharField(_("status"), max_length=12, choices=Initiative.Status.choices)
    deliverables = models.TextField(_("deliverables achieved"), max_length=4000,
                                    help_text=_("What the initiative delivered during the year."))
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True,
                                                 help_text=_("An estimate; leave empty if unknown."))
    resources = models.TextField(_("resources"), max_length=2000, blank=True,
                                 help_text=_("Budget, staff and in-kind resources used during the year."))
    obstacles = models.TextField(_("obstacles"), max_length=2000, blank=True)
    filed_at = models.DateTimeField(_("filed"), db_index=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-year", "-filed_at"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="stock_progress_one_per_year"),
        ]
        indexes = [models.Index(fields=["initiative", "filed_at"], name="stock_progress_init_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id} · {self.year}"
