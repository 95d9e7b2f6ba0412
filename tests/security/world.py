"""The world the security tests probe: one object of each kind, and a user of each kind."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from knowledgehub.groups import REVIEWERS_GROUP
from knowledgehub.services import resource_withdraw
from meetings.invitation_links import answer_paths
from meetings.models import DocumentVisibility, MinutesStatus
from meetings.reminders.unsubscribe import unsubscribe_token
from meetings.services import document_add
from members.models import AffiliationInvitation, OrganisationKind
from members.tokens import invitation_token
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.actionplan import ActionItemFactory, ActionPlanFactory, PriorityAreaFactory
from tests.factories.knowledgehub import CallForPapersFactory, ResourceFactory, make_submission
from tests.factories.meetings import (
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    PastMeetingFactory,
)
from tests.knowledgehub.pdfs import make_pdf


@dataclass
class World:
    users: dict
    meeting: object
    past_meeting: object
    public_document: object
    members_document: object
    resource: object
    withdrawn: object
    plan: object
    item: object
    invitation_token: str
    unsubscribe_token: str
    invitation_answer_path: str
    other_organisation: object
    submission: object
    draft: object
    call: object


def build_world() -> World:
    member_org = OrganisationFactory(acronym="UNDP", kind=OrganisationKind.MEMBER)
    observer_org = OrganisationFactory(acronym="RIPESS", kind=OrganisationKind.OBSERVER)
    lead_org = OrganisationFactory(acronym="ILO", kind=OrganisationKind.MEMBER)
    secretariat = SecretariatUserFactory()
    reviewers = Group.objects.get_or_create(name=REVIEWERS_GROUP)[0]
    assigned_reviewer, unassigned_reviewer = UserFactory(), UserFactory()
    reviewers.user_set.add(assigned_reviewer, unassigned_reviewer)
    submitter = UserFactory()
    users = {
        "anonymous": None,
        "unverified": UserFactory(verified=False),
        "verified": UserFactory(),
        "observer_fp": FocalPointFactory(organisation=observer_org),
        "member_fp": FocalPointFactory(organisation=member_org),
        "lead_fp": FocalPointFactory(organisation=lead_org),
        "submitter": submitter,
        "assigned_reviewer": assigned_reviewer,
        "unassigned_reviewer": unassigned_reviewer,
        "secretariat": secretariat,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    meeting = MeetingFactory(slug="next-meeting", number=50)
    meeting_invitations = {
        kind: InvitationFactory(meeting=meeting, person=users[kind].person)
        for kind in ("observer_fp", "member_fp", "lead_fp")
    }
    past = PastMeetingFactory(slug="past-meeting", number=49)
    MinutesFactory(meeting=past, status=MinutesStatus.CIRCULATED)
    pdf = make_pdf("Notes")
    public_document = document_add(
        meeting=meeting,
        title="Agenda",
        by=secretariat,
        visibility=DocumentVisibility.PUBLIC,
        upload=SimpleUploadedFile("agenda.pdf", pdf),
    )
    members_document = document_add(
        meeting=meeting,
        title="Draft",
        by=secretariat,
        visibility=DocumentVisibility.MEMBERS,
        upload=SimpleUploadedFile("draft.pdf", pdf),
    )
    resource = ResourceFactory(
        title="Social economy and the SDGs", pdf=SimpleUploadedFile("p.pdf", pdf)
    )
    withdrawn = ResourceFactory(title="Withdrawn paper")
    resource_withdraw(resource=withdrawn, reason="Duplicate", by=secretariat)
    plan = ActionPlanFactory(slug="2022-2024", is_current=True)
    item = ActionItemFactory(
        area=PriorityAreaFactory(plan=plan, number=1), order=1, leads=[lead_org]
    )
    invitation = AffiliationInvitation.objects.create(
        email="new@example.org", organisation=member_org, name="New"
    )
    return World(
        users=users,
        meeting=meeting,
        past_meeting=past,
        public_document=public_document,
        members_document=members_document,
        resource=resource,
        withdrawn=withdrawn,
        plan=plan,
        item=item,
        invitation_token=invitation_token(invitation),
        unsubscribe_token=unsubscribe_token(users["member_fp"].person),
        invitation_answer_path=answer_paths(meeting_invitations["member_fp"])["accepted"],
        other_organisation=OrganisationFactory(acronym="GSEF", kind=OrganisationKind.OBSERVER),
        submission=make_submission(
            submitter=submitter,
            state="under_review",
            secretariat=secretariat,
            reviewer=assigned_reviewer,
        ),
        draft=make_submission(submitter=submitter, state="draft", title="My unfinished draft"),
        call=CallForPapersFactory(slug="sse-and-sdgs"),
    )
