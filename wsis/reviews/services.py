"""Writes of the regional reviews: cycles, questionnaires, invitations, responses, delegations,
reminders, report versions, publication and the hand-over to the WSIS Forum.

Every function is keyword-only and atomic, checks permission (``PermissionDenied``), validates
(``ValidationError`` naming the field) and writes an audit row; e-mails and background jobs are
scheduled with ``transaction.on_commit`` so nothing happens for a change that rolled back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wsis.accounts.models import RoleGrant
from wsis.accounts.selectors import user_has_role
from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.core.services import audit_record
from wsis.taxonomy.models import ActionLine, Country, RegionalCommission

from . import emails, selectors
from .answers import clean_value, is_answered
from .models import (
    Answer,
    Delegation,
    ForumSubmissionRecord,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireSection,
    Response,
    ReviewCycle,
    ReviewReport,
)

__all__ = [
    "ERR_NOT_REVIEWER",
    "ERR_NOT_FOCAL_POINT",
    "ERR_NOT_EDITABLE",
    "ERR_NOT_DRAFT_QUESTIONNAIRE",
    "ERR_CYCLE_NOT_OPEN",
    "ERR_WRONG_TRANSITION",
    "ERR_NO_QUESTIONS",
    "ERR_NOT_MEMBER",
    "ERR_WRONG_ACCOUNT",
    "ERR_ALREADY_SUBMITTED",
    "ERR_REPORT_NOT_READY",
    "ERR_NOT_PUBLISHED",
    "cycle_create",
    "cycle_update",
    "cycle_transition",
    "questionnaire_add_sections",
    "questionnaire_remove_section",
    "questionnaire_add_starter",
    "questionnaire_copy",
    "question_create",
    "question_update",
    "question_delete",
    "question_move",
    "invitation_create",
    "invitation_invite_focal_points",
    "invitation_accept",
    "invitation_revoke",
    "response_open",
    "response_save_section",
    "response_check",
    "response_submit",
    "response_reopen",
    "delegation_create",
    "delegation_accept",
    "delegation_revoke",
    "reminders_send",
    "report_request",
    "report_build",
    "report_update_narratives",
    "report_publish",
    "report_send_to_forum",
]

logger = logging.getLogger(__name__)

ERR_NOT_REVIEWER = _("Only the regional reviewers of this commission and the secretariat can do this.")
ERR_NOT_FOCAL_POINT = _("Only a national focal point of this country can do this.")
ERR_NOT_EDITABLE = _("You cannot change this part of the response.")
ERR_NOT_DRAFT_QUESTIONNAIRE = _("The questionnaire can only be changed while the cycle is a draft.")
ERR_CYCLE_NOT_OPEN = _("The questionnaire is not open for responses.")
ERR_WRONG_TRANSITION = _("A cycle in state “%(from)s” cannot move to “%(to)s”.")
ERR_NO_QUESTIONS = _("Add at least one question before opening the cycle.")
ERR_NO_DEADLINE = _("Set the questionnaire deadline before opening the cycle.")
ERR_NOT_MEMBER = _("%(country)s is not a member of %(commission)s.")
ERR_WRONG_ACCOUNT = _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
ERR_ALREADY_SUBMITTED = _("This response has been submitted and can no longer be changed.")
ERR_REPORT_NOT_READY = _("Only a finished report version can be used.")
ERR_NOT_PUBLISHED = _("Publish the report before sending it to the WSIS Forum.")
ERR_REPORT_STATE = _("Reports can be generated once the questionnaire is closed.")
ERR_PUBLISHED_LOCKED = _("A published report can no longer be edited.")
ERR_CODE_TAKEN = _("Another question of this questionnaire already has the code “%(code)s”.")

TRANSITIONS = {
    ReviewCycle.State.DRAFT: {ReviewCycle.State.OPEN},
    ReviewCycle.State.OPEN: {ReviewCycle.State.CLOSED},
    ReviewCycle.State.CLOSED: {ReviewCycle.State.OPEN},
    ReviewCycle.State.REPORT_DRAFTED: {ReviewCycle.State.OPEN},
    ReviewCycle.State.PUBLISHED: set(),
}


def _require_manager(actor, cycle: ReviewCycle) -> None:
    if not selectors.cycle_can_manage(actor, cycle):
        raise PermissionDenied(ERR_NOT_REVIEWER)


def _require_draft(cycle: ReviewCycle) -> None:
    if cycle.state != ReviewCycle.State.DRAFT:
        raise ValidationError(ERR_NOT_DRAFT_QUESTIONNAIRE)


# ---------------------------------------------------------------------------------------------
# Cycles


@transaction.atomic
def cycle_create(*, commission: RegionalCommission, year: int, actor, title: str = "", theme: str = "",
                 opens_on: dt.date | None = None, closes_on: dt.date | None = None,
                 goals: Iterable | None = None) -> ReviewCycle:
    """A new draft cycle; theme and SDGs default to that year's HLPF session (or the latest one)."""
    if not user_has_role(actor, RoleGrant.Role.REGIONAL_REVIEWER, commission):
        raise PermissionDenied(ERR_NOT_REVIEWER)
    session = selectors.hlpf_session_for_year(year)
    cycle = ReviewCycle(
        commission=commission, year=year, opens_on=opens_on, closes_on=closes_on, hlpf_session=session,
        title=title.strip() or str(_("%(commission)s regional review of WSIS implementation, %(year)s")
                                   % {"commission": commission.code, "year": year}),
        theme=theme.strip() or (session.theme_en if session else ""),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    cycle.full_clean()
    cycle.save()
    cycle.goals.set(list(goals) if goals is not None else (list(session.goals.all()) if session else []))
    Questionnaire.objects.create(cycle=cycle)
    audit_record(actor=actor, action="reviews.cycle.create", target=cycle, summary=str(cycle))
    return cycle


@transaction.atomic
def cycle_update(*, cycle: ReviewCycle, actor, title: str, theme: str, opens_on, closes_on,
                 goals: Iterable) -> ReviewCycle:
    _require_manager(actor, cycle)
    if cycle.state == ReviewCycle.State.PUBLISHED:
        raise ValidationError(ERR_PUBLISHED_LOCKED)
    cycle.title, cycle.theme, cycle.opens_on, cycle.closes_on = title.strip(), theme.strip(), opens_on, closes_on
    cycle.full_clean()
    cycle.save()
    cycle.goals.set(list(goals))
    audit_record(actor=actor, action="reviews.cycle.update", target=cycle, summary=str(cycle))
    return cycle


@transaction.atomic
def cycle_transition(*, cycle: ReviewCycle, to_state: str, actor) -> ReviewCycle:
    """Open, close or reopen the questionnaire. Report states follow the report services."""
    _require_manager(actor, cycle)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if to_state not in TRANSITIONS.get(cycle.state, set()):
        raise ValidationError(ERR_WRONG_TRANSITION % {
            "from": cycle.get_state_display(), "to": ReviewCycle.State(to_state).label
            if to_state in ReviewCycle.State.values else to_state})
    if to_state == ReviewCycle.State.OPEN:
        if not Question.objects.filter(section__questionnaire__cycle=cycle).exists():
            raise ValidationError(ERR_NO_QUESTIONS)
        if cycle.closes_on is None:
            raise ValidationError({"closes_on": ERR_NO_DEADLINE})
    previous = cycle.state
    cycle.state = to_state
    cycle.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action=f"reviews.cycle.{to_state}", target=cycle,
                 summary=f"{cycle}: {previous} → {to_state}")
    return cycle


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
    audit_record(actor=actor, action="reviews.questionnaire.sections", target=cycle,
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
    audit_record(actor=actor, action="reviews.questionnaire.starter", target=cycle,
                 summary=f"{added} questions", data={"action_lines": [a.code for a in action_lines]})
    return added


@transaction.atomic
def questionnaire_copy(*, cycle: ReviewCycle, source: ReviewCycle, actor) -> int:
    """Copy ``source``'s sections and questions (conditions included) into ``cycle``'s questionnaire.

    Sections already present are kept; questions whose code already exists are skipped, so copying
    twice adds nothing. Returns the number of questions copied.
    """
    _require_manager(actor, cycle)
    if source.commission_id != cycle.commission_id and not user_has_role(
            actor, RoleGrant.Role.REGIONAL_REVIEWER, source.commission):
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
def question_update(*, question: Question, actor, **data) -> Question:
    cycle = question.section.questionnaire.cycle
    _require_manager(actor, cycle)
    _require_draft(cycle)
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


# ---------------------------------------------------------------------------------------------
# Invitations


def _check_member(cycle: ReviewCycle, country: Country) -> None:
    if not cycle.commission.memberships.filter(country=country).exists():
        raise ValidationError({"country": ERR_NOT_MEMBER % {"country": country.name,
                                                              "commission": cycle.commission.code}})


@transaction.atomic
def invitation_create(*, cycle: ReviewCycle, country: Country, email: str, actor,
                      site_url: str = "") -> Invitation:
    """Invite ``email`` to answer for ``country``; sends the link once committed.

    An address that already belongs to a focal point of the country is accepted at once (the link
    still goes out, as the notice that the questionnaire awaits them). Inviting the same address
    again re-sends the link.
    """
    _require_manager(actor, cycle)
    if cycle.state == ReviewCycle.State.PUBLISHED:
        raise ValidationError(ERR_PUBLISHED_LOCKED)
    _check_member(cycle, country)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    invitation, created = Invitation.objects.get_or_create(
        cycle=cycle, country=country, email=email, defaults={"invited_by": actor})
    if invitation.state == Invitation.State.REVOKED:
        invitation.state = Invitation.State.PENDING
    from wsis.accounts.models import User

    user = User.objects.filter(email__iexact=email).first()
    if user is not None and invitation.state == Invitation.State.PENDING and user_has_role(
            user, RoleGrant.Role.FOCAL_POINT, country):
        invitation.user, invitation.state, invitation.accepted_at = user, Invitation.State.ACCEPTED, timezone.now()
    invitation.sent_at = timezone.now()
    invitation.save()
    audit_record(actor=actor, action="reviews.invitation.create" if created else "reviews.invitation.resend",
                 target=invitation, summary=f"{cycle} {country.iso3} {email}")
    emails.send_invitation(invitation, site_url=site_url, language=getattr(user, "preferred_language", "") or "en")
    return invitation


@transaction.atomic
def invitation_invite_focal_points(*, cycle: ReviewCycle, actor, site_url: str = "") -> list[Invitation]:
    """Invite every registered focal point of every member state not invited yet."""
    _require_manager(actor, cycle)
    already = set(Invitation.objects.filter(cycle=cycle).values_list("country_id", "email"))
    made = []
    for country in selectors.commission_member_countries(cycle.commission):
        for user in selectors.focal_point_users(country):
            if (country.pk, user.email.lower()) in already:
                continue
            made.append(invitation_create(cycle=cycle, country=country, email=user.email, actor=actor,
                                          site_url=site_url))
    return made


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Invitation:
    """The invitee accepts: they become a focal point of the country if they were not one."""
    if invitation.state == Invitation.State.REVOKED:
        raise ValidationError(_("This invitation has been withdrawn."))
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(ERR_WRONG_ACCOUNT % {"email": invitation.email})
    if not user_has_role(user, RoleGrant.Role.FOCAL_POINT, invitation.country):
        from django.contrib.contenttypes.models import ContentType

        RoleGrant.objects.get_or_create(
            user=user, role=RoleGrant.Role.FOCAL_POINT,
            scope_type=ContentType.objects.get_for_model(Country), scope_id=invitation.country_id,
            defaults={"granted_by": invitation.invited_by})
    if invitation.state != Invitation.State.ACCEPTED:
        invitation.state, invitation.user, invitation.accepted_at = (
            Invitation.State.ACCEPTED, user, timezone.now())
        invitation.save(update_fields=["state", "user", "accepted_at", "updated_at"])
        audit_record(actor=user, action="reviews.invitation.accept", target=invitation,
                     summary=f"{invitation.cycle} {invitation.country.iso3}")
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    _require_manager(actor, invitation.cycle)
    invitation.state = Invitation.State.REVOKED
    invitation.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="reviews.invitation.revoke", target=invitation,
                 summary=f"{invitation.cycle} {invitation.country.iso3} {invitation.email}")
    return invitation


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
                          actor) -> Response:
    """Save the answers of one section as a draft. ``values`` maps question id → value; types are
    checked (not requirements: those apply at submission). Raises ``ValidationError`` keyed by the
    question code, saving nothing, if a value does not fit its question."""
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
    existing = {a.question_id: a for a in response.answers.filter(question_id__in=cleaned)}
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


