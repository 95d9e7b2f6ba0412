"""The search's PostgreSQL side: stemming per resource language, the narrow search table kept
in step with the resources, and the indexes that answer it."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from knowledgehub.models import Resource, ResourceKind
from knowledgehub.search import highlighted, postgresql, search_resources
from knowledgehub.services import resource_update, resource_withdraw
from members.actors import SYSTEM
from members.models import DatePrecision
from tests.factories import OrganisationFactory
from tests.factories.knowledgehub import ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def titles(query_string: str) -> list[str]:
    results = search_resources(QueryDict(query_string))
    return [resource.title for resource in results.page.object_list]


def search_row(resource) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT config::text, kind, language, year, sdgs, themes, organisations"
            " FROM knowledgehub_resource_search WHERE resource_id = %s",
            [resource.pk],
        )
        return cursor.fetchone()


def test_the_query_is_stemmed_once_per_language_configuration():
    query = postgresql.Query("cooperatives")
    assert query.groups == [
        ("english", "'cooper'"),
        ("french", "'cooper'"),
        ("german", "'cooperativ'"),
        ("italian", "'cooperatives'"),
        ("portuguese", "'cooperativ'"),
        ("russian", "'cooper'"),
        ("simple", "'cooperatives'"),
        ("spanish", "'cooperativ'"),
    ]
    sql, params = query.match()
    assert sql.count("config = %s::regconfig AND document @@ %s::tsquery") == 8
    assert params[:4] == ["english", "'cooper'", "french", "'cooper'"]
    # English drops its stop words (so does Russian, whose dictionary for Latin words is
    # English): nothing is left to look for among those resources.
    assert [config for config, _ in postgresql.Query("the").groups] == [
        "french", "german", "italian", "portuguese", "simple", "spanish"
    ]  # fmt: skip


def test_a_resource_is_matched_by_the_query_stemmed_in_its_own_language():
    ResourceFactory(title="Cooperatives", language="en")
    ResourceFactory(title="Sobre cooperativas", abstract="cooperatives", language="other")
    # English stems "cooperative" and "cooperatives" alike; a resource in a language without a
    # stemmer is matched word for word.
    assert titles("q=cooperative") == ["Cooperatives"]
    assert sorted(titles("q=cooperatives")) == ["Cooperatives", "Sobre cooperativas"]
    # Spanish stems "cooperativas" as "cooperativ": not the English resource's "cooper".
    ResourceFactory(title="Cooperativas de vivienda", language="es")
    assert titles("q=cooperativa") == ["Cooperativas de vivienda"]


def test_the_search_row_follows_the_resource_its_links_and_its_status():
    ilo = OrganisationFactory(acronym="ILO", slug="ilo")
    resource = ResourceFactory(
        title="Decent work",
        kind=ResourceKind.REPORT,
        language="fr",
        sdgs=[8, 1],
        themes=["Finance"],
        published_on=datetime.date(2021, 5, 1),
    )
    theme_id = resource.themes.get().pk
    assert search_row(resource) == ("french", "report", "fr", 2021, [1, 8], [theme_id], [])
    resource_update(resource=resource, organisations=[ilo], sdgs=[5], by=SYSTEM)
    assert search_row(resource)[4:] == ([5], [theme_id], [ilo.pk])
    resource_withdraw(resource=resource, reason="Duplicate", by=SYSTEM)
    assert search_row(resource) is None
    other = ResourceFactory(title="Another")
    assert search_row(other) is not None
    Resource.objects.filter(pk=other.pk).delete()
    assert search_row(other) is None


def plan(sql: str, params: list, *, bitmaps: bool = True) -> str:
    """The plan PostgreSQL would choose at scale (at a test's size it would read the table)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledgehub_resource_search")
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not bitmaps:  # can an index give the order?
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def reports_on_housing(one_in: int) -> None:
    """2,000 dated reports made at once, one in `one_in` on housing, the rest on trade, with
    their search rows (as at scale, for the planner)."""
    Resource.objects.bulk_create(
        Resource(
            kind=ResourceKind.REPORT,
            title=f"Report {number} on {'housing' if number % one_in == 0 else 'trade'}",
            slug=f"report-{number}",
            published_on=datetime.date(2000 + number % 24, 1, 1),
            published_precision=DatePrecision.YEAR,
        )
        for number in range(2000)
    )
    from knowledgehub.services import resources_refresh_search_vectors

    resources_refresh_search_vectors()


def test_matches_and_their_order_come_from_each_languages_rum_index():
    reports_on_housing(one_in=100)
    query = postgresql.Query("housing")
    match, params = query.match()
    found = plan(f"SELECT resource_id FROM knowledgehub_resource_search WHERE {match}", params)
    # Each stemming is answered by its own language's index alone: no row is tested again.
    for config in ("english", "french", "simple", "spanish"):
        assert f"Bitmap Index Scan on resource_search_{config}" in found, found
    assert "Filter" not in found and "Seq Scan" not in found, found
    assert search_resources(QueryDict("q=housing")).total == 20
    ranked = plan(
        "SELECT resource_id FROM knowledgehub_resource_search WHERE config = 'english'::regconfig"
        " AND document @@ %s::tsquery ORDER BY document <=> %s::tsquery LIMIT 20",
        ["'hous'", "'hous'"],
        bitmaps=False,
    )
    assert "Index Scan using resource_search_english" in ranked, ranked
    assert "Order By: (document <=> '''hous'''::tsquery)" in ranked, ranked
    assert "Sort" not in ranked, ranked

    newest = plan(
        "SELECT resource_id FROM knowledgehub_resource_search"
        " ORDER BY published_on DESC NULLS LAST, resource_id DESC LIMIT 20",
        [],
    )
    assert "Scan using resource_search_newest" in newest and "Sort" not in newest, newest
    oldest = plan(
        "SELECT resource_id FROM knowledgehub_resource_search"
        " ORDER BY published_on ASC NULLS LAST, resource_id ASC LIMIT 20",
        [],
    )
    assert "Scan using resource_search_oldest" in oldest and "Sort" not in oldest, oldest


def test_a_missing_rum_extension_is_reported_at_start_and_in_healthz(client, settings):
    from knowledgehub import checks

    settings.REDIS_URL = ""
    assert checks.rum_available() == []
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    with connection.cursor() as cursor:
        # As on a server without the package: the extension is neither installed nor available.
        cursor.execute("DROP EXTENSION rum CASCADE")
        cursor.execute(
            "CREATE TEMPORARY VIEW pg_available_extensions AS"
            " SELECT * FROM pg_catalog.pg_available_extensions WHERE name <> 'rum'"
        )
    (error,) = checks.rum_available()
    assert (error.id, error.msg) == ("knowledgehub.E001", checks.MISSING)
    assert "postgresql-<major version>-rum" in error.hint
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "search_extension": "missing: the PostgreSQL extension rum (install postgresql-<major>-rum)",
    }


