"""factory_boy factories for the action plan. They build rows directly (fixtures); status and
progress changes under test always go through actionplan.services."""

import datetime

import factory
from django.utils import timezone

from actionplan.models import ActionItem, ActionPlan, PriorityArea
from meetings.models import Meeting, MeetingKind, MeetingMode, MeetingStatus


class HeldMeetingFactory(factory.django.DjangoModelFactory):
    """A regular meeting held on a given day (`day`, a date), 12:00-14:00 UTC."""

    class Meta:
        model = Meeting
        exclude = ["day"]

    day = datetime.date(2023, 7, 11)
    kind = MeetingKind.REGULAR
    number = factory.Sequence(lambda n: 500 + n)
    title = factory.LazyAttribute(lambda o: f"{o.number}th Regular Meeting")
    slug = factory.LazyAttribute(lambda o: f"{o.number}th-regular-meeting")
    start = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(o.day, datetime.time(12), tzinfo=datetime.UTC)
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    time_zone = "UTC"
    mode = MeetingMode.VIRTUAL
    status = factory.LazyAttribute(
        lambda o: MeetingStatus.HELD if o.start < timezone.now() else MeetingStatus.PLANNED
    )


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan
        django_get_or_create = ["slug"]

    period_start = 2022
    period_end = 2024
    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.LazyAttribute(lambda o: f"Action Plan {o.period_start}-{o.period_end}")
    is_current = False


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    order = factory.LazyAttribute(lambda o: o.number or 99)
    title = factory.Sequence(lambda n: f"Priority area title {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    """An item of an area; its code is the area's key and a running number (1.1, 1.2, T.1)."""

    class Meta:
        model = ActionItem
        skip_postgeneration_save = True

    area = factory.SubFactory(PriorityAreaFactory)
    plan = factory.LazyAttribute(lambda o: o.area.plan)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"{o.area.key}.{o.order}")
    title = factory.Sequence(lambda n: f"Action number {n}")
    description = "What the Task Force will do."

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.lead_organisations.set(extracted)

    @factory.post_generation
    def contributors(self, create, extracted, **kwargs):
        if create and extracted:
            self.contributing_organisations.set(extracted)
