"""The meeting pages: what each kind of visitor sees, RSVP, documents, filters, query counts."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.models import (
    AttendanceCapacity,
    DocumentVisibility,
    InvitationResponse,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    MinutesStatus,
)
from meetings.selectors import meeting_years
from meetings.services import SYSTEM, document_add
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.actionplan import ActionItemFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    PastMeetingFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def pdf(name="Agenda.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def meeting_with_private_parts():
    """An upcoming meeting with a join link, a public and a members-only document, and
    circulated minutes of an earlier meeting."""
    meeting = MeetingFactory(
        title="45th Regular Meeting",
        slug="45th-regular-meeting",
        join_url="https://meet.example.org/secret-room",
    )
    document_add(
        meeting=meeting,
        title="Public agenda",
        upload=pdf("agenda.pdf"),
        visibility=DocumentVisibility.PUBLIC,
        by=SYSTEM,
    )
    document_add(
        meeting=meeting,
        title="Internal budget note",
        upload=pdf("budget.pdf"),
        visibility=DocumentVisibility.MEMBERS,
        by=SYSTEM,
    )
    return meeting


# --- visibility -------------------------------------------------------------------------------
def assert_sees_public_parts_only(html: str) -> None:
    assert "Public agenda" in html
    assert "Internal budget note" not in html
    assert "secret-room" not in html
    assert "Join the meeting online" not in html
    assert "For members and observers" not in html


def test_anonymous_visitor_sees_only_the_public_parts(client, meeting_with_private_parts):
    response = client.get("/meetings/45th-regular-meeting/")
    assert response.status_code == 200
    assert_sees_public_parts_only(main_html(response))


def test_signed_in_unaffiliated_user_sees_only_the_public_parts(client, meeting_with_private_parts):
    client.force_login(UserFactory())
    assert_sees_public_parts_only(main_html(client.get("/meetings/45th-regular-meeting/")))


def test_affiliated_focal_point_sees_join_link_and_members_only_documents(
    client, meeting_with_private_parts
):
    client.force_login(FocalPointFactory(organisation__kind="observer"))
    html = main_html(client.get("/meetings/45th-regular-meeting/"))
    assert 'href="https://meet.example.org/secret-room"' in html
    assert "Internal budget note" in html
    assert "Public agenda" in html


def test_secretariat_sees_the_members_only_parts(client, meeting_with_private_parts):
    client.force_login(SecretariatUserFactory())
    html = main_html(client.get("/meetings/45th-regular-meeting/"))
    assert "secret-room" in html
    assert "Internal budget note" in html


def test_a_former_organisations_focal_point_sees_only_the_public_parts(
    client, meeting_with_private_parts
):
    former = OrganisationFactory(kind="member", left_on=datetime.date(2020, 1, 1))
    client.force_login(FocalPointFactory(organisation=former))
    assert_sees_public_parts_only(main_html(client.get("/meetings/45th-regular-meeting/")))


@pytest.mark.parametrize(
    ("status", "anonymous", "focal_point", "secretariat"),
    [
        (MinutesStatus.DRAFT, False, False, True),
        (MinutesStatus.CIRCULATED, False, True, True),
        (MinutesStatus.PUBLIC, True, True, True),
    ],
)
def test_minutes_visibility_by_status(client, status, anonymous, focal_point, secretariat):
    later = MeetingFactory()
    approved = {"approved_at_meeting": later, "approved_at": timezone.now()}
    minutes = MinutesFactory(
        status=status,
        body="Decision: the working group on country engagement is created.",
        **(approved if status == MinutesStatus.PUBLIC else {}),
    )
    url = minutes.meeting.get_absolute_url()
    text = "the working group on country engagement is created"
    assert (text in main_html(client.get(url))) is anonymous
    client.force_login(FocalPointFactory())
    assert (text in main_html(client.get(url))) is focal_point
    client.force_login(SecretariatUserFactory())
    assert (text in main_html(client.get(url))) is secretariat


def test_unknown_meeting_is_404(client):
    assert client.get("/meetings/no-such-meeting/").status_code == 404


# --- RSVP ------------------------------------------------------------------------------------
def test_invited_focal_point_answers_and_changes_the_answer(client):
    user = FocalPointFactory()
    invitation = InvitationFactory(person=user.person, meeting=MeetingFactory(slug="rsvp-me"))
    client.force_login(user)
    page = main_html(client.get("/meetings/rsvp-me/"))
    assert "Your answer: <strong>No answer yet</strong>" in page
    assert 'action="/meetings/rsvp-me/rsvp/"' in page

    response = client.post("/meetings/rsvp-me/rsvp/", {"response": "accepted"})
    assert response.status_code == 302
    assert response["Location"] == "/meetings/rsvp-me/#rsvp"
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.ACCEPTED

    client.post("/meetings/rsvp-me/rsvp/", {"response": "tentative"})
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.TENTATIVE
    page = main_html(client.get("/meetings/rsvp-me/"))
    assert "Your answer: <strong>Tentative</strong>" in page


def test_rsvp_is_refused_once_the_meeting_has_started(client):
    user = FocalPointFactory()
    now = timezone.now()
    meeting = MeetingFactory(
        slug="ongoing",
        start=now - datetime.timedelta(minutes=30),
        end=now + datetime.timedelta(hours=1),
    )
    invitation = InvitationFactory(person=user.person, meeting=meeting)
    client.force_login(user)
    page = main_html(client.get("/meetings/ongoing/"))
    assert 'action="/meetings/ongoing/rsvp/"' not in page
    assert "Answers can no longer be changed" in page

    response = client.post("/meetings/ongoing/rsvp/", {"response": "accepted"}, follow=True)
    assert "This meeting has started: answers can no longer be changed." in (
        response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.NONE


def test_rsvp_with_an_unknown_answer_is_refused_with_a_message(client):
    user = FocalPointFactory()
    invitation = InvitationFactory(person=user.person, meeting=MeetingFactory(slug="odd"))
    client.force_login(user)
    response = client.post("/meetings/odd/rsvp/", {"response": "maybe-later"}, follow=True)
    assert "Choose one of the answers." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.NONE


def test_rsvp_by_someone_not_invited_is_forbidden(client):
    MeetingFactory(slug="closed")
    client.force_login(FocalPointFactory())
    assert client.post("/meetings/closed/rsvp/", {"response": "accepted"}).status_code == 403


def test_rsvp_by_an_unaffiliated_user_is_forbidden_and_anonymous_must_sign_in(client):
    MeetingFactory(slug="closed")
    response = client.post("/meetings/closed/rsvp/", {"response": "accepted"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.post("/meetings/closed/rsvp/", {"response": "accepted"}).status_code == 403


# --- documents -------------------------------------------------------------------------------
def document_url(meeting, title):
    document = meeting.documents.get(title=title)
    return f"/meetings/{meeting.slug}/documents/{document.pk}/"


def test_members_only_document_is_404_to_others(client, meeting_with_private_parts):
    url = document_url(meeting_with_private_parts, "Internal budget note")
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_members_only_document_is_served_to_members_as_an_attachment(
    client, meeting_with_private_parts
):
    client.force_login(FocalPointFactory())
    response = client.get(document_url(meeting_with_private_parts, "Internal budget note"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="budget.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_public_document_is_served_to_anyone(client, meeting_with_private_parts):
    response = client.get(document_url(meeting_with_private_parts, "Public agenda"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="agenda.pdf"'


def test_document_of_another_meeting_is_404(client, meeting_with_private_parts):
    other = MeetingFactory()
    document = meeting_with_private_parts.documents.get(title="Public agenda")
    assert client.get(f"/meetings/{other.slug}/documents/{document.pk}/").status_code == 404


# --- hostile Markdown -----------------------------------------------------------------------
HOSTILE = (
    "Hello <script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[click me](javascript:alert(1))\n\n"
    '<a href="#" onclick="steal()">link</a>'
)


def assert_harmless(html: str) -> None:
    assert "<script" not in html.lower()
    assert re.search(r"\son\w+\s*=", html, flags=re.IGNORECASE) is None
    assert "javascript:" not in html.lower()


def test_hostile_markdown_in_summary_agenda_and_minutes_is_neutralised(client):
    meeting = PastMeetingFactory(slug="hostile", summary=HOSTILE)
    AgendaItemFactory(meeting=meeting, notes=HOSTILE)
    MinutesFactory(
        meeting=meeting,
        body=HOSTILE,
        status=MinutesStatus.PUBLIC,
        approved_at_meeting=MeetingFactory(),
        approved_at=timezone.now(),
    )
    response = client.get("/meetings/hostile/")
    html = main_html(response)
    assert html.count("click me") == 3
    assert_harmless(html)
    feed = client.get("/feeds/meetings/").content.decode()
    assert "click me" in feed
    assert "javascript:" not in feed.lower()
    assert "&lt;script" not in feed.lower()


# --- the list: time zones, filters ----------------------------------------------------------
def test_list_shows_upcoming_first_then_past_years(client):
    MeetingFactory(title="Next regular meeting")
    PastMeetingFactory(
        title="Meeting of 2021",
        start=datetime.datetime(2021, 3, 1, 12, tzinfo=UTC),
        end=datetime.datetime(2021, 3, 1, 14, tzinfo=UTC),
    )
    PastMeetingFactory(
        title="Meeting of 2022",
        start=datetime.datetime(2022, 3, 1, 12, tzinfo=UTC),
        end=datetime.datetime(2022, 3, 1, 14, tzinfo=UTC),
    )
    html = main_html(client.get("/meetings/"))
    positions = [
        html.index(text)
        for text in (
            "Upcoming",
            "Next regular meeting",
            'id="year-2022"',
            "Meeting of 2022",
            'id="year-2021"',
            "Meeting of 2021",
        )
    ]
    assert positions == sorted(positions)


def test_list_shows_the_meetings_own_time_and_the_viewers(client):
    MeetingFactory(
        title="Timed meeting",
        start=datetime.datetime(2035, 9, 12, 12, 0, tzinfo=UTC),
        end=datetime.datetime(2035, 9, 12, 14, 0, tzinfo=UTC),
        time_zone="Europe/Zurich",
    )
    html = main_html(client.get("/meetings/"))
    assert "Sept. 12, 2035, 14:00–16:00 (Europe/Zurich)" in html
    assert "Sept. 12, 2035, 12:00–14:00 (UTC)" in html

    user = FocalPointFactory()
    user.person.time_zone = "America/New_York"
    user.person.save()
    client.force_login(user)
    html = main_html(client.get("/meetings/"))
    assert "Sept. 12, 2035, 14:00–16:00 (Europe/Zurich)" in html
    assert "Sept. 12, 2035, 08:00–10:00 (America/New_York)" in html


@pytest.mark.parametrize(
    "query",
    [
        "?kind=banquet",
        "?year=abc",
        "?year=1850",
        "?mode=telepathy",
        "?organisation=no-such-org",
        "?organisation=%00%27",
    ],
)
def test_unknown_filter_values_give_a_clear_empty_result(client, query):
    MeetingFactory(title="Some meeting")
    response = client.get(f"/meetings/{query}")
    assert response.status_code == 400  # the page itself, the error said
    html = main_html(response)
    assert "Some filters were not understood, so nothing is listed." in html
    assert "Some meeting" not in html


def test_filters_by_kind_year_mode_and_organisation(client):
    ilo = OrganisationFactory(acronym="ILO", slug="ilo", kind="member")
    retreat = PastMeetingFactory(
        title="Retreat 2019",
        kind=MeetingKind.RETREAT,
        number=None,
        mode=MeetingMode.IN_PERSON,
        start=datetime.datetime(2019, 11, 21, 8, tzinfo=UTC),
        end=datetime.datetime(2019, 11, 22, 16, tzinfo=UTC),
    )
    AttendanceFactory(meeting=retreat, person=PersonFactory(organisation=ilo))
    PastMeetingFactory(
        title="Regular 2023",
        start=datetime.datetime(2023, 7, 11, 12, tzinfo=UTC),
        end=datetime.datetime(2023, 7, 11, 14, tzinfo=UTC),
    )

    def titles(query):
        html = main_html(client.get(f"/meetings/?{query}"))
        return [title for title in ("Retreat 2019", "Regular 2023") if title in html]

    assert titles("kind=retreat") == ["Retreat 2019"]
    assert titles("year=2023") == ["Regular 2023"]
    assert titles("mode=in_person") == ["Retreat 2019"]
    assert titles("organisation=ilo") == ["Retreat 2019"]
    assert titles("kind=regular&year=2019") == []


def test_year_filter_counts_the_year_where_the_meeting_is_held(client):
    # 31 December 2024, 19:00 in New York is 1 January 2025, 00:00 in UTC.
    PastMeetingFactory(
        title="Year-end webinar",
        time_zone="America/New_York",
        start=datetime.datetime(2025, 1, 1, 0, tzinfo=UTC),
        end=datetime.datetime(2025, 1, 1, 1, tzinfo=UTC),
    )
    # 1 January 2025, 08:00 in Bangkok is still 31 December 2024 in UTC.
    PastMeetingFactory(
        title="First call of the year",
        time_zone="Asia/Bangkok",
        start=datetime.datetime(2024, 12, 31, 18, tzinfo=UTC),
        end=datetime.datetime(2024, 12, 31, 19, tzinfo=UTC),
    )

    def titles(query):
        html = main_html(client.get(f"/meetings/?{query}"))
        return [t for t in ("Year-end webinar", "First call of the year") if t in html]

    assert titles("year=2024") == ["Year-end webinar"]
    assert titles("year=2025") == ["First call of the year"]


def test_year_choices_are_the_local_years_of_the_meetings():
    def meeting(utc_start: datetime.datetime, zone: str) -> None:
        PastMeetingFactory(
            time_zone=zone, start=utc_start, end=utc_start + datetime.timedelta(hours=1)
        )

    meeting(datetime.datetime(2025, 1, 1, 0, tzinfo=UTC), "America/New_York")  # 2024 there
    meeting(datetime.datetime(2021, 12, 31, 18, tzinfo=UTC), "Asia/Bangkok")  # 2022 there
    meeting(datetime.datetime(2019, 12, 31, 11, tzinfo=UTC), "Europe/Zurich")  # 2019 there too
    meeting(datetime.datetime(2023, 6, 1, 12, tzinfo=UTC), "Asia/Seoul")
    assert meeting_years() == [2024, 2023, 2022, 2019]


def test_list_is_paged_upcoming_first_then_the_latest_past(client):
    now = timezone.now()
    for days in range(1, 102):
        PastMeetingFactory(
            title=f"Past {days:03d}",
            start=now - datetime.timedelta(days=days),
            end=now - datetime.timedelta(days=days) + datetime.timedelta(hours=2),
        )
    MeetingFactory(
        title="Next one",
        start=now + datetime.timedelta(days=3),
        end=now + datetime.timedelta(days=3, hours=2),
    )

    first = client.get("/meetings/?kind=regular")
    listing = first.context["listing"]
    assert [m.title for m in listing.upcoming] == ["Next one"]
    past = [m.title for group in listing.past_years for m in group.meetings]
    assert (len(past), past[0], past[-1]) == (99, "Past 001", "Past 099")
    assert 'href="?kind=regular&amp;page=2" rel="next"' in first.content.decode()
    second = client.get("/meetings/?kind=regular&page=2").context["listing"]
    assert [m.title for g in second.past_years for m in g.meetings] == ["Past 100", "Past 101"]
    assert client.get("/meetings/?page=9").status_code == 404


def test_cancelled_meeting_is_marked_on_list_and_page(client):
    MeetingFactory(slug="off", title="Called off", status=MeetingStatus.CANCELLED)
    assert "Cancelled" in main_html(client.get("/meetings/"))
    assert "This meeting was cancelled." in main_html(client.get("/meetings/off/"))


# --- the meeting page: counts and neighbours ---------------------------------------------------
def test_participants_sentence_is_computed_from_attendance(client):
    meeting = PastMeetingFactory(slug="counted")
    members = [OrganisationFactory(kind="member") for _ in range(2)]
    observers = [OrganisationFactory(kind="observer") for _ in range(3)]
    for organisation in members + observers:
        AttendanceFactory(
            meeting=meeting,
            person=PersonFactory(organisation=organisation),
            capacity=AttendanceCapacity.MEMBER
            if organisation.kind == "member"
            else AttendanceCapacity.OBSERVER,
        )
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(organisation=members[0]),
        capacity=AttendanceCapacity.MEMBER,
    )
    AttendanceFactory(meeting=meeting, person=PersonFactory(), status="excused", capacity="member")
    html = main_html(client.get("/meetings/counted/"))
    assert "6 participants from 2 member and 3 observer organisations" in html


def test_previous_and_next_meeting_of_the_same_kind(client):
    first = PastMeetingFactory(
        slug="first",
        title="First",
        start=datetime.datetime(2022, 1, 10, 12, tzinfo=UTC),
        end=datetime.datetime(2022, 1, 10, 14, tzinfo=UTC),
    )
    PastMeetingFactory(
        slug="other-kind",
        title="Other kind",
        kind=MeetingKind.WEBINAR,
        number=None,
        start=datetime.datetime(2022, 2, 10, 12, tzinfo=UTC),
        end=datetime.datetime(2022, 2, 10, 14, tzinfo=UTC),
    )
    second = PastMeetingFactory(
        slug="second",
        title="Second",
        start=datetime.datetime(2022, 3, 10, 12, tzinfo=UTC),
        end=datetime.datetime(2022, 3, 10, 14, tzinfo=UTC),
    )
    third = MeetingFactory(slug="third", title="Third")
    html = main_html(client.get(second.get_absolute_url()))
    assert f'href="{first.get_absolute_url()}" rel="prev">← First' in html
    assert f'href="{third.get_absolute_url()}" rel="next">Third →' in html
    assert "Other kind" not in html


def test_organisation_page_lists_meetings_attended(client):
    ilo = OrganisationFactory(acronym="ILO", slug="ilo")
    attended = PastMeetingFactory(title="Attended meeting")
    AttendanceFactory(meeting=attended, person=None, organisation=ilo)
    PastMeetingFactory(title="Missed meeting")
    html = main_html(client.get("/members/ilo/"))
    assert "Meetings attended" in html
    assert "Attended meeting" in html
    assert "Missed meeting" not in html


def test_feed_lists_meetings_with_a_public_summary(client):
    PastMeetingFactory(title="Reported meeting", summary="It went **well**.")
    PastMeetingFactory(title="Unreported meeting", summary="")
    response = client.get("/feeds/meetings/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "Reported meeting" in feed
    assert "Unreported meeting" not in feed


def test_sitemap_lists_meeting_pages(client):
    meeting = PastMeetingFactory(slug="in-the-sitemap")
    xml = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/meetings/{meeting.slug}/" in xml
    assert "http://testserver/fr/meetings/in-the-sitemap/" in xml


def test_navigation_has_meetings(client):
    html = client.get("/").content.decode()
    assert '<a href="/meetings/">Meetings</a>' in html


# --- query counts -------------------------------------------------------------------------------
def make_meetings(count: int) -> None:
    organisation = OrganisationFactory(kind="member")
    for _ in range(count):
        meeting = PastMeetingFactory(organiser=organisation)
        AttendanceFactory(meeting=meeting, person=PersonFactory(organisation=organisation))


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    make_meetings(count)
    # year choices, organisation choices, the count for the pages, the meetings
    with django_assert_num_queries(4):
        response = client.get("/meetings/")
    assert response.context["listing"].past_years[0].meetings.__len__() == count


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_for_a_signed_in_focal_point(client, django_assert_num_queries, count):
    make_meetings(count)
    client.force_login(FocalPointFactory())
    # user, the user's person (standing; not staff, so no group check), year choices,
    # organisation choices, the count for the pages, the meetings (the session is read from
    # the cache)
    with django_assert_num_queries(6):
        client.get("/meetings/")
    # Then the page is kept whole for readers of this standing and time zone: who the reader
    # is, and nothing of the page.
    with django_assert_num_queries(2):
        response = client.get("/meetings/")
    assert response.status_code == 200


def make_full_meeting(count: int):
    meeting = PastMeetingFactory(slug="full", summary="Summary")
    for _ in range(count):
        organisation = OrganisationFactory(kind="observer")
        item = AgendaItemFactory(
            meeting=meeting, presenter=PersonFactory(organisation=organisation)
        )
        ActionItemFactory().agenda_items.add(item)
        AttendanceFactory(meeting=meeting, person=PersonFactory(organisation=organisation))
        AttendanceFactory(meeting=meeting, person=None, organisation=OrganisationFactory())
        document_add(
            meeting=meeting,
            title="Doc",
            link="https://example.org/doc.pdf",
            visibility=DocumentVisibility.PUBLIC,
            by=SYSTEM,
        )
    MinutesFactory(
        meeting=meeting,
        status=MinutesStatus.PUBLIC,
        approved_at_meeting=MeetingFactory(),
        approved_at=timezone.now(),
    )
    return meeting


@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    make_full_meeting(count)
    # meeting + organiser, then the shared part: documents, minutes, previous, next, agenda,
    # the action items discussed under the agenda items, attendance (plain rows)
    with django_assert_num_queries(8):
        response = client.get("/meetings/full/")
    assert response.context["summary"].participants == 2 * count


@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_for_an_invited_focal_point(client, django_assert_num_queries, count):
    meeting = make_full_meeting(count)
    user = FocalPointFactory()
    InvitationFactory(meeting=meeting, person=user.person)
    client.force_login(user)
    # user, standing (the person), the meeting, the invitation, the seven queries of the part
    # shared by every focal point (the session is read from the cache)
    with django_assert_num_queries(11):
        client.get("/meetings/full/")
    # Then the page is kept whole for readers of this standing: only who the reader is and
    # their invitation (with the meeting) are read again.
    with django_assert_num_queries(3):
        response = client.get("/meetings/full/")
    assert "Your answer: <strong>" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_organisation_page_meetings_section_query_count(client, django_assert_num_queries, count):
    ilo = OrganisationFactory(acronym="ILO", slug="ilo")
    for _ in range(count):
        AttendanceFactory(meeting=PastMeetingFactory(), person=None, organisation=ilo)
    # the organisation, its public people, its offices, the meetings it attended, the
    # action items it leads, its Knowledge Hub resources
    with django_assert_num_queries(6):
        response = client.get("/members/ilo/")
    assert len(response.context["sections"][0]["meetings_attended"]) == count


def test_rsvp_is_rate_limited_per_account(client, settings):
    settings.RSVP_RATE_LIMIT_PER_HOUR = 3
    organisation = OrganisationFactory()
    user = FocalPointFactory(organisation=organisation)
    meeting = MeetingFactory(slug="limited")
    invitation = InvitationFactory(meeting=meeting, person=user.person)
    client.force_login(user)
    answers = ["accepted", "declined", "tentative", "accepted"]
    statuses = [
        client.post("/meetings/limited/rsvp/", {"response": answer}).status_code
        for answer in answers
    ]
    assert statuses == [302, 302, 302, 429]
    invitation.refresh_from_db()
    assert invitation.response == "tentative"
    # Another account is not affected.
    other = FocalPointFactory(organisation=organisation)
    InvitationFactory(meeting=meeting, person=other.person)
    client.force_login(other)
    assert client.post("/meetings/limited/rsvp/", {"response": "accepted"}).status_code == 302


def test_a_presenter_without_a_public_profile_is_not_named_to_visitors(client):
    ilo = OrganisationFactory(acronym="ILO")
    meeting = MeetingFactory(slug="with-presenter")
    AgendaItemFactory(
        meeting=meeting,
        title="Knowledge Hub",
        presenter=PersonFactory(name="Hidden Person", organisation=ilo, public_profile=False),
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Encyclopedia",
        presenter=PersonFactory(name="Ilcheong Yi", organisation=ilo, public_profile=True),
    )
    html = client.get("/meetings/with-presenter/").content.decode()
    assert "Hidden Person" not in html
    assert "Ilcheong Yi" in html
    assert '<strong>Knowledge Hub</strong> <span class="muted">— ILO</span>' in html
    client.force_login(FocalPointFactory(organisation=ilo))
    assert "Hidden Person" in client.get("/meetings/with-presenter/").content.decode()
