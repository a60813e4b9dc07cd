#!/usr/bin/env python
"""Message catalogues for the six UN languages: update, compile, export for translators, import back.

    python scripts/translations.py update            # makemessages for all six languages, then compile
    python scripts/translations.py compile           # .po → .mo (msgfmt if present, else polib)
    python scripts/translations.py stats             # translated / untranslated / fuzzy per language
    python scripts/translations.py export -o todo.json [--path wsis/forum --path templates/forum] [--all]
    python scripts/translations.py import todo.json  # merge translations back, validate, compile

The JSON of ``export`` holds one object per message with the five translations side by side, so a
translator (or a helper) fills every language of a message at once::

    {"languages": {"ar": {"nplurals": 6, "plural": "..."}, ...},
     "entries": [{"msgid": "Sign in", "msgid_plural": null, "msgctxt": null,
                  "where": ["templates/base.html"], "flags": [], "comment": "",
                  "translations": {"ar": "", "es": "", "fr": "", "ru": "", "zh_Hans": ""}}]}

A plural message has ``msgid_plural`` set and a list of ``nplurals`` strings per language. Fuzzy
guesses made by ``msgmerge`` appear as the current value with ``"fuzzy": ["fr", ...]``; ``import``
clears the fuzzy flag of every language it writes. ``import`` refuses placeholders that the English
text does not have (``%(name)s``, ``{name}``) and plural lists of the wrong length.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
# Django's locale directory names. English is the source language: its catalogue exists (makemessages
# makes it) but needs no translation.
ALL_LOCALES = ["ar", "en", "es", "fr", "ru", "zh_Hans"]
TRANSLATED_LOCALES = ["ar", "es", "fr", "ru", "zh_Hans"]
PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
          "n%100>=11 ? 4 : 5);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
          "n%100>=20) ? 1 : 2);",
    "zh_Hans": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}
LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "es": "Spanish", "fr": "French", "ru": "Russian",
                  "zh_Hans": "Chinese (Simplified)"}
# One definition of what makemessages reads, shared with scripts/check_translations.py.
MAKEMESSAGES_OPTIONS = [
    "--extension=html,txt,py",
    "--ignore=.venv", "--ignore=node_modules", "--ignore=tests", "--ignore=staticfiles",
    "--ignore=var", "--ignore=bench", "--ignore=scripts", "--ignore=test-results", "--ignore=build",
    "--no-obsolete",
    # File names without line numbers: catalogues change only when messages do.
    "--add-location=file",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|(?<!%)%[sdifr]|\{(\w*)\}")


def _polib():
    try:
        import polib
    except ImportError:  # pragma: no cover - a setup problem, said plainly
        sys.exit("polib is missing: .venv/bin/pip install 'polib>=1.2,<2' (it is in the dev extras).")
    return polib


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def load(locale: str):
    return _polib().pofile(str(po_path(locale)), wrapwidth=79)


def nplurals(locale: str) -> int:
    return int(re.search(r"nplurals\s*=\s*(\d+)", PLURAL_FORMS[locale]).group(1))


def placeholders(text: str) -> set[str]:
    found = set()
    for match in PLACEHOLDER.finditer(text or ""):
        found.add(match.group(0))
    return found


def entry_key(entry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


def is_translated(entry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def live_entries(po):
    """Entries that count: not obsolete, not the header."""
    return [e for e in po if not e.obsolete and e.msgid != ""]


# --- update and compile ---------------------------------------------------------------------------


def _django_env() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    return env


def run_makemessages(project_dir: Path, locales: list[str], *, keep_pot: bool = False) -> None:
    args = [sys.executable, "manage.py", "makemessages", "--verbosity=0", *MAKEMESSAGES_OPTIONS]
    args += [f"--locale={loc}" for loc in locales]
    if keep_pot:
        args.append("--keep-pot")
    subprocess.run(args, cwd=project_dir, env=_django_env(), check=True)


def fix_headers(locales: list[str]) -> None:
    """makemessages writes a blank template header; give each catalogue its language and plural rule."""
    for locale in locales:
        po = load(locale)
        po.metadata.update({
            "Project-Id-Version": "WSIS Implementation Platform",
            "Report-Msgid-Bugs-To": "",
            "Last-Translator": "WSIS Platform translators",
            "Language-Team": LANGUAGE_NAMES[locale],
            "Language": locale.replace("_", "-").lower() if locale != "zh_Hans" else "zh-Hans",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": PLURAL_FORMS[locale],
        })
        # Keep the header stable: the creation date would change on every run and mean nothing.
        po.metadata["POT-Creation-Date"] = "2025-01-01 00:00+0000"
        po.metadata.pop("PO-Revision-Date", None)
        po.header = "Message catalogue of the WSIS Implementation Platform.\nThis file is distributed " \
                    "under the same licence as the project (AGPL-3.0-or-later)."
        po.metadata_is_fuzzy = False
        for entry in po:
            # A new catalogue starts with the template's two plural forms; give each language its own.
            if entry.msgid_plural and len(entry.msgstr_plural) != nplurals(locale) \
                    and not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = dict.fromkeys(range(nplurals(locale)), "")
        po.save()


def compile_catalogues(locales: list[str] = ALL_LOCALES) -> None:
    """Compile with GNU msgfmt (through Django, which also checks formats) when it is installed,
    otherwise with polib, so that no gettext tools are needed to run the site."""
    if shutil.which("msgfmt"):
        args = [sys.executable, "manage.py", "compilemessages", "--verbosity=0", "--ignore=.venv"]
        args += [f"--locale={loc}" for loc in locales]
        subprocess.run(args, cwd=ROOT, env=_django_env(), check=True)
        return
    for locale in locales:
        load(locale).save_as_mofile(str(po_path(locale).with_suffix(".mo")))


def cmd_update(args) -> int:
    run_makemessages(ROOT, ALL_LOCALES)
    fix_headers(ALL_LOCALES)
    compile_catalogues()
    return cmd_stats(args)


def cmd_compile(args) -> int:
    compile_catalogues()
    return 0


def cmd_stats(args) -> int:
    for locale in TRANSLATED_LOCALES:
        entries = live_entries(load(locale))
        fuzzy = sum(1 for e in entries if "fuzzy" in e.flags)
        missing = sum(1 for e in entries if not is_translated(e))
        print(f"{locale:8} {len(entries):5} messages, {len(entries) - missing - fuzzy:5} translated, "
              f"{missing:5} untranslated, {fuzzy:5} fuzzy")
    return 0


# --- export and import ----------------------------------------------------------------------------


def _where(entry) -> list[str]:
    return sorted({path for path, _line in entry.occurrences})


def cmd_export(args) -> int:
    catalogues = {loc: load(loc) for loc in args.lang}
    base = catalogues[args.lang[0]]
    entries = []
    for entry in live_entries(base):
        where = _where(entry)
        if args.path and not any(w.startswith(p) for w in where for p in args.path):
            continue
        translations, fuzzy, todo = {}, [], False
        for loc, po in catalogues.items():
            other = po.find(entry.msgid, msgctxt=entry.msgctxt) if entry.msgctxt else po.find(entry.msgid)
            if other is None:
                todo = True
                translations[loc] = [""] * nplurals(loc) if entry.msgid_plural else ""
                continue
            if other.msgid_plural:
                translations[loc] = [other.msgstr_plural.get(i, "") for i in range(nplurals(loc))]
            else:
                translations[loc] = other.msgstr
            if "fuzzy" in other.flags:
                fuzzy.append(loc)
            if "fuzzy" in other.flags or not is_translated(other):
                todo = True
        if not todo and not args.all:
            continue
        item = {
            "msgctxt": entry.msgctxt or None,
            "msgid": entry.msgid,
            "msgid_plural": entry.msgid_plural or None,
            "where": where,
            "flags": [f for f in entry.flags if f != "fuzzy"],
            "comment": entry.comment or "",
            "translations": translations,
        }
        if fuzzy:
            item["fuzzy"] = fuzzy
        entries.append(item)
    data = {
        "languages": {loc: {"nplurals": nplurals(loc), "plural": PLURAL_FORMS[loc]} for loc in args.lang},
        "entries": entries,
    }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"{len(entries)} message(s) written to {args.output}", file=sys.stderr)
    return 0


def validate(entry_msgid: str, entry_plural: str | None, locale: str, value) -> str | None:
    """Why ``value`` cannot be the translation of the message in ``locale`` (None when it can)."""
    allowed = placeholders(entry_msgid) | placeholders(entry_plural or "")
    if entry_plural:
        if not isinstance(value, list) or len(value) != nplurals(locale):
            return f"{locale}: a plural message needs a list of {nplurals(locale)} forms"
        for form in value:
            extra = placeholders(form) - allowed
            if extra:
                return f"{locale}: unknown placeholder(s) {sorted(extra)}"
        # Every placeholder but the count itself must appear in the general (last) form.
        missing = allowed - placeholders(value[-1])
        if missing:
            return f"{locale}: the last plural form lacks {sorted(missing)}"
        return None
    if not isinstance(value, str):
        return f"{locale}: expected a string"
    if placeholders(value) != allowed:
        return f"{locale}: placeholders {sorted(placeholders(value))} differ from the English {sorted(allowed)}"
    return None


def cmd_import(args) -> int:
    data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    errors, written = [], 0
    catalogues = {}
    for item in data["entries"]:
        for loc, value in item.get("translations", {}).items():
            if loc not in TRANSLATED_LOCALES:
                continue
            empty = (not value) or (isinstance(value, list) and not all(str(v).strip() for v in value))
            if empty:
                continue
            po = catalogues.setdefault(loc, load(loc))
            entry = po.find(item["msgid"], msgctxt=item["msgctxt"]) if item.get("msgctxt") else po.find(item["msgid"])
            if entry is None or entry.obsolete:
                errors.append(f"{loc}: not in the catalogue (run `make messages` first): {item['msgid'][:60]!r}")
                continue
            problem = validate(entry.msgid, entry.msgid_plural or None, loc, value)
            if problem:
                errors.append(f"{problem}: {item['msgid'][:60]!r}")
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(value))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            written += 1
    for po in catalogues.values():
        po.save()
    for line in errors:
        print(line, file=sys.stderr)
    print(f"{written} translation(s) written; {len(errors)} refused.", file=sys.stderr)
    if catalogues and not args.no_compile:
        compile_catalogues()
    return 1 if errors else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="makemessages for all six languages, then compile").set_defaults(func=cmd_update)
    sub.add_parser("compile", help="compile .po into .mo").set_defaults(func=cmd_compile)
    sub.add_parser("stats", help="counts per language").set_defaults(func=cmd_stats)
    export = sub.add_parser("export", help="messages still to translate, as JSON")
    export.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    export.add_argument("--lang", nargs="+", default=TRANSLATED_LOCALES, choices=TRANSLATED_LOCALES)
    export.add_argument("--path", action="append", default=[],
                        help="only messages used under this path prefix (repeatable), e.g. wsis/forum")
    export.add_argument("--all", action="store_true", help="include messages already translated")
    export.set_defaults(func=cmd_export)
    imp = sub.add_parser("import", help="merge a translated JSON export back into the catalogues")
    imp.add_argument("file")
    imp.add_argument("--no-compile", action="store_true")
    imp.set_defaults(func=cmd_import)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
