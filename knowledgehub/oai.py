"""OAI-PMH 2.0 for the Knowledge Hub (http://www.openarchives.org/OAI/openarchivesprotocol.html).

One metadata format (oai_dc); sets by kind (`kind:report`) and by SDG (`sdg:8`); datestamps to
the second in UTC; withdrawn resources stay as deleted records (deletedRecord=persistent: the
admin cannot delete a resource, only withdraw it). Lists come in pages ordered by id, with
signed resumption tokens carrying the request and the last id sent, valid for a day.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Min, Prefetch, Q
from django.utils import timezone, translation

from knowledgehub.citations import citation_authors, publisher
from knowledgehub.models import (
    LICENCE_URLS,
    SDG_NAMES,
    Resource,
    ResourceAuthor,
    ResourceKind,
    ResourceStatus,
)
from members.models import DatePrecision

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
METADATA_PREFIX = "oai_dc"
TOKEN_SALT = "knowledgehub.oai.resumption"
TOKEN_LIFETIME = datetime.timedelta(hours=24)
EARLIEST_FALLBACK = datetime.datetime(2013, 1, 1, tzinfo=datetime.UTC)

ET.register_namespace("", OAI_NS)
ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("xsi", XSI_NS)
ET.register_namespace("oai-identifier", OAI_IDENTIFIER_NS)

VERB_ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
# The shapes the OAI-PMH schema gives these arguments (echoed back only when they fit).
_PREFIX_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_SET_SPEC_PATTERN = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
_IDENTIFIER_PATTERN = re.compile(r"[^\s<>\"{}|\\^`]{1,500}")
_DOMAIN_PATTERN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
# Characters XML 1.0 cannot carry, which may hide in pasted abstracts.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None, namespace: str = OAI_NS, **attrs):
    element = ET.SubElement(parent, _tag(namespace, name), attrs)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def utc_datestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def repository_identifier() -> str:
    return settings.OAI_REPOSITORY_IDENTIFIER or (
        urlsplit(settings.PORTAL_URL).hostname or "localhost"
    )


def oai_identifier(resource_id: int) -> str:
    return f"oai:{repository_identifier()}:resource/{resource_id}"


def resource_id_from_identifier(identifier: str) -> int | None:
    prefix = f"oai:{repository_identifier()}:resource/"
    if not identifier.startswith(prefix):
        return None
    rest = identifier[len(prefix) :]
    return int(rest) if rest.isdigit() and len(rest) < 19 else None


# --- Sets ----------------------------------------------------------------------------------
def _sets() -> list[tuple[str, str]]:
    with translation.override("en"):
        kinds = [(f"kind:{value}", f"Kind: {label}") for value, label in ResourceKind.choices]
        sdgs = [(f"sdg:{number}", f"SDG {number}: {name}") for number, name in SDG_NAMES.items()]
    return [("kind", "By kind"), *kinds, ("sdg", "By Sustainable Development Goal"), *sdgs]


def _set_condition(spec: str) -> Q | None:
    """The resources in the set, or None for a set that does not exist."""
    if spec == "kind":
        return Q()
    if spec == "sdg":
        return Q(sdgs__isnull=False)
    group, _, value = spec.partition(":")
    if group == "kind" and value in ResourceKind.values:
        return Q(kind=value)
    if group == "sdg" and value.isdigit() and 1 <= int(value) <= 17:
        return Q(sdgs__number=int(value))
    return None


# --- Arguments -----------------------------------------------------------------------------
@dataclass
class Harvest:
    """The selective-harvesting arguments of a list request, and where its last page ended."""

    verb: str
    metadata_prefix: str
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None
    after_id: int = 0
    cursor: int = 0


def _parse_datestamp(value: str, *, end_of_day: bool) -> tuple[datetime.datetime, str]:
    """A from/until value as an aware datetime, with its granularity ("day" or "seconds")."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = datetime.date.fromisoformat(value)
            moment = datetime.datetime.combine(
                day, datetime.time.max if end_of_day else datetime.time.min, tzinfo=datetime.UTC
            )
            return moment, "day"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.UTC
            )
            if end_of_day:
                moment = moment.replace(microsecond=999999)
            return moment, "seconds"
    except ValueError:
        pass
    raise OaiError(
        "badArgument", f"“{value}” is not a UTC datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)."
    )


