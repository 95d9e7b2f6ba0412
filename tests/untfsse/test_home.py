"""The home page gathers every area; each block has an empty state and the page a query budget."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from members.models import OrganisationKind
from tests.factories import OrganisationFactory
from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory
from tests.factories.knowledgehub import CallForPapersFactory, ResourceFactory
from tests.factories.meetings import MeetingFactory, PastMeetingFactory

pytestmark = pytest.mark.django_db


def test_home_page_empty_states(client):
    html = client.get("/").content.decode()
    assert "No meeting is scheduled yet." in html
    assert "No meeting report has been published yet." in html
    assert "No action plan is current." in html
    assert "The Knowledge Hub has no published resource yet." in html
    assert "No call for papers is open at the moment." in html
    assert "0 member organisations in the directory" in html
    assert "0 observer organisations in the directory" in html


def fill(size: int) -> None:
    for number in range(size):
        OrganisationFactory(kind=OrganisationKind.MEMBER)
        OrganisationFactory(kind=OrganisationKind.OBSERVER)
        MeetingFactory(start=timezone.now() + datetime.timedelta(days=10 + number))
        PastMeetingFactory(
            start=timezone.now() - datetime.timedelta(days=40 + number), summary="A report"
        )
        ResourceFactory(title=f"Resource {number}")
    plan = ActionPlanFactory(slug="2022-2024", is_current=True)
    for _ in range(size):
        ActionItemFactory(area=PriorityAreaFactory(plan=plan), progress=40, status="in_progress")


@pytest.mark.parametrize("size", [1, 6])
def test_home_page_query_count_is_fixed(client, django_assert_num_queries, size):
    fill(size)
    cache.clear()
    # site text, organisation counts, next meetings, reports, plan, areas, status counts,
    # resources, open calls
    with django_assert_num_queries(9):
        response = client.get("/")
    assert len(response.context["home"].next_meetings) == min(size, 3)
    assert len(response.context["home"].latest_resources) == min(size, 4)


def test_home_page_shows_each_area(client):
    OrganisationFactory(acronym="ILO", kind=OrganisationKind.MEMBER)
    OrganisationFactory(
        acronym="OLD", kind=OrganisationKind.MEMBER, left_on=datetime.date(2020, 1, 1)
    )
    OrganisationFactory(acronym="RIPESS", kind=OrganisationKind.OBSERVER)
    MeetingFactory(title="45th Regular Meeting", slug="45th-regular-meeting", number=45)
    MeetingFactory(title="Cancelled Meeting", slug="cancelled", number=46, status="cancelled")
    PastMeetingFactory(
        title="44th Regular Meeting", slug="44th-regular-meeting", number=44, summary="We met."
    )
    ResourceFactory(
        title="Social and Solidarity Economy and the Challenge of Sustainable Development"
    )
    CallForPapersFactory(title="SSE and the SDGs", slug="sse-sdgs")
    CallForPapersFactory(
        title="Closed call",
        slug="closed",
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    plan = ActionPlanFactory(slug="2022-2024", title="Action Plan 2022-2024", is_current=True)
    area = PriorityAreaFactory(plan=plan, number=1, title="Mainstreaming the SSE")
    ActionItemFactory(area=area, progress=100, status="completed")
    ActionItemFactory(area=area, progress=0, status="not_started")

    html = client.get("/").content.decode()
    assert (
        '<a href="/members/?kind=member&amp;membership=current">1 member organisation in the directory</a>'
        in html
    )
    assert (
        '<a href="/members/?kind=observer&amp;membership=current">1 observer organisation in the directory</a>'
        in html
    )
    assert '<a href="/meetings/45th-regular-meeting/">45th Regular Meeting</a>' in html
    assert "Cancelled Meeting" not in html
    assert '<a href="/meetings/44th-regular-meeting/">44th Regular Meeting</a>' in html
    assert '<a href="/action-plan/2022-2024/">Action Plan 2022-2024</a>' in html
    # Progress over both actions, not the average of the one estimate (100%).
    assert (
        '<span class="visually-hidden">Overall progress: </span>1 of 2 actions completed</span>'
    ) in html
    assert "Overall progress: </span>100%" not in html
    assert "Average of the progress estimates: 100%, from the 1 action that has one." in html
    assert "Social and Solidarity Economy and the Challenge of Sustainable Development" in html
    assert '<a href="/knowledge-hub/calls/sse-sdgs/">SSE and the SDGs</a>' in html
    assert "Closed call" not in html


def test_home_page_is_cached_and_refreshed_when_a_meeting_changes(
    client, django_capture_on_commit_callbacks
):
    from meetings.services import meeting_cancel
    from tests.factories import SecretariatUserFactory

    meeting = MeetingFactory(title="45th Regular Meeting", slug="45th-regular-meeting", number=45)
    assert "45th Regular Meeting" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=SecretariatUserFactory())
    assert "45th Regular Meeting" not in client.get("/").content.decode()
