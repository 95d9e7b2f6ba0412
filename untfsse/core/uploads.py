"""Checks for uploaded files, by their content and never by their name.

Every upload field of the portal validates through one of these functions, so a renamed
executable, an HTML page called "report.pdf" or a zip bomb disguised as a .docx is refused with
a clear message before anything is stored.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024
MAX_IMAGE_SIZE = 2 * 1024 * 1024
# An office document whose parts inflate beyond this, or far beyond its own size, is refused.
MAX_UNZIPPED_SIZE = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "application/pdf", "PDF")
DOCX = FileType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
)
PPTX = FileType(
    "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PPTX"
)
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", "ODT")
PNG = FileType("png", "image/png", "PNG")
JPEG = FileType("jpg", "image/jpeg", "JPEG")
WEBP = FileType("webp", "image/webp", "WebP")

DOCUMENT_TYPES = (PDF, DOCX, PPTX, XLSX, ODT)
IMAGE_TYPES = (PNG, JPEG, WEBP)

_OOXML_FOLDERS = {"word/": DOCX, "ppt/": PPTX, "xl/": XLSX}


def _read_head(upload, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _office_type(upload) -> FileType | None:
    """DOCX, PPTX, XLSX or ODT from the parts inside the zip container, or None."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            unzipped = sum(entry.file_size for entry in entries)
            packed = max(sum(entry.compress_size for entry in entries), 1)
            if unzipped > MAX_UNZIPPED_SIZE or unzipped / packed > MAX_COMPRESSION_RATIO:
                raise ValidationError(
                    _("This file expands to far more than its size; it was refused."),
                    code="zip_bomb",
                )
            names = {entry.filename for entry in entries}
            if (
                "mimetype" in names
                and archive.read("mimetype").strip() == ODT.content_type.encode()
            ):
                return ODT
            if "[Content_Types].xml" in names:
                for folder, file_type in _OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return file_type
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_file_type(upload) -> FileType | None:
    """What the file really is, judged by its bytes: one of the known types, or None."""
    head = _read_head(upload, 16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _allowed_labels(types) -> str:
    return ", ".join(file_type.label for file_type in types)


def validate_document_upload(upload) -> FileType:
    """A PDF, DOCX, PPTX, XLSX or ODT of at most 20 MB; returns its detected type."""
    _check_size(upload, MAX_DOCUMENT_SIZE)
    file_type = detect_file_type(upload)
    if file_type not in DOCUMENT_TYPES:
        raise ValidationError(
            _("This file is not one of the accepted formats (%(formats)s).")
            % {"formats": _allowed_labels(DOCUMENT_TYPES)},
            code="bad_type",
        )
    return file_type


def validate_pdf_upload(upload) -> FileType:
    """A PDF of at most 20 MB that pypdf can open (not truncated, not a renamed other file)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    _check_size(upload, MAX_DOCUMENT_SIZE)
    if detect_file_type(upload) is not PDF:
        raise ValidationError(_("This file is not a PDF."), code="bad_type")
    try:
        reader = PdfReader(io.BytesIO(upload.read()))
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is password-protected; upload an unprotected copy."),
                code="encrypted",
            )
        if len(reader.pages) < 1:
            raise ValidationError(_("This PDF has no pages."), code="empty_pdf")
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise ValidationError(
            _("This PDF is damaged or incomplete and cannot be opened."), code="broken_pdf"
        ) from error
    finally:
        upload.seek(0)
    return PDF


def validate_image_upload(upload) -> FileType:
    """A PNG, JPEG or WebP image of at most 2 MB that Pillow can decode."""
    from PIL import Image, UnidentifiedImageError

    _check_size(upload, MAX_IMAGE_SIZE)
    file_type = detect_file_type(upload)
    if file_type not in IMAGE_TYPES:
        raise ValidationError(
            _("This file is not one of the accepted formats (%(formats)s).")
            % {"formats": _allowed_labels(IMAGE_TYPES)},
            code="bad_type",
        )
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This image is damaged."), code="broken_image") from error
    finally:
        upload.seek(0)
    return file_type


_UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w.\- ]+")


def safe_file_name(name: str, *, extension: str, fallback: str = "document") -> str:
    """A file name fit for storage and a Content-Disposition header.

    Drops any path, control characters and anything but letters, digits, dots, dashes and
    spaces, and ends with the extension of the detected type, whatever the uploader called it.
    """
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE_NAME_CHARACTERS.sub("", stem).strip(" .-")[:80] or fallback
    return f"{stem}.{extension}"
