"""What each endpoint answers, value by value, for the small portal of conftest.py."""

import pytest

from meetings.models import Meeting
from tests.api.conftest import PUBLIC

pytestmark = pytest.mark.django_db

ROOT = "http://testserver"


def ref(organisation) -> dict:
    return {
        "id": organisation.pk,
        "slug": organisation.slug,
        "acronym": organisation.acronym,
        "name": organisation.name,
        "url": f"{ROOT}/members/{organisation.slug}/",
    }


def test_index_names_every_list(client, api_world):
    assert client.get("/api/v1/").json() == {
        "organisations": f"{ROOT}/api/v1/organisations/",
        "people": f"{ROOT}/api/v1/people/",
        "offices": f"{ROOT}/api/v1/offices/",
        "meetings": f"{ROOT}/api/v1/meetings/",
        "action_plans": f"{ROOT}/api/v1/action-plans/",
        "resources": f"{ROOT}/api/v1/resources/",
        "withdrawn_resources": f"{ROOT}/api/v1/resources/withdrawn/",
        "calls": f"{ROOT}/api/v1/calls/",
        "schema": f"{ROOT}/api/v1/schema/",
        "docs": f"{ROOT}/api/v1/docs/",
    }


def test_organisation_detail_has_public_people_and_offices(client, api_world):
    ilo = api_world.ilo
    public_people = ilo.people.filter(public_profile=True).order_by("name")
    body = client.get(f"/api/v1/organisations/{ilo.pk}/").json()
    offices = body.pop("offices")
    assert body == {
        **ref(ilo),
        "kind": "member",
        "country": ilo.country.code or "",
        "website": ilo.website,
        "description": ilo.description,
        "joined_year": ilo.joined_on.year if ilo.joined_on else None,
        "left_year": None,
        "is_current": True,
        "api_url": f"{ROOT}/api/v1/organisations/{ilo.pk}/",
        "people": [
            {"id": p.pk, "name": p.name, "honorific": p.honorific, "position": p.position}
            for p in public_people
        ],
    }
    assert "Pat Public" in [person["name"] for person in body["people"]]
    assert [(o["office"], o["person"]["name"], o["is_current"]) for o in offices] == [
        ("chair", "Pat Public", True)
    ]


def test_offices_hide_holders_without_a_public_profile(client, api_world):
    results = client.get("/api/v1/offices/").json()["results"]
    assert [(o["office"], o["person"], o["organisation"]["acronym"]) for o in results] == [
        ("chair", results[0]["person"], "ILO"),
        ("vice_chair", None, "RIPESS"),
    ]
    assert results[0]["person"]["name"] == "Pat Public"
    assert results[1]["url"] == f"{ROOT}/members/governance/"
    current = client.get("/api/v1/offices/?current=false").json()
    assert current["count"] == 0


def test_people_are_only_public_profiles(client, api_world):
    body = client.get("/api/v1/people/?organisation=ripess").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
    people = client.get("/api/v1/people/?organisation=ilo").json()["results"]
    assert {"Pat Public"} <= {person["name"] for person in people}
    assert all(
        set(person) == {"id", "name", "honorific", "position", "organisation", "url"}
        for person in people
    )


def test_meeting_participation_and_public_minutes(client, api_world):
    meeting = api_world.past_meeting
    body = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body["reported_participants"] is None
    assert body["participation"] == {
        "participants": 2,
        "named_participants": 2,
        "member_organisations": 1,
        "observer_organisations": 1,
        "is_minimum": False,
    }
    assert body["attending_organisations"] == [
        {
            "group": "members",
            "organisation": ref(api_world.ilo),
            "participants": 1,
            "people": ["Pat Public"],
        },
        {
            "group": "observers",
            "organisation": ref(api_world.ripess),
            "participants": 1,
            "people": [],
        },
    ]
    assert body["minutes"]["body"] == PUBLIC["public minutes"]
    assert body["minutes"]["body_html"] == f"<p>{PUBLIC['public minutes']}</p>"
    assert body["minutes"]["approved_at_meeting"]["slug"] == "recent-meeting"
    assert body["url"] == f"{ROOT}/meetings/past-meeting/"
    assert body["schedule"]["precision"] == "time"
    assert body["schedule"]["time_zone"] == "Europe/Zurich"
    assert body["schedule"]["start"] == meeting.local_start.isoformat()


