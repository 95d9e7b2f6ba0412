"""{% load meetings_admin %}: the admin index's warning when reminders are not being sent."""

from django import template
from django.utils import timezone

from meetings.reminders.schedule import HEARTBEAT_STALE_AFTER, heartbeat_last_run

register = template.Library()


@register.inclusion_tag("admin/meetings/_reminder_scheduler_warning.html")
def reminder_scheduler_warning() -> dict:
    """Shown when the reminder poller has never run or not in the last 15 minutes: Celery beat
    or every worker is down, and no reminder goes out until they are back."""
    last_run = heartbeat_last_run()
    stale = last_run is None or timezone.now() - last_run > HEARTBEAT_STALE_AFTER
    return {"stale": stale, "last_run": last_run}
