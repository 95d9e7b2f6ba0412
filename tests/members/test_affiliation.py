"""Affiliation: a user asks, the secretariat decides, the user is told, permissions change."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.models import AffiliationInvitation, AffiliationRequest, Person
from members.services import (
    affiliation_invitation_accept,
    affiliation_request_approve,
    affiliation_request_create,
    affiliation_request_reject,
)
from members.standing import standing_of
from members.tokens import invitation_token
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.members.outbox_tasks import send_affiliation_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def ripess():
    return OrganisationFactory(
        acronym="RIPESS",
        name="Intercontinental Network for the Promotion of Social Solidarity Economy",
        kind="observer",
    )


def test_affiliation_journey_request_approve_email_permissions(
    client, ripess, settings, django_capture_on_commit_callbacks, time_machine
):
    settings.SECRETARIAT_EMAIL = "secretariat@unsse.org"
    user = UserFactory(email="hamish@example.org", name="Hamish Jenkins")
    client.force_login(user)
    assert standing_of(user).is_affiliated is False

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/members/affiliation/",
            {
                "organisation": ripess.pk,
                "person": "",
                "name": "Hamish Jenkins",
                "position": "Coordinator",
                "message": "Ask Laurence",
            },
        )
    assert response.status_code == 302
    request = AffiliationRequest.objects.get()
    assert (request.status, request.organisation, request.name, request.position) == (
        "pending",
        ripess,
        "Hamish Jenkins",
        "Coordinator",
    )
    # The secretariat is told of the new request, with a link to decide it.
    assert [m.to for m in mail.outbox] == [["secretariat@unsse.org"]]
    assert (
        mail.outbox[0].subject == "[UNTFSSE Portal] Affiliation request: Hamish Jenkins for RIPESS"
    )
    assert f"/admin/members/affiliationrequest/{request.pk}/change/" in mail.outbox[0].body

    secretariat = SecretariatUserFactory()
    decided_at = timezone.now().replace(microsecond=0)
    time_machine.move_to(decided_at, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_request_approve(request=request, by=secretariat, note="Welcome!")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", secretariat)
    assert (request.decided_at, request.decision_emailed_at) == (decided_at, decided_at)

    decision = mail.outbox[1]
    assert decision.to == ["hamish@example.org"]
    assert decision.subject == "[UNTFSSE Portal] You are now a focal point of RIPESS"
    assert "Welcome!" in decision.body

    person = Person.objects.get(user=user)
    assert (person.name, person.organisation, person.email, person.position) == (
        "Hamish Jenkins",
        ripess,
        "hamish@example.org",
        "Coordinator",
    )
    # A fresh user object, as the next request would have (standing is cached per object).
    standing = standing_of(type(user).objects.get(pk=user.pk))
    assert (
        standing.is_affiliated,
        standing.is_observer_focal_point,
        standing.is_member_focal_point,
    ) == (True, True, False)


def test_affiliation_request_links_an_existing_person(ripess):
    listed = PersonFactory(name="Hamish Jenkins", organisation=ripess, user=None, email="")
    user = UserFactory(email="hj@example.org")
    request = affiliation_request_create(
        user=user, organisation=ripess, person=listed, name="Hamish Jenkins"
    )
    affiliation_request_approve(request=request, by=SecretariatUserFactory())
    listed.refresh_from_db()
    assert (listed.user, listed.email) == (user, "hj@example.org")
    assert Person.objects.count() == 1


def test_rejecting_tells_the_user_and_changes_no_permission(
    ripess, django_capture_on_commit_callbacks
):
    user = UserFactory(email="someone@example.org")
    request = affiliation_request_create(user=user, organisation=ripess, name="Someone")
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_request_reject(
            request=request,
            by=SecretariatUserFactory(),
            note="Please ask your director to write to us.",
        )
    request.refresh_from_db()
    assert request.status == "rejected"
    assert mail.outbox[-1].subject == "[UNTFSSE Portal] Your request to join RIPESS"
    assert "Please ask your director to write to us." in mail.outbox[-1].body
    assert standing_of(user).is_affiliated is False
    assert Person.objects.filter(user=user).exists() is False


def test_decision_email_is_sent_once_even_if_the_task_runs_twice(ripess):
    request = affiliation_request_create(user=UserFactory(), organisation=ripess, name="X")
    affiliation_request_reject(request=request, by=SecretariatUserFactory())
    send_affiliation_decision(request_id=request.pk)
    send_affiliation_decision(request_id=request.pk)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "decider", ["focal point", "plain user", "staff without the group", "nobody"]
)
def test_only_the_secretariat_may_decide(ripess, decider):
    request = affiliation_request_create(user=UserFactory(), organisation=ripess, name="X")
    by = {
        "focal point": FocalPointFactory(organisation=ripess),
        "plain user": UserFactory(),
        "staff without the group": UserFactory(is_staff=True),
        "nobody": None,
    }[decider]
    with pytest.raises(PermissionDenied):
        affiliation_request_approve(request=request, by=by)
    with pytest.raises(PermissionDenied):
        affiliation_request_reject(request=request, by=by)
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_decided_request_cannot_be_decided_again(ripess):
    request = affiliation_request_create(user=UserFactory(), organisation=ripess, name="X")
    secretariat = SecretariatUserFactory()
    affiliation_request_reject(request=request, by=secretariat)
    with pytest.raises(ValidationError) as error:
        affiliation_request_approve(request=request, by=secretariat)
    assert error.value.messages == ["This request has already been decided."]


def test_one_pending_request_at_a_time(client, ripess):
    user = UserFactory()
    affiliation_request_create(user=user, organisation=ripess, name="X")
    client.force_login(user)
    response = client.post(
        "/members/affiliation/",
        {"organisation": ripess.pk, "name": "X again", "message": "kept text"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "You already have a request waiting for the secretariat." in html
    # Nothing typed is lost.
    assert "kept text" in html
    assert AffiliationRequest.objects.count() == 1


def test_affiliation_form_needs_a_verified_email(client, ripess):
    client.force_login(UserFactory(verified=False))
    assert client.get("/members/affiliation/").status_code == 403
    response = client.post("/members/affiliation/", {"organisation": ripess.pk, "name": "X"})
    assert response.status_code == 403
    assert AffiliationRequest.objects.count() == 0


def test_affiliation_form_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/members/affiliation/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/members/affiliation/"


def test_affiliation_form_refuses_a_person_of_another_organisation(client, ripess):
    other = PersonFactory(organisation=OrganisationFactory(), user=None)
    client.force_login(UserFactory())
    response = client.post(
        "/members/affiliation/", {"organisation": ripess.pk, "person": other.pk, "name": "X"}
    )
    assert response.status_code == 200
    assert "This person is not listed under the chosen organisation." in response.content.decode()


def test_affiliation_form_does_not_list_private_people(client, ripess):
    PersonFactory(name="Public Person", organisation=ripess, public_profile=True, user=None)
    PersonFactory(name="Private Person", organisation=ripess, public_profile=False, user=None)
    client.force_login(UserFactory())
    html = client.get("/members/affiliation/").content.decode()
    assert "Public Person" in html
    assert "Private Person" not in html


def test_admin_approve_action_and_change_form_buttons(
    client, ripess, django_capture_on_commit_callbacks
):
    first = affiliation_request_create(user=UserFactory(), organisation=ripess, name="First")
    second = affiliation_request_create(user=UserFactory(), organisation=ripess, name="Second")
    client.force_login(SecretariatUserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/members/affiliationrequest/",
            {"action": "approve_selected", "_selected_action": [first.pk]},
        )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "approved"

    page = client.get(f"/admin/members/affiliationrequest/{second.pk}/change/")
    assert f"/admin/members/affiliationrequest/{second.pk}/decide/reject/" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/members/affiliationrequest/{second.pk}/decide/reject/",
            {"decision_note": "Not a focal point"},
        )
    second.refresh_from_db()
    assert (second.status, second.decision_note) == ("rejected", "Not a focal point")


def test_a_focal_point_cannot_use_the_admin_to_decide(client, ripess):
    request = affiliation_request_create(user=UserFactory(), organisation=ripess, name="X")
    client.force_login(FocalPointFactory(organisation=ripess))
    response = client.post(f"/admin/members/affiliationrequest/{request.pk}/decide/approve/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    request.refresh_from_db()
    assert request.status == "pending"


def test_directory_export_with_contacts_is_for_the_secretariat(client, ripess):
    PersonFactory(name="Hamish Jenkins", organisation=ripess, email="hamish@example.org")
    client.force_login(SecretariatUserFactory())
    response = client.post(
        "/admin/members/organisation/",
        {"action": "export_directory_with_contacts", "_selected_action": [ripess.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "acronym,organisation,kind,country,joined on,left on,person,position,e-mail,has account"
    )
    assert (
        lines[1]
        == "RIPESS,Intercontinental Network for the Promotion of Social Solidarity Economy,Observer,Switzerland,,,Hamish Jenkins,Programme officer,hamish@example.org,"
    )


def test_invitation_link_then_signup_links_the_new_account(
    client, ripess, django_capture_on_commit_callbacks, time_machine
):
    invitation = AffiliationInvitation.objects.create(
        email="laurence@example.org", organisation=ripess, name="Laurence Kwark"
    )
    response = client.get(f"/members/invitation/{invitation_token(invitation)}/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?next=/members/ripess/"
    signup_page = client.get("/accounts/signup/")
    assert 'value="laurence@example.org"' in signup_page.content.decode()

    signed_up_at = timezone.now().replace(microsecond=0)
    time_machine.move_to(signed_up_at, tick=False)
    response = client.post(
        "/accounts/signup/?next=/members/ripess/",
        {
            "name": "Laurence Kwark",
            "email": "laurence@example.org",
            "password1": "Global-SSE-forum-2024",
            "password2": "Global-SSE-forum-2024",
        },
    )
    # The invited address counts as verified: no confirmation e-mail, signed in at once.
    assert response.status_code == 302
    assert response["Location"] == "/members/ripess/"
    invitation.refresh_from_db()
    person = Person.objects.get(user__email="laurence@example.org")
    assert (person.organisation, person.name) == (ripess, "Laurence Kwark")
    assert invitation.accepted_at == signed_up_at


def test_invitation_cannot_be_used_by_another_address(ripess):
    invitation = AffiliationInvitation.objects.create(
        email="invited@example.org", organisation=ripess, name="Invited"
    )
    with pytest.raises(ValidationError):
        affiliation_invitation_accept(
            invitation=invitation, user=UserFactory(email="someone-else@example.org")
        )
    assert Person.objects.count() == 0


def test_forged_invitation_link_is_404(client):
    response = client.get("/members/invitation/not-a-real-token/")
    assert response.status_code == 404


def test_invitation_email_carries_a_working_link(
    client, ripess, django_capture_on_commit_callbacks, time_machine, settings
):
    settings.PORTAL_URL = "https://portal.example.org"
    admin = SecretariatUserFactory()
    client.force_login(admin)
    sent_at = timezone.now().replace(microsecond=0)
    time_machine.move_to(sent_at, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/members/affiliationinvitation/add/",
            {"email": "new@example.org", "organisation": ripess.pk, "name": "New Person"},
        )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["new@example.org"]
    assert message.subject == "[UNTFSSE Portal] Join RIPESS on the UNTFSSE Portal"
    path = re.search(r"https://portal\.example\.org(/members/invitation/\S+/)", message.body).group(
        1
    )
    client.logout()
    assert client.get(path)["Location"] == "/accounts/signup/?next=/members/ripess/"
    assert AffiliationInvitation.objects.get().sent_at == sent_at


def test_an_invitation_link_stops_working_when_the_address_is_corrected(client, ripess):
    invitation = AffiliationInvitation.objects.create(
        email="typo@wrong.example", organisation=ripess, name="X"
    )
    old_link = f"/members/invitation/{invitation_token(invitation)}/"
    invitation.email = "right@un.example"
    invitation.save()
    assert client.get(old_link).status_code == 404
    assert client.get(f"/members/invitation/{invitation_token(invitation)}/").status_code == 302


# --- Partners with a part in the action plan; the pending request shown ----------------------
def test_a_partner_leading_or_contributing_to_an_action_can_have_focal_points(client):
    from tests.factories.actionplan import ActionItemFactory

    itcilo = OrganisationFactory(acronym="ITCILO", name="ITC-ILO", kind="partner")
    helper = OrganisationFactory(acronym="FUND", name="A fund", kind="partner")
    idle = OrganisationFactory(acronym="IDLE", name="Idle partner", kind="partner")
    ActionItemFactory(code="2.3", leads=[itcilo])
    ActionItemFactory(code="2.4", contributors=[helper])
    user = UserFactory()
    client.force_login(user)
    choices = client.get("/members/affiliation/").context["form"].fields["organisation"].queryset
    assert {o.acronym for o in choices} >= {"ITCILO", "FUND"}
    assert "IDLE" not in {o.acronym for o in choices}
    response = client.post(
        "/members/affiliation/", {"organisation": idle.pk, "name": "Ana", "person": ""}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    response = client.post(
        "/members/affiliation/", {"organisation": itcilo.pk, "name": "Ana", "person": ""}
    )
    assert response.status_code == 302
    assert AffiliationRequest.objects.get(user=user).organisation == itcilo


NETWORK = "Intercontinental Network for the Promotion of Social Solidarity Economy (RIPESS)"


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [
        ("", f"Your request to join {NETWORK}, sent on March 4, 2026, is waiting for the secretariat."),
        ("/fr", f"Votre demande pour rejoindre {NETWORK}, envoyée le 4 mars 2026, attend la réponse du secrétariat."),
        ("/es", f"Su solicitud para unirse a {NETWORK}, enviada el 4 de marzo de 2026, espera la respuesta de la secretaría."),
    ],
)  # fmt: skip
def test_a_pending_request_is_shown_with_its_date(client, ripess, time_machine, prefix, sentence):
    time_machine.move_to("2026-03-04T10:00:00Z", tick=False)
    user = UserFactory()
    client.force_login(user)
    client.post("/members/affiliation/", {"organisation": ripess.pk, "name": "Ana", "person": ""})
    html = client.get(f"{prefix}/members/affiliation/").content.decode()
    assert sentence in html
    assert 'name="organisation"' not in html  # no empty form beside the waiting request
    me = client.get(f"{prefix}/me/").content.decode()
    assert sentence in me
    assert "not linked to an organisation yet" not in me
