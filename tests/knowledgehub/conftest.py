import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.knowledgehub.pdfs import make_pdf


@pytest.fixture
def pdf_upload():
    def make(*pages: str, name: str = "paper.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, make_pdf(*pages), content_type="application/pdf")

    return make
