"""Text normalisation and hashed n-gram features shared by training and prediction.

The same functions build the features when ``train_classifier`` fits the model and when a
backend scores a text, so the two can never drift apart. Features are hashed with CRC-32
(stable across processes and Python versions, unlike ``hash()``) into a fixed number of
buckets, which keeps the artefact small and needs no vocabulary file.

Scripts without spaces between words (Chinese) are cut into overlapping character
n-grams; other scripts (Latin, Cyrillic, Arabic) give word unigrams and bigrams plus
character n-grams inside words, which carry morphology (French and Russian endings, the
Arabic article) without a language-specific stemmer.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from functools import lru_cache

__all__ = [
    "N_BUCKETS",
    "normalise",
    "words",
    "stem",
    "feature_counts",
    "hashed_counts",
    "clear_caches",
]

# 2**18 buckets: few enough collisions for a corpus of this size, small enough (float16 on
# disk) to keep the artefact well under the repository's 50 MB budget.
N_BUCKETS = 1 << 18
_MASK = N_BUCKETS - 1

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_HAN}]+|[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+", re.UNICODE)
_HAN_RE = re.compile(rf"^[{_HAN}]+$")
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

# A few very common function words per language add noise and nothing else; everything
# else is left to the model's weights.
_STOP = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "will", "with", "which", "we", "our", "us", "de", "des", "du", "la", "le", "les", "et", "en", "un", "une", "pour", "par", "au", "aux", "dans", "sur", "est", "que", "qui", "y", "el", "los", "las", "del", "por", "con", "para", "una", "al", "se", "lo", "como", "и", "в", "во", "на", "с", "по", "для", "к", "о", "от", "что", "это", "а", "также", "و", "في", "من", "على", "إلى", "عن", "مع", "أن"]
)


def normalise(text: str) -> str:
    """Unicode NFKC, lower case, Arabic diacritics and tatweel removed, typographic quotes unified."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.replace("’", "'").replace("‘", "'").replace("ё", "е")
    return _ARABIC_DIACRITICS.sub("", text)


def words(text: str) -> list[str]:
    """Tokens of a normalised text: words, numbers, and runs of Han characters."""
    return _TOKEN_RE.findall(text)


_SUFFIXES = ("ations", "ation", "ements", "ement", "ments", "ment", "ing", "ed")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A deliberately crude suffix stripper for Latin-script words, used for lexicon matching.

    It maps "vaccines"/"vaccine", "farmers"/"farmer", "policies"/"policy", "learning"/"learn"
    together; it only has to be the same function on both sides of a comparison, not
    linguistically right.
    """
    if len(word) <= 4 or not word.isascii():
        return word
    if word.endswith("ies") and len(word) > 5:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=200_000)
def _word_features(tok: str) -> tuple[str, ...]:
    """The unigram and character n-gram features of one (non-Han) word; a pure function, cached."""
    padded = f" {tok} "
    length = len(padded)
    out = ["w:" + tok]
    for n in (3, 4, 5):
        out.extend("c:" + padded[i : i + n] for i in range(length - n + 1))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _bucket(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & _MASK


def feature_counts(text: str) -> Counter:
    """Named features of a text with their counts (word, bigram and character n-grams)."""
    counts: Counter = Counter()
    word_counts: Counter = Counter()
    prev = None
    for tok in words(normalise(text)):
        if _HAN_RE.match(tok):
            # Chinese: character unigrams, bigrams and trigrams stand in for words.
            n = len(tok)
            for i in range(n):
                counts["h:" + tok[i]] += 1
                if i + 1 < n:
                    counts["h:" + tok[i : i + 2]] += 1
                if i + 2 < n:
                    counts["h:" + tok[i : i + 3]] += 1
            prev = None
            continue
        if tok.isdigit() or tok in _STOP:
            prev = None
            continue
        word_counts[tok] += 1
        if prev is not None:
            counts["b:" + prev + " " + tok] += 1
        prev = tok
    for tok, count in word_counts.items():
        for name in _word_features(tok):
            counts[name] += count
    return counts


def hashed_counts(text: str) -> dict[int, float]:
    """Feature counts folded into ``N_BUCKETS`` buckets with CRC-32."""
    out: dict[int, float] = {}
    for name, count in feature_counts(text).items():
        idx = _bucket(name)
        out[idx] = out.get(idx, 0.0) + count
    return out


def clear_caches() -> None:
    """Forget the per-word caches (for honest "first time this word is seen" latency measurements)."""
    for cached in (stem, _word_features, _bucket):
        cached.cache_clear()
