"""Reads of the classify app: suggestions for a text with their taxonomy objects, runs, disagreements."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from wsis.stocktaking.models import Initiative
from wsis.taxonomy.models import ActionLine, Goal, Target

from .backends import Suggestion, get_backend
from .models import InitiativeSuggestion, SuggestionRun

__all__ = [
    "GoalSuggestion",
    "SuggestionView",
    "TagComparison",
    "initiative_tag_comparison",
    "disagreement_summary",
    "suggestion_list",
    "suggestion_run_get",
    "suggestion_run_list",
    "text_suggestions",
]

MAX_TEXT = 50_000


@dataclass
class TargetItem:
    target: Target
    score: float


@dataclass
class GoalSuggestion:
    goal: Goal
    score: float
    targets: list[TargetItem] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass
class ActionLineItem:
    action_line: ActionLine
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class SuggestionView:
    """A backend's suggestion with the Goal, Target and ActionLine rows it names (3 queries)."""

    raw: Suggestion
    goals: list[GoalSuggestion]
    action_lines: list[ActionLineItem]
    backend: str

    @property
    def empty(self) -> bool:
        return not self.goals and not self.action_lines


def _resolve(suggestion: Suggestion, backend_name: str) -> SuggestionView:
    target_codes = [t.code for ts in suggestion.targets.values() for t in ts]
    goals = {g.number: g for g in Goal.objects.filter(number__in=suggestion.sdgs)}
    targets = {t.code: t for t in Target.objects.filter(code__in=target_codes)}
    lines = {a.code: a for a in ActionLine.objects.filter(code__in=suggestion.action_lines)}
    goal_items = []
    for number in suggestion.sdgs:
        if number not in goals:
            continue
        goal_items.append(GoalSuggestion(
            goal=goals[number], score=suggestion.scores.get(number, 0.0),
            targets=[TargetItem(targets[t.code], t.score) for t in suggestion.targets.get(number, []) if t.code in targets],
            evidence=suggestion.evidence.get(str(number), []),
        ))
    line_items = [ActionLineItem(lines[c], suggestion.action_line_scores.get(c, 0.0), suggestion.evidence.get(c, []))
                  for c in suggestion.action_lines if c in lines]
    return SuggestionView(suggestion, goal_items, line_items, backend_name)


def suggestion_quality() -> dict:
    """The default backend's measured quality, as percentages for display (None: not measured)."""
    quality = get_backend().quality
    return {key: (round(100 * value) if isinstance(value, (int, float)) else None)
            for key, value in quality.items() if not key.endswith("measured_on")}


def text_suggestions(*, text: str) -> SuggestionView:
    """Suggestions for a free text (title, summary and description joined), nothing stored."""
    backend = get_backend()
    return _resolve(backend.suggest((text or "")[:MAX_TEXT]), backend.name)


@dataclass
class TagComparison:
    """Where the submitter's tags and the classifier's suggestions agree and disagree."""

    suggestion: SuggestionView
    agreed_goals: list[Goal]
    tagged_not_suggested: list[Goal]
    suggested_not_tagged: list[GoalSuggestion]
    agreed_lines: list[ActionLine]
    lines_tagged_not_suggested: list[ActionLine]
    lines_suggested_not_tagged: list[ActionLine]

    @property
    def disagrees(self) -> bool:
        return bool(self.tagged_not_suggested or self.suggested_not_tagged or self.lines_tagged_not_suggested
                    or self.lines_suggested_not_tagged)


