"""Readable names of the actions the Knowledge Hub's services record in the audit trail
(untfsse/core/audit.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "resource.create": _("Resource published"),
    "resource.update": _("Resource edited"),
    "resource.edit": _("Resource edited in the admin"),
    "resource.withdraw": _("Resource withdrawn"),
    "resource.republish": _("Resource published again"),
    "submission.start": _("Submission started"),
    "submission.save": _("Submission saved"),
    "submission.submit": _("Submission submitted"),
    "submission.resubmit": _("Revised submission sent back"),
    "submission.start_review": _("Review started"),
    "submission.request_revisions": _("Revisions requested"),
    "submission.accept": _("Submission accepted"),
    "submission.reject": _("Submission rejected"),
    "submission.publish": _("Submission published"),
    "submission.withdraw": _("Submission withdrawn"),
    "review.assign": _("Reviewer assigned"),
    "review.submit": _("Review written"),
    "reviewer.grant": _("Reviewer role granted"),
    "reviewer.withdraw": _("Reviewer role withdrawn"),
    "notification_delivery.retry_failed": _("Failed submission e-mails retried"),
}