def _sign_token(harvest: Harvest) -> str:
    return signing.dumps(
        [
            harvest.verb,
            harvest.metadata_prefix,
            harvest.set_spec,
            harvest.from_,
            harvest.until,
            harvest.after_id,
            harvest.cursor,
        ],
        salt=TOKEN_SALT,
        compress=True,
    )


def _read_token(token: str, verb: str) -> Harvest:
    try:
        values = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_LIFETIME)
        token_verb, prefix, set_spec, from_, until, after_id, cursor = values
    except (signing.BadSignature, ValueError, TypeError):
        raise OaiError(
            "badResumptionToken", "This resumption token is invalid or has expired."
        ) from None
    if token_verb != verb:
        raise OaiError("badResumptionToken", "This resumption token belongs to another verb.")
    return Harvest(verb, prefix, set_spec, from_, until, int(after_id), int(cursor))


def _check_arguments(verb: str, arguments: dict[str, str]) -> None:
    required, optional = VERB_ARGUMENTS[verb]
    names = set(arguments)
    if "resumptionToken" in names and names != {"resumptionToken"}:
        raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
    illegal = names - required - optional
    if illegal:
        raise OaiError(
            "badArgument", f"Illegal argument(s) for {verb}: {', '.join(sorted(illegal))}."
        )
    if "metadataPrefix" in arguments and not _PREFIX_PATTERN.fullmatch(arguments["metadataPrefix"]):
        raise OaiError("badArgument", "This is not a metadata prefix.")
    if "set" in arguments and not _SET_SPEC_PATTERN.fullmatch(arguments["set"]):
        raise OaiError("badArgument", "This is not a set specification.")
    if "identifier" in arguments and not _IDENTIFIER_PATTERN.fullmatch(arguments["identifier"]):
        raise OaiError("badArgument", "This is not an OAI identifier.")
    if "resumptionToken" not in names:
        missing = required - names
        if missing:
            raise OaiError(
                "badArgument", f"Missing argument(s) for {verb}: {', '.join(sorted(missing))}."
            )


# --- Records -------------------------------------------------------------------------------
def _records_queryset():
    return Resource.objects.prefetch_related(
        Prefetch("authors", queryset=ResourceAuthor.objects.order_by("order", "pk")),
        "organisations",
        "sdgs",
        "themes",
    )


def _dc_date(resource: Resource) -> str | None:
    date = resource.published_on
    if date is None:
        return None
    if resource.published_precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if resource.published_precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def _header(parent: ET.Element, resource: Resource) -> None:
    attrs = {"status": "deleted"} if resource.status == ResourceStatus.WITHDRAWN else {}
    header = _sub(parent, "header", **attrs)
    _sub(header, "identifier", oai_identifier(resource.pk))
    _sub(header, "datestamp", utc_datestamp(resource.updated_at))
    _sub(header, "setSpec", f"kind:{resource.kind}")
    for sdg in resource.sdgs.all():
        _sub(header, "setSpec", f"sdg:{sdg.number}")


def _dublin_core(parent: ET.Element, resource: Resource, *, page_url: str) -> None:
    metadata = _sub(parent, "metadata")
    dc = ET.SubElement(
        metadata,
        _tag(OAI_DC_NS, "dc"),
        {_tag(XSI_NS, "schemaLocation"): f"{OAI_DC_NS} {OAI_DC_SCHEMA}"},
    )
    with translation.override("en"):
        _sub(dc, "title", resource.title, DC_NS)
        for author in citation_authors(resource):
            _sub(dc, "creator", author.name, DC_NS)
        for theme in resource.themes.all():
            _sub(dc, "subject", theme.name, DC_NS)
        for sdg in resource.sdgs.all():
            _sub(dc, "subject", f"SDG {sdg.number}: {sdg.name}", DC_NS)
        if resource.abstract:
            _sub(dc, "description", resource.abstract, DC_NS)
        _sub(dc, "publisher", publisher(resource), DC_NS)
        if date := _dc_date(resource):
            _sub(dc, "date", date, DC_NS)
        _sub(dc, "type", str(resource.get_kind_display()), DC_NS)
        _sub(dc, "type", "MovingImage" if resource.kind == ResourceKind.VIDEO else "Text", DC_NS)
        if resource.pdf:
            _sub(dc, "format", "application/pdf", DC_NS)
        _sub(dc, "identifier", page_url, DC_NS)
        if resource.doi:
            _sub(dc, "identifier", resource.doi_url, DC_NS)
        if resource.external_url:
            _sub(dc, "relation", resource.external_url, DC_NS)
        if resource.language != "other":
            _sub(dc, "language", resource.language, DC_NS)
        _sub(
            dc,
            "rights",
            LICENCE_URLS.get(resource.licence) or str(resource.get_licence_display()),
            DC_NS,
        )


