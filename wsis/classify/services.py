"""Writes of the classify app: bulk suggestion runs and accepting suggestions as tags.

Accepted suggestions become ``InitiativeGoal`` / ``InitiativeTarget`` rows with source
``TagSource.CLASSIFIER``, written by ``stocktaking.services.initiative_tags_add`` (revision, audit
row, "tags changed" event); tags that already exist keep their own source (a submitter's or a
moderator's tag is never relabelled). Every accept, dismiss and run writes an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.core.permissions import can_moderate
from wsis.core.services import audit_record
from wsis.stocktaking.models import Initiative, TagSource
from wsis.stocktaking.services import initiative_tags_add
from wsis.taxonomy.models import Goal, Target

from .backends import get_backend
from .models import InitiativeSuggestion, SuggestionRun

__all__ = [
    "ERROR_NOT_ALLOWED",
    "ERROR_RUN_ACTIVE",
    "ERROR_UNKNOWN_TAGS",
    "AcceptResult",
    "initiative_text",
    "initiative_tags_accept",
    "suggestion_accept",
    "suggestion_dismiss",
    "suggestion_run_create",
    "suggestion_run_execute",
    "user_can_review_suggestions",
]

ERROR_NOT_ALLOWED = _("Only moderators and the secretariat can run and accept classifier suggestions.")
ERROR_RUN_ACTIVE = _("A suggestion run is already queued or running; wait for it to finish.")
ERROR_UNKNOWN_TAGS = _("Unknown SDG or target: %(codes)s.")
TAGS_ACCEPTED = _("Tags accepted from the classifier")
BATCH_SIZE = 500


def user_can_review_suggestions(user) -> bool:
    """Moderators (and the secretariat, superusers) run the bulk job and accept its suggestions."""
    return can_moderate(user)


def initiative_text(initiative: Initiative) -> str:
    """The text the classifier reads: title, summary and description."""
    return "\n".join(part for part in (initiative.title, initiative.summary, initiative.description) if part)


@dataclass
class AcceptResult:
    goals_added: list[int]
    targets_added: list[str]


@transaction.atomic
def initiative_tags_accept(*, user, initiative: Initiative, goals: list[int], targets: list[str],
                           check_permission: bool = True) -> AcceptResult:
    """Tag ``initiative`` with suggested ``goals`` and ``targets`` (source "classifier").

    A target's goal is tagged too. Tags the initiative already has are left as they are.
    """
    if check_permission and not user_can_review_suggestions(user):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    goal_numbers = sorted({int(g) for g in goals})
    target_codes = sorted(set(targets))
    target_objs = {t.code: t for t in Target.objects.filter(code__in=target_codes).select_related("goal")}
    goal_numbers = sorted(set(goal_numbers) | {t.goal.number for t in target_objs.values()})
    goal_objs = {g.number: g for g in Goal.objects.filter(number__in=goal_numbers)}
    unknown = [str(g) for g in goal_numbers if g not in goal_objs] + [c for c in target_codes if c not in target_objs]
    if unknown:
        raise ValidationError(ERROR_UNKNOWN_TAGS, params={"codes": ", ".join(unknown)})

    # Stocktaking writes the tags (with a revision, its audit row and the "tags changed" event that
    # keeps search and the analytics coverage table up to date); the row here records the acceptance.
    added = initiative_tags_add(
        actor=user, initiative=initiative, source=TagSource.CLASSIFIER, reason=TAGS_ACCEPTED,
        goals=[goal_objs[n] for n in goal_numbers], targets=[target_objs[c] for c in target_codes],
    )
    result = AcceptResult([g.number for g in added.goals], [t.code for t in added.targets])
    if added:
        audit_record(
            actor=user, action="classify.suggestion.accept", target=initiative,
            summary=f"Classifier tags accepted: SDGs {result.goals_added}, targets {result.targets_added}",
            data={"goals": result.goals_added, "targets": result.targets_added, "source": TagSource.CLASSIFIER},
        )
    return result


@transaction.atomic
def suggestion_accept(*, user, suggestion: InitiativeSuggestion, goals: list[int] | None = None,
                      targets: list[str] | None = None) -> AcceptResult:
    """Accept a stored suggestion (all its new tags, or the chosen subset)."""
    if not user_can_review_suggestions(user):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    suggestion = InitiativeSuggestion.objects.select_for_update().select_related("initiative").get(pk=suggestion.pk)
    goals = suggestion.new_goals if goals is None else [g for g in goals if g in suggestion.new_goals]
    targets = suggestion.new_targets if targets is None else [t for t in targets if t in suggestion.new_targets]
    result = initiative_tags_accept(user=user, initiative=suggestion.initiative, goals=goals, targets=targets,
                                    check_permission=False)
    suggestion.decision = InitiativeSuggestion.Decision.ACCEPTED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["decision", "decided_by", "decided_at"])
    return result


@transaction.atomic
def suggestion_dismiss(*, user, suggestion: InitiativeSuggestion) -> InitiativeSuggestion:
    if not user_can_review_suggestions(user):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    suggestion.decision = InitiativeSuggestion.Decision.DISMISSED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["decision", "decided_by", "decided_at"])
    audit_record(actor=user, action="classify.suggestion.dismiss", target=suggestion.initiative,
                 summary=f"Classifier suggestion of run {suggestion.run_id} dismissed")
    return suggestion


def _scope_queryset(scope: str):
    states = [Initiative.State.PUBLISHED]
    if scope == SuggestionRun.Scope.ACTIVE:
        states += [Initiative.State.SUBMITTED, Initiative.State.IN_REVIEW]
    return Initiative.objects.filter(state__in=states)


@transaction.atomic
def suggestion_run_create(*, user, scope: str = SuggestionRun.Scope.PUBLISHED) -> SuggestionRun:
    """Queue a run over the registry; the task starts once the transaction commits."""
    if not user_can_review_suggestions(user):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    if SuggestionRun.objects.filter(status__in=[SuggestionRun.Status.QUEUED, SuggestionRun.Status.RUNNING]).exists():
        raise ValidationError(ERROR_RUN_ACTIVE)
    run = SuggestionRun(scope=scope, requested_by=user)
    run.full_clean()
    run.save()
    audit_record(actor=user, action="classify.run.request", target=run, summary=f"Suggestion run over {scope}")

    from .tasks import suggestion_run_task

    transaction.on_commit(lambda: suggestion_run_task.enqueue(run.pk))
    return run


def suggestion_run_execute(*, run_id: int) -> SuggestionRun:
    """Compute and store suggestions for every initiative in the run's scope (called by the task).

    Works in batches of ``BATCH_SIZE`` with one transaction each, so progress is visible and a
    failure keeps what was done; a rerun of the same run skips initiatives already stored.
    """
    run = SuggestionRun.objects.get(pk=run_id)
    if run.status == SuggestionRun.Status.DONE:
        return run
    backend = get_backend()
    queryset = _scope_queryset(run.scope).order_by("pk")
    run.status = SuggestionRun.Status.RUNNING
    run.started_at = run.started_at or timezone.now()
    run.backend = backend.name[:80]
    run.total = queryset.count()
    run.save(update_fields=["status", "started_at", "backend", "total", "updated_at"])
    done_ids = set(run.suggestions.values_list("initiative_id", flat=True))
    try:
        last_pk = 0
        while True:
            batch = list(
                queryset.filter(pk__gt=last_pk)
                .only("pk", "title", "summary", "description")
                .prefetch_related("goal_tags__goal", "target_tags__target")[:BATCH_SIZE]
            )
            if not batch:
                break
            last_pk = batch[-1].pk
            rows = []
            for initiative in batch:
                if initiative.pk in done_ids:
                    continue
                suggestion = backend.suggest(initiative_text(initiative))
                tagged_goals = {t.goal.number for t in initiative.goal_tags.all()}
                tagged_targets = {t.target.code for t in initiative.target_tags.all()}
                suggested_targets = [t.code for g in suggestion.sdgs for t in suggestion.targets.get(g, [])]
                rows.append(InitiativeSuggestion(
                    run=run, initiative=initiative, sdgs=suggestion.sdgs,
                    scores={str(k): v for k, v in suggestion.scores.items()},
                    targets=suggested_targets, action_lines=suggestion.action_lines, evidence=suggestion.evidence,
                    new_goals=[g for g in suggestion.sdgs if g not in tagged_goals],
                    new_targets=[c for c in suggested_targets if c not in tagged_targets],
                    missing_goals=sorted(tagged_goals - set(suggestion.sdgs)),
                ))
            with transaction.atomic():
                InitiativeSuggestion.objects.bulk_create(rows, batch_size=BATCH_SIZE)
                run.processed += len(batch)
                run.with_suggestions += sum(1 for r in rows if r.has_news)
                run.save(update_fields=["processed", "with_suggestions", "updated_at"])
    except Exception as exc:
        run.status = SuggestionRun.Status.FAILED
        run.message = f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at", "updated_at"])
        raise
    run.status = SuggestionRun.Status.DONE
    run.finished_at = timezone.now()
    run.processed = run.total
    run.save(update_fields=["status", "finished_at", "processed", "updated_at"])
    audit_record(actor=None, action="classify.run.finish", target=run,
                 summary=f"{run.with_suggestions} of {run.total} initiatives have new suggestions")
    return run
