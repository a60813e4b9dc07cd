"""Reference data of the prizes: the disposable e-mail domains the integrity report flags (``data/``,
source in the file's header), and the Global Digital Compact's objectives, which are the platform's
reference list (``wsis.taxonomy.gdc``, six languages with their provenance), re-exported here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from wsis.taxonomy.gdc import GdcObjective, gdc_objectives, gdc_source

__all__ = ["GdcObjective", "gdc_objectives", "gdc_source", "disposable_domains", "is_disposable"]

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def disposable_domains() -> frozenset[str]:
    lines = (DATA / "disposable_domains.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_disposable(email: str) -> bool:
    """True when the address's domain, or a domain it is a subdomain of, is on the list."""
    domain = email.rpartition("@")[2].strip().lower()
    parts = domain.split(".")
    return any(".".join(parts[i:]) in disposable_domains() for i in range(len(parts) - 1))
