"""Every reminder and notice, and what became of it (read only; failed ones can be retried)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.models import (
    DeliveryState,
    ReminderDelivery,
)
from meetings.reminders.schedule import deliveries_retry_failed


def retried_message(request, retried: int) -> None:
    messages.success(
        request,
        ngettext(
            "%(count)d failed delivery queued again.",
            "%(count)d failed deliveries queued again.",
            retried,
        )
        % {"count": retried},
    )


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    """Every reminder and notice, and what became of it. Read only: the poller and the workers
    write these rows; the secretariat can retry the failed ones."""

    list_display = [
        "person", "meeting", "kind", "offset_hours", "scheduled_start", "state", "attempts",
        "sent_at", "last_error",
    ]  # fmt: skip
    list_filter = ["state", "kind"]
    search_fields = ["person__name", "person__email", "meeting__title"]
    list_select_related = ["person__organisation", "meeting"]
    date_hierarchy = "due_at"
    readonly_fields = [
        "meeting", "person", "kind", "offset_hours", "scheduled_start", "due_at", "state",
        "attempts", "last_error", "next_attempt_at", "sent_at", "message_id", "created_at",
        "updated_at",
    ]  # fmt: skip
    fields = readonly_fields
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list and its actions (for those Django lets change these rows), never an edit.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the failed deliveries"), permissions=["change"])
    def retry_failed(self, request, queryset):
        retried = deliveries_retry_failed(
            deliveries=queryset.filter(state=DeliveryState.FAILED), by=request.user
        )
        retried_message(request, retried)
