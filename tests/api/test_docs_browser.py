"""The API's documentation page in a real Chromium, under the portal's Content Security Policy:
no violation, and every operation of the description is listed."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIOLATIONS_SCRIPT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def test_docs_page_works_under_the_content_security_policy(live_server, page):
    call_command("load_seed_data", verbosity=0)
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(VIOLATIONS_SCRIPT)

    response = page.goto(f"{live_server.url}/api/v1/docs/")

    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/meetings/" in [path.strip() for path in paths]
    assert len(paths) == 16
    # One operation tried from the page: the answer comes back from the API.
    page.locator(".opblock-summary-path", has_text="/api/v1/calls/").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )
    assert page.evaluate("window.__violations") == []
    assert console_errors == []
