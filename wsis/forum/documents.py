"""The outcome document of a WSIS Forum edition as a document of the engine (:mod:`wsis.reports`).

:func:`outcome_document` builds the engine's structure from ``selectors.outcome_document_data``: a
cover (the WSIS Forum at ITU as issuing body, a symbol ``WSIS/FORUM/<year>/OUTCOMES``), a summary, the
outcomes grouped by action line with each session's key points, a chart of sessions per action line,
and the WSIS–SDG matrix of the sessions; the engine writes PDF, DOCX and HTML in the active language,
right-to-left in Arabic, with the "Draft" watermark until the secretariat publishes it.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from wsis.core import charts
from wsis.reports.document import Document, Figure, FrontMatter, Paragraph, Section, Table
from wsis.reports.services import render_all

__all__ = ["outcome_document", "outcome_files", "outcome_symbol"]


def outcome_symbol(edition) -> str:
    return f"WSIS/FORUM/{edition.year}/OUTCOMES"


def _when(outcome, tz) -> str:
    s = outcome.session
    if not s.starts_at:
        return ""
    local = s.starts_at.astimezone(tz)
    room = f", {s.room.name}" if s.room_id else ""
    return f"{date_format(local, 'DATE_FORMAT')} {local:%H:%M}{room}"


def outcome_document(data: dict, *, published_at=None) -> Document:
    edition = data["edition"]
    language = (get_language() or "en").lower()
    rtl = language == "ar"
    title = _("%(edition)s: outcome document") % {"edition": getattr(edition, "display_title", edition.title)}
    summary = Section(_("Summary"), key="summary", numbered=False, blocks=[Paragraph(
        ngettext("%(count)d session reported its outcomes (sessions scheduled: %(scheduled)d).",
                 "%(count)d sessions reported their outcomes (sessions scheduled: %(scheduled)d).",
                 data["session_count"])
        % {"count": data["session_count"], "scheduled": data["scheduled_count"]})])
    rows = [r for r in data["matrix_rows"] if r["total"]]
    if rows:
        summary.add(Figure(charts.bar_chart(
            id="sessions-by-action-line", title=_("Sessions by WSIS action line"),
            labels=[r["action_line"].code for r in rows], values=[r["total"] for r in rows],
            value_header=_("Sessions"), label_header=_("Action line"), rtl=rtl,
            source=_("Outcomes reported by the sessions' organisers")), table=False))
    by_line = Section(_("Outcomes by WSIS action line"), key="by-action-line")
    for group in data["groups"]:
        sub = Section(group["action_line"].label)
        for outcome in group["outcomes"]:
            s = outcome.session
            meta = " · ".join(x for x in [str(s.get_type_display()), s.organisers, _when(outcome, data["timezone"])] if x)
            blocks = [Paragraph(meta, style="meta")]
            blocks += [Paragraph(p.strip()) for p in outcome.key_points.split("\n\n") if p.strip()]
            goals = ", ".join(str(g.number) for g in outcome.goals.all())
            if goals:
                blocks.append(Paragraph(_("SDGs addressed: %(goals)s") % {"goals": goals}, style="meta"))
            sub.subsections.append(Section(s.title, numbered=False, blocks=blocks))
        by_line.subsections.append(sub)
    if not data["groups"]:
        by_line.add(Paragraph(_("No session has reported its outcome yet.")))
    goals = data["goals"]
    matrix = Section(_("WSIS–SDG matrix of the sessions"), key="matrix", blocks=[Table(
        columns=[_("Action line"), *[str(g.number) for g in goals], _("Sessions")],
        rows=[[r["action_line"].code, *[n or "" for n in r["cells"]], r["total"]] for r in data["matrix_rows"]]
        + [[_("All action lines"), *[n or "" for n in data["goal_totals"]], data["session_count"]]],
        caption=_("Number of sessions that addressed each action line (rows) and each SDG (columns)."))])
    when = published_at or timezone.now()
    front = FrontMatter(
        title=title, subtitle=edition.theme or "", language=language,
        issuing_body=_("WSIS Forum, International Telecommunication Union"), symbol=outcome_symbol(edition),
        date=when.date(), original_language="en", draft=published_at is None, running_title=title)
    return Document(front=front, sections=[summary, by_line, matrix])


def outcome_files(data: dict, *, published_at=None) -> dict[str, bytes]:
    """PDF, DOCX and HTML of the outcome document (in the active language)."""
    return render_all(outcome_document(data, published_at=published_at))
