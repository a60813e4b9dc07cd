"""Prizes API: contests, categories, nominees and results (public); voting (authenticated)."""


import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
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
    results_published: bool
    is_demo: bool
    phases: list[PrizePhaseOut]


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
    language: str
    description: str
    initiative: int
    valid_votes: int | None
    finalist: bool
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
            "results_published": c.results_published_at is not None, "is_demo": c.is_demo,
            "phases": [{"phase": r["phase"], "label": str(r["label"]), "first": r["first"], "last": r["last"],
                        "is_open": r["is_open"]} for r in selectors.phase_rows(c, today)]}


def _nominee_out(e: Entry, show_counts: bool) -> dict:
    return {"id": e.pk, "title": e.title, "organisation": str(e.organisation), "category": e.category.action_line.code,
            "language": e.language, "description": e.description, "initiative": e.initiative_id,
            "valid_votes": getattr(e, "valid_votes", None) if show_counts else None, "finalist": e.finalist,
            "outcome": e.outcome}


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
        out.extend(_nominee_out(e, show) for e in selectors.nominees(c))
    return out


@router.get("/prizes/contests/{year}/results", response=list[PrizeResultOut],
            summary="Winner and champions per category (empty until published)")
def list_results(request, year: int):
    contest = _contest(year)
    rows = []
    for category, items in selectors.results(contest):
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
