"""A person downloads their data and deletes their account, in a real Chromium, on a desktop
and a phone, in English and in French."""

import json
import zipfile

import pytest
from django.test import Client
from playwright.sync_api import expect

from knowledgehub.models import SubmissionState
from members.models import Person, User
from tests.browser_support import assert_no_axe_violations
from tests.factories import DEFAULT_PASSWORD, FocalPointFactory, OrganisationFactory
from tests.factories.knowledgehub import make_submission, submitted_paper_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "en": {
        "prefix": "",
        "download": "Download my data",
        "delete": "Delete my account",
        "password": "Your password",
        "deleted": "Your account has been deleted.",
        "sign_in": "Sign in",
    },
    "fr": {
        "prefix": "/fr",
        "download": "Télécharger mes données",
        "delete": "Supprimer mon compte",
        "password": "Votre mot de passe",
        "deleted": "Votre compte a été supprimé.",
        "sign_in": "Se connecter",
    },
}


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_download_my_data_then_delete_my_account(live_server, browser, width, language):
    texts = TEXTS[language]
    user = FocalPointFactory(
        email="hana@example.org", name="Hana Person", organisation=OrganisationFactory()
    )
    paper = make_submission(submitter=user, state=SubmissionState.SUBMITTED, pdf_text="Hana")
    signed_in = Client()
    signed_in.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": signed_in.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()

    page.goto(f"{live_server.url}{texts['prefix']}/me/")
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=texts["download"]).click()
    archive = zipfile.ZipFile(download.value.path())
    pdf = f"files/knowledge-hub/submissions/{paper.pk}/v1/paper.pdf"
    assert archive.namelist() == ["personal-data.json", pdf]
    assert archive.read(pdf) == submitted_paper_pdf("Hana")
    document = json.loads(archive.read("personal-data.json"))
    assert document["account"]["user"]["email"] == "hana@example.org"
    assert document["account"]["person"]["name"] == "Hana Person"

    page.get_by_role("link", name=texts["delete"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["delete"])
    assert_no_axe_violations(page)
    # Nothing sticks out of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label(texts["password"]).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=texts["delete"]).click()

    expect(page.locator(".message--success")).to_contain_text(texts["deleted"])
    assert page.url == f"{live_server.url}{texts['prefix']}/"
    # Signed out: the header offers to sign in (behind the "Menu" disclosure on a phone).
    expect(page.get_by_role("link", name=texts["sign_in"], include_hidden=True)).to_be_attached()
    assert not User.objects.filter(email="hana@example.org").exists()
    assert Person.objects.get(pk=user.person.pk).email == ""
    context.close()
