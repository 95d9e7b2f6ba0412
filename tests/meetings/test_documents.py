"""Uploads are checked by content, stored privately under safe names."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Document, DocumentVisibility
from meetings.services import SYSTEM, document_add, document_remove
from tests.factories import FocalPointFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


def test_a_pdf_is_stored_privately_under_a_safe_name(_private_files):
    meeting = MeetingFactory()
    upload = SimpleUploadedFile("../../etc/Budget <2023>.PDF", PDF_BYTES)
    document = document_add(meeting=meeting, title="Budget", upload=upload, by=SYSTEM)
    assert document.file.name == f"meetings/{meeting.pk}/Budget_2023.pdf"
    assert document.content_type == "application/pdf"
    stored = Path(_private_files) / document.file.name
    assert stored.read_bytes() == PDF_BYTES
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        document.file.url


def test_a_renamed_executable_is_refused():
    upload = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError) as error:
        document_add(meeting=MeetingFactory(), title="Minutes", upload=upload, by=SYSTEM)
    assert error.value.messages == [
        "This file is not one of the accepted formats (PDF, DOCX, PPTX, XLSX, ODT)."
    ]
    assert Document.objects.count() == 0


def test_an_html_page_named_pdf_is_refused():
    upload = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError):
        document_add(meeting=MeetingFactory(), title="Report", upload=upload, by=SYSTEM)
    assert Document.objects.count() == 0


def test_an_oversized_file_is_refused():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        document_add(meeting=MeetingFactory(), title="Big", upload=upload, by=SYSTEM)
    assert error.value.messages == ["The file is 20.0\xa0MB; the limit is 20.0\xa0MB."]


def test_a_docx_keeps_its_real_extension():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    upload = SimpleUploadedFile("notes.pdf", buffer.getvalue())
    document = document_add(meeting=MeetingFactory(), title="Notes", upload=upload, by=SYSTEM)
    assert document.file.name.endswith("/notes.docx")


def test_a_link_must_be_https_and_not_with_a_file():
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as error:
        document_add(meeting=meeting, title="Slides", link="http://example.org/s.pdf", by=SYSTEM)
    assert error.value.message_dict == {"link": ["Enter a secure link that starts with https://."]}
    with pytest.raises(ValidationError) as error:
        document_add(
            meeting=meeting,
            title="Both",
            link="https://example.org/s.pdf",
            upload=SimpleUploadedFile("a.pdf", PDF_BYTES),
            by=SYSTEM,
        )
    assert error.value.messages == ["Give either a file or a link, not both."]


def test_a_members_only_link_redirects_members_and_is_404_to_others(client):
    meeting = MeetingFactory(slug="linked")
    document = document_add(
        meeting=meeting,
        title="Shared folder",
        link="https://files.example.org/folder",
        visibility=DocumentVisibility.MEMBERS,
        by=SYSTEM,
    )
    url = f"/meetings/linked/documents/{document.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(FocalPointFactory())
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, "https://files.example.org/folder")


def test_document_remove_deletes_the_file(_private_files, django_capture_on_commit_callbacks):
    document = document_add(
        meeting=MeetingFactory(),
        title="Agenda",
        upload=SimpleUploadedFile("agenda.pdf", PDF_BYTES),
        by=SYSTEM,
    )
    stored = Path(_private_files) / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=document, by=SYSTEM)
    assert not stored.exists()
    assert Document.objects.count() == 0
