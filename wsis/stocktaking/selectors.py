"""Reads of the stocktaking registry: details, queues, matrix suggestions and moderation.

The public search with its facets is in ``search.py``; its filters in ``filters.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower, Trim
from django.http import Http404

from wsis.core.cache import cached
from wsis.taxonomy.models import (
    ActionLine,
    CommissionMembership,
    MatrixLink,
    RegionalCommission,
    Target,
)
from wsis.taxonomy.selectors import matrix_links

from .filters import active_q as _active_q
from .models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeRevision,
    InitiativeTarget,
    InitiativeTranslation,
    ProgressReport,
)
from .permissions import can_edit, can_moderate, can_view
from .services import search_generation

__all__ = [
    "initiative_get",
    "with_detail_relations",
    "initiative_get_for_edit",
    "initiative_list_for_user",
    "initiative_latest",
    "initiative_matrix_rationale",
    "matrix_suggestions",
    "quality_many_tags",
    "quality_never_reviewed",
    "quality_duplicates",
    "quality_prefilled_matrix",
    "PrefilledEntry",
    "MatrixSuggestion",
    "moderation_queue",
    "ModerationFilters",
    "pending_revision_get",
    "revision_list",
    "progress_report_list",
    "progress_report_prefill",
    "initiative_is_active",
    "with_activity",
    "active_initiative_count",
    "action_line_figures",
    "translation_list",
    "translation_get",
]

State = Initiative.State
CountryLink = Initiative.countries.through

# --- single initiatives ---------------------------------------------------------------------------

def _detail_queryset() -> QuerySet:
    return with_detail_relations(Initiative.objects.all())


def with_detail_relations(qs: QuerySet) -> QuerySet:
    """Everything a detail page or API item shows, in a fixed number of queries."""
    return qs.defer("search_vector", "facet_tokens").select_related("organisation__country", "organisation__stakeholder_type").prefetch_related(
        "countries",
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.select_related("action_line")
                 .order_by("-is_primary", "action_line__order")),
        Prefetch("goal_tags", queryset=InitiativeGoal.objects.select_related("goal").order_by("goal__number")),
        Prefetch("target_tags", queryset=InitiativeTarget.objects.select_related("target__goal")
                 .order_by("target__goal__number", "target__order")),
        "target_group_tags",
        "translations",
    )


def initiative_get(*, pk: int, user) -> Initiative:
    """One initiative as ``user`` may see it: 404 when it does not exist or is not theirs to see."""
    initiative = _detail_queryset().filter(pk=pk).first()
    if initiative is None or not can_view(user, initiative):
        raise Http404
    return initiative


def initiative_get_for_edit(*, pk: int, user) -> Initiative:
    """An initiative ``user`` may edit; 404 if they may not even see it, PermissionDenied if read-only."""
    from django.core.exceptions import PermissionDenied

    initiative = initiative_get(pk=pk, user=user)
    if not can_edit(user, initiative.organisation):
        raise PermissionDenied
    return initiative


def initiative_list_for_user(*, user) -> QuerySet:
    """All initiatives of the organisations ``user`` belongs to, every state, newest changes first."""
    if not getattr(user, "is_authenticated", False):
        return Initiative.objects.none()
    return (Initiative.objects.filter(organisation__memberships__user=user)
            .select_related("organisation")
            .annotate(has_pending=Exists(InitiativeRevision.objects.filter(initiative=OuterRef("pk"), pending=True)))
            .order_by("-updated_at"))


def initiative_latest(*, limit: int = 5, **filters) -> tuple[list[Initiative], int]:
    """The newest published initiatives matching simple filters, and how many match (two queries,
    cached in the shared cache under the data generation: home, country, organisation sections)."""
    def build():
        qs = Initiative.objects.filter(state=State.PUBLISHED, **filters)
        items = list(qs.select_related("organisation").prefetch_related("translations")
                     .order_by("-published_at", "-id")[:limit])
        return items, qs.count()

    key = sorted((name, getattr(value, "pk", value)) for name, value in filters.items())
    return cached("stocktaking:latest", build, limit, key)


def initiative_matrix_rationale(initiative: Initiative) -> list[MatrixLink]:
    """The current Matrix links between the initiative's action lines and its SDG targets (or goals)."""
    al_ids = [t.action_line_id for t in initiative.action_line_tags.all()]
    target_ids = [t.target_id for t in initiative.target_tags.all()]
    goal_ids = [t.goal_id for t in initiative.goal_tags.all()]
    if not al_ids:
        return []
    return list(matrix_links().filter(action_line_id__in=al_ids).filter(
        Q(target_id__in=target_ids) | Q(target__isnull=True, goal_id__in=goal_ids)))