# ---------------------------------------------------------------------------------------------
# Delegations


@transaction.atomic
def delegation_create(*, response: Response, email: str, sections: Iterable[QuestionnaireSection], actor,
                      site_url: str = "") -> Delegation:
    """A focal point hands some sections to a colleague, who gets a link by e-mail."""
    access = selectors.response_access(actor, response.cycle, response.country)
    if not access.is_focal_point:
        raise PermissionDenied(ERR_NOT_FOCAL_POINT)
    if response.state == Response.State.SUBMITTED:
        raise ValidationError(ERR_ALREADY_SUBMITTED)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    sections = [s for s in sections if s.questionnaire.cycle_id == response.cycle_id]
    if not sections:
        raise ValidationError({"sections": _("Choose at least one section.")})
    delegation = Delegation.objects.create(response=response, email=email, delegated_by=actor)
    delegation.sections.set(sections)
    from wsis.accounts.models import User

    user = User.objects.filter(email__iexact=email).first()
    audit_record(actor=actor, action="reviews.delegation.create", target=delegation,
                 summary=f"{response.country.iso3} → {email}: {', '.join(s.display_title for s in sections)}")
    emails.send_delegation(delegation, site_url=site_url,
                           language=getattr(user, "preferred_language", "") or "en")
    return delegation


