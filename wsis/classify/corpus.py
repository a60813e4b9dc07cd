"""The texts the classifier learns from, read from files in the repository (no database).

* SDG goal, target and indicator texts in six languages (``wsis/taxonomy/data/sdg``);
* the WSIS–SDG Matrix: Plan of Action text per action line and the facilitators' rationale per
  link (``wsis/taxonomy/data/matrix/actions-2019.json``) and action-line names
  (``wsis/taxonomy/data/action_lines.yaml``);
* our own lexicon and the published query systems (``data/lexicon.yaml``, ``data/queries``),
  grouped into short pseudo-documents;
* our own training snippets (``data/examples/train_snippets.tsv``), composed into documents.

The labelled development and evaluation sets (``data/examples/dev.tsv`` and ``eval.tsv``) are read
by :func:`load_examples` and are never part of the training documents.
"""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "ACTION_LINES",
    "SDGS",
    "Document",
    "EVAL_SETS",
    "Example",
    "INDEPENDENT_SETS",
    "SDG_SETS",
    "action_line_examples",
    "indicator_examples",
    "load_examples",
    "normalised_text",
    "matrix_links",
    "parallel_texts",
    "target_texts",
    "target_titles",
    "training_documents",
]

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
TAXONOMY_DATA = ROOT.parent / "taxonomy" / "data"
LANGS = ("en", "fr", "es", "ru", "ar", "zh-hans")
SDGS = tuple(range(1, 18))
ACTION_LINES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7.1", "C7.2", "C7.3", "C7.4", "C7.5", "C7.6", "C7.7",
                "C7.8", "C8", "C9", "C10", "C11")


@dataclass
class Document:
    text: str
    sdgs: frozenset[int] = frozenset()
    action_lines: frozenset[str] = frozenset()
    source: str = ""


@dataclass
class Example:
    """One labelled text of the development or evaluation set."""

    id: str
    text: str
    lang: str
    sdgs: frozenset[int] = field(default_factory=frozenset)
    targets: frozenset[str] = field(default_factory=frozenset)
    action_lines: frozenset[str] = field(default_factory=frozenset)


def _yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _code_sdg(code: str) -> int:
    return int(str(code).split(".")[0].split("-")[0])


def _sdg_files():
    for lang in LANGS:
        base = TAXONOMY_DATA / "sdg" / lang
        yield lang, _yaml(base / "global_goals.yml"), _yaml(base / "global_targets.yml"), \
            _yaml(base / "global_indicators.yml")


def target_texts(*, joined: bool = True) -> dict[str, dict]:
    """Target code ("4.4") → language → its title, followed by the titles of its indicators of the
    training split.

    With ``joined=False`` each language maps to the list of those texts (title first).
    The other indicator titles are the independent tuning and test sets
    (:func:`indicator_examples`), so they stay out of everything the model is built from.
    """
    out: dict[str, dict[str, list[str]]] = {}
    for lang, _goals, targets, _inds in _sdg_files():
        for key, text in targets.items():
            parts = key.split("-")
            if parts[-1] == "title" and len(parts) == 3:
                out.setdefault(f"{parts[0]}.{parts[1]}", {}).setdefault(lang, []).insert(0, str(text))
    for ex in indicator_examples("train"):
        for code in sorted(ex.targets):
            if code in out and ex.lang in out[code]:
                out[code][ex.lang].append(ex.text)
    ordered = sorted(out.items(), key=lambda kv: _target_sort_key(kv[0]))
    if not joined:
        return {code: dict(by_lang) for code, by_lang in ordered}
    return {code: {lang: " ".join(texts) for lang, texts in by_lang.items()} for code, by_lang in ordered}


def target_titles(lang: str = "en") -> dict[str, str]:
    """Target code → its title in ``lang``."""
    targets = _yaml(TAXONOMY_DATA / "sdg" / lang / "global_targets.yml")
    return {f"{k.split('-')[0]}.{k.split('-')[1]}": str(v) for k, v in targets.items()
            if k.endswith("-title") and len(k.split("-")) == 3}


def _target_sort_key(code: str) -> tuple:
    goal, sub = code.split(".")
    return (int(goal), 0 if sub.isdigit() else 1, int(sub) if sub.isdigit() else sub)


def _plain(html_text: str) -> list[str]:
    """Paragraphs and list items of the Plan of Action HTML as plain sentences."""
    parts = re.split(r"</?(?:p|li|ol|ul)[^>]*>", html_text or "")
    return [html.unescape(re.sub(r"<[^>]+>", " ", p)).strip() for p in parts if p and p.strip()]


def _matrix() -> list[dict]:
    with open(TAXONOMY_DATA / "matrix" / "actions-2019.json", encoding="utf-8") as fh:
        return json.load(fh)


