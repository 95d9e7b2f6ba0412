"""Writing resources: creation, updates, withdrawal, downloads and the PDF's text extraction."""

import datetime
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from knowledgehub.extraction import pdf_text
from knowledgehub.models import Resource, ResourceKind, ResourceStatus, TextExtractionStatus
from knowledgehub.services import (
    AuthorEntry,
    resource_attach_pdf,
    resource_create,
    resource_extract_text,
    resource_record_download,
    resource_republish,
    resource_update,
    resource_withdraw,
)
from knowledgehub.tasks import extract_resource_text
from members.actors import SYSTEM
from members.models import DatePrecision
from tests.factories import OrganisationFactory, PersonFactory, SecretariatUserFactory
from tests.factories.knowledgehub import ResourceFactory
from tests.knowledgehub.pdfs import make_encrypted_pdf, make_pdf

pytestmark = pytest.mark.django_db


def test_resource_create_keeps_authors_in_order_with_their_people():
    ilo = OrganisationFactory(acronym="ILO")
    person = PersonFactory(name="Simel Esim", organisation=ilo)
    resource = resource_create(
        kind=ResourceKind.WORKING_PAPER,
        title="  Decent work   and the SSE ",
        authors=["Ilcheong Yi", AuthorEntry(name="Simel Esim", person=person), "  "],
        organisations=[ilo],
        published_on=datetime.date(2022, 3, 1),
        published_precision=DatePrecision.MONTH,
        sdgs=[8, 17],
        themes=["Decent work", "decent work", "Finance"],
    )
    assert resource.title == "Decent work and the SSE"
    assert resource.slug == "decent-work-and-the-sse"
    assert resource.status == ResourceStatus.PUBLISHED
    assert resource.text_extraction_status == TextExtractionStatus.NO_FILE
    assert [(a.order, a.name, a.person) for a in resource.authors.all()] == [
        (1, "Ilcheong Yi", None),
        (2, "Simel Esim", person),
    ]
    assert resource.authors_text == "Ilcheong Yi; Simel Esim"
    assert sorted(resource.sdgs.values_list("number", flat=True)) == [8, 17]
    assert sorted(resource.themes.values_list("slug", flat=True)) == ["decent-work", "finance"]
    assert list(resource.organisations.all()) == [ilo]


def test_resource_create_refuses_bad_metadata_and_writes_nothing():
    with pytest.raises(ValidationError) as error:
        resource_create(kind="novel", title="A", doi="not-a-doi")
    assert set(error.value.message_dict) == {"kind", "doi"}
    with pytest.raises(ValidationError) as error:
        resource_create(kind=ResourceKind.REPORT, title="A", sdgs=[18])
    assert error.value.message_dict == {"sdgs": ["There is no SDG 18."]}
    assert Resource.objects.count() == 0


def test_resource_create_normalises_a_doi_given_as_a_link():
    resource = ResourceFactory(doi="https://doi.org/10.1234/sse.2022.7")
    assert resource.doi == "10.1234/sse.2022.7"
    assert resource.doi_url == "https://doi.org/10.1234/sse.2022.7"


def test_resource_update_changes_metadata_and_replaces_relations_only_when_given():
    resource = ResourceFactory(title="First title", authors=["A One"], sdgs=[1], themes=["Old"])
    resource_update(resource=resource, by=None, title="Second title", authors=["B Two", "C Three"])
    resource.refresh_from_db()
    assert resource.slug == "second-title"
    assert resource.authors_text == "B Two; C Three"
    assert list(resource.sdgs.values_list("number", flat=True)) == [1]
    assert list(resource.themes.values_list("name", flat=True)) == ["Old"]
    with pytest.raises(TypeError):
        resource_update(resource=resource, by=None, download_count=99)


def test_withdraw_needs_a_reason_and_republish_restores_the_resource(time_machine):
    secretariat = SecretariatUserFactory()
    resource = ResourceFactory()
    withdrawn_at = timezone.now().replace(microsecond=0)
    time_machine.move_to(withdrawn_at, tick=False)
    with pytest.raises(ValidationError):
        resource_withdraw(resource=resource, reason="  ", by=secretariat)
    withdrawn = resource_withdraw(
        resource=resource, reason="Superseded by the 2023 edition.", by=secretariat
    )
    assert (withdrawn.status, withdrawn.withdrawal_reason, withdrawn.withdrawn_by) == (
        ResourceStatus.WITHDRAWN,
        "Superseded by the 2023 edition.",
        secretariat,
    )
    assert withdrawn.withdrawn_at == withdrawn_at
    with pytest.raises(ValidationError):
        resource_withdraw(resource=withdrawn, reason="Again", by=secretariat)
    republished = resource_republish(resource=withdrawn, by=secretariat)
    assert (republished.status, republished.withdrawn_at, republished.withdrawal_reason) == (
        ResourceStatus.PUBLISHED,
        None,
        "",
    )
    with pytest.raises(ValidationError):
        resource_republish(resource=republished, by=secretariat)


