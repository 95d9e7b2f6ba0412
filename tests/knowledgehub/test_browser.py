"""A visitor searches the Knowledge Hub and filters the results in a real headless Chromium."""

import datetime

import pytest
from playwright.sync_api import expect

from knowledgehub.models import ResourceKind
from members.models import DatePrecision
from tests.browser_support import assert_no_axe_violations
from tests.factories import OrganisationFactory
from tests.factories.knowledgehub import ResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resources():
    ilo = OrganisationFactory(acronym="ILO", slug="ilo", name="International Labour Organization")
    ResourceFactory(
        title="Cooperatives and decent work",
        kind=ResourceKind.REPORT,
        abstract="How cooperatives create decent jobs.",
        authors=["Simel Esim"],
        organisations=[ilo],
        sdgs=[8],
        published_on=datetime.date(2022, 3, 1),
        published_precision=DatePrecision.MONTH,
    )
    ResourceFactory(
        title="Housing cooperatives in cities",
        kind=ResourceKind.POLICY_BRIEF,
        sdgs=[11],
        published_on=datetime.date(2021, 1, 1),
    )
    ResourceFactory(title="Youth and the SSE", kind=ResourceKind.VIDEO)


def test_search_filter_and_open_a_resource(live_server, page, resources):
    page.goto(f"{live_server.url}/knowledge-hub/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge Hub")
    expect(page.locator("#results-title")).to_contain_text("3 resources")
    assert_no_axe_violations(page)

    page.get_by_label("Search titles, authors, abstracts and full texts").fill("cooperatives")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-title")).to_contain_text("2 resources")
    expect(page.get_by_label("Kind")).to_contain_text("Report (1)")

    page.get_by_label("Kind").select_option("report")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-title")).to_contain_text("1 resource")
    expect(page.get_by_role("link", name="Cooperatives and decent work")).to_be_visible()
    expect(page.get_by_role("link", name="Housing cooperatives in cities")).to_have_count(0)
    assert "q=cooperatives" in page.url and "kind=report" in page.url
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Cooperatives and decent work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cooperatives and decent work")
    expect(page.locator(".citation__apa")).to_contain_text("Esim, S. (2022, March).")
    assert_no_axe_violations(page)


def test_unknown_filters_show_an_accessible_message(live_server, page, resources):
    page.goto(f"{live_server.url}/knowledge-hub/?kind=novel")
    expect(page.get_by_role("alert")).to_contain_text("Some filters were not understood")
    assert_no_axe_violations(page)
