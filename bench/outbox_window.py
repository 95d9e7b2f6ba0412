"""How long a message accepted by the SMTP server stays recorded as pending: the window in which
a worker killed resends it (with the same Message-ID). See bench/README.md.

For each of N reminders it measures, on one clock, the moment the local SMTP sink answers 250
to the end of DATA and the moment our COMMIT of "sent" has returned, once with the outbox's
engine (commit, then QUIT) and once in the order used before the outbox (QUIT, then commit).
The sink can hold its answer to QUIT (`--quit-delay`), like a distant or busy server.

    DATABASE_URL=postgres://postgres@127.0.0.1/untfsse .venv/bin/python bench/outbox_window.py \\
        [--messages 200] [--quit-delay 0.03]

It works in a throw-away database (test_<name>, created and dropped here).
"""

import argparse
import asyncio
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.core.mail.backends.smtp import EmailBackend  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import Invitation, Meeting, ReminderDelivery  # noqa: E402
from meetings.reminders.email import ReminderEmail  # noqa: E402
from members.models import Person  # noqa: E402
from tests.smtp_sink import SmtpSink  # noqa: E402
from untfsse.core.outbox.engine import Outcome, delivery_send  # noqa: E402

# The settings name the timed backend by its dotted path: let it find this very module.
sys.modules.setdefault("bench.outbox_window", sys.modules[__name__])

commits: list[float] = []
handed_over: list[float] = []  # when send_messages returned: the client has read the 250


class TimedSmtpBackend(EmailBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        handed_over.append(time.monotonic())
        return sent


class TimedReminderEmail(ReminderEmail):
    """The reminder e-mail, noting when the transaction that marked it sent has committed."""

    def after_sent(self, delivery, now):
        transaction.on_commit(lambda: commits.append(time.monotonic()))


TIMED = TimedReminderEmail()


class SlowQuitSink(SmtpSink):
    def __init__(self, *, quit_delay: float):
        super().__init__()
        self.quit_delay = quit_delay

    async def handle_QUIT(self, server, session, envelope):
        await asyncio.sleep(self.quit_delay)
        return await super().handle_QUIT(server, session, envelope)


def old_order_send(delivery_id: int) -> None:
    """What the reminders did before the outbox: `message.send()` (which opens, sends, QUITs and
    closes), then the row is marked sent and the transaction commits."""
    with transaction.atomic():
        delivery = (
            TIMED.claimable()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=delivery_id)
            .first()
        )
        now = timezone.now()
        message = TIMED.build_message(delivery, now)
        message.extra_headers["Message-ID"] = TIMED.message_id(delivery)
        delivery.attempts += 1
        message.send()
        delivery.state, delivery.sent_at = "sent", now
        delivery.message_id = message.extra_headers["Message-ID"]
        delivery.save(update_fields=["state", "sent_at", "message_id", "attempts", "updated_at"])
        TIMED.after_sent(delivery, now)


def pending_reminders(count: int) -> list[int]:
    ReminderDelivery.objects.all().delete()
    start = timezone.now() + datetime.timedelta(hours=23)
    meeting = Meeting.objects.create(
        kind="regular", title="Window", slug=f"window-{time.monotonic_ns()}", start=start,
        end=start + datetime.timedelta(hours=2), mode="virtual", reminder_offsets=[24],
    )  # fmt: skip
    people = Person.objects.bulk_create(
        Person(name=f"Invitee {n:04d}", email=f"invitee{n:04d}@example.org") for n in range(count)
    )
    Invitation.objects.bulk_create(Invitation(meeting=meeting, person=person) for person in people)
    rows = ReminderDelivery.objects.bulk_create(
        ReminderDelivery(
            meeting=meeting, person=person, offset_hours=24, scheduled_start=start,
            due_at=timezone.now(), next_attempt_at=timezone.now(),
        )
        for person in people
    )  # fmt: skip
    return [row.pk for row in rows]


def measure(send, *, messages: int, quit_delay: float) -> tuple[list[float], list[float]]:
    """Milliseconds from the server's 250 to our commit, and from our reading the 250 (the
    return of send_messages) to our commit, for each message."""
    ids = pending_reminders(messages)
    commits.clear()
    handed_over.clear()
    with SlowQuitSink(quit_delay=quit_delay) as sink:
        with override_settings(
            EMAIL_BACKEND="bench.outbox_window.TimedSmtpBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
        ):
            for delivery_id in ids:
                send(delivery_id)
        accepted = list(sink.arrivals)
    assert len(accepted) == len(commits) == len(handed_over) == messages
    return (
        [(commit - accept) * 1000 for accept, commit in zip(accepted, commits, strict=True)],
        [(commit - read) * 1000 for read, commit in zip(handed_over, commits, strict=True)],
    )


def _figures(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered):.1f}, p95 {p95:.1f}, max {ordered[-1]:.1f} ms"


def summary(label: str, windows: tuple[list[float], list[float]]) -> str:
    from_server, from_client = windows
    return (
        f"{label}: server's 250 to our commit: {_figures(from_server)}; "
        f"of which our reading the 250 to our commit: {_figures(from_client)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument(
        "--quit-delay", type=float, default=0.0, help="seconds the sink waits before its 221"
    )
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Set DATABASE_URL=postgres://...")
        return 2
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:

        def outbox_send(delivery_id: int) -> None:
            assert delivery_send(TIMED, delivery_id=delivery_id) == Outcome.SENT

        options = {"messages": arguments.messages, "quit_delay": arguments.quit_delay}
        print(f"{arguments.messages} messages, QUIT answered after {arguments.quit_delay} s")
        print(summary("outbox (commit, then QUIT)", measure(outbox_send, **options)))
        print(summary("before (QUIT, then commit)", measure(old_order_send, **options)))
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
