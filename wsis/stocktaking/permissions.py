"""Who may do what with an initiative. Reads only; services and views both ask these."""

from __future__ import annotations

from wsis.accounts.models import Organisation
from wsis.accounts.selectors import user_is_org_member
from wsis.core.permissions import can_moderate

from .models import Initiative

__all__ = ["can_edit", "can_moderate", "can_view", "PUBLIC_STATES"]

PUBLIC_STATES = {Initiative.State.PUBLISHED}


def can_edit(user, organisation: Organisation) -> bool:
    """Members of the organisation (admins and editors) write its initiatives."""
    return user_is_org_member(user, organisation)


def can_view(user, initiative: Initiative) -> bool:
    """Everyone sees published entries; others only their organisation's members and the moderators."""
    if initiative.state in PUBLIC_STATES:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return can_edit(user, initiative.organisation) or can_moderate(user)
