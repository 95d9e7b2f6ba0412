"""Meeting reminders: each invitee reminded exactly once, on time, in their own time zone.

- `schedule`: when reminders are due; the rows (ReminderDelivery) that record them; the
  notices after a reschedule or a cancellation; the poller's work and the heartbeat.
- `delivery`: sending one delivery exactly once (row lock, state check, back-off).
- `email`: the message (language, time zone, .ics, unsubscribe headers, Message-ID).
- `unsubscribe`: the signed one-click unsubscribe token.

The Celery tasks in meetings/tasks.py are thin wrappers around `schedule.reminders_poll` and
`delivery.delivery_send`.
"""
