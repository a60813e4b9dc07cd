"""Progress lines of background jobs (report builds), stored so that each reader sees them in their language.

A job runs in the worker's language, but its log is read on pages in six: a line is stored by its
English message id and parameters (``entry``) and translated when shown (``shown``). Lines stored before
this as plain English text are translated too when the text is a known message.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext

__all__ = ["append", "entry", "shown"]


def entry(message, params: dict | None = None) -> dict:
    """A log line for ``message`` (a lazy translation such as ``_("Done.")``) and its ``%`` parameters."""
    with translation.override(None):  # no active translation: the message id itself
        msgid = str(message)
    params = dict(params or {})
    return {"at": timezone.now().isoformat(), "msgid": msgid, "params": params,
            "text": msgid % params if params else msgid}


def append(job, message, *, progress: int | None = None, params: dict | None = None) -> None:
    """Add a line to ``job``'s log and save it (a row with ``messages``, ``progress`` and ``updated_at``:
    a generated document, a review report)."""
    job.messages = [*job.messages, entry(message, params)]
    fields = ["messages", "updated_at"]
    if progress is not None:
        job.progress = progress
        fields.append("progress")
    job.save(update_fields=fields)


def shown(line: dict) -> str:
    """The line in the active language (English where the catalogue has no translation)."""
    msgid = line.get("msgid") or line.get("text") or ""
    params = line.get("params") or {}
    text = gettext(msgid)
    if not params:
        return text
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return line.get("text") or msgid
