#!/usr/bin/env python
"""Fail when a message catalogue is incomplete or stale (``make check-messages``; run by CI).

For each of ar, es, fr, ru and zh_Hans (English is the source language) it fails on:

- an untranslated message (an empty msgstr, or any empty plural form);
- a fuzzy message (a guess by msgmerge that no translator has confirmed);
- a translation whose placeholders (``%(name)s``, ``{name}``) differ from the English text, or that
  GNU msgfmt --check-format refuses;
- a wrong number of plural forms for the language (Arabic 6, Russian 3, Chinese 1, French/Spanish 2);
- a stale catalogue: the messages in the code differ from those in the catalogue. The check runs
  ``makemessages`` on a copy of the sources in a temporary directory and compares the message ids,
  so it never touches the working tree. Fix with ``make messages``.
- a compiled ``.mo`` file that does not match its ``.po`` (fix with ``python scripts/translations.py compile``);
- in Arabic, Chinese and Russian, a "translation" that is the English text itself (a word of three or more
  Latin letters, msgstr == msgid): the language names had been "translated" so and showed in English on
  Russian and Chinese pages. Format names, codes and the lines UN covers keep in English are listed in
  ``KEPT_IN_ENGLISH`` with the reason.

Exit status 0 when all is well, 1 with a report otherwise. ``--no-stale`` skips the makemessages run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import translations as tr  # noqa: E402 - the sibling module, found through the line above

COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", "staticfiles", "test-results", "__pycache__", "*.pyc",
    "*.sqlite3", ".ruff_cache", ".pytest_cache", "media", "*.mo", "build", "*.egg-info",
)


NON_LATIN_LOCALES = {"ar", "ru", "zh_Hans"}
COVER_BLOCK = "the English cover block of UN documents"
COVER_SOURCES = {"wsis/reports/document.py", "wsis/reports/rendering.py"}
# Messages whose English text is also their text in Arabic, Chinese and Russian, each for a reason.
KEPT_IN_ENGLISH = {
    **dict.fromkeys(["PDF", "HTML", "DOCX", "API", "Turtle", "SHA-256", "PDF SHA-256", "DOCX SHA-256", "HTML SHA-256",
                     "SDMX-CSV (REF_AREA, TIME_PERIOD, OBS_VALUE)"], "a format or standard's own name"),
    **dict.fromkeys(["YYYY-MM-DD.", "https://…"], "a pattern the reader types as shown"),
    # UN documents in every language print the symbol block of the cover in English ("Distr.: General",
    # "Original: English"); the report engine's cover follows them (wsis/reports/document.py, rendering.py).
    **dict.fromkeys(["General", "Limited", "Restricted", "Distr.: %(distribution)s", "Original: %(language)s",
                     "Arabic", "Chinese", "English", "French", "Russian", "Spanish"], COVER_BLOCK),
}


def _english_left(entry) -> bool:
    import re

    if entry.msgid_plural or entry.msgstr != entry.msgid:
        return False
    reason = KEPT_IN_ENGLISH.get(entry.msgid)
    if reason == COVER_BLOCK:  # kept in English on the cover only: the same message on a page is an error
        return any(path not in COVER_SOURCES for path in tr._where(entry))
    if reason:
        return False
    return bool(re.search(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)[sd]|\{\w+\}", "", entry.msgid)))


def catalogue_problems(locale: str) -> list[str]:
    po = tr.load(locale)
    problems = []
    expected = tr.nplurals(locale)
    header = po.metadata.get("Plural-Forms", "")
    if f"nplurals={expected}" not in header.replace(" ", ""):
        problems.append(f"{locale}: Plural-Forms header should say nplurals={expected}, not {header!r}")
    for entry in tr.live_entries(po):
        label = f"{locale}: {entry.msgid[:70]!r} ({', '.join(tr._where(entry)) or 'no source'})"
        if "fuzzy" in entry.flags:
            problems.append(f"{label}: fuzzy")
            continue
        if not tr.is_translated(entry):
            problems.append(f"{label}: untranslated")
            continue
        if entry.msgid_plural:
            if len(entry.msgstr_plural) != expected:
                problems.append(f"{label}: {len(entry.msgstr_plural)} plural forms, expected {expected}")
                continue
            value = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        else:
            value = entry.msgstr
        if locale in NON_LATIN_LOCALES and _english_left(entry):
            problems.append(f"{label}: the English text is left as its translation")
            continue
        problem = tr.validate(entry.msgid, entry.msgid_plural or None, locale, value)
        if problem:
            problems.append(f"{label}: {problem.split(': ', 1)[1]}")
    problems += msgfmt_problems(locale)
    mo = tr.po_path(locale).with_suffix(".mo")
    if not mo.exists():
        problems.append(f"{locale}: {mo.relative_to(tr.ROOT)} is missing (python scripts/translations.py compile)")
    elif not _mo_matches(locale):
        problems.append(f"{locale}: {mo.relative_to(tr.ROOT)} does not match its .po "
                        "(python scripts/translations.py compile)")
    return problems


def msgfmt_problems(locale: str) -> list[str]:
    """GNU msgfmt's own format check (when installed): it knows every C and Python directive."""
    import shutil
    import subprocess

    if not shutil.which("msgfmt"):
        return []
    result = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(tr.po_path(locale))],
                            capture_output=True, text=True)
    if result.returncode == 0:
        return []
    return [f"{locale}: msgfmt: {line}" for line in result.stderr.splitlines() if "fatal" not in line][:20]


