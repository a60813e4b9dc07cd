"""Parse and validate the reference data files shipped in ``wsis/taxonomy/data``.

Every parser returns plain Python structures and raises :class:`ReferenceDataError` naming the
file and line of the first problem. Nothing here touches the database: ``services.reference_load``
parses everything first and only then writes, in one transaction, so that a malformed file leaves
the database as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from wsis.core.i18n import LANGUAGE_SUFFIXES

from .provenance import ProvenanceError, collect, parse_entries

__all__ = ["DATA_DIR", "ReferenceDataError", "ReferenceData", "parse_all", "plan_text_blocks", "html_problems",
           "parse_sources", "parse_sources_i18n", "parse_country_aliases"]

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGS = list(LANGUAGE_SUFFIXES)  # ar en es fr ru zh-hans
UNSD_FILES = {"ar": "ar", "en": "en", "es": "es", "fr": "fr", "ru": "ru", "zh-hans": "cn"}
SDG_COLOURS = [
    "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
    "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A",
]
# Marked independent in the M49 file but not UN member states: the observer states, and Taiwan.
NON_MEMBER_STATES = {"VAT", "PSE", "TWN"}
MATRIX_VERSION = "2019"
TARGET_CODE = re.compile(r"^(?P<goal>\d{1,2})\.(?P<sub>\d{1,2}|[a-z])$")
GOAL_CODE = re.compile(r"^\d{1,2}$")


class ReferenceDataError(Exception):
    """A reference file is malformed. ``str()`` reads ``path:line: message``."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path = path
        self.line = line
        self.message = message
        where = f"{_rel(path)}:{line}" if line else _rel(path)
        super().__init__(f"{where}: {message}")


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(DATA_DIR.parent.parent.parent))
    except ValueError:
        return str(path)


# --- YAML with line numbers -------------------------------------------------------------------

class LineDict(dict):
    """A mapping that remembers the line it started on in its YAML file."""

    line: int = 0


class LineList(list):
    """A sequence whose items' line numbers are kept in ``lines``."""

    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node, deep=False):
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader, node, deep=False):
    seq = LineList(loader.construct_sequence(node, deep=True))
    seq.lines = [child.start_mark.line + 1 for child in node.value]
    return seq


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReferenceDataError(path, None, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(path, None, f"not UTF-8 text ({exc.reason})") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ReferenceDataError(path, line, f"invalid YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise ReferenceDataError(path, None, f"invalid YAML: {exc}") from exc


def _require(path: Path, item: dict, key: str, kind: type | tuple = str) -> Any:
    line = getattr(item, "line", None)
    if not isinstance(item, dict):
        raise ReferenceDataError(path, line, f"expected a mapping, found {type(item).__name__}")
    if key not in item or item[key] in (None, ""):
        raise ReferenceDataError(path, line, f"missing required field '{key}'")
    value = item[key]
    if not isinstance(value, kind):
        raise ReferenceDataError(path, line, f"field '{key}' must be {getattr(kind, '__name__', kind)}")
    return value


def _texts(path: Path, item: dict, key: str, *, required: bool = True) -> dict[str, str]:
    """A ``{lang: text}`` mapping with English present; unknown language keys are errors."""
    value = item.get(key)
    line = getattr(item, "line", None)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise ReferenceDataError(path, line, f"field '{key}' must map language codes to texts")
    unknown = set(value) - set(LANGS)
    if unknown:
        raise ReferenceDataError(path, getattr(value, "line", line), f"unknown language code(s) {sorted(unknown)} in '{key}'")
    if required and not value.get("en"):
        raise ReferenceDataError(path, getattr(value, "line", line), f"field '{key}' needs an English text")
    return {lang: str(text).strip() for lang, text in value.items() if text}


def _date(path: Path, item: dict, key: str) -> dt.date | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ReferenceDataError(path, getattr(item, "line", None), f"field '{key}' is not an ISO date: {value!r}") from exc


def _list_of(path: Path, doc: Any, key: str) -> LineList:
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise ReferenceDataError(path, getattr(doc, "line", 1), f"expected a top-level list '{key}'")
    return doc[key]


def _provenance(path: Path, doc: Any, item: dict, what: str, facts: list[tuple[str, str]]) -> dict:
    """Resolve the provenance of a record's facts (file defaults, record overrides); see ``provenance.py``."""
    try:
        defaults = parse_entries(path, doc.get("provenance"), getattr(doc, "line", None))
        record = parse_entries(path, item.get("provenance"), getattr(item, "line", None))
        return collect(path, getattr(item, "line", None), record, defaults, what, facts)
    except ProvenanceError as exc:
        raise ReferenceDataError(path, exc.line, exc.message) from exc


def _text_facts(field: str, texts: dict[str, str]) -> list[tuple[str, str]]:
    return [(field, lang) for lang in LANGS if texts.get(lang)]


# --- HTML in reference files, and the plain-text form of the Plan of Action ----------------------

ALLOWED_HTML = {"p", "ol", "ul", "li", "em", "strong", "br"}
VOID_HTML = {"br"}


OPTIONAL_END_HTML = {"li", "p"}  # HTML lets these close themselves


class _StrictHTML(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_HTML:
            self.problems.append(f"unexpected tag <{tag}>" + (" (a tag left open?)" if attrs else ""))
        elif attrs:
            self.problems.append(f"<{tag}> with attributes")
        if self.stack and self.stack[-1] == "p" and tag in ("p", "ol", "ul"):
            self.stack.pop()
        if tag == "li" and self.stack and self.stack[-1] == "li":
            self.stack.pop()
        if tag not in VOID_HTML:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END_HTML:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes nothing open")
        else:
            self.stack.pop()


def html_problems(text: str) -> list[str]:
    """Why ``text`` is not well-formed HTML of the few tags reference files use (empty list: it is)."""
    parser = _StrictHTML()
    parser.feed(text)
    parser.close()
    if parser.rawdata:
        parser.problems.append(f"unparsed text at the end: {parser.rawdata[:40]!r}")
    problems = parser.problems + [f"<{tag}> never closed" for tag in parser.stack if tag not in OPTIONAL_END_HTML]
    if re.search(r"<(\w+)>\s*</\1>", text):
        problems.append("an empty element")
    return problems


PLAN_ITEM = re.compile(r"^(?P<indent>\s*)(?P<label>[a-z]|[ivx]+)\) (?P<text>\S.*)$")


def plan_text_blocks(text: str) -> list[dict]:
    """Split a Plan of Action text into paragraphs and (nested) lettered lists, for rendering as text.

    Returns ``[{"kind": "p", "text": …}, {"kind": "list", "items": [{"label", "text", "items": […]}]}]``.
    """
    blocks: list[dict] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        items: list[dict] = []
        paragraph: list[str] = []
        for line in chunk.splitlines():
            match = PLAN_ITEM.match(line)
            if match and match.group("indent") and items:
                items[-1]["items"].append({"label": match.group("label"), "text": match.group("text"), "items": []})
            elif match and not match.group("indent"):
                items.append({"label": match.group("label"), "text": match.group("text"), "items": []})
            elif items:
                target = items[-1]["items"][-1] if items[-1]["items"] else items[-1]
                target["text"] = f"{target['text']} {line.strip()}"
            else:
                paragraph.append(line.strip())
        if paragraph:
            blocks.append({"kind": "p", "text": " ".join(paragraph)})
        if items:
            blocks.append({"kind": "list", "items": items})
    return blocks


def _first_sentence(text: str) -> str:
    first = plan_text_blocks(text)[:1]
    if not first:
        return ""
    block = first[0]
    body = block["text"] if block["kind"] == "p" else block["items"][0]["text"]
    return re.split(r"(?<=[.;:])\s", body, maxsplit=1)[0]


def parse_plan_of_action(data_dir: Path) -> dict[str, dict]:
    """``plan_of_action.yaml``: the Plan of Action text of each action-line unit, plain text, with provenance."""
    path = data_dir / "plan_of_action.yaml"
    doc = read_yaml(path)
    out: dict[str, dict] = {}
    openings: dict[str, str] = {}
    for item in _list_of(path, doc, "texts"):
        code = _require(path, item, "code")
        text = str(item.get("text") or "").strip()
        if not text:
            raise ReferenceDataError(path, item.line, f"{code}: empty Plan of Action text")
        if "<" in text and re.search(r"</?[a-zA-Z]", text):
            raise ReferenceDataError(path, item.line, f"{code}: the text holds HTML; write it as plain text")
        opening = _first_sentence(text)
        if opening in openings:
            raise ReferenceDataError(path, item.line, (
                f"{code} opens with the same sentence as {openings[opening]} ({opening[:60]!r}…): a copy error"))
        openings[opening] = code
        out[code] = {"text": text, "paragraph": item.get("paragraph"),
                     "provenance": _provenance(path, doc, item, code, [("plan_of_action", "en")])}
    return out


# --- Parsed structures -------------------------------------------------------------------------

@dataclass
class ReferenceData:
    agencies: list[dict] = field(default_factory=list)
    stakeholder_types: list[dict] = field(default_factory=list)
    action_lines: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    matrix_links: list[dict] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)
    countries: list[dict] = field(default_factory=list)
    commissions: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    hlpf: list[dict] = field(default_factory=list)
    wsis_targets: list[dict] = field(default_factory=list)
    country_aliases: dict[str, list[str]] = field(default_factory=dict)
    matrix_version: str = MATRIX_VERSION
    matrix_provenance: dict = field(default_factory=dict)


def parse_agencies(data_dir: Path) -> list[dict]:
    path = data_dir / "agencies.yaml"
    out, seen = [], set()
    for item in _list_of(path, read_yaml(path), "agencies"):
        code = _require(path, item, "code")
        if code in seen:
            raise ReferenceDataError(path, item.line, f"duplicate agency code '{code}'")
        seen.add(code)
        out.append({"code": code, "names": _texts(path, item, "names"), "url": item.get("url") or ""})
    return out


def parse_stakeholder_types(data_dir: Path) -> list[dict]:
    path = data_dir / "stakeholder_types.yaml"
    out = []
    for item in _list_of(path, read_yaml(path), "stakeholder_types"):
        out.append({
            "code": _require(path, item, "code"),
            "order": _require(path, item, "order", int),
            "names": _texts(path, item, "names"),
        })
    return out


def parse_action_lines(data_dir: Path, agency_codes: set[str]) -> list[dict]:
    path = data_dir / "action_lines.yaml"
    matrix_path = data_dir / "matrix" / f"actions-{MATRIX_VERSION}.json"
    matrix = _read_matrix_json(matrix_path)
    plans = parse_plan_of_action(data_dir)
    doc = read_yaml(path)
    out, codes = [], set()
    for item in _list_of(path, doc, "action_lines"):
        code = _require(path, item, "code")
        if code in codes:
            raise ReferenceDataError(path, item.line, f"duplicate action line code '{code}'")
        parent = item.get("parent")
        if parent and parent not in codes:
            raise ReferenceDataError(path, item.line, f"parent '{parent}' of {code} must be listed before it")
        roles = {}
        for role in ("lead", "co"):
            agencies = item.get(role) or []
            for agency in agencies:
                if agency not in agency_codes:
                    raise ReferenceDataError(path, item.line, f"{code}: unknown agency '{agency}' in '{role}'")
                roles[agency] = role
        index = item.get("matrix_index")
        if index is not None and (not isinstance(index, int) or not 0 <= index < len(matrix)):
            raise ReferenceDataError(path, item.line, f"{code}: matrix_index {index!r} is not an entry of {matrix_path.name}")
        plan = plans.get(code, {})
        if index is not None and not plan:
            raise ReferenceDataError(path, item.line, f"{code}: no Plan of Action text in plan_of_action.yaml")
        names = _texts(path, item, "names")
        facts = _text_facts("name", names) + [("facilitators", "")]
        provenance = _provenance(path, doc, item, code, facts)
        provenance.update(plan.get("provenance", {}))
        codes.add(code)
        out.append({
            "code": code,
            "slug": _require(path, item, "slug"),
            "parent": parent,
            "order": _require(path, item, "order", int),
            "matrix_index": index,
            "names": names,
            "short_names": _texts(path, item, "short_names", required=False),
            "facilitators": roles,
            "plan_of_action": plan.get("text", ""),
            "provenance": provenance,
        })
    parents = {al["parent"] for al in out if al["parent"]}
    for al in out:
        al["is_leaf"] = al["code"] not in parents
    leaves = [al for al in out if al["is_leaf"]]
    if len(leaves) != 18:
        raise ReferenceDataError(path, None, f"expected 18 action-line units (leaves), found {len(leaves)}")
    return out


def _read_matrix_json(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except FileNotFoundError as exc:
        raise ReferenceDataError(path, None, "file not found") from exc
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(path, exc.lineno, f"invalid JSON: {exc.msg}") from exc
    if not isinstance(data, list):
        raise ReferenceDataError(path, 1, "expected a JSON list of action lines")
    data_text = text
    for entry in data:
        if isinstance(entry, dict):
            entry["_line"] = _json_line(data_text, "id", str(entry.get("id")))
            problems = html_problems(str(entry.get("desc") or ""))
            if problems:
                raise ReferenceDataError(path, entry["_line"], f"entry {entry.get('id')}: HTML of 'desc' does not parse: "
                                         + "; ".join(problems))
    return data


def _json_line(text: str, key: str, value: str, start: int = 0) -> int | None:
    """Line of the first ``"key": value`` at or after ``start`` (whatever the spacing around the colon)."""
    match = re.compile(rf'"{re.escape(key)}"\s*:\s*{re.escape(value)}').search(text, start)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _json_pos(text: str, key: str, value: str) -> int:
    match = re.compile(rf'"{re.escape(key)}"\s*:\s*{re.escape(value)}\b').search(text)
    return match.start() if match else 0


def _sdg_yaml(data_dir: Path, lang: str, kind: str) -> tuple[Path, dict]:
    path = data_dir / "sdg" / lang / f"global_{kind}.yml"
    doc = read_yaml(path)
    if not isinstance(doc, dict):
        raise ReferenceDataError(path, 1, "expected a mapping of keys to texts")
    return path, doc


def _target_sort_key(code: str) -> tuple:
    goal, sub = code.split(".")
    return (int(goal), sub.isalpha(), int(sub) if sub.isdigit() else ord(sub))


def parse_sdgs(data_dir: Path) -> tuple[list[dict], list[dict], list[dict]]:
    goals: dict[int, dict] = {}
    targets: dict[str, dict] = {}
    indicators: dict[str, dict] = {}
    for lang in LANGS:
        path, doc = _sdg_yaml(data_dir, lang, "goals")
        for key, text in doc.items():
            m = re.fullmatch(r"(\d{1,2})-(title|short)", str(key))
            if not m:
                raise ReferenceDataError(path, None, f"unexpected key '{key}'")
            number = int(m.group(1))
            if not 1 <= number <= 17:
                raise ReferenceDataError(path, None, f"goal number {number} is outside 1–17 (key '{key}')")
            goal = goals.setdefault(number, {"number": number, "titles": {}, "short_names": {}})
            goal["titles" if m.group(2) == "title" else "short_names"][lang] = str(text).strip()
        path, doc = _sdg_yaml(data_dir, lang, "targets")
        for key, text in doc.items():
            m = re.fullmatch(r"(\d{1,2})-(\d{1,2}|[a-z])-title", str(key))
            if not m:
                raise ReferenceDataError(path, None, f"unexpected key '{key}'")
            code = f"{m.group(1)}.{m.group(2)}"
            targets.setdefault(code, {"code": code, "goal": int(m.group(1)), "titles": {}})["titles"][lang] = str(text).strip()
        path, doc = _sdg_yaml(data_dir, lang, "indicators")
        for key, text in doc.items():
            m = re.fullmatch(r"(\d{1,2})-(\d{1,2}|[a-z])-(\d{1,2})-title", str(key))
            if not m:
                raise ReferenceDataError(path, None, f"unexpected key '{key}'")
            code = f"{m.group(1)}.{m.group(2)}.{m.group(3)}"
            indicators.setdefault(code, {"code": code, "target": f"{m.group(1)}.{m.group(2)}", "titles": {}})[
                "titles"][lang] = str(text).strip()
    en_goals = data_dir / "sdg" / "en" / "global_goals.yml"
    if sorted(goals) != list(range(1, 18)):
        raise ReferenceDataError(en_goals, None, f"expected goals 1–17, found {sorted(goals)}")
    for goal in goals.values():
        if not goal["titles"].get("en"):
            raise ReferenceDataError(en_goals, None, f"goal {goal['number']} has no English title")
        goal["colour"] = SDG_COLOURS[goal["number"] - 1]
    for ind in indicators.values():
        if ind["target"] not in targets:
            path = data_dir / "sdg" / "en" / "global_indicators.yml"
            raise ReferenceDataError(path, None, f"indicator {ind['code']} refers to unknown target {ind['target']}")
    ordered_targets = sorted(targets.values(), key=lambda t: _target_sort_key(t["code"]))
    for order, target in enumerate(ordered_targets):
        target["order"] = order
    ordered_ind = sorted(indicators.values(), key=lambda i: (_target_sort_key(i["target"]), int(i["code"].split(".")[2])))
    for order, ind in enumerate(ordered_ind):
        ind["order"] = order
    return [goals[n] for n in sorted(goals)], ordered_targets, ordered_ind


def parse_matrix(data_dir: Path, action_lines: list[dict], target_codes: set[str]) -> list[dict]:
    """Normalise the WSIS–SDG Matrix transcription (FACTS.md §2.2).

    ``goalId`` is 0-based; a ``subId`` may hold several comma-separated codes, each either a target
    (``9.c``) or a bare goal number (``4``, a goal-level link); a goal with no sub-items is a
    goal-level link without rationale. Targets are filed under their own goal whatever ``goalId``
    says, and repeated links are merged with their rationales joined.
    """
    path = data_dir / "matrix" / f"actions-{MATRIX_VERSION}.json"
    matrix = _read_matrix_json(path)
    text = path.read_text(encoding="utf-8")
    by_index = {al["matrix_index"]: al["code"] for al in action_lines if al["matrix_index"] is not None}
    links: dict[tuple, dict] = {}

    i18n_path, i18n_doc, i18n = _matrix_i18n(data_dir)
    used: set[str] = set()

    def add(al_code: str, goal: int, target: str | None, rationale: str, key: str = "") -> None:
        link = links.setdefault((al_code, goal, target), {"action_line": al_code, "goal": goal, "target": target,
                                                          "rationale": "", "parts": []})
        rationale = (rationale or "").strip()
        if rationale and rationale not in link["rationale"]:
            link["rationale"] = f"{link['rationale']}\n\n{rationale}".strip()
            link["parts"].append(key)
            used.add(key)

    for position, entry in enumerate(matrix):
        line = entry.get("_line") if isinstance(entry, dict) else None
        if position not in by_index:
            raise ReferenceDataError(path, line, f"entry {position} matches no action line's matrix_index")
        al_code = by_index[position]
        goals = entry.get("goals")
        if not isinstance(goals, list):
            raise ReferenceDataError(path, line, f"entry {position} ({al_code}) has no 'goals' list")
        for goal_entry in goals:
            goal_id = goal_entry.get("goalId")
            if not isinstance(goal_id, int) or not 0 <= goal_id <= 16:
                raise ReferenceDataError(path, line, f"{al_code}: goalId {goal_id!r} is not 0–16 (0-based)")
            subgoals = goal_entry.get("subgoals") or []
            if not subgoals:
                add(al_code, goal_id + 1, None, "")
            for sub in subgoals:
                raw = str(sub.get("subId", "")).strip()
                entry_pos = _json_pos(text, "id", str(entry.get("id")))
                sub_line = _json_line(text, "subId", f'"{raw}"', entry_pos) or line
                for code in (c.strip() for c in raw.split(",")):
                    if GOAL_CODE.match(code):
                        goal = int(code)
                        if not 1 <= goal <= 17:
                            raise ReferenceDataError(path, sub_line, f"{al_code}: goal '{code}' is not 1–17")
                        add(al_code, goal, None, sub.get("rationale", ""), f"{al_code} {raw}")
                    elif TARGET_CODE.match(code):
                        if code not in target_codes:
                            raise ReferenceDataError(path, sub_line, f"{al_code}: unknown SDG target '{code}'")
                        add(al_code, int(code.split(".")[0]), code, sub.get("rationale", ""), f"{al_code} {raw}")
                    else:
                        raise ReferenceDataError(path, sub_line, f"{al_code}: '{code}' is neither an SDG nor a target code")
    unknown = sorted(set(i18n) - used)
    if unknown:
        raise ReferenceDataError(i18n_path, getattr(i18n, "line", None),
                                 f"translations of rationales that {path.name} does not have: {unknown[:5]}")
    for link in links.values():
        _matrix_link_translations(i18n_path, i18n_doc, i18n, link)
    return list(links.values())


MATRIX_TRANSLATED = [lang for lang in LANGS if lang != "en"]


def _matrix_i18n(data_dir: Path) -> tuple[Path, dict, dict]:
    """``matrix/actions-<version>.i18n.yaml``: the rationales in the other five languages, keyed like
    ``"C7.4 3.8"`` (the action line's code and the Matrix file's ``subId``)."""
    path = data_dir / "matrix" / f"actions-{MATRIX_VERSION}.i18n.yaml"
    if not path.exists():
        return path, {}, {}
    doc = read_yaml(path) or {}
    rationales = doc.get("rationales") or {}
    if not isinstance(rationales, dict):
        raise ReferenceDataError(path, getattr(doc, "line", 1), "'rationales' must map keys to translations")
    for key, item in rationales.items():
        if not isinstance(item, dict):
            raise ReferenceDataError(path, getattr(rationales, "line", None), f"{key}: expected a mapping of languages")
        unknown = set(item) - set(MATRIX_TRANSLATED) - {"provenance"}
        if unknown:
            raise ReferenceDataError(path, getattr(item, "line", None), f"{key}: unknown language(s) {sorted(unknown)}")
    return path, doc, rationales


def _matrix_link_translations(path: Path, doc: dict, i18n: dict, link: dict) -> None:
    """A link's rationale in each other language: its parts' translations joined as the English ones are;
    blank (the page shows the English text and says so) unless every part is translated."""
    link["texts"], facts = {}, []
    parts = link.pop("parts")
    for lang in MATRIX_TRANSLATED:
        texts = [str((i18n.get(key) or {}).get(lang) or "").strip() for key in parts]
        text = "\n\n".join(texts) if parts and all(texts) else ""
        link["texts"][lang] = text
        if text:
            facts.append(("rationale", lang))
    first = i18n.get(parts[0]) if parts else None
    link["provenance"] = _provenance(path, doc, first or {}, f"rationale {parts[0] if parts else ''}", facts) if facts else {}


def _read_csv(path: Path, required: list[str]) -> list[tuple[int, dict]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [col for col in required if col not in (reader.fieldnames or [])]
            if missing:
                raise ReferenceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
            return [(reader.line_num, row) for row in reader]
    except FileNotFoundError as exc:
        raise ReferenceDataError(path, None, "file not found") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceDataError(path, None, f"unreadable CSV: {exc}") from exc


def parse_countries(data_dir: Path) -> tuple[list[dict], list[dict]]:
    codes_path = data_dir / "countries" / "country-codes.csv"
    rows = _read_csv(codes_path, ["M49", "ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3", "is_independent"])
    names: dict[str, dict[str, str]] = {}
    regions: dict[str, dict] = {}
    placement: dict[str, tuple[str, str, str]] = {}
    unsd_cols = ["M49 Code", "Country or Area", "Region Code", "Region Name", "Sub-region Code", "Sub-region Name",
                 "Intermediate Region Code", "Intermediate Region Name"]
    for lang, suffix in UNSD_FILES.items():
        path = data_dir / "countries" / f"UNSD-{suffix}.csv"
        for line, row in _read_csv(path, unsd_cols):
            m49 = row["M49 Code"].strip().zfill(3)
            if not m49.isdigit():
                raise ReferenceDataError(path, line, f"M49 code {row['M49 Code']!r} is not numeric")
            name = row["Country or Area"].strip()
            if not name:
                raise ReferenceDataError(path, line, "empty 'Country or Area'")
            names.setdefault(m49, {})[lang] = name
            levels = [("region", "Region", None), ("sub_region", "Sub-region", "Region"),
                      ("intermediate", "Intermediate Region", "Sub-region")]
            for level, col, parent_col in levels:
                code = row[f"{col} Code"].strip()
                if code:
                    reg = regions.setdefault(code.zfill(3), {
                        "m49": code.zfill(3), "level": level, "names": {},
                        "parent": row[f"{parent_col} Code"].strip().zfill(3) if parent_col else None,
                    })
                    reg["names"][lang] = row[f"{col} Name"].strip()
            if lang == "en":
                placement[m49] = tuple(row[f"{c} Code"].strip().zfill(3) if row[f"{c} Code"].strip() else ""
                                       for c in ("Region", "Sub-region", "Intermediate Region"))
    countries, iso3s = [], set()
    for line, row in rows:
        m49 = row["M49"].strip().zfill(3)
        iso3 = row["ISO3166-1-Alpha-3"].strip()
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            raise ReferenceDataError(codes_path, line, f"ISO3166-1-Alpha-3 {iso3!r} is not three capital letters")
        if iso3 in iso3s:
            raise ReferenceDataError(codes_path, line, f"duplicate ISO3 code {iso3}")
        iso3s.add(iso3)
        if m49 not in names or "en" not in names[m49]:
            raise ReferenceDataError(codes_path, line, f"M49 code {m49} ({iso3}) has no English name in UNSD-en.csv")
        region, sub_region, intermediate = placement.get(m49, ("", "", ""))
        independent = row["is_independent"].strip() == "Yes"
        countries.append({
            "m49": m49, "iso2": row["ISO3166-1-Alpha-2"].strip(), "iso3": iso3, "names": names[m49],
            "region": region or None, "sub_region": sub_region or None, "intermediate_region": intermediate or None,
            "is_un_member": independent and iso3 not in NON_MEMBER_STATES,
        })
    return sorted(regions.values(), key=lambda r: ["region", "sub_region", "intermediate"].index(r["level"])), countries


def _country_list(path: Path, item: dict, key: str, iso3s: set[str]) -> list[str]:
    values = item.get(key) or []
    if not isinstance(values, list):
        raise ReferenceDataError(path, item.line, f"'{key}' must be a list of ISO3 codes")
    lines = getattr(values, "lines", [item.line] * len(values))
    for code, line in zip(values, lines, strict=False):
        if code not in iso3s:
            raise ReferenceDataError(path, line, f"unknown ISO3 country code '{code}' in '{key}'")
    if len(set(values)) != len(values):
        raise ReferenceDataError(path, item.line, f"a country is listed twice in '{key}'")
    return list(values)


def parse_commissions(data_dir: Path, iso3s: set[str]) -> list[dict]:
    path = data_dir / "regional_commissions.yaml"
    doc = read_yaml(path)
    out = []
    for item in _list_of(path, doc, "commissions"):
        code = _require(path, item, "code")
        out.append({
            "provenance": _provenance(path, doc, item, code, [("members", "")]),
            "code": code,
            "names": _texts(path, item, "names"),
            "website": item.get("website") or "",
            "source": _require(path, item, "source"),
            "as_of": _date(path, item, "as_of"),
            "members": _country_list(path, item, "members", iso3s),
            "associate_members": _country_list(path, item, "associate_members", iso3s),
        })
    return out


def parse_groups(data_dir: Path, iso3s: set[str]) -> list[dict]:
    path = data_dir / "country_groups.yaml"
    doc = read_yaml(path)
    out = []
    for item in _list_of(path, doc, "groups"):
        code = _require(path, item, "code")
        members = _country_list(path, item, "members", iso3s)
        facts = [("members", "")]
        for entry in item.get("provenance") or []:
            field_name = str(entry.get("field", "")) if isinstance(entry, dict) else ""
            if field_name.startswith("member:"):
                if field_name[7:] not in members:
                    raise ReferenceDataError(path, getattr(entry, "line", item.line),
                                             f"{code}: provenance for {field_name}, which is not a member")
                facts.append((field_name, ""))
        out.append({
            "code": code,
            "names": _texts(path, item, "names"),
            "source": " ".join(str(item.get("source") or "").split()),
            "as_of": _date(path, item, "as_of"),
            "members": members,
            "provenance": _provenance(path, doc, item, code, facts),
        })
    codes = {g["code"] for g in out}
    for needed in ("LDC", "LLDC", "SIDS"):
        if needed not in codes:
            raise ReferenceDataError(path, None, f"group '{needed}' is missing")
    return out


def parse_hlpf(data_dir: Path) -> list[dict]:
    path = data_dir / "hlpf.yaml"
    doc = read_yaml(path)
    out = []
    for item in _list_of(path, doc, "sessions"):
        sdgs = item.get("sdgs") or []
        if not isinstance(sdgs, list) or any(not isinstance(n, int) or not 1 <= n <= 17 for n in sdgs):
            raise ReferenceDataError(path, item.line, "'sdgs' must be a list of goal numbers 1–17")
        year = _require(path, item, "year", int)
        themes = _texts(path, item, "theme")
        out.append({
            "year": year,
            "dates": str(item.get("dates") or ""),
            "themes": themes,
            "sdgs": sdgs,
            "provenance": _provenance(path, doc, item, f"HLPF {year}",
                                      [("record", "")] + _text_facts("theme", themes)),
        })
    return out


def parse_wsis_targets(data_dir: Path) -> list[dict]:
    path = data_dir / "wsis_targets.yaml"
    doc = read_yaml(path)
    out = []
    for item in _list_of(path, doc, "targets"):
        number = _require(path, item, "number", int)
        texts = _texts(path, item, "texts")
        out.append({"number": number, "texts": texts,
                    "provenance": _provenance(path, doc, item, f"WSIS target {number}", _text_facts("text", texts))})
    if sorted(t["number"] for t in out) != list(range(1, 11)):
        raise ReferenceDataError(path, None, "expected the ten WSIS targets numbered 1–10")
    return out


def parse_matrix_provenance(data_dir: Path) -> dict:
    path = data_dir / "action_lines.yaml"
    doc = read_yaml(path)
    holder = {"provenance": doc.get("matrix_provenance")}
    return _provenance(path, {}, holder, f"matrix version {MATRIX_VERSION}", [("links", "")])


# Columns of countries/country-codes.csv that hold other names of a country (datasets/country-codes).
ALIAS_COLUMNS = (
    "CLDR display name", "official_name_en", "official_name_fr", "official_name_es", "official_name_ru",
    "official_name_ar", "official_name_cn", "UNTERM English Short", "UNTERM French Short", "UNTERM Spanish Short",
    "UNTERM Russian Short", "UNTERM Arabic Short", "UNTERM Chinese Short",
)
_ARTICLE = re.compile(r"\s*\((the|le|la|les|l')\)\s*$", re.IGNORECASE)


def parse_country_aliases(data_dir: Path, iso3s: set[str] | None = None) -> dict[str, list[str]]:
    """Other names of each country for search: ISO3 → names (not the UN M49 names, which are columns).

    From ``countries/country-codes.csv`` the CLDR display name, official and UNTERM short names in
    the six languages (a trailing "(the)" dropped), and from ``country_aliases.yaml`` common and
    former names. ``iso3s``, when given, are the known codes: an alias of another code is an error.
    """
    aliases: dict[str, list[str]] = {}

    def add(iso3: str, name: str) -> None:
        name = _ARTICLE.sub("", str(name)).strip()
        if name and name not in aliases.setdefault(iso3, []):
            aliases[iso3].append(name)

    for _line, row in _read_csv(data_dir / "countries" / "country-codes.csv", ["ISO3166-1-Alpha-3"]):
        iso3 = row["ISO3166-1-Alpha-3"].strip()
        if iso3:
            for column in ALIAS_COLUMNS:
                add(iso3, row.get(column) or "")
    path = data_dir / "country_aliases.yaml"
    doc = read_yaml(path)
    table = doc.get("aliases") if isinstance(doc, dict) else None
    if not isinstance(table, dict):
        raise ReferenceDataError(path, None, "expected a mapping 'aliases: {ISO3: [names]}'")
    for iso3, names in table.items():
        line = getattr(names, "line", None)
        if not re.fullmatch(r"[A-Z]{3}", str(iso3)) or (iso3s is not None and iso3 not in iso3s):
            raise ReferenceDataError(path, line, f"unknown country code {iso3!r}")
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise ReferenceDataError(path, line, f"{iso3}: expected a list of names")
        for name in names:
            add(iso3, name)
    return aliases


def parse_all(data_dir: Path = DATA_DIR) -> ReferenceData:
    """Read and validate every reference file; raise ReferenceDataError on the first problem."""
    data = ReferenceData()
    data.agencies = parse_agencies(data_dir)
    data.stakeholder_types = parse_stakeholder_types(data_dir)
    data.action_lines = parse_action_lines(data_dir, {a["code"] for a in data.agencies})
    data.goals, data.targets, data.indicators = parse_sdgs(data_dir)
    data.matrix_links = parse_matrix(data_dir, data.action_lines, {t["code"] for t in data.targets})
    data.matrix_provenance = parse_matrix_provenance(data_dir)
    data.regions, data.countries = parse_countries(data_dir)
    iso3s = {c["iso3"] for c in data.countries}
    data.commissions = parse_commissions(data_dir, iso3s)
    data.groups = parse_groups(data_dir, iso3s)
    data.hlpf = parse_hlpf(data_dir)
    data.wsis_targets = parse_wsis_targets(data_dir)
    data.country_aliases = parse_country_aliases(data_dir, iso3s)
    return data


def parse_sources(data_dir: Path = DATA_DIR) -> list[dict]:
    """``sources.yaml``: every shipped reference dataset, its source, licence, date checked and status."""
    from .provenance import STATUSES

    path = data_dir / "sources.yaml"
    out = []
    for item in _list_of(path, read_yaml(path), "datasets"):
        statuses = item.get("status") or []
        if not isinstance(statuses, list) or not statuses or set(statuses) - STATUSES:
            raise ReferenceDataError(path, item.line, f"'status' must list statuses among {sorted(STATUSES)}")
        files = item.get("files") or []
        if not isinstance(files, list) or not files:
            raise ReferenceDataError(path, item.line, "'files' must list the dataset's files")
        checked = _date(path, item, "checked")
        if checked is None:
            raise ReferenceDataError(path, item.line, "missing required field 'checked'")
        out.append({
            "what": _require(path, item, "what"), "files": [str(f) for f in files],
            "source": _require(path, item, "source"), "licence": _require(path, item, "licence"),
            "checked": checked, "statuses": statuses, "status_note": str(item.get("status_note") or ""),
        })
    translations, provenance = parse_sources_i18n(out, data_dir)
    for dataset in out:
        dataset["translations"] = translations.get(dataset["files"][0], {})
        dataset["provenance"] = provenance
    return out


SOURCES_I18N_FIELDS = ("what", "licence", "status_note")


def parse_sources_i18n(datasets: list[dict], data_dir: Path = DATA_DIR) -> tuple[dict, dict]:
    """``sources.i18n.yaml``: the datasets' descriptions in the five other languages.

    Returns ``({first file: {language: {field: text}}}, {field: provenance entry})``. Datasets are keyed
    by the first file they list in ``sources.yaml``, licences by their English text; a key that names
    no dataset or licence, a language other than the five, or a field the English lacks is an error."""
    path = data_dir / "sources.i18n.yaml"
    if not path.exists():
        return {}, {}
    doc = read_yaml(path)
    if not isinstance(doc, dict):
        raise ReferenceDataError(path, 1, "expected a mapping with 'provenance', 'licences' and 'datasets'")
    try:
        entries = parse_entries(path, doc.get("provenance"))
    except ProvenanceError as exc:
        raise ReferenceDataError(path, exc.line, exc.message) from exc
    provenance = {}
    for entry in entries:
        if entry["field"] not in SOURCES_I18N_FIELDS or entry["lang"]:
            raise ReferenceDataError(path, entry["line"], f"a provenance entry names one of the fields "
                                     f"{list(SOURCES_I18N_FIELDS)}, for every language")
        provenance[entry["field"]] = entry
    others = [lang for lang in LANGS if lang != "en"]
    by_file = {d["files"][0]: d for d in datasets}
    licences = {d["licence"] for d in datasets}

    def languages(where: dict, fields: set[str]) -> dict:
        out = {}
        for lang, texts in where.items():
            if lang not in others:
                raise ReferenceDataError(path, getattr(where, "line", None),
                                         f"unknown language {lang!r} (expected one of {others})")
            if isinstance(texts, str):
                texts = {"licence": texts}
            if not isinstance(texts, dict) or set(texts) - fields:
                raise ReferenceDataError(path, getattr(texts, "line", getattr(where, "line", None)),
                                         f"{lang}: expected the field(s) {sorted(fields)}")
            for field_name, text in texts.items():
                if field_name not in provenance:
                    raise ReferenceDataError(path, None, f"no provenance entry for the field '{field_name}'")
                if not isinstance(text, str) or not text.strip():
                    raise ReferenceDataError(path, getattr(texts, "line", None), f"{lang}: empty '{field_name}'")
            out[lang] = {k: " ".join(v.split()) for k, v in texts.items()}
        return out

    translated_licences = {}
    for english, where in (doc.get("licences") or {}).items():
        if english not in licences:
            raise ReferenceDataError(path, getattr(where, "line", None),
                                     f"the licence {english!r} is not the licence of any dataset in sources.yaml")
        translated_licences[english] = languages(where, {"licence"})
    out: dict[str, dict] = {}
    for first_file, where in (doc.get("datasets") or {}).items():
        dataset = by_file.get(first_file)
        if dataset is None:
            raise ReferenceDataError(path, getattr(where, "line", None),
                                     f"{first_file!r} is not the first file of any dataset in sources.yaml")
        fields = {"what", "status_note"} if dataset["status_note"] else {"what"}
        out[first_file] = languages(where, fields)
    for first_file, dataset in by_file.items():
        for lang, texts in translated_licences.get(dataset["licence"], {}).items():
            out.setdefault(first_file, {}).setdefault(lang, {}).update(texts)
    return out, provenance
