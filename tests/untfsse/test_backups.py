"""Backups and their restore (untfsse/core/backups, `manage.py backup` and `restore`).

The restore drill: the seed data and uploads of every kind, backed up, restored into a fresh
database and fresh folders by `manage.py restore` in its own process, proved equal table by
table and file by file, then served by a portal started on the restored copy.
"""

import contextlib
import datetime
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from knowledgehub.models import Resource
from knowledgehub.services import resource_attach_pdf
from meetings.models import DocumentVisibility, Meeting
from meetings.selectors import attendance_summary
from meetings.services import document_add
from members.actors import SYSTEM
from members.models import Organisation
from tests.celery_worker import database_url
from tests.knowledgehub.pdfs import make_pdf
from untfsse.core.backups.database import BackupError, DatabaseAddress, database_fingerprint
from untfsse.core.backups.files import files_fingerprint
from untfsse.core.backups.retention import backups_to_keep
from untfsse.core.backups.service import (
    Retention,
    backup_create,
    backup_restore,
    backups_in,
    backups_prune,
    load_manifest,
)
from untfsse.core.management.commands.backup import last_due

BASE_DIR = Path(__file__).resolve().parent.parent.parent
UTC = datetime.UTC


# --- Helpers ----------------------------------------------------------------------------------
def source_address() -> DatabaseAddress:
    return DatabaseAddress.from_django(connection.settings_dict)


