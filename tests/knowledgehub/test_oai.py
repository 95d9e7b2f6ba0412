"""OAI-PMH 2.0 at /oai: every verb, paging, deleted records and every error, each response
validated against the protocol's XML schemas (tests/knowledgehub/schemas/)."""

import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import time_machine
import xmlschema

from knowledgehub.models import ResourceKind
from knowledgehub.services import resource_withdraw
from members.actors import SYSTEM
from members.models import DatePrecision
from tests.factories import OrganisationFactory
from tests.factories.knowledgehub import ResourceFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}


@pytest.fixture(scope="module")
def oai_schema():
    schema = xmlschema.XMLSchema(SCHEMAS / "OAI-PMH.xsd", build=False)
    schema.add_schema(SCHEMAS / "oai_dc.xsd")
    schema.add_schema(SCHEMAS / "oai-identifier.xsd")
    schema.build()
    return schema


@pytest.fixture(autouse=True)
def _repository(settings):
    settings.OAI_REPOSITORY_IDENTIFIER = "unsse.org"


@pytest.fixture
def harvest(client, oai_schema):
    """GET /oai with the arguments; checks the schema and returns the parsed response."""

    def get(method="get", **arguments) -> ET.Element:
        response = getattr(client, method)("/oai", arguments)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        oai_schema.validate(response.content.decode())
        return ET.fromstring(response.content)

    return get


def error_codes(root: ET.Element) -> list[str]:
    return [error.get("code") for error in root.findall("oai:error", NS)]


def identifiers(root: ET.Element) -> list[str]:
    return [element.text for element in root.iterfind(".//oai:header/oai:identifier", NS)]


