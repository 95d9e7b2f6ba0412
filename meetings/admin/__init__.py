"""The secretariat's admin for meetings. Every change of state calls meetings.services; the
forms only check input early so errors come back as form messages, never as a 500."""

from meetings.admin import deliveries, meetings, records  # noqa: F401  (registers the ModelAdmins)
