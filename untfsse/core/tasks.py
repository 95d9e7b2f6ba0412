"""The kit's Celery tasks, where Celery's autodiscovery looks for them (`<app>.tasks`)."""

from untfsse.core.outbox.tasks import send_delivery, sweep_deliveries

__all__ = ["send_delivery", "sweep_deliveries"]
