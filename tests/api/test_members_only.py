"""Nothing members-only in any API answer: every list and detail endpoint is walked (following
every API address the answers give, and every `next` page), anonymously and as a signed-in
focal point of a member (the API ignores who is signed in), and no marked secret appears."""

import json
import re

import pytest
from django.urls import URLPattern, get_resolver, resolve

from tests.api.conftest import PUBLIC, SECRETS

pytestmark = pytest.mark.django_db

API_ROOT = "http://testserver/api/v1/"
# Not JSON endpoints of records: the description, its documentation page, the JSON 404.
NOT_WALKED = {"api:schema", "api:docs", "api:not-found"}


def api_route_names() -> set[str]:
    resolver = next(
        pattern
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "namespace", None) == "api"
    )
    return {
        f"api:{pattern.name}"
        for pattern in resolver.url_patterns
        if isinstance(pattern, URLPattern)
    } - NOT_WALKED


def walk(client) -> dict[str, str]:
    """Every API address reachable from the index: {address: body}."""
    found: dict[str, str] = {}
    queue = [API_ROOT]
    while queue:
        address = queue.pop()
        if address in found:
            continue
        response = client.get(address)
        assert response.status_code in (200, 410), (address, response.status_code)
        body = response.content.decode()
        found[address] = body
        for link in re.findall(r'"(http://testserver/api/v1/[^"]*)"', body):
            if link not in found and "/schema/" not in link and "/docs/" not in link:
                queue.append(link)
    return found


def test_no_members_only_content_in_any_answer(client, api_world):
    plan_id, meeting_id = api_world.plan.pk, api_world.meeting.pk
    for signed_in in (None, api_world.member_fp, api_world.secretariat):
        client.logout()
        if signed_in is not None:
            client.force_login(signed_in)
        bodies = walk(client)
        # Lists the index does not name: reached through the plans' and meetings' addresses.
        for extra in (
            f"{API_ROOT}action-plans/{plan_id}/items/",
            f"{API_ROOT}action-plans/{plan_id}/updates/",
            f"{API_ROOT}meetings/{meeting_id}/",
        ):
            bodies.setdefault(extra, client.get(extra).content.decode())
        everything = "\n".join(bodies.values())
        leaked = sorted(name for name, text in SECRETS.items() if text in everything)
        assert leaked == [], f"members-only content in the API ({signed_in}): {leaked}"
        assert "@" not in everything.replace("@untfsse-portal", "")
        assert sorted(name for name, text in PUBLIC.items() if text not in everything) == []
        # Every endpoint of the API was walked.
        walked = {
            resolve(address.removeprefix("http://testserver").split("?")[0]).view_name
            for address in bodies
        }
        assert walked == api_route_names()


def test_meeting_answer_has_public_parts_only(client, api_world):
    body = client.get(f"/api/v1/meetings/{api_world.meeting.pk}/").json()
    assert [document["title"] for document in body["documents"]] == [PUBLIC["public document"]]
    assert body["minutes"] is None  # drafts are the secretariat's
    assert body["agenda"][0]["presenter"] is None  # no public profile
    assert body["agenda"][0]["presenter_organisation"]["acronym"] == "RIPESS"
    assert "join" not in json.dumps(body)


def test_withdrawn_resource_is_a_tombstone_with_nothing_else(client, api_world):
    withdrawn = api_world.withdrawn
    withdrawn.refresh_from_db()
    response = client.get(f"/api/v1/resources/{withdrawn.pk}/")
    assert response.status_code == 410
    assert response.json() == {
        "id": withdrawn.pk,
        "status": "withdrawn",
        "title": PUBLIC["withdrawn title"],
        "withdrawn_on": withdrawn.withdrawn_at.date().isoformat(),
        "withdrawal_reason": "Duplicate of another record",
        "url": f"http://testserver/knowledge-hub/{withdrawn.pk}-{withdrawn.slug}/",
    }
