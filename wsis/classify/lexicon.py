"""The query lexicon: phrases that signal an SDG or an action line, and matching them in a text.

Sources (see ``data/ATTRIBUTION.md``): the published SDG query systems of Aurora, Elsevier,
Auckland, SIRIS Academic and OSDG (copied under ``data/queries/``), and our own multilingual
lexicon (``data/lexicon.yaml``) for French, Spanish, Russian, Arabic and Chinese and for the
WSIS action lines.

The Boolean queries are reduced to phrases with an optional co-occurrence condition: ``A AND
B`` and ``A W/3 B`` become "A, if any phrase of B also occurs in the text". Proximity is loosened
to co-occurrence on purpose: initiative descriptions are short, and the lexicon only feeds
features and evidence; the model's weights decide.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from .text import normalise, stem, words

__all__ = ["Lexicon", "LexiconEntry", "build_lexicon", "parse_query", "phrase_key"]

DATA_DIR = Path(__file__).resolve().parent / "data"
QUERY_FILES = {
    "aurora": "aurora_queries.csv",
    "elsevier": "elsevier_queries.csv",
    "auckland": "auckland_queries.csv",
    "siris": "siris_queries.csv",
    "osdg": "sdgo_queries.csv",
}
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def phrase_key(phrase: str) -> str:
    """The matching key of a phrase: normalised, tokenised, stemmed tokens joined by spaces.

    A trailing ``*`` on a one-word phrase makes a prefix key (``"microfinanc*"``); on a longer
    phrase the star is dropped and stemming does the rest. Han phrases are kept whole and are
    matched as substrings, because Chinese has no spaces between words.
    """
    text = normalise(phrase).strip()
    if _HAN_RE.search(text):
        return "han:" + re.sub(r"\s+", "", text)
    text = text.replace("?", "z")
    star = text.endswith("*")
    toks = [t for t in words(text.replace("*", " ")) if t]
    if not toks:
        return ""
    if star and len(toks) == 1:
        return toks[0] + "*" if len(toks[0]) >= 3 else ""
    return " ".join(stem(t) for t in toks)


# --- Boolean query parsing -------------------------------------------------------------------

_QTOKEN = re.compile(r'\{[^}]*\}|<[^>]*>|"[^"]*"|\(|\)|W/\d+|AND\s+NOT|[^\s(){}<>"]+')


def _tokenise_query(query: str) -> list[str]:
    return _QTOKEN.findall(query)


def _parse(tokens: list[str], pos: int = 0):
    """Parse to nested ("or"|"and"|"not", [children]) nodes and ("term", text) leaves."""
    items, ops = [], []
    while pos < len(tokens):
        tok = tokens[pos]
        if tok == "(":
            node, pos = _parse(tokens, pos + 1)
            items.append(node)
            continue
        elif tok == ")":
            pos += 1
            break
        elif tok.upper() == "OR":
            ops.append("or")
            pos += 1
            continue
        elif tok.upper() == "AND" or tok.upper().startswith("W/"):
            ops.append("and")
            pos += 1
            continue
        elif tok.upper().startswith("AND") and tok.upper().endswith("NOT"):
            ops.append("not")
            pos += 1
            continue
        else:
            text = tok.strip('{}<>"').strip()
            if text:
                items.append(("term", text))
        pos += 1
    if not items:
        return ("or", []), pos
    # Left to right, OR binding loosest: split on "or", then fold "and"/"not" inside each part.
    groups, current = [], [items[0]]
    current_ops: list[str] = []
    for op, item in zip(ops, items[1:], strict=False):
        if op == "or":
            groups.append((current, current_ops))
            current, current_ops = [item], []
        else:
            current.append(item)
            current_ops.append(op)
    groups.append((current, current_ops))
    nodes = []
    for parts, part_ops in groups:
        node = parts[0]
        for op, part in zip(part_ops, parts[1:], strict=False):
            node = ("and", [node, part]) if op == "and" else ("not", [node, part])
        nodes.append(node)
    return (nodes[0] if len(nodes) == 1 else ("or", nodes)), pos


def _leaves(node) -> list[str]:
    kind = node[0]
    if kind == "term":
        return [node[1]]
    if kind == "not":
        return _leaves(node[1][0])
    out = []
    for child in node[1]:
        out.extend(_leaves(child))
    return out


def _terms(node) -> list[tuple[str, tuple[str, ...]]]:
    """(phrase, required co-occurring phrases) pairs a query node stands for."""
    kind = node[0]
    if kind == "term":
        return [(node[1], ())]
    if kind == "or":
        out = []
        for child in node[1]:
            out.extend(_terms(child))
        return out
    if kind == "not":
        return _terms(node[1][0])
    left, right = node[1]
    required = tuple(_leaves(right))
    return [(phrase, req or required) for phrase, req in _terms(left)]


def parse_query(query: str) -> list[tuple[str, tuple[str, ...]]]:
    """The phrases of one Boolean query with their co-occurrence conditions."""
    node, _ = _parse(_tokenise_query(query))
    return _terms(node)


# --- Building and matching -------------------------------------------------------------------


@dataclass(frozen=True)
class LexiconEntry:
    key: str
    label: str  # "sdg:3" or "al:C7.4"
    weight: float
    phrase: str
    requires: tuple[str, ...] = ()


def _sdg_number(code: str) -> int:
    return int(code.replace("SDG-", ""))


def build_lexicon(data_dir: Path = DATA_DIR) -> list[dict]:
    """Read the query systems and our own lexicon into entries (a JSON-ready list, sorted).

    The weight of a phrase for a label grows with the number of systems that list it and shrinks
    with the number of SDGs it is listed for: "water" in six systems for SDG 6 counts more than
    "sustainable" listed under ten goals.
    """
    systems: dict[tuple[str, str, tuple[str, ...]], set[str]] = defaultdict(set)
    phrases: dict[tuple[str, str, tuple[str, ...]], str] = {}

    def add(system: str, label: str, phrase: str, requires: tuple[str, ...]) -> None:
        key = phrase_key(phrase)
        if not key or (len(key) < 3 and not key.startswith("han:")):
            return
        req = tuple(sorted({k for k in (phrase_key(r) for r in requires) if k}))
        ident = (key, label, req)
        systems[ident].add(system)
        phrases.setdefault(ident, phrase.strip().lower())

    for system, filename in QUERY_FILES.items():
        with open(data_dir / "queries" / filename, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                label = f"sdg:{_sdg_number(row['sdg'])}"
                if system in ("siris", "osdg"):
                    extra = row.get("extra") or ""
                    requires = tuple(p for p, _ in parse_query(extra)) if extra.strip() else ()
                    add(system, label, row["keyword"], requires)
                else:
                    for phrase, requires in parse_query(row["query"]):
                        add(system, label, phrase, requires)

    with open(data_dir / "lexicon.yaml", encoding="utf-8") as fh:
        own = yaml.safe_load(fh)
    for section, prefix in (("sdgs", "sdg"), ("action_lines", "al")):
        for code, by_lang in own[section].items():
            for _lang, terms in by_lang.items():
                for phrase in terms:
                    add("own", f"{prefix}:{code}", str(phrase), ())

    labels_per_key: dict[str, set[str]] = defaultdict(set)
    for key, label, _req in systems:
        labels_per_key[key].add(label)
    entries = []
    for (key, label, req), names in systems.items():
        spread = len([lb for lb in labels_per_key[key] if lb.startswith(label.split(":")[0])])
        weight = (1.0 + 0.5 * (len(names) - 1)) / spread
        entries.append({"key": key, "label": label, "weight": round(weight, 4), "phrase": phrases[(key, label, req)],
                        "requires": list(req)})
    entries.sort(key=lambda e: (e["label"], e["key"], e["requires"]))
    return entries


class Lexicon:
    """Compiled lookup tables over lexicon entries; ``match`` finds the entries a text contains."""

    MAX_N = 5

    def __init__(self, entries: list[dict]):
        self.exact: dict[str, list[LexiconEntry]] = defaultdict(list)
        self.prefix: dict[str, list[LexiconEntry]] = defaultdict(list)
        self.han: list[tuple[str, LexiconEntry]] = []
        for e in entries:
            entry = LexiconEntry(e["key"], e["label"], e["weight"], e["phrase"], tuple(e.get("requires") or ()))
            if entry.key.startswith("han:"):
                self.han.append((entry.key[4:], entry))
            elif entry.key.endswith("*"):
                self.prefix[entry.key[:-1]].append(entry)
            else:
                self.exact[entry.key].append(entry)
        # Keys that conditions refer to must be findable too, even when no entry has them.
        required = {r for e in entries for r in (e.get("requires") or ())}
        self.prefix_keys = set(self.prefix) | {r[:-1] for r in required if r.endswith("*")}
        self.prefix_lengths = sorted({len(p) for p in self.prefix_keys})
        # Only positions whose stem starts some multi-word phrase need longer n-grams.
        self.max_len: dict[str, int] = {}
        for key in [*self.exact, *(r for r in required if not r.endswith("*") and not r.startswith("han:"))]:
            parts = key.split(" ")
            if len(parts) > 1:
                self.max_len[parts[0]] = max(self.max_len.get(parts[0], 1), min(len(parts), self.MAX_N))

    def _present(self, text: str) -> tuple[set[str], set[str], str]:
        norm = normalise(text)
        toks = words(norm)
        stems = [stem(t) for t in toks]
        grams: set[str] = set(stems)
        n = len(stems)
        max_len = self.max_len
        for i, first in enumerate(stems):
            longest = max_len.get(first)
            if longest:
                for size in range(2, longest + 1):
                    if i + size > n:
                        break
                    grams.add(" ".join(stems[i : i + size]))
        prefixes: set[str] = set()
        prefix = self.prefix_keys
        for tok in set(toks):
            for length in self.prefix_lengths:
                if length > len(tok):
                    break
                if tok[:length] in prefix:
                    prefixes.add(tok[:length])
        return grams, prefixes, re.sub(r"\s+", "", norm)

    def _satisfied(self, key: str, grams: set[str], prefixes: set[str], flat: str) -> bool:
        if key.startswith("han:"):
            return key[4:] in flat
        if key.endswith("*"):
            return key[:-1] in prefixes
        return key in grams

    def match(self, text: str) -> list[LexiconEntry]:
        """Entries found in ``text`` (each at most once), their conditions checked."""
        grams, prefixes, flat = self._present(text)
        found: list[LexiconEntry] = []
        for gram in grams:
            found.extend(self.exact.get(gram, ()))
        for pre in prefixes:
            found.extend(self.prefix.get(pre, ()))
        if self.han and _HAN_RE.search(flat):
            found.extend(entry for term, entry in self.han if term in flat)
        return [e for e in found
                if not e.requires or any(self._satisfied(r, grams, prefixes, flat) for r in e.requires)]
