"""Every public list, detail and search page asks the same number of queries on the bulk data
at two sizes (`generate_bulk_data` at scales 0.001 and 0.004: four times the organisations,
people, meetings, attendance, action items, updates and resources).

The apps' own query-count tests build a few rows with factories; these run the pages over the
varied data the generator makes (agendas with presenters, attendance in every capacity, items
with leads, contributors and many updates, resources with authors, SDGs, themes) and with the
filters the lists offer. The anonymous page cache is off, so that every request is rendered.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledgehub.models import Resource
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def public_pages() -> dict[str, str]:
    meeting = (
        Meeting.objects.filter(slug__startswith="bulk-", attendances__isnull=False)
        .order_by("slug")
        .first()
    )
    resource = Resource.objects.published().order_by("pk").first()
    # Filter values that match something at both sizes (a value outside the choices makes the
    # form invalid, and an invalid form lists nothing, with one query less).
    organised = (
        Meeting.objects.filter(slug__startswith="bulk-", organiser__kind__in=["member", "observer"])
        .exclude(mode="")
        .order_by("slug")
        .first()
    )
    meeting_filters = (
        f"kind={organised.kind}&year={organised.first_day.year}&mode={organised.mode}"
        f"&organisation={organised.organiser.slug}"
    )
    return {
        "home": "/",
        "members": "/members/",
        "members filtered": "/members/?kind=observer&q=bulk",
        "organisation": "/members/bulk00000/",
        "meetings": "/meetings/",
        "meetings filtered": f"/meetings/?{meeting_filters}",
        "meeting": f"/meetings/{meeting.slug}/",
        "plan": "/action-plan/bulk-2019-2023/",
        "plan filtered": "/action-plan/bulk-2019-2023/?status=in_progress&area=1&lead=bulk00000",
        "action item": "/action-plan/bulk-2019-2023/1.1/",
        "knowledge hub": "/knowledge-hub/",
        "knowledge hub filtered": "/knowledge-hub/?kind=report&sdg=8&language=en&year_from=2010",
        "knowledge hub search": "/knowledge-hub/?q=cooperatives",
        "knowledge hub search filtered": "/knowledge-hub/?q=social+economy&sdg=8&sort=newest",
        "resource": resource.get_absolute_url(),
    }


@pytest.mark.parametrize("scale", [0.001, 0.004])
def test_public_pages_ask_as_many_queries_at_both_sizes(client, settings, scale):
    settings.PUBLIC_PAGE_CACHE = False
    call_command("generate_bulk_data", scale=scale, stdout=StringIO())
    counts = {}
    for name, url in public_pages().items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    # The Knowledge Hub's search (knowledgehub/search/): on PostgreSQL the narrow search table,
    # total and facets in one statement, the page with its snippets in another; a query adds
    # its stemming and the count in the sample (too few matches there at these sizes to
    # estimate from: the full count follows). On SQLite each facet counted on its own.
    postgresql = connection.vendor == "postgresql"
    hub, hub_search = (3, 5) if postgresql else (9, 9)
    assert counts == {
        "home": 7,
        "members": 2,
        "members filtered": 2,
        "organisation": 6,
        "meetings": 4,
        "meetings filtered": 7,
        "meeting": 8,
        "plan": 7,
        "plan filtered": 8,
        "action item": 5,
        "knowledge hub": hub,
        "knowledge hub filtered": hub,
        "knowledge hub search": hub_search,
        "knowledge hub search filtered": hub_search,
        "resource": 5,
    }
