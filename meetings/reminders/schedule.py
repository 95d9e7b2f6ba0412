"""When reminders are due, and the rows that record them.

Due reminders are rows in the database (ReminderDelivery), never far-future tasks on the
broker: a periodic poller creates the rows that have become due and queues the pending ones.
Every function here is safe to run twice, or at the same time in several processes: rows are
created with the database's unique constraint deciding (`bulk_create(ignore_conflicts=True)`),
and the outbox's engine claims each row with a row lock when it sends it (untfsse.core.outbox).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from meetings.models import (
    MAX_REMINDER_OFFSET_HOURS,
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
from untfsse.core.outbox.models import DeliveryState
from untfsse.core.outbox.tasks import deliveries_queue_on_commit, failed_deliveries_retry

POLLER_NAME = "meetings.queue_due_reminders"
# The beat runs the poller every 5 minutes: three missed runs mean it has stopped.
HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=15)
# Kinds that tell a person the meeting's time: having had one, a person "has been reminded".
INFORMING_KINDS = (ReminderKind.REMINDER, ReminderKind.UPDATE)
# Whoever was sent one of these knows the meeting's time, and hears when it moves or is
# cancelled.
NOTIFIED_KINDS = (*INFORMING_KINDS, ReminderKind.INVITATION)
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


def due_offsets(meeting: Meeting, now: datetime.datetime) -> list[int]:
    """The reminders that are due, nearest the start first: every offset o with start - o <=
    now.

    Offsets are hours of elapsed time, so "24 hours before" is 24 real hours even across a
    daylight-saving change (23 or 25 hours on the wall clock). Empty when nothing is due, the
    meeting is cancelled or has started.
    """
    if meeting.is_cancelled or meeting.has_started(now):
        return []
    start = _utc(meeting.start)
    return sorted(
        hours
        for hours in meeting.reminder_offsets or []
        if start - datetime.timedelta(hours=hours) <= now
    )


def smallest_due_offset(meeting: Meeting, now: datetime.datetime) -> int | None:
    """The nearest reminder that is due (see `due_offsets`); None when none is."""
    due = due_offsets(meeting, now)
    return due[0] if due else None


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


# A reminder is one too many when the person was reminded less than this many times its
# offset before the start: the 1-hour reminder of a meeting whose 24-hour reminder went out
# (late) 61 minutes before the start would say "in 1 hour" a second time.
REMINDER_SPACING = 1.5
SKIPPED_FOR_NEARER = "A reminder nearer the start was due at the same time: only that one goes."


def _reminded_recently(meeting: Meeting, offset: int) -> QuerySet:
    """People reminded of this start (a reminder pending or sent) less than REMINDER_SPACING
    times `offset` before it."""
    since = _utc(meeting.start) - datetime.timedelta(hours=offset * REMINDER_SPACING)
    return ReminderDelivery.objects.filter(
        meeting=meeting,
        scheduled_start=meeting.start,
        kind=ReminderKind.REMINDER,
        state__in=(DeliveryState.PENDING, DeliveryState.SENT),
        created_at__gt=since,
    ).values("person_id")


def _reminder_row(meeting, person_id, offset, now, *, skipped_because: str = ""):
    return ReminderDelivery(
        meeting=meeting,
        person_id=person_id,
        kind=ReminderKind.REMINDER,
        offset_hours=offset,
        scheduled_start=meeting.start,
        due_at=_utc(meeting.start) - datetime.timedelta(hours=offset),
        next_attempt_at=now,
        state=DeliveryState.SKIPPED if skipped_because else DeliveryState.PENDING,
        last_error=skipped_because,
    )


def reminders_materialise(
    *, now: datetime.datetime | None = None, meetings: Iterable[Meeting] | None = None
) -> int:
    """Create the reminder rows that are due now (for all open meetings, or these).

    One reminder at a time: for each meeting only the nearest due offset is sent, and a person
    gets a row for it only if nothing that told them the time (a reminder or an update notice
    for this start) became due at or after that offset's time. The farther offsets that fell
    due together with it (a meeting scheduled 3 days ahead: the 7-day one) are recorded as
    skipped, with the reason, and never sent late; so is the nearest one when the person was
    reminded shortly before (REMINDER_SPACING). Concurrent callers are safe: the unique
    constraint keeps one row per (meeting, person, kind, offset, start).

    Returns how many rows to send were proposed (rows another process created first are not
    counted twice in the database, only here).
    """
    now = now or timezone.now()
    candidates = meetings_open_for_reminders(now)
    if meetings is not None:
        candidates = candidates.filter(pk__in=[meeting.pk for meeting in meetings])
    proposed = 0
    for meeting in candidates:
        offsets = due_offsets(meeting, now)
        if not offsets:
            continue
        offset, farther = offsets[0], offsets[1:]
        due_at = _utc(meeting.start) - datetime.timedelta(hours=offset)
        informed = ReminderDelivery.objects.filter(
            meeting=meeting,
            scheduled_start=meeting.start,
            kind__in=INFORMING_KINDS,
            due_at__gte=due_at,
        ).values("person_id")
        person_ids = list(
            reminder_recipients(meeting)
            .exclude(person_id__in=informed)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        )
        if not person_ids:
            continue
        recently = set(
            _reminded_recently(meeting, offset)
            .filter(person_id__in=person_ids)
            .values_list("person_id", flat=True)
        )
        rows = []
        for person_id in person_ids:
            if person_id in recently:
                rows.append(
                    _reminder_row(
                        meeting,
                        person_id,
                        offset,
                        now,
                        skipped_because="The person was reminded shortly before this reminder "
                        "fell due: one reminder at a time.",
                    )
                )
                continue
            rows.append(_reminder_row(meeting, person_id, offset, now))
            proposed += 1
            rows.extend(
                _reminder_row(meeting, person_id, hours, now, skipped_because=SKIPPED_FOR_NEARER)
                for hours in farther
            )
        ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
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
    # Sent once the change is committed, without waiting for the poller.
    deliveries_queue_on_commit(
        ReminderDelivery.objects.filter(
            meeting=meeting,
            kind=kind,
            scheduled_start=meeting.start,
            state=DeliveryState.PENDING,
            person_id__in=[row.person_id for row in rows],
        ).only("pk")
    )
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
            meeting=meeting, kind__in=NOTIFIED_KINDS, state=DeliveryState.SENT
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
        ReminderDelivery.objects.filter(meeting=meeting, kind__in=NOTIFIED_KINDS),
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


def reminders_poll(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """The periodic task's work: record the heartbeat, create the rows that became due, queue
    every pending delivery whose attempt is due (including those a dead worker left pending).

    Returns (rows proposed, deliveries queued).
    """
    now = now or timezone.now()
    heartbeat_record(now=now)
    proposed = reminders_materialise(now=now)
    queued = deliveries_queue_on_commit(deliveries_ready(now).only("pk"))
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
    queued = deliveries_queue_on_commit(
        deliveries_ready(now).filter(meeting__in=[meeting.pk for meeting in meetings]).only("pk")
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
    They are still checked when sent (a meeting cancelled meanwhile sends nothing). Raises
    PermissionDenied unless `by` is the secretariat (or SYSTEM)."""
    require_secretariat(by)
    return failed_deliveries_retry(
        deliveries=deliveries, by=by, action="reminder_delivery.retry_failed", now=now
    )
