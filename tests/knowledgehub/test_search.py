"""Search on both databases: ranking, stemming, phrases, exclusions, `or`, typos, snippets,
filters with facet counts, pagination and bad input.

Every test here runs on the database of the run, and on SQLite as well when the run is on
PostgreSQL (test_search_on_sqlite.py), so the zero-setup mode searches like production.
PostgreSQL's own parts (stemming per language, the indexes) are in test_search_postgresql.py.
"""

import datetime

import pytest
from django.http import QueryDict

from knowledgehub.models import Resource, ResourceKind
from knowledgehub.search import MAX_QUERY_LENGTH, search_resources
from knowledgehub.services import resource_extract_text, resource_withdraw
from members.actors import SYSTEM
from tests.factories import OrganisationFactory
from tests.factories.knowledgehub import ResourceFactory

pytestmark = pytest.mark.django_db


def search(query_string: str = "", page: int = 1, page_size: int = 20):
    return search_resources(QueryDict(query_string), page_number=page, page_size=page_size)


def titles(results) -> list[str]:
    return [resource.title for resource in results.page.object_list]


def facet(results, name: str) -> list[tuple[str, int]]:
    return [(value.value, value.count) for value in results.facets[name]]


@pytest.fixture
def library(django_capture_on_commit_callbacks, pdf_upload):
    """Five resources across kinds, SDGs, themes, languages, years and organisations."""
    ilo = OrganisationFactory(acronym="ILO", slug="ilo")
    unrisd = OrganisationFactory(acronym="UNRISD", slug="unrisd")
    ResourceFactory(
        title="Cooperatives and decent work",
        kind=ResourceKind.REPORT,
        sdgs=[8],
        themes=["Decent work"],
        organisations=[ilo],
        published_on=datetime.date(2022, 3, 1),
    )
    ResourceFactory(
        title="Financing the social economy",
        kind=ResourceKind.POLICY_BRIEF,
        sdgs=[8, 10],
        themes=["Finance"],
        organisations=[ilo, unrisd],
        published_on=datetime.date(2021, 1, 1),
    )
    ResourceFactory(
        title="Économie sociale et solidaire en Afrique",
        kind=ResourceKind.RESEARCH_PAPER,
        language="fr",
        sdgs=[1],
        themes=["Finance"],
        organisations=[unrisd],
        published_on=datetime.date(2023, 5, 1),
    )
    ResourceFactory(
        title="Youth entrepreneurship",
        kind=ResourceKind.REPORT,
        themes=["Youth"],
        published_on=datetime.date(2019, 1, 1),
    )
    withdrawn = ResourceFactory(title="Withdrawn cooperatives note", kind=ResourceKind.REPORT)
    resource_withdraw(resource=withdrawn, reason="Duplicate", by=SYSTEM)


def test_empty_query_lists_every_published_resource_newest_first(library):
    results = search()
    assert results.valid
    assert results.total == 4
    assert titles(results) == [
        "Économie sociale et solidaire en Afrique",
        "Cooperatives and decent work",
        "Financing the social economy",
        "Youth entrepreneurship",
    ]
    assert results.sort == "newest"


def test_facets_count_every_value_of_the_unfiltered_results(library):
    results = search()
    assert facet(results, "kind") == [("report", 2), ("policy_brief", 1), ("research_paper", 1)]
    assert facet(results, "sdg") == [("1", 1), ("8", 2), ("10", 1)]
    assert facet(results, "theme") == [("finance", 2), ("decent-work", 1), ("youth", 1)]
    assert facet(results, "language") == [("en", 3), ("fr", 1)]
    assert facet(results, "year") == [("2023", 1), ("2022", 1), ("2021", 1), ("2019", 1)]
    assert facet(results, "organisation") == [("ilo", 2), ("unrisd", 2)]


