"""``manage.py backup [--output DIR]``: PostgreSQL dump + media + manifest with SHA-256 (wsis.core.backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wsis.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and the media directory, with a checksummed manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BACKUP_DIR),
                            help="Directory that receives wsis-backup-<time>/ (default: BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=0,
                            help="Then delete all but the newest N backups in the directory (0: keep all).")

    def handle(self, *args, output, keep, **options):
        try:
            path = backup_create(output_dir=Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written: {path}")
        if keep > 0:
            backups = sorted(p for p in Path(output).glob("wsis-backup-*") if not p.name.endswith(".partial"))
            for old in backups[:-keep]:
                import shutil

                shutil.rmtree(old)
                self.stdout.write(f"Removed old backup: {old}")
