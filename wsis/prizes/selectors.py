"""Reads of the WSIS Prizes for pages, the API and other apps: contests, nominees, standings, the
integrity report and results. Counts are always of **valid** votes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wsis.accounts.selectors import user_organisations
from wsis.core.permissions import is_prize_expert_of, is_secretariat
from wsis.stocktaking.models import Initiative

from .models import Category, ConflictDeclaration, Contest, Entry, ExpertAssignment, Phase, Score, Vote
from .reference import is_disposable

__all__ = [
    "contest_list", "contest_get", "contest_current", "category_list", "category_get", "entry_get",
    "nominees", "nominee_get", "category_standings", "Standing", "user_votes", "entries_own", "initiatives_to_enter",
    "review_queue", "finalists", "integrity_report", "IntegrityFlag", "results", "votes_counts_shown",
    "invalid_votes",
]


def contest_list() -> QuerySet[Contest]:
    return Contest.objects.all().order_by("-year")


def contest_get(year: int) -> Contest:
    contest = Contest.objects.filter(year=year).first()
    if contest is None:
        raise Http404("No WSIS Prizes contest for that year.")
    return contest


def contest_current(today: dt.date | None = None) -> Contest | None:
    """The contest running today (in any phase), else the latest one whose results are published."""
    today = today or timezone.localdate()
    running = Contest.objects.filter(submission_opens__lte=today, announcement_on__gte=today).order_by("-year").first()
    return running or Contest.objects.order_by("-year").first()


def category_list(contest: Contest) -> QuerySet[Category]:
    return (contest.categories.select_related("action_line")
            .annotate(entry_count=Count("entries", distinct=True),
                      nominee_count=Count("entries", filter=Q(entries__state=Entry.State.NOMINATED), distinct=True))
            .order_by("action_line__order"))


def category_get(contest: Contest, slug: str) -> Category:
    category = contest.categories.select_related("action_line", "contest").filter(action_line__slug=slug).first()
    if category is None:
        raise Http404("No such category in this contest.")
    return category


def votes_counts_shown(contest: Contest, today: dt.date | None = None) -> bool:
    """Counts are shown once voting has closed, so that no running tally steers the vote."""
    return (today or timezone.localdate()) > contest.voting_closes


def _public(entry: Entry, today: dt.date) -> bool:
    return entry.state == Entry.State.NOMINATED and today >= entry.contest.voting_opens


def entry_get(contest: Contest, pk: int, user, today: dt.date | None = None) -> Entry:
    """An entry of the contest: nominees are public from the vote on; other entries only to their
    organisation's members, the contest's experts and the secretariat."""
    entry = (Entry.objects.select_related("contest", "category__action_line", "organisation", "initiative")
             .prefetch_related("goals").filter(contest=contest, pk=pk).first())
    if entry is None:
        raise Http404("No such entry.")
    today = today or timezone.localdate()
    if _public(entry, today) or is_secretariat(user) or is_prize_expert_of(user, contest):
        return entry
    if user_organisations(user).filter(pk=entry.organisation_id).exists():
        return entry
    raise Http404("No such entry.")


def nominees(category: Category) -> QuerySet[Entry]:
    return (category.entries.filter(state=Entry.State.NOMINATED).select_related("organisation", "category__action_line")
            .annotate(valid_votes=Count("votes", filter=Q(votes__is_valid=True))).order_by("title"))


def nominee_get(contest: Contest, pk: int) -> Entry | None:
    """A nominee of the contest with its valid votes and SDGs, or None (not an entry, or not nominated)."""
    return (Entry.objects.filter(contest=contest, pk=pk, state=Entry.State.NOMINATED)
            .select_related("organisation", "category__action_line").prefetch_related("goals")
            .annotate(valid_votes=Count("votes", filter=Q(votes__is_valid=True))).first())


@dataclass
class Standing:
    entry: Entry
    votes: int
    rank: int
    mean_score: float | None = None
    scores: int = 0


def category_standings(category: Category) -> list[Standing]:
    """Nominees by valid votes, with standard competition ranking: equal votes share a rank (1, 2, 2, 4)."""
    rows = list(category.entries.filter(state=Entry.State.NOMINATED)
                .annotate(valid_votes=Count("votes", filter=Q(votes__is_valid=True)),
                          mean_score=Avg("scores__score"), score_count=Count("scores", distinct=True))
                .select_related("organisation").order_by("-valid_votes", "title", "pk"))
    standings, rank, previous = [], 0, None
    for position, entry in enumerate(rows, start=1):
        if entry.valid_votes != previous:
            rank, previous = position, entry.valid_votes
        standings.append(Standing(entry=entry, votes=entry.valid_votes, rank=rank, mean_score=entry.mean_score,
                                  scores=entry.score_count))
    return standings


def finalists(category: Category) -> list[Standing]:
    """The finalists, by mean expert score (then valid votes): the order the secretariat decides from."""
    rows = [s for s in category_standings(category) if s.entry.finalist]
    return sorted(rows, key=lambda s: (-(s.mean_score or 0), -s.votes, s.entry.title))


def user_votes(user, contest: Contest) -> dict[int, Vote]:
    if not getattr(user, "is_authenticated", False):
        return {}
    return {v.category_id: v for v in Vote.objects.filter(voter=user, contest=contest).select_related(
        "entry", "category__action_line")}


def entries_own(user, contest: Contest) -> QuerySet[Entry]:
    return (Entry.objects.filter(contest=contest, organisation__in=user_organisations(user))
            .select_related("category__action_line", "organisation").order_by("category__action_line__order"))


def initiatives_to_enter(user) -> QuerySet[Initiative]:
    """Published initiatives of the user's organisations: what may be promoted to an entry."""
    return (Initiative.objects.filter(state=Initiative.State.PUBLISHED, organisation__in=user_organisations(user))
            .select_related("organisation").order_by("title"))


