"""A meeting's documents: uploaded files (checked by content) and links."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import (
    Document,
    DocumentVisibility,
    Meeting,
)
from members.actors import require_secretariat
from untfsse.core.audit import audit_record
from untfsse.core.uploads import safe_file_name, validate_document_upload


# --- Documents ----------------------------------------------------------------------------
def document_add(
    *,
    meeting: Meeting,
    title: str,
    by,
    upload=None,
    link: str = "",
    visibility: str = DocumentVisibility.MEMBERS,
    order: int = 1,
) -> Document:
    """Attach a file or an https link to a meeting.

    A file is checked by its content (PDF, DOCX, PPTX, XLSX or ODT, at most 20 MB), stored
    under a safe name with the extension of its real type, in the private storage. Raises
    ValidationError for a refused file, a link that is not https, both or neither.
    """
    require_secretariat(by)
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    if bool(upload) == bool(link):
        raise ValidationError(_("Give either a file or a link, not both."))
    if visibility not in DocumentVisibility.values:
        raise ValidationError(_("Unknown visibility."))
    document = Document(
        meeting=meeting, title=title.strip(), link=link, visibility=visibility, order=order
    )
    if upload is not None:
        file_type = validate_document_upload(upload)
        document.content_type = file_type.content_type
        name = safe_file_name(upload.name or "", extension=file_type.extension)
        document.file.save(name, upload, save=False)
    else:
        document.full_clean(exclude=["file"])
    try:
        with transaction.atomic():
            document.save()
            audit_record(
                actor=by,
                action="document.add",
                obj=document,
                changes={"meeting": [None, meeting], "visibility": [None, visibility]},
            )
    except Exception:
        if document.file:
            document.file.delete(save=False)
        raise
    return document


def document_remove(*, document: Document, by) -> None:
    """Delete a document and its stored file."""
    require_secretariat(by)
    file = document.file
    with transaction.atomic():
        # Recorded before the row goes, while it has its number.
        audit_record(
            actor=by,
            action="document.remove",
            obj=document,
            changes={"meeting": [document.meeting, None]},
        )
        document.delete()
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))
