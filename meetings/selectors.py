"""Reads of meetings shared by the pages, the calendars, the feed and the admin exports.

Each selector owns its select_related / prefetch_related, so a page's query count does not
grow with its rows.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from itertools import groupby
from typing import NamedTuple

from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import ExtractDay, ExtractHour, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.agenda import agenda_item_extras
from meetings.models import (
    FROZEN_MINUTES_STATUSES,
    AgendaItem,
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    Document,
    DocumentVisibility,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    SchedulePrecision,
)
from meetings.models.meetings import zone_named
from meetings.services.participation import default_capacity
from members.actors import require_secretariat
from members.models import Organisation
from members.standing import Standing

UTC = zoneinfo.ZoneInfo("UTC")


def viewer_time_zone(standing: Standing) -> zoneinfo.ZoneInfo:
    """The signed-in person's time zone, or UTC for everyone else."""
    if standing.person is not None:
        try:
            return zone_named(standing.person.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return UTC
    return UTC


# --- The list -----------------------------------------------------------------------------
def meetings_for_list(now=None) -> QuerySet[Meeting]:
    """The base queryset of /meetings/ (filters narrow it down), in the list's order: upcoming
    meetings first, soonest first, then past ones, latest first, so pages cut it anywhere."""
    now = now or timezone.now()
    is_past = Case(When(end__gt=now, then=Value(0)), default=Value(1))
    upcoming_start = Case(When(end__gt=now, then=F("start")))
    return Meeting.objects.select_related("organiser").order_by(
        is_past, upcoming_start.asc(), F("start").desc(), "-pk"
    )


@dataclass
class MeetingYear:
    year: int
    meetings: list[Meeting]


@dataclass
class MeetingListing:
    upcoming: list[Meeting]
    past_years: list[MeetingYear]

    @property
    def is_empty(self) -> bool:
        return not self.upcoming and not self.past_years


def meeting_listing(meetings, now=None) -> MeetingListing:
    """One page of `meetings_for_list()` split into the upcoming meetings and the past ones by
    year (their order kept)."""
    now = now or timezone.now()
    upcoming, past = [], []
    for meeting in meetings:
        (upcoming if meeting.end > now else past).append(meeting)
    past_years = [
        MeetingYear(year=year, meetings=list(group))
        for year, group in groupby(past, key=lambda meeting: meeting.first_day.year)
    ]
    return MeetingListing(upcoming=upcoming, past_years=past_years)


def local_year(start: datetime.datetime, time_zone: str) -> int:
    """The year of a meeting's first local day: where it is held, not in UTC (a meeting on the
    evening of 31 December in New York is that year's, though it starts on 1 January in UTC)."""
    try:
        return start.astimezone(zone_named(time_zone)).year
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return start.year


def meeting_years() -> list[int]:
    """Years of the meetings' first local days, latest first (for the year filter): one query.

    Local offsets run from -12 to +14 hours, so only a meeting starting between 31 December
    10:00 and 1 January 14:00 UTC can have a local year other than its UTC year: the database
    gives the distinct UTC years of the others (a dozen rows, not one per meeting) and those
    few meetings themselves, whose local year is then decided exactly."""
    near_new_year = Q(utc_month=12, utc_day=31, utc_hour__gte=10) | Q(
        utc_month=1, utc_day=1, utc_hour__lt=14
    )
    rows = (
        Meeting.objects.annotate(
            utc_year=ExtractYear("start", tzinfo=UTC),
            utc_month=ExtractMonth("start", tzinfo=UTC),
            utc_day=ExtractDay("start", tzinfo=UTC),
            utc_hour=ExtractHour("start", tzinfo=UTC),
        )
        .annotate(
            near_start=Case(When(near_new_year, then=F("start"))),
            near_zone=Case(When(near_new_year, then=F("time_zone"))),
        )
        .values_list("utc_year", "near_start", "near_zone")
        .order_by()
        .distinct()
    )
    return sorted(
        {
            year if start is None else local_year(start, time_zone)
            for year, start, time_zone in rows
        },
        reverse=True,
    )


def meetings_of_local_years(meetings: QuerySet[Meeting], year: int | None = None) -> dict:
    """{meeting id: local year} for these meetings, only those of `year` when given. The UTC
    range (local offsets run from -12 to +14 hours) narrows the rows by the start index; the
    local year is then decided exactly for each."""
    if year is not None:
        meetings = meetings.filter(
            start__gte=datetime.datetime(year - 1, 12, 31, 10, tzinfo=UTC),
            start__lt=datetime.datetime(year + 1, 1, 1, 12, tzinfo=UTC),
        )
    years = {
        pk: local_year(start, time_zone)
        for pk, start, time_zone in meetings.values_list("pk", "start", "time_zone")
    }
    return {pk: year_ for pk, year_ in years.items() if year is None or year_ == year}


# --- Attendance ---------------------------------------------------------------------------
@dataclass
class OrganisationAttendance:
    organisation: Organisation | None
    people: list = field(default_factory=list)
    unnamed: bool = False


@dataclass
class AttendanceSummary:
    """Counts derived from a meeting's attendance rows (present only), never typed in.

    A row naming a person counts as one participant; a row naming only an organisation (its
    people are not recorded) counts as one as well, and makes the count a minimum.
    """

    participants: int
    named_participants: int
    member_orgs: int
    observer_orgs: int
    is_minimum: bool
    members: list[OrganisationAttendance]
    observers: list[OrganisationAttendance]
    others: list[OrganisationAttendance]

    reported: int | None = None

    @property
    def sentence(self) -> str:
        """e.g. "30 participants from 7 member and 11 observer organisations"; "At least ..."
        when the record is incomplete."""
        return self._counted(minimum=self.is_minimum)

    @property
    def recorded_sentence(self) -> str:
        """The derived counts shown beside a reported figure: what the rows hold, e.g.
        "20 recorded participants from 7 member and 11 observer organisations"."""
        if self.participants == 0:
            return ""
        people = ngettext(
            "%(count)d recorded participant", "%(count)d recorded participants", self.participants
        ) % {"count": self.participants}
        return self._with_organisations(people)

    @property
    def headline(self) -> str:
        """The participants headline of the meeting page: the figure the report gives when the
        secretariat recorded one ("About 30 participants, according to the report"), else the
        derived sentence."""
        if self.reported:
            return ngettext(
                "About %(count)d participant, according to the report",
                "About %(count)d participants, according to the report",
                self.reported,
            ) % {"count": self.reported}
        return self.sentence

    def _counted(self, *, minimum: bool) -> str:
        if self.participants == 0:
            return ""
        if minimum:
            people = ngettext(
                "At least %(count)d participant",
                "At least %(count)d participants",
                self.participants,
            ) % {"count": self.participants}
        else:
            people = ngettext(
                "%(count)d participant", "%(count)d participants", self.participants
            ) % {"count": self.participants}
        return self._with_organisations(people)

    def _with_organisations(self, people: str) -> str:
        if self.member_orgs and self.observer_orgs:
            return _(
                "%(people)s from %(members)d member and %(observers)d observer organisations"
            ) % {"people": people, "members": self.member_orgs, "observers": self.observer_orgs}
        if self.member_orgs:
            return ngettext(
                "%(people)s from %(count)d member organisation",
                "%(people)s from %(count)d member organisations",
                self.member_orgs,
            ) % {"people": people, "count": self.member_orgs}
        if self.observer_orgs:
            return ngettext(
                "%(people)s from %(count)d observer organisation",
                "%(people)s from %(count)d observer organisations",
                self.observer_orgs,
            ) % {"people": people, "count": self.observer_orgs}
        return people


def _group_rows(rows: list[Attendance]) -> list[OrganisationAttendance]:
    groups: dict[int | None, OrganisationAttendance] = {}
    for row in rows:
        key = row.organisation_id
        group = groups.setdefault(key, OrganisationAttendance(organisation=row.organisation))
        if row.person_id is None:
            group.unnamed = True
        else:
            group.people.append(row.person)
    return sorted(
        groups.values(),
        key=lambda group: (group.organisation is None, str(group.organisation or "").lower()),
    )


class ParticipantName(NamedTuple):
    name: str
    public_profile: bool


class AttendanceRow(NamedTuple):
    """One present attendance row as the meeting page shows it: plain values, with one
    Organisation (acronym and slug only) per organisation, not three model instances a row."""

    organisation_id: int | None
    organisation: Organisation | None
    person_id: int | None
    person: ParticipantName | None
    capacity: str
    status: str


def present_attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """The meeting's present attendance rows, by organisation then name, in one query of the
    columns the page shows."""
    organisations: dict[int, Organisation] = {}
    rows = []
    values = (
        Attendance.objects.present()
        .filter(meeting=meeting)
        .order_by("organisation__acronym", "person__name", "pk")
        .values_list(
            "organisation_id",
            "organisation__acronym",
            "organisation__slug",
            "person_id",
            "person__name",
            "person__public_profile",
            "capacity",
        )
    )
    for organisation_id, acronym, slug, person_id, name, public_profile, capacity in values:
        organisation = None
        if organisation_id is not None:
            organisation = organisations.get(organisation_id)
            if organisation is None:
                organisation = organisations[organisation_id] = Organisation(
                    pk=organisation_id, acronym=acronym, slug=slug
                )
        person = ParticipantName(name, public_profile) if person_id is not None else None
        rows.append(
            AttendanceRow(
                organisation_id, organisation, person_id, person, capacity, AttendanceStatus.PRESENT
            )
        )
    return rows


def attendance_summary(meeting: Meeting, rows=None) -> AttendanceSummary:
    """Participants and organisations of a meeting, from its attendance rows: `rows` when
    given (present_attendance_rows), else the prefetched `meeting.attendances` when the
    selector loaded them (no query), else one query.
    """
    if rows is None:
        rows = meeting.attendances.all()
    rows = [row for row in rows if row.status == AttendanceStatus.PRESENT]
    member_rows = [row for row in rows if row.capacity == AttendanceCapacity.MEMBER]
    observer_rows = [row for row in rows if row.capacity == AttendanceCapacity.OBSERVER]
    other_rows = [row for row in rows if row not in member_rows and row not in observer_rows]
    members = _group_rows(member_rows)
    observers = _group_rows(observer_rows)
    unnamed = any(row.person_id is None for row in rows)
    return AttendanceSummary(
        participants=len(rows),
        named_participants=sum(1 for row in rows if row.person_id is not None),
        member_orgs=sum(1 for group in members if group.organisation is not None),
        observer_orgs=sum(1 for group in observers if group.organisation is not None),
        is_minimum=unnamed or not meeting.attendance_complete,
        members=members,
        observers=observers,
        others=_group_rows(other_rows),
        reported=meeting.reported_participants,
    )


# --- The meeting page ---------------------------------------------------------------------
def minutes_statuses_visible_to(standing: Standing) -> tuple[str, ...]:
    """Public minutes for everyone; circulated and approved ones for members and observers;
    drafts for the secretariat."""
    if standing.is_secretariat:
        return tuple(MinutesStatus.values)
    if standing.sees_members_only_content:
        return (MinutesStatus.CIRCULATED, *FROZEN_MINUTES_STATUSES)
    return (MinutesStatus.PUBLIC,)


def meeting_for_page(slug: str, standing: Standing) -> Meeting:
    """The meeting with its agenda, present attendance, the documents the viewer may see and its
    minutes, in four queries. Raises Meeting.DoesNotExist."""
    documents = Document.objects.order_by("order", "pk")
    if not standing.sees_members_only_content:
        documents = documents.filter(visibility=DocumentVisibility.PUBLIC)
    return (
        Meeting.objects.select_related("organiser", "minutes", "minutes__approved_at_meeting")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related(
                    "presenter__organisation", "presenter_organisation"
                ).order_by("order", "pk"),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.present()
                .select_related("person", "organisation")
                .order_by("organisation__acronym", "person__name", "pk"),
            ),
            Prefetch("documents", queryset=documents),
        )
        .get(slug=slug)
    )