def review_queue(user, contest: Contest) -> list[tuple[Entry, str | None]]:
    """Entries of the categories the expert is assigned to (every category for the secretariat), each
    with the reason of a conflict of interest, if any (a member of its organisation, or declared)."""
    entries = Entry.objects.filter(contest=contest).select_related("category__action_line", "organisation")
    if not is_secretariat(user):
        entries = entries.filter(category__experts__expert=user)
    own = set(user_organisations(user).values_list("pk", flat=True))
    declared = set(ConflictDeclaration.objects.filter(contest=contest, expert=user.pk).values_list("organisation_id",
                                                                                                     flat=True))
    my_scores = dict(Score.objects.filter(entry__contest=contest, expert=user.pk).values_list("entry_id", "score"))
    rows = []
    for entry in entries.order_by("category__action_line__order", "title"):
        why = "member" if entry.organisation_id in own else "declared" if entry.organisation_id in declared else None
        entry.my_score = my_scores.get(entry.pk)
        rows.append((entry, why))
    return rows


def expert_categories(user, contest: Contest) -> QuerySet[Category]:
    return contest.categories.filter(experts__expert=user.pk).select_related("action_line")


def conflicts_of(user, contest: Contest) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(contest=contest, expert=user.pk).select_related("organisation")


def assignments(contest: Contest) -> QuerySet[ExpertAssignment]:
    return ExpertAssignment.objects.filter(category__contest=contest).select_related("expert", "category__action_line")


# --- Integrity ------------------------------------------------------------------------------------

#: Thresholds of the integrity report (documented on the methodology page).
BURST_WINDOW = dt.timedelta(minutes=10)
BURST_IP = 20  # votes from one address within the window
BURST_NETWORK = 60  # votes from one /24 (IPv4) or /48 (IPv6) network within the window
NEW_ACCOUNT_AGE = dt.timedelta(days=2)  # an account created at most this long before it voted
NEW_ACCOUNTS_FOR_ONE = 10  # new accounts voting for one nominee


@dataclass
class IntegrityFlag:
    kind: str  # "ip_burst", "network_burst", "new_accounts", "disposable"
    key: str  # the address, network, nominee title or e-mail domain
    vote_ids: list[int] = field(default_factory=list)
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    entry: Entry | None = None

    @property
    def count(self) -> int:
        return len(self.vote_ids)


def _bursts(rows: list[tuple[int, dt.datetime]], threshold: int) -> tuple[list[int], dt.datetime, dt.datetime] | None:
    """The largest set of votes within any BURST_WINDOW, if it reaches ``threshold`` (two pointers)."""
    rows.sort(key=lambda r: r[1])
    best = (0, 0, 0)
    start = 0
    for end in range(len(rows)):
        while rows[end][1] - rows[start][1] > BURST_WINDOW:
            start += 1
        if end - start + 1 > best[0]:
            best = (end - start + 1, start, end)
    size, start, end = best
    if size < threshold:
        return None
    return [r[0] for r in rows[start:end + 1]], rows[start][1], rows[end][1]


