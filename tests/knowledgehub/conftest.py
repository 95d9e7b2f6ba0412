import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.knowledgehub.pdfs import make_pdf


@pytest.fixture(autouse=True)
def _knowledge_hub_files(settings, tmp_path):
    """Each test keeps its PDFs in its own folder."""
    settings.KNOWLEDGE_HUB_FILES_ROOT = tmp_path / "knowledgehub-files"


@pytest.fixture
def pdf_upload():
    def make(*pages: str, name: str = "paper.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, make_pdf(*pages), content_type="application/pdf")

    return make
