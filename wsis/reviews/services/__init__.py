"""Writes of the regional reviews: cycles, questionnaires, invitations, responses, delegations,
reminders, report versions, publication and the hand-over to the WSIS Forum.

Every function is keyword-only and atomic, checks permission (``PermissionDenied``), validates
(``ValidationError`` naming the field) and writes an audit row; e-mails and background jobs are
scheduled with ``transaction.on_commit`` so nothing happens for a change that rolled back.

The functions live in one module per sub-domain (``cycles``, ``questionnaires``, ``invitations``
with delegations and reminders, ``responses``, ``reports``; shared checks and messages in
``_common``); this package re-exports them, so callers write ``services.cycle_create(...)``.
"""

from ._common import (
    ERR_ALREADY_SUBMITTED,
    ERR_CODE_TAKEN,
    ERR_CYCLE_NOT_OPEN,
    ERR_NO_DEADLINE,
    ERR_NO_QUESTIONS,
    ERR_NOT_DRAFT_QUESTIONNAIRE,
    ERR_NOT_EDITABLE,
    ERR_NOT_FOCAL_POINT,
    ERR_NOT_MEMBER,
    ERR_NOT_PUBLISHED,
    ERR_NOT_REVIEWER,
    ERR_PUBLISHED_LOCKED,
    ERR_REPORT_NOT_READY,
    ERR_REPORT_STATE,
    ERR_WRONG_ACCOUNT,
    ERR_WRONG_TRANSITION,
)
from .cycles import TRANSITIONS, cycle_create, cycle_transition, cycle_update
from .invitations import (
    delegation_accept,
    delegation_create,
    delegation_revoke,
    invitation_accept,
    invitation_create,
    invitation_invite_focal_points,
    invitation_revoke,
    reminders_send,
)
from .questionnaires import (
    QUESTION_FIELDS,
    question_create,
    question_delete,
    question_move,
    question_update,
    questionnaire_add_sections,
    questionnaire_add_starter,
    questionnaire_copy,
    questionnaire_remove_section,
)
from .reports import (
    REPORT_STATES,
    narrative_keys,
    report_build,
    report_publish,
    report_request,
    report_send_to_forum,
    report_update_narratives,
)
from .responses import response_check, response_open, response_reopen, response_save_section, response_submit

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
    # also used by views and tests (not in the old __all__, but importable as before)
    "ERR_NO_DEADLINE",
    "ERR_REPORT_STATE",
    "ERR_PUBLISHED_LOCKED",
    "ERR_CODE_TAKEN",
    "TRANSITIONS",
    "QUESTION_FIELDS",
    "REPORT_STATES",
    "narrative_keys",
]
