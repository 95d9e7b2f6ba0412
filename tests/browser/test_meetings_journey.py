"""An affiliated focal point answers a meeting invitation in a real headless Chromium."""

import pytest
from playwright.sync_api import expect

from meetings.models import Invitation, InvitationResponse
from tests.browser_support import assert_no_axe_violations
from tests.factories import DEFAULT_PASSWORD, FocalPointFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    PastMeetingFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_affiliated_user_rsvps_and_sees_the_join_link(live_server, page):
    user = FocalPointFactory(email="focal@example.org", name="Amina Diallo")
    meeting = MeetingFactory(
        slug="45th-regular-meeting",
        title="45th Regular Meeting",
        join_url="https://meet.example.org/room-45",
    )
    AgendaItemFactory(meeting=meeting, title="Progress on the action plan")
    InvitationFactory(meeting=meeting, person=user.person)
    past = PastMeetingFactory(title="44th Regular Meeting", slug="44th-regular-meeting")
    AttendanceFactory(meeting=past, person=user.person)

    page.goto(f"{live_server.url}/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/meetings/45th-regular-meeting/")
    expect(page.get_by_role("link", name="Join the meeting online")).to_have_count(0)
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/accounts/login/?next=/meetings/45th-regular-meeting/")
    page.get_by_label("Email").fill("focal@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    join = page.get_by_role("link", name="Join the meeting online")
    expect(join).to_have_attribute("href", "https://meet.example.org/room-45")
    assert_no_axe_violations(page)

    page.get_by_label("I will attend").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you: your answer is recorded.")).to_be_visible()
    expect(page.locator("#rsvp")).to_contain_text("Your answer: Accepted")
    assert Invitation.objects.get().response == InvitationResponse.ACCEPTED

    page.get_by_label("Maybe (tentative)").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator("#rsvp")).to_contain_text("Your answer: Tentative")
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/meetings/44th-regular-meeting/")
    expect(page.locator(".attendance-sentence")).to_have_text(
        "1 participant from 1 member organisation"
    )
    assert_no_axe_violations(page)
