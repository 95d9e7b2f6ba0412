"""Kept for the landed migrations, which name the upload validators by this path; the code lives
in untfsse.core.uploads."""

from untfsse.core.uploads import (  # noqa: F401
    validate_document_upload,
    validate_image_upload,
    validate_pdf_upload,
)
