"""Writes of the WSIS Prizes: contests, entries, nomination, votes, invalidation, selection, results.

Every function checks permission and the contest's phase on the day (``timezone.localdate()``, or
``today`` in tests), validates, writes an audit row (``prizes.<entity>.<verb>``) and runs in a
transaction. Refusals raise ``ValidationError`` whose message names the rule that was broken, or
``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wsis.accounts.selectors import user_is_org_member
from wsis.core.permissions import is_prize_expert_of, is_secretariat
from wsis.core.services import audit_record
from wsis.stocktaking.models import Initiative
from wsis.taxonomy.models import ActionLine

from .models import Category, ConflictDeclaration, Contest, Entry, ExpertAssignment, Phase, Score, Vote
from .reference import gdc_objectives
from .selectors import category_standings
from .wordcount import measure

__all__ = [
    "is_secretariat",
    "contest_create",
    "entry_create",
    "entry_eligibility",
    "expert_assign",
    "conflict_declare",
    "has_conflict",
    "entry_nominate",
    "vote_cast",
    "votes_invalidate",
    "votes_reinstate",
    "finalists_select",
    "score_submit",
    "results_confirm",
    "results_publish",
    "network_of",
    "phase_check",
]

ERR_NOT_SECRETARIAT = gettext_lazy("Only the WSIS secretariat can do this.")
ERR_SIGN_IN = gettext_lazy("Please sign in first.")
ERR_PHASE = gettext_lazy("%(action)s is possible only during the %(phase)s phase of %(contest)s "
                         "(%(first)s to %(last)s); today is %(today)s.")
ERR_NOT_MEMBER = gettext_lazy("You can only enter projects of an organisation you belong to.")
# The eligibility rules (FACTS.md §3.4): each message names its rule.
RULE_PUBLISHED = gettext_lazy("Rule “published initiatives only”: “%(title)s” is not published in the "
                              "stocktaking registry, so it cannot be entered.")
RULE_ONE_CATEGORY = gettext_lazy("Rule “one category per project”: “%(title)s” is already entered in the "
                                 "category %(category)s of %(contest)s.")
RULE_NOT_TWICE = gettext_lazy("Rule “the same project not twice”: “%(title)s” is already entered in this "
                              "category.")
RULE_DUPLICATE = gettext_lazy("Rule “the same project not twice”: %(organisation)s already entered a project "
                              "with the same title (“%(title)s”) in %(contest)s.")
RULE_ONE_PER_ENTITY = gettext_lazy("Rule “one project per category per entity”: %(organisation)s already "
                                   "entered “%(other)s” in the category %(category)s.")
RULE_STAGE = gettext_lazy("Rule “completed, or at the end of a major phase”: the project is %(status)s in the "
                          "registry; say which major phase has ended, or enter it once it is completed.")
RULE_STAGE_COMPLETED = gettext_lazy("Rule “completed, or at the end of a major phase”: the registry says the "
                                    "project is not completed; choose “at the end of a major phase” and say "
                                    "which phase ended.")
RULE_LENGTH = gettext_lazy("Rule “a description of %(minimum)d–%(maximum)d %(unit)s”: the description has "
                           "%(count)d %(unit)s.")
RULE_BOX = gettext_lazy("Rule “every box filled in”: the box “%(box)s” is empty.")
RULE_SDG = gettext_lazy("Rule “linkages to the SDGs”: choose at least one Sustainable Development Goal.")
RULE_GDC = gettext_lazy("Rule “linkages to the Global Digital Compact”: choose at least one of its objectives "
                        "and explain the link.")
RULE_GDC_UNKNOWN = gettext_lazy("The Global Digital Compact has objectives 1 to 5; %(value)s is not one of them.")
RULE_PAST_WINNER = gettext_lazy("Rule “past winners are not eligible”: “%(title)s” won the %(category)s prize "
                                "of %(contest)s.")
RULE_CATEGORY = gettext_lazy("The category does not belong to %(contest)s.")
ERR_NOT_EXPERT = gettext_lazy("Only the experts assigned to the category %(category)s can review its entries.")
ERR_NOT_EXPERT_GROUP = gettext_lazy("%(user)s is not a member of the Expert Group of %(contest)s.")
ERR_CONFLICT = gettext_lazy("Conflict of interest: you cannot review entries of %(organisation)s (%(why)s).")
WHY_MEMBER = gettext_lazy("you belong to it")
WHY_DECLARED = gettext_lazy("you declared a conflict of interest")
ERR_NOT_SUBMITTED = gettext_lazy("“%(title)s” has already been decided (%(state)s).")
ERR_UNVERIFIED = gettext_lazy("Only accounts with a verified e-mail address can vote. Confirm your address "
                              "first.")
ERR_NOT_NOMINEE = gettext_lazy("“%(title)s” is not a nominee of %(contest)s; only nominated projects can "
                               "receive votes.")
ERR_NO_CHANGE = gettext_lazy("You have already voted in the category %(category)s, and %(contest)s does not "
                             "allow changing a vote.")
ERR_REASON = gettext_lazy("Give the reason: it is kept in the audit log and shown to the voters concerned.")
ERR_NO_VOTES = gettext_lazy("Select at least one vote.")
ERR_FINALISTS_DONE = gettext_lazy("The finalists of %(contest)s were selected on %(when)s.")
ERR_NOT_FINALIST = gettext_lazy("“%(title)s” is not a finalist of the category %(category)s.")
ERR_SCORE = gettext_lazy("The score is a whole number from 1 to 10.")
ERR_WINNER_CHAMPION = gettext_lazy("The winner cannot also be a champion.")
ERR_TOO_MANY_CHAMPIONS = gettext_lazy("At most %(max)d champions per category; %(count)d were chosen.")
ERR_NO_FINALISTS = gettext_lazy("Select the finalists first: the results are chosen among them.")
ERR_MISSING_WINNERS = gettext_lazy("Confirm a winner in every category with finalists first: %(categories)s.")
ERR_PUBLISHED = gettext_lazy("The results of %(contest)s are published; they can no longer change.")


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _require_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise PermissionDenied(ERR_NOT_SECRETARIAT)


def _require_phase(contest: Contest, phase: str, action: str, today: dt.date) -> None:
    if contest.phase_on(today) != phase:
        first, last = contest.window(phase)
        raise ValidationError(ERR_PHASE % {
            "action": action, "phase": Phase(phase).label, "contest": contest.title,
            "first": date_format(first), "last": date_format(last), "today": date_format(today)})


#: Public name for views that say beforehand whether an action is open today (same message).
phase_check = _require_phase


def _require_not_published(contest: Contest) -> None:
    if contest.results_published_at is not None:
        raise ValidationError(ERR_PUBLISHED % {"contest": contest.title})


# --- Contest ----------------------------------------------------------------------------------------

@transaction.atomic
def contest_create(*, actor, year: int, title: str = "", dates: dict, **settings) -> Contest:
    """A contest with its phase dates and one category per action-line unit (the 18 leaves)."""
    _require_secretariat(actor)
    contest = Contest(year=year, title=title or _("WSIS Prizes %(year)d") % {"year": year}, **dates, **settings)
    contest.full_clean()
    try:
        with transaction.atomic():
            contest.save()
    except IntegrityError as exc:
        raise ValidationError(_("The dates of the phases must follow each other in order.")) from exc
    leaves = ActionLine.objects.filter(is_leaf=True).order_by("order")
    Category.objects.bulk_create([Category(contest=contest, action_line=al) for al in leaves])
    audit_record(actor=actor, action="prizes.contest.create", target=contest, summary=contest.title)
    return contest


# --- Entries --------------------------------------------------------------------------------------

BOXES = (("impact", gettext_lazy("Impact")), ("partnerships", gettext_lazy("Partnerships")),
         ("challenges", gettext_lazy("Challenges and outlook")), ("sdg_linkages", gettext_lazy("Linkages to the SDGs")))


def _norm_title(title: str) -> str:
    return re.sub(r"\W+", " ", title.casefold()).strip()


def entry_eligibility(*, contest: Contest, initiative: Initiative, category: Category) -> list[str]:
    """The rules that keep ``initiative`` out of ``category`` whatever is typed in the boxes."""
    errors = []
    if initiative.state != Initiative.State.PUBLISHED:
        errors.append(RULE_PUBLISHED % {"title": initiative.title})
    if category.contest_id != contest.pk:
        errors.append(RULE_CATEGORY % {"contest": contest.title})
        return errors
    same = Entry.objects.filter(contest=contest, initiative=initiative).select_related("category__action_line").first()
    if same is not None:
        if same.category_id == category.pk:
            errors.append(RULE_NOT_TWICE % {"title": initiative.title})
        else:
            errors.append(RULE_ONE_CATEGORY % {"title": initiative.title, "category": same.category,
                                               "contest": contest.title})
    else:
        key = _norm_title(initiative.title)
        for other in Entry.objects.filter(contest=contest, organisation=initiative.organisation_id).only("title"):
            if _norm_title(other.title) == key:
                errors.append(RULE_DUPLICATE % {"organisation": initiative.organisation, "title": other.title,
                                                "contest": contest.title})
                break
    taken = Entry.objects.filter(category=category, organisation=initiative.organisation_id).exclude(
        initiative=initiative).first()
    if taken is not None:
        errors.append(RULE_ONE_PER_ENTITY % {"organisation": initiative.organisation, "other": taken.title,
                                             "category": category})
    won = (Entry.objects.filter(initiative=initiative, outcome=Entry.Outcome.WINNER, contest__year__lt=contest.year)
           .select_related("contest", "category__action_line").order_by("-contest__year").first())
    if won is not None:
        errors.append(RULE_PAST_WINNER % {"title": initiative.title, "category": won.category,
                                          "contest": won.contest.title})
    return errors


@transaction.atomic
def entry_create(*, actor, contest: Contest, initiative: Initiative, category: Category, description: str,
                 language: str, stage: str, stage_note: str = "", impact: str, partnerships: str, challenges: str,
                 sdg_linkages: str, goals: Sequence = (), gdc_objectives: Sequence[int] = (), gdc_linkages: str = "",
                 today: dt.date | None = None) -> Entry:
    """Enter a published initiative of the actor's organisation in one category.

    The title, organisation, countries and tags stay those of the initiative (read, not retyped);
    the entry adds the boxes the contest asks for. Every broken rule is reported, each by name.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(ERR_SIGN_IN)
    if not user_is_org_member(actor, initiative.organisation):
        raise PermissionDenied(ERR_NOT_MEMBER)
    today = _today(today)
    _require_phase(contest, Phase.SUBMISSION, _("Entering a project"), today)
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(str(message))

    for message in entry_eligibility(contest=contest, initiative=initiative, category=category):
        add("initiative", message)
    status = initiative.get_status_display().lower()
    if initiative.status == Initiative.Status.PLANNED or stage not in Entry.Stage.values:
        add("stage", RULE_STAGE % {"status": status})
    elif stage == Entry.Stage.COMPLETED and initiative.status != Initiative.Status.COMPLETED:
        add("stage", RULE_STAGE_COMPLETED)
    elif stage == Entry.Stage.MAJOR_PHASE and not stage_note.strip():
        add("stage_note", RULE_STAGE % {"status": status})
    length = measure(description, language)
    if not length.ok:
        unit = _("characters") if length.unit == "characters" else _("words")
        add("description", RULE_LENGTH % {"minimum": length.minimum, "maximum": length.maximum, "unit": unit,
                                          "count": length.count})
    values = {"impact": impact, "partnerships": partnerships, "challenges": challenges, "sdg_linkages": sdg_linkages}
    for name, label in BOXES:
        if not (values[name] or "").strip():
            add(name, RULE_BOX % {"box": label})
    if not goals:
        add("goals", RULE_SDG)
    known = {o.number for o in gdc_objectives_list()}
    objectives = []
    for value in gdc_objectives or ():
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number not in known:
            add("gdc_objectives", RULE_GDC_UNKNOWN % {"value": value})
        else:
            objectives.append(number)
    if contest.requires_gdc and (not objectives or not gdc_linkages.strip()):
        add("gdc_objectives", RULE_GDC)
    if errors:
        raise ValidationError(errors)
    entry = Entry(contest=contest, category=category, initiative=initiative, organisation=initiative.organisation,
                  submitted_by=actor, title=initiative.title, language=language, description=description.strip(),
                  stage=stage, stage_note=stage_note.strip(), impact=impact.strip(), partnerships=partnerships.strip(),
                  challenges=challenges.strip(), sdg_linkages=sdg_linkages.strip(),
                  gdc_objectives=sorted(set(objectives)), gdc_linkages=gdc_linkages.strip())
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # a second request with the same project won the race
        raise ValidationError({"initiative": [str(RULE_NOT_TWICE % {"title": initiative.title})]}) from exc
    entry.goals.set(goals)
    audit_record(actor=actor, action="prizes.entry.create", target=entry, summary=entry.title,
                 data={"contest": contest.year, "category": category.action_line.code})
    return entry


