"""A focal point's own page shows only their own and their organisation's things."""

import datetime

import pytest
from django.utils import timezone

from members.models import Person
from tests.factories import FocalPointFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.factories.actionplan import ActionItemFactory
from tests.factories.meetings import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ilo():
    return OrganisationFactory(acronym="ILO")


@pytest.fixture
def simel(ilo):
    return FocalPointFactory(name="Simel Esim", organisation=ilo)


def test_me_needs_sign_in(client):
    assert client.get("/me/")["Location"] == "/accounts/login/?next=/me/"


def test_me_shows_own_invitations_org_meetings_and_led_items(client, ilo, simel):
    other_org = OrganisationFactory(acronym="OECD")
    mine = MeetingFactory(title="45th Regular Meeting", slug="m45", number=45)
    InvitationFactory(meeting=mine, person=simel.person)
    colleague_only = MeetingFactory(title="Working group on countries", slug="wg", number=46)
    InvitationFactory(meeting=colleague_only, person=PersonFactory(organisation=ilo))
    elsewhere = MeetingFactory(title="OECD meeting", slug="oecd", number=47)
    InvitationFactory(meeting=elsewhere, person=PersonFactory(organisation=other_org))
    past = MeetingFactory(
        title="Old meeting",
        slug="old",
        number=40,
        start=timezone.now() - datetime.timedelta(days=9),
    )
    InvitationFactory(meeting=past, person=simel.person)
    led = ActionItemFactory(title="Support the ILC general discussion", leads=[ilo])
    ActionItemFactory(title="OECD guiding principles", leads=[other_org])

    client.force_login(simel)
    response = client.get("/me/")
    page = response.context["page"]
    assert [invitation.meeting.title for invitation in page.invitations] == ["45th Regular Meeting"]
    assert [meeting.title for meeting in page.organisation_meetings] == [
        "Working group on countries"
    ]
    assert [item.title for item in page.led_items] == [led.title]
    html = response.content.decode()
    assert "OECD meeting" not in html
    assert "OECD guiding principles" not in html
    assert 'action="/meetings/m45/rsvp/"' in html


def test_me_rsvp_comes_back_to_me(client, simel):
    meeting = MeetingFactory(slug="m45")
    invitation = InvitationFactory(meeting=meeting, person=simel.person)
    client.force_login(simel)
    response = client.post("/meetings/m45/rsvp/", {"response": "accepted", "next": "/me/"})
    assert response["Location"] == "/me/"
    invitation.refresh_from_db()
    assert invitation.response == "accepted"


def test_rsvp_refuses_to_send_people_to_another_site(client, simel):
    meeting = MeetingFactory(slug="m45")
    InvitationFactory(meeting=meeting, person=simel.person)
    client.force_login(simel)
    response = client.post(
        "/meetings/m45/rsvp/", {"response": "accepted", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/meetings/m45/#rsvp"


def test_me_preferences_saved(client, simel):
    client.force_login(simel)
    response = client.post("/me/", {"preferred_language": "fr", "time_zone": "America/Santiago"})
    assert response.status_code == 302
    person = Person.objects.get(user=simel)
    assert (person.receives_reminders, person.preferred_language, person.time_zone) == (
        False,
        "fr",
        "America/Santiago",
    )


def test_me_preferences_bad_time_zone_keeps_what_was_typed(client, simel):
    client.force_login(simel)
    response = client.post(
        "/me/", {"receives_reminders": "on", "preferred_language": "es", "time_zone": "Mars/Base"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“Mars/Base” is not a time zone name" in html
    assert 'value="Mars/Base"' in html
    assert Person.objects.get(user=simel).time_zone == "UTC"


def test_me_for_an_unaffiliated_user(client):
    client.force_login(UserFactory())
    response = client.get("/me/")
    html = response.content.decode()
    assert "Your account is not linked to an organisation yet." in html
    assert response.context["preferences_form"] is None
    assert client.post("/me/", {"preferred_language": "fr", "time_zone": "UTC"}).status_code == 403


@pytest.mark.parametrize("count", [1, 4])
def test_me_query_count_is_fixed(client, ilo, simel, django_assert_num_queries, count):
    for number in range(count):
        InvitationFactory(
            meeting=MeetingFactory(number=60 + number, slug=f"m{number}"), person=simel.person
        )
        InvitationFactory(
            meeting=MeetingFactory(number=80 + number, slug=f"o{number}"),
            person=PersonFactory(organisation=ilo),
        )
        ActionItemFactory(leads=[ilo])
    client.force_login(simel)
    # user, submissions, person with organisation, invitations, organisation meetings, led items
    # and their lead organisations (the session is read from the cache)
    with django_assert_num_queries(7):
        response = client.get("/me/")
    assert len(response.context["page"].invitations) == count


def test_me_lists_only_my_own_submissions(client, simel):
    from tests.factories.knowledgehub import make_submission

    make_submission(submitter=simel, state="draft", title="My draft on cooperatives")
    make_submission(title="Someone else's paper")
    client.force_login(simel)
    html = client.get("/me/").content.decode()
    assert "My draft on cooperatives" in html
    assert "Draft" in html
    assert "Someone else" not in html
