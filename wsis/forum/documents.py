"""The outcome document as files: PDF (WeasyPrint, from the print template) and DOCX (python-docx).

Both take the dictionary of ``selectors.outcome_document_data``; the heavy libraries are imported
inside the functions so that importing the app stays cheap (STYLE.md habit 7).
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wsis.core.pdf import html_to_pdf

__all__ = ["outcome_pdf", "outcome_docx"]


def outcome_pdf(data: dict) -> bytes:
    html = render_to_string("forum/outcome_document_print.html", data)
    return html_to_pdf(html)  # WeasyPrint, reading nothing but the site's static files


def _when(outcome, tz) -> str:
    s = outcome.session
    if not s.starts_at:
        return ""
    local = s.starts_at.astimezone(tz)
    room = f", {s.room.name}" if s.room_id else ""
    return f"{date_format(local, 'DATE_FORMAT')} {local:%H:%M}{room}"


def outcome_docx(data: dict) -> bytes:
    from docx import Document
    from docx.shared import Pt

    edition = data["edition"]
    doc = Document()
    doc.core_properties.title = _("%(edition)s: outcome document") % {"edition": edition.title}
    doc.add_heading(_("%(edition)s: outcome document") % {"edition": edition.title}, level=0)
    if edition.theme:
        doc.add_paragraph().add_run(edition.theme).italic = True
    doc.add_paragraph(ngettext(
        "%(count)d session reported its outcomes (sessions scheduled: %(scheduled)d).",
        "%(count)d sessions reported their outcomes (sessions scheduled: %(scheduled)d).", data["session_count"])
        % {"count": data["session_count"], "scheduled": data["scheduled_count"]})

    doc.add_heading(_("Outcomes by WSIS action line"), level=1)
    for group in data["groups"]:
        doc.add_heading(group["action_line"].label, level=2)
        for outcome in group["outcomes"]:
            s = outcome.session
            doc.add_heading(s.title, level=3)
            meta = " · ".join(x for x in [str(s.get_type_display()), s.organisers, _when(outcome, data["timezone"])] if x)
            doc.add_paragraph(meta)
            doc.add_paragraph(outcome.key_points)
            goals = ", ".join(f"SDG {g.number}" for g in outcome.goals.all())
            if goals:
                doc.add_paragraph(_("SDGs addressed: %(goals)s") % {"goals": goals})

    doc.add_heading(_("WSIS–SDG matrix of the sessions"), level=1)
    doc.add_paragraph(_("Number of sessions that addressed each action line and each SDG."))
    goals = data["goals"]
    table = doc.add_table(rows=1, cols=len(goals) + 2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text = _("Action line")
    for i, goal in enumerate(goals, start=1):
        header[i].text = str(goal.number)
    header[-1].text = _("Sessions")
    for row in data["matrix_rows"]:
        cells = table.add_row().cells
        cells[0].text = row["action_line"].code
        for i, n in enumerate(row["cells"], start=1):
            cells[i].text = str(n) if n else ""
        cells[-1].text = str(row["total"])
    totals = table.add_row().cells
    totals[0].text = _("All action lines")
    for i, n in enumerate(data["goal_totals"], start=1):
        totals[i].text = str(n) if n else ""
    totals[-1].text = str(data["session_count"])
    for r in table.rows:
        for c in r.cells:
            for p in c.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(7)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
