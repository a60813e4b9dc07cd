"""Responses of member states: open (with prefill), save per section, check, submit, reopen."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.core.concurrency import ConflictError, versions_stamp
from wsis.core.services import audit_record
from wsis.taxonomy.models import Country

from .. import emails, selectors
from ..answers import clean_value, is_answered
from ..models import Answer, Question, QuestionnaireSection, Response, ReviewCycle
from ._common import (
    ERR_ALREADY_SUBMITTED,
    ERR_CYCLE_NOT_OPEN,
    ERR_NOT_EDITABLE,
    ERR_NOT_FOCAL_POINT,
    _require_manager,
)

# ---------------------------------------------------------------------------------------------
# Responses


def _prefill_value(question: Question, *, country: Country, previous: dict[str, object]):
    P = Question.Prefill
    if question.prefill == P.LAST_CYCLE:
        value = previous.get(question.code)
        return (clean_value(question, value), Answer.Source.LAST_CYCLE) if is_answered(value) else (None, None)
    if question.prefill in (P.REGISTRY_INITIATIVES, P.REGISTRY_COUNT) and question.section.action_line_id:
        rows = selectors.registry_initiatives(country=country, action_line=question.section.action_line)
        if question.prefill == P.REGISTRY_COUNT:
            if question.kind == Question.Kind.NUMBER:
                return len(rows), Answer.Source.REGISTRY
            return None, None
        if not rows:
            return None, None
        if question.kind == Question.Kind.TABLE:
            keys = [k for k, _label in question.column_options()]
            table = [{k: str(r.get(k, "")) for k in keys} for r in rows]
            # Columns the registry cannot fill stay blank; the first column gets the title at least.
            if keys and not any(r.get(keys[0]) for r in table):
                for row, r in zip(table, rows, strict=True):
                    row[keys[0]] = r["title"]
            return clean_value(question, table), Answer.Source.REGISTRY
        if question.kind == Question.Kind.TEXT:
            text = "\n".join(f"{r['title']} ({r['organisation']}{', ' + str(r['year']) if r['year'] else ''})"
                             for r in rows)
            return clean_value(question, text), Answer.Source.REGISTRY
    return None, None


@transaction.atomic
def response_open(*, cycle: ReviewCycle, country: Country, actor) -> Response | None:
    """The country's response, created and prefilled when a focal point (or delegate) first opens it
    while the cycle is open: last cycle's answers by question code, the country's published
    initiatives per action line. Reviewers only read: for them this returns what exists, or None."""
    access = selectors.response_access(actor, cycle, country)
    if not access.can_view:
        raise PermissionDenied(ERR_NOT_FOCAL_POINT)
    existing = selectors.response_get_or_none(cycle, country)
    if not cycle.is_open or not (access.is_focal_point or access.delegations):
        return existing
    response, _created = Response.objects.select_for_update().get_or_create(cycle=cycle, country=country)
    if not response.prefilled:
        _prefill(response)
    return response


def _prefill(response: Response) -> None:
    previous_values: dict[str, object] = {}
    prev_cycle = selectors.previous_cycle(response.cycle)
    if prev_cycle is not None:
        for code, value in Answer.objects.filter(response__cycle=prev_cycle, response__country=response.country) \
                .values_list("question__code", "value"):
            previous_values[code] = value
    have = set(response.answers.values_list("question_id", flat=True))
    new = []
    for question in selectors.question_list(response.cycle).select_related("section__action_line"):
        if not question.prefill or question.pk in have:
            continue
        try:
            value, source = _prefill_value(question, country=response.country, previous=previous_values)
        except ValidationError:
            continue  # last year's answer no longer fits (choices changed): leave it blank
        if value is not None:
            new.append(Answer(response=response, question=question, value=value, source=source))
    Answer.objects.bulk_create(new)
    response.prefilled = True
    response.save(update_fields=["prefilled", "updated_at"])
    audit_record(actor=None, action="reviews.response.prefill", target=response,
                 summary=f"{len(new)} answers prefilled")


@transaction.atomic
def response_save_section(*, response: Response, section: QuestionnaireSection, values: dict[int, object],
                          actor, expected_versions: dict[int, int] | None = None) -> Response:
    """Save the answers of one section as a draft. ``values`` maps question id → value; types are
    checked (not requirements: those apply at submission). Raises ``ValidationError`` keyed by the
    question code, saving nothing, if a value does not fit its question.

    ``expected_versions`` maps question id → the answer's ``lock_version`` when the form was opened
    (0: no answer yet; ``selectors.section_versions``). If someone else saved a different answer to one
    of these questions since, nothing is saved: ConflictError, whose ``current`` is the new stamp.
    Answers are saved under a lock on the response row, so two saves of one section take turns.
    """
    cycle = response.cycle
    access = selectors.response_access(actor, cycle, response.country)
    if response.state == Response.State.SUBMITTED:
        raise ValidationError(ERR_ALREADY_SUBMITTED)
    if not cycle.is_open:
        raise ValidationError(ERR_CYCLE_NOT_OPEN)
    if not access.can_edit_section(section.pk, cycle, response):
        raise PermissionDenied(ERR_NOT_EDITABLE)
    questions = {q.pk: q for q in section.questions.all()}
    errors, cleaned = {}, {}
    for qid, value in values.items():
        question = questions.get(qid)
        if question is None:
            continue
        try:
            cleaned[qid] = clean_value(question, value)
        except ValidationError as exc:
            errors[question.code] = exc.messages
    if errors:
        raise ValidationError(errors)
    Response.objects.select_for_update().filter(pk=response.pk).first()  # one section save at a time
    existing = {a.question_id: a for a in response.answers.filter(question_id__in=cleaned)}
    if expected_versions is not None:
        stale = [qid for qid, value in cleaned.items()
                 if expected_versions.get(qid, 0) != (existing[qid].lock_version if qid in existing else 0)
                 and value != (existing[qid].value if qid in existing else None)]
        if stale:
            raise ConflictError(instance=response, expected=versions_stamp(expected_versions),
                                current=versions_stamp(selectors.section_versions(response, section)))
    changed = 0
    for qid, value in cleaned.items():
        answer = existing.get(qid)
        if answer is None:
            if value is None:
                continue
            Answer.objects.create(response=response, question_id=qid, value=value, updated_by=actor)
            changed += 1
        elif answer.value != value:
            answer.value, answer.source, answer.updated_by = value, Answer.Source.USER, actor
            answer.lock_version += 1  # safe: the response row is locked
            answer.save()
            changed += 1
        elif answer.source != Answer.Source.USER:
            # Saving a prefilled answer unchanged confirms it: it is now the country's own.
            answer.source, answer.updated_by = Answer.Source.USER, actor
            answer.save()
    response.save(update_fields=["updated_at"])
    audit_record(actor=actor, action="reviews.response.save", target=response,
                 summary=f"{response.country.iso3} {section.display_title}: {changed} answers changed")
    return response


def response_check(response: Response) -> list[dict]:
    """What stops the response from being submitted: one entry per unanswered required question
    that applies (its conditions met), with its section, in questionnaire order."""
    sections = selectors.questionnaire_sections(response.cycle)
    answers = selectors.response_answers(response)
    values = {qid: a.value for qid, a in answers.items()}
    by_id = {q.pk: q for s in sections for q in s.questions.all()}
    problems = []
    for section in sections:
        for q in section.questions.all():
            if q.required and selectors.question_is_visible(q, values, by_id) and not is_answered(values.get(q.pk)):
                problems.append({"section": section, "question": q,
                                 "message": _("This question is required.")})
    return problems


@transaction.atomic
def response_submit(*, response: Response, actor) -> Response:
    """Submit the country's response: only a focal point of the country, only while the cycle is
    open, only with every applicable required question answered."""
    response = Response.objects.select_for_update().select_related("cycle__commission", "country").get(
        pk=response.pk)
    access = selectors.response_access(actor, response.cycle, response.country)
    if not access.is_focal_point:
        raise PermissionDenied(ERR_NOT_FOCAL_POINT)
    if response.state == Response.State.SUBMITTED:
        raise ValidationError(ERR_ALREADY_SUBMITTED)
    if not response.cycle.is_open:
        raise ValidationError(ERR_CYCLE_NOT_OPEN)
    problems = response_check(response)
    if problems:
        raise ValidationError([
            _("%(section)s: “%(question)s” is required.") % {"section": p["section"].display_title,
                                                              "question": p["question"].text}
            for p in problems
        ])
    response.state, response.submitted_at, response.submitted_by = Response.State.SUBMITTED, timezone.now(), actor
    response.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    audit_record(actor=actor, action="reviews.response.submit", target=response,
                 summary=f"{response.cycle} {response.country.iso3}")
    emails.send_submitted_notice(response)
    return response


@transaction.atomic
def response_reopen(*, response: Response, actor) -> Response:
    """A reviewer returns a submitted response to draft (while the cycle is open) for corrections."""
    _require_manager(actor, response.cycle)
    if not response.cycle.is_open:
        raise ValidationError(ERR_CYCLE_NOT_OPEN)
    response.state, response.submitted_at = Response.State.DRAFT, None
    response.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(actor=actor, action="reviews.response.reopen", target=response,
                 summary=f"{response.cycle} {response.country.iso3}")
    return response


