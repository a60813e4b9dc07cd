"""The coordination part of the action-line page: its road map's latest published version."""

from __future__ import annotations

from collections import Counter

from wsis.core.sections import Section

from . import selectors


def action_line_section(*, request, action_line, **_kwargs) -> Section | None:
    """The road map's published milestones by status, with a link to the road map."""
    _al, road_map = selectors.road_map_get(code=action_line.code)
    published = selectors.version_latest_published(road_map)
    editor = selectors.can_edit_road_map(request.user, action_line)
    if published is None and not editor:
        return None
    view = selectors.snapshot_view(published.data) if published else None
    counts = Counter(m["progress"].status for m in view["milestones"]) if view else Counter()
    return Section("coordination/partials/action_line_section.html", {
        "action_line": action_line, "view": view, "version": published, "editor": editor,
        "counts": [(label, counts.get(key, 0), key) for key, label in selectors.STATUS.items()],
    }, order=30)
