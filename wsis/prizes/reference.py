"""Reference data of the prizes, read from ``data/``: the Global Digital Compact's objectives and the
disposable e-mail domains the integrity report flags. Both files state their source in their header."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

__all__ = ["GdcObjective", "gdc_objectives", "gdc_source", "disposable_domains", "is_disposable"]

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")


@dataclass(frozen=True)
class GdcObjective:
    number: int
    names: dict  # language → text; English always present
    official: tuple = ()  # languages whose text is copied from the official A/RES/79/1 in that language

    @property
    def name(self) -> str:
        """The name in the active language, English when no text in that language is shipped."""
        return self.names.get(get_language() or "en") or self.names["en"]

    def is_translated(self, language: str | None = None) -> bool:
        return (language or get_language() or "en") in self.names

    @property
    def is_unofficial_translation(self) -> bool:
        """The text shown is the platform's translation (shown with the mark "unofficial translation")."""
        language = get_language() or "en"
        return language != "en" and language in self.names and language not in self.official


@lru_cache(maxsize=1)
def _gdc_file() -> dict:
    path = DATA / "gdc_objectives.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("source", "source_url", "status", "checked", "objectives"):
        if key not in data:
            raise ImproperlyConfigured(f"{path.name}: the key {key!r} is missing.")
    numbers = [o.get("number") for o in data["objectives"]]
    if numbers != [1, 2, 3, 4, 5]:
        raise ImproperlyConfigured(f"{path.name}: the objectives must be numbered 1 to 5, in order (got {numbers}).")
    for item in data["objectives"]:
        names = item.get("name") or {}
        if not names.get("en"):
            raise ImproperlyConfigured(f"{path.name}: objective {item['number']} has no English name.")
        unknown = set(names) - set(LANGUAGES)
        if unknown:
            raise ImproperlyConfigured(f"{path.name}: objective {item['number']}: unknown languages {sorted(unknown)}.")
    translations = data.get("translations") or {}
    if {lang for item in data["objectives"] for lang in item["name"]} - {"en"}:
        for key in ("status", "source", "checked"):
            if not translations.get(key):
                raise ImproperlyConfigured(f"{path.name}: 'translations' needs '{key}' (the objectives have translations).")
    unknown = set(translations.get("official") or []) | set(data.get("source_local") or {})
    if unknown - set(LANGUAGES):
        raise ImproperlyConfigured(f"{path.name}: unknown languages {sorted(unknown - set(LANGUAGES))}.")
    return data


def gdc_objectives() -> list[GdcObjective]:
    official = tuple((_gdc_file().get("translations") or {}).get("official") or ())
    return [GdcObjective(number=o["number"], names=dict(o["name"]), official=official)
            for o in _gdc_file()["objectives"]]


def gdc_source() -> dict:
    """``source`` (as cited in the active language), ``source_url``, ``status`` (official / unverified) and
    ``checked`` of the objectives, and ``translations`` (status, source and date of the other languages)."""
    data = _gdc_file()
    out = {key: data[key] for key in ("source", "source_url", "status", "checked")}
    out["source"] = (data.get("source_local") or {}).get(get_language() or "en") or data["source"]
    out["source_is_english"] = out["source"] == data["source"]
    out["translations"] = data.get("translations") or {}
    return out


@lru_cache(maxsize=1)
def disposable_domains() -> frozenset[str]:
    lines = (DATA / "disposable_domains.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_disposable(email: str) -> bool:
    """True when the address's domain, or a domain it is a subdomain of, is on the list."""
    domain = email.rpartition("@")[2].strip().lower()
    parts = domain.split(".")
    return any(".".join(parts[i:]) in disposable_domains() for i in range(len(parts) - 1))