@pytest.fixture
def records():
    """Three resources made at known times (datestamps), one of them withdrawn."""
    ilo = OrganisationFactory(name="International Labour Organization", acronym="ILO")
    with time_machine.travel(datetime.datetime(2023, 1, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        first = ResourceFactory(
            kind=ResourceKind.REPORT,
            title="Third Technical Symposium: Brief Report",
            abstract="The action plan 2022-2024.",
            organisations=[ilo],
            published_on=datetime.date(2022, 3, 1),
            published_precision=DatePrecision.MONTH,
            sdgs=[8, 17],
            themes=["Action plan"],
        )
    with time_machine.travel(
        datetime.datetime(2023, 6, 1, 12, 30, tzinfo=datetime.UTC), tick=False
    ):
        second = ResourceFactory(
            kind=ResourceKind.POSITION_PAPER,
            title="SSE and the Challenge of Sustainable Development",
            authors=["Ilcheong Yi"],
            published_on=datetime.date(2014, 1, 1),
            published_precision=DatePrecision.YEAR,
            doi="10.1234/sse.2014",
        )
    with time_machine.travel(datetime.datetime(2024, 2, 1, 8, 0, tzinfo=datetime.UTC), tick=False):
        third = ResourceFactory(kind=ResourceKind.VIDEO, title="SSE in a nutshell")
        resource_withdraw(resource=third, reason="Replaced", by=SYSTEM)
    return first, second, third


def test_identify(harvest, records):
    root = harvest(verb="Identify")
    identify = root.find("oai:Identify", NS)
    assert identify.findtext("oai:repositoryName", namespaces=NS) == "UNTFSSE Portal: Knowledge Hub"
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:adminEmail", namespaces=NS) == "secretariat@unsse.org"
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == "2023-01-10T09:00:00Z"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext(".//id:repositoryIdentifier", namespaces=NS) == "unsse.org"
    assert identify.findtext(".//id:sampleIdentifier", namespaces=NS) == "oai:unsse.org:resource/1"
    request = root.find("oai:request", NS)
    assert (request.text, request.attrib) == ("http://testserver/oai", {"verb": "Identify"})


def test_identify_on_an_empty_repository_with_a_host_name_that_is_no_domain(harvest, settings):
    settings.OAI_REPOSITORY_IDENTIFIER = ""
    settings.PORTAL_URL = "http://127.0.0.1:8000"
    root = harvest(verb="Identify")
    assert root.findtext(".//oai:earliestDatestamp", namespaces=NS) == "2013-01-01T00:00:00Z"
    assert root.find(".//oai:description", NS) is None


def test_identify_answers_post_requests_too(harvest):
    assert root_has_verb(harvest(method="post", verb="Identify"), "Identify")


def root_has_verb(root: ET.Element, verb: str) -> bool:
    return root.find(f"oai:{verb}", NS) is not None


def test_list_metadata_formats(harvest, records):
    for arguments in ({}, {"identifier": f"oai:unsse.org:resource/{records[0].pk}"}):
        root = harvest(verb="ListMetadataFormats", **arguments)
        formats = root.findall(".//oai:metadataFormat", NS)
        assert [f.findtext("oai:metadataPrefix", namespaces=NS) for f in formats] == ["oai_dc"]
        assert formats[0].findtext("oai:metadataNamespace", namespaces=NS) == NS["oai_dc"]


def test_list_sets_by_kind_and_by_sdg(harvest):
    root = harvest(verb="ListSets")
    specs = [s.findtext("oai:setSpec", namespaces=NS) for s in root.findall(".//oai:set", NS)]
    assert specs[:3] == ["kind", "kind:research_paper", "kind:working_paper"]
    assert "kind:video" in specs
    assert specs[specs.index("sdg") :] == ["sdg", *[f"sdg:{n}" for n in range(1, 18)]]
    names = {
        s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
        for s in root.findall(".//oai:set", NS)
    }
    assert names["sdg:8"] == "SDG 8: Decent work and economic growth"
    assert names["kind:report"] == "Kind: Report"


def test_get_record_in_dublin_core(harvest, records):
    first = records[0]
    root = harvest(
        verb="GetRecord", identifier=f"oai:unsse.org:resource/{first.pk}", metadataPrefix="oai_dc"
    )
    header = root.find(".//oai:header", NS)
    assert header.get("status") is None
    assert header.findtext("oai:datestamp", namespaces=NS) == "2023-01-10T09:00:00Z"
    assert [s.text for s in header.findall("oai:setSpec", NS)] == ["kind:report", "sdg:8", "sdg:17"]
    dc = root.find(".//oai_dc:dc", NS)

    def values(name):
        return [element.text for element in dc.findall(f"dc:{name}", NS)]

    assert values("title") == ["Third Technical Symposium: Brief Report"]
    assert values("creator") == ["International Labour Organization"]
    assert values("subject") == [
        "Action plan",
        "SDG 8: Decent work and economic growth",
        "SDG 17: Partnerships for the goals",
    ]
    assert values("description") == ["The action plan 2022-2024."]
    assert values("date") == ["2022-03"]
    assert values("type") == ["Report", "Text"]
    assert values("identifier") == [f"http://testserver/knowledge-hub/{first.pk}-{first.slug}/"]
    assert values("language") == ["en"]
    assert values("rights") == ["https://creativecommons.org/licenses/by/4.0/"]


def test_get_record_with_a_year_only_date_and_a_doi(harvest, records):
    second = records[1]
    root = harvest(
        verb="GetRecord", identifier=f"oai:unsse.org:resource/{second.pk}", metadataPrefix="oai_dc"
    )
    assert [e.text for e in root.findall(".//dc:date", NS)] == ["2014"]
    assert [e.text for e in root.findall(".//dc:creator", NS)] == ["Ilcheong Yi"]
    assert root.findall(".//dc:identifier", NS)[1].text == "https://doi.org/10.1234/sse.2014"


def test_a_withdrawn_resource_is_a_deleted_record(harvest, records):
    third = records[2]
    root = harvest(
        verb="GetRecord", identifier=f"oai:unsse.org:resource/{third.pk}", metadataPrefix="oai_dc"
    )
    header = root.find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("oai:datestamp", namespaces=NS) == "2024-02-01T08:00:00Z"
    assert root.find(".//oai:metadata", NS) is None


def test_list_identifiers_and_records_include_deleted_ones(harvest, records):
    expected = [f"oai:unsse.org:resource/{resource.pk}" for resource in records]
    root = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(root) == expected
    assert root.find(".//oai:resumptionToken", NS) is None
    root = harvest(verb="ListRecords", metadataPrefix="oai_dc")
    assert identifiers(root) == expected
    assert len(root.findall(".//oai:record/oai:metadata", NS)) == 2
    assert [h.get("status") for h in root.findall(".//oai:header", NS)] == [None, None, "deleted"]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"from": "2023-06-01"}, [1, 2]),
        ({"from": "2023-06-01T12:30:00Z"}, [1, 2]),
        ({"from": "2023-06-01T12:30:01Z"}, [2]),
        ({"until": "2023-06-01"}, [0, 1]),
        ({"until": "2023-06-01T12:29:59Z"}, [0]),
        ({"from": "2023-01-01", "until": "2023-12-31"}, [0, 1]),
        ({"set": "kind:report"}, [0]),
        ({"set": "sdg:8"}, [0]),
        ({"set": "sdg"}, [0]),
        ({"set": "kind"}, [0, 1, 2]),
        ({"set": "kind:video", "from": "2024-01-01"}, [2]),
    ],
)
def test_selective_harvesting_by_date_and_set(harvest, records, arguments, expected):
    root = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
    assert identifiers(root) == [f"oai:unsse.org:resource/{records[i].pk}" for i in expected]


