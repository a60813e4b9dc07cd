"""Text normalisation and hashed n-gram features shared by training and prediction.

The same functions build the features when ``train_classifier`` fits the model and when a
backend scores a text, so the two can never drift apart. Features are hashed into a fixed
number of buckets (stable across processes and Python versions, unlike ``hash()``): word-level
features with CRC-32, character n-grams with a vectorised multiplicative hash (numpy), which
keeps a 200-word text to a few milliseconds. Hashing keeps the artefact small and needs no
vocabulary file.

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

import numpy as np

__all__ = [
    "N_BUCKETS",
    "normalise",
    "words",
    "stem",
    "char_counts",
    "hashed_arrays",
    "hashed_counts",
    "word_counts",
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
def _bucket(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & _MASK


def word_counts(text: str) -> tuple[dict[int, float], Counter]:
    """Hashed word-level features (unigrams, bigrams, Chinese character n-grams) and the counts of
    the non-Chinese words, whose character n-grams :func:`char_counts` adds."""
    out: dict[int, float] = {}
    plain: Counter = Counter()
    prev = None

    def add(name: str) -> None:
        idx = _bucket(name)
        out[idx] = out.get(idx, 0.0) + 1.0

    for tok in words(normalise(text)):
        if _HAN_RE.match(tok):
            # Chinese: character unigrams, bigrams and trigrams stand in for words.
            n = len(tok)
            for i in range(n):
                add("h:" + tok[i])
                if i + 1 < n:
                    add("h:" + tok[i : i + 2])
                if i + 2 < n:
                    add("h:" + tok[i : i + 3])
            prev = None
            continue
        if tok.isdigit() or tok in _STOP:
            prev = None
            continue
        add("w:" + tok)
        plain[tok] += 1
        if prev is not None:
            add("b:" + prev + " " + tok)
        prev = tok
    return out, plain


_PRIMES = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=np.uint64)
_SIZE_SALT = {3: np.uint64(0x3C6EF372), 4: np.uint64(0xA54FF53A), 5: np.uint64(0x510E527F)}


def char_counts(plain: Counter) -> tuple[np.ndarray, np.ndarray]:
    """Character 3-, 4- and 5-grams inside each word (padded with spaces), hashed in one vectorised
    pass: a multiplicative hash of the code points, salted by the n-gram length.

    Returns bucket indices and counts (a word seen twice counts its n-grams twice).
    """
    if not plain:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    tokens = list(plain)
    joined = "".join(f" {tok} \x00" for tok in tokens)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) + 3 for t in tokens), dtype=np.int64, count=len(tokens))
    weight = np.repeat(np.fromiter(plain.values(), dtype=np.float64, count=len(tokens)), lengths)
    is_sep = (cp == 0).astype(np.int64)
    sep_before = np.concatenate([[0], np.cumsum(is_sep)])
    idx_parts, weight_parts = [], []
    total = len(cp)
    with np.errstate(over="ignore"):
        for n in (3, 4, 5):
            m = total - n + 1
            if m <= 0:
                continue
            valid = (sep_before[n : n + m] - sep_before[:m]) == 0
            h = np.full(m, _SIZE_SALT[n], dtype=np.uint64)
            for k in range(n):
                h = h + cp[k : k + m] * _PRIMES[k]
            h = (h ^ (h >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
            h = h ^ (h >> np.uint64(32))
            idx_parts.append((h[valid] & np.uint64(_MASK)).astype(np.int64))
            weight_parts.append(weight[:m][valid])
    idx = np.concatenate(idx_parts)
    unique, inverse = np.unique(idx, return_inverse=True)
    return unique, np.bincount(inverse, weights=np.concatenate(weight_parts))


def hashed_arrays(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(all_idx, all_counts, word_idx, word_counts)``: every feature of the text, summed per
    bucket, and the word-level features alone (used to compare texts with SDG targets)."""
    words_dict, plain = word_counts(text)
    w_idx = np.fromiter(words_dict.keys(), dtype=np.int64, count=len(words_dict))
    w_cnt = np.fromiter(words_dict.values(), dtype=np.float64, count=len(words_dict))
    c_idx, c_cnt = char_counts(plain)
    if not c_idx.size:
        order = np.argsort(w_idx)
        return w_idx[order], w_cnt[order], w_idx, w_cnt
    unique, inverse = np.unique(np.concatenate([w_idx, c_idx]), return_inverse=True)
    return unique, np.bincount(inverse, weights=np.concatenate([w_cnt, c_cnt])), w_idx, w_cnt


def hashed_counts(text: str) -> dict[int, float]:
    """Every feature of the text as ``{bucket: count}``."""
    idx, cnt, _w, _c = hashed_arrays(text)
    return dict(zip(idx.tolist(), cnt.tolist(), strict=True))


def clear_caches() -> None:
    """Forget the per-word caches (for honest "first time this word is seen" latency measurements)."""
    for cached in (stem, _bucket):
        cached.cache_clear()
