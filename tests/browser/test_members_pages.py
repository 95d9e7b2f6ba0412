"""The members pages in a real Chromium: accessible, filterable without JavaScript."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser_support import assert_no_axe_violations
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    call_command("load_seed_data", verbosity=0)


def test_directory_filter_and_organisation_page(live_server, page, seeded):
    page.goto(f"{live_server.url}/members/")
    assert_no_axe_violations(page)
    expect(page.locator("#group-member")).to_have_text("Members (9)")
    expect(page.locator("#group-observer")).to_have_text("Observers (13)")

    page.get_by_label("Kind").select_option("observer")
    page.get_by_label("Name or acronym").fill("ripess")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#group-observer")).to_have_text("Observers (1)")
    page.get_by_role("link", name="RIPESS", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("RIPESS")
    expect(page.get_by_text("Hamish Jenkins")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/members/governance/")
    expect(page.get_by_text("Vic Van Vuuren")).to_be_visible()
    assert_no_axe_violations(page)


def test_affiliation_form_is_accessible(live_server, page, seeded):
    UserFactory(email="focal@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("focal@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/members/affiliation/")
    assert_no_axe_violations(page)
    page.get_by_label("Organisation", exact=True).select_option(label="RIPESS")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".message--success")).to_contain_text(
        "Your request has been sent to the secretariat."
    )
