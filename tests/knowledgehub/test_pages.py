"""The public pages: search, resource pages and tombstones, citations, downloads, feed, sitemap,
the organisation page's section and the navigation."""

import datetime
import re
import xml.etree.ElementTree as ET

import bibtexparser
import pytest
import rispy
from django.db import connection
from django.urls import reverse

from knowledgehub.models import ResourceKind
from knowledgehub.services import AuthorEntry, resource_withdraw
from members.actors import SYSTEM
from members.models import DatePrecision
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.factories.knowledgehub import ResourceFactory
from tests.knowledgehub.pdfs import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    ilo = OrganisationFactory(acronym="ILO", slug="ilo", name="International Labour Organization")
    unrisd = OrganisationFactory(acronym="UNRISD", slug="unrisd", name="UNRISD")
    yi = PersonFactory(name="Ilcheong Yi", organisation=unrisd, public_profile=True)
    hidden = PersonFactory(name="Private Person", organisation=ilo, public_profile=False)
    return ResourceFactory(
        kind=ResourceKind.WORKING_PAPER,
        title="Financing the social & solidarity economy",
        abstract="How SSE organisations raise funds.\nA second paragraph.",
        authors=[
            AuthorEntry("Ilcheong Yi", yi),
            AuthorEntry("Private Person", hidden),
            "Ana Souza",
        ],
        organisations=[ilo],
        published_on=datetime.date(2022, 3, 1),
        published_precision=DatePrecision.MONTH,
        sdgs=[8, 17],
        themes=["Finance", "Public policies"],
        doi="10.1234/sse.2022.7",
    )


def page_url(resource, name="knowledgehub:resource"):
    return reverse(name, kwargs={"pk": resource.pk, "slug": resource.slug})


# --- Resource page -------------------------------------------------------------------------
def test_resource_page_shows_metadata_links_badges_and_citation(client, paper):
    response = client.get(page_url(paper))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Financing the social &amp; solidarity economy</h1>" in html
    # Public people link to their organisation's page; others are plain names.
    assert '<a href="/members/unrisd/">Ilcheong Yi</a>; Private Person; Ana Souza' in html
    assert '<a href="/members/ilo/">ILO</a>' in html
    assert "<dd>March 2022</dd>" in html
    assert '>SDG 8<span class="visually-hidden">: Decent work and economic growth</span>' in html
    assert ">SDG 17<" in html
    assert '<a href="/knowledge-hub/?theme=public-policies">Public policies</a>' in html
    assert "<p>How SSE organisations raise funds.<br>A second paragraph.</p>" in html
    assert (
        '<p class="citation__apa">Yi, I., Person, P., &amp; Souza, A. (2022, March). '
        "<em>Financing the social &amp; solidarity economy</em> [Working paper]. "
        "International Labour Organization. https://doi.org/10.1234/sse.2022.7</p>"
    ) in html
    assert f'href="/knowledge-hub/{paper.pk}-{paper.slug}/cite.bib"' in html
    assert "Download the PDF" not in html  # no file attached


def test_resource_page_has_citation_meta_tags(client, paper):
    html = client.get(page_url(paper)).content.decode()
    tags = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)
    assert tags == [
        ("citation_title", "Financing the social &amp; solidarity economy"),
        ("citation_author", "Ilcheong Yi"),
        ("citation_author", "Private Person"),
        ("citation_author", "Ana Souza"),
        ("citation_publication_date", "2022/03"),
        ("citation_technical_report_institution", "International Labour Organization"),
        ("citation_language", "en"),
        ("citation_doi", "10.1234/sse.2022.7"),
        ("citation_keywords", "Finance; Public policies"),
        ("citation_abstract_html_url", f"http://testserver{page_url(paper)}"),
    ]


def test_a_wrong_or_old_slug_redirects_to_the_canonical_address(client, paper):
    response = client.get(f"/knowledge-hub/{paper.pk}-old-title/")
    assert response.status_code == 301
    assert response["Location"] == page_url(paper)
    response = client.get(f"/fr/knowledge-hub/{paper.pk}-old-title/cite.bib")
    assert response["Location"] == f"/fr/knowledge-hub/{paper.pk}-{paper.slug}/cite.bib"


def test_an_unknown_resource_is_a_404(client):
    assert client.get("/knowledge-hub/999-nothing/").status_code == 404


def test_a_year_only_date_never_shows_a_day_or_month(client):
    resource = ResourceFactory(
        title="Position",
        published_on=datetime.date(2014, 1, 1),
        published_precision=DatePrecision.YEAR,
    )
    html = client.get(page_url(resource)).content.decode()
    assert "<dd>2014</dd>" in html
    assert "January" not in html
    assert '<meta name="citation_publication_date" content="2014">' in html


