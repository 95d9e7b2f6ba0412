"""Every change of state of a meeting and its parts goes through these functions.

The admin, the pages and the seed data all call them. Each one validates, changes state inside
a transaction, records who acted (`by`), and raises ValidationError (bad input, a transition
that is not allowed now) or PermissionDenied (the actor may not do this) with a message fit to
show as it is.

`by` is a user, or `SYSTEM` for the portal's own commands (seed data, management commands),
which run on the server and need no account.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetings.models import (
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    Document,
    DocumentVisibility,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    MinutesVersion,
)
from meetings.reminders.schedule import notices_after_cancel, notices_after_reschedule
from members.actors import SYSTEM, require_secretariat, user_or_none
from members.models import Organisation, OrganisationKind, Person
from members.standing import standing_of
from untfsse.core.cache import bump_content_versions
from untfsse.core.uploads import safe_file_name, validate_document_upload


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
        bump_content_versions("meetings")  # cached public pages show it
        if not meeting.slug:
            meeting.slug = _unique_slug(meeting.title)
        meeting.status = MeetingStatus.PLANNED
        meeting.sequence = 0
        meeting.full_clean()
        meeting.save()
    return meeting


TIMING_FIELDS = ("start", "end", "time_zone", "schedule_precision")


def meeting_update(*, meeting: Meeting, by) -> Meeting:
    """Save the edited fields of a scheduled meeting (the admin's change form).

    A change of timing counts as a reschedule (the calendar revision grows; a new start sends
    update notices as meeting_reschedule does); a cancelled meeting cannot be moved. Status is never changed here: use the other services.
    """
    require_secretariat(by)
    _check_timing(start=meeting.start, end=meeting.end, time_zone=meeting.time_zone)
    with transaction.atomic():
        bump_content_versions("meetings")  # cached public pages show it
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
        bump_content_versions("meetings")  # cached public pages show it
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
    return meeting


def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    """Cancel a planned meeting. Calendars receive STATUS:CANCELLED with a new revision;
    pending reminders are skipped and everyone already reminded gets a cancellation notice.

    Raises ValidationError when the meeting is already cancelled or was held.
    """
    require_secretariat(by)
    with transaction.atomic():
        bump_content_versions("meetings")  # cached public pages show it
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
    return meeting


def meeting_mark_held(*, meeting: Meeting, by, now=None) -> Meeting:
    """Record that a planned meeting took place. Refused before its start or once cancelled."""
    require_secretariat(by)
    with transaction.atomic():
        bump_content_versions("meetings")  # cached public pages show it
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise ValidationError(_("A cancelled meeting cannot be marked as held."))
        if meeting.status == MeetingStatus.HELD:
            raise ValidationError(_("This meeting is already marked as held."))
        if not meeting.has_started(now):
            raise ValidationError(_("A meeting can be marked as held once it has started."))
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
    return meeting


# --- Invitations --------------------------------------------------------------------------
def _require_open_for_invitations(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled: no one can be invited."))
    if meeting.is_over():
        raise ValidationError(_("This meeting is over: no one can be invited."))


def focal_points_of(kinds: Iterable[str]):
    """People with an account who are focal points of current organisations of these kinds."""
    return Person.objects.filter(
        user__isnull=False,
        user__is_active=True,
        organisation__kind__in=list(kinds),
        organisation__in=Organisation.objects.current(),
    )


def invitations_create(
    *,
    meeting: Meeting,
    by,
    organisation_kinds: Iterable[str] = (),
    persons: Iterable[Person] = (),
) -> list[Invitation]:
    """Invite every focal point of current organisations of the given kinds (member, observer)
    and/or the given people. People already invited are left as they are.

    Returns the new invitations. Raises ValidationError when the meeting is cancelled or over,
    or when nobody is chosen.
    """
    require_secretariat(by)
    organisation_kinds = list(organisation_kinds)
    unknown = set(organisation_kinds) - {OrganisationKind.MEMBER, OrganisationKind.OBSERVER}
    if unknown:
        raise ValidationError(_("Invitations go to focal points of members or observers."))
    person_ids = {person.pk for person in persons}
    if organisation_kinds:
        person_ids |= set(focal_points_of(organisation_kinds).values_list("pk", flat=True))
    if not organisation_kinds and not person_ids:
        raise ValidationError(_("Choose the people or the kinds of organisation to invite."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _require_open_for_invitations(meeting)
        already = set(
            Invitation.objects.filter(meeting=meeting, person_id__in=person_ids).values_list(
                "person_id", flat=True
            )
        )
        created = Invitation.objects.bulk_create(
            [
                Invitation(meeting=meeting, person_id=person_id, invited_by=user_or_none(by))
                for person_id in sorted(person_ids - already)
            ]
        )
    return created


ANSWERS = (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED, InvitationResponse.TENTATIVE)


def invitation_respond(*, invitation: Invitation, response: str, by, now=None) -> Invitation:
    """The invited person's answer (accepted, declined or tentative); it can change until the
    meeting starts.

    Raises PermissionDenied when `by` is not the invited person's account; ValidationError for
    an unknown answer, a cancelled meeting, or once the meeting has started.
    """
    if response not in ANSWERS:
        raise ValidationError(_("Answer accept, decline or tentative."))
    if by is not SYSTEM:
        standing = standing_of(by)
        if standing.person is None or standing.person.pk != invitation.person_id:
            raise PermissionDenied(_("Only the invited person can answer this invitation."))
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
        )
        if invitation.meeting.is_cancelled:
            raise ValidationError(_("This meeting is cancelled."))
        if invitation.meeting.has_started(now):
            raise ValidationError(_("This meeting has started: answers can no longer be changed."))
        invitation.response = response
        invitation.responded_at = now
        invitation.save(update_fields=["response", "responded_at", "updated_at"])
    return invitation


# --- Attendance ---------------------------------------------------------------------------
_CAPACITY_OF_KIND = {
    OrganisationKind.MEMBER: AttendanceCapacity.MEMBER,
    OrganisationKind.OBSERVER: AttendanceCapacity.OBSERVER,
}


def attendance_record(
    *,
    meeting: Meeting,
    by,
    person: Person | None = None,
    organisation: Organisation | None = None,
    capacity: str = "",
    status: str = AttendanceStatus.PRESENT,
    now=None,
) -> Attendance:
    """Record (or correct) that a person, or an organisation whose people are not named, took
    part in a meeting.

    The organisation defaults to the person's current one; the capacity to the organisation's
    kind (member or observer; anyone else is a guest). Recording the same person again updates
    their row. Raises ValidationError when nobody is named, for a cancelled meeting or one not
    yet started, or for an unknown capacity or status.
    """
    require_secretariat(by)
    if person is None and organisation is None:
        raise ValidationError(_("Name the person or the organisation that took part."))
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Unknown attendance status."))
    if capacity and capacity not in AttendanceCapacity.values:
        raise ValidationError(_("Unknown capacity."))
    if organisation is None and person is not None:
        organisation = person.organisation
    if not capacity:
        kind = organisation.kind if organisation is not None else None
        capacity = _CAPACITY_OF_KIND.get(kind, AttendanceCapacity.GUEST)
    with transaction.atomic():
        bump_content_versions("meetings")  # cached public pages show it
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_cancelled:
            raise ValidationError(_("This meeting was cancelled: no attendance can be recorded."))
        if not meeting.has_started(now):
            raise ValidationError(_("Attendance can be recorded once the meeting has started."))
        lookup = (
            {"meeting": meeting, "person": person}
            if person is not None
            else {"meeting": meeting, "person": None, "organisation": organisation}
        )
        values = {
            "organisation": organisation,
            "capacity": capacity,
            "status": status,
        }
        attendance = Attendance.objects.filter(**lookup).first()
        if attendance is None:
            attendance = Attendance.objects.create(
                **{**lookup, **values}, recorded_by=user_or_none(by)
            )
        else:
            changed = [name for name, value in values.items() if getattr(attendance, name) != value]
            if changed:
                for name in changed:
                    setattr(attendance, name, values[name])
                attendance.recorded_by = user_or_none(by)
                attendance.save(update_fields=[*changed, "recorded_by", "updated_at"])
        if person is not None and organisation is not None and status == AttendanceStatus.PRESENT:
            # A row for "someone from this organisation" stood for people not yet named; once
            # one of them is named it would count the same participant twice.
            Attendance.objects.filter(
                meeting=meeting, person=None, organisation=organisation
            ).delete()
    return attendance


def attendance_from_invitations(*, meeting: Meeting, by, now=None) -> list[Attendance]:
    """Record as present everyone who accepted the invitation (existing rows are updated)."""
    require_secretariat(by)
    invitations = (
        Invitation.objects.accepted().filter(meeting=meeting).select_related("person__organisation")
    )
    return [
        attendance_record(meeting=meeting, person=invitation.person, by=by, now=now)
        for invitation in invitations
    ]


# --- Minutes ------------------------------------------------------------------------------
def _keep_version(minutes: Minutes, *, by) -> None:
    if minutes.body:
        MinutesVersion.objects.create(
            minutes=minutes, body=minutes.body, status=minutes.status, saved_by=user_or_none(by)
        )


def minutes_save_draft(
    *, meeting: Meeting, body: str, by, approved_at_meeting: Meeting | None = None
) -> Minutes:
    """Write the minutes of a meeting (creating them as a draft). The text they had before is
    kept as an earlier version. Refused once the minutes are approved: their text is frozen.
    """
    require_secretariat(by)
    with transaction.atomic():
        minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
        if minutes.is_frozen:
            raise ValidationError(_("These minutes are approved: their text can no longer change."))
        if approved_at_meeting is not None:
            _check_approving_meeting(meeting=meeting, at_meeting=approved_at_meeting)
        changed = []
        if body != minutes.body:
            _keep_version(minutes, by=by)
            minutes.body = body
            changed.append("body")
        if (
            approved_at_meeting is not None
            and minutes.approved_at_meeting_id != approved_at_meeting.pk
        ):
            minutes.approved_at_meeting = approved_at_meeting
            changed.append("approved_at_meeting")
        if changed:
            minutes.save(update_fields=[*changed, "updated_at"])
    return minutes


def _check_approving_meeting(*, meeting: Meeting, at_meeting: Meeting) -> None:
    if at_meeting.pk == meeting.pk or at_meeting.start <= meeting.start:
        raise ValidationError(_("Minutes are approved at a later meeting."))
    if at_meeting.is_cancelled:
        raise ValidationError(_("Minutes cannot be approved at a cancelled meeting."))


def _locked_minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)


def minutes_circulate(*, minutes: Minutes, by) -> Minutes:
    """Send draft minutes to the members and observers (they see them on the meeting page)."""
    require_secretariat(by)
    with transaction.atomic():
        minutes = _locked_minutes(minutes)
        if minutes.status != MinutesStatus.DRAFT:
            raise ValidationError(_("Only draft minutes can be circulated."))
        if not minutes.body.strip():
            raise ValidationError(_("Write the minutes before circulating them."))
        minutes.status = MinutesStatus.CIRCULATED
        minutes.circulated_at = timezone.now()
        minutes.save(update_fields=["status", "circulated_at", "updated_at"])
    return minutes


def minutes_approve(*, minutes: Minutes, by, at_meeting: Meeting | None = None) -> Minutes:
    """Approve circulated minutes at a later meeting (given, or the one chosen beforehand).

    The text is frozen from now on, and kept as a version. Raises ValidationError unless the
    minutes are circulated and the approving meeting comes after theirs.
    """
    require_secretariat(by)
    with transaction.atomic():
        minutes = _locked_minutes(minutes)
        if minutes.status != MinutesStatus.CIRCULATED:
            raise ValidationError(_("Only circulated minutes can be approved."))
        at_meeting = at_meeting or minutes.approved_at_meeting
        if at_meeting is None:
            raise ValidationError(_("Choose the meeting that approved these minutes."))
        _check_approving_meeting(meeting=minutes.meeting, at_meeting=at_meeting)
        if not at_meeting.has_started():
            raise ValidationError(
                _("Minutes are approved once the approving meeting has taken place.")
            )
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_at_meeting = at_meeting
        minutes.approved_at = timezone.now()
        minutes.save(update_fields=["status", "approved_at_meeting", "approved_at", "updated_at"])
        _keep_version(minutes, by=by)
    return minutes


def minutes_publish(*, minutes: Minutes, by) -> Minutes:
    """Make approved minutes public (shown to everyone on the meeting page)."""
    require_secretariat(by)
    with transaction.atomic():
        bump_content_versions("meetings")  # cached public pages show it
        minutes = _locked_minutes(minutes)
        if minutes.status != MinutesStatus.APPROVED:
            raise ValidationError(_("Only approved minutes can be made public."))
        minutes.status = MinutesStatus.PUBLIC
        minutes.published_at = timezone.now()
        minutes.save(update_fields=["status", "published_at", "updated_at"])
    return minutes


# --- Documents ----------------------------------------------------------------------------
def document_add(
    *,
    meeting: Meeting,
    title: str,
    by,
    upload=None,
    link: str = "",
    visibility: str = DocumentVisibility.MEMBERS,
    order: int = 1,
) -> Document:
    """Attach a file or an https link to a meeting.

    A file is checked by its content (PDF, DOCX, PPTX, XLSX or ODT, at most 20 MB), stored
    under a safe name with the extension of its real type, in the private storage. Raises
    ValidationError for a refused file, a link that is not https, both or neither.
    """
    require_secretariat(by)
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if bool(upload) == bool(link):
        raise ValidationError(_("Give either a file or a link, not both."))
    if visibility not in DocumentVisibility.values:
        raise ValidationError(_("Unknown visibility."))
    document = Document(
        meeting=meeting, title=title.strip(), link=link, visibility=visibility, order=order
    )
    if upload is not None:
        file_type = validate_document_upload(upload)
        document.content_type = file_type.content_type
        name = safe_file_name(upload.name or "", extension=file_type.extension)
        document.file.save(name, upload, save=False)
    else:
        document.full_clean(exclude=["file"])
    try:
        with transaction.atomic():
            bump_content_versions("meetings")  # cached public pages show it
            document.save()
    except Exception:
        if document.file:
            document.file.delete(save=False)
        raise
    return document


def document_remove(*, document: Document, by) -> None:
    """Delete a document and its stored file."""
    require_secretariat(by)
    file = document.file
    with transaction.atomic():
        bump_content_versions("meetings")  # cached public pages show it
        document.delete()
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))
