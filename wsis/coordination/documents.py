"""The consolidated draft of a reporting round through the document engine (``wsis.reports``).

Registered in ``apps.py`` as the builder of kind ``coordination.round``: ``figures`` freezes the
round's consolidated figures and texts (``selectors.consolidated_draft``) into the stored version,
``document`` lays them out by action line, and the secretariat writes the executive summary.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wsis.reports.document import Document, FrontMatter, Markdown, Paragraph, Section, Table

from . import selectors
from .models import ReportingRound

KIND = "coordination.round"

__all__ = ["KIND", "figures", "document", "narrative_keys", "document_key", "document_title"]


def document_key(rnd: ReportingRound) -> str:
    return f"round-{rnd.pk}"


def document_title(rnd: ReportingRound) -> str:
    return _("Progress in the implementation of the WSIS action lines: contributions for %(session)s") % {
        "session": rnd.session}


def figures(params: dict, language: str) -> dict:
    """The round's consolidated figures and the submitted texts, as plain data."""
    rnd = ReportingRound.objects.get(pk=int(params["round"]))
    draft = selectors.consolidated_draft(rnd)
    return {
        "round": rnd.pk, "title": rnd.title, "session": rnd.session,
        "period_start": rnd.period_start.isoformat(), "period_end": rnd.period_end.isoformat(),
        "totals": draft["totals"], "submitted": draft["submitted"], "expected": draft["expected"],
        "lines": [{
            "code": line.action_line.code, "name": line.action_line.name, "figures": line.figures,
            "contributions": [{"agency": c.agency.name, "code": c.agency.code, "lead": c.is_lead,
                               "highlights": c.highlights, "challenges": c.challenges, "next_steps": c.next_steps}
                              for c in line.contributions],
            "missing": [c.agency.code for c in line.missing],
        } for line in draft["lines"]],
        "generated_at": timezone.now().isoformat(),
    }


def narrative_keys(doc) -> list[tuple[str, object]]:
    return [("summary", gettext_lazy("Executive summary"))]


def _aid(data: dict) -> str:
    t = data["totals"]
    return _("Contributions submitted by the agencies: %(n)d of %(m)d. Milestones in the road maps: %(total)d "
             "(achieved: %(achieved)d; late: %(late)d). Initiatives registered on the action lines: %(initiatives)d "
             "(active: %(active)d).") % {
        "n": data["submitted"], "m": data["expected"], "total": t["milestones_total"],
        "achieved": t["milestones_achieved"], "late": t["milestones_late"], "initiatives": t["initiatives_total"],
        "active": t["initiatives_active"]}


def _figure_rows(f: dict) -> list[list]:
    return [[_("Milestones in the road map"), f["milestones_total"]],
            [_("Milestones achieved"), f["milestones_achieved"]],
            [_("Milestones late"), f["milestones_late"]],
            [_("Published initiatives"), f["initiatives_total"]],
            [_("Of which active"), f["initiatives_active"]],
            [_("Initiatives published in the period"), f["initiatives_new"]],
            [_("Meetings and events held"), f["events_held"]]]


def document(doc) -> Document:
    data = doc.data
    summary = (doc.narratives or {}).get("summary", "").strip()
    sections = [
        Section(_("Executive summary"), key="summary", numbered=False,
                blocks=[Markdown(summary) if summary else Markdown(_aid(data), draft_aid=True)]),
        Section(_("Overview"), key="overview", blocks=[
            Paragraph(_("Reporting period %(start)s to %(end)s; %(n)d of %(m)d agency contributions submitted.") % {
                "start": data["period_start"], "end": data["period_end"], "n": data["submitted"],
                "m": data["expected"]}),
            Table(columns=[_("Figure"), _("All action lines")], rows=_figure_rows(data["totals"]),
                  caption=_("Figures over all action lines (one set of figures per action line)"),
                  source=_("Agency contributions; road maps and WSIS Stocktaking registry")),
        ]),
    ]
    for line in data["lines"]:
        subsections = []
        for c in line["contributions"]:
            role = _("lead facilitator") if c["lead"] else _("co-facilitator")
            blocks = []
            for label, key in ((_("Highlights"), "highlights"), (_("Challenges"), "challenges"),
                               (_("Next steps"), "next_steps")):
                if c[key].strip():
                    blocks.append(Paragraph(f"{label}: {c[key].strip()}"))
            subsections.append(Section(f"{c['agency']} ({role})", blocks=blocks or [Paragraph(_("No text."))],
                                       page_break=False))
        blocks = [Table(columns=[_("Figure"), line["code"]], rows=_figure_rows(line["figures"]),
                        caption=_("Figures of %(code)s") % {"code": line["code"]})]
        if not line["contributions"]:
            blocks.append(Paragraph(_("No contribution submitted yet.")))
        if line["missing"]:
            blocks.append(Paragraph(_("Not yet submitted: %(codes)s.") % {"codes": ", ".join(line["missing"])},
                                    style="meta"))
        sections.append(Section(f"{line['code']} {line['name']}", key=f"line-{line['code']}", blocks=blocks,
                                subsections=subsections, page_break=False))
    front = FrontMatter(
        title=doc.title, language=doc.language, subtitle=data["session"],
        issuing_body=_("WSIS Secretariat, International Telecommunication Union, for UNGIS"), symbol=doc.symbol,
        date=doc.published_at.date() if doc.published_at else dt.date.today(), original_language="en",
        draft=not doc.published_at, version=doc.version, running_title=data["session"])
    return Document(front=front, sections=sections)
