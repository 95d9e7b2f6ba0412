"""The secretariat's weekly digest: the dashboard, by e-mail, once per week."""

import datetime
import smtplib

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from untfsse.core.emails import TemplatedEmail, absolute_url, message_id_domain
from untfsse.portal.dashboard import secretariat_dashboard
from untfsse.portal.models import DigestDelivery


def week_starting(moment: datetime.datetime) -> datetime.date:
    """The Monday (UTC) of the week `moment` falls in."""
    day = timezone.localdate(moment, timezone=datetime.UTC)
    return day - datetime.timedelta(days=day.weekday())


def digest_send(*, now: datetime.datetime | None = None) -> bool:
    """Send this week's digest unless it has gone out already. Returns True when this call sent it.

    Safe with several workers: the week's row is created once (unique date) and claimed with
    `select_for_update(skip_locked=True)`; the one that holds it sends and records the time. An
    SMTP failure is recorded and left for the next run of the task (it runs every hour).
    """
    now = now or timezone.now()
    week = week_starting(now)
    DigestDelivery.objects.get_or_create(week_starting=week)
    with transaction.atomic():
        delivery = (
            DigestDelivery.objects.select_for_update(skip_locked=True)
            .filter(week_starting=week, sent_at__isnull=True)
            .first()
        )
        if delivery is None:
            return False
        message = TemplatedEmail(
            to=settings.SECRETARIAT_EMAIL,
            template="untfsse/email/weekly_digest",
            context={
                "sections": secretariat_dashboard(now),
                "week": week,
                "dashboard_url": absolute_url(reverse("secretariat_dashboard")),
                "portal_url": absolute_url(""),
            },
            headers={"Message-ID": f"<digest-{week.isoformat()}@{message_id_domain()}>"},
        )
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            delivery.attempts += 1
            delivery.last_error = str(error)[:1000]
            delivery.save(update_fields=["attempts", "last_error"])
            return False
        delivery.sent_at = timezone.now()
        delivery.attempts += 1
        delivery.save(update_fields=["sent_at", "attempts"])
    return True