def meeting_for_header(slug: str) -> Meeting:
    """The meeting with its organiser, for what a page shows of it to every reader and for
    the reader's own part (invitation, join link): one query. The rest of the page, the same
    for every reader of one standing, comes from meeting_page_shared, only when the cache
    does not hold it already. Raises Meeting.DoesNotExist."""
    return Meeting.objects.select_related("organiser").get(slug=slug)


def meeting_page_shared(meeting: Meeting, standing: Standing) -> dict:
    """What the meeting's page shows alike to every reader of the same standing (audience):
    agenda (each item with what is listed under it), participants, the documents and minutes
    they may see, the meetings before and after. Seven queries (the agenda's action items one
    of them), whatever the number of participants."""
    documents = Document.objects.filter(meeting=meeting).order_by("order", "pk")
    if not standing.sees_members_only_content:
        documents = documents.filter(visibility=DocumentVisibility.PUBLIC)
    minutes = (
        Minutes.objects.select_related("approved_at_meeting")
        .filter(meeting=meeting, status__in=minutes_statuses_visible_to(standing))
        .first()
    )
    if minutes is not None and not minutes.body.strip():
        minutes = None
    previous, following = neighbours(meeting)
    agenda_items = list(
        meeting.agenda_items.select_related(
            "presenter__organisation", "presenter_organisation"
        ).order_by("order", "pk")
    )
    extras = agenda_item_extras(agenda_items)  # e.g. the action items each item discusses
    return {
        "agenda": [(item, extras.get(item.pk, [])) for item in agenda_items],
        "summary": attendance_summary(meeting, present_attendance_rows(meeting)),
        "documents": list(documents),
        "minutes": minutes,
        "previous_meeting": previous,
        "next_meeting": following,
    }


