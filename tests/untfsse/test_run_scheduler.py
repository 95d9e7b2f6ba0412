"""`manage.py run_scheduler`, the zero-setup mode's scheduler (`make run`): the periodic tasks
run in process, so due reminders, notices and invitations go without a click."""

import datetime
import io
import os
import subprocess
import sys
import time

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from meetings.models import SchedulerHeartbeat
from tests.factories import PersonFactory
from tests.factories.meetings import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2035, 9, 11, 14, 0, tzinfo=datetime.UTC)


def test_one_round_sends_the_due_reminders_and_records_the_heartbeat(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "http://127.0.0.1:8101"
    meeting = MeetingFactory(
        title="Retreat", start=NOW + datetime.timedelta(hours=20), reminder_offsets=[168, 24]
    )
    InvitationFactory(meeting=meeting, person=PersonFactory(email="ana@example.org"))
    out = io.StringIO()

    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=out)

    # Every periodic task ran: the reminders' poller and the secretariat's weekly digest too.
    assert sorted((m.to, m.subject) for m in mailoutbox) == [
        (["ana@example.org"], "[UNTFSSE Portal] Reminder: Retreat (in 20 hours)"),
        (["secretariat@unsse.org"], "[UNTFSSE Portal] Weekly digest: week of Sept. 10, 2035"),
    ]
    reminder = next(m for m in mailoutbox if m.to == ["ana@example.org"])
    assert f"http://127.0.0.1:8101/meetings/{meeting.slug}/" in reminder.body
    assert SchedulerHeartbeat.objects.get(name="meetings.queue_due_reminders").last_run_at == NOW
    assert out.getvalue().startswith("Scheduler: 4 periodic tasks")


def test_the_scheduler_stops_when_the_process_that_started_it_is_gone(tmp_path):
    # A shell starts the scheduler in the background, as `make run` does, and ends.
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "untfsse.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
    )
    shell = subprocess.Popen(
        [
            "bash",
            "-c",
            f"{sys.executable} manage.py run_scheduler --parent-pid $$ "
            f"> {tmp_path / 'scheduler.log'} 2>&1 & echo $! > {tmp_path / 'pid'}; sleep 3",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
    )
    shell.wait(timeout=60)
    scheduler_pid = int((tmp_path / "pid").read_text())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(scheduler_pid):
        time.sleep(0.2)
    assert not _alive(scheduler_pid), (tmp_path / "scheduler.log").read_text()
    assert "Scheduler: 4 periodic tasks" in (tmp_path / "scheduler.log").read_text()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
