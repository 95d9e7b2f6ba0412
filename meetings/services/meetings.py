"""Meetings: their timing, scheduling, changes, cancellation and being marked as held."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetings.models import (
    Meeting,
    MeetingStatus,
)
from meetings.reminders.schedule import notices_after_cancel, notices_after_reschedule
from members.actors import require_secretariat
from untfsse.core.audit import audit_diff, audit_record, field_values


# --- Timing -------------------------------------------------------------------------------
def date_only_span(
    *, first_day: datetime.date, last_day: datetime.date, time_zone: str
) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end of a meeting known only by its dates (SchedulePrecision.DAY): 00:00 of the
    first day to 00:00 of the day after the last, in the meeting's own time zone."""
    if last_day < first_day:
        raise ValidationError(_("The meeting must end after it starts."))
    zone = _zone(time_zone)
    start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def month_only_span(
    *, year: int, month: int, time_zone: str
) -> tuple[datetime.datetime, datetime.datetime]:
    """The whole month, for a meeting whose day is not recorded (SchedulePrecision.MONTH)."""
    zone = _zone(time_zone)
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.datetime.combine(following, datetime.time.min, tzinfo=zone)


def _zone(time_zone: str) -> zoneinfo.ZoneInfo:
    if time_zone not in zoneinfo.available_timezones():
        raise ValidationError(
            {
                "time_zone": _("“%(value)s” is not a time zone name such as Europe/Zurich.")
                % {"value": time_zone}
            }
        )
    return zoneinfo.ZoneInfo(time_zone)


def _check_timing(*, start, end, time_zone: str) -> None:
    _zone(time_zone)
    if start is None or end is None:
        raise ValidationError(_("Give the start and the end of the meeting."))
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("Start and end need a time zone."))
    if end <= start:
        raise ValidationError({"end": _("The meeting must end after it starts.")})


def _unique_slug(title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:110] or "meeting"
    slug, counter = base, 2
    existing = Meeting.objects.exclude(pk=exclude_pk) if exclude_pk else Meeting.objects.all()
    while existing.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


# --- Meetings -----------------------------------------------------------------------------
def meeting_schedule(*, meeting: Meeting, by) -> Meeting:
    """Save a new meeting (an unsaved Meeting with its fields set) as planned.

    Gives it an address made from the title when it has none. Raises ValidationError for an end
    before the start, an unknown time zone, a join link that is not https, or any other invalid
    field; PermissionDenied unless `by` is the secretariat.
    """
    require_secretariat(by)
    if meeting.pk is not None:
        raise ValidationError(_("This meeting is already scheduled."))
    _check_timing(start=meeting.start, end=meeting.end, time_zone=meeting.time_zone)
    with transaction.atomic():
        if not meeting.slug:
            meeting.slug = _unique_slug(meeting.title)
        meeting.status = MeetingStatus.PLANNED
        meeting.sequence = 0
        meeting.full_clean()
        meeting.save()
        audit_record(
            actor=by,
            action="meeting.schedule",
            obj=meeting,
            changes={"status": [None, meeting.status], "start": [None, meeting.start]},
        )
    return meeting


TIMING_FIELDS = ("start", "end", "time_zone", "schedule_precision")
# What the audit trail compares when a meeting is edited: its own columns (related rows by id).
_AUDITED_FIELDS = tuple(
    field.attname
    for field in Meeting._meta.concrete_fields
    if field.name not in ("id", "created_at", "updated_at")
)


