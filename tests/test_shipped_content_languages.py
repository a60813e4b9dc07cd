"""Shipped content is in the visitor's language: no Latin-script words on Arabic and Chinese pages.

The demo data are seeded, then every public page is rendered in Arabic and in Chinese with the test
client: the pages that take no argument (found by walking the URL resolver, as the query sweep
does) and, for every other page kind, the first instance linked from the pages already visited
(an action line, a Matrix cell, a country, a forum edition, a review, an indicator…), two links
deep. The visible text of each page is read (element text and the ``alt``, ``aria-label`` and
``placeholder`` attributes; never ``<script>``, ``<style>`` or ``<template>``) and every word
written in the Latin script is counted, except

* text inside an element whose ``lang`` names another language than the page's. Two kinds of text
  carry one: user content (an initiative written in French, a document in English, the language
  names in the language menu), which is shown as written, and a shipped text shown in English
  because its translation is missing. The second must say so: an ``lang="en"`` element whose parent
  has no "English: not yet translated" mark (``.fact-mark-fallback``) is reported as well, unless
  its text is user content, that is written by users (the demo's initiatives, organisations,
  submissions, entries…), which ``USER_CONTENT`` lists by model and field;
* codes and symbols: words with a digit (C7, A/RES/70/125, 4G), words in capitals of up to six
  letters (SDG, ITU, KEN, ISO codes), single letters; URLs and e-mail addresses;
* the proper names in ``PROPER_NAMES``, each with the reason it stays in Latin script.

A failure lists each page with its Latin words in context, so one run is the inventory of what is
left to translate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "zh-hans"]
SKIPPED_NAMESPACES = {"api", "admin"}
# Pages that do something on GET other than showing a page.
SKIPPED_NAMES = {"accounts:logout", "logout"}
# Page kinds visited per URL name (the first ones found), and how many links deep the crawl goes.
PER_NAME = 2
DEPTH = 2

# Proper names that stay in Latin script in every language, and why.
PROPER_NAMES = {
    # Licence names: the licence's own name, which the licensors do not translate.
    "Creative", "Commons", "CC", "BY", "ODbL",
    # Product and format names with no local form.
    "OpenStreetMap", "GitHub", "Markdown", "JSON", "CSV", "Turtle", "XLSX", "PDF", "DOCX", "HTML", "iCalendar", "Atom",
    "OpenAPI", "DCAT", "IATI", "Excel",
    # Unit symbols, written the same in every language (kbit/s).
    "kbit", "Mbit", "Gbit",
    # The repository the SDG texts come from, cited in the footer by its GitHub name.
    "open-sdg", "sdg-translations",
}

# Text written by users through the platform's forms (or by the demo standing in for them), shown as
# written, in the language it was written in: every text field of these models (fields with choices,
# which the catalogues translate, excepted). A review cycle's title and theme are written by the
# secretariat in the cycle's form, in one language, like any other user text.
USER_CONTENT = [
    "stocktaking.Initiative", "stocktaking.ProgressReport", "accounts.Organisation",
    "forum.Submission", "forum.SubmissionSpeaker", "forum.Room", "forum.Session", "forum.SessionSpeaker",
    "forum.SessionOutcome", "coordination.RoadMap", "coordination.Objective", "coordination.Milestone",
    "coordination.StatusUpdate", "coordination.EvidenceLink", "coordination.RoadMapVersion", "coordination.Meeting", "coordination.Decision",
    "coordination.ReportingRound", "coordination.Contribution", "prizes.Contest", "prizes.Category",
    "prizes.Entry", "reviews.ReviewCycle", "reviews.Question", "reviews.Answer", "reports.GeneratedDocument",
]

# Language menus and choices name each language in itself ("English" on every page).
LANGUAGE_NAMES = {"English", "Français", "Español", "Русский", "العربية", "中文"}
# Names of publications that their publishers do not translate.
PROPER_PHRASES = ["Our World in Data"]
# IANA time-zone identifiers ("Europe/Zurich") name the zone in which a forum's times are given: codes.
TIME_ZONE = re.compile(r"\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Z][A-Za-z_]+\b")

LATIN_WORD = re.compile(r"[0-9A-Za-z\u00C0-\u024F]*[A-Za-z\u00C0-\u024F][0-9A-Za-z\u00C0-\u024F]*(?:['’\-][0-9A-Za-z\u00C0-\u024F]+)*")
URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|\S+\.(?:org|int|com|net|csv|json|yaml|pdf)\b")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HIDDEN_TAGS = {"script", "style", "template"}
# Identifiers shown as code (field, table and value names as the data spell them) are not prose.
CODE_TAGS = {"code", "kbd", "samp"}
SHOWN_ATTRIBUTES = ("alt", "aria-label", "placeholder")


def _is_code_or_name(word: str) -> bool:
    return (len(word) < 2 or any(ch.isdigit() for ch in word) or word.isupper() or word in PROPER_NAMES
            or word in LANGUAGE_NAMES)


def latin_words(text: str) -> list[str]:
    """The Latin-script words of ``text`` that are neither codes nor allowed proper names."""
    text = URL_OR_EMAIL.sub(" ", text)
    text = TIME_ZONE.sub(" ", text)
    for phrase in PROPER_PHRASES:
        text = text.replace(phrase, " ")
    return [w for w in LATIN_WORD.findall(text) if not _is_code_or_name(w)]


class VisibleText(HTMLParser):
    """Splits a page into the text shown in its language and the text marked as another language.

    ``shown`` is a list of text runs in the page's language; ``marked`` a list of ``(lang, text,
    has_fallback_mark)`` for elements whose ``lang`` names another language (their descendants are
    not read again)."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang.split("-")[0]
        self.stack: list[dict] = []
        self.shown: list[str] = []
        self.marked: list[tuple[str, str, bool]] = []

    def _hidden(self) -> bool:
        return any(frame["hidden"] for frame in self.stack)

    def _foreign(self) -> dict | None:
        return next((frame for frame in self.stack if frame["foreign"]), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            return
        lang = (attrs.get("lang") or "").lower()
        foreign = bool(lang) and lang.split("-")[0] != self.page_lang and self._foreign() is None
        frame = {"tag": tag, "hidden": tag in HIDDEN_TAGS or tag in CODE_TAGS, "foreign": foreign, "lang": lang, "text": [],
                 "classes": (attrs.get("class") or "").split()}
        if self.stack and "fact-mark-fallback" in frame["classes"]:
            self.stack[-1]["has_fallback_mark"] = True
        if not self._hidden():
            for name in SHOWN_ATTRIBUTES:
                if attrs.get(name):
                    self._text(attrs[name], frame if foreign else None)
        if tag in VOID:
            return
        self.stack.append(frame)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1]["tag"] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID or tag == "html":
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                for frame in reversed(self.stack[i:]):
                    self._close(frame, i)
                del self.stack[i:]
                return

    def _close(self, frame: dict, index: int) -> None:
        if frame["foreign"]:
            parent = self.stack[index - 1] if index else {}
            self.marked.append((frame["lang"], " ".join(" ".join(frame["text"]).split()), frame))
            frame["parent"] = parent

    def _text(self, data: str, foreign: dict | None = None) -> None:
        foreign = foreign or self._foreign()
        if foreign is not None:
            foreign["text"].append(data)
        else:
            self.shown.append(data)

    def handle_data(self, data):
        if self._hidden() or not data.strip():
            return
        self._text(data)

    def close(self):
        super().close()
        for index in range(len(self.stack) - 1, -1, -1):
            self._close(self.stack[index], index)
        self.marked = [(lang, text, bool(frame.get("has_fallback_mark")
                                         or frame.get("parent", {}).get("has_fallback_mark")), frame["tag"])
                       for lang, text, frame in self.marked]


