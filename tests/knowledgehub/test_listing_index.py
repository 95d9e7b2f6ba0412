"""The Knowledge Hub listing reads its newest-first and oldest-first pages from an index on
PostgreSQL instead of sorting every resource (deterministic: sequential scans are switched off,
so the plan shows whether an index *can* give the order, whatever the table's size)."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from knowledgehub.search import search_resources
from tests.factories.knowledgehub import ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def listing_plan(query_string: str) -> str:
    ResourceFactory.create_batch(3, kind="report")
    ResourceFactory(published_on=None, published_precision="day")
    with CaptureQueriesContext(connection) as queries:
        list(search_resources(QueryDict(query_string)).page.object_list)
    (listing,) = [
        query["sql"]
        for query in queries.captured_queries
        if 'ORDER BY "knowledgehub_resource"."published_on"' in query["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {listing}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query_string", "index"),
    [
        ("", "Index Scan using resource_newest_dated_first"),
        ("sort=newest&kind=report", "Index Scan using resource_newest_dated_first"),
        ("sort=oldest", "Index Scan Backward using resource_newest "),
    ],
)
def test_listing_order_comes_from_an_index(query_string, index):
    plan = listing_plan(query_string)
    assert index in plan
    assert "Sort" not in plan
