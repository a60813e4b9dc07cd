"""Writes to the taxonomy: loading the reference data (idempotently, all or nothing)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.core.events import COUNTRY_GROUPS_CHANGED, REFERENCE_DATA_RELOADED, emit
from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.core.permissions import is_facilitator_of
from wsis.core.services import audit_record

from .models import (
    ActionLine,
    ActionLineFacilitator,
    Agency,
    CommissionMembership,
    Country,
    CountryGroup,
    Goal,
    HLPFSession,
    Indicator,
    MatrixLink,
    MatrixVersion,
    Provenance,
    Region,
    RegionalCommission,
    StakeholderType,
    Target,
    WSISTarget,
)
from .names import vocabulary_clear
from .provenance import provenance_sync
from .reference import DATA_DIR, ReferenceData, parse_all
from .selectors import reference_codes_forget

__all__ = ["LoadReport", "reference_load"]


@dataclass
class LoadReport:
    """What a load changed, per model: created, updated, unchanged and deleted rows."""

    counts: dict[str, Counter] = field(default_factory=dict)
    # "app_label.Model.field" of every field whose stored values changed (derived data reads these).
    fields_changed: set[str] = field(default_factory=set)

    def add(self, model: type[models.Model], outcome: str, n: int = 1) -> None:
        self.counts.setdefault(str(model._meta.verbose_name_plural).capitalize(), Counter())[outcome] += n

    def touch(self, model: type[models.Model], names: list[str] | None = None) -> None:
        """Record that ``names`` (attribute names; every field when None) of ``model`` changed."""
        by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
        for name in by_attname.values() if names is None else names:
            self.fields_changed.add(f"{model._meta.label}.{by_attname.get(name, name)}")

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] + c["deleted"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            + (f", {c['deleted']} deleted" if c["deleted"] else "")
            for name, c in self.counts.items()
        ]


def _columns(base: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{base}_{suffix}": texts.get(lang, "") for lang, suffix in LANGUAGE_SUFFIXES.items()}


def _sync(report: LoadReport, model: type[models.Model], key: str, rows: list[dict]) -> dict:
    """Create or update ``rows`` of ``model`` matched on ``key``; return ``{key: instance}``."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    result = {}
    for values in rows:
        obj = existing.get(values[key])
        if obj is None:
            obj = model(**values)
            obj.save()
            report.add(model, "created")
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                obj.save(update_fields=[*changed, "updated_at"])
                report.add(model, "updated")
                report.touch(model, changed)
            else:
                report.add(model, "unchanged")
        result[values[key]] = obj
    return result


def _sync_rows(report: LoadReport, model: type[models.Model], queryset: models.QuerySet,
               wanted: dict[tuple, dict], key_fields: tuple[str, ...], **extra) -> None:
    """Make ``queryset`` hold exactly the ``wanted`` rows (keyed by ``key_fields``), updating the rest."""
    current = {tuple(getattr(obj, f) for f in key_fields): obj for obj in queryset}
    for key, values in wanted.items():
        obj = current.pop(key, None)
        if obj is None:
            model.objects.create(**dict(zip(key_fields, key, strict=True)), **values, **extra)
            report.add(model, "created")
            report.touch(model)
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
            report.add(model, "updated")
            report.touch(model)
        else:
            report.add(model, "unchanged")
    if current:
        model.objects.filter(pk__in=[obj.pk for obj in current.values()]).delete()
        report.add(model, "deleted", len(current))
        report.touch(model)


def _sync_m2m(report: LoadReport, relation, wanted_ids: set[int], model: type[models.Model]) -> None:
    current = set(relation.values_list("pk", flat=True))
    if current == wanted_ids:
        report.add(model, "unchanged")
        return
    relation.set(wanted_ids)
    report.add(model, "updated")
    report.touch(relation.through)


