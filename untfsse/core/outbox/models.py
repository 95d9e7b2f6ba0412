"""The row every e-mail is: one recipient, one message, sent at most once.

Each kind of e-mail has a concrete model built on `Delivery` that adds only what identifies
its message (a meeting and a person, a submission's transition, a week) and the database
constraint that makes that message unique. The shared fields carry database defaults too, so
that rows written by an older layout (or by hand) are complete.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class DeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=DeliveryState.PENDING)

    def ready(self, now):
        """Pending deliveries whose (next) attempt is due."""
        return self.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)

    def failed(self):
        return self.filter(state=DeliveryState.FAILED)


class Delivery(models.Model):
    """One e-mail to one recipient, and what became of it.

    pending → sent | failed, or skipped when, at sending time, the reason to write is gone (the
    reason is kept in `last_error`). `attempts` counts the tries that reached the SMTP server or
    failed to; `next_attempt_at` is when the next one may be made (back-off after a failure).
    `message_id` is the deterministic Message-ID the message went out with. `email`,
    `language` and `time_zone` are what the message was (or will be) written for.
    """

    email = models.EmailField(_("recipient"), blank=True, default="", db_default="")
    language = models.CharField(_("language"), max_length=8, default="en", db_default="en")
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", db_default="UTC")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
        db_default=DeliveryState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, db_default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"), default=timezone.now, db_default=Now()
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    message_id = models.CharField(
        _("Message-ID"), max_length=255, blank=True, default="", db_default=""
    )
    last_error = models.TextField(_("last error"), blank=True, default="", db_default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now())

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values),
                name="%(app_label)s_%(class)s_state_valid",
            ),
        ]
        # The sweep's question: pending rows whose attempt is due.
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="%(class)s_due")]
