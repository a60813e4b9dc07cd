"""Demo initiatives for ``manage.py seed_demo``: realistic, deterministic, in every state, at any scale.

Initiative number ``i`` of a given seed is always the same (its own random stream), so seeding
200,000 and later 1,000,000 only adds the missing ones, and seeding fewer deletes the surplus. Rows
are written with ``bulk_create`` in batches; tags are those a careful submitter chooses (the goal the
subject obviously serves, sometimes one or two more the Matrix links to the action line, the odd
off-matrix tag), with most published entries' tags confirmed by the demo moderator and a few older
entries carrying the whole pre-ticked Matrix set, for the data-quality page's review queue.

Extra organisations are generated when N is large (about one per 50 initiatives), named
``demo-org-<n>``, so that per-organisation pages stay realistic at a million entries.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify

from wsis.accounts.demo import ORGANISATIONS as DEMO_ORGANISATIONS
from wsis.accounts.demo import demo_email
from wsis.accounts.models import Organisation, User
from wsis.core.demo import DemoContext
from wsis.taxonomy.models import ActionLine, Country, Goal, MatrixLink, StakeholderType, Target

from .demo_translations import seed_translations
from .models import (
    Initiative,
    InitiativeActionLine,
    InitiativeGoal,
    InitiativeRevision,
    InitiativeTarget,
    InitiativeTargetGroup,
    TagSource,
    TargetGroup,
)
from .services import initiative_derived_refresh, organisation_names_bump

BATCH = 5000
ORGS_PER_INITIATIVE = 50

STATES = [
    (Initiative.State.PUBLISHED, 70),
    (Initiative.State.SUBMITTED, 8),
    (Initiative.State.IN_REVIEW, 4),
    (Initiative.State.DRAFT, 8),
    (Initiative.State.RETURNED, 4),
    (Initiative.State.REJECTED, 3),
    (Initiative.State.ARCHIVED, 3),
]
KINDS = [(k, w) for k, w in zip(Initiative.Kind.values, [30, 15, 10, 15, 6, 12, 6, 6], strict=True)]
TYPE_WEIGHTS = {"government": 45, "private_sector": 15, "civil_society": 20, "international_organisation": 8,
                "academia": 8, "technical_community": 4}

# Subject matter per action-line unit: (what, for whom) pairs that make titles and summaries.
THEMES = {
    "C1": [("national digital transformation strategy", "public institutions"),
           ("multi-stakeholder ICT policy forum", "policy makers"), ("e-participation charter", "citizens")],
    "C2": [("rural broadband backbone", "remote communities"), ("community networks programme", "villages"),
           ("satellite connectivity for schools", "rural schools"), ("Internet exchange point", "local networks")],
    "C3": [("open data portal", "researchers and journalists"), ("public library digital access", "library users"),
           ("open educational resources repository", "teachers")],
    "C4": [("digital skills academy", "young people"), ("coding bootcamps", "women and girls"),
           ("ICT training for civil servants", "government staff"), ("digital literacy campaign", "older persons")],
    "C5": [("national CERT capacity", "critical infrastructure operators"), ("child online protection programme",
           "children and parents"), ("cybersecurity awareness month", "small businesses")],
    "C6": [("spectrum management reform", "operators"), ("data protection law", "consumers"),
           ("universal service fund modernisation", "underserved areas")],
    "C7.1": [("one-stop e-services portal", "citizens"), ("digital identity system", "residents"),
             ("e-procurement platform", "suppliers")],
    "C7.2": [("mobile money for micro-enterprises", "small traders"), ("e-commerce platform for artisans",
             "craft producers"), ("digital trade facilitation", "exporters")],
    "C7.3": [("distance learning platform", "secondary students"), ("tablets in classrooms", "primary schools"),
             ("virtual university network", "university students")],
    "C7.4": [("telemedicine network", "rural clinics"), ("electronic health records", "hospitals"),
             ("mobile maternal health messages", "pregnant women")],
    "C7.5": [("online job matching service", "job seekers"), ("remote work skills programme", "youth"),
             ("digital labour market observatory", "employment services")],
    "C7.6": [("early warning system", "coastal communities"), ("e-waste collection scheme", "municipalities"),
             ("climate data platform", "meteorological services")],
    "C7.7": [("market price SMS service", "smallholder farmers"), ("digital extension services", "farmers"),
             ("precision irrigation sensors", "farming cooperatives")],
    "C7.8": [("research and education network", "universities"), ("open science cloud", "researchers"),
             ("citizen science app", "volunteers")],
    "C8": [("indigenous language content hub", "indigenous peoples"), ("digital heritage archive", "museums"),
           ("local content incubator", "creators")],
    "C9": [("community radio digitisation", "community broadcasters"), ("media literacy programme", "youth"),
           ("public service media online", "audiences")],
    "C10": [("AI ethics guidelines", "public agencies"), ("digital rights education", "students"),
            ("responsible data charter", "NGOs")],
    "C11": [("regional digital cooperation programme", "member states"), ("South-South ICT partnership",
            "partner countries"), ("cross-border fibre initiative", "neighbouring countries")],
}
def _article(noun: str) -> str:
    """"an" before a vowel sound ("an e-waste collection scheme", "an ICT training"), else "a"."""
    word = noun.split()[0]
    if word.lower().startswith(("one", "uni", "use", "eu")):  # "a one-stop portal", "a universal service fund"
        return "a"
    return "an" if word[0].lower() in "aeiou" or word in ("ICT", "SMS") else "a"


ADJECTIVES = ["National", "Inclusive", "Open", "Smart", "Resilient", "Community", "Regional", "Sustainable",
              "Accessible", "Connected"]
ORG_NAMES = ["Digital Development Agency", "ICT Foundation", "Connectivity Trust", "Tech for Good Association",
             "Innovation Hub", "Information Society Institute", "Broadband Cooperative", "e-Skills Centre"]


def _weighted(rng: random.Random, items):
    values, weights = zip(*items, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


class _Catalogue:
    """Reference rows and the Matrix, loaded once, as plain ids for fast generation."""

    def __init__(self, seed: int):
        self.action_lines = list(ActionLine.objects.filter(is_leaf=True).values_list("id", "code"))
        self.al_code = dict(self.action_lines)
        links = defaultdict(lambda: {"goals": set(), "targets": []})
        for al_id, goal_id, target_id in MatrixLink.objects.filter(version__is_current=True).values_list(
            "action_line_id", "goal_id", "target_id"
        ):
            links[al_id]["goals"].add(goal_id)
            if target_id:
                links[al_id]["targets"].append((target_id, goal_id))
        self.links = {al: {"goals": sorted(v["goals"]), "targets": sorted(v["targets"])} for al, v in links.items()}
        self.goals = list(Goal.objects.values_list("id", flat=True))
        self.goal_id = dict(Goal.objects.values_list("number", "id"))
        self.targets = list(Target.objects.values_list("id", "goal_id"))
        countries = list(Country.objects.filter(is_un_member=True).values_list("id", "region_id").order_by("iso3"))
        rng = random.Random(f"{seed}:country-weights")
        # Uneven activity across countries, as in the real registry: some are far more active.
        self.countries = [c for c, _ in countries]
        self.country_weights = [rng.paretovariate(1.2) for _ in countries]
        self.by_region = defaultdict(list)
        for cid, region in countries:
            self.by_region[region].append(cid)
        self.region_of = dict(countries)


def _organisations(ctx: DemoContext, wanted: int) -> list[tuple[int, int]]:
    """(organisation id, country id) of the named demo organisations plus ``wanted`` generated ones."""
    base = ctx.shared.get("organisations")
    if base is None:
        slugs = [slugify(f"{acronym}-{iso3}") for _name, acronym, _type, iso3 in DEMO_ORGANISATIONS]
        base = list(Organisation.objects.filter(slug__in=slugs).order_by("pk"))
    ctx.shared["base_orgs"] = len(base)
    generated = wanted
    existing = Organisation.objects.filter(slug__startswith="demo-org-").count()
    if generated > existing:
        rng = ctx.rng("organisations")
        types = {t.code: t.pk for t in StakeholderType.objects.all()}
        type_choices = [(types[code], w) for code, w in TYPE_WEIGHTS.items()]
        countries = list(Country.objects.filter(is_un_member=True).values_list("id", "name_en").order_by("iso3"))
        rows = []
        for n in range(existing, generated):
            rng.seed(f"{ctx.seed}:org:{n}")
            country_id, country_name = rng.choice(countries)
            rows.append(Organisation(
                name=f"{country_name} {rng.choice(ORG_NAMES)} {n + 1}", slug=f"demo-org-{n + 1}",
                stakeholder_type_id=_weighted(rng, type_choices), country_id=country_id,
            ))
        Organisation.objects.bulk_create(rows, batch_size=BATCH)
        transaction.on_commit(organisation_names_bump)  # new names to search by (search._organisations)
    orgs = [(o.pk, o.country_id) for o in base]
    orgs += list(Organisation.objects.filter(slug__startswith="demo-org-").order_by("pk").values_list("pk", "country_id")
                 [:generated])
    return orgs


def _make(i: int, ctx: DemoContext, cat: _Catalogue, orgs: list[tuple[int, int]], now: dt.datetime):
    """Initiative number ``i``: the row and its tags, all drawn from its own random stream."""
    rng = random.Random(f"{ctx.seed}:initiative:{i}")
    # The pool grows with i (one generated organisation per 50 initiatives), so initiative i never
    # depends on how many initiatives were asked for.
    org_id, org_country = orgs[rng.randrange(min(len(orgs), ctx.shared["base_orgs"] + i // ORGS_PER_INITIATIVE))]
    al_id, al_code = cat.action_lines[rng.randrange(len(cat.action_lines))]
    what, whom = rng.choice(THEMES[al_code])
    year = min(2026, 2005 + int(rng.betavariate(3, 1.3) * 22))
    start = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    status = rng.choices(Initiative.Status.values, weights=[10, 55, 35])[0] if year < 2026 else "planned"
    end = start + dt.timedelta(days=rng.randint(180, 1800)) if status == Initiative.Status.COMPLETED else None
    coverage = rng.choices(Initiative.Coverage.values, weights=[75, 18, 7])[0]
    if coverage == Initiative.Coverage.NATIONAL:
        countries = {org_country if rng.random() < 0.7 else rng.choices(cat.countries, cat.country_weights)[0]}
    elif coverage == Initiative.Coverage.REGIONAL:
        anchor = rng.choices(cat.countries, cat.country_weights)[0]
        neighbours = cat.by_region[cat.region_of[anchor]]
        countries = {anchor, *rng.sample(neighbours, k=min(len(neighbours), rng.randint(1, 5)))}
    else:
        countries = set()
    state = _weighted(rng, STATES)
    title = f"{rng.choice(ADJECTIVES)} {what} for {whom} #{i + 1}"
    summary = (f"{_article(what).capitalize()} {what} that serves {whom}"
               + (f" ({coverage} coverage)" if coverage != "national" else "")
               + f", started in {year}, contributing to WSIS action line {al_code}.")
    description = (f"The initiative develops {_article(what)} {what}. It works with {whom} and partners from government, "
                   f"civil society and the private sector. Activities include needs assessment, deployment, "
                   f"training and monitoring of results, with attention to affordability and accessibility.")
    published_at = None
    if state in (Initiative.State.PUBLISHED, Initiative.State.ARCHIVED):
        published_at = timezone.make_aware(dt.datetime(year, 1, 1)) + dt.timedelta(days=rng.randint(0, 364))
        published_at = min(published_at, now)
    initiative = Initiative(
        title=title, summary=summary, description=description, language="en", organisation_id=org_id,
        kind=_weighted(rng, KINDS), status=status, start_date=start, end_date=end, year=year, coverage=coverage,
        gender_marker=rng.choices([0, 1, 2], weights=[55, 35, 10])[0], state=state, published_at=published_at,
        last_reviewed_at=published_at, website=f"{SITE_PREFIX}{i + 1}.example.org",
        partners="\n".join(rng.sample(ORG_NAMES, k=rng.randint(0, 3))),
    )
    # Tags as a careful submitter chooses them: the primary action line, maybe one or two more; the
    # SDG the subject obviously serves (CORE_GOALS), sometimes a second, rarely a third from the
    # Matrix; a target or two of those goals that the Matrix links to the action line.
    als = [(al_id, True)]
    for extra_id, _code in rng.sample(cat.action_lines, k=rng.choice([0, 0, 0, 1, 1, 2])):
        if extra_id != al_id:
            als.append((extra_id, False))
    linked = cat.links.get(al_id, {"goals": [], "targets": []})
    core = [cat.goal_id[n] for n in CORE_GOALS.get(al_code, [])]
    goals = set(core[:1])
    goals.update(g for g in core[1:] if rng.random() < 0.4)
    others = [g for g in linked["goals"] if g not in goals]
    if others and (not goals or rng.random() < 0.25):
        goals.add(rng.choice(others))
    candidates = [t for t in linked["targets"] if t[1] in goals]
    targets = rng.sample(candidates, k=min(len(candidates), rng.choice([0, 1, 1, 2])))
    if rng.random() < 0.05:  # an off-matrix tag
        target_id, goal_id = rng.choice(cat.targets)
        targets.append((target_id, goal_id))
        goals.add(goal_id)
    # An older entry, registered when the form pre-ticked every Matrix target of the action line and
    # never reviewed since: what the one-off review queue of the data-quality page finds.
    legacy = state == Initiative.State.PUBLISHED and rng.random() < LEGACY_PREFILLED and bool(linked["targets"])
    if legacy:  # every target the Matrix links to any of its action lines, as the old form ticked them
        targets = sorted({t for a, _p in als for t in cat.links.get(a, {"targets": []})["targets"]})
        goals.update(g for _t, g in targets)
        initiative.last_reviewed_at = None
    groups = rng.sample(TargetGroup.values, k=rng.choice([0, 0, 1, 1, 2]))
    tag_info = {"legacy": legacy,
                "confirmed": state in (Initiative.State.PUBLISHED, Initiative.State.ARCHIVED) and not legacy
                and rng.random() < CONFIRMED_SHARE}
    if state == Initiative.State.PUBLISHED and not legacy and not tag_info["confirmed"]:
        initiative.last_reviewed_at = None  # published before moderators confirmed tags
    return initiative, sorted(countries), als, sorted(goals), sorted({t for t, _g in targets}), groups, tag_info


# The SDGs an initiative under each action line obviously serves, first the one it always serves
# (a telehealth project serves SDG 3; the Matrix also links C7.4 to SDG 2, which a careful submitter
# of a telehealth project would not tick).
CORE_GOALS = {
    "C1": [16, 17], "C2": [9, 17], "C3": [16, 4], "C4": [4, 8], "C5": [16, 9], "C6": [16, 9, 17],
    "C7.1": [16, 10], "C7.2": [8, 9], "C7.3": [4, 10], "C7.4": [3, 5], "C7.5": [8, 4], "C7.6": [13, 11, 12],
    "C7.7": [2, 1], "C7.8": [9, 17], "C8": [4, 11], "C9": [16, 4], "C10": [16, 10], "C11": [17, 9],
}
LEGACY_PREFILLED = 0.03  # share of published demo entries tagged by the old pre-ticking form
CONFIRMED_SHARE = 0.8  # share of the other published entries whose tags a moderator confirmed


SITE_PREFIX = "https://initiative-"


def _demo_indices(queryset) -> dict[int, int]:
    """{initiative number: primary key} of the demo initiatives present (the website encodes the number)."""
    found = {}
    for pk, site in queryset.values_list("pk", "website").iterator(chunk_size=BATCH):
        found[int(site[len(SITE_PREFIX):].split(".", 1)[0]) - 1] = pk
    return found


def seed(ctx: DemoContext) -> None:
    wanted = ctx.initiatives
    orgs = _organisations(ctx, wanted // ORGS_PER_INITIATIVE)
    cat = _Catalogue(ctx.seed)
    present = _demo_indices(Initiative.objects.filter(website__startswith=SITE_PREFIX,
                                                      website__endswith=".example.org"))
    surplus = [pk for i, pk in present.items() if i >= wanted]
    kept = 0
    for start in range(0, len(surplus), BATCH):
        batch = surplus[start:start + BATCH]
        try:
            Initiative.objects.filter(pk__in=batch).delete()
        except ProtectedError:  # another app's demo refers to some (a prize entry): keep those, drop the rest
            for pk in batch:
                try:
                    Initiative.objects.filter(pk=pk).delete()
                except ProtectedError:
                    kept += 1
    if surplus:
        ctx.log(f"Stocktaking: removed {len(surplus) - kept:,} demo initiatives beyond {wanted:,}"
                + (f" (kept {kept:,} that other demo data refers to)." if kept else "."))
    missing = [i for i in range(wanted) if i not in present]
    now = timezone.now()
    created = 0
    moderator_id = User.objects.filter(email=demo_email("moderator")).values_list("pk", flat=True).first()
    for start in range(0, len(missing), BATCH):
        chunk = missing[start:start + BATCH]
        with transaction.atomic():
            made = [_make(i, ctx, cat, orgs, now) for i in chunk]
            rows = Initiative.objects.bulk_create([m[0] for m in made], batch_size=BATCH)
            country_rel = Initiative.countries.through
            links, als, goals, targets, groups, revisions = [], [], [], [], [], []
            for row, (_init, countries, al_tags, goal_ids, target_ids, group_codes, info) in zip(
                    rows, made, strict=True):
                links += [country_rel(initiative_id=row.pk, country_id=c) for c in countries]
                provenance = {"added_by_id": None, "confirmed_by_id": None, "confirmed_at": None}
                if info["confirmed"] and moderator_id:
                    provenance.update(confirmed_by_id=moderator_id, confirmed_at=row.published_at)
                target_source = TagSource.MATRIX if info["legacy"] else TagSource.SUBMITTER
                als += [InitiativeActionLine(initiative_id=row.pk, action_line_id=a, is_primary=p,
                                             source=TagSource.SUBMITTER, **provenance) for a, p in al_tags]
                goals += [InitiativeGoal(initiative_id=row.pk, goal_id=g, source=target_source, **provenance)
                          for g in goal_ids]
                targets += [InitiativeTarget(initiative_id=row.pk, target_id=t, source=target_source, **provenance)
                            for t in target_ids]
                groups += [InitiativeTargetGroup(initiative_id=row.pk, group=g) for g in group_codes]
                revisions.append(InitiativeRevision(initiative_id=row.pk, number=1, state=row.state,
                                                    reason="Imported demo entry", data={"title": row.title}))
            country_rel.objects.bulk_create(links, batch_size=BATCH)
            InitiativeActionLine.objects.bulk_create(als, batch_size=BATCH)
            InitiativeGoal.objects.bulk_create(goals, batch_size=BATCH)
            InitiativeTarget.objects.bulk_create(targets, batch_size=BATCH)
            InitiativeTargetGroup.objects.bulk_create(groups, batch_size=BATCH)
            InitiativeRevision.objects.bulk_create(revisions, batch_size=BATCH)
            ids = [r.pk for r in rows]
            initiative_derived_refresh(ids=ids)
        created += len(chunk)
        if len(missing) > BATCH:
            ctx.log(f"Stocktaking: {created:,} / {len(missing):,} initiatives written…")
    translated = seed_translations()
    if translated:
        ctx.log(f"Stocktaking: {translated} translations of demo titles and summaries.")
    if connection.vendor == "postgresql" and created > 50_000:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ctx.log(f"Stocktaking: {wanted:,} demo initiatives ({created:,} new) across {len(orgs):,} organisations.")
