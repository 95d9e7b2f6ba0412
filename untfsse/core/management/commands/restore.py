"""Restore a backup into an empty database and empty upload folders, then verify it.

`make restore BACKUP=<folder> [FORCE=1]` runs this command.
"""

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from untfsse.core.backups.database import BackupError, DatabaseAddress
from untfsse.core.backups.files import configured_roots
from untfsse.core.backups.service import backup_restore, backup_verify, load_manifest


class Command(BaseCommand):
    help = (
        "Restore a backup (a folder written by `manage.py backup`) into the configured database "
        "and upload folders, which must be empty (or --force), then verify every table's rows "
        "and row checksum and every file's SHA-256 against the backup's manifest. Exits 1 on "
        "any difference."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "backup", help="the backup's folder, or its name (untfsse-...) inside BACKUP_ROOT"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="erase the database and the upload folders first if they are not empty",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="restore nothing: compare the database and folders as they are with the backup",
        )

    def handle(self, *args, backup: str, force: bool, verify_only: bool, **options) -> None:
        path = Path(backup)
        if not path.exists() and (settings.BACKUP_ROOT / backup).exists():
            path = settings.BACKUP_ROOT / backup
        path = path.absolute()
        try:
            address = DatabaseAddress.from_django(connections["default"].settings_dict)
            roots = configured_roots()
            manifest = load_manifest(path)
            self.stdout.write(
                f"Backup {manifest['name']} (made {manifest['created_at']}, database snapshot "
                f"of {manifest['database']['snapshot_at']}): "
                f"{len(manifest['database']['tables'])} tables, {manifest['files']['count']} files."
            )
            # The portal's own connection must not hold the database while it is replaced.
            connections.close_all()
            if verify_only:
                verification = backup_verify(manifest=manifest, address=address, roots=roots)
            else:
                verification = backup_restore(
                    path=path, address=address, roots=roots, force=force, report=self.stdout.write
                )
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from error
        for line in verification.lines:
            self.stdout.write(line)
        if not verify_only:
            # Cached pages and fragments were made from the content that was there before.
            cache.clear()
            self.stdout.write("Cache cleared.")
            self._say_whether_migrations_are_due(manifest)
        if not verification.ok:
            raise CommandError(
                f"Verification FAILED: {len(verification.differences)} difference(s) between "
                "the backup's manifest and the database and folders (listed above).",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Everything matches the backup: every table's rows and checksum, the migrations "
                "and every file."
            )
        )

    def _say_whether_migrations_are_due(self, manifest: dict) -> None:
        in_backup = {
            (app, name)
            for app, names in manifest["database"]["migrations"].items()
            for name in names
        }
        in_code = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        if in_code - in_backup:
            self.stdout.write(
                f"This code has {len(in_code - in_backup)} migration(s) the backup has not: "
                "run `python manage.py migrate` before starting the portal."
            )
        if in_backup - in_code:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup has {len(in_backup - in_code)} migration(s) this code does not "
                    "know: it was made by a newer version of the portal; run that version."
                )
            )
