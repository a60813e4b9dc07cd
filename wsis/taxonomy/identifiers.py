"""Linked identifiers of the reference data (issue 20): the URIs other systems know these things by.

* SDG goals and targets: the UN SDG knowledge organisation system, ``http://metadata.un.org/sdg/4`` and
  ``http://metadata.un.org/sdg/4.4``;
* countries and areas: their UN M49 code (``http://unstats.un.org/unsd/methodology/m49/404``) beside
  the ISO 3166 codes the models already hold.
"""

from __future__ import annotations

__all__ = ["SDG_BASE", "M49_BASE", "goal_uri", "target_uri", "m49_uri"]

SDG_BASE = "http://metadata.un.org/sdg/"
M49_BASE = "http://unstats.un.org/unsd/methodology/m49/"


def goal_uri(number: int) -> str:
    return f"{SDG_BASE}{number}"


def target_uri(code: str) -> str:
    return f"{SDG_BASE}{code}"


def m49_uri(code: str) -> str:
    return f"{M49_BASE}{code}"