def test_record_download_counts_published_resources_only():
    resource = ResourceFactory()
    assert resource_record_download(resource_id=resource.pk) is True
    assert resource_record_download(resource_id=resource.pk) is True
    resource.refresh_from_db()
    assert resource.download_count == 2
    resource_withdraw(resource=resource, reason="Gone", by=SYSTEM)
    assert resource_record_download(resource_id=resource.pk) is False
    assert resource_record_download(resource_id=999999) is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_record_download_loses_no_count_under_concurrent_downloads():
    resource = ResourceFactory()

    def download_five_times():
        for _ in range(5):
            resource_record_download(resource_id=resource.pk)
        connection.close()

    threads = [threading.Thread(target=download_five_times) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    resource.refresh_from_db()
    assert resource.download_count == 20


def test_attaching_a_pdf_extracts_its_text_after_commit(
    django_capture_on_commit_callbacks, pdf_upload
):
    resource = ResourceFactory(title="Cooperatives in Kenya")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resource_attach_pdf(
            resource=resource,
            pdf=pdf_upload("Savings groups and credit unions", name="../x.PDF"),
            by=None,
        )
    resource.refresh_from_db()
    # Nothing is extracted before the transaction commits.
    assert resource.text_extraction_status == TextExtractionStatus.PENDING
    assert resource.pdf.name == "knowledgehub/x.pdf"
    # Two callbacks wait for the commit: the cached pages' version bump and the extraction.
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    resource.refresh_from_db()
    assert resource.text_extraction_status == TextExtractionStatus.DONE
    assert resource.extracted_text == "Savings groups and credit unions"


def test_resource_create_with_a_pdf_queues_the_extraction(
    django_capture_on_commit_callbacks, pdf_upload
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory(pdf=pdf_upload("Page one text", "Page two text"))
    resource.refresh_from_db()
    assert resource.extracted_text == "Page one text\nPage two text"
    assert resource.text_extraction_status == TextExtractionStatus.DONE


def test_replacing_the_pdf_deletes_the_old_file_after_commit(
    django_capture_on_commit_callbacks, pdf_upload
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = ResourceFactory(pdf=pdf_upload("Old text", name="old.pdf"))
    storage = resource.pdf.storage
    assert storage.exists("knowledgehub/old.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        resource_attach_pdf(resource=resource, pdf=pdf_upload("New text", name="new.pdf"), by=None)
    resource.refresh_from_db()
    assert not storage.exists("knowledgehub/old.pdf")
    assert resource.extracted_text == "New text"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 an executable renamed", "This file is not a PDF."),
        (make_pdf("cut short")[:120], "This PDF is damaged or incomplete and cannot be opened."),
        (
            make_encrypted_pdf("secret"),
            "This PDF is password-protected; upload an unprotected copy.",
        ),
    ],
)
def test_attaching_a_bad_file_is_refused(content, message):
    resource = ResourceFactory()
    upload = SimpleUploadedFile("paper.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        resource_attach_pdf(resource=resource, pdf=upload, by=None)
    assert error.value.messages == [message]
    resource.refresh_from_db()
    assert (resource.pdf.name, resource.text_extraction_status) == (
        "",
        TextExtractionStatus.NO_FILE,
    )


def _store_file_behind_validation(resource: Resource, content: bytes) -> None:
    """A stored file that went bad after upload (validation only sees uploads)."""
    storage = resource.pdf.storage
    name = storage.save("knowledgehub/broken.pdf", ContentFile(content))
    Resource.objects.filter(pk=resource.pk).update(
        pdf=name, text_extraction_status=TextExtractionStatus.PENDING
    )


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n1 0 obj << /Type /Catalog", make_encrypted_pdf("secret words")],
    ids=["corrupt", "encrypted"],
)
def test_extraction_of_a_corrupt_or_encrypted_pdf_records_no_text(content):
    resource = ResourceFactory()
    _store_file_behind_validation(resource, content)
    # The task returns normally: nothing to retry.
    extract_resource_text.delay(resource_id=resource.pk)
    resource.refresh_from_db()
    assert resource.text_extraction_status == TextExtractionStatus.NO_TEXT
    assert resource.extracted_text == ""


def test_extraction_task_returns_quietly_when_the_resource_or_file_is_gone():
    assert resource_extract_text(resource_id=424242) is None
    resource = ResourceFactory()
    assert resource_extract_text(resource_id=resource.pk) is None
    Resource.objects.filter(pk=resource.pk).update(pdf="knowledgehub/missing.pdf")
    assert resource_extract_text(resource_id=resource.pk) == TextExtractionStatus.NO_TEXT


def test_pdf_text_is_bounded_in_pages_and_characters():
    pdf = make_pdf("first page words", "second page words", "third page words")
    assert pdf_text(io.BytesIO(pdf), max_pages=2) == "first page words\nsecond page words"
    assert pdf_text(io.BytesIO(pdf), max_characters=10) == "first page"
    assert pdf_text(io.BytesIO(b"not a pdf at all")) == ""
