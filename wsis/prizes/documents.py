"""The yearly "WSIS Stocktaking: Success Stories" publication of a contest's winners and champions,
built on the document engine (``wsis.reports``: HTML, PDF and DOCX, stored versions, publication).

Imported by ``PrizesConfig.ready()``: importing it registers the builder of the kind
``prizes.success_stories`` (key: the contest's year). ``figures`` reads the published results once per
version (stored as JSON, so that editing the foreword re-renders the same stories); ``document`` lays
them out: a foreword (a narrative the secretariat writes; a drafting aid until then), the contest in
numbers, one chapter per category with its winner and champions (each entry's description, impact,
partnerships, challenges and linkages, as entered), and an annex on the method.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wsis.core.charts import bar_chart
from wsis.reports import selectors as report_selectors
from wsis.reports import services as report_services
from wsis.reports.builders import builders
from wsis.reports.document import Bullets, Document, Figure, FrontMatter, Markdown, Paragraph, Section, Table
from wsis.reports.models import GeneratedDocument

from . import selectors
from .models import Contest, Entry
from .reference import gdc_objectives

__all__ = ["KIND", "figures", "document", "narrative_keys", "success_stories_request", "success_stories_published",
           "default_title", "default_symbol"]

KIND = "prizes.success_stories"
ERR_NOT_PUBLISHED = gettext_lazy("The results of %(contest)s are not published yet: the success stories are "
                                 "written from them.")
ERR_NO_LANGUAGE = gettext_lazy("Choose at least one language.")


def default_title(year: int) -> str:
    return _("WSIS Stocktaking: Success Stories %(year)d") % {"year": year}


def default_symbol(year: int) -> str:
    return f"WSIS/PRIZES/{year}/SUCCESS-STORIES"


def _story(entry: Entry) -> dict:
    return {"id": entry.pk, "title": entry.title, "organisation": str(entry.organisation),
            "country": entry.organisation.country.name if entry.organisation.country_id else "",
            "outcome": entry.outcome, "language": entry.language, "description": entry.description,
            "impact": entry.impact, "partnerships": entry.partnerships, "challenges": entry.challenges,
            "sdg_linkages": entry.sdg_linkages, "goals": sorted(g.number for g in entry.goals.all()),
            "gdc_objectives": list(entry.gdc_objectives), "gdc_linkages": entry.gdc_linkages,
            "valid_votes": entry.valid_votes}


def figures(params: dict, language: str) -> dict:
    """The contest's published results and its numbers (in ``language`` for the category names)."""
    contest = Contest.objects.get(year=int(params["year"]))
    if contest.results_published_at is None:
        raise ValidationError(ERR_NOT_PUBLISHED % {"contest": contest.title})
    categories = []
    for category, items in selectors.results(contest):
        for entry in items:
            entry.organisation.country  # noqa: B018 - loaded once here, read by _story
        categories.append({"code": category.action_line.code, "name": category.action_line.short_name
                           or category.action_line.name,
                           "winner": next((_story(e) for e in items if e.outcome == "winner"), None),
                           "champions": [_story(e) for e in items if e.outcome == "champion"],
                           "entries": category.entries.count(),
                           "nominees": category.entries.filter(state=Entry.State.NOMINATED).count()})
    totals = selectors.vote_totals(contest)
    return {"year": contest.year, "contest": contest.title, "is_demo": contest.is_demo,
            "voting": [contest.voting_opens.isoformat(), contest.voting_closes.isoformat()],
            "announcement": contest.announcement_on.isoformat(), "categories": categories,
            "entries": sum(c["entries"] for c in categories), "nominees": sum(c["nominees"] for c in categories),
            "valid_votes": totals["valid"], "voters": totals["voters"],
            "winners": sum(1 for c in categories if c["winner"]),
            "champions": sum(len(c["champions"]) for c in categories),
            "generated_at": timezone.now().isoformat()}


def narrative_keys(doc: GeneratedDocument) -> list[tuple[str, object]]:
    return [("foreword", gettext_lazy("Foreword"))]


def drafting_aid(data: dict) -> str:
    return _("The WSIS Prizes %(year)d recognised %(winners)d winners and %(champions)d champions among "
             "%(nominees)d nominated projects, chosen from %(entries)d entries. %(votes)d valid votes were cast by "
             "%(voters)d people in the public vote. Their stories show how the WSIS action lines are put into "
             "practice.") % {"year": data["year"], "winners": data["winners"], "champions": data["champions"],
                             "nominees": data["nominees"], "entries": data["entries"], "votes": data["valid_votes"],
                             "voters": data["voters"]}


def _story_section(story: dict, heading: str) -> Section:
    names = {o.number: o.name for o in gdc_objectives()}
    section = Section(f"{heading}: {story['title']}", numbered=False)
    meta = story["organisation"] + (f", {story['country']}" if story["country"] else "")
    section.add(Paragraph(meta, style="meta"))
    section.add(Paragraph(story["description"]))
    for label, key in ((_("Impact"), "impact"), (_("Partnerships"), "partnerships"),
                       (_("Challenges and outlook"), "challenges"), (_("Linkages to the SDGs"), "sdg_linkages")):
        if story[key]:
            section.add(Paragraph(f"{label}: {story[key]}"))
    if story["goals"]:
        section.add(Paragraph(_("Sustainable Development Goals: %(goals)s") % {
            "goals": ", ".join(str(n) for n in story["goals"])}, style="meta"))
    if story["gdc_objectives"]:
        section.add(Paragraph(_("Global Digital Compact: %(objectives)s") % {
            "objectives": "; ".join(names.get(n, str(n)) for n in story["gdc_objectives"])}, style="meta"))
        if story["gdc_linkages"]:
            section.add(Paragraph(story["gdc_linkages"]))
    return section