def gdc_objectives_list():
    return gdc_objectives()


# --- Experts and conflicts of interest ------------------------------------------------------------

@transaction.atomic
def expert_assign(*, actor, category: Category, expert) -> ExpertAssignment:
    _require_secretariat(actor)
    if not is_prize_expert_of(expert, category.contest):
        raise ValidationError(ERR_NOT_EXPERT_GROUP % {"user": expert, "contest": category.contest.title})
    assignment, created = ExpertAssignment.objects.get_or_create(category=category, expert=expert)
    if created:
        audit_record(actor=actor, action="prizes.expert.assign", target=assignment,
                     summary=f"{expert} → {category}")
    return assignment


@transaction.atomic
def conflict_declare(*, actor, contest: Contest, organisation, note: str = "") -> ConflictDeclaration:
    """An expert declares a conflict of interest with an organisation (kept for the contest)."""
    if not is_prize_expert_of(actor, contest):
        raise PermissionDenied(ERR_NOT_EXPERT_GROUP % {"user": actor, "contest": contest.title})
    declaration, created = ConflictDeclaration.objects.get_or_create(
        contest=contest, expert=actor, organisation=organisation, defaults={"note": note.strip()[:300]})
    if created:
        audit_record(actor=actor, action="prizes.conflict.declare", target=declaration, summary=str(organisation))
    return declaration


