"""iCalendar (RFC 5545) feeds: the agenda, one session, the future milestones of the WSIS process.

Built with the ``icalendar`` library. Each event has a stable UID (object type, id and domain) so that
calendar clients update rather than duplicate events when a feed is fetched again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event, vText

__all__ = ["agenda_calendar", "milestone_calendar", "UID_DOMAIN"]

UID_DOMAIN = "wsis-platform"
PRODID = "-//WSIS Implementation Platform//Forum//EN"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def agenda_calendar(*, name: str, sessions: Iterable, base_url: str, stamp: dt.datetime) -> bytes:
    """One VEVENT per scheduled session, in UTC, with room, description, tags and a link to its page."""
    cal = _calendar(name)
    for s in sessions:
        if not (s.starts_at and s.ends_at):
            continue
        event = Event()
        event.add("uid", f"forum-session-{s.pk}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.starts_at.astimezone(dt.UTC))
        event.add("dtend", s.ends_at.astimezone(dt.UTC))
        event.add("summary", s.title)
        tags = [al.code for al in s.action_lines.all()] + [f"SDG {g.number}" for g in s.goals.all()]
        lines = [s.get_type_display()]
        if s.organisers:
            lines.append(s.organisers)
        if tags:
            lines.append(", ".join(tags))
        if s.description:
            lines.append("")
            lines.append(s.description)
        event.add("description", "\n".join(str(x) for x in lines))
        if s.room_id:
            event.add("location", vText(f"{s.room.name}, {s.edition.venue}" if s.edition.venue else s.room.name))
        event.add("categories", [str(s.get_type_display())] + tags)
        event.add("url", f"{base_url}{s.get_absolute_url()}")
        cal.add_component(event)
    return cal.to_ical()


def milestone_calendar(*, name: str, milestones: Iterable, base_url: str, link: str, stamp: dt.datetime) -> bytes:
    """All-day events for milestones (DTEND is the day after the last day, as RFC 5545 wants)."""
    cal = _calendar(name)
    for m in milestones:
        event = Event()
        event.add("uid", f"forum-milestone-{m.slug}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", m.date)
        event.add("dtend", (m.end_date or m.date) + dt.timedelta(days=1))
        event.add("summary", m.title)
        description = m.description or ""
        if m.reference:
            description = f"{m.reference}. {description}".strip()
        if description:
            event.add("description", description)
        event.add("categories", [str(m.get_kind_display())])
        event.add("url", m.url or f"{base_url}{link}")
        cal.add_component(event)
    return cal.to_ical()
