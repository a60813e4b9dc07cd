"""Demo data of the prizes for ``manage.py seed_demo``: a finished 2026 contest with its results and a
2027 contest whose public vote is open (16 November 2026 – 15 March 2027), both marked ``is_demo``.

Entries promote published demo initiatives (one per organisation and category, the primary action line
deciding the category); the demo voters are ``voter001…`` at the demo domain (password of the README).
The 2027 vote carries patterns for the integrity report to find: a burst from one address and a few
accounts at a disposable domain. The finished contest goes through the real services (finalists,
scores, confirmation, publication) on dates inside its phases, and its "success stories" are built and
published in English on the document engine. Deterministic for ``ctx.seed`` and
idempotent: a contest that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from wsis.accounts.demo import _demo_password_hash, demo_email
from wsis.accounts.models import Membership, User
from wsis.core.demo import DEMO_EMAIL_DOMAIN, DemoContext
from wsis.core.permissions import Role, role_holders
from wsis.reports import services as report_services
from wsis.stocktaking.models import Initiative, InitiativeActionLine

from . import documents, services
from .models import Contest, Entry, ExpertAssignment, Score, Vote

PAST, CURRENT = 2026, 2027
DATES = {
    PAST: {"submission_opens": dt.date(2025, 7, 1), "submission_closes": dt.date(2025, 9, 30),
           "nomination_opens": dt.date(2025, 10, 1), "nomination_closes": dt.date(2025, 11, 15),
           "voting_opens": dt.date(2025, 11, 16), "voting_closes": dt.date(2026, 1, 31),
           "selection_opens": dt.date(2026, 2, 1), "selection_closes": dt.date(2026, 3, 15),
           "announcement_on": dt.date(2026, 7, 7)},
    CURRENT: {"submission_opens": dt.date(2026, 7, 1), "submission_closes": dt.date(2026, 9, 30),
              "nomination_opens": dt.date(2026, 10, 1), "nomination_closes": dt.date(2026, 11, 15),
              "voting_opens": dt.date(2026, 11, 16), "voting_closes": dt.date(2027, 3, 15),
              "selection_opens": dt.date(2027, 3, 16), "selection_closes": dt.date(2027, 4, 30),
              "announcement_on": dt.date(2027, 7, 6)},
}
VOTERS = 240
PER_CATEGORY = 7
DISPOSABLE = ["sharklasers.com", "yopmail.com"]

#: About 170 words: the 150–200-word description of the vote, written from the initiative's own fields.
TEMPLATE = (
    "{title} is a project of {organisation}. {summary} The project started from a simple observation: the "
    "people it serves could not use digital services that others take for granted, because of cost, distance, "
    "language or missing skills. The team worked with local partners to design the service together with the "
    "communities concerned, tested it at a small scale first, measured what changed, and then widened it step "
    "by step. Each phase ended with a public report of its results and of what did not work, so that others "
    "can learn from it. The project relies on open standards and shared infrastructure wherever it can, which "
    "keeps its running costs low and makes it easy to copy elsewhere. Training is part of every activity, so "
    "that local staff can run and improve the service on their own when the project team steps back. The "
    "entry describes the results of the phase that has just ended and the plans for the next one, and it "
    "links the work to the WSIS action lines and to the Sustainable Development Goals."
)


def _description(initiative: Initiative) -> str:
    summary = initiative.summary.strip().rstrip(".") + "."
    text = TEMPLATE.format(title=initiative.title, organisation=initiative.organisation.name, summary=summary)
    words = text.split()
    return " ".join(words[:195])


def _candidates(rng) -> dict[str, list[Initiative]]:
    """Published, non-planned demo initiatives by the code of their primary action line."""
    rows = (InitiativeActionLine.objects.filter(is_primary=True, initiative__state=Initiative.State.PUBLISHED)
            .exclude(initiative__status=Initiative.Status.PLANNED)
            .select_related("initiative__organisation", "action_line").order_by("initiative_id"))
    by_code = defaultdict(list)
    for row in rows:
        by_code[row.action_line.code].append(row.initiative)
    for items in by_code.values():
        rng.shuffle(items)
    return by_code


def _submitter(organisation) -> User | None:
    membership = (Membership.objects.filter(organisation=organisation).select_related("user")
                  .order_by("-role", "pk").first())
    return membership.user if membership else None


def _enter(contest: Contest, pool: dict[str, list[Initiative]], used: set[int], rng) -> list[Entry]:
    """Entries through the service, on the contest's first submission day; then all nominated by the expert."""
    entries = []
    for category in contest.categories.select_related("action_line").order_by("action_line__order"):
        orgs = set()
        for initiative in pool.get(category.action_line.code, []):
            if len(orgs) >= PER_CATEGORY:
                break
            if initiative.pk in used or initiative.organisation_id in orgs:
                continue
            user = _submitter(initiative.organisation)
            if user is None:
                continue
            goals = list(initiative.goals.all()[:3])
            if not goals:
                continue
            stage = Entry.Stage.COMPLETED if initiative.status == Initiative.Status.COMPLETED else Entry.Stage.MAJOR_PHASE
            entry = services.entry_create(
                actor=user, contest=contest, initiative=initiative, category=category,
                description=_description(initiative), language="en", stage=stage,
                stage_note="" if stage == Entry.Stage.COMPLETED else "The pilot phase ended with a public report.",
                impact="Reached its first users in the pilot area; results are measured every quarter.",
                partnerships=initiative.partners or "Local authorities and community organisations.",
                challenges="Sustaining the funding after the pilot; reaching the most remote users.",
                sdg_linkages="Contributes to " + ", ".join(f"SDG {g.number}" for g in goals) + ".",
                goals=goals, gdc_objectives=sorted(rng.sample([1, 2, 3, 4, 5], 2)),
                gdc_linkages="Closes a digital divide and widens the benefits of the digital economy.",
                today=contest.submission_opens)
            used.add(initiative.pk)
            orgs.add(initiative.organisation_id)
            entries.append(entry)
    Entry.objects.filter(pk__in=[e.pk for e in entries]).update(state=Entry.State.NOMINATED)
    return entries


