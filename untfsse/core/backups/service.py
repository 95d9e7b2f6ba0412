"""Make a backup, restore one, and verify a database and its folders against a backup.

The management commands `backup` and `restore` call these; so do `make backup`, `make restore`
and docker-compose's `backup` service (through the commands). See the package's docstring for
what a backup holds.
"""

import contextlib
import datetime
import fcntl
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.utils import timezone

from untfsse.core.backups.database import (
    BackupError,
    DatabaseAddress,
    DatabaseFingerprint,
    client_version,
    database_fingerprint,
    database_relations,
    dump_database,
    empty_database,
    restore_database,
)
from untfsse.core.backups.files import (
    empty_root,
    files_fingerprint,
    restore_files,
    root_is_empty,
    save_files,
    sha256_of,
)
from untfsse.core.backups.retention import backups_to_keep

FORMAT = "untfsse-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
_NAME = re.compile(r"^untfsse-(\d{8}T\d{6}Z)$")
_LOCK = ".lock"


def _quiet(line: str) -> None:
    pass


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime.datetime

    @property
    def name(self) -> str:
        return self.path.name

    def manifest(self) -> dict:
        return load_manifest(self.path)


def backups_in(root: Path) -> list[Backup]:
    """The complete backups in `root`, oldest first (a backup still being written, or one that
    failed half-way, is a `.partial` folder and never counts)."""
    if not root.is_dir():
        return []
    found = []
    for path in root.iterdir():
        match = _NAME.match(path.name)
        if match and (path / MANIFEST).is_file():
            made_at = datetime.datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.UTC
            )
            found.append(Backup(path=path, made_at=made_at))
    return sorted(found, key=lambda backup: backup.made_at)


def load_manifest(path: Path) -> dict:
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} is not a backup: it has no {MANIFEST}.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is a backup of another format ({manifest.get('format')!r}, "
            f"this portal reads {FORMAT!r})."
        )
    return manifest


