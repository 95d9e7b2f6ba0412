"""Meetings of the Task Force: agenda, invitations, attendance, minutes and documents.

Models hold data, constraints and cheap properties; every change of state goes through
`meetings.services`.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from meetings.storage import private_document_storage
from members.models import Organisation, Person, validate_time_zone
from untfsse.core.models import TimeStampedModel
from untfsse.core.uploads import validate_document_upload

# Its own error code, so a ModelForm does not replace the message with URLField's "invalid" one.
validate_https_url = URLValidator(
    schemes=["https"], message=_("Enter a secure link that starts with https://."), code="not_https"
)


# Reminders go this many whole hours before a meeting's start: 7 days and 1 day.
DEFAULT_REMINDER_OFFSETS = [168, 24]
MAX_REMINDER_OFFSETS = 5
# Ninety days: the poller only looks at meetings starting within this horizon.
MAX_REMINDER_OFFSET_HOURS = 24 * 90


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


def validate_reminder_offsets(value) -> None:
    """A list of at most five different whole numbers of hours, each from 1 to 2160 (90 days)."""
    if not isinstance(value, list) or not all(
        isinstance(hours, int) and not isinstance(hours, bool) for hours in value
    ):
        raise ValidationError(
            _("Give the reminders as whole numbers of hours, e.g. 168, 24."), code="invalid"
        )
    if len(value) > MAX_REMINDER_OFFSETS:
        raise ValidationError(
            _("At most %(max)d reminders per meeting."),
            code="too_many",
            params={"max": MAX_REMINDER_OFFSETS},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each reminder time may appear only once."), code="duplicate")
    if any(hours < 1 or hours > MAX_REMINDER_OFFSET_HOURS for hours in value):
        raise ValidationError(
            _("Each reminder goes between 1 and %(max)d hours (90 days) before the start."),
            code="out_of_range",
            params={"max": MAX_REMINDER_OFFSET_HOURS},
        )


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    RETREAT = "retreat", _("Retreat")
    TECHNICAL_SYMPOSIUM = "technical_symposium", _("Technical symposium")
    CONFERENCE = "conference", _("Conference")
    WEBINAR = "webinar", _("Webinar")
    EXTERNAL = "external", _("External event")


class MeetingMode(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SchedulePrecision(models.TextChoices):
    """How much of a meeting's timing is known.

    The source documents often give a date and no hour ("held virtually on 11 July 2023"), or
    only a month. Rather than pretend to know an hour, such a meeting is stored as whole local
    days: `start` is 00:00 of its first day and `end` 00:00 of the day after its last day, both
    in the meeting's own time zone (the way iCalendar writes all-day events). A month-only
    meeting spans its whole month. Pages and calendars then show dates without hours (or the
    month alone) and never convert them into another time zone.
    """

    TIME = "time", _("Exact start and end times")
    DAY = "day", _("Dates only (no hours known)")
    MONTH = "month", _("Month only")


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Meetings not yet over, soonest first."""
        return self.filter(end__gt=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lte=now or timezone.now()).order_by("-start", "-pk")

    def not_cancelled(self):
        return self.exclude(status=MeetingStatus.CANCELLED)

    def with_public_summary(self):
        return self.exclude(summary="")


