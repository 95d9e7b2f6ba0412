"""A word that matches most of the repository: the newest matches are ranked, the filters still
reach every match, and the page says so."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from knowledgehub import search as search_module
from knowledgehub.models import ResourceKind
from knowledgehub.search import search_resources
from tests.factories.knowledgehub import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(monkeypatch):
    """Five resources about cooperatives, one per year 2019-2023, and a cap of three."""
    monkeypatch.setattr(search_module, "RANKED_MATCHES_CAP", 3)
    for year in range(2019, 2024):
        ResourceFactory(
            title=f"Cooperatives in {year}",
            kind=ResourceKind.REPORT if year < 2021 else ResourceKind.POLICY_BRIEF,
            published_on=datetime.date(year, 6, 1),
        )


def search(query_string: str):
    return search_resources(QueryDict(query_string))


def test_past_the_cap_only_the_newest_matches_are_ranked_and_counted(crowded):
    results = search("q=cooperatives&sort=newest")
    assert results.capped is True
    assert results.total == 3
    assert [r.title for r in results.page.object_list] == [
        "Cooperatives in 2023",
        "Cooperatives in 2022",
        "Cooperatives in 2021",
    ]
    assert [(v.value, v.count) for v in results.facets["kind"]] == [("policy_brief", 3)]


def test_filters_apply_to_every_match_before_the_cap(crowded):
    results = search("q=cooperatives&kind=report")
    assert results.capped is False
    assert sorted(r.title for r in results.page.object_list) == [
        "Cooperatives in 2019",
        "Cooperatives in 2020",
    ]


def test_at_the_cap_nothing_is_cut(crowded):
    results = search("q=cooperatives&year_from=2021")
    assert (results.capped, results.total) == (False, 3)


def test_browsing_without_a_query_is_never_capped(crowded):
    results = search("")
    assert (results.capped, results.total) == (False, 5)


def test_the_page_says_the_search_was_capped(client, crowded):
    html = client.get("/knowledge-hub/?q=cooperatives").content.decode()
    assert "More than 3 resources" in html
    assert "only the 3 most recent are ranked" in html
    html = client.get("/knowledge-hub/?q=cooperatives&kind=report").content.decode()
    assert "2 resources" in html
    assert "most recent are ranked" not in html


def test_a_repeated_search_reuses_its_figures_until_the_hub_changes(
    settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE = True
    ResourceFactory(title="Cooperatives in Kenya", published_on=datetime.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as first:
        assert search("q=cooperatives").total == 1
    with CaptureQueriesContext(connection) as second:
        repeated = search("q=cooperatives")
        assert [r.title for r in repeated.page.object_list] == ["Cooperatives in Kenya"]
    # Only the page of results itself is read again: no window, count or facet queries.
    assert (len(first) > 3, len(second)) == (True, 1)
    assert [(v.value, v.count) for v in repeated.facets["kind"]] == [("research_paper", 1)]

    with django_capture_on_commit_callbacks(execute=True):
        ResourceFactory(title="Cooperatives in Peru", published_on=datetime.date(2021, 1, 1))
    assert search("q=cooperatives").total == 2


def test_without_a_shared_cache_the_figures_are_always_fresh(settings):
    settings.PUBLIC_PAGE_CACHE = False
    ResourceFactory(title="Cooperatives in Kenya")
    assert search("q=cooperatives").total == 1
    ResourceFactory(title="Cooperatives in Peru")
    assert search("q=cooperatives").total == 2


def test_past_the_cap_a_filter_still_shows_its_other_values(monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_MATCHES_CAP", 2)
    ResourceFactory(
        title="Cooperatives brief",
        kind=ResourceKind.POLICY_BRIEF,
        published_on=datetime.date(2024, 1, 1),
    )
    for year in (2021, 2022, 2023):
        ResourceFactory(
            title=f"Cooperatives report {year}",
            kind=ResourceKind.REPORT,
            published_on=datetime.date(year, 1, 1),
        )
    results = search("q=cooperatives&kind=report")
    assert (results.capped, [r.title for r in results.page.object_list]) == (
        True,
        ["Cooperatives report 2023", "Cooperatives report 2022"],
    )
    # Counted among the newest matches of the query alone: the brief stays offered.
    kinds = {(v.value, v.count, v.selected) for v in results.facets["kind"]}
    assert kinds == {("policy_brief", 1, False), ("report", 1, True)}


@pytest.mark.postgres
def test_the_planner_settings_of_the_window_end_with_it():
    from django.db import transaction

    ResourceFactory(title="Cooperatives in Chile")
    with transaction.atomic():
        search("q=cooperatives")
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
