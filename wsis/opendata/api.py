"""API of the open-data app: the latest bulk downloads, with each file's stable URL, size and checksum."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError

from . import selectors
from .descriptors import licence

router = Router(tags=["open data"])

__all__ = ["router"]


class DumpFileOut(Schema):
    name: str
    table: str
    format: str
    media_type: str
    rows: int | None
    size: int
    sha256: str
    url: str
    latest_url: str


class DumpOut(Schema):
    id: int
    finished_at: dt.datetime
    licence: dict
    datapackage_url: str
    files: list[DumpFileOut]


@router.get("/opendata/downloads", response=DumpOut, summary="The latest bulk downloads of all published data",
            operation_id="opendata_downloads")
def latest_downloads(request):
    dump = selectors.dump_latest()
    if dump is None:
        raise HttpError(404, "No bulk download has been built yet.")
    files = [{**{k: e[k] for k in ("name", "table", "format", "media_type", "rows", "size", "sha256")},
              "url": request.build_absolute_uri(reverse("opendata:dump-file", args=[dump.pk, e["name"]])),
              "latest_url": request.build_absolute_uri(reverse("opendata:latest", args=[e["name"]]))}
             for e in dump.files]
    return {"id": dump.pk, "finished_at": dump.finished_at, "licence": licence(), "files": files,
            "datapackage_url": request.build_absolute_uri(reverse("opendata:latest", args=["datapackage.json"]))}
