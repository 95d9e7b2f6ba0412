"""Readable names of the actions meetings' services record in the audit trail
(untfsse/core/audit.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "meeting.schedule": _("Meeting scheduled"),
    "meeting.update": _("Meeting edited"),
    "meeting.reschedule": _("Meeting rescheduled"),
    "meeting.cancel": _("Meeting cancelled"),
    "meeting.mark_held": _("Meeting marked as held"),
    "meeting.invite": _("Invitations sent"),
    "invitation.respond": _("Invitation answered"),
    "invitation.respond_by_link": _("Invitation answered through the e-mail's link"),
    "attendance.record": _("Attendance recorded"),
    "minutes.save_draft": _("Minutes written"),
    "minutes.circulate": _("Minutes circulated"),
    "minutes.approve": _("Minutes approved"),
    "minutes.publish": _("Minutes made public"),
    "document.add": _("Document added"),
    "document.remove": _("Document removed"),
    "reminders.send_now": _("Due reminders sent now"),
    "reminder_delivery.retry_failed": _("Failed reminders retried"),
    "minutes_delivery.retry_failed": _("Failed minutes e-mails retried"),
    "attendance.remove": _("Attendance removed"),
}
