"""Back up the database and every uploaded file, with a manifest to verify a restore against.

`make backup` and docker-compose's `backup` service (`--schedule`) both run this command.
"""

import datetime
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from untfsse.core.backups.database import BackupError, DatabaseAddress
from untfsse.core.backups.files import configured_roots
from untfsse.core.backups.service import Retention, backup_create, backups_in, human_size

logger = logging.getLogger(__name__)

# After a failed scheduled backup, try again this much later (until one succeeds).
RETRY_AFTER = datetime.timedelta(minutes=15)


def scheduled_time() -> datetime.time:
    try:
        hours, minutes = (int(part) for part in settings.BACKUP_TIME.split(":"))
        return datetime.time(hours, minutes, tzinfo=datetime.UTC)
    except ValueError as error:
        raise CommandError(
            f"BACKUP_TIME must be HH:MM (UTC), not {settings.BACKUP_TIME!r}."
        ) from error


def last_due(now: datetime.datetime, at: datetime.time) -> datetime.datetime:
    """The latest scheduled moment at or before `now`."""
    today = datetime.datetime.combine(now.astimezone(datetime.UTC).date(), at)
    return today if today <= now else today - datetime.timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc of one consistent snapshot) and every uploaded file "
        "into BACKUP_ROOT, with a manifest (migrations, rows and row checksums of every table, "
        "every file's SHA-256); then remove the backups the retention no longer keeps."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--destination", type=Path, help="the folder of backups (default: BACKUP_ROOT)"
        )
        parser.add_argument(
            "--no-prune", action="store_true", help="keep every older backup this time"
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="run forever: a backup every day at BACKUP_TIME (UTC), and at once when the "
            "newest backup is older than the last scheduled time (the backup service)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="exit 1 unless the newest backup is at most BACKUP_MAX_AGE_HOURS old",
        )

    def handle(self, *args, destination, no_prune, schedule, check, **options) -> None:
        destination = (destination or settings.BACKUP_ROOT).absolute()
        if check:
            return self._check(destination)
        if schedule:
            return self._run_on_schedule(destination, prune=not no_prune)
        try:
            self._back_up(destination, prune=not no_prune)
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from error

    def _back_up(self, destination: Path, *, prune: bool) -> None:
        result = backup_create(
            destination=destination,
            address=DatabaseAddress.from_django(connections["default"].settings_dict),
            roots=configured_roots(),
            retention=Retention(
                keep_daily=settings.BACKUP_KEEP_DAILY, keep_weekly=settings.BACKUP_KEEP_WEEKLY
            )
            if prune
            else None,
        )
        database, files = result.manifest["database"], result.manifest["files"]
        self.stdout.write(
            f"Backup {result.backup.name} written to {result.backup.path}:\n"
            f"  database: {len(database['tables'])} tables, "
            f"{sum(table['rows'] for table in database['tables'].values())} rows, "
            f"{sum(len(names) for names in database['migrations'].values())} migrations "
            f"(dump of {human_size(database['dump_size'])}, snapshot of {database['snapshot_at']});\n"
            f"  files: {files['count']} ({human_size(files['size'])}; {result.files_copied} copied, "
            f"{result.files_linked} unchanged since the previous backup, hard-linked)."
        )
        if prune:
            kept = backups_in(destination)
            self.stdout.write(
                f"Retention (daily {settings.BACKUP_KEEP_DAILY}, weekly "
                f"{settings.BACKUP_KEEP_WEEKLY}): {len(kept)} backups kept"
                + (f", removed {', '.join(sorted(result.removed))}." if result.removed else ".")
            )
        self.stdout.write(self.style.SUCCESS("Backup complete."))

    def _check(self, destination: Path) -> None:
        backups = backups_in(destination)
        limit = datetime.timedelta(hours=settings.BACKUP_MAX_AGE_HOURS)
        if not backups:
            raise CommandError(f"No backup in {destination}.", returncode=1)
        age = datetime.timedelta(
            seconds=int((timezone.now() - backups[-1].made_at).total_seconds())
        )
        if age > limit:
            raise CommandError(
                f"The newest backup, {backups[-1].name}, is {age} old "
                f"(more than BACKUP_MAX_AGE_HOURS={settings.BACKUP_MAX_AGE_HOURS}).",
                returncode=1,
            )
        self.stdout.write(f"The newest backup, {backups[-1].name}, is {age} old.")

    def _run_on_schedule(self, destination: Path, *, prune: bool) -> None:
        at = scheduled_time()
        self.stdout.write(f"Backups every day at {at:%H:%M} UTC into {destination}.")
        while True:
            now = timezone.now()
            backups = backups_in(destination)
            due = last_due(now, at)
            if not backups or backups[-1].made_at < due:
                try:
                    self._back_up(destination, prune=prune)
                except Exception:
                    # Logged with its traceback; the service's health check (--check) turns
                    # unhealthy once the newest backup is too old.
                    logger.exception("The scheduled backup failed; trying again later")
                    time.sleep(RETRY_AFTER.total_seconds())
                continue
            next_run = due + datetime.timedelta(days=1)
            time.sleep(max(1.0, (next_run - timezone.now()).total_seconds()))
