"""Names people type for reference rows: countries, action lines and SDGs, in the six languages.

One vocabulary serves the initiative search (``stocktaking.search``) and the country list, so that
"Vietnam", "Viet Nam", "Turkey", "Cote d'Ivoire", "e-health", "eHealth", "C7.4" and "SDG 3" find
the same thing everywhere. It holds, for every country, the UN M49 names in the six languages, the
aliases of ``data/country_aliases.yaml`` and of ``data/countries/country-codes.csv``
(``reference.parse_country_aliases``); for every action line its code and its names and short names;
for every goal its short names and titles and "SDG 3", "Goal 3", "ODD 3", "ЦУР 3", "目标3"….

Matching compares **keys**: a name with accents removed, case folded and everything that is not a
letter or a digit dropped ("Côte d’Ivoire" → ``cotedivoire``, "E-health" → ``ehealth``, "C7.4" →
``c74``). A phrase of the query matches when its key is a name's key. Typos are forgiven by
:func:`nearest`: the names within a small edit distance (one edit for 4–5 letters, two for 6–9,
three beyond), computed here in Python over the vocabulary (a few thousand names, the same on
SQLite and PostgreSQL).

The vocabulary is built from the database once per process and kept for ``VOCABULARY_SECONDS``
(reference data change only on ``load_reference``, which also drops it in its own process).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .models import ActionLine, Country, Goal
from .reference import DATA_DIR, parse_country_aliases

__all__ = ["Term", "key", "words", "vocabulary", "lookup", "nearest", "label", "vocabulary_clear",
           "country_ids_matching", "country_keys"]

VOCABULARY_SECONDS = 600
_SUFFIXES = ("en", "fr", "es", "ru", "ar", "zh_hans")
# "SDG 3" in the six languages (and the English "goal"), as keys.
_GOAL_WORDS = ("sdg", "goal", "odd", "ods", "цур", "الهدف", "هدف", "目标", "可持续发展目标")
_WORD = re.compile(r"[\w.’'\-]+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    """A reference row a name stands for: ``kind`` is country (ISO3), action_line (code) or goal (number)."""

    kind: str
    value: str


def key(text: str) -> str:
    """Accents removed, case folded, only letters and digits kept: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The query's words: runs of letters, digits, dots, hyphens and apostrophes."""
    return [w.strip(".-'’") for w in _WORD.findall(text) if w.strip(".-'’")]


@dataclass
class Vocabulary:
    names: dict[str, set[Term]]  # key → terms
    caps_only: set[str]  # Latin keys of two letters or fewer: match only when typed in capitals ("UK", "US")
    by_length: dict[int, list[str]]  # keys by length, for the typo search
    labels: dict[Term, str]  # the English display name of each term
    built: float


_cache: dict[str, object] = {}  # "v": the Vocabulary; "country_keys": (its Vocabulary, the keys)


def vocabulary_clear() -> None:
    _cache.clear()
    _aliases.cache_clear()


@lru_cache(maxsize=1)
def _aliases() -> dict[str, list[str]]:
    return parse_country_aliases(DATA_DIR)


