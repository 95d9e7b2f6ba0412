"""A meeting's documents: uploaded files and links, public or for members."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import Meeting, validate_https_url
from meetings.storage import private_document_storage
from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel
from untfsse.core.uploads import validate_document_upload


class DocumentVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members and observers only")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, standing):
        if standing.sees_members_only_content:
            return self
        return self.filter(visibility=DocumentVisibility.PUBLIC)


def document_upload_path(document: "Document", filename: str) -> str:
    # The file name was already made safe by the service (untfsse.core.uploads.safe_file_name).
    return f"meetings/{document.meeting_id}/{filename}"


class Document(TimeStampedModel):
    """A file (PDF, DOCX, PPTX, XLSX, ODT) or a link attached to a meeting."""

    content_areas = (ContentArea.MEETINGS,)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=document_upload_path,
        storage=private_document_storage,
        max_length=300,
        blank=True,
        validators=[validate_document_upload],
        help_text=_("PDF, DOCX, PPTX, XLSX or ODT, at most 20 MB."),
    )
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    link = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("Instead of a file: a secure link (https://) to the document."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=8,
        choices=DocumentVisibility.choices,
        default=DocumentVisibility.MEMBERS,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="document_file_or_link",
                violation_error_message=_("Give either a file or a link, not both."),
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=DocumentVisibility.values),
                name="document_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.file) == bool(self.link):
            raise ValidationError(_("Give either a file or a link, not both."))

    @property
    def is_public(self) -> bool:
        return self.visibility == DocumentVisibility.PUBLIC

    def get_absolute_url(self) -> str:
        """Files are served by the permission-checked view; links are shown as they are."""
        if self.link:
            return self.link
        return reverse("meetings:document", kwargs={"slug": self.meeting.slug, "pk": self.pk})
