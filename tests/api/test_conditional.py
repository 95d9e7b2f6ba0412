"""ETag and Last-Modified, 304 answers, the content-version cache, CORS, the rate limit and
JSON errors."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from meetings.services import meeting_update
from tests.factories import FocalPointFactory, OrganisationFactory, SecretariatUserFactory
from tests.factories.meetings import MeetingFactory
from untfsse.deployment import redis_cache

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"


@pytest.fixture
def meeting():
    return MeetingFactory(slug="next-meeting", title="50th Regular Meeting", number=50)


def test_etag_answers_304_without_a_query_until_a_service_changes_the_content(
    client, meeting, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = client.get(MEETINGS)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    assert first["Cache-Control"] == "public, no-cache"
    with django_assert_num_queries(0):
        again = client.get(MEETINGS, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)

    meeting.title = "50th Regular Meeting (moved online)"
    with django_capture_on_commit_callbacks(execute=True):
        _update_title(meeting)

    changed = client.get(MEETINGS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["results"][0]["title"] == "50th Regular Meeting (moved online)"


def _update_title(meeting):
    """A change through the service the admin uses."""
    meeting_update(meeting=meeting, by=SecretariatUserFactory())


def test_last_modified_answers_304_and_moves_on_after_a_change(
    client, meeting, django_capture_on_commit_callbacks
):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        first = client.get(MEETINGS)
    last_modified = first["Last-Modified"]
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        unchanged = client.get(MEETINGS, HTTP_IF_MODIFIED_SINCE=last_modified)
        assert unchanged.status_code == 304
        meeting.title = "Renamed"
        with django_capture_on_commit_callbacks(execute=True):
            _update_title(meeting)
        changed = client.get(MEETINGS, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed["Last-Modified"] != last_modified
    assert changed.json()["results"][0]["title"] == "Renamed"


def test_a_stored_answer_is_served_from_the_cache(client, meeting, django_assert_num_queries):
    first = client.get(MEETINGS)
    with django_assert_num_queries(0):
        second = client.get(MEETINGS)
    assert (second.content, second["ETag"]) == (first.content, first["ETag"])


def test_signed_in_sessions_get_the_same_answer(client, meeting):
    anonymous = client.get(f"/api/v1/meetings/{meeting.pk}/")
    client.force_login(FocalPointFactory(organisation=OrganisationFactory(acronym="ILO")))
    signed_in = client.get(f"/api/v1/meetings/{meeting.pk}/")
    assert (signed_in.content, signed_in["ETag"]) == (anonymous.content, anonymous["ETag"])


def test_cors_is_open_for_reading_only(client, meeting):
    read = client.get(MEETINGS, HTTP_ORIGIN="https://www.unsse.org")
    assert read["Access-Control-Allow-Origin"] == "*"
    assert read["Access-Control-Expose-Headers"] == "ETag, Last-Modified, Retry-After"
    preflight = client.options(
        MEETINGS,
        HTTP_ORIGIN="https://www.unsse.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    refused = client.post(MEETINGS, HTTP_ORIGIN="https://www.unsse.org")
    assert refused.status_code == 405
    assert "Access-Control-Allow-Origin" not in refused
    assert refused.json() == {"status": 405, "detail": 'Method "POST" not allowed.'}
    # The portal's pages are not opened to other sites.
    assert "Access-Control-Allow-Origin" not in client.get(
        "/meetings/", HTTP_ORIGIN="https://x.org"
    )


def test_rate_limit_answers_429_in_json(client, meeting, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    statuses = [client.get(MEETINGS).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(MEETINGS)
    assert refused.json() == {
        "status": 429,
        "detail": refused.json()["detail"],
    }
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another client (address) is counted apart.
    assert client.get(MEETINGS, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_forged_forwarded_for_does_not_escape_the_rate_limit(client, meeting, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    statuses = [
        client.get(MEETINGS, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            "kind=summit",
            {"kind": ["Select a valid choice. summit is not one of the available choices."]},
        ),
        (
            "year=1850",
            {"year": ["Select a valid choice. 1850 is not one of the available choices."]},
        ),
        (
            "organisation=nobody",
            {
                "organisation": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        ),
        (
            "when=tomorrow",
            {"when": ["Select a valid choice. tomorrow is not one of the available choices."]},
        ),
        ("page=0", {"page": ["Give a whole number from 1."]}),
        ("kind=", {"kind": ["Give a value, or leave the parameter out."]}),
        ("kind=regular&kind=webinar", {"kind": ["Give this parameter once."]}),
        ("page_size=101", {"page_size": ["Give a whole number from 1 to 100."]}),
        ("page_size=ten", {"page_size": ["Give a whole number from 1 to 100."]}),
        (
            "colour=red",
            {
                "colour": [
                    "Unknown query parameter. Accepted here: kind, mode, organisation, page, page_size, when, year."
                ]
            },
        ),
    ],
)
def test_bad_parameters_are_400_with_json_messages(client, meeting, query, errors):
    response = client.get(f"{MEETINGS}?{query}")
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "detail": "Some query parameters are not valid: see errors.",
        "errors": errors,
    }


def test_missing_objects_and_addresses_are_json_404s(client, meeting):
    assert client.get(f"{MEETINGS}?page=2").json() == {"status": 404, "detail": "Invalid page."}
    assert client.get("/api/v1/meetings/999999/").json() == {
        "status": 404,
        "detail": "No meeting has this id.",
    }
    unknown = client.get("/api/v1/nothing-here/")
    assert (unknown.status_code, unknown.json()["status"]) == (404, 404)
    assert client.get("/api/v1/nothing-here", follow=True).json()["status"] == 404


def test_only_json_is_offered(client, meeting):
    response = client.get(MEETINGS, HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.json()["status"] == 406


def test_a_cache_outage_still_answers_with_validators(client, meeting, settings):
    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:9/1", timeout_seconds=0.2)}
    try:
        response = client.get(MEETINGS)
        assert response.status_code == 200
        assert response.json()["results"][0]["slug"] == "next-meeting"
        again = client.get(MEETINGS, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
    finally:
        del settings.CACHES


def test_an_address_with_a_line_break_is_a_json_404(client):
    response = client.get("/api/v1/action-plans/%0A/updates/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
