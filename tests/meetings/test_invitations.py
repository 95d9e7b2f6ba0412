"""Invitations that reach people: invited from the meeting's admin page, one e-mail each through
the outbox (language, time zone, agenda, join link, .ics, answer links), answer links that work
without signing in and only as meant, notices when the meeting moves or is cancelled, and each
invitation's state on the admin page."""

import datetime
import zoneinfo

import icalendar
import pytest
import time_machine
from django.utils import translation

from meetings.invitation_links import answer_paths, answer_token
from meetings.models import Invitation, ReminderDelivery
from meetings.services import SYSTEM, invitations_create, meeting_cancel, meeting_reschedule
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
)
from tests.factories.meetings import AgendaItemFactory, InvitationFactory, MeetingFactory
from untfsse.core.models import AuditEntry
from untfsse.core.outbox.tasks import sweep_deliveries

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
START = datetime.datetime(2035, 9, 12, 14, 0, tzinfo=ZURICH)  # 12:00 UTC
HOUR = datetime.timedelta(hours=1)
PORTAL = "http://127.0.0.1:8101"
NOW = datetime.datetime(2035, 9, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="45th Regular Meeting",
        slug="45th-regular-meeting",
        start=START,
        end=START + 2 * HOUR,
        time_zone="Europe/Zurich",
        join_url="https://meet.example.org/untfsse-45",
    )
    AgendaItemFactory(meeting=meeting, order=1, title="Adoption of the agenda")
    AgendaItemFactory(meeting=meeting, order=2, title="Action plan 2025-2027")
    return meeting


def focal_point(organisation, **person):
    user = FocalPointFactory(organisation=organisation)
    for name, value in person.items():
        setattr(user.person, name, value)
    user.person.save()
    return user.person


def invite_page(client, meeting, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/admin/meetings/meeting/{meeting.pk}/invite/", data)


def invitation_state():
    """Everything an answer link could change, to compare before and after."""
    return (
        list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "response", "responded_at", "answer_version"
            )
        ),
        AuditEntry.objects.count(),
    )


