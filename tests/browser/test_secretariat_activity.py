"""The secretariat's activity page in a real Chromium, on a 360 px wide phone: nothing wider
than the screen, filters usable, accessible."""

import pytest
from playwright.sync_api import expect

from meetings.services import meeting_cancel
from tests.browser_support import assert_no_axe_violations
from tests.factories import DEFAULT_PASSWORD, SecretariatUserFactory
from tests.factories.meetings import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_activity_reads_at_360_pixels(live_server, page):
    secretariat = SecretariatUserFactory(
        name="Sara Secretariat with a rather long name", email="sara.secretariat@unsse.org"
    )
    meeting_cancel(
        meeting=MeetingFactory(title="Forty-fifth Regular Meeting of the Task Force in Geneva"),
        by=secretariat,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(secretariat.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-menu summary")).to_be_visible()
    # On a phone the account menu sits behind the header's "Menu" disclosure.
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/secretariat/")
    page.get_by_role("link", name="Activity: who changed what").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity")
    expect(page.locator(".activity-entry")).to_have_count(1)
    expect(page.locator(".activity-entry")).to_contain_text("Meeting cancelled")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)

    page.get_by_label("Area").select_option("knowledgehub")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".activity-entry")).to_have_count(0)
    expect(page.get_by_text("Nothing recorded matches these filters.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