def revision_list(initiative: Initiative) -> QuerySet:
    return initiative.revisions.select_related("author").order_by("-number")


def pending_revision_get(initiative: Initiative) -> InitiativeRevision | None:
    return initiative.revisions.filter(pending=True).select_related("author").first()


# --- matrix suggestions ----------------------------------------------------------------------------

@dataclass
class MatrixSuggestion:
    """An SDG target the current Matrix links to one or more chosen action lines, with the reasons."""

    target: Target
    reasons: list[tuple[ActionLine, MatrixLink]]  # the link gives its rationale in the visitor's language


def matrix_suggestions(action_lines: list[ActionLine]) -> list[MatrixSuggestion]:
    """Targets linked by the current Matrix to any of ``action_lines`` (one query)."""
    if not action_lines:
        return []
    by_target: dict[int, MatrixSuggestion] = {}
    for link in matrix_links().filter(action_line__in=action_lines, target__isnull=False).order_by(
            "goal__number", "target__order", "action_line__order"):
        suggestion = by_target.setdefault(link.target_id, MatrixSuggestion(link.target, []))
        suggestion.reasons.append((link.action_line, link))
    return list(by_target.values())


# --- moderation ------------------------------------------------------------------------------------

@dataclass
class ModerationFilters:
    state: str = ""
    organisation: str = ""
    country: str = ""
    action_line: str = ""
    submitted_from: Any = None
    submitted_to: Any = None


def moderation_queue(*, user, filters: ModerationFilters | None = None) -> QuerySet:
    """Entries and updates waiting for moderators, oldest submission first. Empty for non-moderators."""
    if not can_moderate(user):
        return Initiative.objects.none()
    f = filters or ModerationFilters()
    queued = {State.SUBMITTED, State.IN_REVIEW}
    states = [f.state] if f.state in queued else list(queued)
    pending = InitiativeRevision.objects.filter(initiative=OuterRef("pk"), pending=True, state__in=states)
    qs = Initiative.objects.annotate(update_pending=Exists(pending)).filter(
        Q(state__in=states) | Q(state=State.PUBLISHED, update_pending=True))
    if f.organisation:
        qs = qs.filter(organisation__slug=f.organisation)
    if f.country:
        qs = qs.filter(Exists(CountryLink.objects.filter(initiative_id=OuterRef("pk"), country__iso3=f.country.upper())))
    if f.action_line:
        qs = qs.filter(Exists(InitiativeActionLine.objects.filter(initiative=OuterRef("pk"),
                                                                  action_line__code=f.action_line.upper())))
    if f.submitted_from:
        qs = qs.filter(submitted_at__date__gte=f.submitted_from)
    if f.submitted_to:
        qs = qs.filter(submitted_at__date__lte=f.submitted_to)
    return qs.select_related("organisation__country", "created_by").prefetch_related(
        Prefetch("action_line_tags", queryset=InitiativeActionLine.objects.filter(is_primary=True)
                 .select_related("action_line")),
    ).order_by(F("submitted_at").asc(nulls_last=True), "pk")


def moderation_counts(*, user) -> dict[str, int]:
    qs = moderation_queue(user=user).order_by()
    counts: dict[str, int] = defaultdict(int)
    for state, n in qs.values_list("state").annotate(n=Count("pk")):
        counts[state] += n
    return dict(counts)


