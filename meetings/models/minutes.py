"""A meeting's minutes, and each earlier text of them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import Meeting
from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel
from untfsse.core.outbox.models import Delivery


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

    content_areas = (ContentArea.MEETINGS,)

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

    content_areas = ()  # shown on no cached page

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


class MinutesCirculationDelivery(Delivery):
    """The e-mail telling one focal point that a meeting's draft minutes were circulated; a
    kind of delivery of the outbox (untfsse.core.outbox), built by meetings.minutes_email.

    One row per (minutes, person, circulation): minutes are circulated once, so a person hears
    of them once however often the step is retried.
    """

    content_areas = ()  # shown on no cached page

    minutes = models.ForeignKey(
        Minutes,
        verbose_name=_("minutes"),
        on_delete=models.CASCADE,
        related_name="circulation_deliveries",
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="minutes_deliveries",
    )

    class Meta(Delivery.Meta):
        verbose_name = _("minutes circulation e-mail")
        verbose_name_plural = _("minutes circulation e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            *Delivery.Meta.constraints,
            models.UniqueConstraint(
                fields=["minutes", "person"], name="minutes_circulation_delivery_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes_id} · {self.person_id}"
