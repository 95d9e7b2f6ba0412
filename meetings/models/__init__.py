"""Meetings of the Task Force: agenda, invitations, attendance, minutes and documents.

Models hold data, constraints and cheap properties; every change of state goes through
`meetings.services`. Everything is importable from `meetings.models`, as it was when this was
one module.
"""

from meetings.models.documents import (
    Document,
    DocumentQuerySet,
    DocumentVisibility,
    document_upload_path,
)
from meetings.models.meetings import (
    DEFAULT_REMINDER_OFFSETS,
    MAX_REMINDER_OFFSET_HOURS,
    MAX_REMINDER_OFFSETS,
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingQuerySet,
    MeetingStatus,
    SchedulePrecision,
    default_reminder_offsets,
    validate_reminder_offsets,
)
from meetings.models.minutes import (
    FROZEN_MINUTES_STATUSES,
    Minutes,
    MinutesCirculationDelivery,
    MinutesStatus,
    MinutesVersion,
)
from meetings.models.participation import (
    Attendance,
    AttendanceCapacity,
    AttendanceQuerySet,
    AttendanceStatus,
    Invitation,
    InvitationQuerySet,
    InvitationResponse,
)
from meetings.models.reminders import (
    ReminderDelivery,
    ReminderKind,
    SchedulerHeartbeat,
)

# The outbox's one DeliveryState, importable from here as it was before there was one outbox.
from untfsse.core.outbox.models import DeliveryState

__all__ = [
    "DEFAULT_REMINDER_OFFSETS",
    "FROZEN_MINUTES_STATUSES",
    "MAX_REMINDER_OFFSETS",
    "MAX_REMINDER_OFFSET_HOURS",
    "AgendaItem",
    "Attendance",
    "AttendanceCapacity",
    "AttendanceQuerySet",
    "AttendanceStatus",
    "DeliveryState",
    "Document",
    "DocumentQuerySet",
    "DocumentVisibility",
    "Invitation",
    "InvitationQuerySet",
    "InvitationResponse",
    "Meeting",
    "MeetingKind",
    "MeetingMode",
    "MeetingQuerySet",
    "MeetingStatus",
    "Minutes",
    "MinutesCirculationDelivery",
    "MinutesStatus",
    "MinutesVersion",
    "ReminderDelivery",
    "ReminderKind",
    "SchedulePrecision",
    "SchedulerHeartbeat",
    "default_reminder_offsets",
    "document_upload_path",
    "validate_reminder_offsets",
]
