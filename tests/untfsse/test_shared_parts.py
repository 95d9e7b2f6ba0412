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
    DEFAULT_PASSWORD,
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
    # The page kept whole for members' and observers' focal points (of one time zone): user,
    # their person (standing), their invitation (none); the session is read from the cache.
    with django_assert_num_queries(3):
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


# --- Pages kept whole for signed-in readers (untfsse/core/cache.py, serve_reader_page) --------
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEPT_WHOLE = ["/", "/members/", "/meetings/", "/knowledge-hub/", "/members/ripess/"]


def _signed_in(user) -> Client:
    """Signed in through the sign-in form (which leaves a message), then checking CSRF tokens."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    client.handler.enforce_csrf_checks = True
    return client


def test_a_page_kept_whole_gives_each_reader_their_own_name_token_and_messages():
    OrganisationFactory(acronym="RIPESS", slug="ripess", kind="observer")
    first = FocalPointFactory(name="Fay First", organisation__kind="member")
    second = FocalPointFactory(name="Sid Second", organisation__kind="member")
    first_client, second_client = _signed_in(first), _signed_in(second)
    for path in KEPT_WHOLE:
        # The first reader's sign-in message is theirs alone, and shown once.
        first_html = first_client.get(path).content.decode()
        assert ("Successfully signed in as Fay First." in first_html) == (path == "/"), path
        second_html = second_client.get(path).content.decode()
        assert ("Successfully signed in as Sid Second." in second_html) == (path == "/"), path
        assert "Fay First" not in second_html and "Sid Second" in second_html, path
        assert "Sid Second" not in first_html and "Fay First" in first_html, path
        # Each reader's form carries a token of their own CSRF cookie: the other's is refused.
        [first_token] = CSRF_VALUE.findall(first_html)
        [second_token] = CSRF_VALUE.findall(second_html)
        assert first_token != second_token
        assert "/admin/" not in second_html
    assert second_client.get("/members/").status_code == 200  # kept: served from the copy
    refused = second_client.post("/accounts/logout/", {"csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403
    signed_out = second_client.post("/accounts/logout/", {"csrfmiddlewaretoken": second_token})
    assert signed_out.status_code == 302
    assert "Sid Second" not in second_client.get("/members/").content.decode()
    assert "Fay First" in first_client.get("/members/").content.decode()


def test_a_page_kept_whole_is_kept_per_time_zone():
    tokyo = FocalPointFactory(name="Tomo Tokyo", organisation__kind="member")
    tokyo.person.time_zone = "Asia/Tokyo"
    tokyo.person.save(update_fields=["time_zone"])
    utc = FocalPointFactory(name="Uma Utc", organisation__kind="member")
    for _ in range(2):
        for client, zone in ((_reader(tokyo), "Asia/Tokyo"), (_reader(utc), "UTC")):
            html = client.get("/meetings/").content.decode()
            assert f"in yours ({zone})." in html, zone


def test_a_change_shows_at_once_on_a_page_kept_whole(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(acronym="RIPESS", slug="ripess", name="Old Name")
    client = _reader(FocalPointFactory(name="Ann Member", organisation__kind="member"))
    assert "Old Name" in client.get("/members/ripess/").content.decode()
    assert "Old Name" in client.get("/members/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "New Name"
        organisation.save()
    for path in ("/members/ripess/", "/members/"):
        html = client.get(path).content.decode()
        assert "New Name" in html and "Old Name" not in html, path


@pytest.mark.parametrize("staff_first", [True, False])
def test_staff_outside_the_secretariat_keep_their_own_copy_of_a_public_standing(staff_first):
    """Both read the public standing's page; only staff get the admin's links in the header."""
    staff = _reader(UserFactory(name="Stan Staff", is_staff=True))
    plain = _reader(UserFactory(name="Pat Plain"))
    order = [staff, plain] if staff_first else [plain, staff]
    for _ in range(2):
        for client in order:
            html = client.get("/members/").content.decode()
            assert ('href="/admin/"' in html) == (client is staff)
            assert ("Stan Staff" in html, "Pat Plain" in html) == (
                client is staff,
                client is plain,
            )