def visible_minutes(meeting: Meeting, standing: Standing) -> Minutes | None:
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist:
        return None
    if minutes.status not in minutes_statuses_visible_to(standing) or not minutes.body.strip():
        return None
    return minutes


def neighbours(meeting: Meeting) -> tuple[Meeting | None, Meeting | None]:
    """The previous and the next meeting of the same kind (cancelled ones skipped)."""
    same_kind = Meeting.objects.filter(kind=meeting.kind).not_cancelled().exclude(pk=meeting.pk)
    previous = (
        same_kind.filter(Q(start__lt=meeting.start) | Q(start=meeting.start, pk__lt=meeting.pk))
        .order_by("-start", "-pk")
        .only("slug", "title", "start", "time_zone", "schedule_precision", "end")
        .first()
    )
    following = (
        same_kind.filter(Q(start__gt=meeting.start) | Q(start=meeting.start, pk__gt=meeting.pk))
        .order_by("start", "pk")
        .only("slug", "title", "start", "time_zone", "schedule_precision", "end")
        .first()
    )
    return previous, following


def invitation_for_answer_link(pk: int) -> Invitation | None:
    """The invitation an e-mail's answer link names, with what its page shows."""
    return Invitation.objects.select_related("meeting", "person").filter(pk=pk).first()