@contextlib.contextmanager
def fresh_database(suffix: str):
    """A new, empty database next to the test database (dropped afterwards), named after the
    configured one: untfsse_ci_restore_drill in CI."""
    address = source_address()
    name = re.sub(r"^test_", "", address.name) + suffix
    with psycopg.connect(address.with_name("postgres").conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield address.with_name(name)
    finally:
        with psycopg.connect(address.with_name("postgres").conninfo(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def roots_under(folder: Path) -> dict[str, Path]:
    """Upload folders laid out as in production: the Knowledge Hub's inside the private one."""
    return {
        "media": folder / "media",
        "private-media": folder / "private-media",
        "knowledge-hub": folder / "private-media" / "knowledge-hub",
    }


def portal_environment(address: DatabaseAddress, roots: dict[str, Path], backups: Path) -> dict:
    """The environment of a portal process on `address` and `roots` (development mode, its own
    memory cache, tasks in process), as an operator's shell would have it."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "untfsse.settings",
        "DEBUG": "true",
        "DATABASE_URL": database_url({**connection.settings_dict, "NAME": address.name}),
        "REDIS_URL": "",
        "REDIS_CACHE_URL": "",
        "MEDIA_ROOT": str(roots["media"]),
        "PRIVATE_MEDIA_ROOT": str(roots["private-media"]),
        "KNOWLEDGE_HUB_FILES_ROOT": str(roots["knowledge-hub"]),
        "BACKUP_ROOT": str(backups),
        "PYTHONUNBUFFERED": "1",
    }


def use_roots(settings, roots: dict[str, Path]) -> None:
    settings.MEDIA_ROOT = roots["media"]
    settings.PRIVATE_MEDIA_ROOT = roots["private-media"]
    settings.KNOWLEDGE_HUB_FILES_ROOT = roots["knowledge-hub"]


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 60)).save(out, format="PNG")
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


@contextlib.contextmanager
def portal_server(environment: dict, log_path: Path):
    """`manage.py runserver` on the given environment; yields its address once it answers."""
    port = free_port()
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        address = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                fetch(f"{address}/healthz")
                break
            except OSError:
                if server.poll() is not None:
                    raise AssertionError(log_path.read_text()) from None
                time.sleep(0.25)
        else:
            raise AssertionError(f"the restored portal did not answer:\n{log_path.read_text()}")
        yield address
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- The restore drill ------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_drill_brings_back_every_table_and_file_and_serves_pages(settings, tmp_path):
    source_roots = roots_under(tmp_path / "source")
    use_roots(settings, source_roots)
    call_command("load_seed_data", stdout=io.StringIO())
    meeting = Meeting.objects.get(slug="44th-regular-meeting")
    minutes_pdf = make_pdf("Minutes of the 44th Regular Meeting")
    document = document_add(
        meeting=meeting,
        title="Minutes as circulated",
        upload=SimpleUploadedFile("minutes.pdf", minutes_pdf, content_type="application/pdf"),
        visibility=DocumentVisibility.PUBLIC,
        by=SYSTEM,
    )
    paper_pdf = make_pdf("Social and solidarity economy and the SDGs")
    resource = Resource.objects.order_by("pk").first()
    resource = resource_attach_pdf(
        resource=resource,
        pdf=SimpleUploadedFile("paper.pdf", paper_pdf, content_type="application/pdf"),
        by=SYSTEM,
    )
    ilo = Organisation.objects.get(slug="ilo")
    ilo.logo.save("ilo.png", ContentFile(png_bytes()), save=True)
    sentence = attendance_summary(meeting).headline
    assert sentence

    backups = tmp_path / "backups"
    output = io.StringIO()
    call_command("backup", destination=backups, stdout=output)
    assert "Backup complete." in output.getvalue()
    [backup] = backups_in(backups)
    manifest = load_manifest(backup.path)
    expected_files = {
        f"private-media/{document.file.name}",
        f"knowledge-hub/{resource.pdf.name}",
        f"media/{ilo.logo.name}",
    }
    assert set(manifest["files"]["entries"]) == expected_files
    assert manifest["files"]["count"] == 3
    assert manifest["database"]["tables"]["public.meetings_document"]["rows"] == 1
    assert manifest["database"]["tables"]["public.members_organisation"]["rows"] == (
        Organisation.objects.count()
    )
    assert manifest["database"]["migrations"]["meetings"][0] == "0001_initial"

    restored_roots = roots_under(tmp_path / "restored")
    with fresh_database("_restore_drill") as restored:
        environment = portal_environment(restored, restored_roots, backups)
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", backup.name],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        tables = len(manifest["database"]["tables"])
        assert f"Tables: {tables} of {tables} match" in result.stdout
        assert "Files: 3 of 3 match" in result.stdout
        assert "Everything matches the backup" in result.stdout

        # Equal, proved here too, independently of the command's own report: every table's
        # rows and checksum and the migrations, every file's size and SHA-256.
        source, copy = database_fingerprint(source_address()), database_fingerprint(restored)
        assert copy.tables == source.tables == manifest["database"]["tables"]
        assert copy.migrations == source.migrations == manifest["database"]["migrations"]
        assert (
            files_fingerprint(restored_roots)
            == files_fingerprint(source_roots)
            == manifest["files"]["entries"]
        )

        with portal_server(environment, tmp_path / "server.log") as address:
            status, page = fetch(f"{address}/meetings/44th-regular-meeting/")
            assert status == 200
            assert sentence in page.decode()
            assert "Minutes as circulated" in page.decode()
            assert fetch(f"{address}{document.get_absolute_url()}") == (200, minutes_pdf)
            download = f"{address}/knowledge-hub/{resource.pk}-{resource.slug}/download/"
            assert fetch(download) == (200, paper_pdf)

        # A difference after the restore is found and named, and the command fails: the
        # download just served was counted, and two more changes are made here.
        with psycopg.connect(restored.conninfo(), autocommit=True) as database:
            database.execute("UPDATE members_organisation SET name = 'Changed' WHERE slug = 'ilo'")
        (restored_roots["knowledge-hub"] / resource.pdf.name).write_bytes(b"%PDF-1.4 changed")
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", backup.name, "--verify-only"],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1
        differences = [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")]
        assert [line.split(":")[0] for line in differences] == [
            "DIFFERENT table public.knowledgehub_resource",
            "DIFFERENT table public.members_organisation",
            f"DIFFERENT file knowledge-hub/{resource.pdf.name}",
        ]
        assert f"Tables: {tables - 2} of {tables} match" in result.stdout
        assert "Files: 2 of 3 match" in result.stdout
        assert "Verification FAILED: 3 difference(s)" in result.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_make_restore_refuses_a_database_that_is_not_empty(settings, tmp_path):
    roots = roots_under(tmp_path / "files")
    use_roots(settings, roots)
    call_command("load_seed_data", stdout=io.StringIO())
    backups = tmp_path / "backups"
    call_command("backup", destination=backups, stdout=io.StringIO())
    [backup] = backups_in(backups)
    before = database_fingerprint(source_address())

    environment = portal_environment(source_address(), roots, backups)
    result = subprocess.run(
        ["make", "--no-print-directory", "restore", f"BACKUP={backup.path}"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert (
        f'Refusing to restore: database "{source_address().name}" on '
        in result.stdout + result.stderr
    )
    assert "--force (make restore BACKUP=... FORCE=1)" in result.stdout + result.stderr
    assert database_fingerprint(source_address()).tables == before.tables

    usage = subprocess.run(
        ["make", "--no-print-directory", "restore"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert usage.returncode == 2
    assert "Usage: make restore BACKUP=<backup folder> [FORCE=1]" in usage.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_folders_with_files_unless_forced(settings, tmp_path):
    roots = roots_under(tmp_path / "files")
    use_roots(settings, roots)
    roots["media"].mkdir(parents=True)
    (roots["media"] / "kept.txt").write_text("a file of the portal")
    backups = tmp_path / "backups"
    backup = backup_create(
        destination=backups, address=source_address(), roots=roots, retention=None
    ).backup
    targets = roots_under(tmp_path / "target")
    targets["knowledge-hub"].mkdir(parents=True)
    (targets["knowledge-hub"] / "old.pdf").write_bytes(b"old")
    with fresh_database("_restore_refusal") as empty:
        with pytest.raises(BackupError) as refused:
            backup_restore(path=backup.path, address=empty, roots=targets)
        assert str(refused.value) == (
            f"Refusing to restore: the folder {targets['knowledge-hub']} (knowledge-hub) holds "
            "files. Restore into an empty database and empty folders, or erase them first with "
            "--force (make restore BACKUP=... FORCE=1)."
        )
        assert (targets["knowledge-hub"] / "old.pdf").read_bytes() == b"old"
        with psycopg.connect(empty.conninfo()) as database:
            assert database.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone() == (0,)

        verification = backup_restore(path=backup.path, address=empty, roots=targets, force=True)
        assert verification.ok, verification.lines
        assert not (targets["knowledge-hub"] / "old.pdf").exists()
        assert (targets["media"] / "kept.txt").read_text() == "a file of the portal"

        # Forced again over its own restore: emptied, restored, still equal.
        verification = backup_restore(path=backup.path, address=empty, roots=targets, force=True)
        assert verification.ok, verification.lines


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_touched(settings, tmp_path):
    roots = roots_under(tmp_path / "files")
    use_roots(settings, roots)
    roots["private-media"].mkdir(parents=True)
    (roots["private-media"] / "agenda.pdf").write_bytes(make_pdf("Agenda"))
    backups = tmp_path / "backups"
    backup = backup_create(
        destination=backups, address=source_address(), roots=roots, retention=None
    ).backup
    (backup.path / "files" / "private-media" / "agenda.pdf").write_bytes(b"damaged")
    targets = roots_under(tmp_path / "target")
    with fresh_database("_restore_damaged") as empty:
        with pytest.raises(BackupError) as damaged:
            backup_restore(path=backup.path, address=empty, roots=targets)
        assert str(damaged.value) == (
            f"The backup {backup.path} is damaged: 1 file(s) differ from its manifest "
            "(files/private-media/agenda.pdf). Nothing was restored."
        )
        assert not targets["private-media"].exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_unchanged_files_are_hard_linked_to_the_previous_backup(settings, tmp_path):
    roots = roots_under(tmp_path / "files")
    use_roots(settings, roots)
    roots["media"].mkdir(parents=True)
    (roots["media"] / "same.png").write_bytes(png_bytes())
    (roots["media"] / "changed.txt").write_text("first")
    backups = tmp_path / "backups"
    moment = datetime.datetime(2025, 3, 3, 2, 30, tzinfo=UTC)
    first = backup_create(
        destination=backups, address=source_address(), roots=roots, retention=None, now=moment
    )
    (roots["media"] / "changed.txt").write_text("second")
    second = backup_create(
        destination=backups,
        address=source_address(),
        roots=roots,
        retention=None,
        now=moment + datetime.timedelta(days=1),
    )
    assert (first.files_copied, first.files_linked) == (2, 0)
    assert (second.files_copied, second.files_linked) == (1, 1)
    same = [
        backup.path / "files" / "media" / "same.png" for backup in (first.backup, second.backup)
    ]
    assert same[0].stat().st_ino == same[1].stat().st_ino
    assert (second.backup.path / "files" / "media" / "changed.txt").read_text() == "second"
    assert (first.backup.path / "files" / "media" / "changed.txt").read_text() == "first"
    assert [backup.name for backup in backups_in(backups)] == [
        "untfsse-20250303T023000Z",
        "untfsse-20250304T023000Z",
    ]


def test_backups_are_never_written_inside_an_upload_folder(tmp_path):
    roots = roots_under(tmp_path)
    with pytest.raises(BackupError) as refused:
        backup_create(
            destination=roots["private-media"] / "backups",
            address=DatabaseAddress(name="unused"),
            roots=roots,
            retention=None,
        )
    assert str(refused.value) == (
        f"The backups folder {roots['private-media'] / 'backups'} is inside the upload folder "
        f"{roots['private-media']} (private-media): each backup would hold the ones before it. "
        "Set BACKUP_ROOT elsewhere."
    )
    assert not (roots["private-media"] / "backups").exists()


# --- Retention and schedule (no database) -----------------------------------------------------
def test_retention_keeps_a_week_of_dailies_and_a_month_of_weeklies():
    # A backup every day at 02:30 from 1 January to 31 March 2025.
    days = [
        datetime.datetime(2025, 1, 1, 2, 30, tzinfo=UTC) + datetime.timedelta(days=n)
        for n in range(90)
    ]
    kept = backups_to_keep(days, keep_daily=7, keep_weekly=4)
    assert sorted(moment.date().isoformat() for moment in kept) == [
        # The newest of each of the four seven-day periods before the dailies...
        "2025-03-03",
        "2025-03-10",
        "2025-03-17",
        "2025-03-24",
        # ... and the last seven days.
        "2025-03-25",
        "2025-03-26",
        "2025-03-27",
        "2025-03-28",
        "2025-03-29",
        "2025-03-30",
        "2025-03-31",
    ]


def test_retention_never_prunes_the_last_backups_when_backups_stopped():
    old = [datetime.datetime(2024, 6, day, 2, 30, tzinfo=UTC) for day in (1, 2, 3)]
    assert backups_to_keep(old, keep_daily=7, keep_weekly=4) == set(old)
    assert backups_to_keep(old, keep_daily=0, keep_weekly=0) == {old[-1]}


def test_retention_keeps_the_newest_backup_of_a_day_with_several():
    morning = datetime.datetime(2025, 5, 5, 2, 30, tzinfo=UTC)
    evening = datetime.datetime(2025, 5, 5, 21, 0, tzinfo=UTC)
    assert backups_to_keep([morning, evening], keep_daily=7, keep_weekly=4) == {evening}


def fake_backup(folder: Path, name: str) -> Path:
    path = folder / name
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(json.dumps({"format": "untfsse-backup/1"}))
    return path


def test_prune_removes_what_retention_does_not_keep_and_interrupted_backups(tmp_path):
    for day in range(1, 11):
        fake_backup(tmp_path, f"untfsse-202504{day:02d}T023000Z")
    (tmp_path / "untfsse-20250411T023000Z.partial").mkdir()
    (tmp_path / "notes.txt").write_text("not a backup: left alone")
    (tmp_path / "untfsse-20250301T023000Z").mkdir()  # no manifest: not a backup, left alone

    removed = backups_prune(tmp_path, Retention(keep_daily=3, keep_weekly=2))

    assert sorted(removed) == [
        "untfsse-20250401T023000Z",
        "untfsse-20250402T023000Z",
        "untfsse-20250403T023000Z",
        "untfsse-20250404T023000Z",
        "untfsse-20250405T023000Z",
        "untfsse-20250406T023000Z",
        "untfsse-20250411T023000Z.partial",
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "notes.txt",
        "untfsse-20250301T023000Z",
        "untfsse-20250407T023000Z",  # the newest of the week before the three dailies
        "untfsse-20250408T023000Z",
        "untfsse-20250409T023000Z",
        "untfsse-20250410T023000Z",
    ]


def test_backup_check_fails_without_a_recent_backup(settings, tmp_path):
    settings.BACKUP_MAX_AGE_HOURS = 26
    with pytest.raises(CommandError) as missing:
        call_command("backup", "--check", destination=tmp_path)
    assert (str(missing.value), missing.value.returncode) == (f"No backup in {tmp_path}.", 1)

    fake_backup(tmp_path, "untfsse-20250601T023000Z")
    with time_machine.travel(datetime.datetime(2025, 6, 2, 4, 30, 1, tzinfo=UTC), tick=False):
        with pytest.raises(CommandError) as stale:
            call_command("backup", "--check", destination=tmp_path)
        assert str(stale.value) == (
            "The newest backup, untfsse-20250601T023000Z, is 1 day, 2:00:01 old (more than "
            "BACKUP_MAX_AGE_HOURS=26)."
        )
    with time_machine.travel(datetime.datetime(2025, 6, 2, 2, 30, tzinfo=UTC), tick=False):
        output = io.StringIO()
        call_command("backup", "--check", destination=tmp_path, stdout=output)
    assert (
        output.getvalue() == "The newest backup, untfsse-20250601T023000Z, is 1 day, 0:00:00 old.\n"
    )


def test_the_schedule_runs_once_a_day_at_backup_time():
    at = datetime.time(2, 30, tzinfo=UTC)
    before = datetime.datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
    after = datetime.datetime(2025, 6, 10, 2, 30, tzinfo=UTC)
    assert last_due(before, at) == datetime.datetime(2025, 6, 9, 2, 30, tzinfo=UTC)
    assert last_due(after, at) == after


def test_make_backup_and_the_compose_service_run_the_same_command():
    makefile = (BASE_DIR / "Makefile").read_text()
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert "\t$(BIN)/python manage.py backup\n" in makefile
    assert 'command: ["python", "manage.py", "backup", "--schedule"]' in compose
    assert 'test: ["CMD", "python", "manage.py", "backup", "--check"]' in compose