@pytest.mark.parametrize(
    ("query_string", "expected_titles"),
    [
        ("kind=report", ["Cooperatives and decent work", "Youth entrepreneurship"]),
        ("sdg=8", ["Cooperatives and decent work", "Financing the social economy"]),
        (
            "theme=finance",
            ["Économie sociale et solidaire en Afrique", "Financing the social economy"],
        ),
        ("language=fr", ["Économie sociale et solidaire en Afrique"]),
        (
            "year_from=2021&year_to=2022",
            ["Cooperatives and decent work", "Financing the social economy"],
        ),
        ("year_from=2023", ["Économie sociale et solidaire en Afrique"]),
        (
            "organisation=unrisd",
            ["Économie sociale et solidaire en Afrique", "Financing the social economy"],
        ),
        ("kind=report&organisation=ilo", ["Cooperatives and decent work"]),
    ],
)
def test_each_filter_narrows_the_results(library, query_string, expected_titles):
    assert titles(search(query_string)) == expected_titles


def test_a_filter_keeps_the_counts_of_its_own_other_values_and_narrows_the_others(library):
    results = search("kind=report")
    # The kind facet ignores the kind filter, so the other kinds still show what they hold...
    assert facet(results, "kind") == [("report", 2), ("policy_brief", 1), ("research_paper", 1)]
    assert [value.value for value in results.facets["kind"] if value.selected] == ["report"]
    # ...while every other facet counts among the reports only.
    assert facet(results, "sdg") == [("8", 1)]
    assert facet(results, "theme") == [("decent-work", 1), ("youth", 1)]
    assert facet(results, "language") == [("en", 2)]
    assert facet(results, "year") == [("2022", 1), ("2019", 1)]
    assert facet(results, "organisation") == [("ilo", 1)]


def test_a_chosen_value_without_results_stays_selected_with_zero(library):
    results = search("language=fr&sdg=8")
    assert results.total == 0
    assert [(v.value, v.count, v.selected) for v in results.facets["sdg"]] == [
        ("1", 1, False),
        ("8", 0, True),
    ]


def test_filters_combine_with_the_query(library):
    results = search("q=cooperatives&kind=report")
    assert titles(results) == ["Cooperatives and decent work"]
    assert facet(results, "kind") == [("report", 1)]


@pytest.mark.parametrize(
    ("query_string", "errors"),
    [
        ("kind=novel", ["Kind: Select a valid choice. novel is not one of the available choices."]),
        (
            "sdg=18",
            [
                "Sustainable Development Goal: Select a valid choice. 18 is not one of the available choices."
            ],
        ),
        (
            "theme=astrology",
            ["Theme: Select a valid choice. That choice is not one of the available choices."],
        ),
        (
            "organisation=nobody",
            [
                "Organisation: Select a valid choice. That choice is not one of the available choices."
            ],
        ),
        ("year_from=soon", ["Published from (year): Enter a number."]),
        (
            "year_from=2023&year_to=2020",
            ["Published until (year): The last year comes before the first."],
        ),
        (
            "sort=random",
            ["Sort by: Select a valid choice. random is not one of the available choices."],
        ),
    ],
)
def test_unknown_filter_values_give_a_message_and_no_results(library, query_string, errors):
    results = search(query_string)
    assert results.valid is False
    assert results.errors == errors
    assert results.total == 0
    assert results.facets == {}


def test_a_very_long_query_is_cut_and_says_so(library):
    results = search("q=" + "cooperatives " * 100)
    assert results.query_truncated is True
    assert len(results.query) <= MAX_QUERY_LENGTH
    assert results.query.startswith("cooperatives cooperatives")
    assert results.valid


def test_pagination_splits_the_results_and_out_of_range_pages_show_the_last(library):
    first = search(page=1, page_size=3)
    second = search(page=2, page_size=3)
    assert (first.total, first.page.paginator.num_pages) == (4, 2)
    assert titles(first) == [
        "Économie sociale et solidaire en Afrique",
        "Cooperatives and decent work",
        "Financing the social economy",
    ]
    assert titles(second) == ["Youth entrepreneurship"]
    assert titles(search(page=99, page_size=3)) == titles(second)
    assert titles(search(page="abc", page_size=3)) == titles(first)
    assert titles(search(page=0, page_size=3)) == titles(search(page=-1, page_size=3))
    assert titles(search(page=-1, page_size=3)) == titles(first)