def _record(parent: ET.Element, resource: Resource, absolute_url) -> None:
    record = _sub(parent, "record")
    _header(record, resource)
    if resource.status != ResourceStatus.WITHDRAWN:
        _dublin_core(record, resource, page_url=absolute_url(resource.get_absolute_url()))


# --- Verbs ---------------------------------------------------------------------------------
def _identify(root: ET.Element, base_url: str) -> None:
    identify = _sub(root, "Identify")
    _sub(identify, "repositoryName", f"{settings.SITE_NAME}: Knowledge Hub")
    _sub(identify, "baseURL", base_url)
    _sub(identify, "protocolVersion", "2.0")
    _sub(identify, "adminEmail", settings.SECRETARIAT_EMAIL)
    earliest = Resource.objects.aggregate(earliest=Min("updated_at"))["earliest"]
    _sub(identify, "earliestDatestamp", utc_datestamp(earliest or EARLIEST_FALLBACK))
    _sub(identify, "deletedRecord", "persistent")
    _sub(identify, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    if not _DOMAIN_PATTERN.fullmatch(repository_identifier()):
        return  # the oai-identifier description needs a domain name (not localhost or an IP)
    description = _sub(identify, "description")
    identifier = ET.SubElement(
        description,
        _tag(OAI_IDENTIFIER_NS, "oai-identifier"),
        {_tag(XSI_NS, "schemaLocation"): f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}"},
    )
    _sub(identifier, "scheme", "oai", OAI_IDENTIFIER_NS)
    _sub(identifier, "repositoryIdentifier", repository_identifier(), OAI_IDENTIFIER_NS)
    _sub(identifier, "delimiter", ":", OAI_IDENTIFIER_NS)
    _sub(identifier, "sampleIdentifier", oai_identifier(1), OAI_IDENTIFIER_NS)


def _list_metadata_formats(root: ET.Element, arguments: dict[str, str]) -> None:
    if "identifier" in arguments:
        resource_id = resource_id_from_identifier(arguments["identifier"])
        if resource_id is None or not Resource.objects.filter(pk=resource_id).exists():
            raise OaiError("idDoesNotExist", "No item has this identifier.")
    formats = _sub(root, "ListMetadataFormats")
    metadata_format = _sub(formats, "metadataFormat")
    _sub(metadata_format, "metadataPrefix", METADATA_PREFIX)
    _sub(metadata_format, "schema", OAI_DC_SCHEMA)
    _sub(metadata_format, "metadataNamespace", OAI_DC_NS)


def _list_sets(root: ET.Element, arguments: dict[str, str]) -> None:
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", "ListSets answers in one response; no token applies.")
    list_sets = _sub(root, "ListSets")
    for spec, name in _sets():
        entry = _sub(list_sets, "set")
        _sub(entry, "setSpec", spec)
        _sub(entry, "setName", name)


def _get_record(root: ET.Element, arguments: dict[str, str], absolute_url) -> None:
    if arguments["metadataPrefix"] != METADATA_PREFIX:
        raise OaiError("cannotDisseminateFormat", "Only oai_dc is available.")
    resource_id = resource_id_from_identifier(arguments["identifier"])
    resource = _records_queryset().filter(pk=resource_id).first() if resource_id else None
    if resource is None:
        raise OaiError("idDoesNotExist", "No item has this identifier.")
    _record(_sub(root, "GetRecord"), resource, absolute_url)


def _harvest_from(verb: str, arguments: dict[str, str]) -> Harvest:
    if "resumptionToken" in arguments:
        return _read_token(arguments["resumptionToken"], verb)
    harvest = Harvest(
        verb=verb,
        metadata_prefix=arguments["metadataPrefix"],
        set_spec=arguments.get("set"),
        from_=arguments.get("from"),
        until=arguments.get("until"),
    )
    granularities = set()
    if harvest.from_:
        granularities.add(_parse_datestamp(harvest.from_, end_of_day=False)[1])
    if harvest.until:
        granularities.add(_parse_datestamp(harvest.until, end_of_day=True)[1])
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if harvest.metadata_prefix != METADATA_PREFIX:
        raise OaiError("cannotDisseminateFormat", "Only oai_dc is available.")
    return harvest


def _list(root: ET.Element, verb: str, arguments: dict[str, str], absolute_url) -> None:
    harvest = _harvest_from(verb, arguments)
    resources = Resource.objects.all()
    if harvest.set_spec:
        condition = _set_condition(harvest.set_spec)
        if condition is None:
            raise OaiError("noRecordsMatch", "There is no such set.")
        resources = resources.filter(condition).distinct()
    if harvest.from_:
        resources = resources.filter(
            updated_at__gte=_parse_datestamp(harvest.from_, end_of_day=False)[0]
        )
    if harvest.until:
        resources = resources.filter(
            updated_at__lte=_parse_datestamp(harvest.until, end_of_day=True)[0]
        )
    page_size = settings.OAI_PAGE_SIZE
    complete_size = resources.count()
    if complete_size == 0:
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    queryset = (
        _records_queryset() if verb == "ListRecords" else Resource.objects.prefetch_related("sdgs")
    )
    page = list(
        queryset.filter(pk__in=resources.filter(pk__gt=harvest.after_id).values("pk")).order_by(
            "pk"
        )[:page_size]
    )
    if not page:
        raise OaiError(
            "badResumptionToken", "This resumption token points past the end of the list."
        )
    container = _sub(root, verb)
    for resource in page:
        if verb == "ListRecords":
            _record(container, resource, absolute_url)
        else:
            _header(container, resource)
    sent = harvest.cursor + len(page)
    if harvest.cursor or sent < complete_size:
        token_attrs = {"completeListSize": str(complete_size), "cursor": str(harvest.cursor)}
        if sent < complete_size:
            harvest.after_id, harvest.cursor = page[-1].pk, sent
            token_attrs["expirationDate"] = utc_datestamp(timezone.now() + TOKEN_LIFETIME)
            _sub(container, "resumptionToken", _sign_token(harvest), **token_attrs)
        else:
            _sub(container, "resumptionToken", "", **token_attrs)


def oai_response(arguments: dict[str, list[str]], *, base_url: str, absolute_url) -> bytes:
    """The XML answer to an OAI-PMH request (all its errors included, as the protocol wants).

    `arguments` maps each parameter to all its values (a QueryDict's lists); `absolute_url`
    turns a path into the portal's full URL.
    """
    root = ET.Element(
        _tag(OAI_NS, "OAI-PMH"), {_tag(XSI_NS, "schemaLocation"): f"{OAI_NS} {OAI_SCHEMA}"}
    )
    _sub(root, "responseDate", utc_datestamp(timezone.now()))
    request_element = _sub(root, "request", base_url)
    try:
        verbs = arguments.get("verb", [])
        if len(verbs) != 1 or verbs[0] not in VERB_ARGUMENTS:
            raise OaiError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb.")
        verb = verbs[0]
        repeated = [name for name, values in arguments.items() if len(values) > 1]
        if repeated:
            raise OaiError("badArgument", f"Repeated argument(s): {', '.join(sorted(repeated))}.")
        single = {name: values[0] for name, values in arguments.items() if name != "verb"}
        _check_arguments(verb, single)
        # Only a request understood is echoed back in the request element.
        request_element.set("verb", verb)
        for name, value in single.items():
            request_element.set(name, value)
        if verb == "Identify":
            _identify(root, base_url)
        elif verb == "ListMetadataFormats":
            _list_metadata_formats(root, single)
        elif verb == "ListSets":
            _list_sets(root, single)
        elif verb == "GetRecord":
            _get_record(root, single, absolute_url)
        else:
            _list(root, verb, single, absolute_url)
    except OaiError as error:
        if error.code in {"badVerb", "badArgument"}:
            request_element.attrib.clear()
        _sub(root, "error", error.message, code=error.code)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
