"""Reads of organisations, people and offices shared by pages, exports and other apps."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from members.actors import require_secretariat
from members.models import (
    AffiliationRequest,
    Office,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from members.sections import organisation_sections


@dataclass
class DirectoryGroup:
    kind: str
    label: str
    organisations: list[Organisation]

    @property
    def count(self) -> int:
        return len(self.organisations)


def directory_groups(organisations: QuerySet[Organisation]) -> list[DirectoryGroup]:
    """The filtered organisations split into members, observers and partners (one query)."""
    by_kind: dict[str, list[Organisation]] = {kind: [] for kind in OrganisationKind.values}
    for organisation in organisations.order_by("acronym"):
        by_kind[organisation.kind].append(organisation)
    return [
        DirectoryGroup(kind=kind, label=label, organisations=by_kind[kind])
        for kind, label in OrganisationKind.choices
        if by_kind[kind] or kind != OrganisationKind.PARTNER
    ]


def organisation_page_shared(organisation: Organisation, request) -> dict:
    """What an organisation's page shows below its heading, the same for every reader: its
    public people, its offices (current, then past) and the sections of the other apps. Five
    queries, whatever their lengths."""
    offices = list(
        Role.objects.filter(organisation=organisation)
        .select_related("person")
        .order_by("ended_on", "-started_on")
    )
    for role in offices:
        role.organisation = organisation
    return {
        "public_people": list(
            Person.objects.public()
            .filter(organisation=organisation)
            .order_by("name")
            .only("pk", "honorific", "name", "position")
        ),
        "current_offices": [role for role in offices if role.is_current],
        "past_offices": [role for role in offices if not role.is_current],
        "sections": organisation_page_sections(organisation, request),
    }


def organisation_for_page(slug: str) -> Organisation:
    """The organisation with its public people and its offices, in three queries."""
    return Organisation.objects.prefetch_related(
        Prefetch(
            "people", queryset=Person.objects.public().order_by("name"), to_attr="public_people"
        ),
        Prefetch(
            "roles",
            queryset=Role.objects.select_related("person").order_by("ended_on", "-started_on"),
            to_attr="offices",
        ),
    ).get(slug=slug)


def organisation_page_sections(organisation: Organisation, request) -> list[dict]:
    """The sections other apps contribute to the organisation's page, with their context."""
    rendered = []
    for section in organisation_sections():
        context = section.context(organisation=organisation, request=request)
        if context is not None:
            rendered.append({"section": section, **context})
    return rendered


OFFICE_ORDER = [
    Office.CHAIR,
    Office.VICE_CHAIR,
    Office.SECRETARIAT,
    Office.COMMUNICATIONS,
    Office.KNOWLEDGE_HUB,
]
# The governance page always shows these, with "no current holder" when vacant; the other
# offices appear once someone has held them.
PRINCIPAL_OFFICES = {Office.CHAIR, Office.VICE_CHAIR, Office.SECRETARIAT}


@dataclass
class GovernanceOffice:
    office: str
    label: str
    current: list[Role]
    past: list[Role]


def governance_offices() -> list[GovernanceOffice]:
    """Each office with its current holders and its history, most recent first (one query)."""
    roles = Role.objects.select_related("person", "person__organisation", "organisation").order_by(
        "-ended_on", "-started_on", "pk"
    )
    offices = {
        office: GovernanceOffice(office, Office(office).label, [], []) for office in OFFICE_ORDER
    }
    for role in roles:
        target = offices[role.office]
        (target.current if role.is_current else target.past).append(role)
    return [
        office
        for office in offices.values()
        if office.office in PRINCIPAL_OFFICES or office.current or office.past
    ]


def pending_affiliation_requests() -> QuerySet[AffiliationRequest]:
    return AffiliationRequest.objects.pending().select_related("user", "organisation", "person")


def pending_affiliation_request_of(user) -> AffiliationRequest | None:
    """The user's request waiting for the secretariat (there is at most one), or None."""
    return (
        AffiliationRequest.objects.pending()
        .filter(user=user)
        .select_related("organisation")
        .order_by("-created_at")
        .first()
    )


def affiliation_requests_of(user) -> QuerySet[AffiliationRequest]:
    return (
        AffiliationRequest.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-created_at")
    )


def directory_rows_with_contacts(*, by) -> list[list[str]]:
    """The directory with every person and their private e-mail: for secretariat exports only.
    Raises PermissionDenied for anyone else, whatever model permissions they hold."""
    require_secretariat(by)
    rows = []
    organisations = Organisation.objects.prefetch_related(
        Prefetch("people", queryset=Person.objects.order_by("name"))
    ).order_by("kind", "acronym")
    for organisation in organisations:
        people = list(organisation.people.all()) or [None]
        for person in people:
            rows.append(
                [
                    organisation.acronym,
                    organisation.name,
                    organisation.get_kind_display(),
                    organisation.country.name if organisation.country else "",
                    organisation.joined_on.isoformat() if organisation.joined_on else "",
                    organisation.left_on.isoformat() if organisation.left_on else "",
                    person.name if person else "",
                    person.position if person else "",
                    person.email if person else "",
                    "yes" if person and person.user_id else "",
                ]
            )
    return rows


DIRECTORY_EXPORT_HEADER = [
    "acronym", "organisation", "kind", "country", "joined on", "left on",
    "person", "position", "e-mail", "has account",
]  # fmt: skip
