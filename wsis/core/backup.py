"""Backups: a PostgreSQL dump (pg_dump custom format) plus the media files, with a manifest.

A backup is one directory::

    wsis-backup-20261207T170000Z/
        database.dump     pg_dump --format=custom (restored by pg_restore)
        media.tar.gz      MEDIA_ROOT (uploads, generated reports)
        manifest.json     format, creation time, versions (platform, Django, Python, PostgreSQL,
                          pg_dump), the latest migration of every app, and each file's size and SHA-256

:func:`backup_restore` checks every file against the manifest *before* it touches anything and
refuses on a missing file or a checksum that differs; then it restores the database
(``pg_restore --clean --if-exists --no-owner --single-transaction``: all or nothing) and replaces
the media directory. Media on S3-compatible storage are not in the archive: the bucket's own
versioning and replication cover them (docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

__all__ = ["BackupError", "MANIFEST", "backup_create", "backup_restore", "backup_verify"]

MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
FORMAT = "wsis-backup/1"


class BackupError(Exception):
    """A backup cannot be made, or a backup directory is not one this platform can restore."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(db: dict) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore from a Django database dict (password in the env)."""
    if db["ENGINE"] not in ("django.db.backends.postgresql", "django_prometheus.db.backends.postgresql"):
        raise BackupError(f"backup and restore need PostgreSQL; the database is {db['ENGINE']}.")
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict) -> str:
    try:
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{cmd[0]} not found: install the PostgreSQL client (postgresql-client).") from exc
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed ({result.returncode}): {result.stderr.strip()[:2000]}")
    return result.stdout


def _versions(db: dict) -> dict:
    args, env = _pg_env(db)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    try:
        platform_version = metadata.version("wsis-platform")
    except metadata.PackageNotFoundError:
        platform_version = "unknown"
    return {"platform": platform_version, "django": django.get_version(), "python": platform.python_version(),
            "postgresql": server, "pg_dump": _run(["pg_dump", "--version"], env).strip()}


def _migrations() -> dict:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def backup_create(*, output_dir: Path, media_root: Path | None = None, database: str = "default") -> Path:
    """Write a backup directory under ``output_dir``; returns its path."""
    db = settings.DATABASES[database]
    args, env = _pg_env(db)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(output_dir) / f"wsis-backup-{stamp}"
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True)
    try:
        _run(["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(partial / DATABASE_FILE),
              str(db["NAME"])], env)
        with tarfile.open(partial / MEDIA_FILE, "w:gz") as archive:
            if media_root.is_dir():
                for child in sorted(media_root.iterdir()):
                    archive.add(child, arcname=child.name)
        files = {name: {"sha256": _sha256(partial / name), "bytes": (partial / name).stat().st_size}
                 for name in (DATABASE_FILE, MEDIA_FILE)}
        manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                    "database": str(db["NAME"]), "versions": _versions(db), "migrations": _migrations(),
                    "files": files}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(target)  # a directory without ".partial" is complete
    return target


def backup_verify(path: Path) -> dict:
    """The manifest of the backup at ``path`` once every file matches its size and SHA-256; raises
    :class:`BackupError` naming the first file that is missing or differs."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{path}: no {MANIFEST}; not a backup directory.") from exc
    except json.JSONDecodeError as exc:
        raise BackupError(f"{path / MANIFEST}: not valid JSON ({exc}).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r} (expected {FORMAT}).")
    for name, expected in manifest.get("files", {}).items():
        file = path / name
        if not file.is_file():
            raise BackupError(f"{file}: missing.")
        actual = _sha256(file)
        if actual != expected["sha256"]:
            raise BackupError(f"{file}: SHA-256 {actual} does not match the manifest's {expected['sha256']}; "
                              "the backup is damaged or was altered. Nothing was restored.")
    if set(manifest.get("files", {})) != {DATABASE_FILE, MEDIA_FILE}:
        raise BackupError(f"{path}: the manifest must list {DATABASE_FILE} and {MEDIA_FILE}.")
    return manifest


def backup_restore(*, path: Path, media_root: Path | None = None, database: str = "default",
                   database_name: str | None = None) -> dict:
    """Verify, then restore the database and the media of the backup at ``path``. Returns the manifest.

    ``database_name`` restores into another (existing, empty or not) database of the same server."""
    manifest = backup_verify(path)
    path = Path(path)
    db = settings.DATABASES[database]
    args, env = _pg_env(db)
    name = database_name or str(db["NAME"])
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if name == str(db["NAME"]):
        connections[database].close()  # our own session would hold locks pg_restore --clean needs
    _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", "--dbname", name, str(path / DATABASE_FILE)], env)
    # Media: unpack beside the old directory, then swap, so a failed unpack leaves the old files.
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        with tarfile.open(path / MEDIA_FILE, "r:gz") as archive:
            archive.extractall(staging, filter="data")
        old = media_root.with_name(media_root.name + ".before-restore")
        if old.exists():
            shutil.rmtree(old)
        if media_root.exists():
            media_root.rename(old)
        staging.rename(media_root)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest
