"""The action plan in a real Chromium: accessible, filterable, and a lead focal point posts."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Organisation
from tests.browser_support import assert_no_axe_violations
from tests.factories import DEFAULT_PASSWORD, FocalPointFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    call_command("load_seed_data", verbosity=0)


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-menu summary")).to_be_visible()


def test_plan_page_is_accessible_and_filters(live_server, page, seeded):
    page.goto(f"{live_server.url}/action-plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action Plan 2022-2024")
    expect(page.locator("section.area")).to_have_count(4)
    expect(page.locator(".items-table tbody tr")).to_have_count(18)
    expect(page.locator("#overview-title + .progress .progress__value")).to_have_text(
        "Overall progress: 2 of 18 actions completed"
    )
    assert_no_axe_violations(page)

    page.get_by_label("Status").select_option("completed")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".filter-result")).to_have_text("2 actions match these filters.")
    expect(page.locator(".items-table tbody tr")).to_have_count(2)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Support the process of the UN Resolution on SSE").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.1")
    expect(page.locator(".timeline")).to_contain_text("The UN General Assembly adopted")
    assert_no_axe_violations(page)

    page.goto(
        f"{live_server.url}/action-plan/2022-2024/changes/"
        "?since=third-technical-symposium&until=44th-regular-meeting"
    )
    expect(page.locator(".changes__item")).to_have_count(6)
    assert_no_axe_violations(page)


def test_lead_focal_point_posts_an_update(live_server, page, seeded):
    itcilo = Organisation.objects.get(slug="itcilo")
    FocalPointFactory(email="focal@itcilo.example.org", organisation=itcilo)
    sign_in(page, live_server, "focal@itcilo.example.org")

    page.goto(f"{live_server.url}/action-plan/2022-2024/2.3/")
    expect(page.get_by_role("heading", name="Post a progress update")).to_be_visible()
    assert_no_axe_violations(page)

    today = timezone.localdate().isoformat()
    form = page.locator("#post-update form")
    form.get_by_role("textbox", name="Date").fill(today)
    form.get_by_label("What happened").fill("The package is now online in French and Spanish.")
    form.get_by_label("Status").select_option("in_progress")
    form.get_by_label("Progress (%)").fill("60")
    form.get_by_label("Reported at meeting").select_option(
        label="44th Regular Meeting (July 11, 2023)"
    )
    page.get_by_role("button", name="Post the update").click()

    expect(page.locator(".message--success")).to_have_text(
        "Your update has been added to the timeline."
    )
    first = page.locator(".timeline__entry").first
    expect(first).to_contain_text("The package is now online in French and Spanish.")
    expect(first).to_contain_text("60% done")
    expect(page.locator(".facts .status")).to_have_text("In progress")
    assert_no_axe_violations(page)
