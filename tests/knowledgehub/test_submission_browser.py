"""The submission form without JavaScript: several authors, in order, and a draft kept after an
error; the calls page passes axe-core."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from knowledgehub.models import Submission
from tests.browser_support import assert_no_axe_violations
from tests.factories import UserFactory
from tests.factories.knowledgehub import CallForPapersFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _pdf_folder(settings, tmp_path):
    settings.KNOWLEDGE_HUB_FILES_ROOT = tmp_path / "knowledgehub-files"


def test_several_authors_without_javascript(live_server, browser):
    user = UserFactory(name="Laurence Kwark")
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto("/knowledge-hub/submit/")
    page.get_by_label("Title").fill("Housing cooperatives")
    for row, (name, affiliation, position) in enumerate(
        [("Laurence Kwark", "GSEF", "3"), ("Madani Coumare", "RAESS", "1"), ("Li Wei", "", "2")]
    ):
        page.locator(f"#id_authors-{row}-name").fill(name)
        page.locator(f"#id_authors-{row}-affiliation").fill(affiliation)
        page.locator(f"#id_authors-{row}-ORDER").fill(position)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Your changes are saved")
    submission = Submission.objects.get()
    assert [a.name for a in submission.authors.all()] == [
        "Madani Coumare",
        "Li Wei",
        "Laurence Kwark",
    ]
    # Saved rows come back in order, with three blank rows for more authors.
    expect(page.locator("#id_authors-0-name")).to_have_value("Madani Coumare")
    expect(page.locator("#id_authors-5-name")).to_have_value("")
    page.locator("#id_authors-3-name").fill("Ana Souza")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("alert")).to_contain_text("Some answers need your attention")
    expect(page.get_by_text("Upload the paper as a PDF.")).to_be_visible()
    expect(page.locator("#id_authors-3-name")).to_have_value("Ana Souza")
    assert submission.authors.count() == 4
    context.close()


def test_calls_pages_have_no_accessibility_violations(live_server, page):
    CallForPapersFactory(title="SSE and the informal economy", slug="informal")
    page.goto(f"{live_server.url}/knowledge-hub/calls/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="SSE and the informal economy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SSE and the informal economy")
    assert_no_axe_violations(page)
