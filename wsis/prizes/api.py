"""Prizes API: contests, categories, nominees and results (public); voting (authenticated)."""


import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from wsis.accounts.auth import api_auth
from wsis.api.errors import ErrorOut
from wsis.core.ratelimit import client_ip, rate_limit

from . import selectors, services
from .models import Entry

router = Router(tags=["prizes"])


class PrizePhaseOut(Schema):
    phase: str
    label: str
    first: dt.date
    last: dt.date
    is_open: bool


class PrizeContestOut(Schema):
    year: int
    title: str
    phase: str | None
    vote_changes_allowed: bool
    finalists_per_category: int
    champions_max: int
    requires_gdc: bool = Field(description="Entries must link the project to Global Digital Compact objectives.")
    finalists_selected_at: dt.datetime | None = Field(description="When the finalists were selected; null before.")
    results_published: bool
    results_published_at: dt.datetime | None = Field(description="When the results were published; null before.")
    is_demo: bool
    phases: list[PrizePhaseOut] = Field(description="The five phases with their first and last day.")


class PrizeCategoryOut(Schema):
    code: str
    slug: str
    name: str
    nominees: int


class PrizeNomineeOut(Schema):
    id: int
    title: str
    organisation: str
    category: str
    language: str = Field(description="The language the entry is written in (its texts are in it).")
    description: str
    stage: str = Field(description="completed, or major_phase (at the end of a major phase).")
    stage_note: str = Field(description="Which major phase ended (stage major_phase).")
    impact: str
    partnerships: str
    challenges: str
    sdgs: list[int] = Field(description="The SDGs the entry links the project to.")
    sdg_linkages: str
    gdc_objectives: list[int] = Field(description="Global Digital Compact objectives (numbers) the entry links to.")
    gdc_linkages: str
    initiative: int
    valid_votes: int | None = Field(description="Valid votes, once the vote has closed; null before.")
    finalist: bool
    vote_rank: int | None = Field(description="Rank in the vote when the finalists were selected (equal votes share "
                                              "a rank); null before, or while the vote runs.")
    votes_at_selection: int | None = Field(description="Valid votes when the finalists were selected; null before.")
    outcome: str


class PrizeResultOut(Schema):
    category: str
    winner: PrizeNomineeOut | None
    champions: list[PrizeNomineeOut]


class PrizeVoteIn(Schema):
    nominee: int


class PrizeVoteOut(Schema):
    category: str
    nominee: int
    outcome: str
    valid: bool


def _contest(year: int):
    try:
        return selectors.contest_get(year)
    except Http404 as exc:
        raise HttpError(404, "No WSIS Prizes contest for that year.") from exc


def _contest_out(c) -> dict:
    today = timezone.localdate()
    return {"year": c.year, "title": c.title, "phase": c.phase_on(today), "vote_changes_allowed": c.vote_changes_allowed,
            "finalists_per_category": c.finalists_per_category, "champions_max": c.champions_max,
            "requires_gdc": c.requires_gdc, "finalists_selected_at": c.finalists_selected_at,
            "results_published": c.results_published_at is not None, "results_published_at": c.results_published_at,
            "is_demo": c.is_demo,
            "phases": [{"phase": r["phase"], "label": str(r["label"]), "first": r["first"], "last": r["last"],
                        "is_open": r["is_open"]} for r in selectors.phase_rows(c, today)]}


def _nominee_out(e: Entry, show_counts: bool) -> dict:
    """A nominee as the public entry page shows it; the vote's figures only once the vote has closed."""
    return {"id": e.pk, "title": e.title, "organisation": str(e.organisation), "category": e.category.action_line.code,
            "language": e.language, "description": e.description, "stage": e.stage, "stage_note": e.stage_note,
            "impact": e.impact, "partnerships": e.partnerships, "challenges": e.challenges,
            "sdgs": sorted(g.number for g in e.goals.all()), "sdg_linkages": e.sdg_linkages,
            "gdc_objectives": [int(n) for n in e.gdc_objectives or [] if str(n).isdigit()],
            "gdc_linkages": e.gdc_linkages, "initiative": e.initiative_id,
            "valid_votes": getattr(e, "valid_votes", None) if show_counts else None, "finalist": e.finalist,
            "vote_rank": e.vote_rank if show_counts else None,
            "votes_at_selection": e.votes_at_selection if show_counts else None, "outcome": e.outcome}


@router.get("/prizes/contests", response=list[PrizeContestOut], summary="WSIS Prizes contests, latest first")
def list_contests(request):
    return [_contest_out(c) for c in selectors.contest_list()]


