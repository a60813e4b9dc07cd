"""Job progress lines are stored by message id and shown in the reader's language (issue 21: the report
pages showed "Queued.", "Collecting responses…" in English on Arabic and Chinese pages)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wsis.core import joblog


def test_a_line_written_in_one_language_reads_in_another():
    with translation.override("fr"):
        line = joblog.entry(_("Queued."))
    assert line["msgid"] == "Queued." and line["text"] == "Queued."
    with translation.override("ar"):
        assert joblog.shown(line) == translation.gettext("Queued.") != "Queued."


def test_parameters_are_applied_after_translation_and_old_lines_still_read():
    line = joblog.entry(_("Failed: %(error)s"), {"error": "OSError: disk full"})
    assert line["text"] == "Failed: OSError: disk full"
    with translation.override("ru"):
        shown = joblog.shown(line)
        expected = translation.gettext("Failed: %(error)s") % {"error": "OSError: disk full"}
        legacy = joblog.shown({"at": "2026-12-07T10:00:00", "text": "Done."})
        assert legacy == translation.gettext("Done.") != "Done."
    assert shown == expected and shown != line["text"]
