"""The figures of a review report, computed once per version and stored as JSON on it.

For the region (the commission's member states) and for each action-line section of the
questionnaire: a summary of the submitted responses (counts, choices, numbers, quoted highlights),
the region's registry coverage and gaps, the WSIS–SDG Matrix links to the SDGs under HLPF review,
and the region's ICT indicators with LDCs, LLDCs and SIDS shown apart. Only submitted responses
count, and an answer counts only where its question applied (its condition met).

Registry coverage comes from the analytics app's coverage matrix (``coverage_matrix``) and ICT
indicators from the indicators app (``latest_by_country``): both apps sit below reviews in the layers,
so their selectors are imported plainly and a missing app fails loudly.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wsis.analytics.selectors import coverage_matrix
from wsis.indicators.models import Indicator
from wsis.indicators.selectors import latest_by_country
from wsis.stocktaking.filters import InitiativeFilters
from wsis.stocktaking.models import Initiative
from wsis.taxonomy.models import ActionLine, Country, CountryGroup, Goal
from wsis.taxonomy.selectors import matrix_version_current

from . import selectors
from .answers import is_answered
from .models import Answer, Question, Response, ReviewCycle

__all__ = ["report_figures", "summarise_question", "registry_coverage", "indicator_figures"]

HIGHLIGHTS = 5
HIGHLIGHT_CHARS = 400


def _num(value: float) -> int | float:
    """Whole numbers as integers (3, not 3.0); others rounded to two decimals."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def summarise_question(question: Question, answers: list[tuple[Country, object]]) -> dict:
    """Counts and highlights of one question's answers (``(country, value)`` pairs, answered only)."""
    K = Question.Kind
    out: dict = {"code": question.code, "text": question.text, "kind": question.kind, "answered": len(answers)}
    if question.kind in (K.YES_NO, K.SINGLE, K.MULTIPLE):
        counts: Counter = Counter()
        for _country, value in answers:
            for v in (value if isinstance(value, list) else [value]):
                counts[v] += 1
        out["choices"] = [{"value": v, "label": label, "count": counts.get(v, 0),
                           "percent": round(100 * counts.get(v, 0) / len(answers)) if answers else 0}
                          for v, label in question.choice_options()]
    elif question.kind == K.NUMBER:
        numbers = [float(v) for _c, v in answers]
        if numbers:
            out.update({"sum": _num(sum(numbers)), "mean": _num(statistics.fmean(numbers)),
                        "min": _num(min(numbers)), "max": _num(max(numbers)),
                        "median": _num(statistics.median(numbers))})
    elif question.kind == K.SCALE:
        # A scale is ordinal: the report shows how many chose each point, never a mean.
        dist = Counter(int(v) for _c, v in answers)
        out["distribution"] = [{"point": p, "count": dist.get(p, 0)}
                               for p in range(question.scale_min, question.scale_max + 1)]
    elif question.kind == K.TEXT:
        # Short quotes for the chapter (the shortest answers read best as examples) and every answer in full
        # for the annex.
        ordered = sorted(answers, key=lambda pair: (len(pair[1]), pair[0].name))
        out["highlights"] = [
            {"country": c.name, "iso3": c.iso3,
             "text": (v if len(v) <= HIGHLIGHT_CHARS else v[:HIGHLIGHT_CHARS].rsplit(" ", 1)[0] + " …")}
            for c, v in ordered[:HIGHLIGHTS]
        ]
        out["responses"] = [{"country": c.name, "iso3": c.iso3, "text": v}
                            for c, v in sorted(answers, key=lambda pair: pair[0].name)]
    elif question.kind == K.TABLE:
        out["rows"] = sum(len(v) for _c, v in answers)
        out["columns"] = [label for _k, label in question.column_options()]
        keys = [k for k, _label in question.column_options()]
        out["sample"] = [
            {"country": c.name, "cells": [row.get(k, "") for k in keys]}
            for c, v in answers for row in v
        ][:12]
    return out


