"""Writes of the stocktaking registry: create, edit, submit and moderate initiatives.

Every function is keyword-only, atomic, checks permission, validates, keeps a revision snapshot
(with author and reason), writes an audit row, and e-mails the submitter after commit.

States (DESIGN.md §4): draft → submitted → in review → published | returned | rejected; published →
archived. Members of the owning organisation write; moderators (and the secretariat) moderate.
Editing a *published* initiative does not touch what the public sees: the change is kept as a
pending revision which goes through the same moderation (draft → submitted → in review) and is
applied when approved.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wsis.accounts.models import Organisation
from wsis.core.cache import data_generation_bump, generation, generation_bump
from wsis.core.concurrency import version_claim
from wsis.core.events import INITIATIVE_CHANGED, TAGS_CHANGED, emit
from wsis.core.services import audit_record, form_token_bind, form_token_claim
from wsis.taxonomy.models import ActionLine, Goal, Target

from .fields import FACET_TOKEN_SQL
from .languages import language_label
from .models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeRevision,
    InitiativeTarget,
    InitiativeTargetGroup,
    InitiativeTranslation,
    ProgressReport,
    TagSource,
    TargetGroup,
)
from .permissions import can_edit, can_moderate
from .snapshots import (
    InitiativeData,
    data_from_initiative,
    data_from_snapshot,
    snapshot_fingerprint,
    snapshot_from_data,
)

__all__ = [
    "progress_report_file",
    "PROGRESS_FIELDS",
    "InitiativeData",
    "DuplicateTitle",
    "initiative_create",
    "initiative_update",
    "initiative_submit",
    "initiative_start_review",
    "initiative_approve",
    "initiative_return",
    "initiative_reject",
    "initiative_moderation_fingerprint",
    "ModerationStale",
    "initiative_archive",
    "initiative_import",
    "initiative_completeness_errors",
    "initiative_duplicates",
    "initiative_derived_refresh",
    "initiative_search_refresh",
    "initiative_tags_add",
    "initiative_tags_correct",
    "TagCorrection",
    "TagsAdded",
    "initiative_reminders_send",
    "normalise_title",
    "SEARCH_CONFIGS",
    "SEARCH_VECTOR_FIELDS",
    "search_generation",
    "initiative_translation_create",
    "initiative_translation_update",
    "initiative_translation_delete",
    "TRANSLATION_LANGUAGES",
    "TRANSLATION_VECTOR_SQL",
]

State = Initiative.State

# Error messages as constants so that tests and forms can refer to them.
NOT_MEMBER = _("Only members of the organisation that owns this initiative can change it.")
NOT_MODERATOR = _("Only moderators can do this.")
WRONG_STATE = _("This cannot be done while the initiative is “%(state)s”.")
COMMENT_REQUIRED = _("Write a comment for the submitter.")
REASON_REQUIRED = _("Give the reason for the rejection.")
DUPLICATE_TITLE = _("Your organisation already has an initiative with a very similar title: “%(title)s”. "
                    "Confirm that this is a different initiative to submit it.")
DUPLICATE_THRESHOLD = 0.9
MODERATION_STALE = _("This entry was changed after you opened it, so your decision was not recorded. It is "
                     "back in the queue: read the current version below and decide again.")

# Text search configurations by the initiative's language; Chinese has none built in.
SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic",
                  "zh-hans": "simple"}
EDITABLE_STATES = {State.DRAFT, State.RETURNED, State.SUBMITTED}
MODERATED_STATES = {State.SUBMITTED, State.IN_REVIEW}
SEARCH_GENERATION_KEY = "stocktaking:search-generation"
ORGANISATION_NAMES_KEY = "stocktaking:organisation-names-generation"
# The initiative fields the stored full-text vector is built from, by weight (A ranks highest). The
# vector's configuration comes from ``language``. The derived-data table (``listeners.py``) reads
# this list, so a field added here without an event refreshing it fails the standing check.
SEARCH_VECTOR_FIELDS = {"A": ("title",), "B": ("summary",), "C": ("description", "partners")}
SEARCH_VECTOR_CONFIG_FIELD = "language"
# Translations (issue 21) add their title (weight A) and summary (B) to the vector, each parsed in its
# own language's configuration; at most one translation per language, hence one subquery per language.
# Referenced from an UPDATE of stocktaking_initiative; the derived-data table reads its columns.
TRANSLATION_VECTOR_SQL = " || ".join(
    f"COALESCE((SELECT setweight(to_tsvector('{config}'::regconfig, t.title), 'A') || "
    f"setweight(to_tsvector('{config}'::regconfig, t.summary), 'B') FROM stocktaking_initiativetranslation t "
    f"WHERE t.initiative_id = stocktaking_initiative.id AND t.language = '{lang}'), ''::tsvector)"
    for lang, config in SEARCH_CONFIGS.items()
)


class ModerationStale(ValidationError):
    """Raised by approve/return/reject when the content under moderation is not the one the moderator saw."""

    def __init__(self):
        super().__init__(MODERATION_STALE, code="stale")


class DuplicateTitle(ValidationError):
    """Raised by submit when a near-identical title exists in the same organisation."""

    def __init__(self, matches: list[Initiative]):
        self.matches = matches
        super().__init__({"title": [ValidationError(DUPLICATE_TITLE, code="duplicate",
                                                    params={"title": matches[0].title})]})


# --- helpers ---------------------------------------------------------------------------------------

def normalise_title(title: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: what 'the same title' means."""
    text = unicodedata.normalize("NFKD", title or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\W+", " ", text).strip()


def initiative_duplicates(*, organisation: Organisation, title: str, exclude_pk: int | None = None,
                          limit: int = 3) -> list[Initiative]:
    """Initiatives of ``organisation`` whose normalised title is ≥ 90 % similar to ``title``."""
    wanted = normalise_title(title)
    if not wanted:
        return []
    qs = Initiative.objects.filter(organisation=organisation).exclude(state=State.REJECTED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    matches = []
    # One organisation's titles are few (hundreds at most); difflib keeps this database-neutral.
    for pk, other in qs.values_list("pk", "title").iterator(chunk_size=2000):
        matcher = difflib.SequenceMatcher(None, wanted, normalise_title(other))
        if matcher.real_quick_ratio() >= DUPLICATE_THRESHOLD and matcher.ratio() >= DUPLICATE_THRESHOLD:
            matches.append(pk)
            if len(matches) >= limit:
                break
    return list(Initiative.objects.filter(pk__in=matches))


def initiative_completeness_errors(data: InitiativeData) -> dict[str, list[str]]:
    """What a draft still lacks before it can be submitted, by field name (empty when complete)."""
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if not data.title.strip():
        add("title", _("Enter a title."))
    if not data.summary.strip():
        add("summary", _("Enter a summary."))
    if data.primary_action_line is None:
        add("primary_action_line", _("Choose the primary action line."))
    if not data.goals and not data.targets:
        add("goals", _("Choose at least one SDG or SDG target."))
    if data.coverage != Initiative.Coverage.GLOBAL and not data.countries:
        add("countries", _("Choose at least one country, or set the coverage to global."))
    if data.start_date is None:
        add("start_date", _("Enter the start date."))
    if data.start_date and data.end_date and data.end_date < data.start_date:
        add("end_date", _("The end date must not be before the start date."))
    if data.status == Initiative.Status.COMPLETED and data.end_date is None:
        add("end_date", _("A completed initiative needs an end date."))
    return errors


def search_generation() -> int:
    """A number that changes whenever the public set of initiatives changes (search caches key on it)."""
    return generation(SEARCH_GENERATION_KEY)


def _bump_search_generation() -> None:
    """Move the search generation on (runs after the commit); the public set changed, so the shared
    data generation (matrix, profiles, cached pages: ``wsis.core.cache``) moves on with it."""
    generation_bump(SEARCH_GENERATION_KEY)
    data_generation_bump()


def organisation_names_generation() -> int:
    """A number that changes when an organisation is created or renamed (search's name matches key on it).

    Not the search generation: every publication moves that one, and organisation names change far
    less often than the public set does.
    """
    return generation(ORGANISATION_NAMES_KEY)


def organisation_names_bump() -> None:
    generation_bump(ORGANISATION_NAMES_KEY)


def initiative_derived_refresh(*, ids: list[int] | None = None) -> None:
    """Tell whoever keeps data derived from initiatives that these changed (every initiative when None).

    Emits ``INITIATIVE_CHANGED`` in the caller's transaction; the subscribers (this app's search
    tokens, the analytics coverage table) refresh their rows before it commits, so a reader never
    sees an initiative published without its counts, nor counts of a withdrawn one.
    """
    emit(INITIATIVE_CHANGED, initiative_ids=None if ids is None else list(ids))


def initiative_search_refresh(*, ids: list[int] | None = None, vector: bool = True) -> None:
    """Recompute the stored full-text vector and facet tokens of the given initiatives (all when None).

    ``vector=False`` recomputes the facet tokens only (what organisation and reference changes
    affect). Only PostgreSQL has them; on SQLite search falls back to LIKE and joins, and this does
    nothing.
    """
    if connection.vendor != "postgresql":
        return
    if ids is not None and not ids:
        return
    if vector:
        from django.contrib.postgres.search import SearchVector, SearchVectorCombinable, SearchVectorField
        from django.db.models.expressions import RawSQL

        class TranslationVector(SearchVectorCombinable, RawSQL):
            """The translations' part of the vector, concatenated (``||``) to the original's."""

        config = Case(*[When(**{SEARCH_VECTOR_CONFIG_FIELD: lang}, then=Value(cfg))
                        for lang, cfg in SEARCH_CONFIGS.items()], default=Value("simple"))
        parts = [SearchVector(*names, weight=weight, config=config) for weight, names in SEARCH_VECTOR_FIELDS.items()]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined + part
        combined = combined + TranslationVector(TRANSLATION_VECTOR_SQL, [], output_field=SearchVectorField())
        qs = Initiative.objects.all() if ids is None else Initiative.objects.filter(pk__in=ids)
        qs.update(search_vector=combined)
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(FACET_TOKEN_SQL)
        else:
            cursor.execute(FACET_TOKEN_SQL + " WHERE i.id = ANY(%s)", [list(ids)])


def _existing_provenance(model, initiative: Initiative, key: str) -> dict[int, dict]:
    return {row[key]: row for row in model.objects.filter(initiative=initiative).values(
        key, "source", "added_by_id", "confirmed_by_id", "confirmed_at")}


def _tag_row(model, initiative, key, pk, *, source, kept, added_by, **extra):
    """A tag row: a tag the initiative already had keeps its source and who added and confirmed it;
    a new one records ``source`` and ``added_by`` (and is not confirmed yet)."""
    if kept is not None:
        return model(initiative=initiative, **{f"{key}": pk}, source=kept["source"], added_by_id=kept["added_by_id"],
                     confirmed_by_id=kept["confirmed_by_id"], confirmed_at=kept["confirmed_at"], **extra)
    return model(initiative=initiative, **{f"{key}": pk}, source=source,
                 added_by=added_by if getattr(added_by, "is_authenticated", False) else None, **extra)


def _set_tags(initiative: Initiative, data: InitiativeData, *, added_by=None,
              default_source: str = TagSource.SUBMITTER) -> None:
    """Replace the initiative's tags by those of ``data``.

    A tag the initiative keeps keeps its provenance (source, who added it, which moderator
    confirmed it); a new tag takes its source from ``data`` (a Matrix or classifier suggestion the
    submitter accepted) or ``default_source``, and ``added_by``.
    """
    initiative.countries.set(data.countries)
    old_al = _existing_provenance(InitiativeActionLine, initiative, "action_line_id")
    old_goals = _existing_provenance(InitiativeGoal, initiative, "goal_id")
    old_targets = _existing_provenance(InitiativeTarget, initiative, "target_id")
    InitiativeActionLine.objects.filter(initiative=initiative).delete()
    rows = []
    chosen = [data.primary_action_line] if data.primary_action_line is not None else []
    seen = set()
    for index, al in enumerate([*chosen, *data.action_lines]):
        if al.pk in seen:
            continue
        seen.add(al.pk)
        rows.append(_tag_row(InitiativeActionLine, initiative, "action_line_id", al.pk,
                             source=data.action_line_sources.get(al.pk, default_source), kept=old_al.get(al.pk),
                             added_by=added_by, is_primary=bool(chosen) and index == 0))
    InitiativeActionLine.objects.bulk_create(rows)

    target_sources = {}
    for target in data.targets:
        if target.pk in data.matrix_target_ids:
            target_sources[target.pk] = TagSource.MATRIX
        else:
            kept = data.target_sources.get(target.pk)
            target_sources[target.pk] = kept if kept and kept != TagSource.MATRIX else default_source
    InitiativeTarget.objects.filter(initiative=initiative).delete()
    InitiativeTarget.objects.bulk_create(
        _tag_row(InitiativeTarget, initiative, "target_id", pk, source=src, kept=old_targets.get(pk), added_by=added_by)
        for pk, src in target_sources.items()
    )
    # A target implies its goal; the goal tag takes the target's source unless chosen directly.
    goal_sources = {t.goal_id: target_sources[t.pk] for t in data.targets}
    for goal in data.goals:
        goal_sources[goal.pk] = data.goal_sources.get(goal.pk, default_source)
    InitiativeGoal.objects.filter(initiative=initiative).delete()
    InitiativeGoal.objects.bulk_create(
        _tag_row(InitiativeGoal, initiative, "goal_id", pk, source=src, kept=old_goals.get(pk), added_by=added_by)
        for pk, src in goal_sources.items()
    )
    InitiativeTargetGroup.objects.filter(initiative=initiative).delete()
    InitiativeTargetGroup.objects.bulk_create(
        InitiativeTargetGroup(initiative=initiative, group=g) for g in dict.fromkeys(data.target_groups)
        if g in TargetGroup.values
    )


def _confirm_tags(initiative: Initiative, moderator) -> None:
    """Record that ``moderator`` checked every tag the initiative now has (approval, correction)."""
    now = timezone.now()
    for model in (InitiativeActionLine, InitiativeGoal, InitiativeTarget):
        model.objects.filter(initiative=initiative).update(confirmed_by=moderator, confirmed_at=now)


def _apply(initiative: Initiative, data: InitiativeData, *, complete: bool, added_by=None,
           default_source: str = TagSource.SUBMITTER) -> None:
    """Write ``data`` to ``initiative`` (fields and tags). Drafts may lack what submission needs."""
    for name in ("title", "summary", "description", "language", "kind", "status", "start_date", "end_date",
                 "coverage", "gender_marker", "partners", "website"):
        setattr(initiative, name, getattr(data, name))
    initiative.year = data.start_date.year if data.start_date else None
    exclude = [] if complete else ["summary"]
    initiative.full_clean(exclude=exclude)
    if complete:
        errors = initiative_completeness_errors(data)
        if errors:
            raise ValidationError(errors)
    initiative.save()
    _set_tags(initiative, data, added_by=added_by, default_source=default_source)


def _next_number(initiative: Initiative) -> int:
    return (initiative.revisions.aggregate(n=Max("number"))["n"] or 0) + 1


def _revision(initiative: Initiative, *, author, reason: str, snapshot: dict | None = None) -> InitiativeRevision:
    if snapshot is None:
        snapshot = snapshot_from_data(data_from_initiative(initiative))
    return InitiativeRevision.objects.create(
        initiative=initiative, number=_next_number(initiative), author=author if getattr(
            author, "is_authenticated", False) else None,
        reason=str(reason)[:500], state=initiative.state, data=snapshot,
    )


def _lock(initiative: Initiative) -> Initiative:
    """Reload the row under a lock so that two moderators cannot both act on the same state."""
    return Initiative.objects.select_for_update().select_related("organisation").get(pk=initiative.pk)


def pending_revision(initiative: Initiative) -> InitiativeRevision | None:
    return initiative.revisions.filter(pending=True).first()


def _notify(initiative: Initiative, event: str, *, comment: str = "", recipient_id: int | None = None) -> None:
    from .tasks import send_initiative_email

    recipient = recipient_id or initiative.created_by_id
    transaction.on_commit(lambda: send_initiative_email.enqueue(initiative.pk, event, comment, recipient))


def _audit(actor, action: str, initiative: Initiative, summary: str = "", **data: Any) -> None:
    audit_record(actor=actor, action=f"stocktaking.initiative.{action}", target=initiative,
                 summary=summary, data=data)


def _require_member(user, initiative_or_org) -> None:
    organisation = getattr(initiative_or_org, "organisation", initiative_or_org)
    if not can_edit(user, organisation):
        raise PermissionDenied(NOT_MEMBER)


def _require_moderator(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied(NOT_MODERATOR)


def _wrong_state(initiative: Initiative) -> ValidationError:
    return ValidationError(WRONG_STATE, code="state", params={"state": initiative.get_state_display()})


def _after_public_change(initiative: Initiative) -> None:
    initiative_derived_refresh(ids=[initiative.pk])
    transaction.on_commit(_bump_search_generation)


# --- submitter services -----------------------------------------------------------------------------

@transaction.atomic
def initiative_create(*, user, organisation: Organisation, data: InitiativeData,
                      reason: str = "", form_token: str = "") -> Initiative:
    """A new draft of ``organisation``; it may be incomplete (only the title is needed).

    ``form_token`` (the create form's one-time token) makes a second sending of the same form create
    nothing: it raises ``wsis.core.services.FormTokenUsed`` naming the initiative the first created.
    """
    _require_member(user, organisation)
    claim = form_token_claim(token=form_token, user=user, action="stocktaking.initiative.create")
    initiative = Initiative(organisation=organisation, created_by=user, state=State.DRAFT)
    _apply(initiative, data, complete=False, added_by=user)
    initiative_derived_refresh(ids=[initiative.pk])
    _revision(initiative, author=user, reason=reason or _("Created"))
    _audit(user, "create", initiative, initiative.title)
    form_token_bind(claim, initiative)
    return initiative


@transaction.atomic
def initiative_update(*, user, initiative: Initiative, data: InitiativeData, reason: str = "",
                      expected_version: int | None = None) -> Initiative:
    """Save changes. Drafts and returned entries change in place; a published entry gets a pending revision.

    ``expected_version`` is the ``lock_version`` the editor started from: ConflictError if another
    save came in between (``wsis.core.concurrency``).
    """
    _require_member(user, initiative)
    version_claim(initiative, expected_version=expected_version)
    initiative = _lock(initiative)
    if initiative.state in EDITABLE_STATES:
        _apply(initiative, data, complete=initiative.state == State.SUBMITTED, added_by=user)
        initiative_derived_refresh(ids=[initiative.pk])
        _revision(initiative, author=user, reason=reason or _("Edited"))
        _audit(user, "update", initiative, initiative.title)
        return initiative
    if initiative.state != State.PUBLISHED:
        raise _wrong_state(initiative)
    # Published: validate against a throw-away copy, keep the change aside until a moderator approves.
    errors = initiative_completeness_errors(data)
    if errors:
        raise ValidationError(errors)
    pending = pending_revision(initiative)
    if pending is not None and pending.state in MODERATED_STATES:
        raise ValidationError(_("An update of this initiative is already with the moderators."), code="state")
    snapshot = snapshot_from_data(data)
    if pending is None:
        pending = InitiativeRevision(initiative=initiative, number=_next_number(initiative), pending=True)
    pending.author = user
    pending.reason = str(reason or _("Update of a published initiative"))[:500]
    pending.state = State.DRAFT
    pending.data = snapshot
    pending.save()
    _audit(user, "update_pending", initiative, initiative.title, revision=pending.number)
    return initiative


@transaction.atomic
def initiative_submit(*, user, initiative: Initiative, confirm_distinct: bool = False) -> Initiative:
    """Send a draft, a returned entry or a pending update to the moderators (after full validation).

    A near-identical title in the same organisation blocks submission (``DuplicateTitle``) until the
    submitter confirms that the initiative is a different one.
    """
    _require_member(user, initiative)
    initiative = _lock(initiative)
    if initiative.state == State.PUBLISHED:
        pending = pending_revision(initiative)
        if pending is None or pending.state not in {State.DRAFT, State.RETURNED}:
            raise _wrong_state(initiative)
        data = data_from_snapshot(pending.data)
        errors = initiative_completeness_errors(data)
        if errors:
            raise ValidationError(errors)
        pending.state = State.SUBMITTED
        pending.save(update_fields=["state"])
        initiative.submitted_at = timezone.now()
        initiative.save(update_fields=["submitted_at", "updated_at"])
        _audit(user, "submit_update", initiative, initiative.title, revision=pending.number)
        _notify(initiative, "submitted", recipient_id=user.pk)
        return initiative
    if initiative.state not in {State.DRAFT, State.RETURNED}:
        raise _wrong_state(initiative)
    data = data_from_initiative(initiative)
    errors = initiative_completeness_errors(data)
    if errors:
        raise ValidationError(errors)
    if not confirm_distinct:
        matches = initiative_duplicates(organisation=initiative.organisation, title=initiative.title,
                                        exclude_pk=initiative.pk)
        if matches:
            raise DuplicateTitle(matches)
    initiative.state = State.SUBMITTED
    initiative.submitted_at = timezone.now()
    initiative.save(update_fields=["state", "submitted_at", "updated_at"])
    _revision(initiative, author=user, reason=_("Submitted for moderation"))
    _audit(user, "submit", initiative, initiative.title, confirmed_distinct=confirm_distinct)
    _notify(initiative, "submitted", recipient_id=user.pk)
    return initiative


# --- moderation services ----------------------------------------------------------------------------

def initiative_moderation_fingerprint(initiative: Initiative) -> str:
    """The fingerprint of the content a moderator decides on: the pending update's snapshot when a
    published entry has one under moderation, the entry's own fields and tags otherwise."""
    pending = pending_revision(initiative) if initiative.state == State.PUBLISHED else None
    if pending is not None:
        return snapshot_fingerprint({"pending": pending.pk, **pending.data})
    return snapshot_fingerprint(snapshot_from_data(data_from_initiative(initiative)))


def _moderate(decide):
    """Run a moderation decision on the content the moderator saw (``seen``, the fingerprint posted by
    the moderation form; ``None`` when the caller decides on the current content, e.g. a script).

    When the content changed since, nothing is decided: the entry (or update) goes back to the queue
    (in review → submitted), an audit row ``stocktaking.initiative.refuse_stale`` says why, and
    :class:`ModerationStale` is raised after that has been committed.
    """

    def run(*, user, initiative: Initiative, seen: str | None = None, **kwargs) -> Initiative:
        with transaction.atomic():
            _require_moderator(user)
            locked = _lock(initiative)
            pending = _moderated_object(locked)
            current = initiative_moderation_fingerprint(locked)
            if seen is None or seen == current:
                return decide(user=user, initiative=locked, pending=pending, **kwargs)
            if pending is not None and pending.state == State.IN_REVIEW:
                pending.state = State.SUBMITTED
                pending.save(update_fields=["state"])
            elif pending is None and locked.state == State.IN_REVIEW:
                locked.state = State.SUBMITTED
                locked.save(update_fields=["state", "updated_at"])
            _audit(user, "refuse_stale", locked, locked.title, decision=decide.__name__.removeprefix("initiative_"),
                   seen=seen, current=current, update=bool(pending))
        raise ModerationStale()

    run.__name__, run.__qualname__, run.__doc__ = decide.__name__, decide.__qualname__, decide.__doc__
    return run


def _moderated_object(initiative: Initiative) -> InitiativeRevision | None:
    """The pending revision under moderation, or None when the initiative itself is."""
    if initiative.state in MODERATED_STATES:
        return None
    if initiative.state == State.PUBLISHED:
        pending = pending_revision(initiative)
        if pending is not None and pending.state in MODERATED_STATES:
            return pending
    raise _wrong_state(initiative)


@transaction.atomic
def initiative_start_review(*, user, initiative: Initiative) -> Initiative:
    """A moderator takes a submitted entry (or update) into review."""
    _require_moderator(user)
    initiative = _lock(initiative)
    pending = _moderated_object(initiative)
    current = pending.state if pending else initiative.state
    if current != State.SUBMITTED:
        raise _wrong_state(initiative)
    if pending:
        pending.state = State.IN_REVIEW
        pending.save(update_fields=["state"])
    else:
        initiative.state = State.IN_REVIEW
        initiative.save(update_fields=["state", "updated_at"])
        _revision(initiative, author=user, reason=_("Review started"))
    _audit(user, "start_review", initiative, initiative.title, update=bool(pending))
    return initiative


@_moderate
def initiative_approve(*, user, initiative: Initiative, pending: InitiativeRevision | None,
                       comment: str = "") -> Initiative:
    """Publish the entry, or apply the pending update to the published entry."""
    now = timezone.now()
    if pending:
        _apply(initiative, data_from_snapshot(pending.data), complete=True, added_by=pending.author)
        pending.pending = False
        pending.state = State.PUBLISHED
        pending.reason = str(comment or pending.reason)[:500]
        pending.save(update_fields=["pending", "state", "reason"])
        recipient = pending.author_id
    else:
        errors = initiative_completeness_errors(data_from_initiative(initiative))
        if errors:
            raise ValidationError(errors)
        initiative.state = State.PUBLISHED
        initiative.published_at = initiative.published_at or now
        recipient = None
    initiative.last_reviewed_at = now
    initiative.moderator_comment = ""
    _confirm_tags(initiative, user)
    initiative.save(update_fields=["state", "published_at", "last_reviewed_at", "moderator_comment", "updated_at"])
    if not pending:
        _revision(initiative, author=user, reason=comment or _("Approved and published"))
    _after_public_change(initiative)
    _audit(user, "approve", initiative, comment or initiative.title, update=bool(pending))
    _notify(initiative, "approved", comment=comment, recipient_id=recipient)
    return initiative


@_moderate
def initiative_return(*, user, initiative: Initiative, pending: InitiativeRevision | None,
                      comment: str) -> Initiative:
    """Send the entry (or update) back to the submitter with comments on what to change."""
    if not (comment or "").strip():
        raise ValidationError({"comment": [COMMENT_REQUIRED]})
    if pending:
        pending.state = State.RETURNED
        pending.save(update_fields=["state"])
        recipient = pending.author_id
    else:
        initiative.state = State.RETURNED
        recipient = None
    initiative.moderator_comment = comment.strip()
    initiative.save(update_fields=["state", "moderator_comment", "updated_at"])
    if not pending:
        _revision(initiative, author=user, reason=comment)
    _audit(user, "return", initiative, comment, update=bool(pending))
    _notify(initiative, "returned", comment=comment, recipient_id=recipient)
    return initiative


@_moderate
def initiative_reject(*, user, initiative: Initiative, pending: InitiativeRevision | None,
                      reason: str) -> Initiative:
    """Reject the entry (it is not published), or discard the pending update (the published one stays)."""
    if not (reason or "").strip():
        raise ValidationError({"comment": [REASON_REQUIRED]})
    if pending:
        pending.state = State.REJECTED
        pending.pending = False
        pending.reason = reason[:500]
        pending.save(update_fields=["state", "pending", "reason"])
        recipient = pending.author_id
    else:
        initiative.state = State.REJECTED
        recipient = None
    initiative.moderator_comment = reason.strip()
    initiative.save(update_fields=["state", "moderator_comment", "updated_at"])
    if not pending:
        _revision(initiative, author=user, reason=reason)
    _audit(user, "reject", initiative, reason, update=bool(pending))
    _notify(initiative, "rejected", comment=reason, recipient_id=recipient)
    return initiative


@transaction.atomic
def initiative_archive(*, user, initiative: Initiative, reason: str = "") -> Initiative:
    """Take a published entry out of the public registry (moderators, or its organisation)."""
    if not (can_moderate(user) or can_edit(user, initiative.organisation)):
        raise PermissionDenied(NOT_MEMBER)
    initiative = _lock(initiative)
    if initiative.state != State.PUBLISHED:
        raise _wrong_state(initiative)
    initiative.revisions.filter(pending=True).update(pending=False, state=State.ARCHIVED)
    initiative.state = State.ARCHIVED
    initiative.save(update_fields=["state", "updated_at"])
    _revision(initiative, author=user, reason=reason or _("Archived"))
    _after_public_change(initiative)
    _audit(user, "archive", initiative, reason or initiative.title)
    return initiative


@dataclass
class TagsAdded:
    """What ``initiative_tags_add`` wrote (tags the initiative already had are not repeated)."""

    action_lines: list[ActionLine]
    goals: list[Goal]
    targets: list[Target]

    def __bool__(self) -> bool:
        return bool(self.action_lines or self.goals or self.targets)


@transaction.atomic
def initiative_tags_add(*, actor, initiative: Initiative, source: str, action_lines: Iterable[ActionLine] = (),
                        goals: Iterable[Goal] = (), targets: Iterable[Target] = (), reason: str = "") -> TagsAdded:
    """Add tags to ``initiative`` with their ``source`` (a ``TagSource``), keeping every tag it has.

    A target's SDG is tagged too. Tags the initiative already has keep their own source (a
    submitter's or a moderator's tag is never relabelled). Moderators may add tags in any state;
    members of the organisation while they may edit it. When anything is added this keeps a
    revision and an audit row and emits ``TAGS_CHANGED`` (search tokens and analytics follow).
    """
    initiative = _lock(initiative)
    if not can_moderate(actor):
        _require_member(actor, initiative)
        if initiative.state not in EDITABLE_STATES:
            raise _wrong_state(initiative)
    if source not in TagSource.values:
        raise ValueError(f"Unknown tag source {source!r}")
    targets = list(dict.fromkeys(targets))
    goals = list(dict.fromkeys([*goals, *(t.goal for t in targets)]))
    have_al = set(InitiativeActionLine.objects.filter(initiative=initiative).values_list("action_line_id", flat=True))
    have_goals = set(InitiativeGoal.objects.filter(initiative=initiative).values_list("goal_id", flat=True))
    have_targets = set(InitiativeTarget.objects.filter(initiative=initiative).values_list("target_id", flat=True))
    added = TagsAdded(
        action_lines=[a for a in dict.fromkeys(action_lines) if a.pk not in have_al],
        goals=[g for g in goals if g.pk not in have_goals],
        targets=[t for t in targets if t.pk not in have_targets],
    )
    if not added:
        return added
    # A moderator who adds a tag (accepting a classifier run's suggestion, say) has checked it.
    provenance = {"source": source, "added_by": actor if getattr(actor, "is_authenticated", False) else None}
    if can_moderate(actor):
        provenance.update(confirmed_by=actor, confirmed_at=timezone.now())
    rows = {
        InitiativeActionLine: [InitiativeActionLine(initiative=initiative, action_line=a, is_primary=False,
                                                    **provenance) for a in added.action_lines],
        InitiativeGoal: [InitiativeGoal(initiative=initiative, goal=g, **provenance) for g in added.goals],
        InitiativeTarget: [InitiativeTarget(initiative=initiative, target=t, **provenance) for t in added.targets],
    }
    for model, objs in rows.items():
        for obj in objs:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        model.objects.bulk_create(objs)
    codes = {"action_lines": [a.code for a in added.action_lines], "goals": [g.number for g in added.goals],
             "targets": [t.code for t in added.targets]}
    _revision(initiative, author=actor, reason=reason or _("Tags added"))
    _audit(actor, "add_tags", initiative, initiative.title, source=source, **codes)
    emit(TAGS_CHANGED, initiative_ids=[initiative.pk], source=source)
    return added


CORRECTION_REASON_REQUIRED = _("Give the reason for the change; the submitter reads it.")
CORRECTION_NEEDS_ACTION_LINE = _("Keep at least one action line.")
CORRECTION_NOTHING = _("Nothing was changed: tick or untick a tag first.")


@dataclass
class TagCorrection:
    """What ``initiative_tags_correct`` changed, as codes (for the message, the audit row and the mail)."""

    added: dict[str, list[str]]
    removed: dict[str, list[str]]

    def __bool__(self) -> bool:
        return any(self.added.values()) or any(self.removed.values())

    def describe(self) -> str:
        labels = {"action_lines": _("action lines"), "goals": _("SDGs"), "targets": _("SDG targets")}
        parts = []
        for verb, change in ((_("added"), self.added), (_("removed"), self.removed)):
            for key, codes in change.items():
                if codes:
                    parts.append(f"{verb} {labels[key]}: {', '.join(codes)}")
        return "; ".join(parts)


@transaction.atomic
def initiative_tags_correct(*, user, initiative: Initiative, action_lines: Iterable[ActionLine],
                            goals: Iterable[Goal], targets: Iterable[Target], reason: str,
                            primary_action_line: ActionLine | None = None) -> TagCorrection:
    """A moderator sets an initiative's action-line, SDG and target tags to exactly these, with a reason.

    Any state. Tags kept keep their source and who added them; tags added are recorded as the
    moderator's; every remaining tag is confirmed by the moderator. Removing an SDG removes its
    targets; a target implies its SDG. The primary action line stays unless removed (then the first
    remaining one, or ``primary_action_line`` when given, becomes primary). Writes a revision (the
    reason is its reason) and an audit row ``stocktaking.initiative.correct_tags``, emits
    ``TAGS_CHANGED`` (search tokens and the analytics follow in this transaction) and e-mails the
    submitter after commit.
    """
    _require_moderator(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [CORRECTION_REASON_REQUIRED]})
    initiative = _lock(initiative)
    data = data_from_initiative(initiative)
    action_lines = list(dict.fromkeys(action_lines))
    goals = list(dict.fromkeys(goals))
    goal_ids = {g.pk for g in goals}
    removed_goal_ids = {g.pk for g in data.goals} - goal_ids
    # A target of a removed SDG goes with it; a target kept or added brings its SDG.
    targets = [t for t in dict.fromkeys(targets) if t.goal_id not in removed_goal_ids]
    for target in targets:
        if target.goal_id not in goal_ids:
            goal_ids.add(target.goal_id)
            goals.append(target.goal)
    if not action_lines:
        raise ValidationError({"action_lines": [CORRECTION_NEEDS_ACTION_LINE]})

    def codes(items, attr):
        return sorted(str(getattr(i, attr)) for i in items)

    before = {"action_lines": {a.pk: a for a in [*([data.primary_action_line] if data.primary_action_line else []),
                                                 *data.action_lines]},
              "goals": {g.pk: g for g in data.goals}, "targets": {t.pk: t for t in data.targets}}
    after = {"action_lines": {a.pk: a for a in action_lines}, "goals": {g.pk: g for g in goals},
             "targets": {t.pk: t for t in targets}}
    attrs = {"action_lines": "code", "goals": "number", "targets": "code"}
    change = TagCorrection(
        added={k: codes([v for pk, v in after[k].items() if pk not in before[k]], attrs[k]) for k in attrs},
        removed={k: codes([v for pk, v in before[k].items() if pk not in after[k]], attrs[k]) for k in attrs},
    )
    if not change:
        raise ValidationError(CORRECTION_NOTHING, code="unchanged")
    primary = data.primary_action_line
    if primary_action_line is not None and primary_action_line.pk in after["action_lines"]:
        primary = primary_action_line
    elif primary is None or primary.pk not in after["action_lines"]:
        primary = action_lines[0]
    data.primary_action_line = primary
    data.action_lines = [a for a in action_lines if a.pk != primary.pk]
    data.goals = goals
    data.targets = targets
    # Kept tags keep their provenance in _set_tags; new ones are the moderator's. The per-tag sources
    # read from the initiative would relabel nothing new, so only matrix targets kept stay "matrix".
    data.matrix_target_ids = {pk for pk in data.matrix_target_ids if pk in after["targets"]}
    _set_tags(initiative, data, added_by=user, default_source=TagSource.MODERATOR)
    _confirm_tags(initiative, user)
    initiative.save(update_fields=["updated_at"])
    summary = change.describe()
    _revision(initiative, author=user, reason=f"{reason} ({summary})")
    _audit(user, "correct_tags", initiative, reason, added=change.added, removed=change.removed)
    emit(TAGS_CHANGED, initiative_ids=[initiative.pk], source=TagSource.MODERATOR)
    # Public counts change for a published entry; the data-quality queues (cached under the same
    # generation) change for any entry.
    transaction.on_commit(_bump_search_generation)
    _notify(initiative, "tags_corrected", comment=f"{reason}\n\n{summary}")
    return change


@transaction.atomic
def initiative_import(*, user, organisation: Organisation, report, draft: bool = False,
                      reason: str = "") -> list[Initiative]:
    """Create every row of a validated import as a submitted entry (all or nothing).

    ``report`` comes from ``imports.validate_rows`` (or another reader of the same shape, such as the
    IATI import) and must have no errors. Entries go straight to moderation, or stay drafts for the
    organisation to complete and submit when ``draft``; one audit row per entry, and no e-mail per row.
    """
    _require_member(user, organisation)
    if report.errors:
        raise ValidationError(_("The file has errors; nothing was imported."))
    created = []
    now = timezone.now()
    for _number, data in report.rows:
        if draft:
            initiative = Initiative(organisation=organisation, created_by=user, state=State.DRAFT)
        else:
            initiative = Initiative(organisation=organisation, created_by=user, state=State.SUBMITTED,
                                    submitted_at=now)
        _apply(initiative, data, complete=not draft, added_by=user, default_source=TagSource.IMPORT)
        _revision(initiative, author=user, reason=reason or _("Imported from a file"))
        _audit(user, "import", initiative, initiative.title)
        created.append(initiative)
    initiative_derived_refresh(ids=[i.pk for i in created])
    return created


# --- reminders ---------------------------------------------------------------------------------------

def initiative_reminders_send(*, now: dt.datetime | None = None, limit: int | None = None) -> int:
    """Ask organisations to report on published entries not revised for a year; returns how many were asked.

    The e-mail points to the yearly progress report form (issue 18); an entry with a report filed
    within the year is not reminded.

    An entry revised (approved) or reminded within the last year is skipped, so running this daily
    sends each organisation at most one reminder per entry and year.
    """
    now = now or timezone.now()
    year_ago = now - dt.timedelta(days=365)
    revised = Case(When(last_reviewed_at__isnull=False, then=F("last_reviewed_at")), default=F("published_at"))
    qs = (Initiative.objects.filter(state=State.PUBLISHED).annotate(revised=revised)
          .filter(revised__lt=year_ago).exclude(reminded_at__gte=year_ago)
          .exclude(progress_reports__filed_at__gte=year_ago).order_by("pk"))
    ids = list(qs.values_list("pk", flat=True)[:limit] if limit else qs.values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        with transaction.atomic():
            Initiative.objects.filter(pk__in=chunk).update(reminded_at=now)
            for pk in chunk:
                _notify(Initiative(pk=pk), "reminder")
    return len(ids)


# --- progress reports (issue 18) ---------------------------------------------------------------------

PROGRESS_FIELDS = ("status", "deliverables", "people_reached", "resources", "obstacles")
ERR_NOT_PUBLISHED = _("Only a published initiative takes progress reports.")
ERR_REPORT_YEAR = _("The reporting year must be between the year the initiative was published and this year.")


@transaction.atomic
def progress_report_file(*, user, initiative: Initiative, year: int, status: str, deliverables: str,
                         people_reached: int | None = None, resources: str = "", obstacles: str = "",
                         now: dt.datetime | None = None) -> ProgressReport:
    """File (or correct) the organisation's progress report on ``initiative`` for ``year``.

    Members of the organisation only; the initiative must be published. The initiative's own status
    follows the report's (an initiative reported as completed is shown as completed). Filing marks the
    entry active again (``filters.active_q``), and the yearly reminder skips an entry reported on
    within the year.
    """
    _require_member(user, initiative)
    if initiative.state != State.PUBLISHED:
        raise ValidationError(ERR_NOT_PUBLISHED)
    now = now or timezone.now()
    first = (initiative.published_at or now).year - 1
    if not isinstance(year, int) or not first <= year <= now.year:
        raise ValidationError({"year": [ERR_REPORT_YEAR]})
    report = ProgressReport.objects.filter(initiative=initiative, year=year).first()
    created = report is None
    report = report or ProgressReport(initiative=initiative, year=year)
    report.status, report.deliverables = status, (deliverables or "").strip()
    report.people_reached, report.resources, report.obstacles = people_reached, resources or "", obstacles or ""
    report.filed_at, report.filed_by = now, user
    report.full_clean(exclude=["initiative", "filed_by"])
    report.save()
    changed = initiative.status != status
    Initiative.objects.filter(pk=initiative.pk).update(status=status)
    initiative.status = status
    audit_record(actor=user, action="stocktaking.progress_report.create" if created else "stocktaking.progress_report.update",
                 target=report, summary=f"{initiative.title} · {year}", data={"initiative": initiative.pk})
    if changed:
        initiative_derived_refresh(ids=[initiative.pk])  # the status is a facet and a coverage column
    transaction.on_commit(_bump_search_generation)  # "active" / "inactive" counts are cached per generation
    return report


# --- translations of the title and summary (issue 21) ------------------------------------------------

#: The languages a translation may be in: those an initiative may be written in (the six UN languages).
TRANSLATION_LANGUAGES = dict(Initiative._meta.get_field("language").choices)
ERR_TRANSLATION_SAME = _("The initiative is written in %(language)s: a translation must be into another language.")
ERR_TRANSLATION_EXISTS = _("There is already a translation into %(language)s: change that one instead.")
ERR_TRANSLATION_LANGUAGE = _("Choose one of the languages of the platform.")
ERR_TRANSLATION_TITLE = _("Enter the title in the language of the translation.")
ERR_TRANSLATION_SUMMARY = _("Enter the summary in the language of the translation.")
TRANSLATION_CLOSED_STATES = {State.REJECTED, State.ARCHIVED}


def _language_name(code: str) -> str:
    return language_label(code)


def _translation_errors(*, title: str, summary: str) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not title:
        errors["title"] = [ERR_TRANSLATION_TITLE]
    if not summary:
        errors["summary"] = [ERR_TRANSLATION_SUMMARY]
    for name, text in (("title", title), ("summary", summary)):
        limit = InitiativeTranslation._meta.get_field(name).max_length
        if len(text) > limit:  # a TextField's max_length is not checked by full_clean
            message = ngettext("At most %(limit)d character.", "At most %(limit)d characters.", limit)
            errors.setdefault(name, []).append(ValidationError(message, code="max_length", params={"limit": limit}))
    return errors


def _after_translation(initiative: Initiative) -> None:
    """Search vector and language tokens follow in this transaction (INITIATIVE_CHANGED); the public
    lists cached under the data generation move on after the commit when the entry is public."""
    initiative_derived_refresh(ids=[initiative.pk])
    if initiative.state == State.PUBLISHED:
        transaction.on_commit(_bump_search_generation)


@transaction.atomic
def initiative_translation_create(*, user, initiative: Initiative, language: str, title: str,
                                  summary: str) -> InitiativeTranslation:
    """Add the title and summary of ``initiative`` in ``language`` (members of the owning organisation).

    The language must be one of the platform's and not the initiative's own; one translation per
    language (a second one, even from a concurrent request, is refused on the ``language`` field).
    A translation of a published entry is public at once, like its progress reports; moderators see
    it on the moderation page and may remove it.
    """
    _require_member(user, initiative)
    initiative = _lock(initiative)  # two members adding the same language queue here
    if initiative.state in TRANSLATION_CLOSED_STATES:
        raise _wrong_state(initiative)
    title, summary = (title or "").strip(), (summary or "").strip()
    errors = _translation_errors(title=title, summary=summary)
    params = {"language": _language_name(language)}
    if language not in TRANSLATION_LANGUAGES:
        errors["language"] = [ERR_TRANSLATION_LANGUAGE]
    elif language == initiative.language:
        errors["language"] = [ValidationError(ERR_TRANSLATION_SAME, code="same", params=params)]
    elif InitiativeTranslation.objects.filter(initiative=initiative, language=language).exists():
        errors["language"] = [ValidationError(ERR_TRANSLATION_EXISTS, code="exists", params=params)]
    if errors:
        raise ValidationError(errors)
    translation = InitiativeTranslation(initiative=initiative, language=language, title=title, summary=summary,
                                        created_by=user if getattr(user, "is_authenticated", False) else None)
    translation.full_clean(exclude=["initiative", "created_by"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            translation.save()
    except IntegrityError as exc:  # the unique constraint, should a writer slip past the lock
        raise ValidationError({"language": [ValidationError(ERR_TRANSLATION_EXISTS, code="exists",
                                                             params=params)]}) from exc
    audit_record(actor=user, action="stocktaking.initiative_translation.create", target=translation,
                 summary=f"{initiative.title} · {language}", data={"initiative": initiative.pk, "language": language})
    _after_translation(initiative)
    return translation


@transaction.atomic
def initiative_translation_update(*, user, translation: InitiativeTranslation, title: str, summary: str,
                                  expected_version: int | None = None) -> InitiativeTranslation:
    """Change a translation's title and summary (members of the owning organisation).

    ``expected_version`` is the ``lock_version`` the editor started from: ConflictError when another
    save came in between (``wsis.core.concurrency``), and nothing is written.
    """
    initiative = translation.initiative
    _require_member(user, initiative)
    version_claim(translation, expected_version=expected_version)
    initiative = _lock(initiative)
    if initiative.state in TRANSLATION_CLOSED_STATES:
        raise _wrong_state(initiative)
    title, summary = (title or "").strip(), (summary or "").strip()
    if errors := _translation_errors(title=title, summary=summary):
        raise ValidationError(errors)
    translation.title, translation.summary = title, summary
    translation.full_clean(exclude=["initiative", "created_by"], validate_unique=False, validate_constraints=False)
    translation.save(update_fields=["title", "summary", "lock_version", "updated_at"])
    audit_record(actor=user, action="stocktaking.initiative_translation.update", target=translation,
                 summary=f"{initiative.title} · {translation.language}",
                 data={"initiative": initiative.pk, "language": translation.language})
    _after_translation(initiative)
    return translation


@transaction.atomic
def initiative_translation_delete(*, user, translation: InitiativeTranslation,
                                  expected_version: int | None = None) -> None:
    """Remove a translation: members of the owning organisation, or a moderator (who sees them all).

    With ``expected_version``, a translation changed since the page was opened is not removed
    (ConflictError): the person looks at the new text first.
    """
    initiative = translation.initiative
    if not (can_moderate(user) or can_edit(user, initiative.organisation)):
        raise PermissionDenied(NOT_MEMBER)
    version_claim(translation, expected_version=expected_version)
    initiative = _lock(initiative)
    audit_record(actor=user, action="stocktaking.initiative_translation.delete", target=translation,
                 summary=f"{initiative.title} · {translation.language}",
                 data={"initiative": initiative.pk, "language": translation.language, "title": translation.title})
    translation.delete()
    _after_translation(initiative)
