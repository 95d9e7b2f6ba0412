"""The secretariat's weekly digest: the dashboard, by e-mail, once per week.

`WeeklyDigestEmail` is its kind of delivery in the outbox (untfsse.core.outbox), registered
from PortalConfig.ready(): one DigestDelivery row per week, claimed with a lock and sent once
whatever the number of workers; an SMTP failure is retried with back-off by the outbox's sweep.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from untfsse.core.emails import TemplatedEmail, absolute_url, message_id_domain
from untfsse.core.outbox.engine import Outcome, delivery_send
from untfsse.core.outbox.kinds import DeliveryKind
from untfsse.portal.dashboard import secretariat_dashboard
from untfsse.portal.models import DigestDelivery


def week_starting(moment: datetime.datetime) -> datetime.date:
    """The Monday (UTC) of the week `moment` falls in."""
    day = timezone.localdate(moment, timezone=datetime.UTC)
    return day - datetime.timedelta(days=day.weekday())


class WeeklyDigestEmail(DeliveryKind):
    """The dashboard of the week, to SECRETARIAT_EMAIL."""

    name = "untfsse.weekly_digest"
    model = DigestDelivery
    # Tried over about 17 hours (2 + 4 + ... + 512 minutes) before it is given up as failed.
    max_attempts = 10

    def reason_to_skip(self, delivery, now):
        if week_starting(now) != delivery.week_starting:
            return "The week is over: a newer digest replaces it."
        return ""

    def build_message(self, delivery, now):
        delivery.email = settings.SECRETARIAT_EMAIL
        return TemplatedEmail(
            to=delivery.email,
            template="untfsse/email/weekly_digest",
            context={
                "sections": secretariat_dashboard(now),
                "week": delivery.week_starting,
                "dashboard_url": absolute_url(reverse("secretariat_dashboard")),
                "portal_url": absolute_url(""),
            },
            language=delivery.language,
        ).build()

    def message_id(self, delivery):
        return f"<digest-{delivery.week_starting.isoformat()}@{message_id_domain()}>"


WEEKLY_DIGEST_EMAIL = WeeklyDigestEmail()


def digest_send(*, now: datetime.datetime | None = None) -> bool:
    """Send this week's digest unless it has gone out already. Returns True when this call sent it.

    Safe with several workers: the week's row is created once (unique date) and the outbox's
    engine claims it with a lock; the one that holds it sends it and records the time. An SMTP
    failure is recorded and retried with back-off (by the outbox's sweep, or by the next run of
    this task, every hour).
    """
    now = now or timezone.now()
    delivery, _created = DigestDelivery.objects.get_or_create(
        week_starting=week_starting(now),
        defaults={"email": settings.SECRETARIAT_EMAIL, "next_attempt_at": now},
    )
    return delivery_send(WEEKLY_DIGEST_EMAIL, delivery_id=delivery.pk, now=now) == Outcome.SENT
