"""The home page and the secretariat's dashboard in the three languages, in a real Chromium,
with no accessibility violations."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser_support import assert_no_axe_violations
from tests.factories import DEFAULT_PASSWORD, SecretariatUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_HEADINGS = {
    "": "UN Inter-Agency Task Force on Social and Solidarity Economy",
    "/fr": "Équipe spéciale interinstitutions des Nations Unies sur l’économie sociale et solidaire",
    "/es": "Grupo de Trabajo Interinstitucional de las Naciones Unidas sobre Economía Social y Solidaria",
}
DASHBOARD_HEADINGS = {
    "": "Secretariat dashboard",
    "/fr": "Tableau de bord du secrétariat",
    "/es": "Panel de la secretaría",
}


@pytest.fixture
def seeded():
    call_command("load_seed_data", verbosity=0)


def test_home_page_in_three_languages(live_server, page, seeded):
    for prefix, heading in HOME_HEADINGS.items():
        page.goto(f"{live_server.url}{prefix}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("#home-plan")).to_be_visible()
        assert_no_axe_violations(page)


def test_dashboard_in_three_languages(live_server, page, seeded):
    SecretariatUserFactory(email="verze@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("verze@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    for prefix, heading in DASHBOARD_HEADINGS.items():
        page.goto(f"{live_server.url}{prefix}/secretariat/")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_axe_violations(page)
