"""The plan and item pages ask the same number of queries whatever their size."""

import datetime

import pytest

from actionplan.models import ActionItemStatus
from actionplan.services import progress_update_post
from tests.factories import FocalPointFactory, OrganisationFactory, SecretariatUserFactory
from tests.factories.actionplan import (
    ActionItemFactory,
    ActionPlanFactory,
    HeldMeetingFactory,
    PriorityAreaFactory,
)

pytestmark = pytest.mark.django_db


def build_plan(items_per_area: int, updates_per_item: int):
    secretariat = SecretariatUserFactory()
    plan = ActionPlanFactory(slug="2022-2024", is_current=True)
    ActionPlanFactory(slug="2020", period_start=2020, period_end=2020)
    meeting = HeldMeetingFactory(day=datetime.date(2023, 7, 11))
    lead = OrganisationFactory(acronym="ILO")
    for number in (1, 2, None):
        area = PriorityAreaFactory(plan=plan, number=number)
        for order in range(1, items_per_area + 1):
            item = ActionItemFactory(
                area=area,
                order=order,
                leads=[lead, OrganisationFactory()],
                contributors=[OrganisationFactory()],
            )
            for day in range(1, updates_per_item + 1):
                progress_update_post(
                    item=item, by=secretariat, date=datetime.date(2023, 7, day), text="Done.",
                    status=ActionItemStatus.IN_PROGRESS, progress=10 * day,
                    source_meeting=meeting,
                )  # fmt: skip
    return plan, lead


@pytest.mark.parametrize("size", [1, 3])
def test_plan_page_queries(client, django_assert_num_queries, size):
    build_plan(items_per_area=size, updates_per_item=size)
    # plan, areas, lead choices, items, their leads, counts per area, other plans
    with django_assert_num_queries(7):
        response = client.get("/action-plan/2022-2024/")
    assert len(response.context["dashboard"].areas[0].items) == size


@pytest.mark.parametrize("size", [1, 3])
def test_filtered_plan_page_queries(client, django_assert_num_queries, size):
    build_plan(items_per_area=size, updates_per_item=1)
    # as above, plus the check that the chosen lead organisation exists
    with django_assert_num_queries(8):
        response = client.get("/action-plan/2022-2024/?lead=ilo&status=in_progress&area=1")
    assert len(response.context["dashboard"].areas[0].items) == size


@pytest.mark.parametrize("size", [1, 3])
def test_item_page_queries_for_a_visitor(client, django_assert_num_queries, size):
    build_plan(items_per_area=1, updates_per_item=size)
    # item with plan and area (and whether it has leads), then the part every reader shares:
    # leads, contributors, timeline with sources, agenda items
    with django_assert_num_queries(5):
        response = client.get("/action-plan/2022-2024/1.1/")
    assert len(response.context["shared_item"].timeline) == size


@pytest.mark.parametrize("size", [1, 3])
def test_item_page_queries_for_a_lead_focal_point(client, django_assert_num_queries, size):
    _plan, lead = build_plan(items_per_area=1, updates_per_item=size)
    client.force_login(FocalPointFactory(organisation=lead))
    # user, their standing (person with organisation), the item, the four queries of the
    # shared part (its leads among them: may they post?), the meetings offered as sources for
    # the form (the session is read from the cache)
    with django_assert_num_queries(8):
        response = client.get("/action-plan/2022-2024/1.1/")
    assert 'id="post-update"' in response.content.decode()
    # The page is kept for readers of this standing: only what decides and makes the reader's
    # own form is read (user, standing, the item, its leads, the meetings offered).
    with django_assert_num_queries(5):
        response = client.get("/action-plan/2022-2024/1.1/")
    assert 'id="post-update"' in response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_kept_item_page_queries_for_a_focal_point_of_another_organisation(
    client, django_assert_num_queries
):
    build_plan(items_per_area=1, updates_per_item=1)
    client.force_login(FocalPointFactory())
    client.get("/action-plan/2022-2024/1.1/")  # makes the copy kept for readers of this standing
    # user, their standing, whether their organisation leads the item (it does not)
    with django_assert_num_queries(3):
        html = client.get("/action-plan/2022-2024/1.1/").content.decode()
    assert 'id="post-update"' not in html
    assert "Post a progress update" not in html


@pytest.mark.parametrize("size", [1, 3])
def test_changes_page_queries(client, django_assert_num_queries, size):
    build_plan(items_per_area=size, updates_per_item=size)
    HeldMeetingFactory(slug="earlier", day=datetime.date(2023, 6, 1))
    # plan, the meeting looked up, the updates, the meeting choices of the two selects
    with django_assert_num_queries(5):
        response = client.get("/action-plan/2022-2024/changes/?since=earlier")
    assert len(response.context["updates"]) == 3 * size * size


@pytest.mark.parametrize("size", [1, 3])
def test_export_queries(client, django_assert_num_queries, size):
    build_plan(items_per_area=size, updates_per_item=size)
    with django_assert_num_queries(3):
        response = client.get("/action-plan/2022-2024/export.csv")
    assert response.content.decode().count("\r\n") == 1 + 3 * size