class Meeting(TimeStampedModel):
    """A meeting of the Task Force, or an outside event where it takes part."""

    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("For regular meetings and technical symposia, e.g. 44 or 3."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("address"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "The page is /meetings/<address>/, e.g. 44th-regular-meeting. Made from the title "
            "when left empty; keep it stable once published."
        ),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone of the meeting"),
        max_length=64,
        # Geneva, where the ILO hosts the Task Force's virtual meetings, keeps Europe/Zurich
        # time: the IANA database has no "Europe/Geneva".
        default="Europe/Zurich",
        validators=[validate_time_zone],
        help_text=_(
            "Where the meeting is held or hosted, as an IANA name: Europe/Zurich for Geneva, "
            "Europe/Rome, America/New_York, ..."
        ),
    )
    schedule_precision = models.CharField(
        _("what is known of the timing"),
        max_length=5,
        choices=SchedulePrecision.choices,
        default=SchedulePrecision.TIME,
    )
    mode = models.CharField(
        _("mode"),
        max_length=10,
        choices=MeetingMode.choices,
        blank=True,
        help_text=_("Leave empty only when the records do not say how the meeting was held."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    join_url = models.URLField(
        _("online join link (members only)"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("Shown only to focal points of members and observers and the secretariat."),
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_meetings",
    )
    summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("The news-style report shown to everyone (Markdown)."),
    )
    summary_published_on = models.DateField(
        _("summary published on"),
        null=True,
        blank=True,
        help_text=_("The date of the report; meetings with a summary appear in the news feed."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # Grows by one on every reschedule and on cancellation: iCalendar's SEQUENCE, so calendar
    # programs replace the event they already hold instead of adding a second one.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    attendance_complete = models.BooleanField(
        _("attendance record is complete"),
        default=True,
        help_text=_(
            "Untick when the record names only some participants (for example when a news "
            "item names a few people): the page then says “at least”."
        ),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    reminder_offsets = models.JSONField(
        _("reminders (hours before the start)"),
        default=default_reminder_offsets,
        blank=True,
        validators=[validate_reminder_offsets],
        help_text=_(
            "Invitees get an e-mail this many hours before the start: 168, 24 is 7 days and "
            "1 day. Leave empty for no reminders."
        ),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=Q(number__isnull=False),
                name="meeting_number_unique_per_kind",
                violation_error_message=_("Another meeting of this kind has this number."),
            ),
        ]
        indexes = [
            models.Index(fields=["start"], name="meeting_start"),
            models.Index(fields=["kind", "start"], name="meeting_kind_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The meeting must end after it starts.")
        if errors:
            raise ValidationError(errors)

    # --- cheap properties used by pages, calendars and e-mails ---------------------------
    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime.datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(self.zone)

    @property
    def has_times(self) -> bool:
        return self.schedule_precision == SchedulePrecision.TIME

    @property
    def first_day(self) -> datetime.date:
        return self.local_start.date()

    @property
    def last_day(self) -> datetime.date:
        """The last day the meeting runs (date-only meetings end at 00:00 of the next day)."""
        if self.has_times:
            return self.local_end.date()
        return (self.local_end - datetime.timedelta(days=1)).date()

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.start

    def is_over(self, now=None) -> bool:
        return (now or timezone.now()) >= self.end

    @property
    def place(self) -> str:
        """ "Trento, Italy", "Online", or both for a hybrid meeting."""
        where = ", ".join(
            part
            for part in (self.venue, self.city, self.country.name if self.country else "")
            if part
        )
        if self.mode == MeetingMode.VIRTUAL:
            return str(_("Online"))
        if self.mode == MeetingMode.HYBRID:
            return f"{where} + {_('online')}" if where else str(_("Online"))
        return where


class AgendaItem(TimeStampedModel):
    """One point of a meeting's agenda, in order. Action items link here from the action plan."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("presenter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    presenter_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("presenting organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Public notes (Markdown)."))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class InvitationResponse(models.TextChoices):
    NONE = "none", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    TENTATIVE = "tentative", _("Tentative")


class InvitationQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(response=InvitationResponse.ACCEPTED)

    def not_declined(self):
        return self.exclude(response=InvitationResponse.DECLINED)


class Invitation(TimeStampedModel):
    """A person invited to a meeting, and their answer."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="invitations"
    )
    response = models.CharField(
        _("response"),
        max_length=10,
        choices=InvitationResponse.choices,
        default=InvitationResponse.NONE,
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="invitation_one_per_person",
                violation_error_message=_("This person is already invited to this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(response__in=InvitationResponse.values),
                name="invitation_response_valid",
            ),
            models.CheckConstraint(
                condition=Q(response="none", responded_at__isnull=True)
                | (~Q(response="none") & Q(responded_at__isnull=False)),
                name="invitation_responded_at_with_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.meeting}"


class AttendanceCapacity(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    RESOURCE_PERSON = "resource_person", _("Resource person")
    GUEST = "guest", _("Guest")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class AttendanceQuerySet(models.QuerySet):
    def present(self):
        return self.filter(status=AttendanceStatus.PRESENT)


class Attendance(TimeStampedModel):
    """Who took part in a meeting, and for which organisation at the time.

    A row names a person, or, when the records only say that an organisation was represented
    (the Third Technical Symposium's report lists organisations, not people), it names the
    organisation alone and counts as one participant: the page then says "at least".
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text=_("Leave empty when only the organisation is known to have taken part."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation at the time"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text=_("Filled from the person's organisation when left empty."),
    )
    capacity = models.CharField(
        _("capacity"),
        max_length=16,
        choices=AttendanceCapacity.choices,
        blank=True,
        help_text=_("Filled from the organisation's kind when left empty."),
    )
    status = models.CharField(
        _("attendance"),
        max_length=8,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "organisation__acronym", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="attendance_names_someone",
                violation_error_message=_("Name the person or the organisation that took part."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_one_per_person",
                violation_error_message=_("This person's attendance is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(person__isnull=True),
                name="attendance_one_unnamed_row_per_organisation",
                violation_error_message=_(
                    "This organisation's attendance is already recorded without a name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacity__in=AttendanceCapacity.values),
                name="attendance_capacity_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="attendance_org_status"),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else str(self.organisation)
        return f"{who} @ {self.meeting}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated to members")
    APPROVED = "approved", _("Approved")
    PUBLIC = "public", _("Public")


FROZEN_MINUTES_STATUSES = (MinutesStatus.APPROVED, MinutesStatus.PUBLIC)


class Minutes(TimeStampedModel):
    """The minutes of one meeting: draft → circulated → approved (at a later meeting) → public.

    Once approved the text is frozen; every earlier text is kept in MinutesVersion.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        help_text=_("The later meeting that approved (or is to approve) these minutes."),
    )
    approved_at = models.DateTimeField(_("approved on"), null=True, blank=True)
    published_at = models.DateTimeField(_("made public on"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MinutesStatus.values), name="minutes_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "public"])
                | Q(approved_at_meeting__isnull=False, approved_at__isnull=False),
                name="minutes_approved_at_a_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(approved_at_meeting=F("meeting")),
                name="minutes_approved_at_another_meeting",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_MINUTES_STATUSES


class MinutesVersion(models.Model):
    """A text the minutes once had (kept on every change and at approval); never edited."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="versions"
    )
    body = models.TextField(_("text"))
    status = models.CharField(_("status at the time"), max_length=10, choices=MinutesStatus.choices)
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("earlier version of minutes")
        verbose_name_plural = _("earlier versions of minutes")
        ordering = ["minutes", "-saved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.minutes} ({self.saved_at:%Y-%m-%d %H:%M})"


class DocumentVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members and observers only")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, standing):
        if standing.sees_members_only_content:
            return self
        return self.filter(visibility=DocumentVisibility.PUBLIC)


def document_upload_path(document: "Document", filename: str) -> str:
    # The file name was already made safe by the service (untfsse.core.uploads.safe_file_name).
    return f"meetings/{document.meeting_id}/{filename}"


class Document(TimeStampedModel):
    """A file (PDF, DOCX, PPTX, XLSX, ODT) or a link attached to a meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_path,
        storage=private_document_storage,
        max_length=300,
        blank=True,
        validators=[validate_document_upload],
        help_text=_("PDF, DOCX, PPTX, XLSX or ODT, at most 20 MB."),
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    link = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("Instead of a file: a secure link (https://) to the document."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=8,
        choices=DocumentVisibility.choices,
        default=DocumentVisibility.MEMBERS,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="document_file_or_link",
                violation_error_message=_("Give either a file or a link, not both."),
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=DocumentVisibility.values),
                name="document_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.file) == bool(self.link):
            raise ValidationError(_("Give either a file or a link, not both."))

    @property
    def is_public(self) -> bool:
        return self.visibility == DocumentVisibility.PUBLIC

    def get_absolute_url(self) -> str:
        """Files are served by the permission-checked view; links are shown as they are."""
        if self.link:
            return self.link
        return reverse("meetings:document", kwargs={"slug": self.meeting.slug, "pk": self.pk})


# --- Reminders ----------------------------------------------------------------------------
class ReminderKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    UPDATE = "update", _("New time (meeting rescheduled)")
    CANCELLATION = "cancellation", _("Cancellation notice")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class ReminderDeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=DeliveryState.PENDING)

    def ready(self, now):
        """Pending deliveries whose (next) attempt is due."""
        return self.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)


class ReminderDelivery(TimeStampedModel):
    """One e-mail to one person about one meeting: a reminder before a start, or a notice that
    the meeting moved or was cancelled.

    The database allows one row per (meeting, person, kind, offset, start): however many pollers
    run, a person is reminded at most once per offset and start. A rescheduled meeting has a new
    start, so it gets new rows. Rows go pending → sent | failed, or skipped when, at sending
    time, the reason to write is gone (meeting cancelled or started, invitation declined, person
    opted out, no e-mail address).
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="deliveries"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ReminderKind.choices, default=ReminderKind.REMINDER
    )
    offset_hours = models.PositiveIntegerField(
        _("hours before the start"), default=0, help_text=_("0 for notices.")
    )
    scheduled_start = models.DateTimeField(_("for the start"))
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(
        _("state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)

    objects = ReminderDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "kind", "offset_hours", "scheduled_start"],
                name="reminder_delivery_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_delivery_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values),
                name="reminder_delivery_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="reminder_delivery_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="reminder_delivery_poll"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person_id} · {self.meeting_id}"


class SchedulerHeartbeat(models.Model):
    """When a periodic task last ran (one row per task), so a stopped beat gets noticed."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last run at"))

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self) -> str:
        return self.name
