from celery import shared_task

from untfsse.portal.digest import digest_send


@shared_task(name="untfsse.send_weekly_digest")
def send_weekly_digest() -> None:
    """Send this week's digest to the secretariat if it has not gone out yet (runs hourly)."""
    digest_send()