@transaction.atomic
def reference_load(*, data: ReferenceData | None = None) -> LoadReport:
    """Load every reference file into the database. Idempotent; all or nothing.

    Parsing (and so validation) of every file happens before the first write: a malformed file
    raises ``ReferenceDataError`` and the transaction leaves the database untouched.
    """
    data = data or parse_all(DATA_DIR)
    report = LoadReport()
    groups_before = _country_groups()

    agencies = _sync(report, Agency, "code", [
        {"code": a["code"], "url": a["url"], **_columns("name", a["names"])} for a in data.agencies
    ])
    _sync(report, StakeholderType, "code", [
        {"code": s["code"], "order": s["order"], **_columns("name", s["names"])} for s in data.stakeholder_types
    ])

    action_lines: dict[str, ActionLine] = {}
    for al in data.action_lines:  # parents come first in the file, so their ids exist
        parent = action_lines.get(al["parent"]) if al["parent"] else None
        action_lines.update(_sync(report, ActionLine, "code", [{
            "code": al["code"], "slug": al["slug"], "order": al["order"], "is_leaf": al["is_leaf"],
            "parent_id": parent.pk if parent else None, "plan_of_action": al["plan_of_action"],
            **_columns("name", al["names"]), **_columns("short_name", al["short_names"]),
        }]))
    wanted_roles = {
        (action_lines[al["code"]].pk, agencies[code].pk): {"role": role}
        for al in data.action_lines for code, role in al["facilitators"].items()
    }
    _sync_rows(report, ActionLineFacilitator, ActionLineFacilitator.objects.all(), wanted_roles,
               ("action_line_id", "agency_id"))

    goals = _sync(report, Goal, "number", [
        {"number": g["number"], "colour": g["colour"], **_columns("title", g["titles"]),
         **_columns("short_name", g["short_names"])} for g in data.goals
    ])
    targets = _sync(report, Target, "code", [
        {"code": t["code"], "goal_id": goals[t["goal"]].pk, "order": t["order"], **_columns("title", t["titles"])}
        for t in data.targets
    ])
    _sync(report, Indicator, "code", [
        {"code": i["code"], "target_id": targets[i["target"]].pk, "order": i["order"], **_columns("title", i["titles"])}
        for i in data.indicators
    ])

    version, created = MatrixVersion.objects.get_or_create(
        code=data.matrix_version,
        defaults={
            "description": "WSIS–SDG Matrix as transcribed with the WSIS Secretariat (2017–2019).",
            "source": "uwidcit/WSIS-SDG-Matrix @09aad16 (src/assets/data/en/actions.json)",
            "is_current": not MatrixVersion.objects.filter(is_current=True).exists(),
        },
    )
    report.add(MatrixVersion, "created" if created else "unchanged")
    wanted_links = {
        (action_lines[link["action_line"]].pk, goals[link["goal"]].pk,
         targets[link["target"]].pk if link["target"] else None): {
            "rationale": link["rationale"],
            **{f"rationale_{LANGUAGE_SUFFIXES[lang]}": text for lang, text in link.get("texts", {}).items()}}
        for link in data.matrix_links
    }
    _sync_rows(report, MatrixLink, MatrixLink.objects.filter(version=version).order_by(), wanted_links,
               ("action_line_id", "goal_id", "target_id"), version=version)
    links_by_key = {(row.action_line_id, row.goal_id, row.target_id): row
                    for row in MatrixLink.objects.filter(version=version)}

    regions: dict[str, Region] = {}
    for level in ("region", "sub_region", "intermediate"):
        rows = [r for r in data.regions if r["level"] == level]
        regions.update(_sync(report, Region, "m49", [
            {"m49": r["m49"], "level": r["level"], "parent_id": regions[r["parent"]].pk if r["parent"] else None,
             **_columns("name", r["names"])} for r in rows
        ]))

    group_members = {g["code"]: set(g["members"]) for g in data.groups}
    countries = _sync(report, Country, "iso3", [
        {
            "iso3": c["iso3"], "m49": c["m49"], "iso2": c["iso2"], "is_un_member": c["is_un_member"],
            "region_id": regions[c["region"]].pk if c["region"] else None,
            "sub_region_id": regions[c["sub_region"]].pk if c["sub_region"] else None,
            "intermediate_region_id": regions[c["intermediate_region"]].pk if c["intermediate_region"] else None,
            "ldc": c["iso3"] in group_members["LDC"], "lldc": c["iso3"] in group_members["LLDC"],
            "sids": c["iso3"] in group_members["SIDS"], **_columns("name", c["names"]),
        }
        for c in data.countries
    ])

    commissions = _sync(report, RegionalCommission, "code", [
        {"code": rc["code"], "website": rc["website"], "source": rc["source"], "as_of": rc["as_of"],
         **_columns("name", rc["names"])} for rc in data.commissions
    ])
    wanted_memberships = {}
    for rc in data.commissions:
        for kind, key in ((CommissionMembership.Kind.MEMBER, "members"), (CommissionMembership.Kind.ASSOCIATE,
                                                                          "associate_members")):
            for iso3 in rc[key]:
                wanted_memberships[(commissions[rc["code"]].pk, countries[iso3].pk)] = {"kind": kind.value}
    _sync_rows(report, CommissionMembership, CommissionMembership.objects.all(), wanted_memberships,
               ("commission_id", "country_id"))

    groups = _sync(report, CountryGroup, "code", [
        {"code": g["code"], "source": g["source"], "as_of": g["as_of"], **_columns("name", g["names"])}
        for g in data.groups
    ])
    for g in data.groups:
        _sync_m2m(report, groups[g["code"]].members, {countries[iso3].pk for iso3 in g["members"]}, CountryGroup)

    sessions = _sync(report, HLPFSession, "year", [
        {"year": h["year"], "dates": h["dates"], **_columns("theme", h["themes"])} for h in data.hlpf
    ])
    for h in data.hlpf:
        _sync_m2m(report, sessions[h["year"]].goals, {goals[n].pk for n in h["sdgs"]}, HLPFSession)

    wsis_targets = _sync(report, WSISTarget, "number", [
        {"number": t["number"], **_columns("text", t["texts"])} for t in data.wsis_targets
    ])

    wanted = {}
    for rows, objects, key in ((data.action_lines, action_lines, "code"), (data.groups, groups, "code"),
                               (data.commissions, commissions, "code"), (data.hlpf, sessions, "year"),
                               (data.wsis_targets, wsis_targets, "number")):
        for row in rows:
            for (fact, lang), values in row["provenance"].items():
                wanted[(objects[row[key]], fact, lang)] = values
    for (fact, lang), values in data.matrix_provenance.items():
        wanted[(version, fact, lang)] = values
    for link in data.matrix_links:
        row = links_by_key[(action_lines[link["action_line"]].pk, goals[link["goal"]].pk,
                            targets[link["target"]].pk if link["target"] else None)]
        for (fact, lang), values in link.get("provenance", {}).items():
            wanted[(row, fact, lang)] = values
    counts = provenance_sync([ActionLine, CountryGroup, RegionalCommission, HLPFSession, WSISTarget, MatrixVersion,
                              MatrixLink], wanted)
    for outcome in ("created", "updated", "unchanged", "deleted"):
        report.add(Provenance, outcome, counts[outcome])
    report.add(Provenance, "unchanged", counts["kept"])

    # Derived data (search tokens…) follow in this transaction; see wsis/core/events.py.
    groups_after = _country_groups()
    moved = sorted(pk for pk, state in groups_after.items() if groups_before.get(pk, state) != state)
    if moved:
        emit(COUNTRY_GROUPS_CHANGED, country_ids=moved)
    if report.fields_changed:
        emit(REFERENCE_DATA_RELOADED, fields=frozenset(report.fields_changed))
        transaction.on_commit(vocabulary_clear)  # the names search matches (names.py)
    transaction.on_commit(reference_codes_forget)  # the codes filter parameters are checked against
    return report