def initiative_tag_comparison(*, initiative: Initiative) -> TagComparison:
    from .services import initiative_text

    view = text_suggestions(text=initiative_text(initiative))
    tagged_goals = list(Goal.objects.filter(initiative_tags__initiative=initiative).order_by("number"))
    tagged_lines = list(ActionLine.objects.filter(initiative_tags__initiative=initiative).order_by("order"))
    suggested_numbers = {g.goal.number for g in view.goals}
    tagged_numbers = {g.number for g in tagged_goals}
    suggested_lines = {a.action_line.code for a in view.action_lines}
    tagged_line_codes = {a.code for a in tagged_lines}
    return TagComparison(
        suggestion=view,
        agreed_goals=[g for g in tagged_goals if g.number in suggested_numbers],
        tagged_not_suggested=[g for g in tagged_goals if g.number not in suggested_numbers],
        suggested_not_tagged=[g for g in view.goals if g.goal.number not in tagged_numbers],
        agreed_lines=[a for a in tagged_lines if a.code in suggested_lines],
        lines_tagged_not_suggested=[a for a in tagged_lines if a.code not in suggested_lines],
        lines_suggested_not_tagged=[a.action_line for a in view.action_lines if a.action_line.code not in tagged_line_codes],
    )


def suggestion_run_list() -> QuerySet[SuggestionRun]:
    return SuggestionRun.objects.select_related("requested_by").annotate(
        pending=Count("suggestions", filter=Q(suggestions__decision=InitiativeSuggestion.Decision.PENDING)),
    )


def suggestion_run_get(*, pk: int) -> SuggestionRun:
    return get_object_or_404(SuggestionRun.objects.select_related("requested_by"), pk=pk)


def suggestion_list(*, run: SuggestionRun, decision: str | None = InitiativeSuggestion.Decision.PENDING,
                    only_news: bool = True) -> QuerySet[InitiativeSuggestion]:
    """A run's suggestions, newest decisions last; ``only_news`` keeps those that would add a tag."""
    qs = run.suggestions.select_related("initiative", "initiative__organisation").order_by("initiative_id")
    if decision:
        qs = qs.filter(decision=decision)
    if only_news:
        # JSON list emptiness is compared the same way on SQLite and PostgreSQL.
        qs = qs.exclude(new_goals=[], new_targets=[])
    return qs


@dataclass
class DisagreementRow:
    key: str
    label: str
    checked: int
    disagree: int

    @property
    def share(self) -> int:
        return round(100 * self.disagree / self.checked) if self.checked else 0


@dataclass
class DisagreementSummary:
    """How often tags and the classifier disagree, by organisation and by primary action line, in the
    latest finished run: an initiative disagrees when it carries an SDG the classifier did not suggest."""

    run: SuggestionRun | None
    by_organisation: list[DisagreementRow]
    by_action_line: list[DisagreementRow]


def disagreement_summary(*, limit: int = 25) -> DisagreementSummary:
    run = SuggestionRun.objects.filter(status=SuggestionRun.Status.DONE).order_by("-finished_at", "-pk").first()
    if run is None:
        return DisagreementSummary(None, [], [])
    rows = run.suggestions.all()
    disagreeing = rows.exclude(missing_goals=[])

    def grouped(column, label_column):
        totals = {r[column]: r for r in rows.values(column, label_column).annotate(n=Count("pk"))}
        bad = dict(disagreeing.values_list(column).annotate(n=Count("pk")).values_list(column, "n"))
        out = [DisagreementRow(str(key), str(r[label_column] or "—"), r["n"], bad.get(key, 0))
               for key, r in totals.items()]
        out.sort(key=lambda r: (-r.disagree, -r.share, r.label))
        return [r for r in out if r.disagree][:limit]

    primary = "initiative__action_line_tags__action_line__code"
    by_line_rows = rows.filter(initiative__action_line_tags__is_primary=True)
    totals = dict(by_line_rows.values_list(primary).annotate(n=Count("pk")).values_list(primary, "n"))
    bad = dict(by_line_rows.exclude(missing_goals=[]).values_list(primary).annotate(n=Count("pk"))
               .values_list(primary, "n"))
    by_line = sorted((DisagreementRow(code, code, n, bad.get(code, 0)) for code, n in totals.items()
                      if bad.get(code)), key=lambda r: (-r.disagree, r.label))[:limit]
    return DisagreementSummary(run, grouped("initiative__organisation_id", "initiative__organisation__name"), by_line)
