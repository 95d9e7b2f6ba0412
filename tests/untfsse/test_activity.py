"""The audit trail where people read it: the secretariat's activity page (filters, pages, CSV,
time zone, languages) and every admin's History page."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import transaction
from django.utils import translation

from knowledgehub.services import resource_create, resource_withdraw
from meetings.services import SYSTEM, invitation_respond, meeting_cancel
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.meetings import InvitationFactory, MeetingFactory
from untfsse.core.audit import action_label, audit_record, change_text
from untfsse.core.models import AuditEntry

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
T1 = datetime.datetime(2030, 9, 1, 8, 0, tzinfo=UTC)


def at(minutes: int) -> datetime.datetime:
    return T1 + datetime.timedelta(minutes=minutes)


@pytest.fixture
def sara():
    user = SecretariatUserFactory(name="Sara Secretariat", email="sara@unsse.org")
    PersonFactory(user=user, name="Sara Secretariat", time_zone="Europe/Zurich")
    return user


@pytest.fixture
def trail(sara):
    """Four entries: an answer at 08:00 UTC, a cancellation at 09:30, a resource published at
    10:00 and withdrawn at 10:15 (10:00, 11:30, 12:00 and 12:15 in Zurich)."""
    fatou = FocalPointFactory(
        name="Fatou Focal", email="fatou@ilo.org", organisation=OrganisationFactory(acronym="ILO")
    )
    meeting = MeetingFactory(
        title="45th Regular Meeting",
        start=datetime.datetime(2030, 9, 12, 12, tzinfo=UTC),
        end=datetime.datetime(2030, 9, 12, 14, tzinfo=UTC),
    )
    invitation = InvitationFactory(meeting=meeting, person=fatou.person)
    with time_machine.travel(at(0), tick=False):
        invitation_respond(invitation=invitation, response="accepted", by=fatou)
    with time_machine.travel(at(90), tick=False):
        meeting_cancel(meeting=meeting, by=sara)
    with time_machine.travel(at(120), tick=False):
        resource = resource_create(kind="report", title="SSE and the SDGs", by=sara)
    with time_machine.travel(at(135), tick=False):
        resource_withdraw(resource=resource, reason="Superseded", by=sara)
    return {"meeting": meeting, "invitation": invitation, "resource": resource, "fatou": fatou}


def listed(response) -> list[tuple[str, str]]:
    return [(entry.action, entry.object_repr) for entry in response.context["object_list"]]


# --- The kit --------------------------------------------------------------------------------
def test_an_entry_is_written_in_the_services_transaction(sara):
    meeting = MeetingFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting_cancel(meeting=meeting, by=sara)
        assert AuditEntry.objects.count() == 1
        raise RuntimeError("the request failed after the service")
    meeting.refresh_from_db()
    assert (meeting.status, AuditEntry.objects.count()) == ("planned", 0)


def test_changes_are_pairs_of_short_plain_values(sara):
    meeting = MeetingFactory(title="45th Regular Meeting")
    zurich = datetime.timezone(datetime.timedelta(hours=2))
    entry = audit_record(
        actor=sara,
        action="meeting.update",
        obj=meeting,
        changes={
            "start": [None, datetime.datetime(2030, 9, 12, 14, tzinfo=zurich)],
            "summary": ["x" * 300, None],
            "organiser": [None, OrganisationFactory(acronym="ILO")],
            "themes": [None, {"b", "a"}],
            "day": [datetime.date(2030, 9, 12), None],
        },
    )
    entry.refresh_from_db()
    assert entry.changes == {
        "start": [None, "2030-09-12T12:00:00+00:00"],
        "summary": ["x" * 199 + "…", None],
        "organiser": [None, "ILO"],
        "themes": [None, ["a", "b"]],
        "day": ["2030-09-12", None],
    }
    with pytest.raises(ValueError, match="'status' is not \\[old, new\\]"):
        audit_record(actor=sara, action="meeting.update", obj=meeting, changes={"status": "x"})


def test_stored_texts_are_in_the_sites_language(sara, settings):
    meeting = MeetingFactory(title="45th Regular Meeting")
    with translation.override("fr"):
        entry = audit_record(actor=SYSTEM, action="reminders.send_now", obj=type(meeting))
    assert (entry.object_repr, entry.actor_label) == ("meetings", "the system")


def test_actions_and_changes_read_in_the_viewers_language(trail):
    entry = AuditEntry.objects.get(action="meeting.cancel")
    assert (action_label(entry.action), change_text(entry)) == (
        "Meeting cancelled",
        "status: Planned → Cancelled",
    )
    with translation.override("fr"):
        assert (action_label(entry.action), change_text(entry)) == (
            "Réunion annulée",
            "statut : Prévue → Annulée",
        )
    assert action_label("something.new") == "something.new"


# --- The activity page ----------------------------------------------------------------------
def test_activity_is_newest_first_in_the_viewers_time_zone(client, sara, trail):
    client.force_login(sara)
    response = client.get("/secretariat/activity/")
    assert response.status_code == 200
    assert listed(response) == [
        ("resource.withdraw", "SSE and the SDGs"),
        ("resource.create", "SSE and the SDGs"),
        ("meeting.cancel", "45th Regular Meeting"),
        ("invitation.respond", "Fatou Focal → 45th Regular Meeting"),
    ]
    page = response.content.decode()
    assert "Times are shown in your time zone (Europe/Zurich)." in page
    assert '<time datetime="2030-09-01T11:30:00+02:00">Sept. 1, 2030, 11:30 a.m.</time>' in page
    assert (
        "<strong>Sara Secretariat &lt;sara@unsse.org&gt;</strong>\n      · Meeting cancelled"
        in (page)
    )
    assert "<li>Status: Planned → Cancelled</li>" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("area=meetings", ["meeting.cancel", "invitation.respond"]),
        ("area=knowledgehub", ["resource.withdraw", "resource.create"]),
        ("type=meetings.meeting", ["meeting.cancel"]),
        ("q=sdgs", ["resource.withdraw", "resource.create"]),
        ("person=fatou", ["invitation.respond"]),
        ("person=sara%40unsse.org&area=meetings", ["meeting.cancel"]),
        ("action=resource.create", ["resource.create"]),
        ("area=nowhere", []),
        ("type=meetings.nothing", []),
    ],
)
def test_activity_filters(client, sara, trail, query, expected):
    client.force_login(sara)
    response = client.get(f"/secretariat/activity/?{query}")
    assert [action for action, _text in listed(response)] == expected


def test_activity_filter_by_one_object(client, sara, trail):
    client.force_login(sara)
    resource = trail["resource"]
    response = client.get(f"/secretariat/activity/?type=knowledgehub.resource&object={resource.pk}")
    assert [action for action, _text in listed(response)] == [
        "resource.withdraw",
        "resource.create",
    ]
    assert response.context["is_filtered"] is True


def test_an_unknown_filter_value_lists_nothing_and_says_so(client, sara, trail):
    client.force_login(sara)
    page = client.get("/secretariat/activity/?area=nowhere").content.decode()
    assert "Some filters were not understood, so nothing is listed." in page


def test_activity_csv_has_the_filtered_rows(client, sara, trail):
    client.force_login(sara)
    response = client.get("/secretariat/activity.csv?area=knowledgehub")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="untfsse-activity.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    resource = trail["resource"]
    assert rows == [
        [
            "time (Europe/Zurich)",
            "who",
            "action",
            "action name",
            "area",
            "object type",
            "object id",
            "object",
            "changes",
        ],
        [
            "2030-09-01T12:15:00+02:00",
            "Sara Secretariat <sara@unsse.org>",
            "resource.withdraw",
            "Resource withdrawn",
            "knowledgehub",
            "knowledgehub.resource",
            str(resource.pk),
            "SSE and the SDGs",
            "status: Published → Withdrawn; reason for withdrawal: — → Superseded",
        ],
        [
            "2030-09-01T12:00:00+02:00",
            "Sara Secretariat <sara@unsse.org>",
            "resource.create",
            "Resource published",
            "knowledgehub",
            "knowledgehub.resource",
            str(resource.pk),
            "SSE and the SDGs",
            "status: — → Published",
        ],
    ]


def test_activity_pages_are_of_fifty(client, sara):
    meeting = MeetingFactory()
    for number in range(51):
        with time_machine.travel(at(number), tick=False):
            audit_record(actor=SYSTEM, action="meeting.update", obj=meeting)
    client.force_login(sara)
    first = client.get("/secretariat/activity/?area=meetings")
    second = client.get("/secretariat/activity/?area=meetings&page=2")
    assert (len(first.context["object_list"]), len(second.context["object_list"])) == (50, 1)
    assert second.context["object_list"][0].at == at(0)
    assert 'href="?area=meetings&amp;page=2" rel="next"' in first.content.decode()


def test_activity_in_french_and_spanish(client, sara, trail):
    client.force_login(sara)
    french = client.get("/fr/secretariat/activity/").content.decode()
    assert "<h1>Activité</h1>" in french
    assert "Réunion annulée" in french
    spanish = client.get("/es/secretariat/activity/").content.decode()
    assert "<h1>Actividad</h1>" in spanish
    assert "Reunión cancelada" in spanish


def test_activity_is_the_secretariats(client, trail):
    for user in (UserFactory(), trail["fatou"], UserFactory(is_staff=True)):
        client.force_login(user)
        assert client.get("/secretariat/activity/").status_code == 403
        assert client.get("/secretariat/activity.csv").status_code == 403


def test_the_dashboard_links_to_the_activity(client, sara):
    client.force_login(sara)
    page = client.get("/secretariat/").content.decode()
    assert '<a href="/secretariat/activity/">Activity: who changed what</a>' in page


@pytest.mark.parametrize("size", [1, 3])
def test_activity_query_count_does_not_grow(client, sara, django_assert_num_queries, size):
    meeting = MeetingFactory()
    for _ in range(size):
        audit_record(
            actor=sara, action="meeting.update", obj=meeting, changes={"title": ["a", "b"]}
        )
    client.force_login(sara)
    # User, their person and group (standing: secretariat, time zone), count, entries (the
    # session is read from the cache).
    with django_assert_num_queries(5):
        response = client.get("/secretariat/activity/?area=meetings")
    assert len(response.context["object_list"]) == size


# --- The admin's History pages --------------------------------------------------------------
def test_an_objects_admin_history_shows_its_audit_entries(client, sara, trail):
    client.force_login(sara)
    meeting = trail["meeting"]
    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/history/").content.decode()
    assert "<h2>Audit trail</h2>" in page
    assert "<td>Sara Secretariat &lt;sara@unsse.org&gt;</td>" in page
    assert "<td>Meeting cancelled</td>" in page
    assert "<td>status: Planned → Cancelled</td>" in page
    assert "Invitation answered" not in page  # another object's entry
    assert f'href="/secretariat/activity/?type=meetings.meeting&amp;object={meeting.pk}"' in page


def test_admin_history_without_entries_says_so(client, sara):
    client.force_login(sara)
    organisation = OrganisationFactory()
    page = client.get(f"/admin/members/organisation/{organisation.pk}/history/").content.decode()
    assert "No change to this object is recorded in the audit trail." in page


def test_admin_history_stays_closed_to_staff_without_permission(client, trail):
    client.force_login(UserFactory(is_staff=True))
    meeting = trail["meeting"]
    assert client.get(f"/admin/meetings/meeting/{meeting.pk}/history/").status_code == 403
