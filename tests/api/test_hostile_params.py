"""Hostile query strings on every API list (control characters, markup, huge numbers, very
long values, unknown names): never a 5xx, always a JSON answer."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import OrganisationFactory
from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory
from tests.factories.meetings import MeetingFactory
from tests.security.test_hostile_input import FUZZ, nasty_text

pytestmark = pytest.mark.django_db

API_LISTS = {
    "/api/v1/organisations/": ["q", "kind", "membership", "country", "page", "page_size"],
    "/api/v1/people/": ["organisation", "page", "page_size"],
    "/api/v1/offices/": ["office", "current", "page", "page_size"],
    "/api/v1/meetings/": ["kind", "year", "mode", "organisation", "when", "page", "page_size"],
    "/api/v1/action-plans/": ["page", "page_size"],
    "/api/v1/action-plans/{plan}/items/": ["status", "lead", "area", "page", "page_size"],
    "/api/v1/action-plans/{plan}/updates/": ["since", "page", "page_size"],
    "/api/v1/resources/": [
        "q",
        "kind",
        "sdg",
        "theme",
        "language",
        "year_from",
        "year_to",
        "organisation",
        "sort",
        "page",
        "page_size",
    ],
    "/api/v1/resources/withdrawn/": ["page", "page_size"],
    "/api/v1/calls/": ["page", "page_size"],
}


@pytest.mark.parametrize("path", sorted(API_LISTS))
def test_no_query_string_produces_a_server_error(settings, path):
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    plan = ActionPlanFactory(slug="2022-2024", is_current=True)
    ActionItemFactory(area=PriorityAreaFactory(plan=plan, number=1), order=1)
    OrganisationFactory(acronym="ILO")
    MeetingFactory(slug="next-meeting")
    client = Client(raise_request_exception=False)
    address = path.format(plan=plan.pk)

    @FUZZ
    @given(st.dictionaries(st.sampled_from(API_LISTS[path] + ["unknown"]), nasty_text, max_size=4))
    def check(params):
        response = client.get(address, params)
        assert response.status_code < 500, (path, params, response.status_code)
        assert response["Content-Type"] == "application/json", (path, params)

    check()
