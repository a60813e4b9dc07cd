"""The classify part of shared pages: on a moderator's view of an initiative, where the submitter's tags
and the classifier's suggestions disagree (see ``wsis.core.sections``)."""

from __future__ import annotations

from wsis.core.sections import Section

from . import selectors
from .services import user_can_review_suggestions

__all__ = ["moderation_section"]


def moderation_section(request=None, initiative=None, **kwargs) -> Section | None:
    if initiative is None or request is None or not user_can_review_suggestions(request.user):
        return None
    comparison = selectors.initiative_tag_comparison(initiative=initiative)
    return Section(template="classify/sections/moderation.html", context={"comparison": comparison}, order=30)
