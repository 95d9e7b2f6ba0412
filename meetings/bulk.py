"""Synthetic meetings, agendas and attendance for benchmarks (see `manage.py generate_bulk_data`).

Meetings run from 2014 to 2028 around a fixed reference date (not today, so that the same seed
always gives the same data): those before it were held (a few cancelled), those after it are
planned. Held meetings have attendance rows for the bulk people, with their organisation at the
time and a capacity that follows the organisation's kind; some have a public summary.
"""

import datetime
import random
import zoneinfo
from collections.abc import Iterator

from django.utils import translation
from django.utils.text import slugify

from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    SchedulePrecision,
)
from members.models import Organisation, OrganisationKind, Person
from untfsse.core.synthetic import insert_batch, insert_in_batches, scaled, spread

REFERENCE_DATE = datetime.date(2025, 7, 1)
FIRST_DAY = datetime.date(2014, 1, 1)
LAST_DAY = datetime.date(2028, 12, 31)

KINDS = [
    (MeetingKind.REGULAR, 40),
    (MeetingKind.WEBINAR, 25),
    (MeetingKind.EXTERNAL, 15),
    (MeetingKind.CONFERENCE, 8),
    (MeetingKind.TECHNICAL_SYMPOSIUM, 7),
    (MeetingKind.RETREAT, 5),
]
# How many people a meeting of each kind draws, relative to a regular meeting.
KIND_SIZES = {
    MeetingKind.REGULAR: 1.0,
    MeetingKind.WEBINAR: 1.6,
    MeetingKind.EXTERNAL: 0.6,
    MeetingKind.CONFERENCE: 2.5,
    MeetingKind.TECHNICAL_SYMPOSIUM: 1.4,
    MeetingKind.RETREAT: 0.5,
}
MODES = [MeetingMode.VIRTUAL] * 5 + [MeetingMode.HYBRID] * 3 + [MeetingMode.IN_PERSON] * 3 + [""]
TOPICS = [
    "cooperatives and decent work", "the social and solidarity economy in Africa", "public procurement",
    "statistics on the social economy", "the UN resolution on the SSE", "care economy", "youth employment",
    "climate and a just transition", "financing social enterprises", "local development",
    "women's cooperatives", "the informal economy", "housing cooperatives", "digital platforms",
    "food systems", "mutual health insurance", "fair trade", "the 2030 Agenda", "knowledge sharing",
    "the action plan", "refugees and host communities", "circular economy", "credit unions",
]  # fmt: skip
AGENDA_TITLES = [
    "Opening and adoption of the agenda", "Approval of the minutes of the last meeting",
    "Updates from members and observers", "Presentation: {topic}", "Discussion on {topic}",
    "Progress on the action plan", "Knowledge Hub: new resources", "Upcoming events",
    "Report of the working group on {topic}", "Any other business", "Closing remarks",
]  # fmt: skip
PLACES = [
    ("Geneva", "CH", "Europe/Zurich"),
    ("Paris", "FR", "Europe/Paris"),
    ("Turin", "IT", "Europe/Rome"),
    ("New York", "US", "America/New_York"),
    ("Dakar", "SN", "Africa/Dakar"),
    ("Seoul", "KR", "Asia/Seoul"),
    ("Bangkok", "TH", "Asia/Bangkok"),
    ("Santiago", "CL", "America/Santiago"),
    ("Montreal", "CA", "America/Toronto"),
    ("Nairobi", "KE", "Africa/Nairobi"),
]
VIRTUAL_ZONE = "Europe/Zurich"
CAPACITY_OF_KIND = {
    OrganisationKind.MEMBER: AttendanceCapacity.MEMBER,
    OrganisationKind.OBSERVER: AttendanceCapacity.OBSERVER,
    OrganisationKind.PARTNER: AttendanceCapacity.GUEST,
}
STATUSES = (
    [AttendanceStatus.PRESENT] * 17 + [AttendanceStatus.EXCUSED] * 2 + [AttendanceStatus.ABSENT]
)


def _schedule(rng: random.Random, day: datetime.date, zone_name: str) -> tuple:
    """(start, end, precision): a few hours on one day, or whole days when no hour is known."""
    zone = zoneinfo.ZoneInfo(zone_name)
    if rng.random() < 0.15:
        days = rng.choice([1, 1, 2, 3])
        start = datetime.datetime.combine(day, datetime.time(0), zone)
        end = datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time(0), zone)
        return start, end, SchedulePrecision.DAY
    start = datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.choice([0, 30])))
    start = start.replace(tzinfo=zone)
    end = start + datetime.timedelta(minutes=rng.choice([60, 90, 120, 180]))
    return start, end, SchedulePrecision.TIME


