"""Shared pieces of the review services: error messages and the permission/state checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import ReviewCycle

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


def _require_manager(actor, cycle: ReviewCycle) -> None:
    if not selectors.cycle_can_manage(actor, cycle):
        raise PermissionDenied(ERR_NOT_REVIEWER)


def _require_draft(cycle: ReviewCycle) -> None:
    if cycle.state != ReviewCycle.State.DRAFT:
        raise ValidationError(ERR_NOT_DRAFT_QUESTIONNAIRE)