def has_conflict(expert, entry: Entry) -> str | None:
    """Why ``expert`` may not review ``entry`` (their own organisation, or a declared conflict), or None."""
    if user_is_org_member(expert, entry.organisation):
        return str(WHY_MEMBER)
    if ConflictDeclaration.objects.filter(contest=entry.contest_id, expert=expert,
                                          organisation=entry.organisation_id).exists():
        return str(WHY_DECLARED)
    return None


def _require_reviewer(actor, entry: Entry) -> None:
    """An expert assigned to the entry's category (the secretariat may step in) with no conflict."""
    assigned = ExpertAssignment.objects.filter(category=entry.category_id, expert=actor.pk).exists() if getattr(
        actor, "is_authenticated", False) else False
    if not (assigned and is_prize_expert_of(actor, entry.contest)) and not is_secretariat(actor):
        raise PermissionDenied(ERR_NOT_EXPERT % {"category": entry.category})
    why = has_conflict(actor, entry)
    if why:
        raise PermissionDenied(ERR_CONFLICT % {"organisation": entry.organisation, "why": why})


@transaction.atomic
def entry_nominate(*, actor, entry: Entry, nominate: bool, note: str = "", today: dt.date | None = None) -> Entry:
    """An assigned expert without a conflict nominates an entry (or not) against the published criteria."""
    _require_reviewer(actor, entry)
    _require_phase(entry.contest, Phase.NOMINATION, _("Nominating"), _today(today))
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != Entry.State.SUBMITTED:
        raise ValidationError(ERR_NOT_SUBMITTED % {"title": entry.title, "state": entry.get_state_display()})
    entry.state = Entry.State.NOMINATED if nominate else Entry.State.NOT_NOMINATED
    entry.nominated_by = actor
    entry.nomination_note = note.strip()
    entry.save(update_fields=["state", "nominated_by", "nomination_note", "updated_at"])
    audit_record(actor=actor, action="prizes.entry.nominate" if nominate else "prizes.entry.decline",
                 target=entry, summary=entry.title, data={"note": entry.nomination_note})
    return entry


