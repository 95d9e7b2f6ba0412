"""Kinds of e-mail: what each says about itself, and the registry the apps fill.

A kind of e-mail is one small class: its name, its rows (a model built on `Delivery`), why a
row should no longer go, its message and its Message-ID. The engine does everything else
(claim, send, record, back off), the same way for every kind. Apps register their kinds from
their `AppConfig.ready()`, so the outbox never imports an app:

    class WeeklyDigestEmail(DeliveryKind):
        name = "untfsse.weekly_digest"
        model = DigestDelivery

        def build_message(self, delivery, now): ...
        def message_id(self, delivery): ...

    register_kind(WEEKLY_DIGEST_EMAIL)  # in the app's AppConfig.ready()
"""

import datetime

from django.core.mail import EmailMessage
from django.db.models import QuerySet

from untfsse.core.outbox.models import Delivery

# Attempts before a delivery is failed, unless its kind says otherwise.
MAX_ATTEMPTS = 5


class DeliveryKind:
    """One kind of e-mail. Subclasses set `name` and `model` and write `build_message` and
    `message_id`; the other methods have defaults that suit most kinds."""

    # Unique among kinds; names the kind in the send task's arguments and in logs.
    name: str = ""
    model: type[Delivery]
    # Attempts before a delivery is failed (the back-off doubles after each: 2, 4, 8... minutes).
    max_attempts: int = MAX_ATTEMPTS

    def queryset(self) -> QuerySet:
        """The rows of this kind (a kind may share its model with others)."""
        return self.model.objects.all()

    def claimable(self) -> QuerySet:
        """The rows as the engine claims them: with what building the message reads
        (`select_related`), so that building costs no query per relation."""
        return self.queryset()

    def owns(self, delivery: Delivery) -> bool:
        """Whether this row is of this kind (for kinds sharing a model, look at the row)."""
        return isinstance(delivery, self.model)

    def reason_to_skip(self, delivery: Delivery, now: datetime.datetime) -> str:
        """Why this e-mail must no longer go (empty when it may). Recorded on the row for the
        secretariat to read in the admin, so in English."""
        return ""

    def build_message(self, delivery: Delivery, now: datetime.datetime) -> EmailMessage:
        """The message for this row, to one recipient. May set the row's `email`, `language`
        and `time_zone` to what it was written for: the engine saves them with the outcome.
        Must not set the Message-ID: the engine sets `message_id(delivery)`."""
        raise NotImplementedError

    def message_id(self, delivery: Delivery) -> str:
        """The same for every attempt at this row, so a resend is folded into the first."""
        raise NotImplementedError

    def after_sent(self, delivery: Delivery, now: datetime.datetime) -> None:
        """Anything to record elsewhere once the row is sent, in the same transaction."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


_kinds: dict[str, DeliveryKind] = {}


def register_kind(kind: DeliveryKind) -> DeliveryKind:
    """Make `kind` known to the send task and the sweep (call from `AppConfig.ready()`)."""
    if not kind.name:
        raise ValueError(f"{kind!r} has no name")
    registered = _kinds.get(kind.name)
    if registered is not None and type(registered) is not type(kind):
        raise ValueError(f"Two kinds of e-mail are named {kind.name!r}")
    _kinds[kind.name] = kind
    return kind


def kind_named(name: str) -> DeliveryKind | None:
    return _kinds.get(name)


def registered_kinds() -> list[DeliveryKind]:
    return list(_kinds.values())


def kind_of(delivery: Delivery) -> DeliveryKind:
    """The registered kind this row belongs to; LookupError when none claims it."""
    for kind in _kinds.values():
        if kind.owns(delivery):
            return kind
    raise LookupError(f"No kind of e-mail is registered for {type(delivery).__name__}")