def _context(text: str, word: str) -> str:
    at = text.find(word)
    start, end = max(0, at - 40), min(len(text), at + len(word) + 40)
    return "…" + " ".join(text[start:end].split()) + "…"


def page_problems(html: str, lang: str, user_texts: set[str]) -> list[str]:
    parser = VisibleText(lang)
    parser.feed(html)
    parser.close()
    problems = []
    ordered = sorted(user_texts, key=len, reverse=True)
    user_pattern = re.compile("|".join(re.escape(t) for t in ordered)) if ordered else None
    for run in parser.shown:
        run = _without_user_texts(run, user_pattern, user_texts)
        for word in latin_words(run):
            problems.append(f"{word!r} in {_context(run, word)!r}")
    for marked_lang, text, has_mark, tag in parser.marked:
        # A citation names a source as published (a document's title, a database's name): <cite lang="en">.
        if marked_lang.split("-")[0] != "en" or has_mark or tag == "cite" or not latin_words(text):
            continue
        if marked_lang.split("-")[0] == "en" and text in LANGUAGE_NAMES:
            continue
        if any(text in user or user in text for user in user_texts if len(user) > 3):
            continue
        cut = text.strip().rstrip("…").rstrip(".").strip()  # a user text cut short (a breadcrumb's title;
        # Django's Chinese catalogue truncates with "...")
        if text.strip().endswith(("…", "...")) and len(cut) > 10 and any(user.startswith(cut) for user in user_texts):
            continue
        problems.append(f"English without an 'English: not yet translated' mark: {text[:100]!r}")
    return problems