def _matrix_codes() -> list[str]:
    lines = _yaml(TAXONOMY_DATA / "action_lines.yaml")["action_lines"]
    by_index = {line["matrix_index"]: line["code"] for line in lines if line.get("matrix_index") is not None}
    return [by_index[i] for i in range(len(by_index))]


def _link_sdgs(goal_id: int, sub_id: str) -> set[int]:
    found = set()
    for part in re.split(r"[,;]", str(sub_id)):
        part = part.strip()
        if re.match(r"^\d+", part):
            found.add(int(re.match(r"^\d+", part).group()))
    return found or {goal_id + 1}


def matrix_links() -> dict[str, dict[int, int]]:
    """Action-line code → {SDG: number of matrix links (goal or target level)}."""
    codes = _matrix_codes()
    out: dict[str, dict[int, int]] = {code: {} for code in ACTION_LINES}
    for index, entry in enumerate(_matrix()):
        code = codes[index]
        for goal in entry.get("goals", []):
            for sub in goal.get("subgoals", []):
                for sdg in _link_sdgs(goal["goalId"], sub.get("subId", "")):
                    if 1 <= sdg <= 17:
                        out[code][sdg] = out[code].get(sdg, 0) + 1
    return out


def _reference_documents() -> list[Document]:
    docs: list[Document] = []
    for lang, goals, targets, _inds in _sdg_files():
        for key, text in goals.items():
            number, kind = key.split("-", 1)
            if kind in ("title", "short"):
                docs.append(Document(str(text), frozenset({int(number)}), source=f"sdg-goal/{lang}"))
        for key, text in targets.items():
            if key.endswith("-title"):
                docs.append(Document(str(text), frozenset({_code_sdg(key)}), source=f"sdg-target/{lang}"))
        # Of the indicator titles only the training sixth is used (below, all six languages of
        # those indicators); the tuning and test splits (``indicator_examples``) never are.
    for ex in indicator_examples("train"):
        docs.append(Document(ex.text, ex.sdgs, source=f"sdg-indicator-train/{ex.lang}"))
    # Plan of Action sentences and Matrix rationales of the training split only; the test split is
    # the action-line evaluation set (``action_line_examples``).
    for text, sdgs, lines, source in _matrix_texts("train"):
        docs.append(Document(text, sdgs, lines, source=source))
    for line in _yaml(TAXONOMY_DATA / "action_lines.yaml")["action_lines"]:
        if line["code"] in ACTION_LINES:
            for lang in LANGS:
                for field_name in ("names", "short_names"):
                    text = (line.get(field_name) or {}).get(lang)
                    if text:
                        docs.append(Document(text, frozenset(), frozenset({line["code"]}), source="action-line-name"))
    return docs


def matrix_split(text: str) -> str:
    """``test`` for about a third of the Matrix texts (by a hash of the normalised text), else ``train``."""
    import hashlib

    return "test" if int(hashlib.sha256(normalised_text(text).encode()).hexdigest(), 16) % 3 == 0 else "train"


def _matrix_texts(split: str) -> list[tuple[str, frozenset[int], frozenset[str], str]]:
    """``(text, SDGs, action lines, source)`` of the Plan of Action sentences and Matrix rationales of
    one split, in file order. A text that occurs several times (one rationale given for two links,
    say) is one text carrying all its labels, and falls in one split."""
    codes = _matrix_codes()
    grouped: dict[str, list] = {}
    for index, entry in enumerate(_matrix()):
        code = codes[index]
        found = [(sentence, frozenset(), "plan-of-action") for sentence in _plain(entry.get("desc", ""))]
        for goal in entry.get("goals", []):
            for sub in goal.get("subgoals", []):
                rationale = (sub.get("rationale") or "").strip()
                if rationale:
                    sdgs = frozenset(s for s in _link_sdgs(goal["goalId"], sub.get("subId", "")) if 1 <= s <= 17)
                    found.append((rationale, sdgs, "matrix-rationale"))
        for text, sdgs, source in found:
            item = grouped.setdefault(normalised_text(text), [text, set(), set(), source])
            item[1] |= sdgs
            item[2].add(code)
    return [(text, frozenset(sdgs), frozenset(lines), source) for key, (text, sdgs, lines, source) in grouped.items()
            if matrix_split(key) == split]


def action_line_examples() -> list[Example]:
    """The action-line evaluation set: the Plan of Action sentences and Matrix rationales of the test
    split, each labelled with the action line(s) whose Matrix entry holds it (the rationales also
    with their SDGs). Official texts this project did not write, never used for training."""
    return [Example(f"al-{number:04d}", text, "en", sdgs, frozenset(), lines)
            for number, (text, sdgs, lines, _source) in enumerate(_matrix_texts("test"), start=1)]


