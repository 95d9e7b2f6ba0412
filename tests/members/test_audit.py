"""Every members service records one audit entry in its own transaction; a refused one records
nothing."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError

from members.models import AffiliationInvitation, AffiliationRequest
from members.services import (
    affiliation_invitation_accept,
    affiliation_invitation_send,
    affiliation_request_approve,
    affiliation_request_create,
    affiliation_request_reject,
    email_addresses_verify,
    person_set_reminders,
    person_update_preferences,
)
from tests.audit_support import audit_rows
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from untfsse.core.audit import actor_name
from untfsse.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def ripess():
    return OrganisationFactory(acronym="RIPESS", kind="observer")


@pytest.fixture
def secretariat():
    return SecretariatUserFactory(name="Sara Secretariat", email="sara@unsse.org")


@pytest.fixture
def hamish():
    return UserFactory(name="Hamish Jenkins", email="hamish@example.org")


def row(actor, label, action, obj, changes, *, area="members") -> dict:
    return {
        "actor": actor.pk if actor is not None else None,
        "actor_label": label,
        "action": action,
        "area": area,
        "object": (f"{obj._meta.app_label}.{obj._meta.model_name}", str(obj.pk), str(obj)),
        "changes": changes,
    }


def test_affiliation_request_create_then_approve(ripess, secretariat, hamish):
    request = affiliation_request_create(user=hamish, organisation=ripess, name="Hamish Jenkins")
    affiliation_request_approve(request=request, by=secretariat)
    assert str(request) == "Hamish Jenkins → RIPESS"
    assert audit_rows() == [
        row(
            hamish,
            "Hamish Jenkins <hamish@example.org>",
            "affiliation_request.create",
            request,
            {"organisation": [None, "RIPESS"], "status": [None, "pending"]},
        ),
        row(
            secretariat,
            "Sara Secretariat <sara@unsse.org>",
            "affiliation_request.approve",
            request,
            {"status": ["pending", "approved"]},
        ),
    ]


def test_affiliation_request_reject(ripess, secretariat, hamish):
    request = AffiliationRequest.objects.create(user=hamish, organisation=ripess, name="H")
    affiliation_request_reject(request=request, by=secretariat, note="Unknown to RIPESS")
    assert audit_rows() == [
        row(
            secretariat,
            "Sara Secretariat <sara@unsse.org>",
            "affiliation_request.reject",
            request,
            {"status": ["pending", "rejected"]},
        )
    ]


def test_refused_affiliation_decisions_record_nothing(ripess, secretariat, hamish):
    request = AffiliationRequest.objects.create(user=hamish, organisation=ripess, name="H")
    with pytest.raises(PermissionDenied):
        affiliation_request_approve(request=request, by=FocalPointFactory())
    affiliation_request_reject(request=request, by=secretariat)
    with pytest.raises(ValidationError):
        affiliation_request_approve(request=request, by=secretariat)
    assert [entry["action"] for entry in audit_rows()] == ["affiliation_request.reject"]
    with pytest.raises(ValidationError):
        affiliation_request_create(user=UserFactory(verified=False), organisation=ripess, name="X")
    assert len(audit_rows()) == 1


def test_affiliation_invitation_send_and_accept(ripess, secretariat, hamish):
    person = PersonFactory(name="Hamish Jenkins", organisation=ripess, email="")
    invitation = AffiliationInvitation.objects.create(
        email="hamish@example.org", organisation=ripess, person=person, name="Hamish"
    )
    affiliation_invitation_send(invitation=invitation, by=secretariat)
    affiliation_invitation_send(invitation=invitation, by=secretariat, again=True)
    affiliation_invitation_accept(invitation=invitation, user=hamish)
    sara = "Sara Secretariat <sara@unsse.org>"
    assert audit_rows() == [
        row(secretariat, sara, "affiliation_invitation.send", invitation, {}),
        row(secretariat, sara, "affiliation_invitation.send_again", invitation, {}),
        row(
            hamish,
            "Hamish Jenkins <hamish@example.org>",
            "affiliation_invitation.accept",
            invitation,
            {
                "accepted_by": [None, "Hamish Jenkins"],
                "person": [None, "Hamish Jenkins (RIPESS)"],
            },
        ),
    ]


def test_affiliation_invitation_refusals_record_nothing(ripess, hamish):
    invitation = AffiliationInvitation.objects.create(
        email="other@example.org", organisation=ripess, name="Other"
    )
    with pytest.raises(PermissionDenied):
        affiliation_invitation_send(invitation=invitation, by=hamish)
    with pytest.raises(ValidationError):
        affiliation_invitation_accept(invitation=invitation, user=hamish)
    assert audit_rows() == []


def test_email_addresses_verify_records_the_addresses_verified():
    superuser = UserFactory(name="Root", email="root@unsse.org", is_staff=True, is_superuser=True)
    UserFactory(email="new@example.org", verified=False)
    UserFactory(email="done@example.org")
    email_addresses_verify(addresses=EmailAddress.objects.all(), by=superuser)
    assert audit_rows() == [
        {
            "actor": superuser.pk,
            "actor_label": "Root <root@unsse.org>",
            "action": "email_address.verify",
            "area": "account",
            "object": ("account.emailaddress", "", "email addresses"),
            "changes": {"verified": [None, ["new@example.org"]]},
        }
    ]


def test_email_addresses_verify_by_the_secretariat_records_nothing(secretariat):
    UserFactory(email="new@example.org", verified=False)
    with pytest.raises(PermissionDenied):
        email_addresses_verify(addresses=EmailAddress.objects.all(), by=secretariat)
    assert audit_rows() == []


def test_person_set_reminders_is_recorded_as_the_person(ripess):
    user = FocalPointFactory(name="Fatou Focal", email="fatou@example.org", organisation=ripess)
    person = user.person
    person_set_reminders(person=person, receive=False)
    person_set_reminders(
        person=PersonFactory(name="No Account", organisation=ripess), receive=False
    )
    rows = audit_rows()
    assert rows[0] == row(
        user,
        "Fatou Focal <fatou@example.org>",
        "person.set_reminders",
        person,
        {"receives_reminders": [True, False]},
    )
    assert (rows[1]["actor"], rows[1]["actor_label"], rows[1]["object"][2]) == (
        None,
        "the system",
        "No Account (RIPESS)",
    )


def test_person_update_preferences_records_what_changed(ripess):
    user = FocalPointFactory(name="Fatou Focal", email="fatou@example.org", organisation=ripess)
    person = user.person
    person_update_preferences(
        person=person, receives_reminders=True, preferred_language="fr", time_zone="Africa/Dakar"
    )
    assert audit_rows() == [
        row(
            user,
            "Fatou Focal <fatou@example.org>",
            "person.update_preferences",
            person,
            {"preferred_language": ["en", "fr"], "time_zone": ["UTC", "Africa/Dakar"]},
        )
    ]


def test_person_update_preferences_refused_records_nothing(ripess):
    person = FocalPointFactory(organisation=ripess).person
    with pytest.raises(ValidationError):
        person_update_preferences(
            person=person, receives_reminders=True, preferred_language="fr", time_zone="Mars/Base"
        )
    assert audit_rows() == []


def test_the_system_and_a_deleted_account_still_read_correctly(ripess, secretariat, hamish):
    request = AffiliationRequest.objects.create(user=hamish, organisation=ripess, name="H")
    affiliation_request_approve(request=request, by=secretariat)
    person_set_reminders(person=PersonFactory(organisation=ripess), receive=False)
    secretariat.delete()
    names = [actor_name(entry) for entry in AuditEntry.objects.order_by("pk")]
    assert names == ["Sara Secretariat <sara@unsse.org> (account deleted)", "the system"]