def _user_texts() -> set[str]:
    texts = set()
    for label in USER_CONTENT:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices]
        for row in model.objects.values_list(*fields):
            for value in row:
                for chunk in re.split(r"\s*\n\s*", str(value or "")):
                    if len(chunk.strip()) > 3:
                        texts.add(" ".join(chunk.split()))
    return texts


def _without_user_texts(run: str, user_pattern: re.Pattern | None, user_texts: set[str]) -> str:
    run = " ".join(run.split())
    if user_pattern is not None:
        run = user_pattern.sub(" ", run)
    # A user text cut short on a list ("Opening ceremony and high-level policy …").
    cut = run.strip().rstrip("…").rstrip(".").strip()
    if run.strip().endswith(("…", "...")) and len(cut) > 10 and any(text.startswith(cut) for text in user_texts):
        return ""
    return run


def _argless_pages() -> list[str]:
    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner in SKIPPED_NAMESPACES:
                    continue
                yield from walk(pattern.url_patterns, f"{namespace}:{pattern.namespace}"
                                if namespace and pattern.namespace else inner)
            elif isinstance(pattern, URLPattern) and pattern.name and "<" not in str(pattern.pattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if name not in SKIPPED_NAMES:
                    yield str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns, None)))


LINK = re.compile(r'<a\s[^>]*href="([^"#?]*)"')


def _url_name(path: str, lang: str) -> str | None:
    try:
        with translation.override(lang):
            match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def public_pages(client: Client, lang: str) -> dict[str, str]:
    """``{path: html}`` of every public HTML page found, in ``lang``."""
    found: dict[str, str] = {}
    per_name: dict[str, int] = defaultdict(int)
    frontier = [f"/{lang}/{path}" for path in _argless_pages()]
    for _depth in range(DEPTH + 1):
        following = []
        for path in frontier:
            if path in found:
                continue
            name = _url_name(path, lang)
            if name is None or name in SKIPPED_NAMES or per_name[name] >= PER_NAME:
                continue
            response = client.get(path)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            per_name[name] += 1
            html = response.content.decode()
            found[path] = html
            main = html[html.find("<main"):] if "<main" in html else html
            for href in LINK.findall(main):
                href = urlsplit(href).path
                if href.startswith(f"/{lang}/") and "." not in href.rsplit("/", 1)[-1]:
                    following.append(href)
        frontier = following
    return found


@pytest.fixture
def demo_data():
    call_command("seed_demo", initiatives=40, seed=1, no_input=True, verbosity=0)


def test_the_extractor_finds_latin_words_and_respects_marks():
    html = ('<html lang="ar"><head><title>المنصة Platform</title><style>.a{}</style></head><body>'
            '<p>نص <b>Matrix</b> C7 SDG https://itu.int/x mail@itu.int Creative Commons</p>'
            '<p><span lang="en" dir="ltr">Rationale text</span><small class="fact-mark fact-mark-fallback">[إنجليزي]</small></p>'
            '<p><span lang="en">Unmarked shipped text</span></p>'
            '<p><span lang="fr">Une initiative</span></p><p><span lang="en">School network in Kenya</span></p>'
            '<img alt="Chart of use"><script>var english = 1;</script></body></html>')
    problems = page_problems(html, "ar", {"School network in Kenya"})
    words = " ".join(problems)
    assert "'Platform'" in words and "'Matrix'" in words and "'Chart'" in words
    assert "Rationale" not in words and "Une" not in words and "english" not in words and "Kenya" not in words
    assert "Creative" not in words and "itu" not in words and "SDG" not in words
    cited = page_problems('<html lang="zh-hans"><body><p>来源：<cite lang="en">World Bank, WDI</cite>'
                          '（Europe/Zurich）<span>Opening ceremony and high-level polic...</span></p></body></html>',
                          "zh-hans", {"Opening ceremony and high-level policy statements"})
    assert cited == []
    assert any("Unmarked shipped text" in p for p in problems)


def test_arabic_and_chinese_pages_show_no_english_shipped_content(demo_data):
    user_texts = _user_texts()
    failures = []
    visited = 0
    for lang in LANGUAGES:
        client = Client()
        pages = public_pages(client, lang)
        visited += len(pages)
        for path, html in sorted(pages.items()):
            problems = page_problems(html, lang, user_texts)
            if problems:
                shown = "\n    ".join(problems[:15])
                more = f"\n    … and {len(problems) - 15} more" if len(problems) > 15 else ""
                failures.append(f"{path}: {len(problems)} Latin word(s)\n    {shown}{more}")
    assert visited > 80, f"only {visited} pages were found: the crawl is broken"
    assert not failures, f"{len(failures)} page(s) with English shipped content:\n\n" + "\n\n".join(failures)