def test_sort_by_oldest_and_newest(library):
    assert titles(search("sort=oldest"))[0] == "Youth entrepreneurship"
    assert titles(search("q=cooperatives&sort=newest")) == ["Cooperatives and decent work"]


def test_withdrawn_resources_are_never_found(library):
    assert "Withdrawn cooperatives note" not in titles(search("q=cooperatives"))
    assert "Withdrawn cooperatives note" not in titles(search("kind=report"))


def test_author_names_are_searched(db):
    ResourceFactory(title="A study", authors=["Ilcheong Yi"])
    ResourceFactory(title="Another study", authors=["Simel Esim"])
    assert titles(search("q=Ilcheong")) == ["A study"]


# --- Ranked full text, typo tolerance, highlighted snippets --------------------------------
def test_a_title_match_outranks_an_author_match_an_abstract_match_and_a_pdf_text_match(
    django_capture_on_commit_callbacks, pdf_upload
):
    in_pdf = ResourceFactory(title="Annual review", published_on=datetime.date(2024, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        from knowledgehub.services import resource_attach_pdf

        resource_attach_pdf(
            resource=in_pdf, pdf=pdf_upload("Notes on microfinance in Senegal"), by=None
        )
    in_abstract = ResourceFactory(
        title="Field notes",
        abstract="How microfinance reaches rural cooperatives.",
        published_on=datetime.date(2023, 1, 1),
    )
    in_authors = ResourceFactory(
        title="Essays", authors=["Microfinance Collective"], published_on=datetime.date(2022, 1, 1)
    )
    in_title = ResourceFactory(
        title="Microfinance and solidarity", published_on=datetime.date(2010, 1, 1)
    )
    ResourceFactory(title="Unrelated", abstract="Nothing here.")

    results = search("q=microfinance")
    assert titles(results) == [in_title.title, in_authors.title, in_abstract.title, in_pdf.title]
    scores = [resource.score for resource in results.page.object_list]
    assert scores == sorted(scores, reverse=True)
    # Newest first when asked, whatever the relevance.
    assert titles(search("q=microfinance&sort=newest")) == [
        in_pdf.title,
        in_abstract.title,
        in_authors.title,
        in_title.title,
    ]


def test_stemming_finds_other_forms_of_a_word_in_each_language():
    ResourceFactory(title="First", abstract="Cooperatives organise workers.", language="en")
    ResourceFactory(title="Second", abstract="Les coopératives agricoles du Sahel.", language="fr")
    ResourceFactory(title="Third", abstract="Nothing to see.", language="en")
    assert titles(search("q=cooperative organising")) == ["First"]
    assert titles(search("q=coopérative agricole")) == ["Second"]


def test_typos_and_partial_words_still_find_titles_and_authors():
    ResourceFactory(
        title="Social and Solidarity Economy and the Challenge of Sustainable Development"
    )
    ResourceFactory(title="Decent work in Africa", authors=["Ilcheong Yi"])
    ResourceFactory(title="Something else entirely")
    assert titles(search("q=solidarty")) == [
        "Social and Solidarity Economy and the Challenge of Sustainable Development"
    ]
    assert titles(search("q=Ilcheon")) == ["Decent work in Africa"]
    assert titles(search("q=sustainabl develop")) == [
        "Social and Solidarity Economy and the Challenge of Sustainable Development"
    ]


def test_web_search_syntax_phrases_and_exclusions():
    ResourceFactory(title="Public policies for the social economy in Europe")
    ResourceFactory(title="Public policies in Latin America")
    ResourceFactory(title="Policies for public procurement")
    assert titles(search('q="public policies" -europe')) == ["Public policies in Latin America"]
    # Typographic quotes (the page's own example) and guillemets quote a phrase too.
    for quoted in ("\u201cpublic policies\u201d", "\u00ab public policies \u00bb"):
        assert titles(search(f"q={quoted} -europe")) == ["Public policies in Latin America"]


def test_snippets_highlight_matches_and_escape_the_text():
    ResourceFactory(
        title="Field notes",
        abstract="Local <script>alert(1)</script> microfinance groups & savings clubs in Thiès.",
    )
    from knowledgehub.search import highlighted

    resource = search("q=microfinance").page.object_list[0]
    snippet = str(highlighted(resource.headline))
    assert "<mark>microfinance</mark> groups &amp; savings clubs in Thiès" in snippet
    assert "<script>" not in snippet


def test_text_extracted_later_is_searchable_once_the_vector_is_refreshed(
    pdf_upload, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(title="Annual review")
    from django.core.files.base import ContentFile

    from tests.knowledgehub.pdfs import make_pdf

    name = resource.pdf.storage.save(
        "knowledgehub/review.pdf", ContentFile(make_pdf("Mutual insurance schemes"))
    )
    Resource.objects.filter(pk=resource.pk).update(pdf=name)
    assert titles(search("q=insurance")) == []
    with django_capture_on_commit_callbacks(execute=True):
        resource_extract_text(resource_id=resource.pk)
    assert titles(search("q=insurance")) == ["Annual review"]


def test_every_match_is_ranked_however_many_match():
    """The best match is the oldest of many: it still comes first (nothing is capped)."""
    for number in range(30):
        ResourceFactory(
            title=f"Report {number}",
            abstract="Notes on housing.",
            published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        )
    best = ResourceFactory(title="Housing cooperatives", published_on=datetime.date(1990, 1, 1))
    results = search("q=housing", page_size=5)
    assert results.total == 31
    assert results.page.object_list[0].pk == best.pk
    assert results.page.paginator.num_pages == 7
    assert results.capped is False


def test_words_anywhere_in_the_record_all_count():
    """A resource matches when every word is in it, in any field ("Nairobi housing": the place
    in the title, the subject in the abstract)."""
    ResourceFactory(title="Nairobi settlements", abstract="Affordable housing by cooperatives.")
    ResourceFactory(title="Financing the social economy")
    ResourceFactory(title="Housing in Lima")
    assert titles(search("q=Nairobi housing")) == ["Nairobi settlements"]
    assert titles(search("q=social economy")) == ["Financing the social economy"]


def test_or_finds_either_word():
    ResourceFactory(title="Microfinance in Senegal", published_on=datetime.date(2020, 1, 1))
    ResourceFactory(title="Housing in Lima", published_on=datetime.date(2021, 1, 1))
    ResourceFactory(title="Fair trade", published_on=datetime.date(2022, 1, 1))
    assert sorted(titles(search("q=microfinance or housing"))) == [
        "Housing in Lima",
        "Microfinance in Senegal",
    ]


def test_a_phrase_needs_its_words_together_and_in_order():
    ResourceFactory(title="Mutual aid in cities")
    ResourceFactory(title="Aid that is mutual")
    assert titles(search('q="mutual aid"')) == ["Mutual aid in cities"]


def test_a_corrected_typo_never_brings_back_an_excluded_word():
    ResourceFactory(title="Housing cooperatives in Nairobi")
    ResourceFactory(title="Housing cooperatives in Lima")
    results = search("q=cooprative -Nairobi")
    assert titles(results) == ["Housing cooperatives in Lima"]
    assert results.corrected_query == "cooperatives -Nairobi"
    # A phrase is never corrected: nothing matches it, and nothing is shown.
    results = search('q="housing cooprative"')
    assert (titles(results), results.corrected_query) == ([], "")


def test_a_query_of_exclusions_or_punctuation_alone_finds_nothing():
    ResourceFactory(title="Housing cooperatives")
    assert search("q=-housing").total == 0
    assert search("q=%26%26 --").total == 0


def test_the_page_says_when_the_search_was_corrected(client):
    ResourceFactory(title="Solidarity finance in Quebec")
    html = client.get("/knowledge-hub/", {"q": "solidarty"}).content.decode()
    assert "Solidarity finance in Quebec" in html
    assert "No resource matched “solidarty”; showing results for “solidarity”." in html