def registry_coverage(*, commission, action_lines: list[ActionLine], goals: list[Goal]) -> dict:
    """Published initiatives of the region per action line, and per SDG under review: counts and gaps.

    The counts and the Matrix links are the analytics coverage matrix of the commission's member
    states. A gap is an (action line, SDG) pair the Matrix links but that no regional initiative covers.
    """
    matrix = coverage_matrix(InitiativeFilters(commission=[commission.code]), with_urls=False)
    cells = {(cell.action_line.pk, cell.goal.pk): cell for cell in matrix.cells}
    totals = {al.pk: total for al, _cells, total in matrix.rows}
    reach = _countries_reached(commission)
    out = {"source": "analytics", "total": matrix.total, "action_lines": {}}
    for al in action_lines:
        per_goal = []
        for goal in goals:
            cell = cells.get((al.pk, goal.pk))
            n = cell.count if cell else 0
            linked = bool(cell and cell.linked)
            per_goal.append({"goal": goal.number, "count": n, "linked": linked,
                             "targets": list(cell.targets) if cell else [], "gap": linked and n == 0})
        out["action_lines"][al.code] = {
            "initiatives": totals.get(al.pk, 0),
            "countries_reached": reach.get(al.pk, 0),
            "goals": per_goal,
            "gaps": [g["goal"] for g in per_goal if g["gap"]],
        }
    return out


def _countries_reached(commission) -> dict[int, int]:
    """Member states with at least one published initiative, per action line."""
    through = Initiative.countries.through
    members = Country.objects.filter(commission_memberships__commission=commission).values("id")
    rows = (through.objects.filter(country_id__in=members, initiative__state=Initiative.State.PUBLISHED)
            .values_list("initiative__action_line_tags__action_line_id")
            .annotate(n=Count("country_id", distinct=True)).order_by())
    return {al_id: n for al_id, n in rows if al_id}


def _latest_values(member_ids: set[int]) -> list[tuple[Indicator, dict[int, tuple[int, float]]]]:
    """[(indicator, {country id: (year, value)})] — each member's latest total value per indicator that
    at least one member reports, read through the indicators app's ``latest_by_country``."""
    out = []
    for indicator in Indicator.objects.order_by("order", "code"):
        rows = latest_by_country(indicator=indicator, members=member_ids)
        if rows:
            out.append((indicator, {r.country.pk: (r.year, r.value) for r in rows}))
    return out


def indicator_figures(commission) -> dict:
    """The region's ICT indicators: latest value per member state, summarised for the whole region
    and for its LDCs, LLDCs and SIDS apart (median of the countries reporting, with their count)."""
    members = list(Country.objects.filter(commission_memberships__commission=commission).distinct())
    groups = [
        ("all", _("All member states"), [c.pk for c in members]),
        ("ldc", _("Least developed countries (LDCs)"), [c.pk for c in members if c.ldc]),
        ("lldc", _("Landlocked developing countries (LLDCs)"), [c.pk for c in members if c.lldc]),
        ("sids", _("Small island developing States (SIDS)"), [c.pk for c in members if c.sids]),
    ]
    out = []
    for indicator, values in _latest_values({c.pk for c in members}):
        group_rows = []
        for key, label, country_ids in groups:
            reporting = [values[c][1] for c in country_ids if c in values]
            years = [values[c][0] for c in country_ids if c in values]
            group_rows.append({
                "key": key, "label": str(label), "members": len(country_ids), "reporting": len(reporting),
                "median": round(statistics.median(reporting), 1) if reporting else None,
                "min": round(min(reporting), 1) if reporting else None,
                "max": round(max(reporting), 1) if reporting else None,
                "year": max(years) if years else None,
            })
        out.append({"code": indicator.code, "name": indicator.name, "unit": indicator.get_unit_display(),
                    "source": indicator.source, "groups": group_rows})
    return {"indicators": out,
            "source": "; ".join(sorted({i["source"] for i in out if i["source"]}))}