def commission_choices() -> list[tuple[str, str]]:
    return [(c.code, c.code) for c in RegionalCommission.objects.all()]


def commission_membership_countries(code: str) -> QuerySet:
    return CommissionMembership.objects.filter(commission__code=code).values("country_id")


# --- data quality ----------------------------------------------------------------------------------

# An initiative with more SDG tags than this, or more targets than MANY_TARGETS, is listed as
# "unusually many tags" (the form asks submitters to confirm goals beyond the fifth).
MANY_GOALS = 5
MANY_TARGETS = 12
QUALITY_LIMIT = 50
REVIEWABLE = (Initiative.State.PUBLISHED, Initiative.State.SUBMITTED, Initiative.State.IN_REVIEW)


def _count(model, **filters):
    qs = (model.objects.filter(initiative_id=OuterRef("pk"), **filters).order_by().values("initiative_id")
          .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(qs, output_field=IntegerField()), 0)


def quality_many_tags(*, limit: int = QUALITY_LIMIT) -> tuple[int, list[Initiative]]:
    """Published or queued initiatives with more than ``MANY_GOALS`` SDGs or ``MANY_TARGETS`` targets,
    the most tagged first (how many in all, and the first ``limit``)."""
    qs = (Initiative.objects.filter(state__in=REVIEWABLE).select_related("organisation")
          .annotate(goal_count=_count(InitiativeGoal), target_count=_count(InitiativeTarget))
          .filter(Q(goal_count__gt=MANY_GOALS) | Q(target_count__gt=MANY_TARGETS))
          .order_by("-goal_count", "-target_count", "pk"))
    return qs.count(), list(qs[:limit])


def _unconfirmed(model) -> QuerySet:
    return model.objects.filter(confirmed_by__isnull=True).values("initiative_id")


def quality_never_reviewed(*, limit: int = QUALITY_LIMIT) -> tuple[int, list[Initiative]]:
    """Published initiatives no moderator has approved or corrected since they were entered: no
    moderation date and no tag a moderator confirmed. Oldest first."""
    confirmed = Q(pk__in=InitiativeGoal.objects.filter(confirmed_by__isnull=False).values("initiative_id")) | Q(
        pk__in=InitiativeActionLine.objects.filter(confirmed_by__isnull=False).values("initiative_id"))
    qs = (Initiative.objects.filter(state=Initiative.State.PUBLISHED, last_reviewed_at__isnull=True)
          .exclude(confirmed).select_related("organisation").order_by("published_at", "pk"))
    return qs.count(), list(qs[:limit])


def quality_duplicates(*, limit: int = QUALITY_LIMIT) -> list[list[Initiative]]:
    """Groups of live initiatives with the same title (case and surrounding spaces ignored), largest first."""

    live = Initiative.objects.exclude(state__in=[Initiative.State.REJECTED, Initiative.State.ARCHIVED])
    keys = list(live.annotate(key=Lower(Trim("title"))).values("key").annotate(n=Count("pk"))
                .filter(n__gt=1).order_by("-n", "key").values_list("key", flat=True)[:limit])
    if not keys:
        return []
    groups: dict[str, list[Initiative]] = {k: [] for k in keys}
    for initiative in (live.annotate(key=Lower(Trim("title"))).filter(key__in=keys)
                       .select_related("organisation").order_by("pk")):
        groups[initiative.key].append(initiative)
    return [g for g in groups.values() if len(g) > 1]


@dataclass
class PrefilledEntry:
    """An initiative whose targets are exactly what the Matrix suggests for its action lines."""

    initiative: Initiative
    targets: int
    goals: int


PREFILLED_CACHE_SECONDS = 300