def _voters(count: int) -> list[User]:
    existing = {u.email: u for u in User.objects.filter(email__startswith="voter", email__endswith=DEMO_EMAIL_DOMAIN)}
    joined = timezone.make_aware(dt.datetime(2025, 1, 15, 12, 0))  # long before either vote: not "new accounts"
    new = [User(email=demo_email(f"voter{i:03d}"), full_name=f"Demo voter {i:03d}", email_verified=True,
                password=_demo_password_hash(), date_joined=joined) for i in range(1, count + 1)
           if demo_email(f"voter{i:03d}") not in existing]
    User.objects.bulk_create(new)
    return list(User.objects.filter(email__startswith="voter", email__endswith=DEMO_EMAIL_DOMAIN).order_by("email"))


def _vote(contest: Contest, entries: list[Entry], voters: list[User], rng, *, when: dt.datetime, days: int) -> None:
    """Each voter votes in a few categories, favouring some nominees (so rankings differ)."""
    by_category = defaultdict(list)
    for entry in entries:
        by_category[entry.category_id].append(entry)
    weights = {e.pk: rng.choice([1, 2, 3, 5, 8]) for e in entries}
    votes = []
    for user in voters:
        for category_id in rng.sample(sorted(by_category), k=min(len(by_category), rng.randint(1, 6))):
            choices = by_category[category_id]
            entry = rng.choices(choices, weights=[weights[e.pk] for e in choices])[0]
            ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            votes.append(Vote(contest=contest, category_id=category_id, entry=entry, voter=user, ip=ip,
                              network=services.network_of(ip)))
    Vote.objects.bulk_create(votes)
    # Spread the votes over the window (most on the last days, as in 2016).
    for vote in Vote.objects.filter(contest=contest).order_by("pk"):
        hours = int(rng.triangular(0, 24 * days, 24 * days))
        Vote.objects.filter(pk=vote.pk).update(created_at=when + dt.timedelta(hours=hours))


