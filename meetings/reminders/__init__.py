"""Meeting reminders: each invitee reminded exactly once, on time, in their own time zone.

- `schedule`: when reminders are due; the rows (ReminderDelivery) that record them; the
  notices after a reschedule or a cancellation; the poller's work and the heartbeat.
- `email`: the message (language, time zone, .ics, unsubscribe headers, Message-ID) and
  `ReminderEmail`, their kind of delivery: sending them exactly once (row lock, state check,
  back-off) is the outbox's engine (untfsse.core.outbox).
- `unsubscribe`: the signed one-click unsubscribe token.

The Celery task in meetings/tasks.py is a thin wrapper around `schedule.reminders_poll`.
"""
