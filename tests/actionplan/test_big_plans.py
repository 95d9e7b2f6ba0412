"""A plan of many actions: its page lists each area's first actions and links to the area's
own list, which has them all a page at a time (actionplan.views.AREA_PREVIEW, AREA_PAGE_SIZE)."""

import re

import pytest

from actionplan import views
from actionplan.models import ActionItemStatus
from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory

pytestmark = pytest.mark.django_db

PLAN_URL = "/action-plan/big/"


@pytest.fixture
def big_plan(monkeypatch):
    """Area 1 with five actions (1.4 ongoing), area 2 with one; two shown per area on the
    plan's page, three a page on an area's own list."""
    monkeypatch.setattr(views, "AREA_PREVIEW", 2)
    monkeypatch.setattr(views, "AREA_PAGE_SIZE", 3)
    plan = ActionPlanFactory(slug="big", is_current=True)
    first = PriorityAreaFactory(plan=plan, number=1, order=1)
    second = PriorityAreaFactory(plan=plan, number=2, order=2)
    for order in range(1, 6):
        status = ActionItemStatus.ONGOING if order == 4 else ActionItemStatus.NOT_STARTED
        ActionItemFactory(area=first, order=order, code=f"1.{order}", status=status)
    ActionItemFactory(area=second, order=1, code="2.1")
    return plan


def rows(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>([^<]+)</td>", html)


def test_the_plan_lists_each_areas_first_actions_and_links_to_the_rest(client, big_plan):
    html = client.get(PLAN_URL).content.decode()
    assert rows(html) == ["1.1", "1.2", "2.1"]
    assert '<a href="?area=1">All 5 actions of Priority area 1</a>' in html
    assert "?area=2" not in html  # its one action is shown
    # The overall bar still counts every action.
    assert "0 of 6 actions completed" in html


def test_an_areas_own_list_has_every_action_a_page_at_a_time(client, big_plan):
    first = client.get(PLAN_URL, {"area": "1"}).content.decode()
    assert rows(first) == ["1.1", "1.2", "1.3"]
    assert "Page 1 of 2" in first
    assert '<a href="?area=1&amp;page=2" rel="next">' in first
    assert "All 5 actions" not in first
    second = client.get(PLAN_URL, {"area": "1", "page": "2"}).content.decode()
    assert rows(second) == ["1.4", "1.5"]
    assert "Page 2 of 2" in second
    assert '<a href="?area=1&amp;page=1" rel="prev">' in second
    beyond = client.get(PLAN_URL, {"area": "1", "page": "3"})
    assert beyond.status_code == 200
    assert "This list has no more actions" in beyond.content.decode()
    assert rows(beyond.content.decode()) == []


def test_the_link_to_an_areas_list_keeps_the_other_filters(client, big_plan):
    ActionItemFactory(area=big_plan.areas.get(number=1), order=6, code="1.6",
                      status=ActionItemStatus.ONGOING)  # fmt: skip
    ActionItemFactory(area=big_plan.areas.get(number=1), order=7, code="1.7",
                      status=ActionItemStatus.ONGOING)  # fmt: skip
    html = client.get(PLAN_URL, {"status": "ongoing"}).content.decode()
    assert rows(html) == ["1.4", "1.6"]
    assert "3 actions match these filters." in html
    assert '<a href="?status=ongoing&amp;area=1">All 3 actions of Priority area 1</a>' in html
    listed = client.get(PLAN_URL, {"status": "ongoing", "area": "1"}).content.decode()
    assert rows(listed) == ["1.4", "1.6", "1.7"]
    assert "Page 1 of 1" not in listed  # one page: no page links


@pytest.mark.parametrize(
    "query", [{"page": "2"}, {"area": "1", "page": "0"}, {"area": "1", "page": "two"}]
)
def test_a_page_that_cannot_exist_is_not_found(client, big_plan, query):
    response = client.get(PLAN_URL, query)
    assert response.status_code == 404