def _integrity_patterns(contest: Contest, entries: list[Entry], rng) -> None:
    """A burst of 25 votes from one address within minutes, and votes from disposable domains."""
    if not entries:
        return
    target = entries[0]
    burst_users = []
    for i in range(25):
        email = demo_email(f"burst{i:02d}")
        user = User.objects.filter(email=email).first() or User.objects.create(
            email=email, full_name=f"Burst account {i:02d}", email_verified=True, password=_demo_password_hash())
        burst_users.append(user)
    for i, domain in enumerate(DISPOSABLE * 2):
        email = f"throwaway{i}@{domain}"
        user = User.objects.filter(email=email).first() or User.objects.create(
            email=email, full_name=f"Throwaway {i}", email_verified=True, password=_demo_password_hash())
        burst_users.append(user)
    start = timezone.make_aware(dt.datetime(2026, 12, 1, 3, 0))
    User.objects.filter(pk__in=[u.pk for u in burst_users]).update(date_joined=start - dt.timedelta(hours=6))
    for i, user in enumerate(burst_users):
        vote = Vote.objects.create(contest=contest, category_id=target.category_id, entry=target, voter=user,
                                   ip="203.0.113.77", network="203.0.113.0/24")
        Vote.objects.filter(pk=vote.pk).update(created_at=start + dt.timedelta(seconds=13 * i))


def _finish(contest: Contest, entries: list[Entry], rng) -> None:
    """Selection of the finished contest through the services, on days inside its phases."""
    staff = role_holders(Role.SECRETARIAT)[0]
    experts = role_holders(Role.PRIZE_EXPERT) or [staff]
    day = contest.selection_opens
    services.finalists_select(actor=staff, contest=contest, today=day)
    for category in contest.categories.select_related("action_line"):
        for expert in experts:
            ExpertAssignment.objects.get_or_create(category=category, expert=expert)
        finalists = list(Entry.objects.filter(category=category, finalist=True).order_by("pk"))
        if not finalists:
            continue
        for entry in finalists:
            for expert in experts:
                if services.has_conflict(expert, entry) is None:
                    Score.objects.update_or_create(entry=entry, expert=expert,
                                                   defaults={"score": rng.randint(5, 10)})
        ranked = sorted(finalists, key=lambda e: (-sum(s.score for s in e.scores.all()), e.pk))
        services.results_confirm(actor=staff, category=category, winner=ranked[0],
                                 champions=ranked[1:1 + contest.champions_max], today=day)
    contest = services.results_publish(actor=staff, contest=contest, today=day)
    # The success stories of the finished contest, in English, built and published on the document engine.
    doc = report_services.document_request(
        kind=documents.KIND, key=str(contest.year), language="en", title=documents.default_title(contest.year),
        symbol=documents.default_symbol(contest.year), params={"year": contest.year}, actor=staff, enqueue=False)
    doc = report_services.document_build(document_id=doc.pk)
    if doc.status == doc.Status.DONE:
        report_services.document_publish(document=doc, actor=staff)


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    staff = role_holders(Role.SECRETARIAT)
    if not staff:
        ctx.log("Prizes: no secretariat account; run the accounts seeder first.")
        return
    rng = ctx.rng("prizes")
    pool = _candidates(rng)
    voters = _voters(VOTERS)
    used: set[int] = set()
    for year in (PAST, CURRENT):
        if Contest.objects.filter(year=year).exists():
            used.update(Entry.objects.filter(contest__year=year).values_list("initiative_id", flat=True))
            continue
        title = f"WSIS Prizes {year} (demonstration)"
        contest = services.contest_create(actor=staff[0], year=year, title=title, dates=DATES[year], is_demo=True)
        entries = _enter(contest, pool, used, rng)
        when = timezone.make_aware(dt.datetime.combine(contest.voting_opens, dt.time(9)))
        if year == PAST:
            _vote(contest, entries, voters, rng, when=when, days=(contest.voting_closes - contest.voting_opens).days)
            _finish(contest, entries, rng)
        else:
            _vote(contest, entries, voters[: VOTERS // 2], rng, when=when, days=14)  # up to 30 November 2026
            _integrity_patterns(contest, entries, rng)
            for expert in role_holders(Role.PRIZE_EXPERT):
                for category in contest.categories.all():
                    ExpertAssignment.objects.get_or_create(category=category, expert=expert)
        ctx.log(f"Prizes: {title}: {len(entries)} entries, {Vote.objects.filter(contest=contest).count()} votes.")
