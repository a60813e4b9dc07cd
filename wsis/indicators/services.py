"""Writes to the indicators app: importing observations (all or nothing) and loading the shipped catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.core.permissions import is_secretariat
from wsis.core.services import audit_record
from wsis.taxonomy.models import Indicator as SDGIndicator
from wsis.taxonomy.models import WSISTarget

from .entities import EntityResolver
from .importers import ImportFileError, ImportPlan, RowError, read_rows, select_series, validate_rows
from .models import Indicator, Observation, WSISTargetIndicator

__all__ = [
    "DATA_DIR",
    "ImportFailed",
    "ImportResult",
    "LoadResult",
    "observations_import",
    "merge_plans",
    "indicators_load_reference",
    "CatalogueError",
    "IMPORT_NOT_ALLOWED",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_PATH = DATA_DIR / "catalogue.yaml"
TARGETS_PATH = DATA_DIR / "wsis_targets.yaml"

IMPORT_FAILED = _("Nothing was imported: the file has errors.")
IMPORT_NOT_ALLOWED = _("Only the WSIS secretariat can import indicator data.")


class ImportFailed(Exception):
    """Validation found errors; nothing was written. ``errors`` names each row, column and value."""

    def __init__(self, errors: list[RowError], *, file_error: str = ""):
        self.errors = errors
        self.file_error = file_error
        super().__init__(file_error or f"{len(errors)} error(s); first: {errors[0] if errors else ''}")


class CatalogueError(Exception):
    """A shipped data file (catalogue.yaml, wsis_targets.yaml) is malformed."""


@dataclass
class ImportResult:
    """What an import wrote and what it skipped (and why)."""

    indicator: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    country_rows: int = 0
    aggregate_rows: int = 0
    missing_values: int = 0
    other_series: int = 0
    skipped: list[RowError] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated


def _write(indicator: Indicator, plan: ImportPlan, *, source: str, replace_series: bool = False) -> tuple[int, int, int]:
    """Upsert the plan's rows by their natural key; returns (created, updated, unchanged).

    ``replace_series`` (the shipped data): a series the plan holds (a place and disaggregation) is
    replaced whole, so years a newer vintage no longer has are deleted rather than left behind.

    Existing rows are read as tuples, not model instances: a reload of the shipped series compares
    some 43,000 rows and building objects for them would be most of its time.
    """
    fields = ("value", "note", "source", "group_name")
    existing = {}
    for pk, country_id, group_code, year, sex, area, age, *current in Observation.objects.filter(
            indicator=indicator).values_list("id", "country_id", "group_code", "year", "sex", "area", "age", *fields):
        where = ("c", country_id) if country_id else ("g", group_code)
        existing[(*where, year, sex, area, age)] = (pk, tuple(current))
    to_create, to_update = [], []
    unchanged = 0
    for row in plan.rows:
        values = {
            "value": row.value, "note": row.note, "source": row.source or source,
            "group_name": row.resolved.group_name if row.resolved.kind == "aggregate" else "",
        }
        found = existing.get(row.key())
        if found is None:
            to_create.append(Observation(
                indicator=indicator, country=row.resolved.country,
                group_code=row.resolved.group_code if row.resolved.kind == "aggregate" else "",
                year=row.year, sex=row.sex, area=row.area, age=row.age, **values,
            ))
        elif found[1] != tuple(values[f] for f in fields):
            to_update.append(Observation(pk=found[0], **values))
        else:
            unchanged += 1
    if replace_series:
        wanted = {row.key() for row in plan.rows}
        series = {key[:2] + key[3:] for key in wanted}
        stale = [pk for key, (pk, _current) in existing.items() if key not in wanted and key[:2] + key[3:] in series]
        for start in range(0, len(stale), 2000):
            Observation.objects.filter(pk__in=stale[start:start + 2000]).delete()
    Observation.objects.bulk_create(to_create, batch_size=2000)
    Observation.objects.bulk_update(to_update, list(fields), batch_size=2000)
    return len(to_create), len(to_update), unchanged


def _plan(*, indicator: Indicator, data, fmt: str, skip_unknown: bool = False, columns=None, series: str = "",
          dims: dict | None = None, resolver: EntityResolver | None = None,
          exclude_lines: dict[int, str] | None = None) -> ImportPlan:
    """Read and validate a file; raises :class:`ImportFailed` with every row error."""
    try:
        raw, other_series = select_series(read_rows(data, fmt, columns=columns, dims=dims),
                                          indicator_code=indicator.code, series=series)
    except ImportFileError as exc:
        raise ImportFailed([], file_error=str(exc)) from exc
    plan = validate_rows(raw, indicator=indicator, resolver=resolver, skip_unknown=skip_unknown,
                         exclude_lines=exclude_lines)
    plan.other_series = other_series
    if not plan.ok:
        raise ImportFailed(plan.errors)
    if not plan.rows:
        raise ImportFailed([], file_error=f"The file holds no values for {indicator.code}.")
    return plan


def _write_plan(*, indicator: Indicator, plan: ImportPlan, fmt: str, actor, source: str,
                replace_series: bool = False) -> ImportResult:
    created, updated, unchanged = _write(indicator, plan, source=source or indicator.source[:300],
                                         replace_series=replace_series)
    result = ImportResult(
        indicator=indicator.code, created=created, updated=updated, unchanged=unchanged,
        country_rows=plan.country_rows, aggregate_rows=plan.aggregate_rows,
        missing_values=plan.missing_values, other_series=plan.other_series, skipped=plan.skipped,
    )
    if result.changed:
        audit_record(
            actor=actor, action="indicators.observation.import", target=indicator,
            summary=f"{fmt} import: {created} created, {updated} updated, {unchanged} unchanged",
            data={"format": fmt, "created": created, "updated": updated, "skipped": len(plan.skipped)},
        )
    return result


def observations_import(*, indicator: Indicator, data: bytes | str | Path, fmt: str, actor=None,
                        skip_unknown: bool = False, columns: dict[str, dict] | None = None, series: str = "",
                        source: str = "", resolver: EntityResolver | None = None,
                        exclude_lines: dict[int, str] | None = None, dims: dict | None = None) -> ImportResult:
    """Validate every row of a file, then write all of it in one transaction — or nothing.

    Raises :class:`ImportFailed` with every row error (row, column, value, message). Unknown
    countries are errors unless ``skip_unknown``, in which case each is listed in ``skipped``.
    Aggregates published by the source (World, income groups…) are stored as aggregates.
    ``actor`` None is the system (management commands, the shipped data); a user must be the
    secretariat. ``dims`` (``{"sex": "female"}``) gives the disaggregation of a whole ``tidy`` file.
    """
    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied(IMPORT_NOT_ALLOWED)
    plan = _plan(indicator=indicator, data=data, fmt=fmt, skip_unknown=skip_unknown, columns=columns,
                 series=series, dims=dims, resolver=resolver, exclude_lines=exclude_lines)
    with transaction.atomic():
        return _write_plan(indicator=indicator, plan=plan, fmt=fmt, actor=actor, source=source)


def merge_plans(plans: list[ImportPlan]) -> ImportPlan:
    """One plan from several files of the same indicator, the later file taking precedence *by series*.

    A series is one place (country or published aggregate) and disaggregation. When a later file (a
    newer vintage) has any value of a series, its values replace the earlier file's whole series, so
    that a country's line never alternates between two vintages (revisions would show as jumps).
    Series only the earlier file has (aggregates it publishes, countries the newer one lacks) stay.
    """
    merged = ImportPlan()
    owner: dict[tuple, int] = {}
    for index, plan in enumerate(plans):
        for row in plan.rows:
            owner[row.key()[:2] + row.key()[3:]] = index
    for index, plan in enumerate(plans):
        merged.rows.extend(r for r in plan.rows if owner[r.key()[:2] + r.key()[3:]] == index)
        merged.skipped.extend(plan.skipped)
        merged.missing_values += plan.missing_values
        merged.other_series += plan.other_series
    return merged


# ------------------------------------------------------------------------------- the shipped catalogue

@dataclass
class LoadResult:
    """What ``load_indicators`` did: indicators created/updated and one import result per file."""

    indicators_created: int = 0
    indicators_updated: int = 0
    imports: list[tuple[str, ImportResult]] = field(default_factory=list)
    target_links: int = 0

    @property
    def changed(self) -> int:
        return self.indicators_created + self.indicators_updated + sum(r.changed for _, r in self.imports)


def _read_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path.name}: {exc}") from exc


def _indicator_values(item: dict, sdg: dict[str, SDGIndicator]) -> dict:
    code = item.get("code")
    if not code:
        raise CatalogueError(f"catalogue.yaml: an indicator has no code: {item!r}")
    names = item.get("names") or {}
    if not names.get("en"):
        raise CatalogueError(f"catalogue.yaml: {code} has no English name")
    sdg_code = str(item.get("sdg_indicator") or "")
    if sdg_code and sdg_code not in sdg:
        raise CatalogueError(f"catalogue.yaml: {code}: SDG indicator {sdg_code} is not in the taxonomy")
    if item.get("unit") not in Indicator.Unit.values:
        raise CatalogueError(f"catalogue.yaml: {code}: unit must be one of {', '.join(Indicator.Unit.values)}")
    values = {f"name_{suffix}": names.get(lang, "") for lang, suffix in LANGUAGE_SUFFIXES.items()}
    descriptions = item.get("descriptions") or {}
    if set(descriptions) - set(LANGUAGE_SUFFIXES) - {"en"}:
        raise CatalogueError(f"catalogue.yaml: {code}: unknown description language(s) "
                             f"{sorted(set(descriptions) - set(LANGUAGE_SUFFIXES))}")
    values.update({f"description_{suffix}": str(descriptions.get(lang) or "").strip()
                   for lang, suffix in LANGUAGE_SUFFIXES.items() if lang != "en"})
    values.update({
        "unit": item["unit"], "aggregation": item.get("aggregation", Indicator.Aggregation.SHARE),
        "higher_is_better": bool(item.get("higher_is_better", True)), "sdg_indicator": sdg.get(sdg_code),
        "description_en": (item.get("description") or "").strip(), "source": (item.get("source") or "").strip(),
        "vintage": (item.get("vintage") or "").strip(),
        "licence": item.get("licence", ""), "source_url": item.get("source_url", ""),
        "order": int(item.get("order", 0)),
    })
    return values


@transaction.atomic
def indicators_load_reference(*, data_dir: Path = DATA_DIR, actor=None) -> LoadResult:
    """Create or update the catalogue and import every shipped file: idempotent, all or nothing.

    A file error anywhere raises :class:`ImportFailed` (naming the file) and rolls everything back.
    Entities the source publishes that are not in UN M49 (listed in ``entities.yaml``) are skipped
    and reported; unknown ones fail the load, as in a manual import.
    """
    catalogue = _read_yaml(data_dir / "catalogue.yaml")
    sdg = {i.code: i for i in SDGIndicator.objects.all()}
    result = LoadResult()
    resolver = EntityResolver()
    indicators = {}
    for item in catalogue.get("indicators") or []:
        values = _indicator_values(item, sdg)
        indicator = Indicator.objects.filter(code=item["code"]).first()
        if indicator is None:
            indicator = Indicator(code=item["code"], **values)
            try:
                indicator.full_clean()
            except ValidationError as exc:
                raise CatalogueError(f"catalogue.yaml: {item['code']}: {exc}") from exc
            indicator.save()
            result.indicators_created += 1
            audit_record(actor=actor, action="indicators.indicator.create", target=indicator,
                         summary=f"Loaded {indicator.code} from the shipped catalogue")
        else:
            changed = [k for k, v in values.items() if getattr(indicator, k) != v]
            if changed:
                for k in changed:
                    setattr(indicator, k, values[k])
                indicator.full_clean()
                indicator.save(update_fields=[*changed, "updated_at"])
                result.indicators_updated += 1
                audit_record(actor=actor, action="indicators.indicator.update", target=indicator,
                             summary=f"Updated {', '.join(changed)} from the shipped catalogue")
        indicators[indicator.code] = indicator
        plans = []
        for spec in item.get("files") or []:
            path = data_dir / spec["path"]
            try:
                plan = _plan(
                    indicator=indicator, data=path, fmt=spec.get("format", "owid"),
                    columns=spec.get("columns"), dims=spec.get("dims"), resolver=resolver,
                    exclude_lines={int(k): str(v) for k, v in (spec.get("exclude_lines") or {}).items()},
                )
            except ImportFailed as exc:
                first = exc.file_error or "; ".join(str(e) for e in exc.errors[:5])
                raise ImportFailed(exc.errors, file_error=f"{spec['path']}: {first}") from exc
            file_source = str(spec.get("source") or "")[:300]
            for row in plan.rows:
                row.source = row.source or file_source
            plans.append((spec, plan))
        if plans:
            merged = merge_plans([plan for _spec, plan in plans])
            outcome = _write_plan(indicator=indicator, plan=merged, fmt="+".join(
                sorted({spec.get("format", "owid") for spec, _p in plans})), actor=actor, source="", replace_series=True)
            result.imports.append((" + ".join(spec["path"] for spec, _p in plans), outcome))
    result.target_links = _load_target_links(data_dir / "wsis_targets.yaml", indicators)
    return result


def _load_target_links(path: Path, indicators: dict[str, Indicator]) -> int:
    if not path.exists():
        return 0
    doc = _read_yaml(path)
    targets = {t.number: t for t in WSISTarget.objects.all()}
    wanted = set()
    for item in doc.get("links") or []:
        number, code = item.get("target"), item.get("indicator")
        if number not in targets:
            raise CatalogueError(f"wsis_targets.yaml: WSIS target {number!r} does not exist")
        indicator = indicators.get(code) or Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise CatalogueError(f"wsis_targets.yaml: indicator {code!r} is not in the catalogue")
        values = {"threshold": item.get("threshold"), "scope": item.get("scope", WSISTargetIndicator.Scope.WORLD),
                  "note": (item.get("note") or "").strip()}
        link, created = WSISTargetIndicator.objects.get_or_create(
            wsis_target=targets[number], indicator=indicator, defaults=values)
        if not created and any(getattr(link, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(link, k, v)
            link.save()
        wanted.add(link.pk)
    WSISTargetIndicator.objects.exclude(pk__in=wanted).delete()
    return len(wanted)
