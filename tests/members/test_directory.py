import datetime
import re
from html import unescape as html_unescape

import pytest
from django.core.cache import cache

from members.models import OrganisationKind
from tests.factories import OrganisationFactory, PersonFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def listed_acronyms(response) -> dict[str, list[str]]:
    """The acronyms listed in each section of the directory, as the page shows them."""
    return {
        group.kind: [o.acronym for o in group.organisations] for group in response.context["groups"]
    }


@pytest.fixture
def directory():
    return {
        "ilo": OrganisationFactory(
            acronym="ILO",
            name="International Labour Organization",
            country="CH",
            joined_on=datetime.date(2013, 1, 1),
        ),
        "oecd": OrganisationFactory(
            acronym="OECD",
            name="Organisation for Economic Co-operation and Development",
            country="FR",
        ),
        "old": OrganisationFactory(
            acronym="OLDUN",
            name="A Former UN Entity",
            country="US",
            left_on=datetime.date(2020, 6, 30),
        ),
        "ripess": OrganisationFactory(
            acronym="RIPESS",
            name="Intercontinental Network for the Promotion of Social Solidarity Economy",
            kind=OrganisationKind.OBSERVER,
            country="",
        ),
        "ica": OrganisationFactory(
            acronym="ICA",
            name="International Cooperative Alliance",
            kind=OrganisationKind.OBSERVER,
            country="BE",
        ),
    }


def test_directory_splits_members_and_observers_with_counts(client, directory):
    response = client.get("/members/")
    assert response.status_code == 200
    assert listed_acronyms(response) == {
        "member": ["ILO", "OECD", "OLDUN"],
        "observer": ["ICA", "RIPESS"],
    }
    html = response.content.decode()
    assert re.search(r'<h2 id="group-member">Members <span class="count">\(3\)</span></h2>', html)
    assert re.search(
        r'<h2 id="group-observer">Observers <span class="count">\(2\)</span></h2>', html
    )
    # Each row: acronym linking to the page, full name, kind, country, joined year.
    assert '<a href="/members/ilo/">ILO</a>' in html
    assert "<td>International Labour Organization</td>" in html
    assert '<td data-label="Country">Switzerland</td>' in html
    assert '<td data-label="Joined">2013</td>' in html


def test_directory_shows_partners_only_when_there_are_some(client, directory):
    OrganisationFactory(acronym="ITCILO", kind=OrganisationKind.PARTNER)
    response = client.get("/members/")
    assert listed_acronyms(response)["partner"] == ["ITCILO"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=observer", {"member": [], "observer": ["ICA", "RIPESS"]}),
        ("membership=current", {"member": ["ILO", "OECD"], "observer": ["ICA", "RIPESS"]}),
        ("membership=former", {"member": ["OLDUN"], "observer": []}),
        ("country=BE", {"member": [], "observer": ["ICA"]}),
        ("q=operat", {"member": ["OECD"], "observer": ["ICA"]}),
        ("q=ripess", {"member": [], "observer": ["RIPESS"]}),
        ("kind=member&membership=current&country=FR", {"member": ["OECD"], "observer": []}),
        ("kind=member&q=labour", {"member": ["ILO"], "observer": []}),
    ],
)
def test_directory_filters(client, directory, query, expected):
    response = client.get(f"/members/?{query}")
    assert response.status_code == 200
    assert listed_acronyms(response) == expected


@pytest.mark.parametrize(
    "query", ["kind=galaxy", "country=XX", "membership=sometimes", "kind=member&country=%00"]
)
def test_directory_unknown_filter_value_gives_a_clear_empty_result(client, directory, query):
    response = client.get(f"/members/?{query}")
    assert response.status_code == 400  # the page itself, the error said
    assert listed_acronyms(response) == {"member": [], "observer": []}
    assert "Some filters were not understood, so nothing is listed." in response.content.decode()


def test_directory_very_long_text_query_is_harmless(client, directory):
    response = client.get("/members/?q=" + "x" * 5000)
    assert response.status_code == 200
    assert listed_acronyms(response) == {"member": [], "observer": []}


def test_directory_never_shows_email_addresses(client, directory):
    PersonFactory(
        organisation=directory["ilo"], email="secret-address@ilo.org", public_profile=True
    )
    html = client.get("/members/").content.decode()
    assert "secret-address" not in html


def test_directory_query_count_does_not_grow_with_organisations(client, django_assert_num_queries):
    OrganisationFactory.create_batch(2)
    cache.clear()  # measure the page as rendered, not as served from the page cache
    # the countries in use (the filter's choices), the organisations
    with django_assert_num_queries(2):
        client.get("/members/")
    OrganisationFactory.create_batch(30, kind=OrganisationKind.OBSERVER)
    cache.clear()  # measure the page as rendered, not as served from the page cache
    with django_assert_num_queries(2):
        response = client.get("/members/")
    assert len(listed_acronyms(response)["observer"]) == 30


def test_country_filter_offers_the_countries_in_use_in_the_reader_language(client, directory):
    html = client.get("/members/").content.decode()
    options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', html)
    assert options == [
        ("BE", "Belgium"),
        ("FR", "France"),
        ("CH", "Switzerland"),
        ("US", "United States of America"),
    ]
    html = client.get("/fr/members/").content.decode()
    options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', html)
    assert [html_unescape(name) for _, name in options] == [
        "Belgique",
        "États-Unis d'Amérique",
        "France",
        "Suisse",
    ]


