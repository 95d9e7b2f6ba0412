"""The admin of a kind of delivery: the rows and what became of each, read only, and the
secretariat's retry of the failed ones.

    @admin.register(ReminderDelivery)
    class ReminderDeliveryAdmin(DeliveryAdminMixin, admin.ModelAdmin):
        retry_failed_service = staticmethod(deliveries_retry_failed)  # checks the actor
        list_display = [..., *DeliveryAdminMixin.delivery_list_display]

The outbox imports no app, so it cannot know who may retry: the app gives its own retry
service (which checks the actor, e.g. with `members.actors.require_secretariat`, and calls
`untfsse.core.outbox.tasks.failed_deliveries_requeue`). The permissions only narrow Django's
(composed with `super()`), never widen them.
"""

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.contrib.admin import TabularInline
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from untfsse.core.outbox.models import Delivery

DELIVERY_FIELDS = [
    "email", "language", "time_zone", "state", "attempts", "last_error", "next_attempt_at",
    "sent_at", "message_id", "created_at", "updated_at",
]  # fmt: skip


class DeliveryAdminMixin:
    """Read only (the outbox writes these rows), filtered by state, with the action "Retry the
    failed deliveries" for those Django lets change the rows."""

    delivery_list_display = ["email", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state"]
    actions = ["retry_failed"]
    # (deliveries=QuerySet, by=user) -> int; raises PermissionDenied for the wrong actor.
    retry_failed_service: Callable[..., int]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list and its actions (for those Django lets change these rows), never an edit.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the failed deliveries"), permissions=["change"])
    def retry_failed(self, request, queryset):
        retried = type(self).retry_failed_service(deliveries=queryset, by=request.user)
        messages.success(request, self.retried_message(retried))

    def retried_message(self, retried: int) -> str:
        return retried_message(retried)


def retried_message(retried: int) -> str:
    """What the secretariat is told after a retry of failed deliveries."""
    return ngettext(
        "%(count)d failed delivery queued again.",
        "%(count)d failed deliveries queued again.",
        retried,
    ) % {"count": retried}


class DeliveryInline(TabularInline):
    """The deliveries of one object (a meeting's reminders, a request's e-mails), read only,
    on that object's admin page."""

    extra = 0
    can_delete = False
    show_change_link = False
    classes = ["collapse"]

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def deliveries_table(deliveries: Iterable[Delivery], *, describe: Callable[[Delivery], str]) -> str:
    """The deliveries of one object as a small table, for a read-only field of that object's
    admin page (unlike an inline, it adds nothing to the page's form)."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                describe(delivery),
                delivery.email,
                delivery.get_state_display(),
                delivery.attempts,
                date_format(localtime(delivery.sent_at), "DATETIME_FORMAT")
                if delivery.sent_at
                else "",
                delivery.last_error,
            )
            for delivery in deliveries
        ),
    )
    if not rows:
        return str(_("None yet"))
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
        "</tr></thead><tbody>{}</tbody></table>",
        _("E-mail"),
        _("Recipient"),
        _("State"),
        _("Attempts"),
        _("Sent at"),
        _("Last error"),
        SafeString(rows),
    )
