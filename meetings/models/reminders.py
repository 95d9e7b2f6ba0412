"""The reminders and notices e-mailed about meetings, and the scheduler's heartbeat."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import Meeting
from members.models import Person
from untfsse.core.outbox.models import Delivery


class ReminderKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    UPDATE = "update", _("New time (meeting rescheduled)")
    CANCELLATION = "cancellation", _("Cancellation notice")
    INVITATION = "invitation", _("Invitation")


class ReminderDelivery(Delivery):
    """One e-mail to one person about one meeting: the invitation, a reminder before a start,
    or a notice that the meeting moved or was cancelled; a kind of delivery of the outbox (untfsse.core.outbox),
    built and checked by meetings.reminders.email.

    The database allows one row per (meeting, person, kind, offset, start): however many pollers
    run, a person is reminded at most once per offset and start. A rescheduled meeting has a new
    start, so it gets new rows. Rows go pending → sent | failed, or skipped when, at sending
    time, the reason to write is gone (meeting cancelled or started, invitation declined, person
    opted out, no e-mail address).
    """

    content_areas = ()  # shown on no cached page

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

    class Meta(Delivery.Meta):
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["-due_at", "-pk"]
        constraints = [
            *Delivery.Meta.constraints,
            models.UniqueConstraint(
                fields=["meeting", "person", "kind", "offset_hours", "scheduled_start"],
                name="reminder_delivery_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_delivery_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="reminder_delivery_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person_id} · {self.meeting_id}"


class SchedulerHeartbeat(models.Model):
    """When a periodic task last ran (one row per task), so a stopped beat gets noticed."""

    content_areas = ()  # shown on no cached page

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last run at"))

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self) -> str:
        return self.name
