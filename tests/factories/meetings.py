"""factory_boy factories for meetings. They build rows directly (fixtures); the behaviour under
test always goes through meetings.services."""

import datetime

import factory
from django.utils import timezone

from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceCapacity,
    DeliveryState,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    Minutes,
    ReminderDelivery,
    ReminderKind,
)
from tests.factories.members import OrganisationFactory, PersonFactory


def _next_week_at_two():
    soon = timezone.now() + datetime.timedelta(days=7)
    return soon.replace(hour=12, minute=0, second=0, microsecond=0)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned virtual regular meeting next week, 12:00-14:00 UTC, held from Geneva."""

    class Meta:
        model = Meeting

    kind = MeetingKind.REGULAR
    number = factory.Sequence(lambda n: 100 + n)
    title = factory.LazyAttribute(lambda o: f"{o.number}th Regular Meeting")
    slug = factory.LazyAttribute(lambda o: f"{o.number}th-regular-meeting")
    start = factory.LazyFunction(_next_week_at_two)
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    time_zone = "Europe/Zurich"
    mode = MeetingMode.VIRTUAL
    join_url = "https://meet.example.org/untfsse"
    summary = "The Task Force met."
    status = MeetingStatus.PLANNED


class PastMeetingFactory(MeetingFactory):
    start = factory.LazyFunction(
        lambda: (timezone.now() - datetime.timedelta(days=30)).replace(microsecond=0)
    )
    status = MeetingStatus.HELD


class RecentMeetingFactory(MeetingFactory):
    """A meeting held yesterday: later than a PastMeetingFactory, and already taken place (so
    minutes can be approved at it)."""

    start = factory.LazyFunction(
        lambda: (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)
    )
    status = MeetingStatus.HELD


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda point {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(PastMeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation if o.person else None)
    capacity = AttendanceCapacity.MEMBER


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(PastMeetingFactory)
    body = "## Decisions\n\nThe minutes of the previous meeting were adopted."


__all__ = [
    "AgendaItemFactory",
    "AttendanceFactory",
    "InvitationFactory",
    "MeetingFactory",
    "MinutesFactory",
    "OrganisationFactory",
    "PastMeetingFactory",
    "RecentMeetingFactory",
]


class ReminderDeliveryFactory(factory.django.DjangoModelFactory):
    """A pending 1-day reminder, due now, for an invited person."""

    class Meta:
        model = ReminderDelivery

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    kind = ReminderKind.REMINDER
    offset_hours = 24
    scheduled_start = factory.LazyAttribute(lambda o: o.meeting.start)
    due_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.LazyFunction(timezone.now)
    state = DeliveryState.PENDING