# --- Inviting from the meeting's admin page -------------------------------------------------
def test_the_focal_points_of_chosen_organisations_get_one_email_each(
    admin_client, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    ilo = OrganisationFactory(kind="member", acronym="ILO", slug="ilo")
    ripess = OrganisationFactory(kind="observer", acronym="RIPESS", slug="ripess")
    other = OrganisationFactory(kind="member", acronym="UNDP", slug="undp")
    focal_point(ilo, name="Anna Keller", email="anna@ilo.example", time_zone="Asia/Tokyo")
    focal_point(
        ripess,
        name="Bruno Diallo",
        email="bruno@ripess.example",
        preferred_language="fr",
        time_zone="Africa/Dakar",
    )
    focal_point(other, email="not-chosen@undp.example")
    PersonFactory(organisation=ilo, email="no-account@ilo.example")  # not a focal point

    response = invite_page(
        admin_client,
        meeting,
        {"organisations": [ilo.pk, ripess.pk]},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    assert response["Location"] == f"/admin/meetings/meeting/{meeting.pk}/change/"
    assert sorted(Invitation.objects.values_list("person__email", flat=True)) == [
        "anna@ilo.example",
        "bruno@ripess.example",
    ]
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("anna@ilo.example", "[UNTFSSE Portal] Invitation: 45th Regular Meeting"),
        ("bruno@ripess.example", "[UNTFSSE Portal] Invitation : 45th Regular Meeting"),
    ]
    english = next(m for m in mailoutbox if m.to == ["anna@ilo.example"])
    french = next(m for m in mailoutbox if m.to == ["bruno@ripess.example"])
    assert "You are invited to 45th Regular Meeting." in english.body
    assert "Sept. 12, 2035, 21:00–23:00 (Asia/Tokyo)" in english.body
    assert "Sept. 12, 2035, 14:00–16:00 (Europe/Zurich)" in english.body
    assert "Join online: https://meet.example.org/untfsse-45" in english.body
    assert "1. Adoption of the agenda\n2. Action plan 2025-2027" in english.body
    assert "Vous êtes invité·e à 45th Regular Meeting." in french.body
    assert "12 septembre 2035, 12:00–14:00 (Africa/Dakar)" in french.body
    invitations = {i.person.email: i for i in Invitation.objects.select_related("person")}
    for message, address, language in (
        (english, "anna@ilo.example", "en"),
        (french, "bruno@ripess.example", "fr"),
    ):
        with translation.override(language):
            paths = answer_paths(invitations[address])
        for path in paths.values():
            assert f"{PORTAL}{path}" in message.body
    assert f"{PORTAL}/fr/meetings/invitations/" in french.body
    deliveries = ReminderDelivery.objects.filter(kind="invitation").order_by("email")
    assert list(deliveries.values_list("email", "language", "time_zone", "state")) == [
        ("anna@ilo.example", "en", "Asia/Tokyo", "sent"),
        ("bruno@ripess.example", "fr", "Africa/Dakar", "sent"),
    ]
    assert english.extra_headers["Message-ID"] == deliveries[0].message_id


def test_the_invitation_carries_the_meeting_as_an_ics_request(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    person = focal_point(OrganisationFactory(kind="member"), email="anna@ilo.example")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(meeting=meeting, persons=[person], by=SYSTEM)

    (message,) = mailoutbox
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("meeting.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@untfsse-portal"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == START
    assert str(event["ATTENDEE"]) == "mailto:anna@ilo.example"
    assert str(event["ORGANIZER"]) == "mailto:no-reply@unsse.org"
    assert "Join: https://meet.example.org/untfsse-45" in str(event["DESCRIPTION"])


def test_named_people_without_an_account_are_invited_without_the_join_link(
    admin_client, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    guest = PersonFactory(name="Carla Ruiz", email="carla@example.org", preferred_language="es")

    response = invite_page(
        admin_client, meeting, {"persons": [guest.pk]}, django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == ["carla@example.org"]
    assert message.subject == "[UNTFSSE Portal] Invitación: 45th Regular Meeting"
    assert "meet.example.org" not in message.body
    calendar = icalendar.Calendar.from_ical(message.attachments[0][1])
    assert "meet.example.org" not in str(calendar.walk("VEVENT")[0]["DESCRIPTION"])


def test_all_partners_and_observers_can_be_invited_by_kind(
    admin_client, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    partner = focal_point(OrganisationFactory(kind="partner"), email="p@example.org")
    observer = focal_point(OrganisationFactory(kind="observer"), email="o@example.org")
    focal_point(OrganisationFactory(kind="member"), email="m@example.org")
    focal_point(
        OrganisationFactory(kind="partner", left_on=datetime.date(2030, 1, 1)),
        email="former@example.org",
    )

    invite_page(
        admin_client,
        meeting,
        {"kinds": ["partner", "observer"]},
        django_capture_on_commit_callbacks,
    )

    assert sorted(m.to[0] for m in mailoutbox) == [observer.email, partner.email]


def test_inviting_again_never_duplicates_an_invitation_or_an_email(
    admin_client, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    ilo = OrganisationFactory(kind="member")
    anna = focal_point(ilo, email="anna@ilo.example")
    invite_page(
        admin_client, meeting, {"organisations": [ilo.pk]}, django_capture_on_commit_callbacks
    )

    response = invite_page(
        admin_client,
        meeting,
        {"organisations": [ilo.pk], "persons": [anna.pk], "kinds": ["member"]},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert Invitation.objects.count() == 1
    assert ReminderDelivery.objects.filter(kind="invitation").count() == 1
    page = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert "Everyone chosen was already invited: nobody was invited twice." in [
        str(m) for m in page.context["messages"]
    ]


def test_an_invitation_made_before_emails_existed_gets_its_email_once(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="early@example.org")
    InvitationFactory(meeting=meeting, person=person)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert invitations_create(meeting=meeting, persons=[person], by=SYSTEM) == []
    assert [m.to for m in mailoutbox] == [["early@example.org"]]


def test_the_invite_page_refuses_nobody_and_people_without_an_address(admin_client, meeting):
    response = admin_client.post(f"/admin/meetings/meeting/{meeting.pk}/invite/", {})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Choose whom to invite."]

    nameless = PersonFactory(name="Dana Nomail", email="")
    response = admin_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/invite/", {"persons": [nameless.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "persons": ["No e-mail address is recorded for: Dana Nomail. Add one, then invite."]
    }
    assert Invitation.objects.count() == 0


def test_a_tampered_choice_on_the_invite_page_is_refused_with_a_message(admin_client, meeting):
    response = admin_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/invite/",
        {"persons": ["a@"], "organisations": ["<script>"], "kinds": ["everyone"]},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert sorted(errors) == ["kinds", "organisations", "persons"]
    assert errors["persons"] == ["“a@” is not a valid value."]
    assert Invitation.objects.count() == 0


def test_the_invite_page_is_for_the_secretariat_only(client, meeting):
    client.force_login(FocalPointFactory(is_staff=True))
    response = client.get(f"/admin/meetings/meeting/{meeting.pk}/invite/")
    assert response.status_code in (302, 403)
    assert Invitation.objects.count() == 0


def test_the_meeting_page_shows_each_invitations_state(
    admin_client, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    anna = focal_point(OrganisationFactory(kind="member"), name="Anna Keller", email="a@x.org")
    bruno = PersonFactory(name="Bruno Diallo", email="b@x.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(meeting=meeting, persons=[anna, bruno], by=SYSTEM)
    ReminderDelivery.objects.filter(person=bruno).update(
        state="failed", last_error="SMTPRecipientsRefused: b@x.org"
    )
    invitation = Invitation.objects.get(person=anna)
    with time_machine.travel(NOW + HOUR, tick=False):
        admin_client.post(answer_paths(invitation)["accepted"])

    page = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")

    rows = {
        form.instance.person.name: form.instance
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Invitation
        for form in inline.formset.forms
    }
    html = page.content.decode()
    assert "E-mailed Sept. 1, 2035, 9 a.m." in html
    assert "E-mail failed: SMTPRecipientsRefused: b@x.org" in html
    assert (rows["Anna Keller"].response, rows["Anna Keller"].responded_at) == (
        "accepted",
        NOW + HOUR,
    )
    assert "2 invited: 1 accepted, 0 tentative, 0 declined." in html
    assert "Invitation e-mails: 1 sent, 0 waiting, 1 failed, 0 not sent." in html


# --- Answer links ---------------------------------------------------------------------------
@pytest.fixture
def invitation(meeting):
    return InvitationFactory(meeting=meeting, person=PersonFactory(name="Anna Keller"))


def test_an_answer_link_asks_first_then_records_the_answer_without_signing_in(client, invitation):
    path = answer_paths(invitation)["accepted"]
    before = invitation_state()

    page = client.get(path)

    assert page.status_code == 200
    assert "Confirm: I will attend" in page.content.decode()
    assert invitation_state() == before  # a link checker opening it changes nothing

    with time_machine.travel(NOW + HOUR, tick=False):
        done = client.post(path)

    assert done.status_code == 200
    assert "Thank you, Anna Keller: you will attend. Your answer is recorded." in (
        done.content.decode()
    )
    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at, invitation.answer_version) == (
        "accepted",
        NOW + HOUR,
        1,
    )
    entry = AuditEntry.objects.get(action="invitation.respond_by_link")
    assert entry.changes == {"response": ["none", "accepted"]}


def test_a_used_link_and_its_siblings_change_nothing_and_the_new_links_work(client, invitation):
    links = answer_paths(invitation)
    client.post(links["accepted"])
    before = invitation_state()

    for path in (links["accepted"], links["declined"]):
        replay = client.post(path)
        assert replay.status_code == 409
        assert "This link has already been used." in replay.content.decode()
        assert client.get(path).status_code == 409
    assert invitation_state() == before

    invitation.refresh_from_db()
    changed = client.post(answer_paths(invitation)["declined"])
    assert changed.status_code == 200
    invitation.refresh_from_db()
    assert (invitation.response, invitation.answer_version) == ("declined", 2)


def test_a_tampered_link_changes_nothing(client, invitation):
    token = answer_token(invitation, "accepted")
    before = invitation_state()
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense", "a:b:c"):
        response = client.post(f"/meetings/invitations/{invitation.pk}/answer/{bad}/")
        assert response.status_code == 400
        assert "This link is damaged or was not made by the portal." in response.content.decode()
    assert invitation_state() == before


def test_another_invitations_link_changes_nothing(client, invitation, meeting):
    other = InvitationFactory(meeting=meeting)
    token = answer_token(other, "declined")
    before = invitation_state()

    response = client.post(f"/meetings/invitations/{invitation.pk}/answer/{token}/")

    assert response.status_code == 400
    assert "This link belongs to another invitation." in response.content.decode()
    assert invitation_state() == before


def test_a_link_after_the_meeting_has_ended_changes_nothing(client, invitation, meeting):
    path = answer_paths(invitation)["accepted"]
    before = invitation_state()
    with time_machine.travel(meeting.end + datetime.timedelta(minutes=1), tick=False):
        response = client.post(path)
        assert client.get(path).status_code == 410
    assert response.status_code == 410
    assert "This meeting is over: its invitation can no longer be answered." in (
        response.content.decode()
    )
    assert invitation_state() == before


def test_a_link_once_the_meeting_started_or_was_cancelled_changes_nothing(
    client, invitation, meeting
):
    path = answer_paths(invitation)["tentative"]
    before = invitation_state()
    with time_machine.travel(meeting.start + datetime.timedelta(minutes=5), tick=False):
        assert client.post(path).status_code == 409
    meeting_cancel(meeting=meeting, by=SYSTEM)
    before = (before[0], AuditEntry.objects.count())
    response = client.post(path)
    assert response.status_code == 409
    assert "This meeting is cancelled." in response.content.decode()
    assert invitation_state() == before


# --- Reschedule and cancellation ------------------------------------------------------------
def test_invitees_hear_when_the_meeting_moves_and_when_it_is_cancelled(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    anna = PersonFactory(email="anna@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(meeting=meeting, persons=[anna], by=SYSTEM)
    secretariat = SecretariatUserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        meeting_reschedule(
            meeting=meeting, start=START + HOUR, end=START + 3 * HOUR, by=secretariat
        )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=secretariat)

    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        ("anna@example.org", "[UNTFSSE Portal] Invitation: 45th Regular Meeting"),
        ("anna@example.org", "[UNTFSSE Portal] New time: 45th Regular Meeting"),
        ("anna@example.org", "[UNTFSSE Portal] Cancelled: 45th Regular Meeting"),
    ]
    assert "Sept. 12, 2035, 15:00–17:00 (Europe/Zurich)" in mailoutbox[1].body


def test_an_invitation_not_yet_sent_when_the_meeting_moves_tells_the_new_time(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    anna = PersonFactory(email="anna@example.org")
    invitations_create(meeting=meeting, persons=[anna], by=SYSTEM)  # its task never ran
    meeting_reschedule(
        meeting=meeting, start=START + HOUR, end=START + 3 * HOUR, by=SecretariatUserFactory()
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(NOW + 10 * datetime.timedelta(minutes=1), tick=False),
    ):
        sweep_deliveries()

    assert [m.subject for m in mailoutbox] == ["[UNTFSSE Portal] Invitation: 45th Regular Meeting"]
    assert "Sept. 12, 2035, 15:00–17:00 (Europe/Zurich)" in mailoutbox[0].body
