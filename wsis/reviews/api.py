"""Public read API of the regional reviews: published reviews, their report files and figures."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from ninja import Router, Schema

from .models import ReviewCycle, ReviewReport

router = Router(tags=["reviews"])


class ReviewReportOut(Schema):
    version: int
    language: str
    published_at: dt.datetime
    html_url: str
    pdf_url: str
    docx_url: str


class ReviewOut(Schema):
    id: int
    commission: str
    year: int
    title: str
    theme: str
    sdgs_under_review: list[int]
    report: ReviewReportOut | None


class ReviewFiguresOut(Schema):
    review: ReviewOut
    figures: dict
    narratives: dict[str, str]


def _published():
    reports = ReviewReport.objects.filter(published_at__isnull=False).order_by("-published_at")
    return (ReviewCycle.objects.filter(state=ReviewCycle.State.PUBLISHED).select_related("commission")
            .prefetch_related("goals", Prefetch("reports", queryset=reports, to_attr="published_reports"))
            .order_by("-year", "commission__code"))


def _review_out(request, cycle: ReviewCycle) -> dict:
    report = cycle.published_reports[0] if cycle.published_reports else None

    def url(fmt):
        return request.build_absolute_uri(reverse("reviews:report-file", args=[cycle.pk, report.version, fmt]))

    return {
        "id": cycle.pk, "commission": cycle.commission.code, "year": cycle.year, "title": cycle.title,
        "theme": cycle.theme, "sdgs_under_review": [g.number for g in cycle.goals.all()],
        "report": None if report is None else {
            "version": report.version, "language": report.language, "published_at": report.published_at,
            "html_url": url("html"), "pdf_url": url("pdf"), "docx_url": url("docx"),
        },
    }


@router.get("/reviews", response=list[ReviewOut], summary="Published regional reviews of WSIS implementation")
def list_reviews(request, commission: str = "", year: int | None = None):
    qs = _published()
    if commission:
        qs = qs.filter(commission__code__iexact=commission)
    if year is not None:
        qs = qs.filter(year=year)
    return [_review_out(request, c) for c in qs]


@router.get("/reviews/{review_id}", response=ReviewFiguresOut,
            summary="One published review with the figures and narrative of its published report")
def get_review(request, review_id: int):
    cycle = _published().filter(pk=review_id).first()
    if cycle is None or not cycle.published_reports:
        raise Http404
    report = cycle.published_reports[0]
    return {"review": _review_out(request, cycle), "figures": report.data or {},
            "narratives": {k: str(v) for k, v in (report.narratives or {}).items()}}
