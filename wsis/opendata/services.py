"""Writes of the open-data app: build the bulk downloads (nightly and on demand), and import IATI files.

``dump_request`` records a build and queues it (``tasks.dump_build_task``) after the commit;
``dump_build`` writes every table of :mod:`wsis.opendata.tables` in every format of
:mod:`wsis.opendata.writers` into a temporary folder, one table at a time (memory flat), adds
``datapackage.json`` and ``data-dictionary.csv``, computes each file's size and SHA-256, then moves
the files into the default storage under ``opendata/<id>/`` and marks the build ready. The newest
ready build is what the stable "latest" URLs serve; older builds beyond ``OPEN_DATA_KEEP`` are removed.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wsis.core.permissions import is_secretariat
from wsis.core.services import audit_record
from wsis.stocktaking.export_jobs import file_sha256
from wsis.stocktaking.services import initiative_import

from . import descriptors, iati, writers
from .models import Dump
from .selectors import iati_initiatives
from .tables import TABLES

__all__ = ["dump_request", "dump_build", "dump_prune", "EXTRA_FILES", "iati_import"]

logger = logging.getLogger(__name__)
IATI_FILE = "iati-activities.xml.gz"
EXTRA_FILES = {"datapackage.json": "application/json", "data-dictionary.csv": "text/csv"}


def _keep() -> int:
    return max(1, int(getattr(settings, "OPEN_DATA_KEEP", 3)))


@transaction.atomic
def dump_request(*, actor=None, trigger: str = Dump.Trigger.ON_DEMAND, enqueue: bool = True) -> Dump:
    """Queue a build of the bulk downloads. On demand: the secretariat only; nightly: the system (actor None).

    ``enqueue=False`` only records it, for a caller that builds it in its own process.
    """
    from .tasks import dump_build_task  # tasks import this module

    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied(_("Only the secretariat can rebuild the bulk downloads."))
    dump = Dump.objects.create(trigger=trigger)
    audit_record(actor=actor, action="opendata.dump.request", target=dump, summary=trigger)
    if enqueue:
        transaction.on_commit(lambda: dump_build_task.enqueue(dump.pk))
    return dump


def _set_progress(dump: Dump, text: str) -> None:
    Dump.objects.filter(pk=dump.pk).update(progress=text[:200])


def dump_build(*, dump_id: int) -> Dump:
    """Write every table in every format, the descriptors and the checksums; see the module's text."""
    dump = Dump.objects.get(pk=dump_id)
    if dump.state not in (Dump.State.QUEUED, Dump.State.FAILED):
        return dump
    Dump.objects.filter(pk=dump.pk).update(state=Dump.State.RUNNING, started_at=timezone.now(), error="")
    dump.refresh_from_db()
    workdir = tempfile.mkdtemp(prefix="wsis-dump-")
    stored: list[str] = []
    try:
        files: list[dict] = []
        for number, table in enumerate(TABLES, start=1):
            _set_progress(dump, f"{number}/{len(TABLES)} {table.name}")
            rows, names = writers.table_write(table, workdir)
            for fmt in writers.FORMATS:
                size, sha = file_sha256(os.path.join(workdir, names[fmt.key]))
                files.append({"name": names[fmt.key], "table": table.name, "format": fmt.key, "label": fmt.label,
                              "media_type": fmt.media_type, "compression": fmt.compression, "rows": rows,
                              "size": size, "sha256": sha})
        _set_progress(dump, "iati-activities.xml.gz")
        with gzip.open(os.path.join(workdir, IATI_FILE), "wt", encoding="utf-8") as handle:
            for piece in iati.activities_xml(iati_initiatives().iterator(chunk_size=500)):
                handle.write(piece)
        size, sha = file_sha256(os.path.join(workdir, IATI_FILE))
        files.append({"name": IATI_FILE, "table": "", "format": "iati", "label": "IATI 2.03 XML",
                      "media_type": "application/xml", "compression": "gzip", "rows": None, "size": size,
                      "sha256": sha})
        with open(os.path.join(workdir, "datapackage.json"), "w", encoding="utf-8") as handle:
            json.dump(descriptors.datapackage(dump, files), handle, ensure_ascii=False, indent=1)
        with open(os.path.join(workdir, "data-dictionary.csv"), "w", encoding="utf-8", newline="") as handle:
            handle.write(descriptors.data_dictionary_csv())
        for name, media_type in EXTRA_FILES.items():
            size, sha = file_sha256(os.path.join(workdir, name))
            files.append({"name": name, "table": "", "format": name.rsplit(".", 1)[1], "label": name,
                          "media_type": media_type, "compression": "", "rows": None, "size": size, "sha256": sha})
        for entry in files:
            with open(os.path.join(workdir, entry["name"]), "rb") as handle:
                target = f"{dump.folder}/{entry['name']}"
                if default_storage.exists(target):
                    default_storage.delete(target)
                saved = default_storage.save(target, File(handle, name=entry["name"]))
                stored.append(saved)
                entry["path"] = saved
    except Exception as exc:  # noqa: BLE001 - recorded on the build; the previous build stays "latest"
        logger.exception("Bulk download build %s failed", dump.pk)
        for path in stored:
            default_storage.delete(path)
        with transaction.atomic():
            Dump.objects.filter(pk=dump.pk).update(state=Dump.State.FAILED, error=str(exc)[:500],
                                                   finished_at=timezone.now())
            dump.refresh_from_db()
            audit_record(actor=None, action="opendata.dump.fail", target=dump, summary=dump.error)
        return dump
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    with transaction.atomic():
        Dump.objects.filter(pk=dump.pk).update(state=Dump.State.DONE, files=files, progress="",
                                               finished_at=timezone.now())
        dump.refresh_from_db()
        rows = {e["table"]: e["rows"] for e in files if e["format"] == "csv"}
        audit_record(actor=None, action="opendata.dump.complete", target=dump,
                     summary=f"{len(files)} files", data={"rows": rows})
    dump_prune()
    return dump


def dump_prune() -> int:
    """Remove builds (and their files) older than the newest ``OPEN_DATA_KEEP`` ready ones."""
    ready = list(Dump.objects.filter(state=Dump.State.DONE).order_by("-finished_at", "-id").values_list("pk", flat=True))
    old = Dump.objects.filter(pk__in=ready[_keep():])
    count = 0
    for dump in old:
        for entry in dump.files:
            path = entry.get("path")
            if path and default_storage.exists(path):
                default_storage.delete(path)
        audit_record(actor=None, action="opendata.dump.delete", target=dump)
        dump.delete()
        count += 1
    return count


def iati_import(*, user, organisation, data: bytes):
    """Import an IATI 2.03 activity file as draft initiatives of ``organisation`` (all or nothing).

    Returns ``(report, created)``: when the report has errors (by activity and element), nothing is
    written and ``created`` is empty. A hostile, malformed or invalid file raises ``iati.IatiFileError``.
    """
    report = iati.activities_parse(data)
    if report.errors:
        return report, []
    created = initiative_import(user=user, organisation=organisation, report=report, draft=True,
                                reason=str(_("Imported from an IATI file")))
    return report, created