def integrity_report(contest: Contest, *, include_invalid: bool = False) -> list[IntegrityFlag]:
    """Suspicious patterns among the contest's (valid) votes, for the secretariat to judge.

    * ``ip_burst`` / ``network_burst``: at least BURST_IP votes from one address (BURST_NETWORK from one
      /24 or /48 network) within ten minutes;
    * ``new_accounts``: at least NEW_ACCOUNTS_FOR_ONE votes for one nominee from accounts created at most
      two days before they voted;
    * ``disposable``: votes from accounts whose e-mail domain is on the shipped list of disposable domains.

    A flag is a lead, not a verdict: a school voting together bursts too. The report reads the votes
    once (values, not objects), so it stays linear in their number.
    """
    votes = Vote.objects.filter(contest=contest)
    if not include_invalid:
        votes = votes.filter(is_valid=True)
    by_ip, by_network = defaultdict(list), defaultdict(list)
    new_by_entry, disposable = defaultdict(list), defaultdict(list)
    for pk, ip, network, created, joined, email, entry_id in votes.values_list(
            "pk", "ip", "network", "created_at", "voter__date_joined", "voter__email", "entry_id").iterator():
        if ip:
            by_ip[ip].append((pk, created))
        if network:
            by_network[network].append((pk, created))
        if joined and created - joined <= NEW_ACCOUNT_AGE:
            new_by_entry[entry_id].append((pk, created))
        if email and is_disposable(email):
            disposable[email.rpartition("@")[2].lower()].append((pk, created))
    flags: list[IntegrityFlag] = []
    for kind, groups, threshold in (("ip_burst", by_ip, BURST_IP), ("network_burst", by_network, BURST_NETWORK)):
        for key, rows in groups.items():
            found = _bursts(rows, threshold)
            if found:
                flags.append(IntegrityFlag(kind=kind, key=key, vote_ids=found[0], first=found[1], last=found[2]))
    entries = Entry.objects.in_bulk([k for k, v in new_by_entry.items() if len(v) >= NEW_ACCOUNTS_FOR_ONE])
    for entry_id, rows in new_by_entry.items():
        if entry_id in entries:
            times = [r[1] for r in rows]
            flags.append(IntegrityFlag(kind="new_accounts", key=entries[entry_id].title, entry=entries[entry_id],
                                       vote_ids=[r[0] for r in rows], first=min(times), last=max(times)))
    for domain, rows in disposable.items():
        times = [r[1] for r in rows]
        flags.append(IntegrityFlag(kind="disposable", key=domain, vote_ids=[r[0] for r in rows], first=min(times),
                                   last=max(times)))
    order = {"ip_burst": 0, "network_burst": 1, "new_accounts": 2, "disposable": 3}
    return sorted(flags, key=lambda f: (order[f.kind], -f.count, f.key))


def invalid_votes(contest: Contest) -> QuerySet[Vote]:
    return (Vote.objects.filter(contest=contest, is_valid=False)
            .select_related("entry", "category__action_line", "invalidated_by").order_by("-invalidated_at"))


def vote_totals(contest: Contest) -> dict[str, int]:
    totals = Vote.objects.filter(contest=contest).aggregate(
        all=Count("pk"), valid=Count("pk", filter=Q(is_valid=True)), voters=Count("voter", distinct=True))
    return totals


# --- Results --------------------------------------------------------------------------------------

def results(contest: Contest) -> list[tuple[Category, list[Entry]]]:
    """Per category, the winner then the champions (empty until the results are published)."""
    if contest.results_published_at is None:
        return []
    entries = (Entry.objects.filter(contest=contest).exclude(outcome="")
               .select_related("organisation", "category__action_line")
               .annotate(valid_votes=Count("votes", filter=Q(votes__is_valid=True))))
    by_category = defaultdict(list)
    for entry in entries.order_by("outcome", "title"):  # "champion" < "winner": reversed below
        by_category[entry.category_id].append(entry)
    rows = []
    for category in contest.categories.select_related("action_line").order_by("action_line__order"):
        items = sorted(by_category.get(category.pk, []), key=lambda e: (e.outcome != "winner", e.title))
        rows.append((category, items))
    return rows


def category_results(category: Category) -> list[Entry]:
    for cat, items in results(category.contest):
        if cat.pk == category.pk:
            return items
    return []


def phase_rows(contest: Contest, today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    return [{"phase": phase, "label": Phase(phase).label, "first": first, "last": last,
             "is_open": first <= today <= last, "is_past": last < today}
            for phase, first, last in contest.phase_dates()]


def home_teaser(today: dt.date | None = None) -> dict | None:
    contest = contest_current(today)
    if contest is None:
        return None
    today = today or timezone.localdate()
    return {"contest": contest, "phase": contest.phase_on(today),
            "phase_label": Phase(contest.phase_on(today)).label if contest.phase_on(today) else ""}


__all__ += ["expert_categories", "conflicts_of", "assignments", "vote_totals", "category_results", "phase_rows",
            "home_teaser"]
