"""The secretariat's desk in a real Chromium: switched to French from the admin header, the
index, a meeting's page and its attendance screen fit the window from 1024 to 1920 px with the
navigation sidebar open or closed, the header's parts do not overlap; then the cycle's steps
are walked from the meeting's page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Attendance, MinutesStatus
from tests.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
)
from tests.factories.meetings import (
    AgendaItemFactory,
    InvitationFactory,
    MinutesFactory,
    PastMeetingFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1024, 1280, 1920]


def _overlap(first: dict, second: dict) -> bool:
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


def _assert_fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    branding = page.locator("#branding").bounding_box()
    tools = page.locator("#user-tools").bounding_box()
    assert not _overlap(branding, tools), page.url


def test_desk_in_french_fits_from_1024_to_1920_and_walks_the_cycle(live_server, page):
    secretariat = SecretariatUserFactory(
        name="Valentina Verze-Longname de la Secrétariat", email="verze@unsse.org"
    )
    meeting = PastMeetingFactory(title="Quarante-cinquième réunion ordinaire de l'Équipe spéciale")
    AgendaItemFactory(meeting=meeting, notes="Des notes assez longues " * 20)
    person = PersonFactory(name="Ana Accepte", organisation=OrganisationFactory(kind="observer"))
    InvitationFactory(
        meeting=meeting, person=person, response="accepted", responded_at=timezone.now()
    )
    MinutesFactory(meeting=meeting, body="Ce qui a été dit.")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(secretariat.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-menu summary")).to_be_visible()

    page.goto(f"{live_server.url}/admin/")
    page.locator(".desk-languages button[value=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#site-name")).to_have_text("UNTFSSE Portal")
    expect(page.get_by_role("heading", name="Ce qu’il reste à faire")).to_be_visible()

    change = f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/"
    sheet = f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/attendance/"
    for sidebar_open in (True, False):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for url in (f"{live_server.url}/admin/", change, sheet):
                page.goto(url)
                toggle = page.locator("#toggle-nav-sidebar")
                if toggle.count():
                    is_open = page.locator("#nav-sidebar").is_visible()
                    if is_open != sidebar_open:
                        toggle.click()
                _assert_fits(page, width)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(change)
    page.get_by_role("link", name="Consigner les présences à partir des invitations").click()
    expect(page.locator("select[name='line-0-status']")).to_have_value("present")
    page.get_by_role("button", name="Consigner les présences").click()
    expect(page.locator(".messagelist")).to_contain_text("Présence consignée pour 1 personne.")
    assert list(Attendance.objects.values_list("person__name", "capacity", "status")) == [
        ("Ana Accepte", "observer", "present")
    ]

    page.get_by_role("link", name="Diffuser le procès-verbal").click()
    expect(page.get_by_text("Diffuser le projet de procès-verbal ?")).to_be_visible()
    page.get_by_role("button", name="Oui, continuer").click()
    expect(page.locator(".messagelist")).to_contain_text("Le procès-verbal a été diffusé")
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.status == MinutesStatus.CIRCULATED