def document(doc: GeneratedDocument) -> Document:
    """The publication as the engine's structure, in the active language (``doc.language``)."""
    data = doc.data
    year = data["year"]
    narrative = (doc.narratives or {}).get("foreword", "").strip()
    foreword = Markdown(narrative) if narrative else Markdown(drafting_aid(data), draft_aid=True)
    cats = data["categories"]
    source = _("WSIS Prizes %(year)d, valid votes at the close of the public vote") % {"year": year}
    sections = [
        Section(_("Foreword"), key="foreword", numbered=False, blocks=[foreword]),
        Section(_("The contest in numbers"), key="numbers", blocks=[
            Paragraph(_("%(entries)d entries in 18 categories; %(nominees)d nominated by the Expert Group; "
                        "%(votes)d valid votes from %(voters)d voters between %(start)s and %(end)s.") % {
                "entries": data["entries"], "nominees": data["nominees"], "votes": data["valid_votes"],
                "voters": data["voters"], "start": data["voting"][0], "end": data["voting"][1]},
                notes=[_("Only valid votes are counted: votes the secretariat invalidated, with a reason, are not.")]),
            Figure(bar_chart(id="nominees", title=_("Nominees per category"), labels=[c["code"] for c in cats],
                             values=[c["nominees"] for c in cats], value_header=_("Nominees"),
                             label_header=_("Category"), rtl=doc.language == "ar", source=source), table=False),
            Table(columns=[_("Category"), _("Entries"), _("Nominees"), _("Champions")],
                  rows=[[f"{c['code']} {c['name']}", c["entries"], c["nominees"], len(c["champions"])] for c in cats],
                  caption=_("Entries, nominees and champions per category"), source=source),
        ]),
    ]
    for c in cats:
        chapter = Section(f"{c['code']} {c['name']}", key=f"category-{c['code']}")
        if c["winner"] is None:
            chapter.add(Paragraph(_("No prize was awarded in this category."), style="meta"))
        else:
            chapter.subsections.append(_story_section(c["winner"], _("Winner")))
            for story in c["champions"]:
                chapter.subsections.append(_story_section(story, _("Champion")))
        sections.append(chapter)
    annex = Section(_("How the prizes were awarded"), key="method", blocks=[Bullets([
        _("Stakeholders entered published projects of the WSIS Stocktaking registry, one category per project."),
        _("The Expert Group nominated entries against the published criteria; no expert reviewed an organisation "
          "they belong to or declared a conflict of interest with."),
        _("The public vote chose the five nominees with most valid votes per category (all nominees tied at the "
          "fifth place went forward); the experts scored them and the secretariat confirmed one winner and up to "
          "four champions."),
        _("Descriptions are published as the entrants wrote them, in the language of their entry."),
    ])])
    front = FrontMatter(
        title=doc.title, language=doc.language, subtitle=data["contest"],
        issuing_body=_("WSIS Secretariat, International Telecommunication Union"), symbol=doc.symbol,
        date=doc.published_at.date() if doc.published_at else dt.date.today(), original_language="en",
        draft=doc.published_at is None, version=doc.version, running_title=doc.title)
    return Document(front=front, sections=sections, annexes=[annex])


builders.register(KIND, figures="wsis.prizes.documents.figures", document="wsis.prizes.documents.document",
                  narrative_keys="wsis.prizes.documents.narrative_keys",
                  label=gettext_lazy("WSIS Stocktaking: Success Stories"))


@transaction.atomic
def success_stories_request(*, actor, contest: Contest, languages: list[str]) -> list[GeneratedDocument]:
    """Queue a version of the contest's success stories in each language (secretariat, results published)."""
    if contest.results_published_at is None:
        raise ValidationError(ERR_NOT_PUBLISHED % {"contest": contest.title})
    if not languages:
        raise ValidationError({"languages": [str(ERR_NO_LANGUAGE)]})
    docs = []
    for language in languages:
        with translation.override(language):
            title = default_title(contest.year)
        docs.append(report_services.document_request(
            kind=KIND, key=str(contest.year), language=language, title=title, symbol=default_symbol(contest.year),
            params={"year": contest.year}, actor=actor))
    return docs


def success_stories_published(contest: Contest) -> list[GeneratedDocument]:
    """The newest published version in each language."""
    newest = {}
    for doc in report_selectors.documents_published(KIND).filter(key=str(contest.year)):
        newest.setdefault(doc.language, doc)
    return list(newest.values())


def success_stories_managed(user, contest: Contest) -> list[GeneratedDocument]:
    return [d for d in report_selectors.documents_managed(user, KIND) if d.key == str(contest.year)]