def invitation_of(meeting: Meeting, standing: Standing) -> Invitation | None:
    if standing.person is None:
        return None
    # By key: the model's own order would join the meeting and the person to sort one row.
    return Invitation.objects.filter(meeting=meeting, person=standing.person).order_by("pk").first()


def invitation_for_page(slug: str, standing: Standing) -> Invitation | None:
    """The reader's invitation to the meeting at `slug`, with the meeting, in one query."""
    if standing.person is None:
        return None
    return (
        Invitation.objects.select_related("meeting")
        .filter(meeting__slug=slug, person=standing.person)
        .order_by("pk")  # the model's own order would join the person to sort one row
        .first()
    )


def document_for_download(*, slug: str, pk: int, standing: Standing) -> Document:
    """A document the viewer may fetch; DoesNotExist for any other (so a guess learns nothing)."""
    documents = Document.objects.select_related("meeting").filter(meeting__slug=slug, pk=pk)
    if not standing.sees_members_only_content:
        documents = documents.filter(visibility=DocumentVisibility.PUBLIC)
    return documents.get()


# --- Calendars, feed and sitemap --------------------------------------------------------
CALENDAR_PAST_DAYS = 365
# The columns an iCalendar event shows (meetings.calendar.meeting_event).
CALENDAR_FIELDS = (
    "id", "slug", "title", "start", "end", "time_zone", "schedule_precision", "status",
    "sequence", "updated_at", "mode", "venue", "city", "country",
)  # fmt: skip


def meetings_for_calendar(now=None, *, window: bool = True) -> QuerySet[Meeting]:
    """Upcoming meetings and those of the past year (every meeting without `window`),
    cancelled ones included (so subscribed calendars remove them), with only the columns a
    calendar shows. Meetings known only by their month have no place in a calendar."""
    meetings = Meeting.objects.only(*CALENDAR_FIELDS).order_by("start", "pk")
    if window:
        now = now or timezone.now()
        meetings = meetings.filter(
            end__gte=now - datetime.timedelta(days=CALENDAR_PAST_DAYS)
        ).exclude(schedule_precision=SchedulePrecision.MONTH)
    return meetings


def meetings_for_feed(limit: int = 30) -> QuerySet[Meeting]:
    """Held meetings with a public report, latest report first (a planned meeting's summary
    is an announcement, not a report)."""
    return (
        Meeting.objects.with_public_summary()
        .filter(status=MeetingStatus.HELD)
        .order_by("-summary_published_on", "-start", "-pk")[:limit]
    )


def meetings_for_sitemap() -> QuerySet[Meeting]:
    return Meeting.objects.order_by("-start", "pk")


# --- The organisation page's section --------------------------------------------------------
def meetings_attended_by(organisation: Organisation, limit: int = 25) -> list[Meeting]:
    """Meetings where the organisation was present, latest first, in one query."""
    return list(
        Meeting.objects.filter(
            attendances__organisation=organisation,
            attendances__status=AttendanceStatus.PRESENT,
        )
        .distinct()
        .order_by("-start", "-pk")[:limit]
    )