def report_figures(cycle: ReviewCycle) -> dict:
    """Everything the report shows, as JSON-ready data (in the active language)."""
    commission = cycle.commission
    sections = selectors.questionnaire_sections(cycle)
    by_id = {q.pk: q for s in sections for q in s.questions.all()}
    goals = list(cycle.goals.order_by("number"))
    members = list(selectors.commission_member_countries(commission))
    invited_ids = set(cycle.invitations.exclude(state="revoked").values_list("country_id", flat=True))
    responses = list(Response.objects.filter(cycle=cycle).select_related("country"))
    submitted = [r for r in responses if r.state == Response.State.SUBMITTED]
    values_by_response: dict[int, dict[int, object]] = defaultdict(dict)
    for response_id, question_id, value in Answer.objects.filter(
            response__in=submitted).values_list("response_id", "question_id", "value"):
        values_by_response[response_id][question_id] = value

    action_lines = [s.action_line for s in sections if s.action_line_id]
    coverage = registry_coverage(commission=commission, action_lines=action_lines, goals=goals)
    matrix_version = matrix_version_current()

    out_sections = []
    for section in sections:
        questions = []
        for q in section.questions.all():
            answers = []
            for r in submitted:
                values = values_by_response[r.pk]
                if selectors.question_is_visible(q, values, by_id) and is_answered(values.get(q.pk)):
                    answers.append((r.country, values[q.pk]))
            summary = summarise_question(q, answers)
            summary["applicable"] = sum(1 for r in submitted
                                        if selectors.question_is_visible(q, values_by_response[r.pk], by_id))
            questions.append(summary)
        al = section.action_line
        entry = {
            "key": f"al_{al.code}" if al else f"section_{section.pk}",
            "code": al.code if al else "",
            "title": section.display_title,
            "questions": questions,
            "responding": sum(1 for r in submitted if any(
                is_answered(values_by_response[r.pk].get(q.pk)) for q in section.questions.all())),
        }
        if al:
            entry["registry"] = coverage["action_lines"].get(al.code)
            entry["matrix"] = [g for g in entry["registry"]["goals"] if g["linked"]] if entry["registry"] else []
        out_sections.append(entry)

    groups = {g.code: g for g in CountryGroup.objects.filter(code__in=["LDC", "LLDC", "SIDS"])}
    session = cycle.hlpf_session
    return {
        "generated_at": timezone.now().isoformat(),
        "cycle": {
            "title": cycle.title, "year": cycle.year, "theme": cycle.theme,
            "commission": commission.code, "commission_name": commission.name,
            "opens_on": cycle.opens_on.isoformat() if cycle.opens_on else "",
            "closes_on": cycle.closes_on.isoformat() if cycle.closes_on else "",
            "hlpf_year": session.year if session else None,
        },
        "goals": [{"number": g.number, "short_name": g.short_name or g.title, "colour": g.colour} for g in goals],
        "responses": {
            "members": len(members), "invited": len(invited_ids), "submitted": len(submitted),
            "draft": sum(1 for r in responses if r.state == Response.State.DRAFT and r.country_id in invited_ids),
            "countries": [{"iso3": r.country.iso3, "name": r.country.name, "ldc": r.country.ldc,
                           "lldc": r.country.lldc, "sids": r.country.sids,
                           "submitted_at": r.submitted_at.date().isoformat() if r.submitted_at else ""}
                          for r in sorted(submitted, key=lambda r: r.country.name)],
        },
        "sections": out_sections,
        "registry": {"total": coverage["total"], "source": coverage["source"]},
        "indicators": indicator_figures(commission),
        "sources": {
            "matrix_version": matrix_version.code if matrix_version else "",
            "matrix_source": matrix_version.source if matrix_version else "",
            "hlpf": f"HLPF {session.year}" if session else "",
            "groups": [{"code": code, "name": groups[code].name, "as_of": groups[code].as_of.isoformat()
                        if groups[code].as_of else "", "source": groups[code].source}
                       for code in ("LDC", "LLDC", "SIDS") if code in groups],
            "membership_as_of": commission.as_of.isoformat() if commission.as_of else "",
            "membership_source": commission.source,
        },
    }

