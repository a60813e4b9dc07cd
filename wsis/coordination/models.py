"""Coordination after WSIS+20 (issue 18): action-line road maps, facilitation meetings and agency reporting.

A/RES/80/173 ¶113 asks the action-line facilitators, with UNGIS, for "targeted and result-oriented
implementation road maps". Each action-line unit has one :class:`RoadMap` (the working copy, edited
by the lead facilitator's team; co-facilitators add status updates) and numbered
:class:`RoadMapVersion` snapshots; only published versions are public.

Evidence that lives in sibling apps (a WSIS Forum session, a regional review report) is linked by its
URL on this platform, checked against the URL's view when saved: ``coordination`` sits beside
``reviews`` and ``forum`` in the layers and imports neither. Initiatives (``stocktaking``, below) and
indicators are plain foreign keys.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wsis.core.models import BaseModel, Versioned

__all__ = [
    "GDCObjective",
    "RoadMap",
    "Objective",
    "Milestone",
    "StatusUpdate",
    "EvidenceLink",
    "RoadMapVersion",
    "Meeting",
    "Decision",
    "ReportingRound",
    "Contribution",
]


class GDCObjective(models.TextChoices):
    """The codes road maps store for the five objectives of the Global Digital Compact (A/RES/79/1,
    annex I). Their names, in the six languages and with the provenance of each text, are the
    reference list of ``wsis.taxonomy.gdc`` (one list for the whole platform: the prizes use it too)."""

    GDC1 = "GDC1", "GDC 1"
    GDC2 = "GDC2", "GDC 2"
    GDC3 = "GDC3", "GDC 3"
    GDC4 = "GDC4", "GDC 4"
    GDC5 = "GDC5", "GDC 5"


class RoadMap(Versioned, BaseModel):
    """The working copy of an action-line unit's implementation road map."""

    action_line = models.OneToOneField("taxonomy.ActionLine", verbose_name=_("action line"),
                                       on_delete=models.PROTECT, related_name="road_map")
    summary = models.TextField(_("summary"), max_length=4000, blank=True,
                               help_text=_("What the action line's facilitators aim to achieve, in a paragraph."))
    targets = models.ManyToManyField("taxonomy.Target", verbose_name=_("SDG targets"), blank=True,
                                     related_name="road_maps",
                                     help_text=_("Targets linked to the action line in the WSIS–SDG Matrix."))
    gdc_objectives = models.JSONField(_("Global Digital Compact objectives"), default=list, blank=True)

    class Meta:
        verbose_name = _("road map")
        verbose_name_plural = _("road maps")
        ordering = ["action_line__order"]

    def __str__(self) -> str:
        return str(self.action_line)

    def get_absolute_url(self) -> str:
        return reverse("coordination:roadmap", args=[self.action_line.code])


