"""Which country — or which published aggregate — an entity name or code in an imported file means.

Sources spell countries their own way ("Cape Verde", "Democratic Republic of Congo", a blank code
for "Syrian Arab Republic") and mix in aggregates ("World", "High-income countries", "Sub-Saharan
Africa (WB)"). :class:`EntityResolver` turns each (name, code) pair into a :class:`Resolved`: a
country, an aggregate, an excluded entity (known, deliberately not loaded) or unknown — never a
silent guess. The rules and lists live in ``data/entities.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.text import slugify

from wsis.core.i18n import LANGUAGE_SUFFIXES
from wsis.taxonomy.models import Country, Region

__all__ = ["EntityResolver", "Resolved", "ENTITIES_PATH", "normalise"]

ENTITIES_PATH = Path(__file__).resolve().parent / "data" / "entities.yaml"


def normalise(text: str) -> str:
    """Case-, accent-, hyphen- and space-insensitive key for a name (trailing tabs in the sources included)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s\-‐–]+", " ", text).strip().casefold()


@dataclass(frozen=True)
class Resolved:
    """The outcome of resolving one entity."""

    kind: str  # "country" | "aggregate" | "excluded" | "unknown"
    country: Country | None = None
    group_code: str = ""
    group_name: str = ""
    reason: str = ""


@lru_cache(maxsize=1)
def _rules() -> dict:
    with ENTITIES_PATH.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {
        "aliases": {normalise(k): v for k, v in (data.get("aliases") or {}).items()},
        "excluded": {normalise(k): v for k, v in (data.get("excluded") or {}).items()},
        "aggregates": {normalise(k): (v or "") for k, v in (data.get("aggregates") or {}).items()},
        "patterns": [re.compile(p, re.IGNORECASE) for p in data.get("aggregate_patterns") or []],
    }


class EntityResolver:
    """Resolves entity names and codes against the countries in the database (one query each)."""

    def __init__(self) -> None:
        rules = _rules()
        self._by_code: dict[str, Country] = {}
        self._by_name: dict[str, Country] = {}
        name_columns = [f"name_{suffix}" for suffix in LANGUAGE_SUFFIXES.values()]
        for country in Country.objects.only("id", "iso3", "iso2", "m49", *name_columns):
            self._by_code[country.iso3.upper()] = country
            if country.iso2:
                self._by_code.setdefault(country.iso2.upper(), country)
            self._by_code[country.m49] = country
            for column in name_columns:
                value = getattr(country, column)
                if value:
                    self._by_name.setdefault(normalise(value), country)
        for alias, iso3 in rules["aliases"].items():
            country = self._by_code.get(str(iso3).upper())
            if country is not None:
                self._by_name.setdefault(alias, country)
        self._regions: set[str] = set()
        self._region_codes: dict[str, str] = {"001": "World"}
        for m49, *names in Region.objects.values_list("m49", "name_en", "name_fr", "name_es"):
            self._region_codes[m49] = names[0]
            self._regions.update(normalise(n) for n in names if n)
        self._rules = rules

    def resolve(self, name: str, code: str = "") -> Resolved:
        name = (name or "").strip()
        code = (code or "").strip()
        key = normalise(name)
        rules = self._rules
        if code:
            excluded = rules["excluded"].get(normalise(code))
            if excluded:
                return Resolved("excluded", reason=excluded)
            aggregate = rules["aggregates"].get(normalise(code))
            if aggregate is not None:
                return Resolved("aggregate", group_code=aggregate or self._slug(name), group_name=name)
            country = self._by_code.get(code.upper()) or (self._by_code.get(code.zfill(3)) if code.isdigit() else None)
            if country is not None:
                return Resolved("country", country=country)
            if code.isdigit() and code.zfill(3) in self._region_codes:
                m49 = code.zfill(3)
                return Resolved("aggregate", group_code="WLD" if m49 == "001" else f"M49-{m49}",
                                group_name=name or self._region_codes[m49])
        if key in rules["excluded"]:
            return Resolved("excluded", reason=rules["excluded"][key])
        if key in self._by_name and not code:
            return Resolved("country", country=self._by_name[key])
        if key in rules["aggregates"]:
            return Resolved("aggregate", group_code=rules["aggregates"][key] or self._slug(name), group_name=name)
        if key and (key in self._regions or any(p.search(name) for p in rules["patterns"])):
            return Resolved("aggregate", group_code=self._slug(name), group_name=name)
        if key in self._by_name and code.upper().startswith("OWID_"):
            return Resolved("country", country=self._by_name[key])
        return Resolved("unknown")

    @staticmethod
    def _slug(name: str) -> str:
        return slugify(name)[:80] or "aggregate"
