"""The secretariat's desk: dashboard rows come and go with their conditions; the weekly digest
goes out once per week; the attendance report's figures."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from actionplan.services import progress_update_post
from meetings.models import DeliveryState, Invitation, InvitationResponse
from meetings.reminders.schedule import heartbeat_record
from members.services import affiliation_request_approve, affiliation_request_create
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.actionplan import ActionItemFactory
from tests.factories.meetings import (
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    PastMeetingFactory,
    ReminderDeliveryFactory,
)
from untfsse.portal.dashboard import secretariat_dashboard
from untfsse.portal.digest import digest_send, week_starting
from untfsse.portal.models import DigestDelivery

pytestmark = pytest.mark.django_db


def rows(key: str, now=None, viewer=None) -> list[tuple[str, str]]:
    section = {section.key: section for section in secretariat_dashboard(now, viewer=viewer)}[key]
    return [(row.title, row.detail) for row in section.rows]


@pytest.fixture(autouse=True)
def _scheduler_running():
    heartbeat_record()


def test_only_secretariat_staff_reach_the_dashboard(client):
    assert client.get("/secretariat/")["Location"] == "/accounts/login/?next=/secretariat/"
    client.force_login(UserFactory())
    assert client.get("/secretariat/").status_code == 403
    client.force_login(FocalPointFactory())
    assert client.get("/secretariat/").status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/secretariat/").status_code == 403
    client.force_login(SecretariatUserFactory())
    response = client.get("/secretariat/")
    assert response.status_code == 200
    assert "<h1>Secretariat dashboard</h1>" in response.content.decode()


def test_admin_index_links_to_the_dashboard(client):
    client.force_login(SecretariatUserFactory())
    assert (
        '<a class="button" href="/secretariat/">Open the secretariat dashboard</a>'
        in client.get("/admin/").content.decode()
    )


def test_affiliation_request_row_until_decided():
    ripess = OrganisationFactory(acronym="RIPESS")
    request = affiliation_request_create(
        user=UserFactory(), organisation=ripess, name="Hamish Jenkins"
    )
    assert rows("affiliations") == [
        ("Hamish Jenkins → RIPESS", f"asked on {timezone.localdate().isoformat()}")
    ]
    affiliation_request_approve(request=request, by=SecretariatUserFactory())
    assert rows("affiliations") == []


def test_upcoming_meeting_without_invitations_then_unanswered_then_answered():
    meeting = MeetingFactory(title="45th Regular Meeting")
    assert rows("meetings") == [("45th Regular Meeting", "no invitations sent yet")]
    first = InvitationFactory(meeting=meeting)
    InvitationFactory(
        meeting=meeting, response=InvitationResponse.ACCEPTED, responded_at=timezone.now()
    )
    assert rows("meetings") == [("45th Regular Meeting", "1 of 2 invitations unanswered")]
    Invitation.objects.filter(pk=first.pk).update(
        response=InvitationResponse.DECLINED, responded_at=timezone.now()
    )
    assert rows("meetings") == []


def test_meetings_beyond_thirty_days_or_cancelled_are_not_listed():
    MeetingFactory(title="Far away", start=timezone.now() + datetime.timedelta(days=45))
    MeetingFactory(title="Cancelled", status="cancelled")
    assert rows("meetings") == []


def test_past_meeting_without_minutes_until_they_exist():
    meeting = PastMeetingFactory(title="44th Regular Meeting")
    PastMeetingFactory(title="Webinar", kind="webinar", number=None)
    PastMeetingFactory(title="Long ago", start=timezone.now() - datetime.timedelta(days=400))
    assert rows("meetings") == [("44th Regular Meeting", "held, but no minutes yet")]
    MinutesFactory(meeting=meeting)
    assert rows("meetings") == []


def test_failed_reminders_and_a_stopped_scheduler():
    meeting = MeetingFactory(title="45th Regular Meeting")
    InvitationFactory(meeting=meeting)
    delivery = ReminderDeliveryFactory(meeting=meeting, state=DeliveryState.FAILED)
    assert ("45th Regular Meeting", "1 delivery failed") in rows("reminders")
    later = timezone.now() + datetime.timedelta(minutes=16)
    assert rows("reminders", now=later)[0][0] == "The reminder scheduler is not running"
    type(delivery).objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, sent_at=timezone.now()
    )
    assert rows("reminders") == []


def test_overdue_action_item_without_recent_update():
    today = timezone.localdate()
    item = ActionItemFactory(
        title="Publish the position paper", target_date=today - datetime.timedelta(days=30)
    )
    ActionItemFactory(
        title="Done",
        target_date=today - datetime.timedelta(days=30),
        status="completed",
        progress=100,
    )
    ActionItemFactory(title="Not due", target_date=today + datetime.timedelta(days=30))
    assert [title for title, _ in rows("action_items")] == [
        f"{item.plan.slug} {item.code} Publish the position paper"
    ]
    progress_update_post(
        item=item,
        date=today - datetime.timedelta(days=100),
        text="Drafting",
        status="in_progress",
        progress=20,
        by=SecretariatUserFactory(),
    )
    assert len(rows("action_items")) == 1
    progress_update_post(
        item=item,
        date=today - datetime.timedelta(days=5),
        text="Second draft",
        status="in_progress",
        progress=60,
        by=SecretariatUserFactory(),
    )
    assert rows("action_items") == []


def test_dashboard_query_count_is_fixed(client, django_assert_num_queries):
    client.force_login(SecretariatUserFactory())
    MeetingFactory()
    # The session is read from the cache.
    with django_assert_num_queries(12):
        client.get("/secretariat/")
    for _ in range(4):
        InvitationFactory(meeting=MeetingFactory())
        PastMeetingFactory()
        affiliation_request_create(user=UserFactory(), organisation=OrganisationFactory(), name="X")
    with django_assert_num_queries(12):
        response = client.get("/secretariat/")
    assert len(response.context["sections"][0].rows) == 4


def test_weekly_digest_is_sent_once_per_week(settings):
    settings.SECRETARIAT_EMAIL = "secretariat@unsse.org"
    OrganisationFactory(acronym="RIPESS")
    monday = datetime.datetime(2026, 11, 23, 0, 5, tzinfo=datetime.UTC)
    assert digest_send(now=monday) is True
    assert digest_send(now=monday + datetime.timedelta(hours=1)) is False
    assert digest_send(now=monday + datetime.timedelta(days=6)) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["secretariat@unsse.org"]
    assert message.subject == "[UNTFSSE Portal] Weekly digest: week of Nov. 23, 2026"
    assert message.extra_headers["Message-ID"] == "<digest-2026-11-23@unsse.org>"
    assert "Affiliation requests waiting (0)" in message.body
    # The next week gets its own digest.
    assert digest_send(now=monday + datetime.timedelta(days=7)) is True
    assert len(mail.outbox) == 2
    assert list(DigestDelivery.objects.values_list("week_starting", flat=True)) == [
        datetime.date(2026, 11, 30),
        datetime.date(2026, 11, 23),
    ]


def test_weekly_digest_smtp_failure_is_retried_next_run(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    monday = datetime.datetime(2026, 11, 23, 0, 5, tzinfo=datetime.UTC)
    assert digest_send(now=monday) is False
    delivery = DigestDelivery.objects.get()
    assert (delivery.sent_at, delivery.attempts) == (None, 1)
    assert delivery.last_error != ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest_send(now=monday + datetime.timedelta(hours=1)) is True
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_weekly_digest_with_two_workers_at_once_goes_out_once():
    monday = datetime.datetime(2026, 11, 23, 0, 5, tzinfo=datetime.UTC)
    results, barrier = [], threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(digest_send(now=monday))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


def test_week_starting_is_the_utc_monday():
    assert week_starting(
        datetime.datetime(2026, 11, 29, 23, 59, tzinfo=datetime.UTC)
    ) == datetime.date(2026, 11, 23)
    assert week_starting(
        datetime.datetime(2026, 11, 30, 0, 0, tzinfo=datetime.UTC)
    ) == datetime.date(2026, 11, 30)


def test_attendance_report_figures_page_and_csv(client):
    ilo = OrganisationFactory(acronym="ILO", kind="member")
    ripess = OrganisationFactory(acronym="RIPESS", kind="observer")
    simel = PersonFactory(organisation=ilo)
    hamish = PersonFactory(organisation=ripess)
    in_2023 = [
        PastMeetingFactory(start=datetime.datetime(2023, month, 11, 12, tzinfo=datetime.UTC))
        for month in (3, 7, 9)
    ]
    cancelled = PastMeetingFactory(
        start=datetime.datetime(2023, 10, 1, 12, tzinfo=datetime.UTC), status="cancelled"
    )
    in_2022 = PastMeetingFactory(start=datetime.datetime(2022, 6, 1, 12, tzinfo=datetime.UTC))
    for meeting in [*in_2023, cancelled]:
        InvitationFactory(meeting=meeting, person=simel)
        InvitationFactory(meeting=meeting, person=hamish)
    AttendanceFactory(meeting=in_2023[0], person=simel, organisation=ilo)
    AttendanceFactory(meeting=in_2023[1], person=simel, organisation=ilo)
    AttendanceFactory(meeting=in_2023[1], person=None, organisation=ilo)  # same meeting counts once
    AttendanceFactory(meeting=in_2023[2], person=hamish, organisation=ripess, status="excused")
    AttendanceFactory(meeting=in_2022, person=None, organisation=ripess)

    client.force_login(SecretariatUserFactory())
    response = client.get("/secretariat/reports/attendance/")
    figures = [
        (r.year, r.organisation.acronym, r.attended, r.invited) for r in response.context["rows"]
    ]
    assert figures == [(2023, "ILO", 2, 3), (2023, "RIPESS", 0, 3), (2022, "RIPESS", 1, 0)]

    only_2022 = client.get("/secretariat/reports/attendance/?year=2022").context["rows"]
    assert [(r.year, r.organisation.acronym) for r in only_2022] == [(2022, "RIPESS")]
    assert client.get("/secretariat/reports/attendance/?year=nonsense").status_code == 200

    csv = client.get("/secretariat/reports/attendance.csv?year=2023")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.decode("utf-8-sig").splitlines() == [
        "organisation,kind,year,meetings attended,meetings invited",
        "ILO,Member,2023,2,3",
        "RIPESS,Observer,2023,0,3",
    ]


def test_attendance_report_counts_a_meeting_in_its_local_year(client):
    ilo = OrganisationFactory(acronym="ILO", kind="member")
    # 31 December 2024, 19:00 in New York: 1 January 2025 in UTC, but a 2024 meeting.
    new_years_eve = PastMeetingFactory(
        time_zone="America/New_York",
        start=datetime.datetime(2025, 1, 1, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2025, 1, 1, 1, tzinfo=datetime.UTC),
    )
    AttendanceFactory(meeting=new_years_eve, person=None, organisation=ilo)
    client.force_login(SecretariatUserFactory())

    def figures(query=""):
        rows = client.get(f"/secretariat/reports/attendance/{query}").context["rows"]
        return [(r.year, r.organisation.acronym, r.attended, r.invited) for r in rows]

    assert figures() == [(2024, "ILO", 1, 0)]
    assert figures("?year=2024") == [(2024, "ILO", 1, 0)]
    assert figures("?year=2025") == []


def test_attendance_report_is_for_the_secretariat(client):
    client.force_login(FocalPointFactory())
    assert client.get("/secretariat/reports/attendance/").status_code == 403
    assert client.get("/secretariat/reports/attendance.csv").status_code == 403


def test_submission_rows_follow_the_review(time_machine):
    from knowledgehub.models import ReviewAssignment
    from knowledgehub.services.submissions import (
        review_assign,
        review_submit,
        submission_transition,
    )
    from tests.factories.knowledgehub import make_submission

    secretariat = SecretariatUserFactory()
    reviewer = UserFactory(name="Ilcheong Yi")
    from django.contrib.auth.models import Group

    reviewer.groups.add(Group.objects.get_or_create(name="Reviewers")[0])
    submission = make_submission(title="Cooperatives and the informal economy", state="submitted")
    assert rows("submissions", viewer=secretariat) == [
        ("Cooperatives and the informal economy", "waiting for a reviewer to be assigned")
    ]

    assignment = review_assign(
        submission=submission,
        reviewer=reviewer,
        by=secretariat,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    assert rows("submissions", viewer=secretariat) == []
    time_machine.move_to(timezone.now() + datetime.timedelta(days=10))
    assert rows("submissions", viewer=secretariat) == [
        (
            "Cooperatives and the informal economy",
            f"review by Ilcheong Yi was due on {assignment.due_on.isoformat()}",
        )
    ]
    review_submit(
        assignment=ReviewAssignment.objects.get(),
        by=reviewer,
        recommendation="accept",
        comments_to_author="Clear and useful.",
        confidential_comments="",
    )
    assert rows("submissions", viewer=secretariat) == [
        ("Cooperatives and the informal economy", "every review is in: a decision is due")
    ]
    submission_transition(submission=submission, to_state="accepted", by=secretariat)
    assert rows("submissions", viewer=secretariat) == [
        ("Cooperatives and the informal economy", "accepted: ready to publish")
    ]
    submission_transition(submission=submission, to_state="published", by=secretariat)
    assert rows("submissions", viewer=secretariat) == []


def test_a_secretariat_members_own_submission_is_not_on_their_desk():
    from tests.factories.knowledgehub import make_submission

    author = SecretariatUserFactory()
    make_submission(submitter=author, title="My own paper", state="submitted")
    assert rows("submissions", viewer=author) == []
    assert rows("submissions", viewer=SecretariatUserFactory()) == [
        ("My own paper", "waiting for a reviewer to be assigned")
    ]
