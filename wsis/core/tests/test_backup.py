"""manage.py backup / restore: the full round trip on PostgreSQL, and a damaged backup refused."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from wsis.core.backup import DATABASE_FILE, FORMAT, MANIFEST, MEDIA_FILE, BackupError, backup_verify
from wsis.core.models import AuditLog, WorkerHeartbeat

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="pg_dump/pg_restore: the round trip needs PostgreSQL")


def _fake_backup(tmp_path):
    path = tmp_path / "wsis-backup-x"
    path.mkdir()
    (path / DATABASE_FILE).write_bytes(b"dump")
    (path / MEDIA_FILE).write_bytes(b"media")
    files = {n: {"sha256": hashlib.sha256((path / n).read_bytes()).hexdigest(), "bytes": 4}
             for n in (DATABASE_FILE, MEDIA_FILE)}
    (path / MANIFEST).write_text(json.dumps({"format": FORMAT, "files": files, "created_at": "now",
                                             "versions": {}}))
    return path


def test_verify_accepts_matching_files_and_refuses_an_altered_one(tmp_path):
    path = _fake_backup(tmp_path)
    assert backup_verify(path)["format"] == FORMAT
    (path / DATABASE_FILE).write_bytes(b"dumq")
    with pytest.raises(BackupError, match="does not match the manifest"):
        backup_verify(path)


def test_verify_refuses_a_missing_file_or_manifest(tmp_path):
    path = _fake_backup(tmp_path)
    (path / MEDIA_FILE).unlink()
    with pytest.raises(BackupError, match="missing"):
        backup_verify(path)
    with pytest.raises(BackupError, match="no manifest.json"):
        backup_verify(tmp_path)


@pytest.mark.django_db
def test_restore_command_refuses_a_mismatch_before_touching_anything(tmp_path):
    path = _fake_backup(tmp_path)
    (path / MEDIA_FILE).write_bytes(b"other")
    before = AuditLog.objects.count()
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(path), "--yes")
    assert AuditLog.objects.count() == before


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
def test_backup_on_sqlite_says_postgresql_is_needed(tmp_path):
    with pytest.raises(CommandError, match="need PostgreSQL"):
        call_command("backup", "--output", str(tmp_path))


@on_postgresql
def test_backup_and_restore_round_trip(reference_data_committed, transactional_db, tmp_path, settings):
    # (reference_data_committed before transactional_db: the reference data are there even when an earlier
    # transactional test flushed them, and are put back after this test's own flush)
    from django.utils import timezone

    from wsis.taxonomy.models import Country

    media = tmp_path / "media"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "a.pdf").write_bytes(b"%PDF-1.7 kept")
    settings.MEDIA_ROOT = media
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="before-backup", started_at=now, seen_at=now)
    countries = Country.objects.count()
    assert countries > 0

    call_command("backup", "--output", str(tmp_path / "backups"))
    [backup] = list((tmp_path / "backups").iterdir())
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["versions"]["postgresql"] and manifest["migrations"]["core"] == max(
        name for app, name in MigrationRecorder(connection).applied_migrations() if app == "core")
    assert set(manifest["files"]) == {DATABASE_FILE, MEDIA_FILE}

    # Everything changes after the backup: rows deleted and added, a file removed and another added.
    WorkerHeartbeat.objects.all().delete()
    WorkerHeartbeat.objects.create(worker_id="after-backup", started_at=now, seen_at=now)
    Country.objects.filter(pk__in=Country.objects.values("pk")[:3]).delete()
    (media / "reports" / "a.pdf").unlink()
    (media / "stray.txt").write_text("after")

    call_command("restore", str(backup), "--yes")

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["before-backup"]
    assert Country.objects.count() == countries
    assert (media / "reports" / "a.pdf").read_bytes() == b"%PDF-1.7 kept"
    assert not (media / "stray.txt").exists()
