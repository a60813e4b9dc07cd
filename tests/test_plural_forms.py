"""Plural forms, UN-style dates and list separators in the six languages.

Every plural message of the code — each ``{% blocktranslate count … %}…{% plural %}…`` block of the
templates and each ``ngettext(…)`` call with literal strings — is rendered with the counts 0, 1, 2 and
5 in each language: it must render (placeholders of every translated form resolve), never be empty,
and pick the singular for 1 and the plural for 0, 2 and 5 in English. A scan then keeps the
"1 sessions reported" kind of message from coming back: a count followed by a plural noun outside a
plural block fails the suite.
"""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from wsis.core.formats import join_list, weekday_date

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt"})
SOURCES = sorted(p for p in (ROOT / "wsis").rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
COUNTS = (0, 1, 2, 5)

BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b(?P<head>[^%]*?)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
COUNT = re.compile(r"\bcount\s+(\w+)\s*=\s*(\S+)")
WITH = re.compile(r"(\w+)\s*=\s*(\S+)")


def _plural_blocks():
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            head, body = match.group("head"), match.group("body")
            count = COUNT.search(head)
            if count is None or "{% plural %}" not in body.replace("{%plural%}", "{% plural %}"):
                continue
            line = text[: match.start()].count("\n") + 1
            yield pytest.param(path, head, body, count.group(1), id=f"{path.relative_to(ROOT)}:{line}")


def _mini_template(head: str, body: str, counter: str) -> tuple[Template, list[str]]:
    """The block alone, every variable renamed to a plain context name (filters dropped)."""
    names = [name for name, _expr in WITH.findall(head) if name != counter]
    options = " ".join(f"{name}={name}" for name in names)
    source = ("{% load i18n %}{% blocktranslate count " + f"{counter}=n" + (f" with {options}" if options else "")
              + " %}" + body + "{% endblocktranslate %}")
    return Template(source), names


@pytest.mark.parametrize(("path", "head", "body", "counter"), list(_plural_blocks()))
def test_every_template_plural_block_renders_each_count_in_each_language(path, head, body, counter):
    template, names = _mini_template(head, body, counter)
    singular, plural = body.split("{% plural %}", 1)
    for language in LANGUAGES:
        with translation.override(language):
            for n in COUNTS:
                out = template.render(Context({"n": n, **{name: f"«{name}»" for name in names}}))
                assert out.strip(), (language, n)
                # Arabic's zero form may leave the number out ("لا توجد منظمات"); nothing may be left unfilled.
                assert "%(" not in out and "{{" not in out, (language, n, out)
                if language == "en":
                    expected = (singular if n == 1 else plural).replace("{{ " + counter + " }}", "{{ n }}")
                    context = Context({"n": n, **{name: f"«{name}»" for name in names}})
                    assert out == Template(expected).render(context), (n, out)


def _ngettext_calls():
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in
                    {"ngettext", "ngettext_lazy"} and len(node.args) >= 2
                    and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])):
                yield pytest.param(node.args[0].value, node.args[1].value,
                                   id=f"{path.relative_to(ROOT)}:{node.lineno}")


@pytest.mark.parametrize(("singular", "plural"), list(_ngettext_calls()))
def test_every_ngettext_message_formats_each_count_in_each_language(singular, plural):
    keys = set(re.findall(r"%\((\w+)\)", singular + plural))
    for language in LANGUAGES:
        with translation.override(language):
            for n in COUNTS:
                text = translation.ngettext(singular, plural, n)
                out = text % dict.fromkeys(keys, n) if keys else text
                assert out.strip(), (language, n)
                if language == "en":
                    assert text == (singular if n == 1 else plural)


def test_the_plural_test_covers_the_messages_the_issue_found():
    blocks = {re.sub(r"\s+", " ", b.values[2]) for b in _plural_blocks()}
    assert any("session reported its outcomes" in b for b in blocks)
    messages = {c.values[0] for c in _ngettext_calls()}
    assert "%(count)d submission decided; the submitter will be told by e-mail." in messages


# A number placeholder directly followed by an English plural noun, outside a plural block.
COUNT_NOUN = re.compile(r"\{\{\s*(\w+)\s*\}\}\s+(?:of\s+\{\{\s*\w+\s*\}\}\s+)?"
                        r"(initiatives|sessions|submissions|countries|members|member states|errors|answers|"
                        r"questions|responses|cells|days|values|characters|people|focal points|organisations|"
                        r"indicators|draft responses|invited member states|linked cells|published initiatives)\b")
PY_COUNT_NOUN = re.compile(r"%\((\w+)\)[ds]\s+(?:\w+\s+)?"
                           r"(initiatives|sessions|submissions|countries|member states|errors|questions|"
                           r"focal points|characters|values|answers)\b")


def test_no_count_is_followed_by_a_plural_noun_outside_a_plural_form():
    found = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            if COUNT.search(match.group("head")):
                continue
            for hit in COUNT_NOUN.finditer(match.group("body")):
                found.append(f"{path.relative_to(ROOT)}: {hit.group(0)}")
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"_", "gettext", "gettext_lazy"}:
                arg = node.args[0] if node.args else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    for hit in PY_COUNT_NOUN.finditer(arg.value):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {hit.group(0)}")
    assert not found, "counts without plural forms:\n" + "\n".join(found)


# ------------------------------------------------------------------------------------ dates and lists

DAY = datetime.date(2026, 12, 7)
UN_DATES = {
    "en": "7 December 2026", "fr": "7 décembre 2026", "es": "7 de diciembre de 2026", "ru": "7 декабря 2026 г.",
    "ar": "7 ديسمبر 2026", "zh-hans": "2026年12月7日",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_written_in_un_style_never_all_numbers(language):
    with translation.override(language):
        assert date_format(DAY, "DATE_FORMAT") == UN_DATES[language]
        for fmt in ("SHORT_DATE_FORMAT", "DATE_FORMAT"):
            assert not re.search(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", date_format(DAY, fmt))
        assert UN_DATES[language] in weekday_date(DAY)
        rendered = Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(Context({"d": DAY}))
        assert "12/07" not in rendered and "2026" in rendered


def test_lists_are_joined_with_each_languages_separator():
    items = ["NPL", "BGD", "<b>"]
    expected = {"en": "NPL, BGD, &lt;b&gt;", "ar": "NPL، BGD، &lt;b&gt;", "zh-hans": "NPL、BGD、&lt;b&gt;"}
    for language, joined in expected.items():
        with translation.override(language):
            assert Template("{% load wsis_tags %}{{ items|join_list }}").render(Context({"items": items})) == joined
            assert join_list(["a", "b"]) == joined.split("NPL")[1].split("BGD")[0].join(["a", "b"])