def _country_groups() -> dict[int, tuple]:
    """Each country's region, commissions and LDC / LLDC / SIDS flags: what its groups are."""
    commissions: dict[int, set[int]] = {}
    for country_id, commission_id in CommissionMembership.objects.values_list("country_id", "commission_id"):
        commissions.setdefault(country_id, set()).add(commission_id)
    return {
        pk: (*rest, frozenset(commissions.get(pk, ())))
        for pk, *rest in Country.objects.values_list(
            "pk", "region_id", "sub_region_id", "intermediate_region_id", "ldc", "lldc", "sids")
    }


# ---------------------------------------------------------------------------------------------
# Editing the WSIS–SDG Matrix. Facilitators edit the links of their own action lines; every edit
# makes a new MatrixVersion (a copy of the current links with the change applied) and marks it
# current, so old versions stay readable and each change has its audit row.

MATRIX_EDIT_FORBIDDEN = _("Only a facilitator of this action line or the secretariat can edit its Matrix links.")
MATRIX_NOT_LEAF = _("Matrix links attach to one of the 18 action-line units, not to a group of them.")
MATRIX_TARGET_GOAL = _("The target %(target)s belongs to SDG %(goal)s, not to SDG %(chosen)s.")
MATRIX_DUPLICATE = _("The current Matrix already has this link.")
MATRIX_NOT_CURRENT = _("This link is not in the current Matrix version; reload the page and try again.")
MATRIX_NO_VERSION = _("There is no Matrix version to edit; load the reference data first.")


