"""Secretariat staff run the portal's data, not its accounts: none of them can raise their own
rights or take an account over through the admin."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from members.services import email_addresses_verify
from tests.factories import DEFAULT_PASSWORD, FocalPointFactory, SecretariatUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def user_form(user, **changes) -> dict:
    data = {
        "email": user.email, "name": user.name, "is_active": "on", "is_staff": "on" if user.is_staff else "",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00",
    }  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_secretariat_cannot_make_itself_superuser(client):
    secretariat = SecretariatUserFactory()
    client.force_login(secretariat)
    response = client.post(
        f"/admin/members/user/{secretariat.pk}/change/", user_form(secretariat, is_superuser="on")
    )
    assert response.status_code == 403
    secretariat.refresh_from_db()
    assert secretariat.is_superuser is False


def test_secretariat_cannot_change_a_superuser_or_set_passwords(client):
    root = UserFactory(is_staff=True, is_superuser=True)
    focal_point = FocalPointFactory()
    client.force_login(SecretariatUserFactory())
    # The secretariat reads a superuser's account (view permission) with nothing to save.
    page = client.get(f"/admin/members/user/{root.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(
        f"/admin/members/user/{root.pk}/password/",
        {"password1": "Taken-over-4242", "password2": "Taken-over-4242", "usable_password": "true"},
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/members/user/{focal_point.pk}/password/",
        {"password1": "Taken-over-4242", "password2": "Taken-over-4242", "usable_password": "true"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    focal_point.refresh_from_db()
    assert root.check_password(DEFAULT_PASSWORD) and focal_point.check_password(DEFAULT_PASSWORD)


def test_secretariat_cannot_change_an_ordinary_users_email_or_rights(client):
    focal_point = FocalPointFactory(email="focal@example.org")
    client.force_login(SecretariatUserFactory())
    response = client.post(
        f"/admin/members/user/{focal_point.pk}/change/",
        user_form(
            focal_point,
            email="attacker@example.org",
            is_staff="on",
            is_superuser="on",
            name="Renamed",
        ),
    )
    assert response.status_code == 302
    focal_point.refresh_from_db()
    # The name is the secretariat's to correct; address and rights are not.
    assert (
        focal_point.name,
        focal_point.email,
        focal_point.is_staff,
        focal_point.is_superuser,
    ) == (
        "Renamed",
        "focal@example.org",
        False,
        False,
    )


def test_secretariat_cannot_add_verified_addresses_to_accounts(client):
    client.force_login(SecretariatUserFactory())
    assert client.get("/admin/account/emailaddress/add/").status_code == 403
    assert client.get("/admin/members/user/add/").status_code == 403


def test_a_superuser_still_can(client):
    target = SecretariatUserFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        f"/admin/members/user/{target.pk}/change/", user_form(target, is_superuser="on")
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=target.pk).is_superuser is True


def test_only_a_superuser_marks_addresses_verified(client):
    focal_point = FocalPointFactory(email="focal@example.org")
    address = EmailAddress.objects.get(user=focal_point)
    address.verified = False
    address.save(update_fields=["verified"])
    action = {"action": "make_verified", "_selected_action": [address.pk], "index": "0"}

    client.force_login(SecretariatUserFactory())
    # The secretariat sees the addresses, is not offered the action, and posting it does nothing.
    response = client.get("/admin/account/emailaddress/")
    assert response.status_code == 200 and response.context["action_form"] is None
    assert client.post("/admin/account/emailaddress/", action).status_code == 200
    address.refresh_from_db()
    assert address.verified is False
    with pytest.raises(PermissionDenied):
        email_addresses_verify(addresses=EmailAddress.objects.all(), by=SecretariatUserFactory())

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post("/admin/account/emailaddress/", action, follow=True)
    assert "Marked focal@example.org as verified." in response.content.decode()
    address.refresh_from_db()
    assert address.verified is True
