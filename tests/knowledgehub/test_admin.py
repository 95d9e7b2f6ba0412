"""The secretariat edits resources in the admin: authors inline, withdraw and republish."""

import pytest
from django.urls import reverse

from knowledgehub.models import Resource, ResourceStatus, TextExtractionStatus
from tests.factories import DEFAULT_PASSWORD, PersonFactory, SecretariatUserFactory
from tests.factories.knowledgehub import ResourceFactory
from tests.knowledgehub.pdfs import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    user = SecretariatUserFactory()
    client.login(email=user.email, password=DEFAULT_PASSWORD)
    return client


def form_data(**overrides) -> dict:
    data = {
        "kind": "report",
        "title": "Social enterprises in Asia",
        "abstract": "A survey.",
        "language": "en",
        "published_on": "2023-05-01",
        "published_precision": "month",
        "licence": "cc-by-4.0",
        "doi": "",
        "external_url": "",
        "authors-TOTAL_FORMS": "2",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "1000",
        "authors-0-order": "2",
        "authors-0-name": "Second Author",
        "authors-1-order": "1",
        "authors-1-name": "First Author",
    }
    data.update(overrides)
    return data


def test_adding_a_resource_with_authors_and_a_pdf_in_the_admin(
    secretariat_client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = PersonFactory(name="First Author")
    pdf = SimpleUploadedFile("survey.pdf", make_pdf("Social enterprises survey text"))
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("admin:knowledgehub_resource_add"),
            form_data(**{"authors-1-person": str(person.pk), "pdf": pdf}),
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get()
    assert resource.slug == "social-enterprises-in-asia"
    assert resource.authors_text == "First Author; Second Author"
    assert resource.authors.get(order=1).person == person
    assert resource.text_extraction_status == TextExtractionStatus.DONE
    assert resource.extracted_text == "Social enterprises survey text"
    assert resource.created_by.is_staff


def test_the_admin_refuses_a_file_that_is_not_a_pdf_and_a_bad_doi(secretariat_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = secretariat_client.post(
        reverse("admin:knowledgehub_resource_add"),
        form_data(pdf=SimpleUploadedFile("x.pdf", b"MZ not a pdf"), doi="doi-less"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["pdf"] == ["This file is not a PDF."]
    assert errors["doi"] == ["Enter a DOI such as 10.1234/abcd.5678 (without https://doi.org/)."]
    assert Resource.objects.count() == 0


def test_withdraw_action_asks_for_a_reason_then_withdraws(secretariat_client):
    resource = ResourceFactory(title="Old brief")
    url = reverse("admin:knowledgehub_resource_changelist")
    response = secretariat_client.post(
        url, {"action": "withdraw_selected", "_selected_action": [resource.pk]}
    )
    assert response.status_code == 200
    assert "Reason for withdrawal" in response.content.decode()
    response = secretariat_client.post(
        url,
        {"action": "withdraw_selected", "_selected_action": [resource.pk], "reason": "Superseded."},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.status, resource.withdrawal_reason) == (
        ResourceStatus.WITHDRAWN,
        "Superseded.",
    )

    secretariat_client.post(
        url, {"action": "republish_selected", "_selected_action": [resource.pk]}
    )
    resource.refresh_from_db()
    assert (resource.status, resource.withdrawal_reason) == (ResourceStatus.PUBLISHED, "")


def test_resources_cannot_be_deleted_only_withdrawn(secretariat_client):
    resource = ResourceFactory()
    response = secretariat_client.get(
        reverse("admin:knowledgehub_resource_delete", args=[resource.pk])
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "path", ["knowledgehub_resource_changelist", "knowledgehub_theme_changelist"]
)
def test_admin_lists_render(secretariat_client, path):
    ResourceFactory(themes=["Finance"], sdgs=[1])
    assert secretariat_client.get(reverse(f"admin:{path}"), {"q": "notes"}).status_code == 200
