"""The WSIS Forum: editions, the Open Consultation Process, sessions, outcomes and the process timeline.

A **ForumEdition** is one yearly forum. Its agenda is crowdsourced through the Open Consultation
Process (FACTS.md §5): **ConsultationPhase** rows give each phase's dates and which kinds of
**Submission** it accepts (thematic inputs, session proposals, speaker and High-Level Track
Facilitator nominations, regional inputs). The secretariat accepts, merges or declines submissions;
accepted proposals become **Session** rows, scheduled in a **Room** at a time. Organisers report a
**SessionOutcome**, and the secretariat compiles the edition's **OutcomeDocument**. **Milestone**
rows tell the story of the WSIS process from 1998 to 2030.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import LANGUAGE_SUFFIXES, current_language, translated_fields
from wsis.core.models import BaseModel, Versioned

__all__ = [
    "Gender",
    "SpeakerRegion",
    "SubmissionKind",
    "ForumEdition",
    "ConsultationPhase",
    "Submission",
    "SubmissionSpeaker",
    "Room",
    "SessionType",
    "Session",
    "SessionSpeaker",
    "SessionOutcome",
    "OutcomeDocument",
    "Milestone",
]


class Gender(models.TextChoices):
    """Gender of a speaker, asked for balance statistics only; "not stated" is always allowed."""

    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Another gender identity")
    NOT_STATED = "not_stated", _("Prefers not to say")


class SpeakerRegion(models.TextChoices):
    """The six ITU regions the WSIS secretariat uses for regional breakdowns (FACTS.md §6)."""

    AFRICA = "africa", _("Africa")
    ARAB_STATES = "arab_states", _("Arab States")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    AMERICAS = "americas", _("Americas")
    CIS = "cis", _("Commonwealth of Independent States")
    EUROPE = "europe", _("Europe")


class SubmissionKind(models.TextChoices):
    """What the Open Consultation Process collects (FACTS.md §5.1)."""

    THEMATIC_INPUT = "thematic_input", _("Thematic input")
    SESSION_PROPOSAL = "session_proposal", _("Session or workshop proposal")
    SPEAKER_NOMINATION = "speaker_nomination", _("Speaker nomination")
    HLTF_NOMINATION = "hltf_nomination", _("High-Level Track Facilitator nomination")
    REGIONAL_INPUT = "regional_input", _("Regional input")


TRANSLATED_LANGUAGES = [lang for lang in LANGUAGE_SUFFIXES if lang != "en"]


def _shipped_translations(cls, fields: tuple[str, ...]):
    """Give ``cls`` (a model with a ``translations`` JSON field, ``{"fr": {"theme": "…"}, …}``) the attributes
    the translated-text tags read: ``theme_en`` (the column), ``theme_fr``… and ``theme_shown``, the text in
    the active language or, where it has none, the English one (``facts.fallback_mark`` then says so)."""
    def english(field):
        return property(lambda self: getattr(self, field) or "")

    def other(field, lang):
        return property(lambda self: str(((self.translations or {}).get(lang) or {}).get(field) or ""))

    def shown(field):
        def read(self):
            lang = current_language()
            text = ((self.translations or {}).get(lang) or {}).get(field) if lang != "en" else ""
            return str(text or getattr(self, field) or "")
        return property(read)

    for field in fields:
        setattr(cls, f"{field}_en", english(field))
        for lang in TRANSLATED_LANGUAGES:
            setattr(cls, f"{field}_{LANGUAGE_SUFFIXES[lang]}", other(field, lang))
        setattr(cls, f"{field}_shown", shown(field))
    cls.TRANSLATED_FIELDS = fields
    return cls


TRANSLATIONS_HELP = _("The texts in the other UN languages, by language code and field, e.g. "
                      "{\"fr\": {\"theme\": \"…\"}}; shipped from data/editions.i18n.yaml. A text left out is "
                      "shown in English with a mark saying so.")


class ForumEdition(BaseModel):
    """One yearly WSIS Forum: its dates, format, venue and theme."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")
        VIRTUAL = "virtual", _("Virtual")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200, help_text=_("For example “WSIS Forum 2019”."))
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=200, blank=True,
                             help_text=_("Empty for a forum held only online."))
    theme = models.TextField(_("theme"), blank=True)
    dates_note = models.CharField(
        _("note on the dates"), max_length=300, blank=True,
        help_text=_("For example “virtual from January; final week 17–21 May”."),
    )
    timezone = models.CharField(_("time zone"), max_length=40, default="Europe/Zurich",
                                help_text=_("Session times are shown in this time zone."))
    is_current = models.BooleanField(_("current edition"), default=False,
                                     help_text=_("The edition whose consultation and agenda the site shows first."))
    is_demo = models.BooleanField(_("demonstration data"), default=False,
                                  help_text=_("Invented for the demonstration; not a real edition."))
    source = models.CharField(_("source"), max_length=500, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True, help_text=TRANSLATIONS_HELP)

    class Meta:
        verbose_name = _("forum edition")
        verbose_name_plural = _("forum editions")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True),
                                    name="forum_one_current_edition"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="forum_edition_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})

    @property
    def display_title(self) -> str:
        """The title in the active language: its translation where there is one ("WSIS+10 High-Level Event"),
        the catalogue's words for the usual "WSIS Forum <year>", else the stored English title."""
        lang = current_language()
        translated = ((self.translations or {}).get(lang) or {}).get("title") if lang != "en" else ""
        if translated:
            return str(translated)
        if self.title == f"WSIS Forum {self.year}":
            return f"{gettext('WSIS Forum')} {self.year}"
        return self.title

    @property
    def title_is_english(self) -> bool:
        return self.display_title == self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:edition", args=[self.year])