def quality_prefilled_matrix(*, limit: int | None = None) -> list[PrefilledEntry]:
    """The one-off review queue (see :func:`_prefilled_ids`), oldest first.

    The ids are cached for five minutes under the search generation, which every approval and tag
    correction bumps, so a corrected entry leaves the queue at once."""
    key = f"stocktaking:prefilled:{search_generation()}"
    matching = cache.get(key)
    if matching is None:
        matching = _prefilled_ids()
        cache.set(key, matching, PREFILLED_CACHE_SECONDS)
    qs = (Initiative.objects.filter(pk__in=matching).select_related("organisation")
          .annotate(goal_count=_count(InitiativeGoal), target_count=_count(InitiativeTarget))
          .order_by("published_at", "pk"))
    if limit:
        qs = qs[:limit]
    return [PrefilledEntry(i, i.target_count, i.goal_count) for i in qs]


def _prefilled_ids() -> list[int]:
    """Ids of the initiatives tagged before suggestions stopped being pre-ticked whose SDG targets equal
    the whole Matrix suggestion set of their action lines (the sign of a form accepted as it came), and
    which no moderator has confirmed since.

    The Matrix is read once; the candidates are the initiatives with an unconfirmed Matrix-sourced
    target, read in one pass over their tags.
    """
    links: dict[int, set[int]] = defaultdict(set)
    for al_id, target_id in matrix_links().filter(target__isnull=False).values_list("action_line_id", "target_id"):
        links[al_id].add(target_id)
    candidates = (InitiativeTarget.objects.filter(source="matrix", confirmed_by__isnull=True)
                  .exclude(initiative__state__in=[Initiative.State.REJECTED, Initiative.State.ARCHIVED])
                  .values("initiative_id").distinct())
    targets: dict[int, set[int]] = defaultdict(set)
    for initiative_id, target_id in InitiativeTarget.objects.filter(initiative_id__in=candidates).values_list(
            "initiative_id", "target_id"):
        targets[initiative_id].add(target_id)
    lines: dict[int, set[int]] = defaultdict(set)
    for initiative_id, al_id in InitiativeActionLine.objects.filter(initiative_id__in=candidates).values_list(
            "initiative_id", "action_line_id"):
        lines[initiative_id].add(al_id)
    matching = []
    for initiative_id, tagged in targets.items():
        suggested = set().union(*(links[a] for a in lines[initiative_id])) if lines[initiative_id] else set()
        if suggested and tagged == suggested:
            matching.append(initiative_id)
    return matching


# --- tags and their provenance ---------------------------------------------------------------------

@dataclass
class TagRow:
    kind: str  # "action_line", "goal", "target"
    code: str
    label: str
    source: str
    source_label: str
    added_by: Any
    confirmed_by: Any
    confirmed_at: Any
    is_primary: bool = False


def initiative_tags_with_provenance(initiative: Initiative) -> list[TagRow]:
    """Every action-line, SDG and target tag with where it came from and who confirmed it (3 queries)."""
    rows = []
    related = ("added_by", "confirmed_by")
    for t in initiative.action_line_tags.select_related("action_line", *related).order_by(
            "-is_primary", "action_line__order"):
        rows.append(TagRow("action_line", t.action_line.code, t.action_line.short_name or t.action_line.name, t.source,
                           t.get_source_display(), t.added_by, t.confirmed_by, t.confirmed_at, t.is_primary))
    for t in initiative.goal_tags.select_related("goal", *related).order_by("goal__number"):
        rows.append(TagRow("goal", str(t.goal.number), t.goal.short_name or t.goal.title, t.source,
                           t.get_source_display(), t.added_by, t.confirmed_by, t.confirmed_at))
    for t in initiative.target_tags.select_related("target", *related).order_by("target__goal__number",
                                                                                   "target__order"):
        rows.append(TagRow("target", t.target.code, t.target.title, t.source, t.get_source_display(), t.added_by,
                           t.confirmed_by, t.confirmed_at))
    return rows