def _meetings(rng: random.Random, count: int, organisation_ids: list[int]) -> list[Meeting]:
    """The meetings, each with its `topic` attached for the agenda."""
    kinds, kind_weights = zip(*KINDS, strict=True)
    with translation.override("en"):
        kind_names = {kind: str(kind.label) for kind in kinds}
    span = (LAST_DAY - FIRST_DAY).days
    meetings = []
    for number in range(count):
        kind = rng.choices(kinds, kind_weights)[0]
        topic = rng.choice(TOPICS)
        day = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
        mode = rng.choice(MODES)
        city, country, zone_name = rng.choice(PLACES)
        if mode == MeetingMode.VIRTUAL:
            city, country, zone_name = "", "", VIRTUAL_ZONE
        start, end, precision = _schedule(rng, day, zone_name)
        title = f"{kind_names[kind]} on {topic} ({number + 1})"
        if day < REFERENCE_DATE:
            status = MeetingStatus.CANCELLED if rng.random() < 0.05 else MeetingStatus.HELD
        else:
            status = MeetingStatus.CANCELLED if rng.random() < 0.02 else MeetingStatus.PLANNED
        has_summary = status == MeetingStatus.HELD and rng.random() < 0.3
        meeting = Meeting(
            kind=kind,
            title=title,
            slug=f"bulk-{number + 1:05d}-{slugify(topic)}"[:120],
            start=start,
            end=end,
            time_zone=zone_name,
            schedule_precision=precision,
            mode=mode,
            venue="Conference centre" if city else "",
            city=city,
            country=country,
            join_url=f"https://meet.example.org/bulk-{number + 1}"
            if mode != MeetingMode.IN_PERSON
            else "",
            organiser_id=rng.choice(organisation_ids) if rng.random() < 0.6 else None,
            summary=(
                f"The Task Force met on {topic}. Members shared their work and agreed on "
                f"next steps for the coming months."
                if has_summary
                else ""
            ),
            summary_published_on=end.date() + datetime.timedelta(days=rng.randint(1, 20))
            if has_summary
            else None,
            status=status,
            sequence=1 if status == MeetingStatus.CANCELLED else 0,
            cancelled_at=start - datetime.timedelta(days=rng.randint(1, 30))
            if status == MeetingStatus.CANCELLED
            else None,
        )
        meeting.topic = topic
        meetings.append(meeting)
    return meetings


def _agenda_items(rng, meetings, people) -> Iterator[AgendaItem]:
    for meeting in meetings:
        middle = rng.sample(AGENDA_TITLES[1:-1], rng.randint(1, 4))
        titles = [AGENDA_TITLES[0], *middle, AGENDA_TITLES[-1]]
        for order, title in enumerate(titles, start=1):
            presenter = rng.choice(people) if rng.random() < 0.5 else None
            yield AgendaItem(
                meeting_id=meeting.pk,
                order=order,
                title=title.format(topic=meeting.topic),
                presenter_id=presenter[0] if presenter else None,
                presenter_organisation_id=presenter[1] if presenter else None,
                notes="Slides are shared with the members." if rng.random() < 0.2 else "",
            )


def _attendance(rng, meetings, shares, people, organisation_kinds) -> Iterator[Attendance]:
    organisation_ids = list(organisation_kinds)
    for meeting, share in zip(meetings, shares, strict=True):
        unnamed = 1 if share > 1 and rng.random() < 0.2 else 0
        for person_id, organisation_id in rng.sample(people, share - unnamed):
            capacity = CAPACITY_OF_KIND[organisation_kinds[organisation_id]]
            if rng.random() < 0.05:
                capacity = AttendanceCapacity.RESOURCE_PERSON
            yield Attendance(
                meeting_id=meeting.pk,
                person_id=person_id,
                organisation_id=organisation_id,
                capacity=capacity,
                status=rng.choice(STATUSES),
            )
        if unnamed:
            organisation_id = rng.choice(organisation_ids)
            yield Attendance(
                meeting_id=meeting.pk,
                organisation_id=organisation_id,
                capacity=CAPACITY_OF_KIND[organisation_kinds[organisation_id]],
                status=AttendanceStatus.PRESENT,
            )


def generate(*, scale: float, rng: random.Random) -> str:
    organisation_kinds = dict(
        Organisation.objects.filter(acronym__startswith="BULK")
        .order_by("acronym")
        .values_list("pk", "kind")
    )
    people = list(
        Person.objects.filter(email__startswith="bulk.person")
        .order_by("pk")
        .values_list("pk", "organisation_id")
    )
    meetings = _meetings(rng, scaled(5000, scale), list(organisation_kinds))
    insert_batch(Meeting, meetings)
    agenda_count = insert_in_batches(AgendaItem, _agenda_items(rng, meetings, people))
    held = [meeting for meeting in meetings if meeting.status == MeetingStatus.HELD]
    weights = [KIND_SIZES[meeting.kind] * rng.uniform(0.4, 1.6) for meeting in held]
    shares = spread(scaled(200_000, scale), weights, cap=len(people))
    attendance_count = insert_in_batches(
        Attendance, _attendance(rng, held, shares, people, organisation_kinds)
    )
    return (
        f"{len(meetings)} meetings, {agenda_count} agenda items, {attendance_count} attendance rows"
    )