def _matrix_check(actor, action_line: ActionLine) -> None:
    if not is_facilitator_of(actor, action_line):
        raise PermissionDenied(MATRIX_EDIT_FORBIDDEN)
    if not action_line.is_leaf:
        raise ValidationError({"action_line": MATRIX_NOT_LEAF})


def _matrix_fork(*, actor, summary: str) -> tuple[MatrixVersion, MatrixVersion]:
    """Lock the current version, copy it into a new current version and return (old, new)."""
    current = MatrixVersion.objects.select_for_update().filter(is_current=True).first()
    if current is None:
        current = MatrixVersion.objects.select_for_update().order_by("-created_at", "-id").first()
    if current is None:
        raise ValidationError(MATRIX_NO_VERSION)
    stamp = timezone.now().strftime("%Y-%m-%d")
    n = MatrixVersion.objects.filter(code__startswith=f"{stamp}.").count() + 1
    while MatrixVersion.objects.filter(code=f"{stamp}.{n}").exists():
        n += 1
    new = MatrixVersion(code=f"{stamp}.{n}", description=summary[:2000],
                        source=f"Edited from {current.code} by {getattr(actor, 'email', '') or 'system'}"[:500])
    new.full_clean()
    MatrixVersion.objects.filter(pk=current.pk).update(is_current=False)
    new.is_current = True
    new.save()
    old_links = list(MatrixLink.objects.filter(version=current).order_by("pk"))
    new_links = MatrixLink.objects.bulk_create([
        MatrixLink(version=new, action_line_id=link.action_line_id, goal_id=link.goal_id, target_id=link.target_id,
                   rationale=link.rationale, **{c: getattr(link, c) for c in MatrixLink.TRANSLATION_COLUMNS})
        for link in old_links
    ])
    _matrix_provenance_fork(current, new, actor)
    _link_provenance_copy(old_links, [link.pk for link in new_links] if all(link.pk for link in new_links)
                          else list(MatrixLink.objects.filter(version=new).order_by("pk").values_list("pk", flat=True)))
    return current, new


def _link_provenance_copy(old_links: list[MatrixLink], new_pks: list[int]) -> None:
    """The links copied into a new version keep the provenance of their translated rationales."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(MatrixLink)
    new_pk = {link.pk: pk for link, pk in zip(old_links, new_pks, strict=True)}
    Provenance.objects.bulk_create([
        Provenance(content_type=ct, object_id=new_pk[row.object_id], field=row.field, language=row.language,
                   status=row.status, source=row.source, checked_on=row.checked_on, note=row.note)
        for row in Provenance.objects.filter(content_type=ct, object_id__in=list(new_pk))
    ])


def _matrix_provenance_fork(old: MatrixVersion, new: MatrixVersion, actor) -> None:
    """A version made by an edit states where it comes from: the edit on this platform, and the version it edits."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(MatrixVersion)
    before = Provenance.objects.filter(content_type=ct, object_id=old.pk, field="links", language="").first()
    Provenance.objects.create(
        content_type=ct, object_id=new.pk, field="links", language="",
        status=before.status if before else Provenance.Status.UNVERIFIED,
        source=f"This platform: Matrix version {new.code}, edited from {old.code} by "
               f"{getattr(actor, 'email', '') or 'system'}"[:500],
        checked_on=timezone.localdate(),
        note=(f"Links not changed by the edit keep the provenance of {old.code}: {before.source}" if before
              else "")[:500],
    )


def _matrix_audit(*, actor, action: str, old: MatrixVersion, new: MatrixVersion, summary: str, data: dict) -> None:
    audit_record(actor=actor, action=action, target=new, summary=summary,
                 data={"previous_version": old.code, "version": new.code, **data})


