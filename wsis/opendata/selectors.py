"""Reads of the open-data app: the latest ready build of the bulk downloads and its files."""

from __future__ import annotations

from django.http import Http404

from .models import Dump

__all__ = ["dump_latest", "dump_get_ready", "dump_file", "dump_in_progress"]


def dump_latest() -> Dump | None:
    """The newest ready build (what the "latest" URLs serve), or None before the first one."""
    return Dump.objects.filter(state=Dump.State.DONE).order_by("-finished_at", "-id").first()


def dump_get_ready(pk: int) -> Dump:
    dump = Dump.objects.filter(pk=pk, state=Dump.State.DONE).first()
    if dump is None:
        raise Http404
    return dump


def dump_file(dump: Dump, name: str) -> dict:
    """The entry of file ``name`` in ``dump``, or 404."""
    for entry in dump.files:
        if entry["name"] == name:
            return entry
    raise Http404


def dump_in_progress() -> Dump | None:
    return Dump.objects.filter(state__in=[Dump.State.QUEUED, Dump.State.RUNNING]).order_by("-id").first()
