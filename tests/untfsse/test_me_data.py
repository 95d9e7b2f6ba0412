"""/me/data/ (a person's data as a zip) and /me/delete/ (the account's deletion): the pages,
their limits, and that no cache ever keeps or serves them."""

import io
import json
import re
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory

from knowledgehub.groups import REVIEWERS_GROUP
from knowledgehub.models import SubmissionState
from members.models import Person, User
from tests.factories import FocalPointFactory, OrganisationFactory, RoleFactory, UserFactory
from tests.factories.knowledgehub import make_submission, submitted_paper_pdf
from tests.factories.members import DEFAULT_PASSWORD
from untfsse.core.cache import _page_key

pytestmark = pytest.mark.django_db

NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.fixture
def grace():
    return FocalPointFactory(
        email="grace@example.org", name="Grace Person", organisation=OrganisationFactory()
    )


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


# --- Export ---------------------------------------------------------------------------------
def test_export_is_a_zip_of_the_json_and_the_files(client, grace):
    paper = make_submission(submitter=grace, state=SubmissionState.SUBMITTED, pdf_text="Grace")
    client.force_login(grace)
    response = client.post("/me/data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert re.fullmatch(
        r'attachment; filename="untfsse-personal-data-\d{4}-\d{2}-\d{2}\.zip"',
        response["Content-Disposition"],
    )
    assert response["Cache-Control"] == NEVER_CACHE
    archive = unzip(response)
    pdf = f"files/knowledge-hub/submissions/{paper.pk}/v1/paper.pdf"
    assert archive.namelist() == ["personal-data.json", pdf]
    assert archive.read(pdf) == submitted_paper_pdf("Grace")
    document = json.loads(archive.read("personal-data.json"))
    assert document["account"]["user"]["email"] == "grace@example.org"
    assert document["knowledge_hub"]["submissions"][0]["versions"][0]["file"] == pdf


def test_a_lost_file_is_named_instead_of_failing_the_download(client, grace):
    paper = make_submission(submitter=grace, state=SubmissionState.SUBMITTED)
    version = paper.versions.get()
    version.pdf.storage.delete(version.pdf.name)
    client.force_login(grace)
    archive = unzip(client.post("/me/data/"))
    assert archive.namelist() == ["personal-data.json"]
    assert json.loads(archive.read("personal-data.json"))["missing_files"] == [
        f"files/knowledge-hub/submissions/{paper.pk}/v1/paper.pdf"
    ]


def test_export_is_asked_for_by_post_by_a_signed_in_user(client, grace):
    assert client.post("/me/data/")["Location"] == "/accounts/login/?next=/me/data/"
    client.force_login(grace)
    assert client.get("/me/data/").status_code == 405


def test_export_is_limited_per_hour(client, grace, settings):
    settings.PERSONAL_DATA_EXPORTS_PER_HOUR = 2
    client.force_login(grace)
    assert [client.post("/me/data/").status_code for _ in range(3)] == [200, 200, 429]
    # Per account: another person is not held back.
    client.force_login(UserFactory())
    assert client.post("/me/data/").status_code == 200


def test_the_page_cache_never_keeps_or_serves_personal_pages(client, grace, settings):
    settings.PUBLIC_PAGE_CACHE = True
    client.force_login(grace)
    for method, path in [("get", "/me/"), ("post", "/me/data/"), ("get", "/me/delete/")]:
        response = getattr(client, method)(path)
        assert response.status_code == 200, path
        # No browser or proxy keeps them either.
        assert response["Cache-Control"] == NEVER_CACHE, path
        # Nothing was stored under the address an anonymous visitor would be served from.
        assert cache.get(_page_key(RequestFactory().get(path), ())) is None, path
    anonymous = type(client)()
    assert anonymous.get("/me/")["Location"] == "/accounts/login/?next=/me/"
    assert anonymous.get("/me/delete/")["Location"] == "/accounts/login/?next=/me/delete/"
    assert anonymous.post("/me/data/")["Location"] == "/accounts/login/?next=/me/data/"


# --- Deletion -------------------------------------------------------------------------------
def test_delete_page_says_what_goes_and_what_stays(client, grace):
    RoleFactory(person=grace.person)
    client.force_login(grace)
    html = client.get("/me/delete/").content.decode()
    assert "What goes" in html
    assert "What stays in the Task Force's record" in html
    assert (
        "Your person record keeps your name, organisation and position, because the public "
        "record names you; nothing private is kept with it."
    ) in html
    assert 'autocomplete="current-password"' in html


def test_delete_page_explains_a_refusal_and_offers_no_form(client):
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    make_submission(state=SubmissionState.UNDER_REVIEW, reviewer=reviewer)
    client.force_login(reviewer)
    html = client.get("/me/delete/").content.decode()
    assert (
        "You review a submission to the Knowledge Hub: your review is part of its record. "
        "Ask the secretariat to close your account."
    ) in html
    assert 'name="password"' not in html
    response = client.post("/me/delete/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=reviewer.pk).exists()


def test_a_wrong_password_deletes_nothing(client, grace):
    client.force_login(grace)
    response = client.post("/me/delete/", {"password": "not-my-password"})
    assert response.status_code == 400
    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=grace.pk).exists()


def test_password_attempts_are_limited(client, grace):
    client.force_login(grace)
    statuses = [client.post("/me/delete/", {"password": "guess"}).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    assert client.post("/me/delete/", {"password": DEFAULT_PASSWORD}).status_code == 429
    assert User.objects.filter(pk=grace.pk).exists()


@pytest.mark.parametrize(("prefix", "home", "message"), [
    ("", "/", "Your account has been deleted."),
    ("/fr", "/fr/", "Votre compte a été supprimé."),
])  # fmt: skip
def test_deletion_signs_out_and_says_so(client, grace, prefix, home, message):
    client.force_login(grace)
    response = client.post(f"{prefix}/me/delete/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == home
    assert not User.objects.filter(email="grace@example.org").exists()
    page = client.get(home)
    assert page.context["user"].is_authenticated is False
    assert message in page.content.decode()
    assert Person.objects.get(pk=grace.person.pk).user is None


def test_the_secretariat_sees_the_deletion_on_its_activity_page(client, grace, admin_client):
    signed_in = type(client)()
    signed_in.force_login(grace)
    signed_in.post("/me/delete/", {"password": DEFAULT_PASSWORD})
    html = admin_client.get("/secretariat/activity/").content.decode()
    assert "Account deleted" in html
    assert "Grace Person &lt;grace@example.org&gt; (account deleted)" in html


def test_a_deleted_users_address_can_sign_up_afresh(client, grace):
    client.force_login(grace)
    client.post("/me/delete/", {"password": DEFAULT_PASSWORD})
    mail.outbox.clear()

    response = client.post(
        "/accounts/signup/",
        {
            "name": "Grace Again",
            "email": "grace@example.org",
            "password1": "ssE-network-2025!",
            "password2": "ssE-network-2025!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="grace@example.org")
    assert (user.name, user.pk == grace.pk) == ("Grace Again", False)
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("grace@example.org", False)
    ]
    assert [message.to for message in mail.outbox] == [["grace@example.org"]]
    # The new account starts afresh: the old person record is not linked to it.
    assert not Person.objects.filter(user=user).exists()
