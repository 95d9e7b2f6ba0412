"""Every reminder, notice and minutes circulation e-mail, and what became of it (read only;
failed ones can be retried)."""

from django.contrib import admin

from meetings.models import MinutesCirculationDelivery, ReminderDelivery
from meetings.reminders.schedule import deliveries_retry_failed
from meetings.services.minutes import minutes_emails_retry_failed
from untfsse.core.outbox.admin import DELIVERY_FIELDS, DeliveryAdminMixin


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(DeliveryAdminMixin, admin.ModelAdmin):
    """Every reminder and notice, and what became of it. Read only: the poller and the workers
    write these rows; the secretariat can retry the failed ones."""

    retry_failed_service = staticmethod(deliveries_retry_failed)
    list_display = [
        "person", "meeting", "kind", "offset_hours", "scheduled_start", "state", "attempts",
        "sent_at", "last_error",
    ]  # fmt: skip
    list_filter = ["state", "kind"]
    search_fields = ["person__name", "person__email", "meeting__title"]
    list_select_related = ["person__organisation", "meeting"]
    date_hierarchy = "due_at"
    fields = [
        "meeting", "person", "kind", "offset_hours", "scheduled_start", "due_at", "email",
        "language", "time_zone", "state", "attempts", "last_error", "next_attempt_at", "sent_at",
        "message_id", "created_at", "updated_at",
    ]  # fmt: skip


@admin.register(MinutesCirculationDelivery)
class MinutesCirculationDeliveryAdmin(DeliveryAdminMixin, admin.ModelAdmin):
    """The e-mails that told focal points of circulated minutes (read only; failed ones can be
    retried)."""

    retry_failed_service = staticmethod(minutes_emails_retry_failed)
    list_display = ["person", "minutes", *DeliveryAdminMixin.delivery_list_display]
    search_fields = ["person__name", "person__email", "minutes__meeting__title"]
    list_select_related = ["person", "minutes__meeting"]
    fields = ["minutes", "person", *DELIVERY_FIELDS]
