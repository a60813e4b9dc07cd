"""Multilingual normalisation: a word-for-word "pivot" into English, learnt from the UN's own
parallel texts.

Outside English the model has little to learn from (the goal and target texts, a sixth of the
indicator titles and our short lexicon), while in English it also has ~11,000 query-system
phrases, the Matrix and our snippets. The SDG goal, target and (training-split) indicator titles
and the action-line names exist in all six UN languages, sentence for sentence: from those
parallel pairs an IBM Model 1 alignment (EM, both directions) learns a small bilingual dictionary
per language (French, Spanish, Russian, Arabic, Chinese → English). A text in one of those
languages is then followed by its English word-for-word gloss (:func:`gloss`) before features are
built, in training and at run time alike, so the English n-gram weights and the English query
phrases reach it too.

The dictionary is learnt from training texts only: the indicator titles of the tuning and test
splits (``indicator_examples("tune"/"test")``) are never part of it.

Foreign words are reduced to crude "units" (prefixes of inflected words, Arabic words without
their article and common affixes, Chinese character bigrams), which is enough to align the
formulaic UN wording and costs no stemmer.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .text import _STOP, normalise, stem, words

__all__ = ["LANG_OF_SCRIPT", "build_dictionary", "detect_latin", "foreign_units", "gloss", "with_gloss"]

_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_CYR = re.compile(r"[\u0400-\u04ff]")
_ARA = re.compile(r"[\u0600-\u06ff]")
LANG_OF_SCRIPT = {"han": "zh-hans", "cyr": "ru", "ara": "ar"}
_AR_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ات", "ين", "ون", "ية", "ها", "هم", "ة")
#: Latin-script function words that tell French and Spanish from English (and from each other)
_LATIN_MARKERS = {
    "en": {"the", "of", "and", "to", "in", "for", "by", "with", "on", "that", "is", "are", "who", "from"},
    "fr": {"le", "la", "les", "des", "du", "et", "pour", "dans", "par", "sur", "qui", "une", "aux", "est", "au"},
    "es": {"el", "los", "las", "del", "y", "para", "por", "con", "en", "que", "una", "al", "se", "su", "sus"},
}
_PREFIX = 6


def _script(tok: str) -> str:
    if _HAN.match(tok):
        return "han"
    if _CYR.search(tok):
        return "cyr"
    if _ARA.search(tok):
        return "ara"
    return "lat"


def detect_latin(tokens: list[str]) -> str:
    """``en``, ``fr`` or ``es`` for Latin-script tokens, by counting function words (English on a tie)."""
    counts = {lang: sum(1 for t in tokens if t in markers) for lang, markers in _LATIN_MARKERS.items()}
    best = max(("fr", "es"), key=lambda lang: counts[lang])
    return best if counts[best] > counts["en"] else "en"


def _unit(tok: str, script: str) -> str:
    if script == "ara":
        for prefix in _AR_PREFIXES:
            if tok.startswith(prefix) and len(tok) - len(prefix) >= 3:
                tok = tok[len(prefix):]
                break
        else:
            if tok.startswith("و") and len(tok) >= 5:
                tok = tok[1:]
        for suffix in _AR_SUFFIXES:
            if tok.endswith(suffix) and len(tok) - len(suffix) >= 3:
                tok = tok[: -len(suffix)]
                break
        return tok
    return tok[:_PREFIX]


def foreign_units(text: str) -> list[tuple[str, str]]:
    """``(language, unit)`` for each content word of a non-English text, in order (Chinese runs give
    their character bigrams, or the character itself for a one-character run); ``[]`` for English."""
    toks = [t for t in words(normalise(text)) if not t.isdigit()]
    latin = detect_latin([t for t in toks if _script(t) == "lat"])
    out = []
    for tok in toks:
        script = _script(tok)
        if script == "han":
            if len(tok) == 1:
                out.append(("zh-hans", tok))
            out.extend(("zh-hans", tok[i : i + 2]) for i in range(len(tok) - 1))
            continue
        if tok in _STOP or len(tok) < 2:
            continue
        lang = LANG_OF_SCRIPT.get(script) or latin
        if lang == "en" or (script == "lat" and tok in _LATIN_MARKERS.get(lang, ())):
            continue
        out.append((lang, _unit(tok, script)))
    return out


def _english_units(text: str, surface: dict[str, Counter]) -> list[str]:
    out = []
    for tok in words(normalise(text)):
        if tok.isdigit() or tok in _STOP or len(tok) < 2 or _script(tok) != "lat":
            continue
        key = stem(tok)
        surface[key][tok] += 1
        out.append(key)
    return out


def _ibm1(pairs: list[tuple[list[str], list[str]]], iterations: int = 8) -> dict[str, dict[str, float]]:
    """t(target | source) by IBM Model 1 EM, with a NULL source word; deterministic (sorted keys)."""
    t: dict[str, dict[str, float]] = defaultdict(dict)
    for src, tgt in pairs:
        for s in [None, *src]:
            for w in tgt:
                t[s][w] = 1.0
    for _ in range(iterations):
        count: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        total: dict[str, float] = defaultdict(float)
        for src, tgt in pairs:
            srcs = [None, *src]
            for w in tgt:
                z = sum(t[s][w] for s in srcs)
                for s in srcs:
                    c = t[s][w] / z
                    count[s][w] += c
                    total[s] += c
        t = defaultdict(dict, {s: {w: c / total[s] for w, c in ws.items()} for s, ws in count.items()})
    return t


def build_dictionary(pairs: list[tuple[str, str, str]], *, min_count: int = 2, min_score: float = 0.15,
                     max_translations: int = 2) -> dict[str, dict[str, list[list]]]:
    """Learn ``{language: {unit: [[english word, weight], …]}}`` from ``(language, foreign text,
    English text)`` pairs.

    A unit's translations are the English words whose alignment probability is high in both
    directions (the geometric mean of t(e|f) and t(f|e) at least ``min_score``), at most
    ``max_translations`` of them; units seen fewer than ``min_count`` times are left out.
    """
    surface: dict[str, Counter] = defaultdict(Counter)
    by_lang: dict[str, list[tuple[list[str], list[str]]]] = defaultdict(list)
    for lang, foreign, english in pairs:
        f = [u for _lang, u in foreign_units(foreign)]
        e = _english_units(english, surface)
        if f and e:
            by_lang[lang].append((f, e))
    out: dict[str, dict[str, list[list]]] = {}
    for lang in sorted(by_lang):
        data = by_lang[lang]
        freq = Counter(u for f, _e in data for u in set(f))
        fe = _ibm1(data)
        ef = _ibm1([(e, f) for f, e in data])
        table: dict[str, list[list]] = {}
        for unit in sorted(freq):
            if freq[unit] < min_count:
                continue
            scored = []
            for eng, p in fe.get(unit, {}).items():
                q = ef.get(eng, {}).get(unit, 0.0)
                score = (p * q) ** 0.5
                if score >= min_score:
                    scored.append((-score, eng))
            scored.sort()
            if scored:
                table[unit] = [[surface[eng].most_common(1)[0][0], round(-s, 3)] for s, eng in scored[:max_translations]]
        out[lang] = table
    return out


def gloss(text: str, dictionary: dict[str, dict[str, list[list]]]) -> str:
    """The English word-for-word gloss of a non-English text (``""`` for English or when nothing is
    known): each unit's best translation, and its second one when that is nearly as good."""
    out = []
    for lang, unit in foreign_units(text):
        entries = dictionary.get(lang, {}).get(unit)
        if not entries:
            continue
        out.append(entries[0][0])
        if len(entries) > 1 and entries[1][1] >= 0.6 * entries[0][1]:
            out.append(entries[1][0])
    return " ".join(out)


def with_gloss(text: str, dictionary: dict | None, *, units: bool = False) -> str:
    """The text followed (on lines of their own) by its English gloss and, with ``units``, by its
    foreign words reduced to their units (a crude stemmer: inflected forms of one word meet), or
    the text alone."""
    if not dictionary:
        return text
    parts = [text]
    if units:
        reduced = " ".join(unit for lang, unit in foreign_units(text) if lang != "zh-hans")
        if reduced:
            parts.append(reduced)
    extra = gloss(text, dictionary)
    if extra:
        parts.append(extra)
    return "\n".join(parts)