# --- Admin export -------------------------------------------------------------------------
ATTENDANCE_EXPORT_HEADER = [
    "meeting", "date", "person", "organisation", "organisation kind", "capacity", "attendance",
]  # fmt: skip


def attendance_rows(meetings: QuerySet[Meeting], *, by) -> list[list[str]]:
    """Who attended these meetings, with their capacity and status: the secretariat's export.
    Raises PermissionDenied for anyone else, whatever model permissions they hold."""
    require_secretariat(by)
    rows = []
    attendances = (
        Attendance.objects.filter(meeting__in=meetings)
        .select_related("meeting", "person", "organisation")
        .order_by("meeting__start", "organisation__acronym", "person__name", "pk")
    )
    for row in attendances:
        rows.append(
            [
                row.meeting.title,
                row.meeting.first_day.isoformat(),
                row.person.name if row.person_id else "",
                row.organisation.acronym if row.organisation_id else "",
                row.organisation.get_kind_display() if row.organisation_id else "",
                row.get_capacity_display(),
                row.get_status_display(),
            ]
        )
    return rows


@dataclass
class AttendanceReportRow:
    organisation: Organisation
    year: int
    attended: int
    invited: int


def attendance_report(year: int | None = None) -> list[AttendanceReportRow]:
    """Per organisation and year: the meetings it attended (someone present) and the meetings
    it was invited to (an invitation to one of its people). Cancelled meetings do not count;
    a meeting counts in the year of its first local day. Four queries, whatever the number of
    rows."""
    years = meetings_of_local_years(Meeting.objects.not_cancelled(), year)
    attended = (
        Attendance.objects.filter(
            meeting__in=list(years), status=AttendanceStatus.PRESENT, organisation__isnull=False
        )
        .values_list("organisation_id", "meeting_id")
        .distinct()
        .order_by()
    )
    invited = (
        Invitation.objects.filter(meeting__in=list(years), person__organisation__isnull=False)
        .values_list("person__organisation_id", "meeting_id")
        .distinct()
        .order_by()
    )
    figures: dict[tuple[int, int], list[int]] = {}
    for column, pairs in ((0, attended), (1, invited)):
        for organisation_id, meeting_id in pairs:
            figures.setdefault((organisation_id, years[meeting_id]), [0, 0])[column] += 1
    organisations = Organisation.objects.in_bulk(
        {organisation_id for organisation_id, _ in figures}
    )
    rows = [
        AttendanceReportRow(organisations[organisation_id], year_, attended_, invited_)
        for (organisation_id, year_), (attended_, invited_) in figures.items()
    ]
    return sorted(
        rows, key=lambda row: (-row.year, row.organisation.kind, row.organisation.acronym)
    )


# --- The attendance screen ----------------------------------------------------------------
@dataclass
class AttendanceSheetLine:
    """One person on the admin's attendance screen: invited (with their answer) or recorded
    without an invitation (a walk-in), and what the screen proposes: their recorded capacity
    and status, else present for those who accepted, the capacity from their organisation's
    kind."""

    person: object
    organisation: Organisation | None
    response: str
    response_label: str
    capacity: str
    status: str


def attendance_sheet_lines(meeting: Meeting) -> list[AttendanceSheetLine]:
    """The invitation list, then the people recorded without an invitation, by name; two
    queries whatever the number of lines."""
    recorded = {
        row.person_id: row
        for row in Attendance.objects.filter(meeting=meeting, person__isnull=False).select_related(
            "person__organisation", "organisation"
        )
    }
    lines = []
    invitations = (
        Invitation.objects.filter(meeting=meeting)
        .select_related("person__organisation")
        .order_by("person__name", "pk")
    )
    for invitation in invitations:
        person = invitation.person
        row = recorded.pop(person.pk, None)
        accepted = invitation.response == InvitationResponse.ACCEPTED
        lines.append(
            AttendanceSheetLine(
                person=person,
                organisation=row.organisation if row else person.organisation,
                response=invitation.response,
                response_label=invitation.get_response_display(),
                capacity=row.capacity if row else default_capacity(person.organisation),
                status=row.status if row else (AttendanceStatus.PRESENT if accepted else ""),
            )
        )
    for row in sorted(recorded.values(), key=lambda row: row.person.name.lower()):
        lines.append(
            AttendanceSheetLine(
                person=row.person,
                organisation=row.organisation,
                response="",
                response_label=_("not invited"),
                capacity=row.capacity,
                status=row.status,
            )
        )
    return lines
