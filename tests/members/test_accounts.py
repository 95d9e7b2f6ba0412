"""The account journey through django-allauth, in the test client."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import DEFAULT_PASSWORD, SecretariatUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S+)")


def only_link_in(message) -> str:
    links = LINK.findall(message.body)
    assert len(links) == 1, message.body
    return links[0]


def test_signup_verification_and_confirmation_signs_the_user_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "name": "Amina Diallo",
            "email": "Amina@Example.org",
            "password1": "ssE-network-2024!",
            "password2": "ssE-network-2024!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"

    user = get_user_model().objects.get()
    assert (user.email, user.name) == ("amina@example.org", "Amina Diallo")
    assert user.emailaddress_set.get().verified is False
    # Until the address is confirmed, the user is not signed in.
    assert client.get("/").context["user"].is_authenticated is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert message.subject == "[UNTFSSE Portal] Please Confirm Your Email Address"
    confirm_path = only_link_in(message)
    assert confirm_path.startswith("/accounts/confirm-email/")

    # Opening the link shows a confirmation button (a GET changes nothing)...
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert user.emailaddress_set.get().verified is False
    # ...and pressing it verifies the address and signs the user in.
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified is True
    assert client.get("/").context["user"] == user


def test_signin_with_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="focal@example.org")
    response = client.post(
        "/accounts/login/", {"login": "focal@example.org", "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )
    # What was typed stays in the form.
    assert 'value="focal@example.org"' in response.content.decode()
    assert response.context["user"].is_authenticated is False


def test_signin_with_the_right_password(client):
    user = UserFactory(email="focal@example.org")
    response = client.post(
        "/accounts/login/", {"login": "focal@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == user


def test_signin_with_an_unverified_address_sends_a_new_confirmation(client):
    UserFactory(email="new@example.org", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "new@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert client.get("/").context["user"].is_authenticated is False


def test_password_reset_journey(client):
    user = UserFactory(email="forgetful@example.org")
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_path = only_link_in(mail.outbox[0])

    # allauth moves the key out of the URL into the session before showing the form.
    form_page = client.get(reset_path, follow=True)
    assert form_page.status_code == 200
    set_path = form_page.redirect_chain[-1][0]
    response = client.post(
        set_path, {"password1": "brand-New-passphrase-7", "password2": "brand-New-passphrase-7"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/key/done/"

    user.refresh_from_db()
    assert user.check_password("brand-New-passphrase-7") is True
    assert client.login(email="forgetful@example.org", password="brand-New-passphrase-7") is True


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"


def test_secretariat_staff_reach_the_admin_and_others_do_not(client):
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
    client.force_login(SecretariatUserFactory())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert '<span class="section">People &amp; organisations</span>' in response.content.decode()


def test_email_is_unique_whatever_its_case(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        "/accounts/signup/",
        {
            "name": "Someone",
            "email": "TAKEN@example.org",
            "password1": "ssE-network-2024!",
            "password2": "ssE-network-2024!",
        },
    )
    # allauth does not reveal that the address exists: it answers as for a new account.
    assert get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1
    assert response.status_code == 302


def test_admin_sign_in_goes_through_the_rate_limited_account_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403


def test_failed_sign_ins_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/5m/key"}
    UserFactory(email="target@example.org")
    pages = [
        client.post("/accounts/login/", {"login": "target@example.org", "password": f"wrong-{n}"})
        for n in range(4)
    ]
    refused = ["Too many failed login attempts" in page.content.decode() for page in pages]
    assert refused == [False, False, False, True]
    # Even the right password is refused until the limit expires.
    page = client.post(
        "/accounts/login/", {"login": "target@example.org", "password": DEFAULT_PASSWORD}
    )
    assert "Too many failed login attempts" in page.content.decode()
    assert page.context["user"].is_authenticated is False
