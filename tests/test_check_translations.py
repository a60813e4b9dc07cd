"""The catalogue check (scripts/check_translations.py, run by CI) refuses English left as a translation.

Russian and Chinese pages showed "English", "French"… as language names: the msgids were shared with the
report engine's cover, where UN practice keeps them in English, and the check counted them translated.
"""

import sys
from pathlib import Path

import polib
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import check_translations as ct  # noqa: E402


def entry(msgid, msgstr, *where):
    return polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[(path, "") for path in where])


@pytest.mark.parametrize(("msgid", "msgstr", "where", "flagged"), [
    ("Save the translation", "Save the translation", ["templates/x.html"], True),
    ("Save the translation", "Сохранить перевод", ["templates/x.html"], False),
    ("PDF", "PDF", ["templates/x.html"], False),  # a format's own name
    ("English", "English", ["wsis/reports/document.py"], False),  # the cover block, as UN documents print it
    ("English", "English", ["wsis/reports/document.py", "wsis/stocktaking/languages.py"], True),  # the bug
    ("Original: %(language)s", "Original: %(language)s", ["wsis/reports/rendering.py"], False),
    ("%(n)s %(m)s", "%(n)s %(m)s", ["templates/x.html"], False),  # placeholders only
])
def test_english_left_as_translation(msgid, msgstr, where, flagged):
    assert ct._english_left(entry(msgid, msgstr, *where)) is flagged


@pytest.mark.parametrize("locale", sorted(ct.NON_LATIN_LOCALES))
def test_shipped_catalogues_have_no_english_left(locale):
    po = ct.tr.load(locale)
    assert [e.msgid for e in ct.tr.live_entries(po) if ct._english_left(e)] == []
