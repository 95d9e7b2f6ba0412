"""Readable names of the actions actionplan.services records in the audit trail
(untfsse/core/audit.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "progress_update.post": _("Progress update posted"),
    "progress_update.edit": _("Progress update edited"),
    "progress_update.delete": _("Progress update removed"),
    "action_item.refresh_state": _("Action status brought in line with its updates"),
    "agenda_item.set_action_items": _("Action items of an agenda item chosen"),
}