def _link_key(action_line, goal, target) -> dict:
    return {"action_line": action_line.code, "goal": goal.number, "target": target.code if target else None}


@transaction.atomic
def matrix_link_add(*, actor, action_line: ActionLine, goal: Goal, target: Target | None = None,
                    rationale: str = "", reason: str = "") -> MatrixVersion:
    """Add a link (to a goal, or to one of its targets) in a new current Matrix version."""
    _matrix_check(actor, action_line)
    if target is not None and target.goal_id != goal.pk:
        raise ValidationError({"target": MATRIX_TARGET_GOAL % {
            "target": target.code, "goal": target.goal.number, "chosen": goal.number}})
    current = matrix_version_current_locked()
    if MatrixLink.objects.filter(version=current, action_line=action_line, goal=goal, target=target).exists():
        raise ValidationError(MATRIX_DUPLICATE)
    label = f"{action_line.code} → {target.code if target else f'SDG {goal.number}'}"
    old, new = _matrix_fork(actor=actor, summary=f"Added {label}. {reason}".strip())
    link = MatrixLink(version=new, action_line=action_line, goal=goal, target=target, rationale=rationale)
    link.full_clean()
    link.save()
    _matrix_audit(actor=actor, action="taxonomy.matrix_link.add", old=old, new=new,
                  summary=f"Matrix link added: {label}", data={**_link_key(action_line, goal, target),
                                                                "reason": reason})
    return new


def matrix_version_current_locked() -> MatrixVersion:
    version = MatrixVersion.objects.select_for_update().filter(is_current=True).first()
    if version is None:
        raise ValidationError(MATRIX_NO_VERSION)
    return version


def _current_link(link: MatrixLink) -> MatrixLink:
    current = matrix_version_current_locked()
    if link.version_id != current.pk:
        raise ValidationError(MATRIX_NOT_CURRENT)
    return link


def _same_link(new: MatrixVersion, link: MatrixLink):
    return MatrixLink.objects.filter(version=new, action_line_id=link.action_line_id, goal_id=link.goal_id,
                                     target_id=link.target_id)


@transaction.atomic
def matrix_link_update(*, actor, link: MatrixLink, rationale: str, reason: str = "") -> MatrixVersion:
    """Change a link's rationale in a new current Matrix version."""
    _matrix_check(actor, link.action_line)
    _current_link(link)
    label = f"{link.action_line.code} → {link.target.code if link.target else f'SDG {link.goal.number}'}"
    old, new = _matrix_fork(actor=actor, summary=f"Rationale of {label} revised. {reason}".strip())
    # The translations said what the old English text said: the new text shows in English until translated again.
    _same_link(new, link).update(rationale=rationale, **dict.fromkeys(MatrixLink.TRANSLATION_COLUMNS, ""))
    from django.contrib.contenttypes.models import ContentType

    Provenance.objects.filter(content_type=ContentType.objects.get_for_model(MatrixLink), field="rationale",
                              object_id__in=_same_link(new, link).values("pk")).delete()
    _matrix_audit(actor=actor, action="taxonomy.matrix_link.update", old=old, new=new,
                  summary=f"Matrix link revised: {label}",
                  data={**_link_key(link.action_line, link.goal, link.target), "reason": reason,
                        "rationale_before": link.rationale, "rationale": rationale})
    return new


@transaction.atomic
def matrix_link_remove(*, actor, link: MatrixLink, reason: str = "") -> MatrixVersion:
    """Remove a link in a new current Matrix version (the old version keeps it)."""
    _matrix_check(actor, link.action_line)
    _current_link(link)
    label = f"{link.action_line.code} → {link.target.code if link.target else f'SDG {link.goal.number}'}"
    old, new = _matrix_fork(actor=actor, summary=f"Removed {label}. {reason}".strip())
    _same_link(new, link).delete()
    _matrix_audit(actor=actor, action="taxonomy.matrix_link.remove", old=old, new=new,
                  summary=f"Matrix link removed: {label}",
                  data={**_link_key(link.action_line, link.goal, link.target), "reason": reason})
    return new


__all__ += ["matrix_link_add", "matrix_link_update", "matrix_link_remove", "MATRIX_EDIT_FORBIDDEN"]