def initiative_tag_initial(initiative: Initiative) -> dict[str, list[str]]:
    """The moderator's tag form filled with the initiative's current tags (codes and numbers)."""
    return {
        "action_lines": list(initiative.action_line_tags.values_list("action_line__code", flat=True)),
        "goals": [str(n) for n in initiative.goal_tags.values_list("goal__number", flat=True)],
        "targets": list(initiative.target_tags.values_list("target__code", flat=True)),
    }


# --- progress reports (issue 18) -------------------------------------------------------------------

def progress_report_list(initiative: Initiative) -> QuerySet[ProgressReport]:
    """The initiative's progress reports, the latest year first."""
    return ProgressReport.objects.filter(initiative=initiative).select_related("filed_by").order_by("-year")


def progress_report_prefill(initiative: Initiative, *, year: int) -> dict[str, Any]:
    """Initial values of the progress report form for ``year``: that year's report if there is one,
    else the last report (status, resources, obstacles carried over; deliverables and people reached
    are the year's own, so they start from the last ones as a reminder), else the entry's status."""
    same = ProgressReport.objects.filter(initiative=initiative, year=year).first()
    last = same or ProgressReport.objects.filter(initiative=initiative).order_by("-year").first()
    initial: dict[str, Any] = {"year": year, "status": initiative.status}
    if last is not None:
        initial.update({"status": last.status, "deliverables": last.deliverables,
                        "people_reached": last.people_reached, "resources": last.resources,
                        "obstacles": last.obstacles})
    return initial


def initiative_is_active(initiative: Initiative) -> bool:
    """Published or reported on in the last two years (see ``filters.active_q``)."""
    return with_activity(Initiative.objects.filter(pk=initiative.pk)).values_list("is_active", flat=True).first() is True


def with_activity(qs: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """``qs`` with ``is_active`` on each row (see ``initiative_is_active``), computed in the same query as
    the rows themselves: a page of search results needs no second query to mark the inactive ones."""
    return qs.annotate(is_active=ExpressionWrapper(_active_q(), output_field=BooleanField()))


def active_initiative_count(*, action_line: ActionLine | None = None) -> tuple[int, int]:
    """(published, of which active) initiatives, for one action line or in all."""
    qs = Initiative.objects.filter(state=State.PUBLISHED)
    if action_line is not None:
        qs = qs.filter(action_line_tags__action_line=action_line)
    return qs.count(), qs.filter(_active_q()).count()


def action_line_figures(*, action_line: ActionLine, start, end) -> dict[str, int]:
    """The registry's figures on one action line for an agency's report: published initiatives, the
    active ones among them, and those published between ``start`` and ``end`` (dates, inclusive)."""
    total, active = active_initiative_count(action_line=action_line)
    new = (Initiative.objects.filter(state=State.PUBLISHED, action_line_tags__action_line=action_line,
                                     published_at__date__gte=start, published_at__date__lte=end).count())
    return {"initiatives_total": total, "initiatives_active": active, "initiatives_new": new}


def country_codes_by_initiatives(*, limit: int) -> list[str]:
    """ISO3 codes of the ``limit`` countries with the most published initiatives, most first."""
    if limit <= 0:
        return []
    rows = (Initiative.countries.through.objects.filter(initiative__state=State.PUBLISHED)
            .values("country__iso3").annotate(n=Count("initiative_id")).order_by("-n", "country__iso3")[:limit])
    return [row["country__iso3"] for row in rows]


# --- translations (issue 21) -----------------------------------------------------------------------

def translation_list(initiative: Initiative) -> list[InitiativeTranslation]:
    """The translations of ``initiative``'s title and summary, in language order (prefetched by the detail)."""
    return sorted(initiative.translations.all(), key=lambda t: t.language)


def translation_get(*, initiative: Initiative, language: str) -> InitiativeTranslation:
    """The translation of ``initiative`` into ``language`` (the caller checked the initiative); 404 otherwise."""
    translation = InitiativeTranslation.objects.filter(initiative=initiative, language=language).first()
    if translation is None:
        raise Http404
    translation.initiative = initiative
    return translation
