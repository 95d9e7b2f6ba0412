"""A person's own data (members/personal_data.py): the export holds exactly theirs, the deletion
removes the account and contacts and keeps what the Task Force's record needs."""

import datetime
import json
from dataclasses import dataclass

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder

from actionplan.services import progress_update_post
from knowledgehub.groups import REVIEWERS_GROUP
from knowledgehub.models import (
    NotificationDelivery,
    Resource,
    ResourceAuthor,
    Submission,
    SubmissionState,
    SubmissionVersion,
)
from knowledgehub.services.submissions import review_submit
from meetings.models import Attendance, Invitation, InvitationResponse, ReminderDelivery
from members.actors import SYSTEM
from members.models import (
    AffiliationDelivery,
    AffiliationInvitation,
    AffiliationRequest,
    AffiliationStatus,
    Office,
    OrganisationKind,
    Person,
    User,
)
from members.personal_data import (
    FORMER_PARTICIPANT,
    account_delete,
    personal_data_export,
)
from members.services import affiliation_request_create, affiliation_request_reject
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    RoleFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.actionplan import ActionItemFactory
from tests.factories.knowledgehub import ResourceFactory, make_submission, submitted_paper_pdf
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    PastMeetingFactory,
    ReminderDeliveryFactory,
)
from untfsse.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Someone:
    user: User
    person: Person


def someone(marker: str, organisation, *, reviewer: bool = False) -> Someone:
    """A focal point whose every record carries `marker`, so that another person's export can
    be searched for it."""
    user = FocalPointFactory(
        email=f"{marker.lower()}@example.org", name=f"{marker} Person", organisation=organisation
    )
    EmailAddress.objects.create(user=user, email=f"{marker.lower()}.home@example.org")
    if reviewer:
        user.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return Someone(user=user, person=Person.objects.get(user=user))


def everything_about(who: Someone, *, secretariat, past_meeting, next_meeting, marker: str):
    """Every kind of record the portal keeps about a person, with `marker` in it."""
    RoleFactory(
        person=who.person,
        office=Office.COMMUNICATIONS,
        title=f"{marker} communications",
        started_on=datetime.date(2023, 1, 1),
    )
    AffiliationRequest.objects.create(
        user=who.user,
        organisation=who.person.organisation,
        name=who.user.name,
        position=f"{marker} officer",
        message=f"{marker} asks to join",
        status=AffiliationStatus.APPROVED,
        decided_by=secretariat,
        decided_at=NOW,
        decision_note=f"{marker} welcome",
    )
    AffiliationInvitation.objects.create(
        email=who.user.email,
        organisation=who.person.organisation,
        person=who.person,
        invited_by=secretariat,
        sent_at=NOW,
        accepted_by=who.user,
        accepted_at=NOW,
    )
    InvitationFactory(
        meeting=next_meeting,
        person=who.person,
        response=InvitationResponse.ACCEPTED,
        responded_at=NOW,
    )
    AttendanceFactory(meeting=past_meeting, person=who.person)
    ReminderDeliveryFactory(meeting=next_meeting, person=who.person, due_at=NOW)
    progress_update_post(
        item=ActionItemFactory(leads=[who.person.organisation]),
        by=secretariat,
        date=datetime.date(2025, 2, 1),
        text=f"{marker} progress",
        status="in_progress",
        progress=40,
        reported_by=who.person,
    )
    return make_submission(
        submitter=who.user,
        state=SubmissionState.REVISIONS_REQUESTED,
        secretariat=secretariat,
        title=f"{marker} paper",
        pdf_text=f"{marker} paper text",
    )


