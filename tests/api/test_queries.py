"""Every API list answers in a fixed number of queries, whatever its number of rows: each is
asked with one and with three objects of its kind (with their relations) and must cost the
same literal count."""

import datetime

import pytest
from django.db import connection

from actionplan.services import progress_update_post
from knowledgehub.services import resource_withdraw
from members.models import Office, OrganisationKind
from tests.factories import OrganisationFactory, PersonFactory, RoleFactory, SecretariatUserFactory
from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory
from tests.factories.knowledgehub import CallForPapersFactory, ResourceFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory, PastMeetingFactory

pytestmark = pytest.mark.django_db


def make_rows(n: int) -> dict:
    """n of everything, each with its relations (people, attendance, leads, updates, ...)."""
    secretariat = SecretariatUserFactory()
    plan = ActionPlanFactory(slug="2022-2024", is_current=True)
    organisations = []
    for i in range(n):
        organisation = OrganisationFactory(
            acronym=f"ORG{i}", slug=f"org{i}", kind=OrganisationKind.MEMBER
        )
        organisations.append(organisation)
        person = PersonFactory(organisation=organisation, public_profile=True)
        RoleFactory(office=Office.COMMUNICATIONS, person=person, organisation=organisation)
        PastMeetingFactory(slug=f"past-{i}")
        meeting = MeetingFactory(slug=f"meeting-{i}")
        AttendanceFactory(meeting=meeting, person=person)
        ActionPlanFactory(slug=f"plan-{i}", period_start=2010 + i, period_end=2011 + i)
        item = ActionItemFactory(
            area=PriorityAreaFactory(plan=plan, number=i + 1), order=1, leads=[organisation]
        )
        progress_update_post(
            item=item,
            by=secretariat,
            date=datetime.date(2023, 1, 1 + i),
            text="Progress",
            status="in_progress",
            progress=10,
            reported_by=person,
        )
        ResourceFactory(
            title=f"Economy paper {i}",
            authors=["Ilcheong Yi", "Simel Esim"],
            organisations=[organisation],
            sdgs=[8, 10],
            themes=["Finance"],
        )
        withdrawn = ResourceFactory(title=f"Withdrawn economy paper {i}")
        resource_withdraw(resource=withdrawn, reason="Duplicate", by=secretariat)
        CallForPapersFactory(slug=f"call-{i}")
    return {"plan": plan}


# (path, queries) per list; {plan} is the plan with the items. Identical at both sizes.
EXPECTED_QUERIES = {
    "/api/v1/organisations/": 2,
    "/api/v1/organisations/?kind=member&membership=current": 2,
    "/api/v1/people/": 2,
    "/api/v1/offices/": 2,
    "/api/v1/meetings/": 3,
    "/api/v1/meetings/?when=upcoming": 3,
    "/api/v1/action-plans/": 3,
    "/api/v1/action-plans/{plan}/items/": 5,
    "/api/v1/action-plans/{plan}/items/?status=in_progress": 5,
    "/api/v1/action-plans/{plan}/updates/": 3,
    "/api/v1/resources/": 7,
    "/api/v1/resources/?kind=research_paper": 7,
    "/api/v1/resources/withdrawn/": 2,
    "/api/v1/calls/": 3,
}
# The zero-setup search counts each facet in a query of its own (knowledgehub/search/sqlite.py).
ON_SQLITE = {"/api/v1/resources/": 13, "/api/v1/resources/?kind=research_paper": 13}
# The search's figures: counted in the sample first, then (too few there) among every match.
POSTGRESQL_SEARCH = {"/api/v1/resources/?q=economy": 9}


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("path", sorted(EXPECTED_QUERIES))
def test_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, size, path):
    rows = make_rows(size)
    address = path.format(plan=rows["plan"].pk)
    expected = EXPECTED_QUERIES[path]
    if connection.vendor == "sqlite":
        expected = ON_SQLITE.get(path, expected)
    with django_assert_num_queries(expected):
        response = client.get(address)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= size


@pytest.mark.postgres
@pytest.mark.parametrize("size", [1, 3])
def test_full_text_search_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, size
):
    assert connection.vendor == "postgresql"
    make_rows(size)
    ((path, expected),) = POSTGRESQL_SEARCH.items()
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
    assert response.json()["count"] == size