def test_meetings_upcoming_and_filters(client, api_world):
    upcoming = client.get("/api/v1/meetings/?when=upcoming").json()
    assert [m["slug"] for m in upcoming["results"]] == ["next-meeting"]
    every = client.get("/api/v1/meetings/").json()
    assert [m["slug"] for m in every["results"]] == [
        "next-meeting",
        "recent-meeting",
        "past-meeting",
        "older-meeting",
    ]
    attended = client.get("/api/v1/meetings/?organisation=ripess").json()
    assert [m["slug"] for m in attended["results"]] == ["past-meeting"]
    paged = client.get("/api/v1/meetings/?page_size=3").json()
    assert paged["next"] == f"{ROOT}/api/v1/meetings/?page=2&page_size=3"
    assert [m["slug"] for m in client.get(paged["next"]).json()["results"]] == ["older-meeting"]


def test_plan_progress_items_and_updates(client, api_world):
    plan, item = api_world.plan, api_world.item
    plans = client.get("/api/v1/action-plans/").json()["results"]
    assert plans[0]["progress"] == {
        "items": 1,
        "by_status": {"in_progress": 1},
        "average_progress": 20,
        "estimated_items": 1,
        "unestimated_items": 0,
    }
    detail = client.get(f"/api/v1/action-plans/{plan.pk}/").json()
    assert [(a["key"], [i["code"] for i in a["items"]]) for a in detail["areas"]] == [
        ("1", ["1.1"])
    ]
    items = client.get(f"/api/v1/action-plans/{plan.pk}/items/?lead=ilo&area=1").json()
    assert [(i["code"], i["status"], i["progress"]) for i in items["results"]] == [
        ("1.1", "in_progress", 20)
    ]
    assert client.get(f"/api/v1/action-plans/{plan.pk}/items/?area=7").status_code == 400
    updates = client.get(f"/api/v1/action-plans/{plan.pk}/updates/?since=2023-07-01").json()
    (update,) = updates["results"]
    # The reporter has no public profile: the page names their organisation.
    assert (update["date"], update["reported_by"], update["item"]["code"]) == (
        "2023-07-11",
        "RIPESS",
        "1.1",
    )
    detail = client.get(f"/api/v1/action-items/{item.pk}/").json()
    assert detail["plan"] == {"id": plan.pk, "slug": "2022-2024", "title": plan.title}
    assert detail["url"] == f"{ROOT}/action-plan/2022-2024/1.1/"
    assert [u["text"] for u in detail["updates"]] == ["Work began."]


def test_resources_search_filters_and_facets(client, api_world):
    resource = api_world.resource
    body = client.get("/api/v1/resources/?sdg=8").json()
    assert body["count"] == 1
    (found,) = body["results"]
    assert found["id"] == resource.pk
    assert found["authors"] == ["Ilcheong Yi"]
    assert found["sdgs"] == [{"number": 8, "name": "Decent work and economic growth"}]
    assert found["themes"] == [{"slug": "public-policies", "name": "Public policies"}]
    assert found["url"] == f"{ROOT}/knowledge-hub/{resource.pk}-{resource.slug}/"
    assert found["published"] == "2022"
    assert body["facets"]["sdg"] == [
        {
            "value": "8",
            "label": "SDG 8: Decent work and economic growth",
            "count": 1,
            "selected": True,
            "exact": True,
        }
    ]
    assert client.get("/api/v1/resources/?sdg=18").status_code == 400
    assert client.get("/api/v1/resources/?q=Social economy").json()["count"] == 1


def test_calls_say_whether_they_are_open(client, api_world):
    (call,) = client.get("/api/v1/calls/").json()["results"]
    assert (call["slug"], call["state"], call["eligibility"]) == (
        "sse-and-sdgs",
        "open",
        "verified",
    )
    assert call["url"] == f"{ROOT}/knowledge-hub/calls/sse-and-sdgs/"
    assert call["description_html"] == "<p>Papers on the social and solidarity economy.</p>"


def test_a_meetings_reported_participants_in_the_list_and_the_detail(client, api_world):
    """The figure a report gives ("about 30 participants"), as the meeting page's headline."""
    meeting = api_world.past_meeting
    Meeting.objects.filter(pk=meeting.pk).update(reported_participants=30)
    detail = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert (detail["reported_participants"], detail["participation"]["participants"]) == (30, 2)
    listed = {row["id"]: row for row in client.get("/api/v1/meetings/").json()["results"]}
    assert listed[meeting.pk]["reported_participants"] == 30
    assert {row["reported_participants"] for key, row in listed.items() if key != meeting.pk} == {
        None
    }