def test_organisation_page_shows_only_public_people(client, directory):
    PersonFactory(
        name="Hamish Jenkins",
        organisation=directory["ripess"],
        public_profile=True,
        email="hamish@example.org",
    )
    PersonFactory(name="Private Person", organisation=directory["ripess"], public_profile=False)
    response = client.get("/members/ripess/")
    assert response.status_code == 200
    html = response.content.decode()
    assert [p.name for p in response.context["public_people"]] == ["Hamish Jenkins"]
    assert "<strong>Mr Hamish Jenkins</strong>" in html or "<strong>Hamish Jenkins</strong>" in html
    assert "Private Person" not in html
    assert "hamish@example.org" not in html


def test_organisation_page_lists_current_and_past_offices(client, directory):
    chair = PersonFactory(name="Vic Van Vuuren", organisation=directory["ilo"])
    RoleFactory(
        office="chair", person=chair, ended_on=datetime.date(2022, 1, 1), ended_precision="year"
    )
    vice = PersonFactory(name="Simel Esim", organisation=directory["ilo"])
    RoleFactory(office="vice_chair", person=vice)
    response = client.get("/members/ilo/")
    assert [str(role) for role in response.context["current_offices"]] == ["Vice-Chair: Simel Esim"]
    assert [str(role) for role in response.context["past_offices"]] == ["Chair: Vic Van Vuuren"]
    assert "until 2022" in response.content.decode()


def test_unknown_organisation_is_404(client):
    response = client.get("/members/no-such-organisation/")
    assert response.status_code == 404


def test_organisation_page_query_count_does_not_grow_with_people(client, django_assert_num_queries):
    organisation = OrganisationFactory(acronym="GSEF")
    PersonFactory(organisation=organisation)
    RoleFactory(person=PersonFactory(organisation=organisation))
    cache.clear()  # measure the page as rendered, not as served from the page cache
    # Three for the organisation, its people and offices, and one for each section the
    # higher apps add (meetings attended, action items led, Knowledge Hub resources).
    with django_assert_num_queries(6):
        client.get("/members/gsef/")
    # Signed in, all but the heading is the part that first view kept: user, their person
    # (which readers' copy), the organisation (the session is read from the cache).
    client.force_login(UserFactory())
    with django_assert_num_queries(3):
        client.get("/members/gsef/")
    # Then the whole page is kept for readers of that standing: who the reader is, no more.
    with django_assert_num_queries(2):
        client.get("/members/gsef/")
    client.logout()
    PersonFactory.create_batch(20, organisation=organisation)
    for _ in range(5):
        RoleFactory(
            person=PersonFactory(organisation=organisation), ended_on=datetime.date(2020, 1, 1)
        )
    cache.clear()  # measure the page as rendered, not as served from the page cache
    with django_assert_num_queries(6):
        response = client.get("/members/gsef/")
    assert len(response.context["public_people"]) == 27


def test_governance_page_current_holders_and_history(client, directory):
    vic = PersonFactory(name="Vic Van Vuuren", organisation=directory["ilo"])
    earlier = PersonFactory(name="Earlier Chair", organisation=directory["oecd"])
    RoleFactory(
        office="chair",
        person=earlier,
        started_on=datetime.date(2014, 1, 1),
        ended_on=datetime.date(2016, 12, 31),
    )
    RoleFactory(
        office="chair", person=vic, ended_on=datetime.date(2022, 1, 1), ended_precision="year"
    )
    RoleFactory(
        office="vice_chair", person=PersonFactory(name="Simel Esim", organisation=directory["ilo"])
    )
    RoleFactory(
        office="secretariat",
        person=PersonFactory(name="Valentina Verze", organisation=directory["ilo"]),
    )

    response = client.get("/members/governance/")
    offices = {office.office: office for office in response.context["offices"]}
    assert list(offices) == ["chair", "vice_chair", "secretariat"]
    assert offices["chair"].current == []
    # History: the most recently ended first.
    assert [role.person.name for role in offices["chair"].past] == [
        "Vic Van Vuuren",
        "Earlier Chair",
    ]
    assert [role.person.name for role in offices["vice_chair"].current] == ["Simel Esim"]
    html = response.content.decode()
    assert "No current holder is recorded." in html
    assert "until 2022" in html
    assert "2014–" in html


def test_governance_hides_a_private_office_holder_name(client, directory):
    RoleFactory(
        office="secretariat",
        person=PersonFactory(
            name="Hidden Name", organisation=directory["ilo"], public_profile=False
        ),
    )
    html = client.get("/members/governance/").content.decode()
    assert "Hidden Name" not in html
    assert '<a href="/members/ilo/">ILO</a>' in html


def test_governance_query_count_is_fixed(client, django_assert_num_queries, directory):
    RoleFactory(office="chair", person=PersonFactory(organisation=directory["ilo"]))
    cache.clear()  # measure the page as rendered, not as served from the page cache
    with django_assert_num_queries(1):
        client.get("/members/governance/")
    for year in range(2000, 2010):
        RoleFactory(
            office="vice_chair",
            person=PersonFactory(organisation=directory["oecd"]),
            started_on=datetime.date(year, 1, 1),
            ended_on=datetime.date(year, 12, 31),
        )
    cache.clear()  # measure the page as rendered, not as served from the page cache
    with django_assert_num_queries(1):
        client.get("/members/governance/")
