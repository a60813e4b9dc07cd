"""``manage.py restore DIR``: verify a backup's checksums, then restore its database and media."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wsis.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup`: every file is checked against the manifest's "
            "SHA-256 first; a mismatch restores nothing. Replaces the database's contents and MEDIA_ROOT.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The wsis-backup-<time> directory.")
        parser.add_argument("--verify-only", action="store_true", help="Check the checksums and stop.")
        parser.add_argument("--database-name", default="",
                            help="Restore into this database of the same server instead of the configured one.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path, verify_only, database_name, yes, **options):
        try:
            manifest = backup_verify(Path(path))
            self.stdout.write(f"Checksums match ({manifest['created_at']}, platform "
                              f"{manifest['versions'].get('platform')}, PostgreSQL {manifest['versions'].get('postgresql')}).")
            if verify_only:
                return
            if not yes and input("This replaces the database and the media files. Type 'yes': ") != "yes":
                raise CommandError("Restore cancelled.")
            backup_restore(path=Path(path), database_name=database_name or None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Restored. Run `manage.py migrate` if this code is newer than the backup.")