def test_a_withdrawn_resource_shows_a_tombstone_with_410(client, paper):
    resource_withdraw(resource=paper, reason="Withdrawn at the authors' request.", by=SYSTEM)
    response = client.get(page_url(paper))
    assert response.status_code == 410
    html = response.content.decode()
    assert "<h1>Financing the social &amp; solidarity economy</h1>" in html
    assert "This resource was withdrawn from the Knowledge Hub on" in html
    assert "Reason: Withdrawn at the authors&#x27; request." in html
    assert "Yi, I., Person, P., &amp; Souza, A. (2022, March)." in html
    assert '<meta name="robots" content="noindex">' in html
    assert "How SSE organisations raise funds." not in html


# --- Citations -------------------------------------------------------------------------------
def test_bibtex_export_parses_back(client, paper):
    response = client.get(page_url(paper, "knowledgehub:cite_bib"))
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{paper.slug}.bib"'
    database = bibtexparser.loads(response.content.decode())
    assert len(database.entries) == 1
    entry = database.entries[0]
    assert entry["ENTRYTYPE"] == "techreport"
    assert entry["ID"] == f"untfsse{paper.pk}2022"
    assert entry["author"] == "Ilcheong Yi and Private Person and Ana Souza"
    assert entry["title"] == r"Financing the social \& solidarity economy"
    assert entry["institution"] == "International Labour Organization"
    assert entry["year"] == "2022"
    assert entry["month"] == "mar"
    assert entry["doi"] == "10.1234/sse.2022.7"
    assert entry["url"] == f"http://testserver{page_url(paper)}"
    assert entry["keywords"] == "Finance, Public policies"


def test_bibtex_of_an_organisation_authored_item_braces_the_institution(client):
    resource = ResourceFactory(
        kind=ResourceKind.VIDEO,
        title="SSE in a nutshell",
        organisations=[
            OrganisationFactory(name="International Training Centre of the ILO", acronym="ITCILO")
        ],
        published_on=datetime.date(2023, 1, 1),
    )
    entry = bibtexparser.loads(
        client.get(page_url(resource, "knowledgehub:cite_bib")).content.decode()
    ).entries[0]
    assert entry["ENTRYTYPE"] == "misc"
    assert entry["author"] == "{International Training Centre of the ILO}"
    assert "month" not in entry


def test_ris_export_parses_back(client, paper):
    response = client.get(page_url(paper, "knowledgehub:cite_ris"))
    assert response["Content-Type"] == "application/x-research-info-systems"
    assert response["Content-Disposition"] == f'attachment; filename="{paper.slug}.ris"'
    [entry] = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == ["Ilcheong Yi", "Private Person", "Ana Souza"]
    assert entry["title"] == "Financing the social & solidarity economy"
    assert entry["year"] == "2022"
    assert entry["date"] == "2022/03//"
    assert entry["abstract"] == "How SSE organisations raise funds. A second paragraph."
    assert entry["keywords"] == ["Finance", "Public policies"]
    assert entry["publisher"] == "International Labour Organization"
    assert entry["language"] == "English"
    assert entry["doi"] == "10.1234/sse.2022.7"
    assert entry["urls"] == [f"http://testserver{page_url(paper)}"]


def test_a_task_force_paper_is_cited_under_the_task_force(client):
    resource = ResourceFactory(
        kind=ResourceKind.POSITION_PAPER,
        title="Social and Solidarity Economy and the Challenge of Sustainable Development",
        published_on=datetime.date(2014, 1, 1),
    )
    [entry] = rispy.loads(client.get(page_url(resource, "knowledgehub:cite_ris")).content.decode())
    assert entry["authors"] == ["UN Inter-Agency Task Force on Social and Solidarity Economy"]
    assert entry["date"] == "2014///"
    html = client.get(page_url(resource)).content.decode()
    assert (
        "UN Inter-Agency Task Force on Social and Solidarity Economy. (2014). <em>Social and "
        "Solidarity Economy and the Challenge of Sustainable Development</em> [Position paper]. "
        f"http://testserver{page_url(resource)}</p>"
    ) in html