@pytest.fixture
def world():
    secretariat = SecretariatUserFactory(email="secretariat@example.org", name="Sec Retariat")
    ilo = OrganisationFactory(acronym="ILO", kind=OrganisationKind.MEMBER)
    ripess = OrganisationFactory(acronym="RIPESS", kind=OrganisationKind.OBSERVER)
    past_meeting = PastMeetingFactory(title="44th Regular Meeting", slug="m44", number=44)
    next_meeting = MeetingFactory(title="45th Regular Meeting", slug="m45", number=45)
    alice = someone("Alice", ilo, reviewer=True)
    bob = someone("Bob", ripess)
    alice_paper = everything_about(
        alice,
        secretariat=secretariat,
        past_meeting=past_meeting,
        next_meeting=next_meeting,
        marker="Alice",
    )
    bob_paper = everything_about(
        bob,
        secretariat=secretariat,
        past_meeting=past_meeting,
        next_meeting=next_meeting,
        marker="Bob",
    )
    # Alice reviews a third person's paper: her review is her data, the paper is not.
    reviewed = make_submission(
        state=SubmissionState.UNDER_REVIEW, secretariat=secretariat, reviewer=alice.user
    )
    review_submit(
        assignment=reviewed.assignments.get(),
        by=alice.user,
        recommendation="minor",
        comments_to_author="Alice suggests a shorter introduction",
        confidential_comments="Alice thinks it is nearly ready",
    )
    return {
        "alice": alice,
        "bob": bob,
        "alice_paper": alice_paper,
        "bob_paper": bob_paper,
        "reviewed": reviewed,
        "past_meeting": past_meeting,
        "next_meeting": next_meeting,
    }


def exported(user) -> dict:
    """The export as the JSON the person receives."""
    export = personal_data_export(user=user, by=user)
    return json.loads(json.dumps(export.document, cls=DjangoJSONEncoder))


def meeting_of(meeting) -> dict:
    return {"title": meeting.title, "slug": meeting.slug, "start": meeting.start.isoformat()}


def test_export_holds_exactly_the_users_data_and_nobody_elses(world):
    alice, paper, reviewed = world["alice"], world["alice_paper"], world["reviewed"]
    at = NOW.isoformat()
    version = paper.versions.get()
    item = alice.person.action_item_updates.get().item
    assert exported(alice.user) == {
        "format": "untfsse-personal-data/1",
        "exported_at": at,
        "account": {
            "user": {
                "id": alice.user.pk,
                "email": "alice@example.org",
                "name": "Alice Person",
                "date_joined": at,
                "last_login": None,
                "is_staff": False,
                "groups": ["Reviewers"],
            },
            "email_addresses": [
                {"email": "alice.home@example.org", "verified": False, "primary": False},
                {"email": "alice@example.org", "verified": True, "primary": True},
            ],
            "person": {
                "id": alice.person.pk,
                "name": "Alice Person",
                "honorific": "",
                "organisation": "ILO",
                "position": "Programme officer",
                "email": "alice@example.org",
                "public_profile": True,
                "preferred_language": "en",
                "time_zone": "UTC",
                "receives_reminders": True,
            },
            "offices": [
                {
                    "office": "communications",
                    "title": "Alice communications",
                    "organisation": "ILO",
                    "started_on": "2023-01-01",
                    "ended_on": None,
                }
            ],
            "affiliation_requests": [
                {
                    "organisation": "ILO",
                    "name": "Alice Person",
                    "position": "Alice officer",
                    "message": "Alice asks to join",
                    "status": "approved",
                    "created_at": at,
                    "decided_at": at,
                    "decision_note": "Alice welcome",
                }
            ],
            "account_invitations": [
                {
                    "email": "alice@example.org",
                    "organisation": "ILO",
                    "sent_at": at,
                    "accepted_at": at,
                }
            ],
            "affiliation_emails": [],
        },
        "meetings": {
            "invitations": [
                {
                    "meeting": meeting_of(world["next_meeting"]),
                    "response": "accepted",
                    "responded_at": at,
                }
            ],
            "attendance": [
                {
                    "meeting": meeting_of(world["past_meeting"]),
                    "organisation": "ILO",
                    "capacity": "member",
                    "status": "present",
                }
            ],
            "reminders": [
                {
                    "meeting": meeting_of(world["next_meeting"]),
                    "kind": "reminder",
                    "hours_before": 24,
                    "state": "pending",
                    "due_at": at,
                    "sent_at": None,
                }
            ],
            "minutes_emails": [],
        },
        "knowledge_hub": {
            "submissions": [
                {
                    "id": paper.pk,
                    "title": "Alice paper",
                    "kind": "research_paper",
                    "language": "en",
                    "abstract": "How cooperatives bring informal workers into decent work.",
                    "licence": "cc-by-4.0",
                    "call": None,
                    "cover_note": "",
                    "state": "revisions_requested",
                    "created_at": at,
                    "state_changed_at": at,
                    "authors": [{"name": "Ana Souza", "affiliation": "University of Brasília"}],
                    "sdgs": [],
                    "themes": [],
                    "versions": [
                        {
                            "number": 1,
                            "file": f"files/knowledge-hub/submissions/{paper.pk}/v1/paper.pdf",
                            "original_name": "paper.pdf",
                            "file_sha256": version.file_sha256,
                            "metadata": version.metadata,
                            "note": "",
                            "created_at": at,
                            "submitted_at": at,
                        }
                    ],
                    "timeline": [
                        {
                            "from": "draft",
                            "to": "submitted",
                            "at": at,
                            "note": "",
                            "comments_to_author": [],
                        },
                        {
                            "from": "submitted",
                            "to": "under_review",
                            "at": at,
                            "note": "",
                            "comments_to_author": [],
                        },
                        {
                            "from": "under_review",
                            "to": "revisions_requested",
                            "at": at,
                            "note": "Please shorten the introduction.",
                            "comments_to_author": [],
                        },
                    ],
                }
            ],
            "reviews_written": [
                {
                    "submission": reviewed.title,
                    "version": 1,
                    "recommendation": "minor",
                    "comments_to_author": "Alice suggests a shorter introduction",
                    "confidential_comments": "Alice thinks it is nearly ready",
                    "submitted_at": at,
                }
            ],
            "emails": [
                {
                    "message": message,
                    "email": "alice@example.org",
                    "state": "pending",
                    "created_at": at,
                    "sent_at": None,
                }
                for message in (
                    "submission_received",
                    "submission_under_review",
                    "submission_decision",
                    "review_assigned",
                )
            ],
        },
        "action_plan": {
            "progress_reported": [
                {
                    "plan": item.plan.slug,
                    "action": item.code,
                    "date": "2025-02-01",
                    "text": "Alice progress",
                    "status": "in_progress",
                    "progress": 40,
                }
            ]
        },
    }
    assert version.metadata["title"] == "Alice paper"