@contextlib.contextmanager
def _only_backup_running(root: Path) -> Iterator[None]:
    """One backup at a time per backup folder (the scheduled one and `make backup` alike)."""
    with open(root / _LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BackupError(
                f"Another backup is being written to {root}; try again later."
            ) from error
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Retention:
    keep_daily: int
    keep_weekly: int


@dataclass
class BackupResult:
    backup: Backup
    manifest: dict
    files_linked: int
    files_copied: int
    removed: list[str] = field(default_factory=list)


def backup_create(
    *,
    destination: Path,
    address: DatabaseAddress,
    roots: dict[str, Path],
    retention: Retention | None,
    now: datetime.datetime | None = None,
) -> BackupResult:
    """Write a new backup into `destination` (the database, every file, the manifest), then
    remove the backups `retention` no longer keeps.

    The backup is written as `<name>.partial` and renamed when complete, so an interrupted
    backup is never taken for one. Raises BackupError (with the reason) when the database
    cannot be dumped or another backup is being written to the same folder.
    """
    for name, root in roots.items():
        if destination.absolute().is_relative_to(root.absolute()):
            raise BackupError(
                f"The backups folder {destination} is inside the upload folder {root} ({name}): "
                "each backup would hold the ones before it. Set BACKUP_ROOT elsewhere."
            )
    destination.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    name = f"untfsse-{now:%Y%m%dT%H%M%SZ}"
    with _only_backup_running(destination):
        final = destination / name
        if final.exists():
            raise BackupError(f"A backup named {name} already exists in {destination}.")
        partial = destination / f"{name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        # Backups hold private data (contact details, members-only documents): owner only.
        partial.mkdir(mode=0o700)
        try:
            fingerprint = dump_database(address, partial / DUMP)
            previous = backups_in(destination)
            copied = save_files(
                roots, partial / FILES, previous[-1].path / FILES if previous else None
            )
            manifest = {
                "format": FORMAT,
                "name": name,
                "created_at": now.isoformat(),
                "versions": {
                    "django": django.get_version(),
                    "pg_dump": client_version("pg_dump"),
                },
                "database": {
                    "dump": DUMP,
                    "dump_size": (partial / DUMP).stat().st_size,
                    "dump_sha256": sha256_of(partial / DUMP),
                    **fingerprint.as_manifest(),
                },
                "files": {
                    "roots": {root_name: str(path) for root_name, path in roots.items()},
                    "count": len(copied.entries),
                    "size": sum(entry["size"] for entry in copied.entries.values()),
                    "entries": copied.entries,
                },
            }
            (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
            partial.rename(final)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        backup = Backup(path=final, made_at=now)
        removed = backups_prune(destination, retention) if retention else []
    return BackupResult(
        backup=backup,
        manifest=manifest,
        files_linked=copied.linked,
        files_copied=copied.copied,
        removed=removed,
    )


def backups_prune(destination: Path, retention: Retention) -> list[str]:
    """Remove the backups the retention no longer keeps and the leftovers of interrupted ones
    (`.partial`); return their names. Only for a caller that knows no backup is being written
    (backup_create calls it holding the lock)."""
    removed = []
    for leftover in destination.glob("untfsse-*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover.name)
    backups = backups_in(destination)
    keep = backups_to_keep(
        (backup.made_at for backup in backups),
        keep_daily=retention.keep_daily,
        keep_weekly=retention.keep_weekly,
    )
    for backup in backups:
        if backup.made_at not in keep:
            shutil.rmtree(backup.path)
            removed.append(backup.name)
    return removed


# --- Verification ---------------------------------------------------------------------------
@dataclass
class Verification:
    """What matches between a backup's manifest and a database with its folders, and what
    does not, in words for the person restoring."""

    lines: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def differ(self, line: str) -> None:
        self.differences.append(line)
        self.lines.append(f"  {line}")


def human_size(size: int) -> str:
    """1234567 -> "1.2 MB" (decimal units, as file managers show them)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def compare(manifest: dict, database: DatabaseFingerprint, files: dict[str, dict]) -> Verification:
    """Compare every table (rows, checksum of the rows), the migrations and every file (SHA-256)
    of the manifest with what `database` and `files` hold now."""
    result = Verification()
    expected_tables = manifest["database"]["tables"]
    matching = 0
    mismatches = []
    for table, expected in expected_tables.items():
        found = database.tables.get(table)
        if found is None:
            mismatches.append(
                f"MISSING table {table}: not in the database (backup: {expected['rows']} rows)"
            )
        elif found != expected:
            mismatches.append(
                f"DIFFERENT table {table}: {found['rows']} rows, checksum {found['checksum']} "
                f"(backup: {expected['rows']} rows, checksum {expected['checksum']})"
            )
        else:
            matching += 1
    for table in sorted(set(database.tables) - set(expected_tables)):
        mismatches.append(
            f"EXTRA table {table}: {database.tables[table]['rows']} rows, not in the backup"
        )
    rows = sum(expected["rows"] for expected in expected_tables.values())
    result.lines.append(
        f"Tables: {matching} of {len(expected_tables)} match (row counts and row checksums; "
        f"{rows} rows in the backup)."
    )
    for line in mismatches:
        result.differ(line)

    expected_migrations = manifest["database"]["migrations"]
    expected_count = sum(len(names) for names in expected_migrations.values())
    if database.migrations == expected_migrations:
        result.lines.append(f"Migrations: {expected_count} of {expected_count} match.")
    else:
        found = {(app, name) for app, names in database.migrations.items() for name in names}
        wanted = {(app, name) for app, names in expected_migrations.items() for name in names}
        result.lines.append(f"Migrations: {len(found & wanted)} of {expected_count} match.")
        for app, name in sorted(wanted - found):
            result.differ(f"MISSING migration {app}.{name}")
        for app, name in sorted(found - wanted):
            result.differ(f"EXTRA migration {app}.{name}, not in the backup")

    expected_files = manifest["files"]["entries"]
    matching = 0
    mismatches = []
    for key, expected in expected_files.items():
        found = files.get(key)
        if found is None:
            mismatches.append(f"MISSING file {key}")
        elif found["sha256"] != expected["sha256"] or found["size"] != expected["size"]:
            mismatches.append(
                f"DIFFERENT file {key}: {found['size']} bytes, SHA-256 {found['sha256']} "
                f"(backup: {expected['size']} bytes, SHA-256 {expected['sha256']})"
            )
        else:
            matching += 1
    for key in sorted(set(files) - set(expected_files)):
        mismatches.append(f"EXTRA file {key}, not in the backup")
    result.lines.append(
        f"Files: {matching} of {len(expected_files)} match (SHA-256; "
        f"{human_size(manifest['files']['size'])} in the backup)."
    )
    for line in mismatches:
        result.differ(line)
    return result


def backup_verify(
    *, manifest: dict, address: DatabaseAddress, roots: dict[str, Path]
) -> Verification:
    """Compare the database and the folders as they are now with the backup's manifest."""
    return compare(
        manifest,
        database_fingerprint(address),
        files_fingerprint(
            {name: path for name, path in roots.items() if name in manifest["files"]["roots"]}
        ),
    )


def check_backup_intact(path: Path, manifest: dict) -> None:
    """Raise BackupError when the backup's own dump or files differ from its manifest (a
    damaged copy): found before anything of the target is touched."""
    damaged = []
    dump = path / manifest["database"]["dump"]
    if not dump.is_file() or sha256_of(dump) != manifest["database"]["dump_sha256"]:
        damaged.append(manifest["database"]["dump"])
    for key, entry in manifest["files"]["entries"].items():
        stored = path / FILES / key
        if not stored.is_file() or sha256_of(stored) != entry["sha256"]:
            damaged.append(f"{FILES}/{key}")
    if damaged:
        raise BackupError(
            f"The backup {path} is damaged: {len(damaged)} file(s) differ from its manifest "
            f"({', '.join(damaged[:10])}). Nothing was restored."
        )


def backup_restore(
    *,
    path: Path,
    address: DatabaseAddress,
    roots: dict[str, Path],
    force: bool = False,
    report: Callable[[str], None] = _quiet,
) -> Verification:
    """Restore the backup at `path` into the database and the folders, then verify them
    against its manifest and return what matches and what does not.

    Refuses (BackupError) a database that holds any table or a folder that holds any file,
    unless `force`, which erases them first. Checks the backup's own integrity before touching
    anything.
    """
    manifest = load_manifest(path)
    unknown = sorted(set(manifest["files"]["roots"]) - set(roots))
    if unknown:
        raise BackupError(
            f"The backup holds folders this portal does not configure: {', '.join(unknown)}."
        )
    roots = {name: roots[name] for name in manifest["files"]["roots"]}
    report(f"Checking the backup {manifest['name']} against its manifest...")
    check_backup_intact(path, manifest)
    relations = database_relations(address)
    full_roots = [name for name in roots if not root_is_empty(roots, name)]
    if (relations or full_roots) and not force:
        problems = []
        if relations:
            problems.append(
                f"{address} is not empty ({len(relations)} tables and sequences, e.g. "
                f"{', '.join(relations[:3])})"
            )
        problems.extend(f"the folder {roots[name]} ({name}) holds files" for name in full_roots)
        raise BackupError(
            "Refusing to restore: "
            + "; ".join(problems)
            + ". Restore into an empty database and empty folders, or erase them first with "
            "--force (make restore BACKUP=... FORCE=1)."
        )
    if relations:
        report(f"Erasing {address} (--force)...")
        empty_database(address)
    for name in full_roots:
        report(f"Erasing the folder {roots[name]} (--force)...")
        empty_root(roots, name)
    report(f"Restoring the database into {address}...")
    restore_database(address, path / manifest["database"]["dump"])
    for root in roots.values():
        root.mkdir(parents=True, exist_ok=True)
    report(f"Restoring {manifest['files']['count']} files...")
    restore_files(manifest["files"]["entries"], path / FILES, roots)
    report("Verifying the restored database and files against the manifest...")
    return backup_verify(manifest=manifest, address=address, roots=roots)