def parallel_texts(*, lexicon: bool = True) -> list[tuple[str, str, str]]:
    """``(language, text, English text)`` for every training text that the UN publishes in the six
    languages sentence for sentence: goal titles and short titles, target titles, the titles of
    the training-split indicators, and the action-line names (the bilingual dictionaries of
    :mod:`wsis.classify.pivot` are learnt from these; the tuning and test indicators never are);
    with ``lexicon``, also our lexicon's phrase lists per label and language."""
    by_key: dict[str, dict[str, str]] = {}
    for lang, goals, targets, _inds in _sdg_files():
        for key, text in goals.items():
            if key.split("-", 1)[1] in ("title", "short"):
                by_key.setdefault(f"goal-{key}", {})[lang] = str(text)
        for key, text in targets.items():
            if key.endswith("-title"):
                by_key.setdefault(f"target-{key}", {})[lang] = str(text)
    for ex in indicator_examples("train"):
        by_key.setdefault(f"indicator-{ex.id.split('-')[1]}", {}).setdefault(ex.lang, ex.text)
    for line in _yaml(TAXONOMY_DATA / "action_lines.yaml")["action_lines"]:
        for field_name in ("names", "short_names"):
            for lang, text in (line.get(field_name) or {}).items():
                if text:
                    by_key.setdefault(f"al-{line['code']}-{field_name}", {})[lang.lower()] = str(text)
    if lexicon:
        # Our lexicon's phrase lists per SDG and action line, one "sentence" per label and language
        # (a bag of phrases, aligned with the English bag of the same label).
        data = _yaml(DATA / "lexicon.yaml")
        for kind in ("sdgs", "action_lines"):
            for label, by_lang in (data.get(kind) or {}).items():
                for lang, phrases in by_lang.items():
                    if phrases:
                        by_key.setdefault(f"lexicon-{kind}-{label}", {})[lang] = ", ".join(str(p) for p in phrases)
    out = []
    for key in sorted(by_key):
        texts = by_key[key]
        if "en" not in texts:
            continue
        out.extend((lang, texts[lang], texts["en"]) for lang in LANGS if lang != "en" and lang in texts)
    return out


def _lexicon_documents(entries: list[dict], rng: random.Random) -> list[Document]:
    """Short pseudo-documents of 6 phrases each, drawn from one label's lexicon entries."""
    by_label: dict[str, list[str]] = {}
    for entry in entries:
        by_label.setdefault(entry["label"], []).append(entry["phrase"])
    docs = []
    for label in sorted(by_label):
        phrases = sorted(set(by_label[label]))
        rng.shuffle(phrases)
        # Cap each label's share so that SDG 3 (2,000 phrases) does not swamp the others.
        phrases = phrases[:360]
        kind, code = label.split(":")
        for start in range(0, len(phrases), 6):
            text = ", ".join(phrases[start : start + 6])
            if kind == "sdg":
                docs.append(Document(text, frozenset({int(code)}), source="lexicon"))
            else:
                docs.append(Document(text, frozenset(), frozenset({code}), source="lexicon"))
    return docs


