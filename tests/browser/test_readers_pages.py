"""What readers of issue #18 see, in a real Chromium: the plan's honest headline, a call that
tells an ineligible reader why and how, the waiting affiliation request, the reviewers page."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from knowledgehub.models import CallEligibility
from tests.browser_support import assert_no_axe_violations
from tests.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.knowledgehub import CallForPapersFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("READERS_SHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-menu summary")).to_be_visible()


@pytest.mark.parametrize(("prefix", "headline"), [
    ("", "Overall progress: 2 of 18 actions completed"),
    ("/fr", "Avancement global: Actions achevées : 2 sur 18"),
])  # fmt: skip
def test_plan_headline_counts_every_action(live_server, page, prefix, headline):
    call_command("load_seed_data", verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{prefix}/action-plan/")
    expect(page.locator("#overview-title + .progress .progress__value")).to_have_text(headline)
    assert_no_axe_violations(page)
    shot(page, f"plan{prefix.replace('/', '-')}")
    page.goto(f"{live_server.url}{prefix}/")
    shot(page, f"home{prefix.replace('/', '-')}")


def test_an_observer_is_told_how_to_answer_a_focal_points_call(live_server, page):
    CallForPapersFactory(slug="members", title="Members' papers",
                         eligibility=CallEligibility.AFFILIATED)  # fmt: skip
    OrganisationFactory(acronym="RIPESS", name="RIPESS network", kind="observer")
    UserFactory(email="ana@example.org", name="Ana Souza")
    sign_in(page, live_server, "ana@example.org")
    page.goto(f"{live_server.url}/knowledge-hub/calls/members/")
    expect(page.get_by_role("status")).to_contain_text("focal points of member and observer")
    assert_no_axe_violations(page)
    shot(page, "call-ineligible")
    page.get_by_role("link", name="ask to join your organisation").click()
    page.get_by_label("Organisation", exact=True).select_option(index=1)
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("p.message[role=status]").first).to_contain_text(
        "Your request to join RIPESS network (RIPESS), sent on"
    )
    expect(page.get_by_role("button", name="Send the request")).to_have_count(0)
    assert_no_axe_violations(page)
    shot(page, "affiliation-pending")
    page.goto(f"{live_server.url}/knowledge-hub/calls/members/")
    expect(page.get_by_role("status")).to_contain_text("is waiting for the secretariat")
    page.goto(f"{live_server.url}/knowledge-hub/submit/?call=members")
    expect(page.get_by_role("heading", name="The call “Members' papers”")).to_be_visible()
    assert_no_axe_violations(page)
    shot(page, "submit-refused-call")


def test_the_secretariat_makes_someone_a_reviewer(live_server, page):
    SecretariatUserFactory(email="desk@example.org", name="Desk")
    UserFactory(email="yi@example.org", name="Ilcheong Yi")
    sign_in(page, live_server, "desk@example.org")
    page.goto(f"{live_server.url}/knowledge-hub/reviewers/")
    page.get_by_label("E-mail address of the account").fill("yi@example.org")
    page.get_by_role("button", name="Make a reviewer").click()
    expect(page.get_by_role("status").first).to_contain_text("Ilcheong Yi is a reviewer")
    assert_no_axe_violations(page)
    shot(page, "reviewers")
    page.get_by_role("button", name="Withdraw the role (Ilcheong Yi)").click()
    expect(page.get_by_text("Nobody has the reviewer role yet.")).to_be_visible()
