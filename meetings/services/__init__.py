"""Every change of state of a meeting and its parts goes through these functions; everything is
importable from `meetings.services`, as it was when this was one module.

The admin, the pages and the seed data all call them. Each one validates, changes state inside
a transaction, records who acted (`by`), and raises ValidationError (bad input, a transition
that is not allowed now) or PermissionDenied (the actor may not do this) with a message fit to
show as it is.

`by` is a user, or `SYSTEM` for the portal's own commands (seed data, management commands),
which run on the server and need no account.
"""

from meetings.services.attendance import (
    AttendanceSheetRow,
    attendance_record_sheet,
)
from meetings.services.documents import (
    document_add,
    document_remove,
)
from meetings.services.meetings import (
    TIMING_FIELDS,
    date_only_span,
    meeting_cancel,
    meeting_mark_held,
    meeting_reschedule,
    meeting_schedule,
    meeting_update,
    month_only_span,
)
from meetings.services.minutes import (
    MINUTES_MOVES,
    minutes_approve,
    minutes_circulate,
    minutes_publish,
    minutes_save_draft,
    minutes_transition,
)
from meetings.services.participation import (
    ANSWERS,
    attendance_from_invitations,
    attendance_record,
    default_capacity,
    focal_points_of,
    invitation_answer_by_link,
    invitation_respond,
    invitations_create,
)
from members.actors import SYSTEM

__all__ = [
    "ANSWERS",
    "MINUTES_MOVES",
    "SYSTEM",
    "TIMING_FIELDS",
    "AttendanceSheetRow",
    "attendance_from_invitations",
    "attendance_record",
    "attendance_record_sheet",
    "date_only_span",
    "default_capacity",
    "document_add",
    "document_remove",
    "focal_points_of",
    "invitation_answer_by_link",
    "invitation_respond",
    "invitations_create",
    "meeting_cancel",
    "meeting_mark_held",
    "meeting_reschedule",
    "meeting_schedule",
    "meeting_update",
    "minutes_approve",
    "minutes_circulate",
    "minutes_publish",
    "minutes_save_draft",
    "minutes_transition",
    "month_only_span",
]