def test_paging_through_a_resumption_token(harvest, settings, records):
    settings.OAI_PAGE_SIZE = 2
    extra = ResourceFactory(title="Fourth")
    expected = [f"oai:unsse.org:resource/{r.pk}" for r in (*records, extra)]

    first = harvest(verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS)
    assert identifiers(first) == expected[:2]
    assert (token.get("completeListSize"), token.get("cursor")) == ("4", "0")
    assert token.get("expirationDate").endswith("Z")
    assert token.text

    second = harvest(verb="ListRecords", resumptionToken=token.text)
    last_token = second.find(".//oai:resumptionToken", NS)
    assert identifiers(second) == expected[2:]
    # The last page ends the list with an empty token.
    assert (last_token.text, last_token.get("completeListSize"), last_token.get("cursor")) == (
        None,
        "4",
        "2",
    )
    request = second.find("oai:request", NS)
    assert request.attrib == {"verb": "ListRecords", "resumptionToken": token.text}


def test_paging_list_identifiers_keeps_the_set_and_dates(harvest, settings):
    settings.OAI_PAGE_SIZE = 1
    reports = [ResourceFactory(kind=ResourceKind.REPORT, title=f"Report {n}") for n in range(3)]
    ResourceFactory(kind=ResourceKind.VIDEO)
    seen = []
    root = harvest(verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind:report")
    while True:
        seen += identifiers(root)
        token = root.find(".//oai:resumptionToken", NS)
        if token is None or not token.text:
            break
        root = harvest(verb="ListIdentifiers", resumptionToken=token.text)
    assert seen == [f"oai:unsse.org:resource/{r.pk}" for r in reports]


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Delete"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2023-01-01",
                "until": "2023-12-31T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2023-02-30"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "bad prefix"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "marc21",
                "identifier": "oai:unsse.org:resource/1",
            },
            "cannotDisseminateFormat",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:unsse.org:resource/9999",
            },
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:elsewhere.org:resource/1",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:unsse.org:resource/9999"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-01-01"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "kind:novel"},
            "noRecordsMatch",
        ),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "sdg:3"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "forged-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
    ],
)
def test_each_error_code(client, harvest, records, arguments, code):
    root = harvest(**arguments)
    assert error_codes(root) == [code]
    request = root.find("oai:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert request.attrib == {}
    else:
        assert request.get("verb") == arguments["verb"]


def test_a_token_of_another_verb_or_expired_is_refused(harvest, settings, records):
    settings.OAI_PAGE_SIZE = 1
    token = (
        harvest(verb="ListIdentifiers", metadataPrefix="oai_dc")
        .find(".//oai:resumptionToken", NS)
        .text
    )
    assert error_codes(harvest(verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=2)):
        assert error_codes(harvest(verb="ListIdentifiers", resumptionToken=token)) == [
            "badResumptionToken"
        ]
    assert identifiers(harvest(verb="ListIdentifiers", resumptionToken=token))


@pytest.mark.parametrize("size", [1, 3])
def test_list_records_query_count_does_not_grow(client, django_assert_num_queries, size):
    for number in range(size):
        ResourceFactory(
            authors=["A B"], sdgs=[1, 2], themes=["T"], organisations=[OrganisationFactory()]
        )
    # count, the page, then its authors, organisations, SDGs and themes
    with django_assert_num_queries(6):
        client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