@pytest.mark.parametrize(("exact_up_to", "sample_size"), [(6, 6), (2, 2), (4, 2)])
def test_the_total_is_exact_and_the_facets_past_the_limit_are_counted_on_an_even_sample(
    monkeypatch, exact_up_to, sample_size
):
    """Up to EXACT_COUNTS_UP_TO matches every facet is counted exactly; past it, among every
    n-th resource (n = matches / SAMPLE_SIZE, rounded up), scaled up and flagged as estimated.
    The total, narrowed by the filters, is always exact, and so is the chosen value's count."""
    monkeypatch.setattr(postgresql, "EXACT_COUNTS_UP_TO", exact_up_to)
    monkeypatch.setattr(postgresql, "SAMPLE_SIZE", sample_size)
    kinds = [ResourceKind.REPORT] * 4 + [ResourceKind.POLICY_BRIEF] * 2
    resources = [
        ResourceFactory(title=f"Housing {number}", kind=kind) for number, kind in enumerate(kinds)
    ]
    results = search_resources(QueryDict("q=housing&kind=report"))
    assert results.total == 4
    every = 1 if len(resources) <= exact_up_to else -(-len(resources) // sample_size)
    assert every == {(6, 6): 1, (2, 2): 3, (4, 2): 3}[exact_up_to, sample_size]
    assert results.facets_estimated is (every > 1)
    expected: dict[str, int] = {}
    for resource in resources:
        if resource.pk % every == 0:
            expected[resource.kind] = expected.get(resource.kind, 0) + every
    expected[ResourceKind.REPORT] = 4  # the chosen kind's count: the (exact) total itself
    assert {value.value: value.count for value in results.facets["kind"] if value.count} == expected
    if every == 1:
        assert expected == {"report": 4, "policy_brief": 2}


def test_past_enough_matches_in_the_sample_the_figures_are_estimated_and_said_to_be(
    client, monkeypatch
):
    """When the matches kept by the filters number ESTIMATED_FROM or more among the sample (the
    resources whose id is a multiple of 16), the total and every facet are that sample's counts
    scaled up, flagged, and the page and the API say "about"; below it, they are counted on
    every match, exactly. (The coarser sample comes first: see the next test.)"""
    monkeypatch.setattr(postgresql, "ESTIMATED_FROM", 2)
    monkeypatch.setattr(postgresql, "SAMPLE_MODULI", (16,))
    # One report in three: 48 ids in a row hold three multiples of 16, one of them a report.
    resources = [
        ResourceFactory(
            title=f"Housing {n}",
            kind=ResourceKind.REPORT if n % 3 == 0 else ResourceKind.POLICY_BRIEF,
        )
        for n in range(48)
    ]
    sampled = [resource for resource in resources if resource.pk % 16 == 0]
    assert len(sampled) == 3
    assert [resource.kind for resource in sampled].count(ResourceKind.REPORT) == 1
    expected_kinds: dict[str, int] = {}
    for resource in sampled:
        expected_kinds[resource.kind] = expected_kinds.get(resource.kind, 0) + 16

    results = search_resources(QueryDict("q=housing"))
    assert (results.total, results.total_estimated, results.facets_estimated) == (48, True, True)
    assert {value.value: value.count for value in results.facets["kind"]} == expected_kinds
    assert [value.count for value in results.facets["year"]] == [48]

    html = client.get("/knowledge-hub/?q=housing").content.decode()
    assert "About 48 resources" in html and "Page 1 of about 3" in html
    french = client.get("/fr/knowledge-hub/?q=housing").content.decode()
    assert "Environ 48 ressources" in french and "Page 1 sur environ 3" in french
    # Every drop-down's "any" choice in French too (they were left out of the catalogue).
    for any_choice in (
        "Tous les types",
        "Tous les objectifs",
        "Tous les thèmes",
        "Toutes les langues",
    ):
        assert f'<option value="">{any_choice}</option>' in french, any_choice
    answer = client.get("/api/v1/resources/?q=housing").json()
    assert (answer["count"], answer["count_estimated"], answer["facets_estimated"]) == (
        48,
        True,
        True,
    )

    # Reaching the last page, the real total is known; past the real end (fewer matches than
    # estimated), the page says so.
    last = search_resources(QueryDict("q=housing"), page_number=3)
    assert (last.total, last.total_estimated, len(last.page.object_list)) == (48, False, 8)
    assert not last.page.has_next()
    sampled_ids = {resource.pk for resource in sampled}
    Resource.objects.filter(
        pk__in=[resource.pk for resource in resources if resource.pk not in sampled_ids][:22]
    ).delete()
    assert search_resources(QueryDict("q=housing")).total == 48  # the same sample
    past = client.get("/knowledge-hub/?q=housing&page=3").content.decode()
    assert "No more results: this search has fewer than estimated." in past
    assert '<a href="?q=housing">Back to the first page</a>' in past
    last = search_resources(QueryDict("q=housing"), page_number=2)
    assert (last.total, last.total_estimated, len(last.page.object_list)) == (26, False, 6)

    # Fewer than ESTIMATED_FROM kept in the sample (one report among the three) but enough
    # matches: the total is counted, the facets are the sample's (the chosen kind's count is
    # the total).
    reports = Resource.objects.filter(kind=ResourceKind.REPORT).count()
    narrowed = search_resources(QueryDict("q=housing&kind=report"))
    assert (narrowed.total, narrowed.total_estimated, narrowed.facets_estimated) == (
        reports,
        False,
        True,
    )
    assert {value.value: value.count for value in narrowed.facets["kind"]} == {
        "report": reports,
        "policy_brief": 32,
    }
    html = client.get("/knowledge-hub/?q=housing&kind=report").content.decode()
    assert f"{reports} resources" in html and "About" not in html
    assert client.get("/api/v1/resources/?q=housing&kind=report").json()["count_estimated"] is False


def test_a_common_word_is_counted_in_the_coarser_sample_then_the_finer_then_every_match(
    client, monkeypatch
):
    """The sample of one resource in 64 first; when it keeps too few matches, the sample of one
    in 16, unless the coarser one's estimate is under half of what the finer needs. When the
    filters keep too few of a sample's matches, the total is counted and the facets are the
    sample's; with too few matches in the sample, every match is counted."""
    monkeypatch.setattr(postgresql, "ESTIMATED_FROM", 2)
    assert postgresql.SAMPLE_MODULI == (64, 16)
    # 256 resources on housing with ids of our choosing: 4 in the coarser sample (offsets 0,
    # 64, 128, 192), 16 in the finer (multiples of 16). 29 reports: one in the coarser sample
    # (0), 13 in the finer (the multiples of 16 but 64, 128 and 192) and 16 in neither (one more
    # than a multiple of 16: more than a page, so that page 1 is not the last); videos at 8 and
    # 24 (in neither sample).
    first = (Resource.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) // 64
    first = (first + 1) * 64
    kinds = {
        offset: ResourceKind.REPORT
        for offset in range(256)
        if offset % 16 == 1 or (offset % 16 == 0 and offset not in (64, 128, 192))
    }
    kinds |= {8: ResourceKind.VIDEO, 24: ResourceKind.VIDEO}
    Resource.objects.bulk_create(
        Resource(
            pk=first + offset,
            kind=kinds.get(offset, ResourceKind.POLICY_BRIEF),
            title=f"Housing {offset}",
            slug=f"housing-{offset}",
            # The two videos are of 2019, the rest of 2020.
            published_on=datetime.date(2019 if offset in (8, 24) else 2020, 1, 1),
            published_precision=DatePrecision.YEAR,
        )
        for offset in range(256)
    )
    from knowledgehub.services import resources_refresh_search_vectors

    resources_refresh_search_vectors()

    def figures(query_string):
        with CaptureQueriesContext(connection) as statements:
            results = search_resources(QueryDict(query_string))
        samples = [
            modulus
            for modulus in (64, 16)
            for statement in statements
            if f"resource_id % {modulus} = 0" in statement["sql"]
        ]
        kinds = {value.value: value.count for value in results.facets["kind"] if value.count}
        estimated = (results.total_estimated, results.facets_estimated)
        return results.total, estimated, kinds, samples

    # Four matches in the coarser sample: 4 x 64, to two figures; one of them a report.
    assert figures("q=housing") == (
        260,
        (True, True),
        {"report": 64, "policy_brief": 190},
        [64],
    )
    # One report in the coarser sample (64 in all: enough to try the finer), 13 in the finer.
    assert figures("q=housing&kind=report") == (
        210,
        (True, True),
        {"report": 210, "policy_brief": 48},
        [64, 16],
    )
    # No video in the coarser sample: the finer one is not read; the total and the other
    # facets are counted among the two videos, the kinds' facet is the coarser sample's (but
    # the chosen kind's count, which is the total).
    assert figures("q=housing&kind=video") == (
        2,
        (False, True),
        {"report": 64, "policy_brief": 190, "video": 2},
        [64],
    )

    def facet(results, name):
        return [(value.value, value.count, value.exact) for value in results.facets[name]]

    videos = search_resources(QueryDict("q=housing&kind=video"))
    assert facet(videos, "year") == [("2019", 2, True)]
    assert facet(videos, "language") == [("en", 2, True)]
    assert facet(videos, "kind") == [
        ("policy_brief", 190, False),
        ("report", 64, False),
        ("video", 2, True),
    ]
    html = client.get("/knowledge-hub/?q=housing&kind=video").content.decode()
    assert '2019</a>&nbsp;<span class="count">(2)</span>' in html
    assert "Report (about 64)" in html and "Video (2)" in html
    # A year range keeping few: its years counted exactly, the others the sample's.
    of_2019 = search_resources(QueryDict("q=housing&year_from=2019&year_to=2019"))
    assert (of_2019.total, of_2019.total_estimated, of_2019.facets_estimated) == (2, False, True)
    assert facet(of_2019, "year") == [("2020", 260, False), ("2019", 2, True)]
    assert facet(of_2019, "kind") == [("video", 2, True)]
    # Two filters: every match is counted (no facet is counted among all the matches alone).
    both = search_resources(QueryDict("q=housing&kind=video&year_from=2019"))
    assert (both.total, both.total_estimated, both.facets_estimated) == (2, False, False)
    assert facet(both, "year") == [("2019", 2, True)]
    # Too few matches in the coarser sample for its facets too: every match is counted.
    monkeypatch.setattr(postgresql, "ESTIMATED_FROM", 5)
    assert figures("q=housing&kind=video") == (
        2,
        (False, False),
        {"report": 29, "policy_brief": 225, "video": 2},
        [64],
    )


def test_an_estimate_never_hides_a_match_nor_offers_a_page_past_the_end(client, monkeypatch):
    """An estimate may be short (every match stays reachable, the estimate grows as the pages
    go past it) or long (a page past the real end says so, offers no next page, and the API
    answers 404 there); the counts have thousands separators, and a chosen value's count
    under an exact total is not said to be "about"."""
    monkeypatch.setattr(postgresql, "ESTIMATED_FROM", 2)
    monkeypatch.setattr(postgresql, "SAMPLE_MODULI", (16,))
    # 70 resources, ids 1 to 70 past a multiple of 16: four in the sample, an estimate of 64.
    base = (Resource.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) // 16
    base = (base + 1) * 16
    Resource.objects.bulk_create(
        Resource(
            pk=base + offset,
            kind=ResourceKind.REPORT,
            title=f"Housing {offset}",
            slug=f"housing-{offset}",
            published_on=datetime.date(2020, 1, 1),
            published_precision=DatePrecision.YEAR,
        )
        for offset in range(1, 71)
    )
    from knowledgehub.services import resources_refresh_search_vectors

    resources_refresh_search_vectors()

    def paged(number):
        results = search_resources(QueryDict("q=housing"), page_number=number, page_size=16)
        page = results.page
        return results.total, results.total_estimated, len(page.object_list), page.has_next()

    assert paged(1) == (64, True, 16, True)
    # The estimate's last page is full: there are more, the estimate grows to say so.
    assert paged(4) == (65, True, 16, True)
    # The real last page: the real total.
    assert paged(5) == (70, False, 6, False)
    # Past the real end: nothing, no next page, the estimate as it was.
    assert paged(9) == (64, True, 0, False)

    html = client.get("/knowledge-hub/?q=housing&page=3").content.decode()
    assert "About 64 resources" in html and "Page 3 of about 4" in html and 'rel="next"' in html
    html = client.get("/knowledge-hub/?q=housing&page=4").content.decode()
    assert "70 resources" in html and "About" not in html and 'rel="next"' not in html

    # Fewer than estimated: page 3 of "about 4" is past the real end.
    sampled = [base + offset for offset in (16, 32, 48, 64)]
    Resource.objects.filter(pk__gt=base + 30).exclude(pk__in=sampled).delete()
    from untfsse.core.cache import ContentArea, advance_content_versions

    advance_content_versions([ContentArea.KNOWLEDGE_HUB])  # as after the commit
    html = client.get("/knowledge-hub/?q=housing&page=3").content.decode()
    assert "No more results: this search has fewer than estimated." in html
    assert 'rel="next"' not in html and "Page 3 of about" not in html
    assert client.get("/api/v1/resources/?q=housing&page=3").status_code == 404
    # However far past the estimate a page number goes, nothing is read beyond twice it.
    huge = "9" * 400
    html = client.get(f"/knowledge-hub/?q=housing&page={huge}").content.decode()
    assert "No more results: this search has fewer than estimated." in html
    assert client.get(f"/api/v1/resources/?q=housing&page={huge}").status_code == 404
    assert client.get("/api/v1/resources/?q=housing&page=2").json()["count"] == 33

    # The chosen kind's count is the exact total, without "about"; thousands separators.
    with connection.cursor() as cursor:  # the ids chosen above are past the sequence's
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('knowledgehub_resource', 'id'), %s)", [base + 70]
        )
    reports_on_housing(one_in=1)  # 2,000 more
    monkeypatch.setattr(postgresql, "ESTIMATED_FROM", 10_000)
    advance_content_versions([ContentArea.KNOWLEDGE_HUB])
    html = client.get("/knowledge-hub/?q=housing&kind=report").content.decode()
    assert "2,033 resources" in html and "Page 1 of 102" in html
    assert '<option value="report" selected>Report (2,033)</option>' in html
    french = client.get("/fr/knowledge-hub/?q=housing&kind=report").content.decode()
    assert "2\N{NO-BREAK SPACE}033 ressources" in french
    assert "Page 1 sur 102" in french