def test_exports_of_two_people_hold_no_marker_of_the_other(world):
    alice, bob = exported(world["alice"].user), exported(world["bob"].user)
    assert "Bob" not in json.dumps(alice)
    assert "Alice" not in json.dumps(bob)
    assert bob["account"]["user"]["email"] == "bob@example.org"
    assert [request["message"] for request in bob["account"]["affiliation_requests"]] == [
        "Bob asks to join"
    ]
    assert [paper["title"] for paper in bob["knowledge_hub"]["submissions"]] == ["Bob paper"]
    assert bob["knowledge_hub"]["reviews_written"] == []
    assert [update["text"] for update in bob["action_plan"]["progress_reported"]] == [
        "Bob progress"
    ]


def test_export_carries_the_files_of_the_submissions(world):
    paper = world["alice_paper"]
    export = personal_data_export(user=world["alice"].user, by=world["alice"].user)
    assert [(item.name, item.file.read()) for item in export.files] == [
        (
            f"files/knowledge-hub/submissions/{paper.pk}/v1/paper.pdf",
            submitted_paper_pdf("Alice paper text"),
        )
    ]


def test_only_the_owner_or_a_superuser_may_export_or_delete(world):
    alice, bob = world["alice"].user, world["bob"].user
    with pytest.raises(PermissionDenied):
        personal_data_export(user=alice, by=bob)
    with pytest.raises(PermissionDenied):
        account_delete(user=bob, by=alice)
    assert User.objects.filter(pk=bob.pk).exists()
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert personal_data_export(user=alice, by=superuser).document["account"]["user"]["id"] == (
        alice.pk
    )
    assert personal_data_export(user=alice, by=SYSTEM).document["account"]["user"]["id"] == (
        alice.pk
    )


