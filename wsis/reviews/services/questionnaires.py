"""Questionnaires: sections per action line, starter questions, copies and typed questions."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wsis.core.concurrency import version_claim
from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.core.permissions import can_review_commission
from wsis.core.services import audit_record
from wsis.taxonomy.models import ActionLine

from .. import selectors
from ..models import Question, Questionnaire, QuestionnaireSection, ReviewCycle
from ._common import ERR_CODE_TAKEN, ERR_NOT_REVIEWER, _require_draft, _require_manager

# ---------------------------------------------------------------------------------------------
# Questionnaire


def _questionnaire(cycle: ReviewCycle) -> Questionnaire:
    return Questionnaire.objects.get_or_create(cycle=cycle)[0]


@transaction.atomic
def questionnaire_add_sections(*, cycle: ReviewCycle, action_lines: Iterable[ActionLine],
                               actor) -> list[QuestionnaireSection]:
    """One section per action line not yet in the questionnaire, in the action lines' order."""
    _require_manager(actor, cycle)
    _require_draft(cycle)
    q = _questionnaire(cycle)
    existing = set(q.sections.exclude(action_line=None).values_list("action_line_id", flat=True))
    next_order = (q.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    created = []
    for al in sorted(action_lines, key=lambda a: a.order):
        if al.pk in existing or not al.is_leaf:
            continue
        created.append(QuestionnaireSection.objects.create(questionnaire=q, action_line=al, order=next_order))
        next_order += 1
    # Keep sections in action-line order however they were added.
    for i, section in enumerate(q.sections.select_related("action_line").order_by(
            "action_line__order", "order"), start=1):
        if section.order != i:
            QuestionnaireSection.objects.filter(pk=section.pk).update(order=i)
    audit_record(actor=actor, action="reviews.questionnaire.edit_sections", target=cycle,
                 summary=", ".join(s.action_line.code for s in created))
    return created


@transaction.atomic
def questionnaire_remove_section(*, section: QuestionnaireSection, actor) -> None:
    cycle = section.questionnaire.cycle
    _require_manager(actor, cycle)
    _require_draft(cycle)
    audit_record(actor=actor, action="reviews.questionnaire.section_remove", target=cycle,
                 summary=section.display_title)
    section.delete()


def _all_languages(text) -> dict[str, str]:
    """A translatable string in every language that has a translation (English always)."""
    out = {}
    with translation.override("en"):
        english = str(text)
    out["en"] = english
    for lang in LANGUAGE_SUFFIXES:
        if lang == "en":
            continue
        with translation.override(lang):
            local = str(text)
        if local and local != english:
            out[lang] = local
    return out


def _starter_questions(al: ActionLine) -> list[dict]:
    K, P = Question.Kind, Question.Prefill
    slug = al.slug
    areas = [
        ("connectivity", _("Connectivity and infrastructure")),
        ("skills", _("Digital skills")),
        ("policy", _("Policy and regulation")),
        ("financing", _("Financing and investment")),
        ("inclusion", _("Inclusion of women, youth and persons with disabilities")),
        ("cooperation", _("Regional and international cooperation")),
    ]
    return [
        {"code": f"{slug}-policy", "kind": K.YES_NO, "required": True,
         "label": _all_languages(_("Does your country have a national policy, strategy or plan that "
                                   "addresses this action line?"))},
        {"code": f"{slug}-policy-name", "kind": K.TEXT, "condition": f"{slug}-policy", "condition_value": "yes",
         "label": _all_languages(_("Name the policy, strategy or plan and the year it was adopted.")),
         "help_text": _all_languages(_("Give its official title; add a link if it is published online."))},
        {"code": f"{slug}-progress", "kind": K.SCALE, "required": True, "scale_min": 1, "scale_max": 5,
         "label": _all_languages(_("How far has implementation progressed since the last review?")),
         "help_text": _all_languages(_("1 means no progress, 5 means the objectives are fully met."))},
        {"code": f"{slug}-priorities", "kind": K.MULTIPLE,
         "label": _all_languages(_("Which areas received priority during the period?")),
         "choices": [{"value": v, "label": _all_languages(label)} for v, label in areas]},
        {"code": f"{slug}-initiatives", "kind": K.TABLE, "prefill": P.REGISTRY_INITIATIVES,
         "label": _all_languages(_("Main national initiatives on this action line.")),
         "help_text": _all_languages(_("Prefilled with your country's initiatives published in the WSIS "
                                       "Stocktaking registry: correct, remove or add rows.")),
         "columns": [{"key": "title", "label": _all_languages(_("Initiative"))},
                     {"key": "organisation", "label": _all_languages(_("Organisation"))},
                     {"key": "year", "label": _all_languages(_("Year"))}]},
        {"code": f"{slug}-initiative-count", "kind": K.NUMBER, "prefill": P.REGISTRY_COUNT,
         "label": _all_languages(_("How many national initiatives address this action line?"))},
        {"code": f"{slug}-highlights", "kind": K.TEXT, "prefill": P.LAST_CYCLE,
         "label": _all_languages(_("Main achievements and remaining challenges.")),
         "help_text": _all_languages(_("Prefilled with last cycle's answer where there is one: update it."))},
    ]


@transaction.atomic
def questionnaire_add_starter(*, cycle: ReviewCycle, action_lines: Iterable[ActionLine], actor) -> int:
    """Sections for ``action_lines`` with the standard questions (policy, progress, priorities,
    initiatives from the registry, achievements); existing questions are left alone. Returns how
    many questions were added."""
    _require_manager(actor, cycle)
    _require_draft(cycle)
    action_lines = list(action_lines)
    questionnaire_add_sections(cycle=cycle, action_lines=action_lines, actor=actor)
    sections = {s.action_line_id: s for s in _questionnaire(cycle).sections.exclude(action_line=None)}
    codes = set(Question.objects.filter(section__questionnaire__cycle=cycle).values_list("code", flat=True))
    added = 0
    for al in action_lines:
        section = sections.get(al.pk)
        if section is None:
            continue
        made: dict[str, Question] = {}
        order = section.questions.count()
        for spec in _starter_questions(al):
            if spec["code"] in codes:
                continue
            order += 1
            cond = made.get(spec.get("condition", ""))
            q = Question(section=section, code=spec["code"], kind=spec["kind"], label=spec["label"],
                         help_text=spec.get("help_text", {}), required=spec.get("required", False),
                         choices=spec.get("choices", []), columns=spec.get("columns", []),
                         scale_min=spec.get("scale_min", 1), scale_max=spec.get("scale_max", 5),
                         condition_question=cond, condition_value=spec.get("condition_value", "") if cond else "",
                         prefill=spec.get("prefill", ""), order=order)
            q.full_clean()
            q.save()
            made[q.code] = q
            codes.add(q.code)
            added += 1
    audit_record(actor=actor, action="reviews.questionnaire.add_starter", target=cycle,
                 summary=f"{added} questions", data={"action_lines": [a.code for a in action_lines]})
    return added


@transaction.atomic
def questionnaire_copy(*, cycle: ReviewCycle, source: ReviewCycle, actor) -> int:
    """Copy ``source``'s sections and questions (conditions included) into ``cycle``'s questionnaire.

    Sections already present are kept; questions whose code already exists are skipped, so copying
    twice adds nothing. Returns the number of questions copied.
    """
    _require_manager(actor, cycle)
    if source.commission_id != cycle.commission_id and not can_review_commission(
            actor, source.commission):
        raise PermissionDenied(ERR_NOT_REVIEWER)
    _require_draft(cycle)
    target_q = _questionnaire(cycle)
    source_q = _questionnaire(source)
    if not target_q.intro and source_q.intro:
        target_q.intro = source_q.intro
    target_q.copied_from = source_q
    target_q.save()
    codes = set(Question.objects.filter(section__questionnaire=target_q).values_list("code", flat=True))
    by_al = {s.action_line_id: s for s in target_q.sections.all() if s.action_line_id}
    id_map: dict[int, Question] = {}
    pending_conditions: list[tuple[Question, int]] = []
    copied = 0
    for section in selectors.questionnaire_sections(source):
        target_section = by_al.get(section.action_line_id) if section.action_line_id else None
        if target_section is None:
            target_section = QuestionnaireSection.objects.create(
                questionnaire=target_q, action_line=section.action_line, title=section.title,
                intro=section.intro, order=section.order)
            if section.action_line_id:
                by_al[section.action_line_id] = target_section
        for q in section.questions.all():
            if q.code in codes:
                continue
            new = Question.objects.create(
                section=target_section, code=q.code, kind=q.kind, label=q.label, help_text=q.help_text,
                required=q.required, choices=q.choices, columns=q.columns, scale_min=q.scale_min,
                scale_max=q.scale_max, condition_value=q.condition_value, prefill=q.prefill, order=q.order)
            id_map[q.pk] = new
            codes.add(q.code)
            copied += 1
            if q.condition_question_id:
                pending_conditions.append((new, q.condition_question_id))
    for new, old_cond in pending_conditions:
        if old_cond in id_map:
            new.condition_question = id_map[old_cond]
            new.save(update_fields=["condition_question"])
        else:
            new.condition_value = ""
            new.save(update_fields=["condition_value"])
    audit_record(actor=actor, action="reviews.questionnaire.copy", target=cycle,
                 summary=f"{copied} questions from {source}", data={"source": source.pk})
    return copied


QUESTION_FIELDS = ("code", "kind", "label", "help_text", "required", "choices", "columns", "scale_min",
                   "scale_max", "condition_question", "condition_value", "prefill")


def _validate_question(question: Question) -> None:
    cycle_id = question.section.questionnaire.cycle_id
    errors: dict[str, list] = {}
    if not (question.label or {}).get("en", "").strip() and not any((question.label or {}).values()):
        errors.setdefault("label", []).append(_("Write the question in at least one language."))
    if Question.objects.filter(section__questionnaire__cycle_id=cycle_id, code=question.code).exclude(
            pk=question.pk).exists():
        errors.setdefault("code", []).append(ERR_CODE_TAKEN % {"code": question.code})
    K = Question.Kind
    if question.kind in (K.SINGLE, K.MULTIPLE) and len(question.choices or []) < 2:
        errors.setdefault("choices", []).append(_("Give at least two choices."))
    if question.kind == K.TABLE and not question.columns:
        errors.setdefault("columns", []).append(_("Give at least one column."))
    if question.kind == K.SCALE and question.scale_max <= question.scale_min:
        errors.setdefault("scale_max", []).append(_("The scale's maximum must be above its minimum."))
    cond = question.condition_question
    if cond is not None:
        if cond.section.questionnaire.cycle_id != cycle_id or cond.pk == question.pk:
            errors.setdefault("condition_question", []).append(_("Choose another question of this questionnaire."))
        elif cond.kind not in (K.YES_NO, K.SINGLE, K.MULTIPLE):
            errors.setdefault("condition_question", []).append(
                _("A condition can only depend on a yes/no or choice question."))
        elif question.condition_value not in {v for v, _label in cond.choice_options()}:
            errors.setdefault("condition_value", []).append(
                _("Give one of the answers of the condition question: %(values)s.")
                % {"values": ", ".join(v for v, _label in cond.choice_options())})
        else:
            # No cycles: following the chain from the condition must never come back here.
            seen, node = {question.pk}, cond
            while node is not None:
                if node.pk in seen:
                    errors.setdefault("condition_question", []).append(_("Conditions cannot go round in a circle."))
                    break
                seen.add(node.pk)
                node = node.condition_question
    elif question.condition_value:
        question.condition_value = ""
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def question_create(*, section: QuestionnaireSection, actor, **data) -> Question:
    cycle = section.questionnaire.cycle
    _require_manager(actor, cycle)
    _require_draft(cycle)
    order = (section.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    question = Question(section=section, order=order, **{k: v for k, v in data.items() if k in QUESTION_FIELDS})
    if not question.code:
        question.code = slugify(f"{section.action_line.slug if section.action_line_id else 'q'}-{order}")
    question.full_clean(exclude=["condition_question"])
    _validate_question(question)
    question.save()
    audit_record(actor=actor, action="reviews.question.create", target=question, summary=question.code)
    return question


@transaction.atomic
def question_update(*, question: Question, actor, expected_version: int | None = None, **data) -> Question:
    cycle = question.section.questionnaire.cycle
    _require_manager(actor, cycle)
    _require_draft(cycle)
    version_claim(question, expected_version=expected_version)
    for key, value in data.items():
        if key in QUESTION_FIELDS:
            setattr(question, key, value)
    question.full_clean(exclude=["condition_question"])
    _validate_question(question)
    question.save()
    audit_record(actor=actor, action="reviews.question.update", target=question, summary=question.code)
    return question


@transaction.atomic
def question_delete(*, question: Question, actor) -> None:
    cycle = question.section.questionnaire.cycle
    _require_manager(actor, cycle)
    _require_draft(cycle)
    # Questions that depended on this one become unconditional rather than unreachable.
    question.dependants.update(condition_question=None, condition_value="")
    audit_record(actor=actor, action="reviews.question.delete", target=question, summary=question.code)
    question.delete()


@transaction.atomic
def question_move(*, question: Question, direction: str, actor) -> None:
    """Swap the question with its neighbour above (``up``) or below (``down``) in its section."""
    cycle = question.section.questionnaire.cycle
    _require_manager(actor, cycle)
    _require_draft(cycle)
    siblings = list(question.section.questions.order_by("order", "id"))
    i = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(siblings):
        return
    siblings[i], siblings[j] = siblings[j], siblings[i]
    for order, q in enumerate(siblings, start=1):
        if q.order != order:
            Question.objects.filter(pk=q.pk).update(order=order)
    audit_record(actor=actor, action="reviews.question.move", target=question, summary=direction)


