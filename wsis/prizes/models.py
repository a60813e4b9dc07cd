"""The WSIS Prizes: a yearly contest, its 18 categories, entries, expert nomination, public voting,
expert scoring of the finalists and the secretariat's confirmation of winners and champions.

A **Contest** has five phases with dates (FACTS.md §3.2): submission, nomination, public voting,
selection and the announcement at the WSIS Forum. The services refuse every action outside its
phase (not only the templates). A **Category** is one action-line unit (C1–C6, C7's eight
e-applications, C8–C11). An **Entry** promotes a published initiative of the registry (title,
organisation, countries and tags are read from it, never retyped) and adds the contest's boxes.
Experts assigned to a category (**ExpertAssignment**) nominate entries; a **ConflictDeclaration**
(and membership of the entry's organisation) keeps an expert away from an entry. A **Vote** is one
verified account's choice in one category (a database constraint: one per voter and category);
votes can be invalidated with a reason and reinstated, and only valid votes count. Finalists (the
top five per category by valid votes, ties at the fifth place all admitted) are scored by the
experts (**Score**); the secretariat confirms one winner and up to four champions per category.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wsis.core.models import BaseModel

__all__ = ["Phase", "Contest", "Category", "Entry", "ExpertAssignment", "ConflictDeclaration", "Vote", "Score"]


class Phase(models.TextChoices):
    """The five phases of a contest, in order (FACTS.md §3.2)."""

    SUBMISSION = "submission", _("Submission")
    NOMINATION = "nomination", _("Expert nomination")
    VOTING = "voting", _("Public online voting")
    SELECTION = "selection", _("Expert selection")
    ANNOUNCEMENT = "announcement", _("Announcement at the WSIS Forum")


class Contest(BaseModel):
    """One yearly WSIS Prizes contest and the dates of its phases (each inclusive of its last day)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200, help_text=_("For example “WSIS Prizes 2027”."))
    submission_opens = models.DateField(_("submission opens"))
    submission_closes = models.DateField(_("submission closes"))
    nomination_opens = models.DateField(_("nomination opens"))
    nomination_closes = models.DateField(_("nomination closes"))
    voting_opens = models.DateField(_("voting opens"))
    voting_closes = models.DateField(_("voting closes"))
    selection_opens = models.DateField(_("selection opens"))
    selection_closes = models.DateField(_("selection closes"))
    announcement_on = models.DateField(_("announcement"), help_text=_("The prize ceremony at the WSIS Forum."))
    vote_changes_allowed = models.BooleanField(
        _("voters may change their vote"), default=True,
        help_text=_("While voting is open, a voter may move their vote in a category to another nominee."))
    finalists_per_category = models.PositiveSmallIntegerField(_("finalists per category"), default=5)
    champions_max = models.PositiveSmallIntegerField(_("champions per category, at most"), default=4)
    requires_gdc = models.BooleanField(
        _("asks for Global Digital Compact linkages"), default=True,
        help_text=_("From 2026, entries link the project to the objectives of the Global Digital Compact."))
    finalists_selected_at = models.DateTimeField(_("finalists selected"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        verbose_name = _("prize contest")
        verbose_name_plural = _("prize contests")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_closes__gte=models.F("submission_opens"))
                & Q(nomination_opens__gt=models.F("submission_closes"))
                & Q(nomination_closes__gte=models.F("nomination_opens"))
                & Q(voting_opens__gt=models.F("nomination_closes"))
                & Q(voting_closes__gte=models.F("voting_opens"))
                & Q(selection_opens__gt=models.F("voting_closes"))
                & Q(selection_closes__gte=models.F("selection_opens"))
                & Q(announcement_on__gt=models.F("selection_closes")),
                name="prizes_contest_phases_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("prizes:contest", args=[self.year])

    def phase_dates(self) -> list[tuple[str, object, object]]:
        """``(phase, first day, last day)`` in order; the announcement is one day."""
        return [
            (Phase.SUBMISSION, self.submission_opens, self.submission_closes),
            (Phase.NOMINATION, self.nomination_opens, self.nomination_closes),
            (Phase.VOTING, self.voting_opens, self.voting_closes),
            (Phase.SELECTION, self.selection_opens, self.selection_closes),
            (Phase.ANNOUNCEMENT, self.announcement_on, self.announcement_on),
        ]

    def phase_on(self, day) -> str | None:
        """The phase open on ``day``, or None (before the contest, between phases, or after it)."""
        for phase, first, last in self.phase_dates():
            if first <= day <= last:
                return phase
        return None

    def window(self, phase: str) -> tuple:
        for name, first, last in self.phase_dates():
            if name == phase:
                return first, last
        raise KeyError(phase)


class Category(models.Model):
    """One prize category of a contest: one action-line unit."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE,
                                related_name="categories")
    action_line = models.ForeignKey("taxonomy.ActionLine", verbose_name=_("action line"), on_delete=models.PROTECT,
                                    related_name="prize_categories")

    class Meta:
        verbose_name = _("prize category")
        verbose_name_plural = _("prize categories")
        ordering = ["contest", "action_line__order"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "action_line"], name="prizes_category_unique"),
        ]

    def __str__(self) -> str:
        return self.action_line.label

    def get_absolute_url(self) -> str:
        return reverse("prizes:category", args=[self.contest.year, self.action_line.slug])

    @property
    def slug(self) -> str:
        return self.action_line.slug


class Entry(BaseModel):
    """A project entered in one category: a published initiative promoted, plus the contest's boxes."""

    class Stage(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        MAJOR_PHASE = "major_phase", _("At the end of a major phase")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        NOMINATED = "nominated", _("Nominated")
        NOT_NOMINATED = "not_nominated", _("Not nominated")

    class Outcome(models.TextChoices):
        NONE = "", _("None")
        WINNER = "winner", _("Winner")
        CHAMPION = "champion", _("Champion")

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="entries")
    initiative = models.ForeignKey("stocktaking.Initiative", verbose_name=_("initiative"), on_delete=models.PROTECT,
                                   related_name="prize_entries")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("entity"), on_delete=models.PROTECT,
                                     related_name="prize_entries")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.SET_NULL, related_name="prize_entries")
    title = models.CharField(_("title"), max_length=255, help_text=_("The initiative's title when it was entered."))
    language = models.CharField(_("language of the entry"), max_length=8, choices=settings.LANGUAGES, default="en")
    description = models.TextField(_("description for the vote"))
    stage = models.CharField(_("stage of the project"), max_length=12, choices=Stage.choices)
    stage_note = models.TextField(_("which major phase ended"), blank=True)
    impact = models.TextField(_("impact"))
    partnerships = models.TextField(_("partnerships"))
    challenges = models.TextField(_("challenges and outlook"))
    sdg_linkages = models.TextField(_("linkages to the SDGs"))
    goals = models.ManyToManyField("taxonomy.Goal", verbose_name=_("Sustainable Development Goals"), blank=True,
                                   related_name="prize_entries")
    gdc_linkages = models.TextField(_("linkages to the Global Digital Compact"), blank=True)
    gdc_objectives = models.JSONField(_("Global Digital Compact objectives"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SUBMITTED,
                             db_index=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    nomination_note = models.TextField(_("expert's note"), blank=True)
    finalist = models.BooleanField(_("finalist"), default=False)
    vote_rank = models.PositiveIntegerField(_("rank in the vote"), null=True, blank=True)
    votes_at_selection = models.PositiveIntegerField(_("valid votes when finalists were selected"), null=True,
                                                     blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default="", blank=True)

    class Meta:
        verbose_name = _("prize entry")
        verbose_name_plural = _("prize entries")
        ordering = ["category__action_line__order", "title"]
        constraints = [
            # One category per project, and the same project not twice (FACTS.md §3.4).
            models.UniqueConstraint(fields=["contest", "initiative"], name="prizes_entry_project_once"),
            # One project per category per entity.
            models.UniqueConstraint(fields=["category", "organisation"], name="prizes_entry_one_per_entity"),
            models.UniqueConstraint(fields=["category"], condition=Q(outcome="winner"), name="prizes_one_winner"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("prizes:entry", args=[self.contest.year, self.pk])


class ExpertAssignment(models.Model):
    """An expert of the contest's Expert Group, assigned to review one category."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="experts")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prize_assignments")

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [models.UniqueConstraint(fields=["category", "expert"], name="prizes_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.expert} → {self.category}"


class ConflictDeclaration(BaseModel):
    """An expert declares a conflict of interest with an organisation: they never review its entries."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="conflicts")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prize_conflicts")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="prize_conflicts")
    note = models.CharField(_("nature of the conflict"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["contest", "expert", "organisation"],
                                               name="prizes_conflict_unique")]


class Vote(models.Model):
    """One account's vote in one category. Only valid votes count; invalidation is reversible."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="votes")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prize_votes")
    created_at = models.DateTimeField(_("cast"), auto_now_add=True, db_index=True)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    changes = models.PositiveSmallIntegerField(_("times changed"), default=0)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    network = models.CharField(_("network prefix"), max_length=64, blank=True, db_index=True,
                               help_text=_("The /24 (IPv4) or /48 (IPv6) network of the address."))
    is_valid = models.BooleanField(_("valid"), default=True, db_index=True)
    invalid_reason = models.CharField(_("reason for invalidation"), max_length=300, blank=True)
    invalidated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    invalidated_at = models.DateTimeField(_("invalidated"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            # One vote per category per voter, whatever the requests do at the same time.
            models.UniqueConstraint(fields=["voter", "category"], name="prizes_one_vote_per_category"),
        ]
        indexes = [models.Index(fields=["entry", "is_valid"], name="prizes_vote_entry_valid")]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.entry_id}"


class Score(BaseModel):
    """An expert's score of a finalist (1–10) against the published criteria."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prize_scores")
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("expert score")
        verbose_name_plural = _("expert scores")
        constraints = [
            models.UniqueConstraint(fields=["entry", "expert"], name="prizes_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=10), name="prizes_score_range"),
        ]
