"""The outbox: every e-mail the portal sends, as a row per recipient, sent by one engine.

- `models`: `Delivery`, the abstract row every kind of e-mail stores (recipient, language, time
  zone, state, attempts, next attempt, sent at, Message-ID, last error), and `DeliveryState`.
- `kinds`: `DeliveryKind`, what one kind of e-mail says about itself (its rows, why a row should
  no longer go, its message, its Message-ID), and the registry apps fill from `AppConfig.ready()`.
- `engine`: `delivery_send`, the one engine: claim the row (`SELECT ... FOR UPDATE SKIP LOCKED`),
  skip it with a reason, build, send, commit "sent" before the SMTP connection is closed, or
  count the failure and back off.
- `tasks`: the one Celery task that sends a delivery, the periodic sweep that queues the due rows
  of every kind, and the functions services queue deliveries with (after commit).
- `admin`: the admin mixin for lists of deliveries, with the retry of failed ones.

Nothing here imports an app: the kinds come to the outbox, never the other way round.
"""
