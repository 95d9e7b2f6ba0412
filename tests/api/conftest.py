"""A small portal for the API tests: public records, and beside them members-only ones marked
with words that must never appear in an API answer."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actionplan.services import progress_update_post
from knowledgehub.services import resource_withdraw
from meetings.models import AttendanceCapacity, DocumentVisibility, MinutesStatus
from meetings.services import document_add
from members.models import Office, OrganisationKind
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    SecretariatUserFactory,
)
from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory
from tests.factories.knowledgehub import CallForPapersFactory, ResourceFactory, make_submission
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    PastMeetingFactory,
    RecentMeetingFactory,
)
from tests.knowledgehub.pdfs import make_pdf

# Members-only content, and what no public page shows: none of it may appear in the API.
SECRETS = {
    "join link": "https://meet.example.org/secret-join-room",
    "members-only document": "Members-only budget draft",
    "draft minutes": "DRAFT MINUTES: the chair's private remarks",
    "circulated minutes": "CIRCULATED MINUTES: for members' comments",
    "approved minutes": "APPROVED MINUTES: not yet made public",
    "person without a public profile": "Hidden Participant",
    "their e-mail address": "hidden.participant@example.org",
    "a public person's e-mail address": "public.person@example.org",
    "a submission": "A submission under review",
    "withdrawn abstract": "The abstract of a withdrawn paper",
}
# Public content the walk must reach (proof that it looked where the secrets would be).
PUBLIC = {
    "public minutes": "PUBLIC MINUTES: the Task Force adopted its report",
    "public document": "Public concept note",
    "public person": "Pat Public",
    "published resource": "Social economy and the SDGs",
    "withdrawn title": "A withdrawn paper",
}


@dataclass
class ApiWorld:
    ilo: object
    ripess: object
    public_person: object
    hidden_person: object
    meeting: object
    past_meeting: object
    plan: object
    item: object
    resource: object
    withdrawn: object
    call: object
    secretariat: object
    member_fp: object


@pytest.fixture
def api_world(settings) -> ApiWorld:
    secretariat = SecretariatUserFactory()
    ilo = OrganisationFactory(acronym="ILO", slug="ilo", kind=OrganisationKind.MEMBER)
    ripess = OrganisationFactory(acronym="RIPESS", slug="ripess", kind=OrganisationKind.OBSERVER)
    public_person = PersonFactory(
        name=PUBLIC["public person"],
        organisation=ilo,
        public_profile=True,
        email=SECRETS["a public person's e-mail address"],
        position="Coordinator",
    )
    hidden_person = PersonFactory(
        name=SECRETS["person without a public profile"],
        organisation=ripess,
        public_profile=False,
        email=SECRETS["their e-mail address"],
    )
    RoleFactory(office=Office.CHAIR, person=public_person, organisation=ilo)
    RoleFactory(office=Office.VICE_CHAIR, person=hidden_person, organisation=ripess)

    meeting = MeetingFactory(slug="next-meeting", join_url=SECRETS["join link"])
    InvitationFactory(meeting=meeting, person=hidden_person)
    AgendaItemFactory(meeting=meeting, order=1, title="Welcome", presenter=hidden_person)
    pdf = make_pdf("Notes")
    document_add(
        meeting=meeting,
        title=PUBLIC["public document"],
        by=secretariat,
        visibility=DocumentVisibility.PUBLIC,
        upload=SimpleUploadedFile("note.pdf", pdf),
    )
    document_add(
        meeting=meeting,
        title=SECRETS["members-only document"],
        by=secretariat,
        visibility=DocumentVisibility.MEMBERS,
        upload=SimpleUploadedFile("budget.pdf", pdf),
    )
    past_meeting = PastMeetingFactory(slug="past-meeting")
    AttendanceFactory(meeting=past_meeting, person=public_person)
    AttendanceFactory(
        meeting=past_meeting, person=hidden_person, capacity=AttendanceCapacity.OBSERVER
    )
    recent = RecentMeetingFactory(slug="recent-meeting")
    now = timezone.now()
    MinutesFactory(meeting=meeting, status=MinutesStatus.DRAFT, body=SECRETS["draft minutes"])
    MinutesFactory(
        meeting=past_meeting,
        status=MinutesStatus.PUBLIC,
        body=PUBLIC["public minutes"],
        approved_at_meeting=recent,
        approved_at=now,
        published_at=now,
    )
    MinutesFactory(
        meeting=recent, status=MinutesStatus.CIRCULATED, body=SECRETS["circulated minutes"]
    )
    older = PastMeetingFactory(slug="older-meeting", start=now - datetime.timedelta(days=90))
    MinutesFactory(
        meeting=older,
        status=MinutesStatus.APPROVED,
        body=SECRETS["approved minutes"],
        approved_at_meeting=past_meeting,
        approved_at=now,
    )

    plan = ActionPlanFactory(slug="2022-2024", is_current=True)
    item = ActionItemFactory(area=PriorityAreaFactory(plan=plan, number=1), order=1, leads=[ilo])
    progress_update_post(
        item=item,
        by=secretariat,
        date=datetime.date(2023, 7, 11),
        text="Work began.",
        status="in_progress",
        progress=20,
        reported_by=hidden_person,
        source_meeting=past_meeting,
    )

    resource = ResourceFactory(
        title=PUBLIC["published resource"],
        authors=["Ilcheong Yi"],
        organisations=[ilo],
        sdgs=[8],
        themes=["Public policies"],
    )
    withdrawn = ResourceFactory(
        title=PUBLIC["withdrawn title"], abstract=SECRETS["withdrawn abstract"]
    )
    resource_withdraw(resource=withdrawn, reason="Duplicate of another record", by=secretariat)
    call = CallForPapersFactory(slug="sse-and-sdgs", title="SSE and the SDGs")
    make_submission(title=SECRETS["a submission"], state="submitted")
    member_fp = FocalPointFactory(organisation=ilo)
    return ApiWorld(
        ilo=ilo,
        ripess=ripess,
        public_person=public_person,
        hidden_person=hidden_person,
        meeting=meeting,
        past_meeting=past_meeting,
        plan=plan,
        item=item,
        resource=resource,
        withdrawn=withdrawn,
        call=call,
        secretariat=secretariat,
        member_fp=member_fp,
    )
