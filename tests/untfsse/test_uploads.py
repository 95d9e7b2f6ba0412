"""Upload checks by content, never by name (untfsse.core.uploads)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.knowledgehub.pdfs import make_pdf
from untfsse.core.uploads import (
    DOCX,
    MAX_DOCUMENT_SIZE,
    ODT,
    PDF,
    PPTX,
    XLSX,
    safe_file_name,
    validate_document_upload,
    validate_image_upload,
    validate_pdf_upload,
)

ELF_EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
WINDOWS_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def office_file(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX_BYTES = office_file(
    {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
)
PPTX_BYTES = office_file({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
XLSX_BYTES = office_file({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"})
ODT_BYTES = office_file(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<o/>"}
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", make_pdf("Minutes"), PDF),
        ("notes.docx", DOCX_BYTES, DOCX),
        ("slides.pptx", PPTX_BYTES, PPTX),
        ("budget.xlsx", XLSX_BYTES, XLSX),
        ("text.odt", ODT_BYTES, ODT),
        # The name does not matter: a real DOCX called .pdf is a DOCX.
        ("misnamed.pdf", DOCX_BYTES, DOCX),
    ],
)
def test_accepted_documents_are_recognised_by_their_content(name, content, expected):
    assert validate_document_upload(SimpleUploadedFile(name, content)) is expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", WINDOWS_EXECUTABLE),
        ("report.docx", ELF_EXECUTABLE),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("archive.docx", office_file({"virus.exe": WINDOWS_EXECUTABLE})),
        ("empty.pdf", b""),
    ],
)
def test_other_files_are_refused_whatever_their_name(name, content):
    with pytest.raises(ValidationError) as error:
        validate_document_upload(SimpleUploadedFile(name, content))
    assert error.value.messages == [
        "This file is not one of the accepted formats (PDF, DOCX, PPTX, XLSX, ODT)."
    ]


def test_a_zip_bomb_disguised_as_a_docx_is_refused():
    bomb = office_file(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * (30 * 1024 * 1024)}
    )
    assert len(bomb) < 100_000  # tiny on disk...
    with pytest.raises(ValidationError) as error:
        validate_document_upload(SimpleUploadedFile("bomb.docx", bomb))
    assert error.value.code == "zip_bomb"
    assert error.value.messages == ["This file expands to far more than its size; it was refused."]


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    oversized = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_DOCUMENT_SIZE)
    with pytest.raises(ValidationError) as error:
        validate_document_upload(oversized)
    assert error.value.code == "too_large"
    assert error.value.messages[0].endswith("the limit is 20.0\xa0MB.")


def test_pdf_upload_must_open_in_pypdf():
    assert validate_pdf_upload(SimpleUploadedFile("paper.pdf", make_pdf("Text"))) is PDF
    truncated = make_pdf("Text")[:60]
    with pytest.raises(ValidationError) as error:
        validate_pdf_upload(SimpleUploadedFile("paper.pdf", truncated))
    assert error.value.code == "broken_pdf"
    with pytest.raises(ValidationError) as error:
        validate_pdf_upload(SimpleUploadedFile("paper.pdf", DOCX_BYTES))
    assert error.value.messages == ["This file is not a PDF."]


def test_a_pdf_with_embedded_javascript_is_accepted():
    """The portal never renders uploaded files: a PDF's JavaScript cannot run in its pages."""
    scripted = make_pdf("Hello").replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    )
    assert validate_pdf_upload(SimpleUploadedFile("scripted.pdf", scripted)) is PDF


@pytest.mark.django_db
def test_a_scripted_pdf_is_served_as_an_attachment_with_nosniff(client):
    from tests.factories.knowledgehub import ResourceFactory

    scripted = make_pdf("Hello").replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    )
    resource = ResourceFactory(title="Scripted", pdf=SimpleUploadedFile("s.pdf", scripted))
    response = client.get(f"/knowledge-hub/{resource.pk}-{resource.slug}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("uploaded_as", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("minutes\x00.exe.pdf", "minutes.exe.pdf"),
        # A slash is a path separator, wherever it stands.
        ("report\r\nContent-Type: text/html.pdf", "html.pdf"),
        ("report\r\nX-Injected: yes.pdf", "reportX-Injected yes.pdf"),
        ('"quoted"; filename=x.pdf', "quoted filenamex.pdf"),
        ("", "document.pdf"),
        ("....pdf", "document.pdf"),
        ("Rapport d’activité 2023.docx", "Rapport dactivité 2023.pdf"),
    ],
)
def test_file_names_lose_paths_control_characters_and_their_claimed_extension(
    uploaded_as, expected
):
    assert safe_file_name(uploaded_as, extension="pdf") == expected


def test_images_are_checked_by_pillow():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(
            SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
        )
    assert error.value.code == "broken_image"
    with pytest.raises(ValidationError) as error:
        validate_image_upload(SimpleUploadedFile("logo.png", b"<svg onload='alert(1)'/>"))
    assert error.value.code == "bad_type"