_shipped_translations(ForumEdition, ("title", "venue", "theme", "dates_note"))


class ConsultationPhase(BaseModel):
    """A phase of an edition's Open Consultation Process and the submission kinds it accepts.

    A submission of a kind is accepted only on a day that falls inside a phase accepting that kind;
    the services enforce it (``submission_create``).
    """

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("Launch and call for submissions")
        MEETING = "meeting", _("Consultation meeting")
        DEADLINE = "deadline", _("Deadline for submissions")
        FINAL_REVIEW = "final_review", _("Final review meeting")
        FINAL_BRIEF = "final_brief", _("Final brief")

    edition = models.ForeignKey(ForumEdition, verbose_name=_("edition"), on_delete=models.CASCADE,
                                related_name="phases")
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Phase I is 1, phase II is 2…"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("opens on"))
    ends_on = models.DateField(_("closes on"), help_text=_("The last day of the phase (inclusive)."))
    accepts = models.JSONField(_("accepted submission kinds"), default=list, blank=True,
                               help_text=_("Which kinds of submission this phase accepts."))
    meeting_format = models.CharField(_("meeting format"), max_length=12, blank=True,
                                      choices=ForumEdition.Format.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    translations = models.JSONField(_("translations"), default=dict, blank=True, help_text=TRANSLATIONS_HELP)

    class Meta:
        verbose_name = _("consultation phase")
        verbose_name_plural = _("consultation phases")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="forum_phase_number_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="forum_phase_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.edition.year} – {self.name}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A phase cannot close before it opens.")})
        unknown = set(self.accepts or []) - set(SubmissionKind.values)
        if unknown:
            raise ValidationError({"accepts": _("Unknown submission kinds: %(kinds)s.")
                                   % {"kinds": ", ".join(sorted(unknown))}})

    def accepts_kind(self, kind: str) -> bool:
        return kind in (self.accepts or [])

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def accepted_kind_labels(self) -> list[str]:
        labels = dict(SubmissionKind.choices)
        return [labels[k] for k in SubmissionKind.values if k in (self.accepts or [])]


_shipped_translations(ConsultationPhase, ("name", "note"))


class SessionType(models.TextChoices):
    """Formats of WSIS Forum sessions (FACTS.md §5.3)."""

    HIGH_LEVEL_POLICY = "high_level_policy", _("High-level policy session")
    MINISTERIAL = "ministerial", _("Ministerial round table")
    AL_FACILITATION = "al_facilitation", _("Action line facilitation meeting")
    THEMATIC_WORKSHOP = "thematic_workshop", _("Thematic workshop")
    COUNTRY_WORKSHOP = "country_workshop", _("Country workshop")
    REGIONAL_COMMISSIONS = "regional_commissions", _("Regional commissions meeting")
    KNOWLEDGE_CAFE = "knowledge_cafe", _("Knowledge café")
    TRAINING = "training", _("Training session")
    OPEN_SPACE = "open_space", _("Open space talk")
    PRIZE_CEREMONY = "prize_ceremony", _("WSIS Prizes ceremony")
    OTHER = "other", _("Other")