def _snippets() -> list[tuple[int, str, str]]:
    out = []
    with open(DATA / "examples" / "train_snippets.tsv", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            sdg, lang, text = line.rstrip("\n").split("\t", 2)
            out.append((int(sdg), lang, text))
    return out


def _composed_documents(rng: random.Random, count: int) -> list[Document]:
    """Documents of one to three snippets, so that the model sees texts about several SDGs."""
    snippets = _snippets()
    by_sdg: dict[int, list[str]] = {}
    for sdg, _lang, text in snippets:
        by_sdg.setdefault(sdg, []).append(text)
    docs = [Document(text, frozenset({sdg}) if sdg else frozenset(), source="snippet") for sdg, _l, text in snippets]
    keys = sorted(by_sdg)
    for _ in range(count):
        parts, labels = [], set()
        for position in range(rng.choice((1, 2, 2, 3))):
            sdg = rng.choice(keys) if position == 0 or rng.random() < 0.7 else 0
            parts.append(rng.choice(by_sdg[sdg]))
            if sdg:
                labels.add(sdg)
        docs.append(Document(" ".join(parts), frozenset(labels), source="composed"))
    return docs


def training_documents(lexicon_entries: list[dict], *, seed: int = 2030, composed: int = 2500) -> list[Document]:
    """Every training document, in a deterministic order for a given seed."""
    rng = random.Random(seed)
    return _reference_documents() + _lexicon_documents(lexicon_entries, rng) + _composed_documents(rng, composed)


#: Evaluation sets: name → (what it is, whether this project wrote it). ``indicators-test`` and
#: ``indicators-tune`` are the UN global indicator titles in six languages (A/RES/71/313 and its
#: annual refinements, via open-sdg/sdg-translations, MIT), labelled by their goal through the
#: indicator code: texts this project did not write, never used for training or for the target
#: index. A sixth of the indicators (drawn by code, all six languages together) are training
#: documents (``indicator_examples("train")``), another sixth (``indicators-tune``) tune the
#: calibration and decision rule; ``indicators-test`` (two thirds) is never used for either.
EVAL_SETS = {
    "eval": ("own held-out set (written for this project)", False),
    "dev": ("own development split (written for this project; calibration)", False),
    "indicators-test": ("UN SDG indicator titles, six languages, test split (independent; never tuned on)", True),
    "indicators-tune": ("UN SDG indicator titles, six languages, tuning split (independent; calibration)", True),
    "actionlines-test": ("Plan of Action sentences and WSIS-SDG Matrix rationales, test split, labelled with their "
                         "action line (independent; action lines only; never tuned on)", True),
}
INDEPENDENT_SETS = tuple(name for name, (_what, independent) in EVAL_SETS.items() if independent)
#: the sets whose texts carry SDG labels (``actionlines-test`` is scored on action lines)
SDG_SETS = tuple(name for name in EVAL_SETS if name != "actionlines-test")


def normalised_text(text: str) -> str:
    """NFKC, case-folded, punctuation dropped, whitespace collapsed: the form in which two copies
    of a text count as the same (the overlap checks hash this)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(text.split())


TRAIN_BUCKETS = (3,)


def indicator_split(code: str) -> str:
    """``train`` for about a sixth of the indicators (by a hash of the code), ``tune`` for another
    sixth, ``test`` for the remaining two thirds.

    All six language versions of an indicator fall in the same split (the split depends on the code
    only), so a translation of a test text is never tuned on.
    """
    import hashlib

    bucket = int(hashlib.sha256(code.encode()).hexdigest(), 16) % 6
    return "tune" if bucket == 0 else "train" if bucket in TRAIN_BUCKETS else "test"


def indicator_examples(split: str) -> list[Example]:
    """The indicator titles of one split as examples: one per (language, distinct title).

    An indicator listed under several targets (e.g. 1.5.1 = 11.5.1 = 13.1.1) carries all their goals
    and targets; its split is decided by its first code (so repeated titles never straddle splits).
    """
    grouped: dict[tuple[str, str], dict] = {}
    for lang, _goals, _targets, inds in _sdg_files():
        for key, text in inds.items():
            parts = key.split("-")
            if parts[-1] != "title" or len(parts) != 4:
                continue
            text = " ".join(str(text).split())
            # Titles equal up to case, punctuation and spacing are one text (one indicator listed
            # under two targets is sometimes typed twice with a different comma).
            key_text = normalised_text(text)
            entry = grouped.setdefault((lang, key_text), {"codes": [], "sdgs": set(), "targets": set(), "text": text})
            entry["codes"].append(".".join(parts[:3]))
            entry["sdgs"].add(int(parts[0]))
            entry["targets"].add(f"{parts[0]}.{parts[1]}")
    # A title's split follows its first code (in the official order).
    first_code_of: dict[tuple[str, str], str] = {}
    for (lang, text), entry in grouped.items():
        first_code_of[(lang, text)] = sorted(entry["codes"], key=_indicator_sort_key)[0]
    out = []
    for (lang, text), entry in sorted(grouped.items(), key=lambda kv: (_indicator_sort_key(first_code_of[kv[0]]),
                                                                       LANGS.index(kv[0][0]))):
        code = first_code_of[(lang, text)]
        if indicator_split(code) != split:
            continue
        out.append(Example(f"ind-{code}-{lang}", entry["text"], lang, frozenset(entry["sdgs"]),
                           frozenset(entry["targets"])))
    return out


def _indicator_sort_key(code: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def load_examples(name: str) -> list[Example]:
    """The labelled examples of an evaluation set (see :data:`EVAL_SETS`)."""
    if name.startswith("indicators-"):
        return indicator_examples(name.removeprefix("indicators-"))
    if name == "actionlines-test":
        return action_line_examples()
    if name not in ("dev", "eval"):
        raise ValueError(f"unknown evaluation set {name!r}; choose from {', '.join(EVAL_SETS)}")
    out = []
    with open(DATA / "examples" / f"{name}.tsv", encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            sdgs, lang, text = line.rstrip("\n").split("\t", 2)
            labels = frozenset(int(s) for s in sdgs.split(",") if int(s))
            out.append(Example(f"{name}-{number:04d}", text, lang, labels))
    return out