# --- Downloads -------------------------------------------------------------------------------
def test_download_serves_the_pdf_as_an_attachment_and_counts_it(
    client, django_capture_on_commit_callbacks, pdf_upload
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory(title="Guide to cooperatives", pdf=pdf_upload("Guide text"))
    html = client.get(page_url(resource)).content.decode()
    download_url = page_url(resource, "knowledgehub:download")
    assert f'href="{download_url}"' in html
    assert f'<meta name="citation_pdf_url" content="http://testserver{download_url}">' in html

    for expected_count in (1, 2):
        response = client.get(download_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="guide-to-cooperatives.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == make_pdf("Guide text")
        resource.refresh_from_db()
        assert resource.download_count == expected_count


def test_no_download_without_a_file_or_once_withdrawn(
    client, django_capture_on_commit_callbacks, pdf_upload
):
    without_file = ResourceFactory()
    assert client.get(page_url(without_file, "knowledgehub:download")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory(pdf=pdf_upload("Text"))
    resource_withdraw(resource=resource, reason="Gone", by=SYSTEM)
    response = client.get(page_url(resource, "knowledgehub:download"))
    # The file's address answers as the page does: the tombstone, never the PDF.
    assert response.status_code == 410
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"%PDF" not in response.content
    assert "This resource was withdrawn from the Knowledge Hub on" in response.content.decode()
    resource.refresh_from_db()
    assert resource.download_count == 0


@pytest.mark.parametrize("url_name", ["knowledgehub:cite_ris", "knowledgehub:cite_bib"])
def test_a_withdrawn_resources_citation_exports_answer_with_its_tombstone(client, paper, url_name):
    resource_withdraw(resource=paper, reason="Withdrawn at the authors' request.", by=SYSTEM)
    response = client.get(page_url(paper, url_name))
    assert response.status_code == 410
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert "<h1>Financing the social &amp; solidarity economy</h1>" in html
    assert "Reason: Withdrawn at the authors&#x27; request." in html
    assert "Yi, I., Person, P., &amp; Souza, A. (2022, March)." in html
    # Nothing beyond the tombstone: no abstract, no keywords, no links to the exports.
    assert "How SSE organisations raise funds." not in html
    assert "Public policies" not in html
    assert "AB  -" not in html and "@techreport" not in html
    assert "citation__exports" not in html


def test_the_tombstone_page_links_to_no_export(client, paper):
    resource_withdraw(resource=paper, reason="Duplicate", by=SYSTEM)
    html = client.get(page_url(paper)).content.decode()
    assert "Cite this resource" in html
    assert "citation__exports" not in html


def test_pdfs_are_not_under_media_root(settings, django_capture_on_commit_callbacks, pdf_upload):
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory(pdf=pdf_upload("Text"))
    assert not resource.pdf.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        resource.pdf.url


# --- Search page -----------------------------------------------------------------------------
def test_search_page_lists_results_with_facets_and_keeps_the_query(client):
    ResourceFactory(title="Cooperatives and decent work", kind=ResourceKind.REPORT, sdgs=[8])
    ResourceFactory(title="Housing cooperatives", kind=ResourceKind.POLICY_BRIEF)
    ResourceFactory(title="Unrelated", kind=ResourceKind.VIDEO)
    response = client.get("/knowledge-hub/", {"q": "cooperatives", "kind": "report"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="cooperatives"' in html
    assert "1 resource" in html
    assert ">Cooperatives and decent work</a></h3>" in html
    assert "Housing cooperatives</a>" not in html
    assert '<option value="report" selected>Report (1)</option>' in html
    assert '<option value="policy_brief">Policy brief (1)</option>' in html
    assert '<option value="8">SDG 8: Decent work and economic growth (1)</option>' in html
    # In French, the space before the colon.
    french = client.get("/fr/knowledge-hub/", {"q": "cooperatives"}).content.decode()
    assert '<option value="8">ODD 8\N{NO-BREAK SPACE}: ' in french


def test_search_page_with_unknown_filters_explains_and_lists_nothing(client):
    ResourceFactory(title="Cooperatives")
    response = client.get("/knowledge-hub/", {"kind": "novel", "year_from": "soon"})
    assert response.status_code == 400  # the page itself, the error said
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Some filters were not understood, so nothing is listed." in html
    assert (
        "<li>Kind: Select a valid choice. novel is not one of the available choices.</li>" in html
    )
    assert "<li>Published from (year): Enter a number.</li>" in html
    assert "0 resources" in html


def test_search_page_with_a_very_long_query_says_it_was_shortened(client):
    response = client.get("/knowledge-hub/", {"q": "solidarity " * 500})
    assert response.status_code == 200
    assert "only its beginning was used" in response.content.decode()


def test_search_page_paginates_and_keeps_the_filters_in_page_links(client):
    for number in range(25):
        ResourceFactory(title=f"Report {number}", kind=ResourceKind.REPORT)
    html = client.get("/knowledge-hub/", {"kind": "report"}).content.decode()
    assert "25 resources" in html
    assert "Page 1 of 2" in html
    assert 'href="?kind=report&amp;page=2" rel="next"' in html
    html = client.get("/knowledge-hub/", {"kind": "report", "page": "2"}).content.decode()
    assert html.count('class="resource-list__item"') == 5


@pytest.mark.parametrize("size", [1, 3])
def test_search_page_query_count_does_not_grow_with_results(
    client, django_assert_num_queries, size
):
    organisation = OrganisationFactory(slug="ilo")
    for number in range(size):
        ResourceFactory(
            title=f"Cooperatives {number}",
            authors=["A Person", "B Person"],
            organisations=[organisation],
            sdgs=[8, 9],
            themes=["Finance", "Youth"],
        )
    postgresql = connection.vendor == "postgresql"
    # PostgreSQL: the query stemmed per language, the matches and facets counted in the sample
    # (one statement) and, too few there to estimate from, among every match (one statement),
    # the page ranked with its resources and their snippets (one statement), then the facets'
    # theme and organisation names (one query).
    # SQLite: the matches counted, kind, language, year, SDG, theme and organisation counted
    # one query each, the page, then the names (one query).
    with django_assert_num_queries(5 if postgresql else 9):
        assert client.get("/knowledge-hub/", {"q": "cooperatives"}).status_code == 200
    # a theme and an organisation filter each look their value up once (no query: no stemming
    # and no snippets on PostgreSQL)
    with django_assert_num_queries(5 if postgresql else 11):
        response = client.get("/knowledge-hub/", {"theme": "finance", "organisation": "ilo"})
    assert response.context["results"].total == size
    with django_assert_num_queries(3 if postgresql else 9):
        response = client.get("/knowledge-hub/", {"kind": "research_paper", "year_from": "2020"})
    assert response.context["results"].total == size


@pytest.mark.parametrize("authors", [1, 3])
def test_resource_page_query_count_does_not_grow_with_authors(
    client, django_assert_num_queries, authors
):
    organisations = [OrganisationFactory() for _ in range(authors)]
    resource = ResourceFactory(
        authors=[
            AuthorEntry(f"Author {n}", PersonFactory(organisation=organisations[n]))
            for n in range(authors)
        ],
        organisations=organisations,
        sdgs=list(range(1, authors + 1)),
        themes=[f"Theme {n}" for n in range(authors)],
    )
    # the resource, then its authors (with people and organisations), organisations, SDGs, themes
    with django_assert_num_queries(5):
        assert client.get(page_url(resource)).status_code == 200
    # Signed in, the shared part kept by that first view: user, their person (which readers'
    # copy), the resource's row (the session is read from the cache).
    client.force_login(UserFactory())
    with django_assert_num_queries(3):
        assert client.get(page_url(resource)).status_code == 200
    # Then the whole page is kept for readers of that standing: who the reader is, no more.
    with django_assert_num_queries(2):
        assert client.get(page_url(resource)).status_code == 200


# --- Feed, sitemap, organisation section, navigation ------------------------------------------
def test_atom_feed_lists_new_published_resources(client):
    ResourceFactory(title="First", abstract="One.", authors=["Ilcheong Yi"])
    second = ResourceFactory(title="Second", themes=["Finance"])
    resource_withdraw(resource=ResourceFactory(title="Withdrawn"), reason="x", by=SYSTEM)
    response = client.get("/feeds/knowledge-hub/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{atom}entry")
    assert [entry.findtext(f"{atom}title") for entry in entries] == ["Second", "First"]
    assert entries[0].find(f"{atom}link").get("href") == f"http://testserver{page_url(second)}"
    assert entries[1].findtext(f"{atom}author/{atom}name") == "Ilcheong Yi"
    assert [c.get("term") for c in entries[0].findall(f"{atom}category")] == ["Finance"]


def test_sitemap_lists_published_resources_in_each_language(client):
    published = ResourceFactory(title="Published")
    withdrawn = ResourceFactory(title="Withdrawn")
    resource_withdraw(resource=withdrawn, reason="x", by=SYSTEM)
    content = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{page_url(published)}" in content
    assert f"http://testserver/fr{page_url(published)}" in content
    assert "http://testserver/knowledge-hub/</loc>" in content
    assert page_url(withdrawn) not in content


def test_organisation_page_lists_its_resources(client):
    ilo = OrganisationFactory(acronym="ILO", slug="ilo")
    ResourceFactory(
        title="Brief report",
        organisations=[ilo],
        published_on=datetime.date(2022, 3, 1),
        published_precision=DatePrecision.MONTH,
    )
    ResourceFactory(title="Someone else's")
    html = client.get("/members/ilo/").content.decode()
    assert "Knowledge Hub resources" in html
    assert ">Brief report</a>" in html
    assert "March 2022" in html
    assert "Someone else" not in html
    assert 'href="/knowledge-hub/?organisation=ilo"' in html
    other = OrganisationFactory(acronym="UNDP", slug="undp")
    assert "Knowledge Hub resources" not in client.get(f"/members/{other.slug}/").content.decode()


def test_knowledge_hub_is_in_the_navigation(client):
    html = client.get("/").content.decode()
    assert '<a href="/knowledge-hub/">Knowledge Hub</a>' in html
