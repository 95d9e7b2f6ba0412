"""Helpers for browser tests: accessibility checks with axe-core and page-level assertions."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()

# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one main heading, ...).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def axe_violations(page) -> list[dict]:
    """The axe-core violations of the page as it is now, each with its id and offending nodes."""
    results = _axe.run(page, options=AXE_OPTIONS)
    return results.response["violations"]


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    summary = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in violations
    ]
    assert summary == [], f"axe-core found violations on {page.url}"
