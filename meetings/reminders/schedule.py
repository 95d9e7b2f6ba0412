"""When reminders are due, and the rows that record them.

Due reminders are rows in the database (ReminderDelivery), never far-future tasks on the
broker: a periodic poller creates the rows that have become due and queues the pending ones.
Every function here is safe to run twice, or at the same time in several processes: rows are
created with the database's unique constraint deciding (`bulk_create(ignore_conflicts=True)`),
and sending claims each row with a row lock (meetings.reminders.delivery).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from meetings.models import (
    MAX_REMINDER_OFFSET_HOURS,
    DeliveryState,
    Invitation,
    Meeting,
    MeetingStatus,
    ReminderDelivery,
    ReminderKind,
    SchedulePrecision,
    SchedulerHeartbeat,
)
from members.actors import require_secretariat
from untfsse.core.audit import audit_record
from untfsse.core.queue import enqueue

POLLER_NAME = "meetings.queue_due_reminders"
# The beat runs the poller every 5 minutes: three missed runs mean it has stopped.
HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=15)
# Kinds that tell a person the meeting's time: having had one, a person "has been reminded".
INFORMING_KINDS = (ReminderKind.REMINDER, ReminderKind.UPDATE)
BATCH_SIZE = 1000


# --- Selectors ----------------------------------------------------------------------------
def reminder_recipients(meeting: Meeting) -> QuerySet[Invitation]:
    """Invitations whose person gets this meeting's e-mails: not declined, reminders not turned
    off, with an e-mail address."""
    return (
        Invitation.objects.not_declined()
        .filter(meeting=meeting, person__receives_reminders=True)
        .exclude(person__email="")
    )


def meetings_open_for_reminders(now: datetime.datetime) -> QuerySet[Meeting]:
    """Planned meetings not yet started that a reminder could be due for now.

    Month-only meetings are left out: with no day known, "the meeting is on ..." would be a
    guess.
    """
    return (
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            start__gt=now,
            start__lte=now + datetime.timedelta(hours=MAX_REMINDER_OFFSET_HOURS),
        )
        .exclude(schedule_precision=SchedulePrecision.MONTH)
        .order_by("start", "pk")
    )


def smallest_due_offset(meeting: Meeting, now: datetime.datetime) -> int | None:
    """The nearest reminder that is due: the smallest offset o with start - o <= now.

    Offsets are hours of elapsed time, so "24 hours before" is 24 real hours even across a
    daylight-saving change (23 or 25 hours on the wall clock). None when nothing is due, the
    meeting is cancelled or has started.
    """
    if meeting.is_cancelled or meeting.has_started(now):
        return None
    start = _utc(meeting.start)
    due = [
        hours
        for hours in meeting.reminder_offsets or []
        if start - datetime.timedelta(hours=hours) <= now
    ]
    return min(due) if due else None


def _utc(moment: datetime.datetime) -> datetime.datetime:
    # Arithmetic on a datetime in a zone like Europe/Zurich is wall-clock arithmetic; in UTC it
    # counts real hours.
    return moment.astimezone(datetime.UTC)


def deliveries_ready(now: datetime.datetime) -> QuerySet[ReminderDelivery]:
    """Pending deliveries whose (next) attempt is due, oldest first."""
    return ReminderDelivery.objects.ready(now).order_by("next_attempt_at", "pk")


def heartbeat_last_run(name: str = POLLER_NAME) -> datetime.datetime | None:
    return (
        SchedulerHeartbeat.objects.filter(name=name).values_list("last_run_at", flat=True).first()
    )


def heartbeat_is_stale(now: datetime.datetime | None = None, name: str = POLLER_NAME) -> bool:
    """True when the poller has never run or not within the last 15 minutes."""
    last_run = heartbeat_last_run(name)
    return last_run is None or (now or timezone.now()) - last_run > HEARTBEAT_STALE_AFTER


# --- Services -----------------------------------------------------------------------------
def heartbeat_record(*, now: datetime.datetime | None = None, name: str = POLLER_NAME) -> None:
    """Note that the periodic task ran (the admin warns when this gets old)."""
    SchedulerHeartbeat.objects.update_or_create(
        name=name, defaults={"last_run_at": now or timezone.now()}
    )


def reminders_materialise(
    *, now: datetime.datetime | None = None, meetings: Iterable[Meeting] | None = None
) -> int:
    """Create the pending reminder rows that are due now (for all open meetings, or these).

    For each meeting only the nearest due offset counts, and a person gets a row for it only if
    nothing that told them the time (a reminder or an update notice for this start) became due
    at or after that offset's time: a meeting scheduled 3 days ahead sends its 1-day reminder
    and, at once, the 7-day one is not sent late. Concurrent callers are safe: the unique
    constraint keeps one row per (meeting, person, kind, offset, start).

    Returns how many rows were proposed (rows another process created first are not counted
    twice in the database, only here).
    """
    now = now or timezone.now()
    candidates = meetings_open_for_reminders(now)
    if meetings is not None:
        candidates = candidates.filter(pk__in=[meeting.pk for meeting in meetings])
    proposed = 0
    for meeting in candidates:
        offset = smallest_due_offset(meeting, now)
        if offset is None:
            continue
        due_at = _utc(meeting.start) - datetime.timedelta(hours=offset)
        informed = ReminderDelivery.objects.filter(
            meeting=meeting,
            scheduled_start=meeting.start,
            kind__in=INFORMING_KINDS,
            due_at__gte=due_at,
        ).values("person_id")
        person_ids = (
            reminder_recipients(meeting)
            .exclude(person_id__in=informed)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        )
        rows = [
            ReminderDelivery(
                meeting=meeting,
                person_id=person_id,
                kind=ReminderKind.REMINDER,
                offset_hours=offset,
                scheduled_start=meeting.start,
                due_at=due_at,
                next_attempt_at=now,
            )
            for person_id in person_ids
        ]
        ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
        proposed += len(rows)
    return proposed


def _notices(*, meeting: Meeting, kind: str, person_ids, now: datetime.datetime) -> int:
    rows = [
        ReminderDelivery(
            meeting=meeting,
            person_id=person_id,
            kind=kind,
            offset_hours=0,
            scheduled_start=meeting.start,
            due_at=now,
            next_attempt_at=now,
        )
        for person_id in person_ids
    ]
    ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
    return len(rows)


def _skip_pending(deliveries: QuerySet[ReminderDelivery], *, reason: str, now) -> int:
    # A row being sent right now is locked: this UPDATE waits for it, then leaves it alone
    # because it is no longer pending, and the notices below count it as sent.
    return deliveries.filter(state=DeliveryState.PENDING).update(
        state=DeliveryState.SKIPPED, last_error=reason, updated_at=now
    )


def _people_informed(meeting: Meeting) -> QuerySet:
    return (
        ReminderDelivery.objects.filter(
            meeting=meeting, kind__in=INFORMING_KINDS, state=DeliveryState.SENT
        )
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )


def notices_after_reschedule(
    *, meeting: Meeting, old_start: datetime.datetime, now: datetime.datetime | None = None
) -> int:
    """Called inside meeting_reschedule's transaction once the new start is saved.

    Pending reminders for the old start are skipped; everyone already told a time for this
    meeting gets one update notice for the new start (none once the meeting has started). The
    reminders for the new start then follow from the poller. Returns how many notices were
    proposed.

    A meeting moved back to a start it already had an update notice for sends no second one
    for that start (the row for it exists): the person was told that time before.
    """
    now = now or timezone.now()
    if meeting.start == old_start:
        return 0
    _skip_pending(
        ReminderDelivery.objects.filter(
            meeting=meeting, kind__in=INFORMING_KINDS, scheduled_start=old_start
        ),
        reason="The meeting was rescheduled.",
        now=now,
    )
    if meeting.is_cancelled or meeting.has_started(now):
        return 0
    return _notices(
        meeting=meeting,
        kind=ReminderKind.UPDATE,
        person_ids=list(_people_informed(meeting)),
        now=now,
    )


def notices_after_cancel(*, meeting: Meeting, now: datetime.datetime | None = None) -> int:
    """Called inside meeting_cancel's transaction once the meeting is cancelled.

    Pending reminders and update notices are skipped; everyone already told a time for this
    meeting gets one cancellation notice (none once the meeting's start has passed).
    """
    now = now or timezone.now()
    _skip_pending(
        ReminderDelivery.objects.filter(meeting=meeting, kind__in=INFORMING_KINDS),
        reason="The meeting was cancelled.",
        now=now,
    )
    if meeting.has_started(now):
        return 0
    return _notices(
        meeting=meeting,
        kind=ReminderKind.CANCELLATION,
        person_ids=list(_people_informed(meeting)),
        now=now,
    )


def deliveries_queue(delivery_ids: Iterable[int]) -> int:
    """Queue one send task per delivery once the current transaction commits (at once outside
    one). Queuing a delivery twice is harmless: the second task finds it claimed or sent."""
    from meetings.tasks import send_delivery  # tasks import this module

    ids = list(delivery_ids)

    def queue() -> None:
        for delivery_id in ids:
            if not enqueue(send_delivery, delivery_id=delivery_id):
                break  # the broker is away: the next poll queues them again

    transaction.on_commit(queue)
    return len(ids)


def reminders_poll(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """The periodic task's work: record the heartbeat, create the rows that became due, queue
    every pending delivery whose attempt is due (including those a dead worker left pending).

    Returns (rows proposed, deliveries queued).
    """
    now = now or timezone.now()
    heartbeat_record(now=now)
    proposed = reminders_materialise(now=now)
    queued = deliveries_queue(deliveries_ready(now).values_list("pk", flat=True))
    return proposed, queued


def reminders_send_now(
    *, meetings: Iterable[Meeting], by, now: datetime.datetime | None = None
) -> int:
    """The secretariat's "send due reminders now" for some meetings: the same rules as the
    poller (nothing early, nobody twice), without waiting for its next run. Returns how many
    deliveries were queued."""
    require_secretariat(by)
    now = now or timezone.now()
    meetings = list(meetings)
    reminders_materialise(now=now, meetings=meetings)
    queued = deliveries_queue(
        deliveries_ready(now)
        .filter(meeting__in=[meeting.pk for meeting in meetings])
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        audit_record(
            actor=by,
            action="reminders.send_now",
            obj=Meeting,
            changes={"meetings": [None, meetings], "queued": [None, queued]},
        )
    return queued


def deliveries_retry_failed(
    *, deliveries: QuerySet[ReminderDelivery], by, now: datetime.datetime | None = None
) -> int:
    """Put failed deliveries back to pending with a fresh count of attempts, and queue them.
    They are still checked when sent (a meeting cancelled meanwhile sends nothing)."""
    require_secretariat(by)
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            deliveries.filter(state=DeliveryState.FAILED)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        ReminderDelivery.objects.filter(pk__in=ids).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=now, updated_at=now
        )
        deliveries_queue(ids)
        if ids:
            audit_record(
                actor=by,
                action="reminder_delivery.retry_failed",
                obj=ReminderDelivery,
                changes={
                    "state": [DeliveryState.FAILED, DeliveryState.PENDING],
                    "deliveries": [None, ids],
                },
            )
    return len(ids)