def meeting_update(*, meeting: Meeting, by) -> Meeting:
    """Save the edited fields of a scheduled meeting (the admin's change form).

    A change of timing counts as a reschedule (the calendar revision grows; a new start sends
    update notices as meeting_reschedule does); a cancelled meeting cannot be moved. Status is never changed here: use the other services.
    """
    require_secretariat(by)
    _check_timing(start=meeting.start, end=meeting.end, time_zone=meeting.time_zone)
    with transaction.atomic():
        stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
        timing_changed = any(
            getattr(stored, name) != getattr(meeting, name) for name in TIMING_FIELDS
        )
        if timing_changed and stored.is_cancelled:
            raise ValidationError(_("A cancelled meeting cannot be rescheduled."))
        if not meeting.slug:
            meeting.slug = _unique_slug(meeting.title, exclude_pk=meeting.pk)
        meeting.status = stored.status
        meeting.cancelled_at = stored.cancelled_at
        meeting.sequence = stored.sequence + (1 if timing_changed else 0)
        meeting.full_clean()
        meeting.save()
        notices_after_reschedule(meeting=meeting, old_start=stored.start)
        audit_record(
            actor=by,
            action="meeting.update",
            obj=meeting,
            changes=audit_diff(
                field_values(stored, _AUDITED_FIELDS), field_values(meeting, _AUDITED_FIELDS)
            ),
        )
    return meeting


def meeting_reschedule(
    *,
    meeting: Meeting,
    start: datetime.datetime,
    end: datetime.datetime,
    by,
    time_zone: str | None = None,
    schedule_precision: str | None = None,
) -> Meeting:
    """Move a planned meeting to new times; its calendar revision (iCalendar SEQUENCE) grows
    by one so calendar programs update the event. Pending reminders for the old start are
    skipped and everyone already reminded gets an update notice (meetings.reminders).

    Raises ValidationError for a cancelled or already held meeting, an end before the start,
    an unknown time zone, or times that do not change anything.
    """
    require_secretariat(by)
    time_zone = time_zone or meeting.time_zone
    _check_timing(start=start, end=end, time_zone=time_zone)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise ValidationError(_("A cancelled meeting cannot be rescheduled."))
        if meeting.status == MeetingStatus.HELD:
            raise ValidationError(_("This meeting has already been held."))
        new_precision = schedule_precision or meeting.schedule_precision
        if (meeting.start, meeting.end, meeting.time_zone, meeting.schedule_precision) == (
            start,
            end,
            time_zone,
            new_precision,
        ):
            raise ValidationError(_("The new times are the same as the current ones."))
        before = field_values(meeting, (*TIMING_FIELDS, "sequence"))
        old_start = meeting.start
        meeting.start, meeting.end = start, end
        meeting.time_zone = time_zone
        meeting.schedule_precision = new_precision
        meeting.sequence += 1
        meeting.save(
            update_fields=[
                "start",
                "end",
                "time_zone",
                "schedule_precision",
                "sequence",
                "updated_at",
            ]
        )
        # Reminders for the new start follow from the poller; those told the old time hear.
        notices_after_reschedule(meeting=meeting, old_start=old_start)
        audit_record(
            actor=by,
            action="meeting.reschedule",
            obj=meeting,
            changes=audit_diff(before, field_values(meeting, before)),
        )
    return meeting


def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    """Cancel a planned meeting. Calendars receive STATUS:CANCELLED with a new revision;
    pending reminders are skipped and everyone already reminded gets a cancellation notice.

    Raises ValidationError when the meeting is already cancelled or was held.
    """
    require_secretariat(by)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise ValidationError(_("This meeting is already cancelled."))
        if meeting.status == MeetingStatus.HELD:
            raise ValidationError(_("A meeting that was held cannot be cancelled."))
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_at = timezone.now()
        meeting.sequence += 1
        meeting.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
        # No reminders from now on; those already reminded get a cancellation notice.
        notices_after_cancel(meeting=meeting)
        audit_record(
            actor=by,
            action="meeting.cancel",
            obj=meeting,
            changes={"status": [MeetingStatus.PLANNED, MeetingStatus.CANCELLED]},
        )
    return meeting


def meeting_mark_held(*, meeting: Meeting, by, now=None) -> Meeting:
    """Record that a planned meeting took place. Refused before its start or once cancelled."""
    require_secretariat(by)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise ValidationError(_("A cancelled meeting cannot be marked as held."))
        if meeting.status == MeetingStatus.HELD:
            raise ValidationError(_("This meeting is already marked as held."))
        if not meeting.has_started(now):
            raise ValidationError(_("A meeting can be marked as held once it has started."))
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by,
            action="meeting.mark_held",
            obj=meeting,
            changes={"status": [MeetingStatus.PLANNED, MeetingStatus.HELD]},
        )
    return meeting
