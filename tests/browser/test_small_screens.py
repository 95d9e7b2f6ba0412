"""Every main page on a phone, in a real Chromium: nothing scrolls sideways from 320 to 390 px,
lists are stacked rows rather than tables scrolling in their boxes, the header stays compact with
its navigation behind a disclosure that works without JavaScript, and axe finds nothing. In
English and in Spanish, whose words are the longest. At 1280 px the header is the wide one."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from knowledgehub.models import Resource, SubmissionState
from members.models import Organisation
from tests.browser_support import assert_no_axe_violations
from tests.factories import PersonFactory, SecretariatUserFactory
from tests.factories.knowledgehub import CallForPapersFactory, make_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_HEIGHT = 740
# The header may take at most a fifth of a phone's first screen.
HEADER_BUDGET = 0.2 * PHONE_HEIGHT

# Elements that scroll sideways inside the page (a table in a scrolling box, say); form fields
# scroll their own text and are left out.
SIDEWAYS_SCROLLERS = """() => [...document.querySelectorAll('body *')].filter((element) => {
    const overflow = getComputedStyle(element).overflowX;
    return (overflow === 'auto' || overflow === 'scroll')
        && !['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)
        && element.scrollWidth > element.clientWidth + 1;
}).map((element) => element.tagName.toLowerCase() + '.' + element.className)"""


@pytest.fixture
def reader():
    """A secretariat officer who is also ITCILO's focal point (ITCILO leads action 2.3) and has
    sent two papers, one to a call: every main page shows its fullest form to this reader."""
    call_command("load_seed_data", verbosity=0)
    user = SecretariatUserFactory(name="Valentina Verze-Castellanos", email="verze@example.org")
    PersonFactory(
        user=user,
        name=user.name,
        email=user.email,
        organisation=Organisation.objects.get(slug="itcilo"),
    )
    call = CallForPapersFactory(
        title="The social and solidarity economy and the localisation of the SDGs", slug="sdgs"
    )
    make_submission(submitter=user, call=call, title="Cooperatives in West Africa's cities")
    make_submission(
        submitter=user,
        state=SubmissionState.REVISIONS_REQUESTED,
        title="Interorganizational collaboration among social enterprises",
    )
    return user


def main_pages() -> dict[str, str]:
    resource = Resource.objects.order_by("pk").first()
    return {
        "home": reverse("home"),
        "directory": reverse("members:directory"),
        "organisation": reverse("members:organisation", args=["itcilo"]),
        "governance": reverse("members:governance"),
        "meetings": reverse("meetings:list"),
        "meeting": reverse("meetings:detail", args=["44th-regular-meeting"]),
        "plan": reverse("actionplan:current"),
        "item": reverse("actionplan:item", args=["2022-2024", "2.3"]),
        "Knowledge Hub": reverse("knowledgehub:search"),
        "resource": resource.get_absolute_url(),
        "calls": reverse("knowledgehub:calls"),
        "submit": reverse("knowledgehub:submit"),
        "my submissions": reverse("knowledgehub:my_submissions"),
        "me": reverse("me"),
        "dashboard": reverse("secretariat_dashboard"),
    }


def signed_in_page(browser, live_server, user, width):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": PHONE_HEIGHT})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_every_main_page_fits_a_phone(live_server, browser, reader, prefix):
    page = signed_in_page(browser, live_server, reader, 360)
    too_wide, scrolling_boxes, header_heights = {}, {}, {}
    for name, path in main_pages().items():
        response = page.goto(f"{live_server.url}{prefix}{path}")
        assert response.status == 200, name
        for width in (320, 390, 360):
            page.set_viewport_size({"width": width, "height": PHONE_HEIGHT})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide[f"{name} at {width}"] = scroll_width
            if scrollers := page.evaluate(SIDEWAYS_SCROLLERS):
                scrolling_boxes[f"{name} at {width}"] = scrollers
        header_heights[name] = page.locator(".site-header").bounding_box()["height"]
        assert_no_axe_violations(page)

    assert too_wide == {}
    assert scrolling_boxes == {}
    assert {name: h for name, h in header_heights.items() if h > HEADER_BUDGET} == {}
    page.context.close()


def test_plan_rows_show_status_and_progress_on_screen(live_server, browser, reader):
    page = signed_in_page(browser, live_server, reader, 360)
    page.goto(f"{live_server.url}/es/action-plan/")
    row = page.locator(".items-table tbody tr").filter(has_text="Support the process of the UN")
    status = row.locator("td[data-label='Estado']")
    progress = row.locator("td[data-label='Progreso']")
    expect(status).to_have_text("Completada")
    expect(progress).to_contain_text("100")
    for cell in (status, progress):
        box = cell.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360
    # The column's name is shown beside the value, from the cell's data-label.
    label = status.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Estado: "'
    page.context.close()


@pytest.mark.parametrize(
    ("prefix", "menu", "members"), [("", "Menu", "Members"), ("/es", "Menú", "Miembros")]
)
def test_phone_header_menu_opens_with_the_keyboard_without_javascript(
    live_server, browser, prefix, menu, members
):
    call_command("load_seed_data", verbosity=0)
    context = browser.new_context(
        viewport={"width": 360, "height": PHONE_HEIGHT}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/")
    header = page.get_by_role("banner")
    toggle = header.locator("summary.site-menu__toggle")
    expect(toggle).to_have_text(menu)
    expect(header.get_by_role("link", name=members)).to_be_hidden()
    assert header.bounding_box()["height"] <= HEADER_BUDGET

    # Tab past the skip link and the brand to the menu; Enter opens it.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(header.locator("details.site-menu")).to_have_attribute("open", "")
    expect(header.get_by_role("link", name=members)).to_be_visible()
    page.keyboard.press("Tab")
    expect(header.get_by_role("link", name=members)).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(header.get_by_role("link", name=members)).to_be_hidden()
    context.close()


def test_phone_header_menu_open_is_accessible(live_server, page):
    call_command("load_seed_data", verbosity=0)
    page.set_viewport_size({"width": 360, "height": PHONE_HEIGHT})
    page.goto(f"{live_server.url}/es/")
    page.locator("summary.site-menu__toggle").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Miembros")).to_be_visible()
    assert_no_axe_violations(page)


def test_wide_header_shows_the_navigation_without_the_menu_button(live_server, browser):
    call_command("load_seed_data", verbosity=0)
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    header = page.get_by_role("banner")
    expect(header.locator("summary.site-menu__toggle")).to_be_hidden()
    for label in ("Members", "Meetings", "Action plan", "Knowledge Hub", "Sign in"):
        expect(header.get_by_role("link", name=label, exact=True)).to_be_visible()
    assert header.bounding_box()["height"] == pytest.approx(135, abs=2)
    context.close()