def vocabulary() -> Vocabulary:
    """The names of countries, action lines and goals, as keys (built once per process, see above)."""
    vocab = _cache.get("v")
    if vocab is not None and time.monotonic() - vocab.built < VOCABULARY_SECONDS:
        return vocab
    names: dict[str, set[Term]] = defaultdict(set)
    caps_only: set[str] = set()
    labels: dict[Term, str] = {}

    def add(term: Term, name: str) -> None:
        k = key(name or "")
        if not k:
            return
        names[k].add(term)
        if len(k) <= 2 and k.isascii():
            caps_only.add(k)

    aliases = _aliases()
    for country in Country.objects.only("iso3", *[f"name_{s}" for s in _SUFFIXES]):
        term = Term("country", country.iso3)
        labels[term] = country.name_en
        for suffix in _SUFFIXES:
            add(term, getattr(country, f"name_{suffix}"))
        for alias in aliases.get(country.iso3, ()):
            add(term, alias)
    for line in ActionLine.objects.all():
        leaves = [line.code] if line.is_leaf else list(line.children.values_list("code", flat=True))
        for code in leaves:
            term = Term("action_line", code)
            labels.setdefault(term, line.short_name_en or line.name_en)
            add(term, line.code)
            add(term, f"WSIS {line.code}")
            for suffix in _SUFFIXES:
                add(term, getattr(line, f"name_{suffix}"))
                add(term, getattr(line, f"short_name_{suffix}"))
    for goal in Goal.objects.all():
        term = Term("goal", str(goal.number))
        labels[term] = f"SDG {goal.number}"
        for word in _GOAL_WORDS:
            add(term, f"{word}{goal.number}")
        for suffix in _SUFFIXES:
            add(term, getattr(goal, f"short_name_{suffix}"))
            add(term, getattr(goal, f"title_{suffix}"))
    by_length: dict[int, list[str]] = defaultdict(list)
    for k in names:
        if not k.isdigit():
            by_length[len(k)].append(k)
    vocab = Vocabulary(dict(names), caps_only, dict(by_length), labels, time.monotonic())
    _cache["v"] = vocab
    return vocab


def lookup(phrase: str) -> set[Term]:
    """The terms ``phrase`` names exactly (up to case, accents and punctuation)."""
    vocab = vocabulary()
    k = key(phrase)
    if k in vocab.caps_only and not (phrase.isupper() and len(key(phrase)) == len(k)):
        return set()
    return set(vocab.names.get(k, ()))


def max_edits(length: int) -> int:
    return 0 if length < 4 else 1 if length < 6 else 2 if length < 10 else 3


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a transposition is one edit), giving up above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def nearest(phrase: str) -> tuple[str, set[Term]] | None:
    """The vocabulary name nearest to ``phrase`` within :func:`max_edits` (ties: the shorter key), or None."""
    vocab = vocabulary()
    k = key(phrase)
    limit = max_edits(len(k))
    if not limit or k in vocab.names:
        return None
    best: tuple[int, str] | None = None
    for length in range(len(k) - limit, len(k) + limit + 1):
        for candidate in vocab.by_length.get(length, ()):
            if candidate[0] != k[0] and candidate[:2] != k[:2][::-1]:
                continue  # the first letter is rarely the typo: this keeps the scan small
            d = _distance(k, candidate, limit)
            if d <= limit and (best is None or (d, len(candidate)) < (best[0], len(best[1]))):
                best = (d, candidate)
    if best is None:
        return None
    return best[1], set(vocab.names[best[1]])


def label(term: Term) -> str:
    """How a term is spelt in a suggestion: the English name of a country or action line, "SDG 3"."""
    return vocabulary().labels.get(term, term.value)


def country_ids_matching(text: str) -> list[str]:
    """ISO3 codes of the countries ``text`` names, exactly or, failing that, with a typo forgiven."""
    text = text.strip()
    if not text:
        return []
    found = {t.value for t in lookup(text) if t.kind == "country"}
    if not found:
        near = nearest(text)
        if near:
            found = {t.value for t in near[1] if t.kind == "country"}
    return sorted(found)


def country_keys() -> dict[str, str]:
    """For each country (ISO3), the keys of its ISO3 code, names and aliases, space-separated: what the
    country picker's type-ahead matches what is typed against (as a key, anywhere in one of them).

    A key found inside another key of the same country is left out (it adds no match), which keeps the
    attribute short: the form carries it for some 250 countries.
    """
    vocab = vocabulary()
    cached = _cache.get("country_keys")
    if cached is not None and cached[0] is vocab:
        return cached[1]
    by_country: dict[str, set[str]] = defaultdict(set)
    for k, terms in vocab.names.items():
        for term in terms:
            if term.kind == "country":
                by_country[term.value].add(k)
    result = {}
    for iso3, keys in by_country.items():
        keys.add(key(iso3))
        longest_first = sorted(keys, key=lambda k: (-len(k), k))
        kept: list[str] = []
        for k in longest_first:
            if not any(k in other for other in kept):
                kept.append(k)
        result[iso3] = " ".join(sorted(kept))
    _cache["country_keys"] = (vocab, result)
    return result