HIGH_LEVEL_TYPES = {SessionType.HIGH_LEVEL_POLICY, SessionType.MINISTERIAL, SessionType.PRIZE_CEREMONY}


class Submission(BaseModel):
    """A contribution to an edition's Open Consultation Process, with its review state.

    Thematic inputs say which action lines and SDGs matter and why; session proposals carry
    a format, organisers and speakers; nominations carry the nominee as their one speaker row;
    regional inputs come from a regional commission's published review.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        MERGED = "merged", _("Merged")
        DECLINED = "declined", _("Declined")

    edition = models.ForeignKey(ForumEdition, verbose_name=_("edition"), on_delete=models.CASCADE,
                                related_name="submissions")
    phase = models.ForeignKey(ConsultationPhase, verbose_name=_("phase"), on_delete=models.PROTECT,
                              related_name="submissions", help_text=_("The phase in which it was received."))
    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices, db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SUBMITTED,
                             db_index=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("description"), help_text=_("What the contribution says or proposes."))
    issue = models.CharField(_("issue"), max_length=255, blank=True,
                             help_text=_("For thematic inputs: the issue the forum should address."))
    session_format = models.CharField(_("proposed format"), max_length=24, choices=SessionType.choices,
                                      blank=True)
    organisers = models.CharField(_("organisers"), max_length=500, blank=True,
                                  help_text=_("The organisations that would run the session."))
    document_url = models.URLField(_("document"), max_length=500, blank=True)
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="forum_submissions")
    commission = models.ForeignKey("taxonomy.RegionalCommission", verbose_name=_("regional commission"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="forum_submissions")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="forum_submissions")
    action_lines = models.ManyToManyField("taxonomy.ActionLine", verbose_name=_("action lines"), blank=True,
                                          related_name="forum_submissions")
    goals = models.ManyToManyField("taxonomy.Goal", verbose_name=_("SDGs"), blank=True,
                                   related_name="forum_submissions")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="merged_from")
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation submission")
        verbose_name_plural = _("consultation submissions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["edition", "kind", "state"], name="forum_submission_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(commission__isnull=False),
                name="forum_submission_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:submission", args=[self.pk])

    @property
    def source_name(self) -> str:
        if self.organisation_id:
            return str(self.organisation)
        return str(self.commission or "")


class SubmissionSpeaker(models.Model):
    """A proposed speaker of a session proposal, or the nominee of a nomination (for balance statistics)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.NOT_STATED)
    region = models.CharField(_("region"), max_length=16, choices=SpeakerRegion.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("proposed speaker")
        verbose_name_plural = _("proposed speakers")
        ordering = ["submission", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Room(BaseModel):
    """A room of an edition's venue (or a virtual room) in which sessions are scheduled."""

    edition = models.ForeignKey(ForumEdition, verbose_name=_("edition"), on_delete=models.CASCADE,
                                related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_virtual = models.BooleanField(_("virtual room"), default=False)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["edition", "name"]
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="forum_room_name_unique")]

    def __str__(self) -> str:
        return self.name


class Session(Versioned, BaseModel):
    """A session of the forum's agenda: its type, track, tags, speakers and (once scheduled) room and time.

    Scheduling goes through ``session_schedule``, which refuses to double-book a room or a speaker.
    """

    class Track(models.TextChoices):
        HIGH_LEVEL = "high_level", _("High-Level Track")
        FORUM = "forum", _("Forum Track")

    edition = models.ForeignKey(ForumEdition, verbose_name=_("edition"), on_delete=models.CASCADE,
                                related_name="sessions")
    title = models.CharField(_("title"), max_length=255)
    type = models.CharField(_("type"), max_length=24, choices=SessionType.choices, db_index=True)
    track = models.CharField(_("track"), max_length=12, choices=Track.choices, default=Track.FORUM, db_index=True)
    description = models.TextField(_("description"), blank=True)
    organisers = models.CharField(_("organisers"), max_length=500, blank=True)
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organising organisation"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="forum_sessions")
    submission = models.OneToOneField(Submission, verbose_name=_("proposal"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="session")
    room = models.ForeignKey(Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    action_lines = models.ManyToManyField("taxonomy.ActionLine", verbose_name=_("action lines"), blank=True,
                                          related_name="forum_sessions")
    goals = models.ManyToManyField("taxonomy.Goal", verbose_name=_("SDGs"), blank=True,
                                   related_name="forum_sessions")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="forum_session_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:session", args=[self.edition.year, self.pk])

    @property
    def is_scheduled(self) -> bool:
        return bool(self.room_id and self.starts_at and self.ends_at)


class SessionSpeaker(models.Model):
    """A speaker of a session. ``key`` (the name folded to lower case) finds the same person in two sessions."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("matching key"), max_length=200, db_index=True, editable=False)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.NOT_STATED)
    region = models.CharField(_("region"), max_length=16, choices=SpeakerRegion.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        ordering = ["session", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "key"], name="forum_session_speaker_unique")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def make_key(name: str) -> str:
        return " ".join(name.split()).casefold()


class SessionOutcome(Versioned, BaseModel):
    """What a session concluded, reported by its organisers: key points, action lines and SDGs addressed."""

    session = models.OneToOneField(Session, verbose_name=_("session"), on_delete=models.CASCADE,
                                   related_name="outcome")
    key_points = models.TextField(_("key points"))
    action_lines = models.ManyToManyField("taxonomy.ActionLine", verbose_name=_("action lines addressed"),
                                          related_name="forum_outcomes")
    goals = models.ManyToManyField("taxonomy.Goal", verbose_name=_("SDGs addressed"), blank=True,
                                   related_name="forum_outcomes")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("session outcome")
        verbose_name_plural = _("session outcomes")

    def __str__(self) -> str:
        return f"Outcome of {self.session}"


class OutcomeDocument(BaseModel):
    """The edition's outcome document: compiled (a draft only the secretariat sees), reviewed, then
    published (public, frozen); when and by whom, and its files with their checksums."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being generated")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    edition = models.OneToOneField(ForumEdition, verbose_name=_("edition"), on_delete=models.CASCADE,
                                   related_name="outcome_document")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    compiled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("compiled by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    session_count = models.PositiveIntegerField(_("sessions with an outcome"), default=0)
    pdf = models.FileField(_("PDF"), upload_to="forum/outcomes/", blank=True)
    docx = models.FileField(_("DOCX"), upload_to="forum/outcomes/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    docx_sha256 = models.CharField(_("DOCX SHA-256"), max_length=64, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The review step: compiled files stay with the secretariat until it publishes them; then they never change.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("outcome document")
        verbose_name_plural = _("outcome documents")

    def __str__(self) -> str:
        return f"Outcome document {self.edition.year}"


MilestoneTitle = translated_fields("title", verbose_name=_("title"), max_length=300)
MilestoneDescription = translated_fields("description", verbose_name=_("description"), text=True, required=False)


class Milestone(MilestoneTitle, MilestoneDescription, Versioned, BaseModel):
    """A milestone of the WSIS process timeline, 1998–2030: a resolution, a summit, a review, a forum…"""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        SUMMIT = "summit", _("Summit")
        REVIEW = "review", _("Review")
        AGENDA = "agenda", _("Global agenda")
        HLPF = "hlpf", _("High-level Political Forum")
        FORUM = "forum", _("WSIS Forum")
        TARGET = "target", _("Target year")

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    date = models.DateField(_("date"), db_index=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    precision = models.CharField(_("date precision"), max_length=6, choices=Precision.choices,
                                 default=Precision.DAY,
                                 help_text=_("How exactly the date is known; a month or a year is shown as such."))
    reference = models.CharField(_("document symbol"), max_length=60, blank=True,
                                 help_text=_("For example A/RES/70/125."))
    url = models.URLField(_("link"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    edition = models.ForeignKey(ForumEdition, verbose_name=_("forum edition"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="milestones")
    hlpf_session = models.ForeignKey("taxonomy.HLPFSession", verbose_name=_("HLPF session"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="forum_milestones")

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "slug"]

    def __str__(self) -> str:
        return f"{self.date:%Y} {self.title_en}"

    def clean(self):
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": _("The end date cannot be before the date.")})