# --- Deletion -------------------------------------------------------------------------------
def test_deletion_refused_for_reviewers_and_staff(world):
    with pytest.raises(ValidationError) as refused:
        account_delete(user=world["alice"].user, by=world["alice"].user)
    assert refused.value.messages == [
        "You review a submission to the Knowledge Hub: your review is part of its record. "
        "Ask the secretariat to close your account."
    ]
    staff = SecretariatUserFactory()
    with pytest.raises(ValidationError) as refused:
        account_delete(user=staff, by=staff)
    assert refused.value.messages == [
        "Secretariat and administrator accounts are closed by a superuser in the "
        "administration pages: ask another administrator."
    ]
    assert User.objects.filter(pk__in=[world["alice"].user.pk, staff.pk]).count() == 2
    # The secretariat sees both requests and why they were refused.
    refusals = AuditEntry.objects.filter(action="account.delete_refused").order_by("pk")
    assert [(entry.actor_id, entry.object_id, entry.changes) for entry in refusals] == [
        (
            world["alice"].user.pk,
            str(world["alice"].user.pk),
            {
                "reason": [
                    None,
                    "You review a submission to the Knowledge Hub: your review is part of its "
                    "record. Ask the secretariat to close your account.",
                ]
            },
        ),
        (
            staff.pk,
            str(staff.pk),
            {
                "reason": [
                    None,
                    "Secretariat and administrator accounts are closed by a superuser in the "
                    "administration pages: ask another administrator.",
                ]
            },
        ),
    ]


def test_deletion_removes_the_account_and_contacts_and_keeps_the_counts(
    world, django_capture_on_commit_callbacks
):
    bob, paper = world["bob"], world["bob_paper"]
    file_name = paper.versions.get().pdf.name
    storage = SubmissionVersion._meta.get_field("pdf").storage
    assert storage.exists(file_name)
    counts_before = (
        Attendance.objects.filter(meeting=world["past_meeting"]).count(),
        Invitation.objects.filter(meeting=world["next_meeting"]).count(),
    )
    alice_before = exported(world["alice"].user)

    with django_capture_on_commit_callbacks(execute=True):
        deletion = account_delete(user=bob.user, by=bob.user)

    assert (deletion.user_id, deletion.person_id, deletion.person_outcome) == (
        bob.user.pk,
        bob.person.pk,
        "kept",
    )
    assert deletion.removed == {
        "submissions": 1,
        # The three to Bob, and the secretariat's notice of his submission.
        "submission_emails": 4,
        "reminders": 1,
        "minutes_emails": 0,
        "account_invitations": 1,
        "affiliation_requests": 1,
        "affiliation_emails": 0,
        "email_addresses": 2,
    }
    assert not User.objects.filter(email="bob@example.org").exists()
    assert not EmailAddress.objects.filter(email__startswith="bob").exists()
    assert not AffiliationRequest.objects.filter(name="Bob Person").exists()
    assert not AffiliationInvitation.objects.filter(email="bob@example.org").exists()
    assert not NotificationDelivery.objects.filter(email="bob@example.org").exists()
    assert not Submission.objects.filter(title="Bob paper").exists()
    assert not storage.exists(file_name)
    assert not ReminderDelivery.objects.filter(person=bob.person).exists()
    # Bob held an office and reported progress: his record keeps his name, nothing private.
    person = Person.objects.get(pk=bob.person.pk)
    assert (
        person.name,
        person.organisation.acronym,
        person.position,
        person.public_profile,
        person.email,
        person.user,
        person.receives_reminders,
    ) == ("Bob Person", "RIPESS", "Programme officer", True, "", None, False)
    # The counts stay, and nobody else's data changed.
    assert (
        Attendance.objects.filter(meeting=world["past_meeting"]).count(),
        Invitation.objects.filter(meeting=world["next_meeting"]).count(),
    ) == counts_before
    assert exported(world["alice"].user) == alice_before
    # The secretariat sees the deletion and its outcome; the entry keeps the name the account
    # had when it asked.
    entry = AuditEntry.objects.get(action="account.delete")
    assert (entry.actor_id, entry.actor_label, entry.area, entry.object_id, entry.object_repr) == (
        None,
        "Bob Person <bob@example.org>",
        "members",
        str(bob.user.pk),
        "Bob Person",
    )
    assert entry.changes == {
        "person": [f"#{bob.person.pk}", "kept"],
        "submissions": [1, 0],
        "submission_emails": [4, 0],
        "reminders": [1, 0],
        "account_invitations": [1, 0],
        "affiliation_requests": [1, 0],
        "email_addresses": [2, 0],
    }