class Objective(BaseModel):
    """A result-oriented objective of a road map."""

    road_map = models.ForeignKey(RoadMap, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(_("objective"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class Milestone(Versioned, BaseModel):
    """A dated milestone; with an indicator, its status is computed from the indicator's series.

    The series is a country's (``country``) or the world aggregate published by the source (no
    country). ``baseline_value`` in ``baseline_year`` and ``target_value`` by ``due_date`` give the
    expected straight path; see ``selectors.milestone_status``.
    """

    road_map = models.ForeignKey(RoadMap, on_delete=models.CASCADE, related_name="milestones")
    objective = models.ForeignKey(Objective, verbose_name=_("objective"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"))
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("indicator"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="milestones")
    country = models.ForeignKey("taxonomy.Country", verbose_name=_("country"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                help_text=_("Leave empty to follow the world value published by the source."))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True,
                                    help_text=_("For a milestone without an indicator: when it was reached."))
    agencies = models.ManyToManyField("taxonomy.Agency", verbose_name=_("responsible agencies"), blank=True,
                                      related_name="milestones")
    decision = models.OneToOneField("Decision", verbose_name=_("from meeting decision"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="milestone")

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=True) | (Q(baseline_year__isnull=False) & Q(baseline_value__isnull=False)
                                                       & Q(target_value__isnull=False)),
                name="coord_milestone_indicator_values",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StatusUpdate(BaseModel):
    """A dated note on a milestone's progress by a facilitator or co-facilitator, with evidence."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("update"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.milestone_id} · {self.date}"


class EvidenceLink(models.Model):
    """Evidence for a status update: a registered initiative, a WSIS Forum session or a review report."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", _("Registered initiative")
        FORUM_SESSION = "forum_session", _("WSIS Forum session")
        REVIEW_REPORT = "review_report", _("Regional review report")

    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    initiative = models.ForeignKey("stocktaking.Initiative", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    path = models.CharField(_("link"), max_length=300, help_text=_("The page's address on this platform."))

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")

    def __str__(self) -> str:
        return self.path


class RoadMapVersion(models.Model):
    """A numbered snapshot of a road map. Published ones are public; the latest published is shown."""

    road_map = models.ForeignKey(RoadMap, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("road map version")
        verbose_name_plural = _("road map versions")
        ordering = ["road_map", "-number"]
        constraints = [models.UniqueConstraint(fields=["road_map", "number"], name="coord_version_unique")]

    def __str__(self) -> str:
        return f"{self.road_map} v{self.number}"


class Meeting(Versioned, BaseModel):
    """An action line's facilitation meeting (often a WSIS Forum session)."""

    action_line = models.ForeignKey("taxonomy.ActionLine", verbose_name=_("action line"), on_delete=models.PROTECT,
                                    related_name="facilitation_meetings")
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    forum_session_path = models.CharField(_("WSIS Forum session"), max_length=300, blank=True,
                                          help_text=_("The session's address on this platform, if the meeting was one."))
    agenda = models.TextField(_("agenda"), max_length=8000, blank=True)
    participants = models.TextField(_("participants"), max_length=8000, blank=True,
                                    help_text=_("One participant or organisation per line."))
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)

    class Meta:
        verbose_name = _("facilitation meeting")
        verbose_name_plural = _("facilitation meetings")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:meeting", args=[self.pk])


class Decision(BaseModel):
    """A decision of a meeting; it can become a road-map milestone."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("decision"), max_length=1000)
    due_date = models.DateField(_("by when"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class ReportingRound(BaseModel):
    """A call to the facilitating agencies for their contributions, e.g. to the CSTD session of 2027."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=300)
    session = models.CharField(_("for"), max_length=100, help_text=_("E.g. CSTD 30th session (2027)."))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="coord_round_period"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:round", args=[self.pk])


class Contribution(Versioned, BaseModel):
    """An agency's contribution to a round for one action line it facilitates."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="contributions")
    action_line = models.ForeignKey("taxonomy.ActionLine", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("taxonomy.Agency", on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("lead facilitator"), default=False)
    # Structured fields (prefilled from the road map and the registry, then edited by the agency).
    milestones_total = models.PositiveIntegerField(_("milestones in the road map"), default=0)
    milestones_achieved = models.PositiveIntegerField(_("milestones achieved"), default=0)
    milestones_late = models.PositiveIntegerField(_("milestones late"), default=0)
    initiatives_total = models.PositiveIntegerField(_("published initiatives on the action line"), default=0)
    initiatives_active = models.PositiveIntegerField(_("of which active"), default=0)
    initiatives_new = models.PositiveIntegerField(_("initiatives published in the period"), default=0)
    events_held = models.PositiveIntegerField(_("meetings and events held"), default=0)
    # Text.
    highlights = models.TextField(_("highlights"), max_length=8000, blank=True)
    challenges = models.TextField(_("challenges"), max_length=8000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=8000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency contribution")
        verbose_name_plural = _("agency contributions")
        ordering = ["action_line__order", "-is_lead", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "action_line", "agency"], name="coord_contribution_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.action_line}"

    def get_absolute_url(self) -> str:
        return reverse("coordination:contribution", args=[self.round_id, self.pk])