def _mo_matches(locale: str) -> bool:
    """The compiled catalogue holds exactly the confirmed translations of the .po."""
    import polib

    mo = polib.mofile(str(tr.po_path(locale).with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in tr.live_entries(tr.load(locale)):
        if "fuzzy" in entry.flags:
            continue
        if compiled.get((entry.msgctxt, entry.msgid)) != (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))):
            return False
    return True


def stale_problems() -> list[str]:
    """Compare the message ids in the code (makemessages on a copy) with each catalogue's."""
    with tempfile.TemporaryDirectory(prefix="wsis-messages-") as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(tr.ROOT, copy, ignore=COPY_IGNORE, symlinks=True)
        shutil.rmtree(copy / "locale", ignore_errors=True)
        (copy / "locale").mkdir()
        tr.run_makemessages(copy, ["en"], keep_pot=True)
        import polib

        pot = polib.pofile(str(copy / "locale" / "django.pot"))
        in_code = {tr.entry_key(e) for e in pot if e.msgid}
    problems = []
    listed = False
    for locale in tr.TRANSLATED_LOCALES:
        in_po = {tr.entry_key(e) for e in tr.live_entries(tr.load(locale))}
        if in_code == in_po:
            continue
        if not listed:  # the catalogues are updated together: list the differences once
            for _ctxt, msgid in sorted(in_code - in_po, key=lambda k: k[1])[:30]:
                problems.append(f"new in the code, missing from the catalogues: {msgid[:70]!r}")
            for _ctxt, msgid in sorted(in_po - in_code, key=lambda k: k[1])[:30]:
                problems.append(f"in the catalogues, no longer in the code: {msgid[:70]!r}")
            listed = True
        problems.append(f"{locale}: catalogue is stale ({len(in_code - in_po)} new, "
                        f"{len(in_po - in_code)} gone): run `make messages`")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-stale", action="store_true", help="skip the comparison with the code")
    parser.add_argument("--max", type=int, default=50, help="problems to list per language (default 50)")
    args = parser.parse_args(argv)
    failures = 0
    for locale in tr.TRANSLATED_LOCALES:
        problems = catalogue_problems(locale)
        failures += len(problems)
        for line in problems[: args.max]:
            print(line)
        if len(problems) > args.max:
            print(f"{locale}: … and {len(problems) - args.max} more")
        print(f"{locale}: {'OK' if not problems else f'{len(problems)} problem(s)'}", file=sys.stderr)
    if not args.no_stale:
        problems = stale_problems()
        failures += len(problems)
        for line in problems:
            print(line)
        print(f"catalogues vs code: {'OK' if not problems else 'stale'}", file=sys.stderr)
    if failures:
        print("Translations incomplete: `python scripts/translations.py export -o todo.json`, translate, "
              "then `python scripts/translations.py import todo.json`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
