"""A visitor signs up, confirms the e-mail, signs in, all in a real headless Chromium."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser_support import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signup_confirm_and_signin_in_the_browser(live_server, page):
    page.goto(f"{live_server.url}/")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Full name").fill("Laurence Kwark")
    page.get_by_label("Email").fill("laurence@example.org")
    page.get_by_label("Password", exact=True).fill("Global-SSE-forum-2024")
    page.get_by_label("Password (again)").fill("Global-SSE-forum-2024")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    confirm_url = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body
    ).group(1)
    page.goto(f"{live_server.url}{confirm_url}")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".account-menu summary")).to_have_text("Laurence Kwark")

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    assert_no_axe_violations(page)
    page.get_by_label("Email").fill("laurence@example.org")
    page.get_by_label("Password").fill("Global-SSE-forum-2024")
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-menu summary")).to_have_text("Laurence Kwark")
    assert page.url == f"{live_server.url}/"


def test_sign_in_page_has_no_accessibility_violations_in_french(live_server, page):
    page.goto(f"{live_server.url}/fr/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_no_axe_violations(page)


def test_pages_work_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong-password-1")
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    context.close()