@transaction.atomic
def delegation_accept(*, delegation: Delegation, user) -> Delegation:
    if delegation.revoked:
        raise ValidationError(_("This delegation has been withdrawn."))
    if user.email.lower() != delegation.email.lower():
        raise PermissionDenied(ERR_WRONG_ACCOUNT % {"email": delegation.email})
    if delegation.user_id != user.pk:
        delegation.user, delegation.accepted_at = user, timezone.now()
        delegation.save(update_fields=["user", "accepted_at", "updated_at"])
        audit_record(actor=user, action="reviews.delegation.accept", target=delegation, summary=delegation.email)
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, actor) -> Delegation:
    access = selectors.response_access(actor, delegation.response.cycle, delegation.response.country)
    if not (access.is_focal_point or access.is_reviewer):
        raise PermissionDenied(ERR_NOT_FOCAL_POINT)
    delegation.revoked = True
    delegation.save(update_fields=["revoked", "updated_at"])
    audit_record(actor=actor, action="reviews.delegation.revoke", target=delegation, summary=delegation.email)
    return delegation


# ---------------------------------------------------------------------------------------------
# Reminders


def reminders_send(*, today: dt.date | None = None, days_before: int = 7, site_url: str = "",
                   dry_run: bool = False) -> list[Invitation]:
    """Remind the invitees of open cycles whose deadline falls within ``days_before`` days and whose
    country has not submitted; at most one reminder per invitation per day. Returns those reminded."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days_before)
    due = (Invitation.objects.filter(cycle__state=ReviewCycle.State.OPEN, cycle__closes_on__gte=today,
                                     cycle__closes_on__lte=horizon)
           .exclude(state=Invitation.State.REVOKED)
           .select_related("cycle__commission", "country", "user"))
    submitted = set(Response.objects.filter(state=Response.State.SUBMITTED,
                                            cycle__in={i.cycle_id for i in due}).values_list("cycle_id",
                                                                                             "country_id"))
    reminded = []
    for invitation in due:
        if (invitation.cycle_id, invitation.country_id) in submitted:
            continue
        if invitation.last_reminded_at and timezone.localdate(invitation.last_reminded_at) >= today:
            continue
        reminded.append(invitation)
        if dry_run:
            continue
        with transaction.atomic():
            invitation.last_reminded_at = timezone.now()
            invitation.save(update_fields=["last_reminded_at", "updated_at"])
            audit_record(actor=None, action="reviews.invitation.remind", target=invitation,
                         summary=f"{invitation.cycle} {invitation.country.iso3} {invitation.email}")
            emails.send_reminder(invitation, site_url=site_url,
                                 language=getattr(invitation.user, "preferred_language", "") or "en",
                                 days_left=(invitation.cycle.closes_on - today).days)
    return reminded


# ---------------------------------------------------------------------------------------------
# Reports


REPORT_STATES = {ReviewCycle.State.CLOSED, ReviewCycle.State.REPORT_DRAFTED}


@transaction.atomic
def report_request(*, cycle: ReviewCycle, actor, language: str = "en") -> ReviewReport:
    """Queue a new version of the report; narratives carry over from the latest version."""
    _require_manager(actor, cycle)
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state not in REPORT_STATES:
        raise ValidationError(ERR_REPORT_STATE)
    if language not in LANGUAGE_SUFFIXES:
        language = "en"
    latest = ReviewReport.objects.filter(cycle=cycle).order_by("-version").first()
    report = ReviewReport.objects.create(
        cycle=cycle, version=(latest.version + 1) if latest else 1, language=language,
        narratives=dict(latest.narratives) if latest else {}, created_by=actor,
        messages=[{"at": timezone.now().isoformat(), "text": str(_("Queued."))}],
    )
    audit_record(actor=actor, action="reviews.report.request", target=report, summary=str(report))
    transaction.on_commit(lambda: _enqueue_build(report.pk))
    return report


def _enqueue_build(report_id: int, *, rerender: bool = False) -> None:
    from .tasks import build_review_report

    build_review_report.enqueue(report_id, rerender)


def _log(report: ReviewReport, text, progress: int | None = None) -> None:
    report.messages = [*report.messages, {"at": timezone.now().isoformat(), "text": str(text)}]
    fields = ["messages", "updated_at"]
    if progress is not None:
        report.progress = progress
        fields.append("progress")
    report.save(update_fields=fields)


def report_build(*, report_id: int, rerender: bool = False) -> ReviewReport:
    """Compute the figures (unless re-rendering edited narratives), then write HTML, PDF and DOCX.

    Runs in the background job; each step commits its progress so that the page can show it.
    A failure marks the version failed with the reason, and the cycle keeps its state.
    """
    from . import rendering
    from .report_data import report_figures

    report = ReviewReport.objects.select_related("cycle__commission").get(pk=report_id)
    report.status, report.started_at, report.finished_at = ReviewReport.Status.RUNNING, timezone.now(), None
    report.save(update_fields=["status", "started_at", "finished_at", "updated_at"])
    try:
        if not rerender or not report.data:
            _log(report, _("Collecting responses, registry coverage, Matrix links and indicators."), 5)
            with translation.override(report.language):
                report.data = report_figures(report.cycle)
            report.save(update_fields=["data", "updated_at"])
        _log(report, _("Figures ready; writing the HTML version."), 35)
        html = rendering.render_html(report)
        rendering.save_file(report, "html_file", "report.html", html.encode("utf-8"))
        _log(report, _("Writing the PDF version."), 55)
        rendering.save_file(report, "pdf_file", "report.pdf", rendering.render_pdf(report, html))
        _log(report, _("Writing the DOCX version."), 85)
        rendering.save_file(report, "docx_file", "report.docx", rendering.render_docx(report))
        report.status, report.finished_at = ReviewReport.Status.DONE, timezone.now()
        report.save(update_fields=["status", "finished_at", "updated_at"])
        _log(report, _("Done."), 100)
        with transaction.atomic():
            cycle = ReviewCycle.objects.select_for_update().get(pk=report.cycle_id)
            if cycle.state == ReviewCycle.State.CLOSED:
                cycle.state = ReviewCycle.State.REPORT_DRAFTED
                cycle.save(update_fields=["state", "updated_at"])
                audit_record(actor=None, action="reviews.cycle.report_drafted", target=cycle, summary=str(report))
    except Exception as exc:
        # The job must record why it stopped: a reviewer reads this on the report page.
        report.status, report.finished_at = ReviewReport.Status.FAILED, timezone.now()
        report.save(update_fields=["status", "finished_at", "updated_at"])
        _log(report, _("Failed: %(error)s") % {"error": f"{exc.__class__.__name__}: {exc}"[:400]})
        logger.exception("Review report %s failed", report.pk)
    return report


@transaction.atomic
def report_update_narratives(*, report: ReviewReport, narratives: dict[str, str], actor) -> ReviewReport:
    """Store the reviewers' narrative texts and re-render this version's files with the same figures."""
    _require_manager(actor, report.cycle)
    if report.published_at:
        raise ValidationError(ERR_PUBLISHED_LOCKED)
    if report.status != ReviewReport.Status.DONE:
        raise ValidationError(ERR_REPORT_NOT_READY)
    allowed = {key for key, _label in narrative_keys(report)}
    clean = {k: (v or "").strip()[:20000] for k, v in narratives.items() if k in allowed}
    report.narratives = {**report.narratives, **clean}
    report.status, report.progress = ReviewReport.Status.QUEUED, 30
    report.save(update_fields=["narratives", "status", "progress", "updated_at"])
    _log(report, _("Narrative edited; re-rendering the files."))
    audit_record(actor=actor, action="reviews.report.narratives", target=report, summary=str(report),
                 data={"keys": sorted(clean)})
    transaction.on_commit(lambda: _enqueue_build(report.pk, rerender=True))
    return report


def narrative_keys(report: ReviewReport) -> list[tuple[str, str]]:
    """The narrative sections of a report: summary, one per action line, conclusions."""
    keys = [("summary", str(_("Executive summary")))]
    for section in (report.data or {}).get("sections", []):
        keys.append((section["key"], section["title"]))
    keys.append(("conclusions", str(_("Conclusions and recommendations"))))
    return keys


@transaction.atomic
def report_publish(*, report: ReviewReport, actor) -> ReviewReport:
    """Publish this version: the cycle becomes published and the report public."""
    _require_manager(actor, report.cycle)
    if report.status != ReviewReport.Status.DONE:
        raise ValidationError(ERR_REPORT_NOT_READY)
    cycle = ReviewCycle.objects.select_for_update().get(pk=report.cycle_id)
    if cycle.state not in REPORT_STATES | {ReviewCycle.State.PUBLISHED}:
        raise ValidationError(ERR_REPORT_STATE)
    report.published_at = timezone.now()
    report.save(update_fields=["published_at", "updated_at"])
    cycle.state = ReviewCycle.State.PUBLISHED
    cycle.save(update_fields=["state", "updated_at"])
    audit_record(actor=actor, action="reviews.report.publish", target=report, summary=str(report))
    return report


@transaction.atomic
def report_send_to_forum(*, report: ReviewReport, actor, document_url: str) -> ForumSubmissionRecord:
    """Send the published report to the current WSIS Forum edition as the region's formal input.

    The forum's ``regional_input_submit`` records it in the open consultation; if the forum has no
    edition or no open phase, or the forum app is absent, a record stays here with the reason so the
    commission can send it again later.
    """
    _require_manager(actor, report.cycle)
    if not report.published_at:
        raise ValidationError(ERR_NOT_PUBLISHED)
    cycle = report.cycle
    summary = (report.narratives.get("summary") or "").strip() or str(
        _("The %(commission)s regional review of WSIS implementation for %(year)s: responses of %(n)d member "
          "states, registry coverage and gaps per action line, alignment with the SDGs under HLPF review and "
          "ICT indicators.") % {"commission": cycle.commission.code, "year": cycle.year,
                                "n": (report.data or {}).get("responses", {}).get("submitted", 0)})
    payload = {"title": cycle.title, "summary": summary[:4000], "document_url": document_url,
               "report_version": report.version}
    record = ForumSubmissionRecord(report=report, payload=payload, submitted_by=actor)
    try:
        from wsis.forum import selectors as forum_selectors
        from wsis.forum import services as forum_services
    except ImportError:  # the forum app is optional at this boundary
        forum_services = None
    edition = forum_selectors.edition_current() if forum_services else None
    if forum_services is None or edition is None:
        record.status = ForumSubmissionRecord.Status.RECORDED
        record.message = str(_("No WSIS Forum edition is available; the submission is recorded here."))
    else:
        try:
            with transaction.atomic():
                submission = forum_services.regional_input_submit(
                    edition=edition, commission=cycle.commission, title=cycle.title, summary=payload["summary"],
                    document_url=document_url, actor=actor)
        except ValidationError as exc:
            record.status = ForumSubmissionRecord.Status.FAILED
            record.message = " ".join(exc.messages)[:500]
            record.forum_edition = str(edition.year)
        else:
            record.status = ForumSubmissionRecord.Status.SUBMITTED
            record.forum_submission_id = submission.pk
            record.forum_edition = str(edition.year)
            record.message = str(_("Submitted to the WSIS Forum %(year)s open consultation.") % {"year": edition.year})
    record.full_clean()
    record.save()
    audit_record(actor=actor, action="reviews.report.forum", target=record, summary=record.message,
                 data={"status": record.status, "forum_submission": record.forum_submission_id})
    return record