def test_each_sample_is_read_through_its_own_partial_indexes():
    reports_on_housing(one_in=10)
    match, params = postgresql.Query("housing").match()
    for modulus, name in ((16, "sample"), (64, "coarse_sample")):
        found = plan(
            "SELECT count(*) FROM knowledgehub_resource_search"
            f" WHERE resource_id %% {modulus} = 0 AND {match}",
            params,
        )
        for config in ("english", "french", "simple", "spanish"):
            assert f"Bitmap Index Scan on resource_search_{name}_{config}" in found, found
        assert "Seq Scan" not in found, found


def test_a_snippet_comes_from_the_abstract_when_it_holds_a_match_else_from_the_text():
    def resource(title, abstract, text):
        made = ResourceFactory(title=title, abstract=abstract)
        Resource.objects.filter(pk=made.pk).update(extracted_text=text)
        from knowledgehub.services import resources_refresh_search_vectors

        resources_refresh_search_vectors()

    resource(
        "Savings groups",
        "Women's microfinance groups in Thiès pool their savings.",
        "Chapter one. " + "Other matters. " * 50 + "The microfinance law of 2012 applies.",
    )
    resource(
        "Credit unions",
        "Credit unions in rural Senegal.",
        "Chapter one. " + "Other matters. " * 50 + "Their microfinance arm lends to farmers.",
    )
    results = search_resources(QueryDict("q=microfinance"))
    snippets = {
        resource.title: str(highlighted(resource.headline)) for resource in results.page.object_list
    }
    assert snippets["Savings groups"] == (
        "Women&#x27;s <mark>microfinance</mark> groups in Thiès pool their savings"
    )
    assert "lends to farmers" not in snippets["Savings groups"]
    assert "Their <mark>microfinance</mark> arm lends to farmers" in snippets["Credit unions"]


def test_a_phrase_is_ranked_by_the_same_measure_as_words_whatever_index_answers():
    """A RUM index's ordered scan does not order a phrase's matches (it gives them in the
    table's order), so a page of them taken from it missed the best; they are ranked from their
    rows, best first, in the order of the score the page shows."""
    for number in range(25):
        ResourceFactory(
            title=f"Public procurement and topic {number}: the case of Kenya",
            abstract="This entry examines the contribution of cities to the topic.",
        )
    # The closest match, made last: last in the table's order, past the first page.
    best = ResourceFactory(
        title="Public procurement from social enterprises in Kenya",
        abstract="County governments in Kenya buying from social enterprises.",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledgehub_resource_search")
        # As at scale: the planner takes the indexes (an ordered scan where it can).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    results = search_resources(QueryDict('q="public procurement" Kenya -Europe'))
    found = list(results.page.object_list)
    assert (results.total, len(found), found[0]) == (26, 20, best)
    scores = [resource.score for resource in found]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]