def test_a_person_the_record_does_not_name_is_anonymised(django_capture_on_commit_callbacks):
    ilo = OrganisationFactory(acronym="ILO")
    carol = someone("Carol", ilo)
    meeting = PastMeetingFactory()
    AttendanceFactory(meeting=meeting, person=carol.person)
    with django_capture_on_commit_callbacks(execute=True):
        deletion = account_delete(user=carol.user, by=carol.user)
    assert deletion.person_outcome == "anonymised"
    assert AuditEntry.objects.get(action="account.delete").changes == {
        "person": [f"#{carol.person.pk}", "anonymised"],
        "email_addresses": [2, 0],
    }
    person = Person.objects.get(pk=carol.person.pk)
    assert (
        person.name,
        person.honorific,
        person.position,
        person.public_profile,
        person.email,
        person.user,
        person.organisation.acronym,
    ) == (FORMER_PARTICIPANT, "", "", False, "", None, "ILO")
    assert Attendance.objects.get(meeting=meeting).person == person


@pytest.mark.parametrize(
    "named_by",
    ["office", "agenda_item", "progress_update", "published_paper"],
)
def test_the_public_record_keeps_the_name_of_whom_it_names(named_by):
    ilo = OrganisationFactory(acronym="ILO")
    dana = someone("Dana", ilo)
    if named_by == "office":
        RoleFactory(person=dana.person)
    elif named_by == "agenda_item":
        AgendaItemFactory(presenter=dana.person)
    elif named_by == "progress_update":
        progress_update_post(
            item=ActionItemFactory(leads=[ilo]),
            by=SecretariatUserFactory(),
            date=datetime.date(2025, 2, 1),
            text="Done",
            status="completed",
            reported_by=dana.person,
        )
    else:
        resource = ResourceFactory(authors=["Dana Person"])
        ResourceAuthor.objects.filter(resource=resource).update(person=dana.person)
    assert account_delete(user=dana.user, by=dana.user).person_outcome == "kept"
    assert Person.objects.get(pk=dana.person.pk).name == "Dana Person"


def test_a_published_paper_keeps_its_authors_after_its_submitter_left(
    client, django_capture_on_commit_callbacks
):
    erin = UserFactory(email="erin@example.org", name="Erin Person")
    with django_capture_on_commit_callbacks(execute=True):
        published = make_submission(
            submitter=erin, state=SubmissionState.PUBLISHED, title="Erin's published paper"
        )
    resource = Resource.objects.get(pk=published.resource_id)
    page = f"/knowledge-hub/{resource.pk}-{resource.slug}/"
    assert "Ana Souza" in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=erin, by=erin)

    assert not Submission.objects.filter(pk=published.pk).exists()
    response = client.get(page)
    assert response.status_code == 200
    assert "Ana Souza" in response.content.decode()
    assert "Erin&#x27;s published paper" in response.content.decode()
    assert client.get(f"{page}download/").status_code == 200


def test_an_account_without_person_or_records_is_deleted():
    frank = UserFactory(email="frank@example.org")
    deletion = account_delete(user=frank, by=frank)
    assert (deletion.person_id, deletion.person_outcome) == (None, "none")
    assert deletion.removed == {
        "submissions": 0,
        "submission_emails": 0,
        "reminders": 0,
        "minutes_emails": 0,
        "account_invitations": 0,
        "affiliation_requests": 0,
        "affiliation_emails": 0,
        "email_addresses": 1,
    }
    assert not User.objects.filter(email="frank@example.org").exists()
    assert AuditEntry.objects.get(action="account.delete").changes == {
        "person": [None, "none"],
        "email_addresses": [1, 0],
    }


def test_the_affiliation_e_mails_to_a_person_are_exported_and_go_with_the_account(
    world, django_capture_on_commit_callbacks
):
    bob = world["bob"]
    request = affiliation_request_create(
        user=bob.user, organisation=OrganisationFactory(acronym="GSEF"), name="Bob Person"
    )
    affiliation_request_reject(request=request, by=SecretariatUserFactory(), note="Not yet")
    decision = AffiliationDelivery.objects.get(request=request, purpose="decision")
    assert exported(bob.user)["account"]["affiliation_emails"] == [
        {"email": "decision", "to": "bob@example.org", "state": "pending", "sent_at": None}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        deletion = account_delete(user=bob.user, by=bob.user)
    # The decision to Bob, and the secretariat's notice of his request, which goes with it.
    assert deletion.removed["affiliation_emails"] == 2
    assert not AffiliationDelivery.objects.filter(pk=decision.pk).exists()
    assert not AffiliationDelivery.objects.filter(request_id=request.pk).exists()
