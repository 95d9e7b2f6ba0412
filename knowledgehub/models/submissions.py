"""Submissions to the Knowledge Hub: calls for papers, the papers submitted to them, every
version of each, the review (assignments and reviews), the timeline of transitions and the
e-mails those transitions send.

All writes go through `knowledgehub.services.submissions` (one service moves a submission from
state to state); these classes hold the data, its constraints and cheap properties only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledgehub.models.resources import (
    Licence,
    Resource,
    ResourceKind,
    ResourceLanguage,
    Sdg,
    Theme,
)
from knowledgehub.storage import private_resource_storage
from members.models import Person
from untfsse.core.cache import ContentArea
from untfsse.core.models import TimeStampedModel

# The licences a submitter chooses from: the Creative Commons family (CC BY by default), the
# public-domain dedication, or all rights reserved.
SUBMISSION_LICENCES = [
    Licence.CC_BY,
    Licence.CC_BY_SA,
    Licence.CC_BY_NC,
    Licence.CC_BY_NC_SA,
    Licence.CC_BY_ND,
    Licence.CC0,
    Licence.ALL_RIGHTS_RESERVED,
]


class CallEligibility(models.TextChoices):
    AFFILIATED = "affiliated", _("Focal points of member and observer organisations")
    VERIFIED = "verified", _("Anyone with a verified e-mail address")


class CallForPapersQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def listed(self, now=None):
        """Open calls first (closing soonest first), then upcoming, then closed (newest first)."""
        now = now or timezone.now()
        return self.annotate(
            listing_group=models.Case(
                models.When(opens_at__lte=now, closes_at__gt=now, then=models.Value(0)),
                models.When(opens_at__gt=now, then=models.Value(1)),
                default=models.Value(2),
            )
        ).order_by(
            "listing_group",
            models.Case(
                models.When(closes_at__gt=now, then="closes_at"),
                default=None,
            ).asc(nulls_last=True),
            "-closes_at",
            "pk",
        )


class CallForPapers(TimeStampedModel):
    """An invitation to submit papers on some themes between two moments."""

    content_areas = (ContentArea.KNOWLEDGE_HUB,)

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("address"),
        max_length=120,
        unique=True,
        help_text=_("The page's address is /knowledge-hub/calls/<address>/."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: what the call asks for.")
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="calls_for_papers"
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    eligibility = models.CharField(
        _("who may submit"),
        max_length=12,
        choices=CallEligibility.choices,
        default=CallEligibility.VERIFIED,
    )

    objects = CallForPapersQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for papers")
        verbose_name_plural = _("calls for papers")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(eligibility__in=CallEligibility.values), name="call_eligibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledgehub:call", kwargs={"slug": self.slug})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def has_not_opened(self, now=None) -> bool:
        return (now or timezone.now()) < self.opens_at


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    REVISIONS_REQUESTED = "revisions_requested", _("Revisions requested")
    ACCEPTED = "accepted", _("Accepted")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SubmissionQuerySet(models.QuerySet):
    def of_submitter(self, user):
        return self.filter(submitter=user)


def submission_file_path(version: "SubmissionVersion", filename: str) -> str:
    return f"submissions/{version.submission_id}/v{version.number}/{filename}"


class Submission(TimeStampedModel):
    """A paper someone submits for the Knowledge Hub, with the metadata of the resource it
    would become. The metadata here is the submitter's latest; what reviewers review is the
    snapshot kept on each submitted version."""

    content_areas = ()  # shown on no cached page

    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitter"),
        on_delete=models.PROTECT,
        related_name="knowledge_hub_submissions",
    )
    call = models.ForeignKey(
        CallForPapers,
        verbose_name=_("call for papers"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    cover_note = models.TextField(_("cover note"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
        editable=False,
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.RESEARCH_PAPER
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=ResourceLanguage.choices, default="en"
    )
    sdgs = models.ManyToManyField(
        Sdg,
        verbose_name=_("Sustainable Development Goals"),
        blank=True,
        related_name="submissions",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="submissions"
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY
    )
    current_version = models.ForeignKey(
        "SubmissionVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The latest version the submitter submitted (what reviewers review)."),
    )
    resource = models.OneToOneField(
        Resource,
        verbose_name=_("published resource"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="submission",
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=SubmissionState.values), name="submission_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="submission_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["submitter", "-created_at"], name="submission_by_submitter"),
            models.Index(fields=["state", "-state_changed_at"], name="submission_by_state"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Untitled submission"))

    def get_absolute_url(self) -> str:
        return reverse("knowledgehub:my_submission", kwargs={"pk": self.pk})

    def get_review_url(self) -> str:
        return reverse("knowledgehub:review_submission", kwargs={"pk": self.pk})

    @property
    def is_editable_by_submitter(self) -> bool:
        return self.state in (SubmissionState.DRAFT, SubmissionState.REVISIONS_REQUESTED)

    @property
    def is_final(self) -> bool:
        return self.state in (
            SubmissionState.PUBLISHED,
            SubmissionState.REJECTED,
            SubmissionState.WITHDRAWN,
        )


class SubmissionAuthor(models.Model):
    """An author of a submission, in order, with the affiliation printed next to the name."""

    content_areas = ()  # shown on no cached page

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="authors"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["submission", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class SubmissionVersion(models.Model):
    """One version of the paper: its PDF and, once submitted, a snapshot of the metadata.

    The version being prepared (the draft's, or the answer to a revision request) has no
    `submitted_at` and is the only one that changes; submitted versions are never modified.
    """

    content_areas = ()  # shown on no cached page

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    pdf = models.FileField(
        _("PDF file"),
        upload_to=submission_file_path,
        storage=private_resource_storage,
        max_length=255,
        blank=True,
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    metadata = models.JSONField(_("metadata as submitted"), default=dict, blank=True)
    note = models.TextField(
        _("note on this version"),
        blank=True,
        help_text=_("The submitter's answer to the revision request: what changed."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="submission_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(submitted_at__isnull=True),
                name="submission_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Version %(number)d") % {"number": self.number})

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def file_url(self) -> str:
        return reverse(
            "knowledgehub:submission_file",
            kwargs={"pk": self.submission_id, "number": self.number},
        )


class SubmissionTransition(models.Model):
    """One step of a submission's timeline: who moved it from which state to which, when, and
    the note that went with it (a decision's note is addressed to the submitter)."""

    content_areas = ()  # shown on no cached page

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_state = models.CharField(_("from"), max_length=20, choices=SubmissionState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=SubmissionState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    version = models.ForeignKey(
        SubmissionVersion,
        verbose_name=_("version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"

    @property
    def is_resubmission(self) -> bool:
        return self.from_state == SubmissionState.REVISIONS_REQUESTED and self.to_state in (
            SubmissionState.UNDER_REVIEW,
            SubmissionState.SUBMITTED,
        )


class ReviewAssignment(models.Model):
    """A reviewer the secretariat asked to review a submission (once per reviewer)."""

    content_areas = ()  # shown on no cached page

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    due_on = models.DateField(_("review due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["submission", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="review_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.submission}"


class Recommendation(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    MINOR_REVISIONS = "minor", _("Minor revisions")
    MAJOR_REVISIONS = "major", _("Major revisions")
    REJECT = "reject", _("Reject")


class Review(models.Model):
    """A reviewer's review of one version. The comments to the author reach the submitter with
    the secretariat's next decision; the confidential comments never leave the secretariat."""

    content_areas = ()  # shown on no cached page

    assignment = models.ForeignKey(
        ReviewAssignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    version = models.ForeignKey(
        SubmissionVersion,
        verbose_name=_("version reviewed"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices
    )
    comments_to_author = models.TextField(_("comments to the author"))
    confidential_comments = models.TextField(
        _("confidential comments to the secretariat"), blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # The decision that sent the comments to the author; until then the reviewer may edit.
    shared_by = models.ForeignKey(
        SubmissionTransition,
        verbose_name=_("shared with the author by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="shared_reviews",
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "version"], name="review_once_per_version"
            ),
            models.CheckConstraint(
                condition=Q(recommendation__in=Recommendation.values),
                name="review_recommendation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_recommendation_display()} · {self.assignment}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NotificationDelivery(TimeStampedModel):
    """One e-mail about a submission to one recipient: at most one per (transition, address)
    or (assignment, address), enforced by the database, and sent at most once (see
    knowledgehub/notifications.py)."""

    content_areas = ()  # shown on no cached page

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    transition = models.ForeignKey(
        SubmissionTransition,
        verbose_name=_("transition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    assignment = models.ForeignKey(
        ReviewAssignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    template = models.CharField(_("message"), max_length=60)
    email = models.EmailField(_("recipient"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("submission e-mail")
        verbose_name_plural = _("submission e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transition", "email"],
                condition=Q(transition__isnull=False),
                name="notification_once_per_transition",
            ),
            models.UniqueConstraint(
                fields=["assignment", "email"],
                condition=Q(assignment__isnull=False),
                name="notification_once_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(transition__isnull=False, assignment__isnull=True)
                | Q(transition__isnull=True, assignment__isnull=False),
                name="notification_about_one_event",
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="notification_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.email}"
