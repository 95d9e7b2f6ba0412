"""Meetings, their kinds and timing, and their agenda."""

import datetime
import functools
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

from members.models import Organisation, Person, validate_time_zone
from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel

# Its own error code, so a ModelForm does not replace the message with URLField's "invalid" one.
validate_https_url = URLValidator(
    schemes=["https"], message=_("Enter a secure link that starts with https://."), code="not_https"
)


# Reminders go this many whole hours before a meeting's start: 7 days and 1 day, unless the
# setting MEETING_REMINDER_HOURS says otherwise.
DEFAULT_REMINDER_OFFSETS = [168, 24]
MAX_REMINDER_OFFSETS = 5
# Ninety days: the poller only looks at meetings starting within this horizon.
MAX_REMINDER_OFFSET_HOURS = 24 * 90


def default_reminder_offsets() -> list[int]:
    """The reminders a new meeting gets: the setting MEETING_REMINDER_HOURS (168, 24)."""
    return list(getattr(settings, "MEETING_REMINDER_HOURS", DEFAULT_REMINDER_OFFSETS))


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


@functools.cache
def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The time zone called `name`, kept by the process: zoneinfo keeps only the last eight
    zones used, and a page listing meetings in ten zones read the zone files from disk again
    for every meeting. Raises ZoneInfoNotFoundError (or ValueError) for an unknown name."""
    return zoneinfo.ZoneInfo(name)


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

    content_areas = (ContentArea.MEETINGS,)

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
    reported_participants = models.PositiveIntegerField(
        _("participants according to the report"),
        null=True,
        blank=True,
        help_text=_(
            "The figure a report gives when the attendance record is incomplete (for “about "
            "30 participants” enter 30). The page's headline then shows it, with the counts "
            "derived from the attendance rows beside it."
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
        return zone_named(self.time_zone)

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

    content_areas = (ContentArea.MEETINGS,)

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