# --- Votes ----------------------------------------------------------------------------------------

def network_of(ip: str | None) -> str:
    """The /24 network of an IPv4 address, the /48 of an IPv6 one ("" when there is no address)."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def vote_cast(*, voter, entry: Entry, ip: str | None = None, today: dt.date | None = None) -> tuple[Vote, str]:
    """Cast, or change, the voter's one vote in the entry's category.

    Returns the vote and what happened: ``"cast"``, ``"changed"`` or ``"unchanged"`` (the same vote
    again). The database's unique constraint (voter, category) decides between two requests arriving
    at once: the second insert fails, and the request then reads the winner's row and treats itself as
    a change (or as the same vote), so a vote is never counted twice.
    """
    if not getattr(voter, "is_authenticated", False):
        raise PermissionDenied(ERR_SIGN_IN)
    if not voter.email_verified:
        raise PermissionDenied(ERR_UNVERIFIED)
    contest = entry.contest
    _require_phase(contest, Phase.VOTING, _("Voting"), _today(today))
    if entry.state != Entry.State.NOMINATED:
        raise ValidationError(ERR_NOT_NOMINEE % {"title": entry.title, "contest": contest.title})
    network = network_of(ip)
    # The first vote in a category (most requests) is one transaction of two inserts, without a
    # savepoint: when the unique constraint refuses the insert, the whole transaction is rolled back
    # and the change below runs in a transaction of its own. (Inside a caller's transaction, the
    # atomic blocks are savepoints and the logic is the same.)
    try:
        with transaction.atomic():
            vote = Vote.objects.create(contest=contest, category_id=entry.category_id, entry=entry, voter=voter,
                                       ip=ip or None, network=network)
            audit_record(actor=voter, action="prizes.vote.cast", target=vote,
                         data={"category": entry.category_id, "entry": entry.pk})
        return vote, "cast"
    except IntegrityError:
        pass
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(voter=voter, category_id=entry.category_id)
        if vote.entry_id == entry.pk:
            return vote, "unchanged"
        if not contest.vote_changes_allowed:
            raise ValidationError(ERR_NO_CHANGE % {"category": entry.category, "contest": contest.title})
        previous = vote.entry_id
        vote.entry = entry
        vote.changed_at = timezone.now()
        vote.changes += 1  # the row is locked (FOR UPDATE) until the commit: no change is lost
        vote.ip = ip or None
        vote.network = network
        vote.save(update_fields=["entry", "changed_at", "changes", "ip", "network"])
        audit_record(actor=voter, action="prizes.vote.change", target=vote,
                     data={"category": entry.category_id, "from": previous, "to": entry.pk})
        return vote, "changed"


def _votes_mark(*, actor, contest: Contest, vote_ids: Iterable[int], reason: str, valid: bool) -> int:
    _require_secretariat(actor)
    contest = Contest.objects.get(pk=contest.pk)
    _require_not_published(contest)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [str(ERR_REASON)]})
    ids = sorted({int(v) for v in vote_ids})
    if not ids:
        raise ValidationError({"votes": [str(ERR_NO_VOTES)]})
    votes = list(Vote.objects.select_for_update().filter(contest=contest, pk__in=ids, is_valid=not valid))
    now = timezone.now()
    for vote in votes:
        vote.is_valid = valid
        vote.invalid_reason = "" if valid else reason[:300]
        vote.invalidated_by = None if valid else actor
        vote.invalidated_at = None if valid else now
        audit_record(actor=actor, action="prizes.vote.reinstate" if valid else "prizes.vote.invalidate",
                     target=vote, summary=reason, data={"entry": vote.entry_id, "reason": reason})
    Vote.objects.bulk_update(votes, ["is_valid", "invalid_reason", "invalidated_by", "invalidated_at"])
    return len(votes)


@transaction.atomic
def votes_invalidate(*, actor, contest: Contest, vote_ids: Iterable[int], reason: str) -> int:
    """Invalidate votes with a reason (audited per vote). Returns how many changed."""
    return _votes_mark(actor=actor, contest=contest, vote_ids=vote_ids, reason=reason, valid=False)


@transaction.atomic
def votes_reinstate(*, actor, contest: Contest, vote_ids: Iterable[int], reason: str) -> int:
    """Undo an invalidation, with a reason (audited per vote). Returns how many changed."""
    return _votes_mark(actor=actor, contest=contest, vote_ids=vote_ids, reason=reason, valid=True)


# --- Selection and results ------------------------------------------------------------------------

@transaction.atomic
def finalists_select(*, actor, contest: Contest, today: dt.date | None = None) -> dict[int, list[Entry]]:
    """The top five nominees of every category by valid votes go to the experts' scoring.

    Ties: nominees are ranked by valid votes with standard competition ranking (1, 2, 2, 4 …); every
    nominee ranked fifth or better is a finalist, so a tie at the fifth place admits all the tied
    nominees (a category may then have more than five finalists) and no coin decides. Nominees with
    no valid vote are never finalists. Returns the finalists per category id.
    """
    _require_secretariat(actor)
    _require_not_published(contest)
    _require_phase(contest, Phase.SELECTION, _("Selecting the finalists"), _today(today))
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.finalists_selected_at is not None:
        raise ValidationError(ERR_FINALISTS_DONE % {"contest": contest.title,
                                                    "when": date_format(timezone.localtime(contest.finalists_selected_at))})
    chosen: dict[int, list[Entry]] = {}
    for category in contest.categories.all():
        for row in category_standings(category):
            entry = row.entry
            entry.vote_rank = row.rank
            entry.votes_at_selection = row.votes
            entry.finalist = row.votes > 0 and row.rank <= contest.finalists_per_category
            entry.save(update_fields=["vote_rank", "votes_at_selection", "finalist", "updated_at"])
            if entry.finalist:
                chosen.setdefault(category.pk, []).append(entry)
    contest.finalists_selected_at = timezone.now()
    contest.save(update_fields=["finalists_selected_at", "updated_at"])
    audit_record(actor=actor, action="prizes.contest.select_finalists", target=contest,
                 data={"finalists": {str(k): [e.pk for e in v] for k, v in chosen.items()}})
    return chosen


@transaction.atomic
def score_submit(*, actor, entry: Entry, score, note: str = "", today: dt.date | None = None) -> Score:
    """An assigned expert without a conflict scores a finalist (1–10); a second score replaces the first."""
    _require_reviewer(actor, entry)
    _require_phase(entry.contest, Phase.SELECTION, _("Scoring"), _today(today))
    _require_not_published(entry.contest)
    if not entry.finalist:
        raise ValidationError(ERR_NOT_FINALIST % {"title": entry.title, "category": entry.category})
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 10:
        raise ValidationError({"score": [str(ERR_SCORE)]})
    row, created = Score.objects.update_or_create(entry=entry, expert=actor, defaults={"score": value,
                                                                                        "note": note.strip()})
    audit_record(actor=actor, action="prizes.score.submit", target=row, summary=entry.title,
                 data={"score": value, "replaced": not created})
    return row


@transaction.atomic
def results_confirm(*, actor, category: Category, winner: Entry, champions: Sequence[Entry] = (),
                    today: dt.date | None = None) -> list[Entry]:
    """The secretariat confirms the category's winner and up to four champions, all finalists."""
    _require_secretariat(actor)
    contest = Contest.objects.select_for_update().get(pk=category.contest_id)
    _require_not_published(contest)
    _require_phase(contest, Phase.SELECTION, _("Confirming winners"), _today(today))
    if contest.finalists_selected_at is None:
        raise ValidationError(ERR_NO_FINALISTS)
    champions = list(champions)
    for entry in [winner, *champions]:
        if entry.category_id != category.pk or not entry.finalist:
            raise ValidationError(ERR_NOT_FINALIST % {"title": entry.title, "category": category})
    if winner.pk in {c.pk for c in champions}:
        raise ValidationError(ERR_WINNER_CHAMPION)
    if len({c.pk for c in champions}) > contest.champions_max:
        raise ValidationError(ERR_TOO_MANY_CHAMPIONS % {"max": contest.champions_max, "count": len(champions)})
    Entry.objects.filter(category=category).exclude(outcome="").update(outcome="")
    Entry.objects.filter(pk=winner.pk).update(outcome=Entry.Outcome.WINNER)
    Entry.objects.filter(pk__in=[c.pk for c in champions]).update(outcome=Entry.Outcome.CHAMPION)
    audit_record(actor=actor, action="prizes.category.confirm", target=category, summary=str(category),
                 data={"winner": winner.pk, "champions": [c.pk for c in champions]})
    return list(Entry.objects.filter(category=category).exclude(outcome=""))


@transaction.atomic
def results_publish(*, actor, contest: Contest, today: dt.date | None = None) -> Contest:
    """Publish the results: from the selection phase on, once every category with finalists has a winner."""
    _require_secretariat(actor)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    _require_not_published(contest)
    day = _today(today)
    if day < contest.selection_opens:
        _require_phase(contest, Phase.SELECTION, _("Publishing the results"), day)
    if contest.finalists_selected_at is None:
        raise ValidationError(ERR_NO_FINALISTS)
    missing = [str(c) for c in contest.categories.select_related("action_line")
               if c.entries.filter(finalist=True).exists() and not c.entries.filter(outcome="winner").exists()]
    if missing:
        raise ValidationError(ERR_MISSING_WINNERS % {"categories": ", ".join(missing)})
    contest.results_published_at = timezone.now()
    contest.save(update_fields=["results_published_at", "updated_at"])
    audit_record(actor=actor, action="prizes.contest.publish", target=contest, summary=contest.title)
    return contest
