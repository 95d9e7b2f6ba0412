"""Readable names of the actions members.services records in the audit trail
(untfsse/core/audit.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "affiliation_request.create": _("Affiliation requested"),
    "affiliation_request.approve": _("Affiliation request approved"),
    "affiliation_request.reject": _("Affiliation request rejected"),
    "affiliation_invitation.send": _("Invitation to sign up sent"),
    "affiliation_invitation.send_again": _("Invitation to sign up sent again"),
    "affiliation_invitation.accept": _("Invitation to sign up accepted"),
    "affiliation_delivery.retry_failed": _("Failed affiliation e-mails retried"),
    "email_address.verify": _("E-mail addresses verified"),
    "person.set_reminders": _("Meeting reminders turned on or off"),
    "person.update_preferences": _("E-mail preferences changed"),
    "account.delete": _("Account deleted"),
    "account.delete_refused": _("Account deletion refused"),
}
