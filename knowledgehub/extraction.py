"""Reading the text out of a PDF, within bounds, for full-text search.

A hostile or broken PDF must never hang a worker or be retried forever: the number of pages
and characters read are capped, and every error pypdf can raise on a bad file means "no text".
"""

import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

MAX_PAGES = 200
MAX_CHARACTERS = 200_000

# What pypdf raises on damaged, truncated or malicious files, besides its own errors.
BROKEN_PDF_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
    OverflowError,
    ZeroDivisionError,
    UnicodeError,
    EOFError,
)


def pdf_text(file, *, max_pages: int = MAX_PAGES, max_characters: int = MAX_CHARACTERS) -> str:
    """The text of the first `max_pages` pages, at most `max_characters` long.

    Returns "" for an encrypted, damaged or image-only PDF (never raises for a bad file).
    """
    try:
        reader = PdfReader(file)
        if reader.is_encrypted:
            return ""
        parts: list[str] = []
        length = 0
        for page in reader.pages[:max_pages]:
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text) + 1
            if length >= max_characters:
                break
    except BROKEN_PDF_ERRORS as error:
        logger.info("No text extracted from a PDF: %s", error)
        return ""
    # PostgreSQL text cannot hold NUL characters.
    return "\n".join(parts).replace("\x00", "")[:max_characters].strip()
