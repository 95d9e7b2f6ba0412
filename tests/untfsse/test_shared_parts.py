"""The parts of pages kept for sharing (untfsse/core/cache.py, `shared_fragment`): readers of
different standing never receive each other's part, and no reader receives another's own part
(invitation, answer, form), whatever order they come in through the one cache."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from actionplan.models import ActionItemStatus
from meetings.models import DocumentVisibility, InvitationResponse, MinutesStatus
from meetings.services import SYSTEM, document_add
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory
from tests.factories.knowledgehub import ResourceFactory
from tests.factories.meetings import (
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
)

pytestmark = pytest.mark.django_db

MEETING = "/meetings/45th-regular-meeting/"
# What each standing alone may read on the meeting's page.
MEMBERS_ONLY = ["secret-room", "Internal budget note", "Private Participant"]
SECRETARIAT_ONLY = ["Draft decision on the budget"]
PUBLIC = ["Public agenda", "Participants", "Agenda point on finance"]


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="45th Regular Meeting",
        slug="45th-regular-meeting",
        join_url="https://meet.example.org/secret-room",
    )
    meeting.agenda_items.create(order=1, title="Agenda point on finance")
    for title, visibility in (
        ("Public agenda", DocumentVisibility.PUBLIC),
        ("Internal budget note", DocumentVisibility.MEMBERS),
    ):
        document_add(
            meeting=meeting,
            title=title,
            link=f"https://example.org/{visibility}.pdf",
            visibility=visibility,
            by=SYSTEM,
        )
    AttendanceFactory(meeting=meeting, person=PersonFactory(name="Public Participant"))
    AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="Private Participant", public_profile=False)
    )
    MinutesFactory(meeting=meeting, status=MinutesStatus.DRAFT, body="Draft decision on the budget")
    return meeting


def _reader(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def readers(meeting):
    """Each kind of reader with what their page must and must not show."""
    invited = FocalPointFactory(name="Ina Invited", organisation__kind="member")
    InvitationFactory(
        meeting=meeting,
        person=invited.person,
        response=InvitationResponse.ACCEPTED,
        responded_at=timezone.now(),
    )
    observer = FocalPointFactory(name="Otto Observer", organisation__kind="observer")
    everything = MEMBERS_ONLY + SECRETARIAT_ONLY
    return {
        "anonymous": (_reader(), PUBLIC, everything),
        "unaffiliated": (_reader(UserFactory(name="Una Unaffiliated")), PUBLIC, everything),
        "invited member": (_reader(invited), PUBLIC + MEMBERS_ONLY, SECRETARIAT_ONLY),
        "observer": (_reader(observer), PUBLIC + MEMBERS_ONLY, SECRETARIAT_ONLY),
        "secretariat": (_reader(SecretariatUserFactory(name="Sam Secretariat")), everything, []),
    }


ORDERS = [
    ["secretariat", "invited member", "observer", "unaffiliated", "anonymous"],
    ["anonymous", "unaffiliated", "observer", "invited member", "secretariat"],
    ["invited member", "anonymous", "secretariat", "observer", "unaffiliated"],
]
NAMES = ["Ina Invited", "Otto Observer", "Una Unaffiliated", "Sam Secretariat"]
OWN_NAME = {
    "invited member": "Ina Invited",
    "observer": "Otto Observer",
    "unaffiliated": "Una Unaffiliated",
    "secretariat": "Sam Secretariat",
}


@pytest.mark.parametrize("order", ORDERS)
def test_each_standing_reads_only_its_own_shared_part_of_a_meeting(readers, order):
    for _ in range(2):  # the first round fills the cache, the second is served from it
        for name in order:
            client, shown, hidden = readers[name]
            html = client.get(MEETING).content.decode()
            for text in shown:
                assert text in html, (name, text)
            for text in hidden:
                assert text not in html, (name, text)
            # Their own answer, and no one else's; their own name in the header, no one else's.
            assert ("Your answer: <strong>Accepted</strong>" in html) == (name == "invited member")
            assert ('action="/meetings/45th-regular-meeting/rsvp/"' in html) == (
                name == "invited member"
            )
            others = [other for other in NAMES if other != OWN_NAME.get(name)]
            assert [other for other in others if other in html] == [], name


def test_a_focal_point_gets_the_part_another_focal_point_made_but_not_their_answer(
    readers, django_assert_num_queries
):
    invited, _, _ = readers["invited member"]
    invited.get(MEETING)  # renders and keeps the members' part
    observer, _, _ = readers["observer"]
    # session, user, their person (standing), the meeting, their invitation (none): the
    # agenda, participants, documents and minutes come from the kept part.
    with django_assert_num_queries(5):
        html = observer.get(MEETING).content.decode()
    assert "Internal budget note" in html
    assert "Your answer" not in html


def test_the_secretariat_part_and_the_members_part_are_kept_apart(readers):
    secretariat, _, _ = readers["secretariat"]
    assert "Draft decision on the budget" in secretariat.get(MEETING).content.decode()
    observer, _, _ = readers["observer"]
    assert "Draft decision on the budget" not in observer.get(MEETING).content.decode()
    anonymous, _, _ = readers["anonymous"]
    html = anonymous.get(MEETING).content.decode()
    assert [text for text in MEMBERS_ONLY + SECRETARIAT_ONLY if text in html] == []


# --- Pages the same for every standing: only the reader's own part differs ------------------
@pytest.fixture
def item_page():
    lead = OrganisationFactory(acronym="ILO", slug="ilo", kind="member")
    plan = ActionPlanFactory(slug="2022-2024", is_current=True)
    area = PriorityAreaFactory(plan=plan, number=1)
    ActionItemFactory(
        area=area,
        order=1,
        leads=[lead],
        title="Map SSE statistics",
        status=ActionItemStatus.ONGOING,
    )
    return "/action-plan/2022-2024/1.1/", lead


FORM = 'id="post-update"'
SIGN_IN_HINT = "to post progress updates"


@pytest.mark.parametrize("lead_first", [True, False])
def test_only_a_lead_focal_point_gets_the_update_form_on_a_kept_item_page(item_page, lead_first):
    path, lead = item_page
    lead_reader = _reader(FocalPointFactory(name="Lea Lead", organisation=lead))
    other_reader = _reader(FocalPointFactory(name="Otto Other", organisation__kind="member"))
    order = [lead_reader, other_reader] if lead_first else [other_reader, lead_reader]
    for _ in range(2):
        for client in [*order, _reader()]:
            html = client.get(path).content.decode()
            assert "Map SSE statistics" in html
            is_lead = client is lead_reader
            assert (FORM in html) == is_lead
            assert (SIGN_IN_HINT in html) == (client not in (lead_reader, other_reader))
            assert ("Lea Lead" in html, "Otto Other" in html) == (
                is_lead,
                client is other_reader,
            )


def test_a_kept_organisation_or_resource_page_shows_each_reader_their_own_header():
    organisation = OrganisationFactory(acronym="RIPESS", slug="ripess", kind="observer")
    PersonFactory(name="Hidden Person", organisation=organisation, public_profile=False)
    resource = ResourceFactory(title="Cooperatives and the SDGs", organisations=[organisation])
    paths = ["/members/ripess/", resource.get_absolute_url()]
    clients = {
        "Ann Member": _reader(FocalPointFactory(name="Ann Member", organisation__kind="member")),
        "Sam Secretariat": _reader(SecretariatUserFactory(name="Sam Secretariat")),
        "": _reader(),
    }
    for path in paths:
        for _ in range(2):
            for own, client in clients.items():
                html = client.get(path).content.decode()
                assert "Hidden Person" not in html
                shown = [name for name in clients if name and name in html]
                assert shown == ([own] if own else []), (path, own)
                # The secretariat's links are in its own header only.
                assert ("/admin/" in html) == (own == "Sam Secretariat")
                assert len(re.findall(r"Cooperatives and the SDGs", html)) >= 1