@router.get("/prizes/contests/{year}", response=PrizeContestOut, summary="One contest and its phases")
def get_contest(request, year: int):
    return _contest_out(_contest(year))


@router.get("/prizes/contests/{year}/categories", response=list[PrizeCategoryOut],
            summary="The 18 categories of a contest, one per action-line unit")
def list_categories(request, year: int):
    contest = _contest(year)
    shown = timezone.localdate() >= contest.voting_opens
    return [{"code": c.action_line.code, "slug": c.action_line.slug, "name": c.action_line.name,
             "nominees": c.nominee_count if shown else 0} for c in selectors.category_list(contest)]


@router.get("/prizes/contests/{year}/nominees", response=list[PrizeNomineeOut],
            summary="Nominees (published when the vote opens); valid vote counts once the vote has closed")
def list_nominees(request, year: int, category: str = ""):
    contest = _contest(year)
    if timezone.localdate() < contest.voting_opens:
        return []
    show = selectors.votes_counts_shown(contest)
    out = []
    for c in selectors.category_list(contest):
        if category and category not in (c.action_line.code, c.action_line.slug):
            continue
        out.extend(_nominee_out(e, show) for e in selectors.nominees(c).prefetch_related("goals"))
    return out


@router.get("/prizes/contests/{year}/nominees/{nominee_id}", response={200: PrizeNomineeOut, 404: ErrorOut},
            summary="One nominee (public from the vote on, as its page)")
def get_nominee(request, year: int, nominee_id: int):
    contest = _contest(year)
    if timezone.localdate() < contest.voting_opens:
        raise HttpError(404, "No such nominee in this contest.")
    entry = selectors.nominee_get(contest, nominee_id)
    if entry is None:
        raise HttpError(404, "No such nominee in this contest.")
    return _nominee_out(entry, selectors.votes_counts_shown(contest))


@router.get("/prizes/contests/{year}/results", response=list[PrizeResultOut],
            summary="Winner and champions per category (empty until published)")
def list_results(request, year: int):
    contest = _contest(year)
    rows = []
    for category, items in selectors.results(contest):
        prefetch_related_objects(items, "goals")
        winner = next((e for e in items if e.outcome == Entry.Outcome.WINNER), None)
        rows.append({"category": category.action_line.code,
                     "winner": _nominee_out(winner, True) if winner else None,
                     "champions": [_nominee_out(e, True) for e in items if e.outcome == Entry.Outcome.CHAMPION]})
    return rows


@router.get("/prizes/contests/{year}/votes", response=list[PrizeVoteOut], auth=api_auth,
            summary="The caller's votes in a contest")
def my_votes(request, year: int):
    contest = _contest(year)
    return [{"category": v.category.action_line.code, "nominee": v.entry_id, "outcome": "cast", "valid": v.is_valid}
            for v in selectors.user_votes(request.auth, contest).values()]


@router.post("/prizes/contests/{year}/votes", response={200: PrizeVoteOut, 201: PrizeVoteOut, 400: ErrorOut, 403: ErrorOut,
                                                         404: ErrorOut},
             auth=api_auth, summary="Vote for a nominee (or change the vote in its category)")
@rate_limit("prize_vote", keys=("user_or_ip",))
@rate_limit("prize_vote_ip", keys=("ip",))
def cast_vote(request, year: int, payload: PrizeVoteIn):
    """One vote per category per verified account. Sending the same vote again changes nothing (200);
    a vote for another nominee of the same category replaces the earlier one where the contest allows it."""
    # One query for the nominee and its contest (the vote path is the busiest write: see
    # docs/performance.md); the category's code comes along without its action line's long texts.
    entry = next(iter(Entry.objects.select_related("contest").annotate(category_code=F("category__action_line__code"))
                      .filter(contest__year=year, pk=payload.nominee)[:1]), None)
    if entry is None:
        _contest(year)  # no contest that year: its own 404
        return 404, {"detail": "No such nominee in this contest."}
    try:
        vote, outcome = services.vote_cast(voter=request.auth, entry=entry, ip=client_ip(request))
    except PermissionDenied as exc:
        return 403, {"detail": str(exc)}
    except ValidationError as exc:
        return 400, {"detail": " ".join(exc.messages)}
    return (201 if outcome == "cast" else 200), {"category": entry.category_code, "nominee": entry.pk,
                                                 "outcome": outcome, "valid": vote.is_valid}
