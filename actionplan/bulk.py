"""A synthetic action plan for benchmarks (see `manage.py generate_bulk_data`): priority areas,
action items led by the bulk organisations, and their progress updates.

The plan is never made the current one (/action-plan/ keeps showing the plan the seed data or
the secretariat marked current); its page is /action-plan/bulk-2019-2023/. Each item's status
and progress are its latest update's, exactly as `actionplan.services` keeps them: the status
of the update with the latest date, the progress of the latest update that gave one (0 when
none did). Every update of an item has a day of its own, so no tie needs the id to break it.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Iterator

from actionplan.models import ActionItem, ActionItemStatus, ActionPlan, PriorityArea, ProgressUpdate
from meetings.models import AgendaItem, Meeting, MeetingStatus
from members.models import DatePrecision, Organisation, Person
from untfsse.core.synthetic import insert_batch, insert_in_batches, scaled, spread

PLAN_SLUG = "bulk-2019-2023"
FIRST_DAY = datetime.date(2019, 1, 1)
LAST_DAY = datetime.date(2023, 12, 31)
MAX_UPDATES_PER_ITEM = 60
AREAS = [
    "Awareness raising and advocacy",
    "Knowledge production and sharing",
    "Policy dialogue and support",
    "Statistics and measurement",
    "Financing the social and solidarity economy",
]
TRANSVERSAL_AREA = "Gender equality and youth"
ACTIONS = [
    "Organise a side event on {subject}", "Publish a policy brief on {subject}",
    "Map existing initiatives on {subject}", "Train national officials on {subject}",
    "Prepare a joint statement on {subject}", "Build a community of practice on {subject}",
    "Commission research on {subject}", "Draft guidelines on {subject}",
]  # fmt: skip
SUBJECTS = [
    "cooperatives and decent work", "SSE statistics", "public procurement", "the UN resolution",
    "care services", "youth employment", "climate action", "social finance", "local development",
    "the informal economy", "fair trade", "digital platforms",
]  # fmt: skip
NEWS = [
    "A first draft was shared with the lead organisations.", "The working group met twice.",
    "Consultations with member states continued.", "A call for contributions went out.",
    "The text was discussed at the regular meeting.", "Funding was secured for the next phase.",
    "Partners in three regions joined the work.", "The report was sent for review.",
]  # fmt: skip
# (next status, chance) from each status: most work goes on, some finishes, a little stops.
NEXT_STATUS = {
    ActionItemStatus.NOT_STARTED: [
        (ActionItemStatus.IN_PROGRESS, 80),
        (ActionItemStatus.ONGOING, 10),
        (ActionItemStatus.NOT_STARTED, 10),
    ],
    ActionItemStatus.IN_PROGRESS: [
        (ActionItemStatus.IN_PROGRESS, 80),
        (ActionItemStatus.ONGOING, 8),
        (ActionItemStatus.COMPLETED, 8),
        (ActionItemStatus.DISCONTINUED, 4),
    ],
    ActionItemStatus.ONGOING: [(ActionItemStatus.ONGOING, 90), (ActionItemStatus.COMPLETED, 10)],
    ActionItemStatus.COMPLETED: [(ActionItemStatus.COMPLETED, 100)],
    ActionItemStatus.DISCONTINUED: [(ActionItemStatus.DISCONTINUED, 100)],
}


def _progress_history(rng: random.Random, count: int) -> list[tuple]:
    """An item's updates, oldest first, as (date, date precision, status, progress or None).

    The dates are drawn first and put in order (a month-only date is that month's first day),
    then the statuses follow one another along them: the list's order is the order the
    services read updates in, since they are inserted (and so numbered) in this order.
    """
    span = (LAST_DAY - FIRST_DAY).days + 1
    dates = []
    for day in rng.sample(range(span), count):
        date = FIRST_DAY + datetime.timedelta(days=day)
        if rng.random() < 0.1:
            dates.append((date.replace(day=1), DatePrecision.MONTH))
        else:
            dates.append((date, DatePrecision.DAY))
    history = []
    status, progress = ActionItemStatus.NOT_STARTED, 0
    for date, precision in sorted(dates):
        choices, weights = zip(*NEXT_STATUS[status], strict=True)
        status = rng.choices(choices, weights)[0]
        estimate = None
        if status == ActionItemStatus.COMPLETED:
            estimate = 100  # as the model's clean() makes it: a completed action is at 100%
        elif status in (ActionItemStatus.IN_PROGRESS, ActionItemStatus.ONGOING):
            if rng.random() < 0.8:
                progress = min(95, progress + rng.randint(0, 15))
                estimate = progress
        elif status == ActionItemStatus.NOT_STARTED and rng.random() < 0.5:
            estimate = 0
        history.append((date, precision, status, estimate))
    return history


def item_state(history: list[tuple]) -> tuple[str, int]:
    """The item's status and progress after these updates, as `actionplan.services` computes
    them: the latest update's status, the latest estimate given (0 if none, not started if no
    update)."""
    if not history:
        return ActionItemStatus.NOT_STARTED, 0
    estimates = [progress for *_, progress in history if progress is not None]
    return history[-1][2], estimates[-1] if estimates else 0


def _areas(plan: ActionPlan) -> list[PriorityArea]:
    areas = [
        PriorityArea(plan=plan, number=number, title=title, order=number)
        for number, title in enumerate(AREAS, start=1)
    ]
    areas.append(PriorityArea(plan=plan, number=None, title=TRANSVERSAL_AREA, order=len(AREAS) + 1))
    for area in areas:
        area.save()
    return areas


def _updates(rng, items, histories, people_by_organisation, leads, meeting_ids) -> Iterator:
    for item, history in zip(items, histories, strict=True):
        reporters = [person for lead in leads[item.pk] for person in people_by_organisation[lead]]
        for date, precision, status, progress in history:
            yield ProgressUpdate(
                item_id=item.pk,
                date=date,
                date_precision=precision,
                text=rng.choice(NEWS),
                reported_by_id=rng.choice(reporters) if reporters and rng.random() < 0.7 else None,
                source_meeting_id=rng.choice(meeting_ids)
                if meeting_ids and rng.random() < 0.3
                else None,
                status=status,
                progress=progress,
            )


def generate(*, scale: float, rng: random.Random) -> str:
    organisation_ids = list(
        Organisation.objects.filter(acronym__startswith="BULK")
        .order_by("acronym")
        .values_list("pk", flat=True)
    )
    people_by_organisation = defaultdict(list)
    for person_id, organisation_id in (
        Person.objects.filter(email__startswith="bulk.person")
        .order_by("pk")
        .values_list("pk", "organisation_id")
    ):
        people_by_organisation[organisation_id].append(person_id)
    bulk_meetings = Meeting.objects.filter(slug__startswith="bulk-").order_by("slug")
    meeting_ids = list(bulk_meetings.filter(status=MeetingStatus.HELD).values_list("pk", flat=True))
    agenda_item_ids = list(
        AgendaItem.objects.filter(meeting__in=bulk_meetings)
        .order_by("meeting__slug", "order")
        .values_list("pk", flat=True)
    )

    plan = ActionPlan.objects.create(
        title="Synthetic action plan 2019-2023",
        slug=PLAN_SLUG,
        period_start=FIRST_DAY.year,
        period_end=LAST_DAY.year,
        summary="A plan generated for benchmarks.",
        is_current=False,
    )
    areas = _areas(plan)
    item_count = scaled(2000, scale)
    update_counts = spread(
        scaled(20_000, scale),
        [rng.uniform(0.2, 1.8) for _ in range(item_count)],
        cap=MAX_UPDATES_PER_ITEM,
    )
    histories = [_progress_history(rng, count) for count in update_counts]
    items, orders = [], defaultdict(int)
    for number, history in enumerate(histories):
        area = areas[number % len(areas)]
        orders[area.pk] += 1
        status, progress = item_state(history)
        subject = rng.choice(SUBJECTS)
        items.append(
            ActionItem(
                plan=plan,
                area=area,
                code=f"{area.key}.{orders[area.pk]}",
                order=orders[area.pk],
                title=rng.choice(ACTIONS).format(subject=subject),
                description=f"The Task Force works with its members on {subject}.",
                status=status,
                progress=progress,
                target_date=datetime.date(rng.choice([2021, 2022, 2023]), 12, 31)
                if rng.random() < 0.5
                else None,
            )
        )
    insert_batch(ActionItem, items)

    leads, lead_links, contributing_links, agenda_links = {}, [], [], []
    LeadLink = ActionItem.lead_organisations.through
    ContributingLink = ActionItem.contributing_organisations.through
    AgendaLink = ActionItem.agenda_items.through
    for item in items:
        chosen = rng.sample(organisation_ids, min(len(organisation_ids), rng.randint(1, 5)))
        split = rng.randint(1, min(2, len(chosen)))
        leads[item.pk] = chosen[:split]
        lead_links += [LeadLink(actionitem_id=item.pk, organisation_id=pk) for pk in chosen[:split]]
        contributing_links += [
            ContributingLink(actionitem_id=item.pk, organisation_id=pk) for pk in chosen[split:]
        ]
        if agenda_item_ids and rng.random() < 0.2:
            agenda_links += [
                AgendaLink(actionitem_id=item.pk, agendaitem_id=pk)
                for pk in rng.sample(agenda_item_ids, min(len(agenda_item_ids), rng.randint(1, 2)))
            ]
    insert_in_batches(LeadLink, lead_links)
    insert_in_batches(ContributingLink, contributing_links)
    insert_in_batches(AgendaLink, agenda_links)
    update_count = insert_in_batches(
        ProgressUpdate,
        _updates(rng, items, histories, people_by_organisation, leads, meeting_ids),
    )
    return f"1 plan, {len(areas)} areas, {len(items)} action items, {update_count} progress updates"
