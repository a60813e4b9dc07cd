"""The classify parts of shared pages (see ``wsis.core.sections``): on a moderator's view of an initiative,
where the tags and the classifier's suggestions disagree; on the submission form, the suggestions for
the text typed so far ("Check tags"); on the data-quality page, disagreement by organisation and
action line."""

from __future__ import annotations

from wsis.core.sections import Section

from . import selectors
from .services import user_can_review_suggestions

__all__ = ["moderation_section", "initiative_form_section", "data_quality_section"]


def moderation_section(request=None, initiative=None, **kwargs) -> Section | None:
    if initiative is None or request is None or not user_can_review_suggestions(request.user):
        return None
    comparison = selectors.initiative_tag_comparison(initiative=initiative)
    return Section(template="classify/sections/moderation.html", context={"comparison": comparison}, order=30)


def initiative_form_section(request=None, text: str = "", state: dict | None = None, **kwargs) -> Section:
    """Suggestions for the submission form's text, offered one by one (never ticked for the submitter).

    ``state`` says what the form has chosen already (shown as chosen, with no checkbox) and which
    suggestions the submitter ticked (kept ticked when the form is shown again).
    """
    state = state or {}
    view = selectors.text_suggestions(text=text) if (text or "").strip() else None
    return Section(template="classify/sections/initiative_form.html", order=10, context={
        "view": view, "chosen_goals": state.get("goals", set()), "chosen_targets": state.get("targets", set()),
        "chosen_lines": state.get("action_lines", set()), "accepted_goals": state.get("accepted_goals", set()),
        "accepted_targets": state.get("accepted_targets", set()),
        "accepted_lines": state.get("accepted_action_lines", set()),
    })


def data_quality_section(request=None, **kwargs) -> Section | None:
    if request is None or not user_can_review_suggestions(request.user):
        return None
    return Section(template="classify/sections/data_quality.html", order=40,
                   context={"disagreement": selectors.disagreement_summary()})
