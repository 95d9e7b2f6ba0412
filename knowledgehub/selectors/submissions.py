"""Reads of calls for papers and submissions, each returning only what the user may see.

Visibility in one sentence: a submission and its files are seen by its submitter, its assigned
reviewers and the secretariat (drafts and versions still being prepared by the submitter
alone); the review pages never by the submitter, even one who is secretariat staff. Every
function raises DoesNotExist (the views answer 404) rather than revealing that something
exists.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowledgehub.groups import REVIEWERS_GROUP
from knowledgehub.models import (
    CallEligibility,
    CallForPapers,
    Licence,
    ResourceKind,
    ResourceLanguage,
    Review,
    ReviewAssignment,
    Submission,
    SubmissionAuthor,
    SubmissionState,
    SubmissionTransition,
    SubmissionVersion,
)
from members.groups import SECRETARIAT_GROUP
from members.models import AffiliationRequest
from members.selectors import pending_affiliation_request_of
from members.standing import standing_of

S = SubmissionState

# --- Calls for papers -----------------------------------------------------------------------


def calls_for_listing(now: datetime.datetime | None = None) -> QuerySet[CallForPapers]:
    """Every call, open ones first, with their themes (two queries)."""
    return CallForPapers.objects.listed(now).prefetch_related("themes")


def call_for_page(slug: str) -> CallForPapers:
    return CallForPapers.objects.prefetch_related("themes").get(slug=slug)


def call_submission_refusal(call: CallForPapers, user, now: datetime.datetime | None = None) -> str:
    """Why `user` cannot submit to this call now, or "" when they can."""
    now = now or timezone.now()
    when = timezone.localtime(call.closes_at if call.has_closed(now) else call.opens_at)
    # The call's times are the same for everyone (its page says them in UTC): named here too.
    moment = f"{date_filter(when, 'DATETIME_FORMAT')} ({when.tzname()})"
    if call.has_not_opened(now):
        return _("This call opens on %(date)s.") % {"date": moment}
    if call.has_closed(now):
        return _("This call closed on %(date)s and takes no new submissions.") % {"date": moment}
    if call.eligibility == CallEligibility.AFFILIATED:
        standing = standing_of(user)
        if not (standing.is_affiliated or standing.is_secretariat):
            return _("This call is open to focal points of member and observer organisations only.")
    return ""


@dataclass
class CallAccess:
    """Whether a user may answer a call, and if not, why and how they could."""

    refusal: str  # "" when they may submit
    # Not a focal point, for a call open to focal points only: joining an organisation helps.
    needs_affiliation: bool = False
    pending_request: AffiliationRequest | None = None


def call_access(call: CallForPapers, user, now: datetime.datetime | None = None) -> CallAccess:
    """What the call's page and the submission form tell `user` (anonymous included) about
    answering the call: one query more when they are not a focal point."""
    refusal = call_submission_refusal(call, user, now)
    if not refusal or not call.is_open(now) or call.eligibility != CallEligibility.AFFILIATED:
        return CallAccess(refusal=refusal)
    pending = pending_affiliation_request_of(user) if user.is_authenticated else None
    return CallAccess(refusal=refusal, needs_affiliation=True, pending_request=pending)


def calls_open_to(user, now: datetime.datetime | None = None) -> list[CallForPapers]:
    """The open calls `user` may answer (one query, plus the user's standing)."""
    return [
        call
        for call in CallForPapers.objects.open(now).order_by("closes_at", "pk")
        if not call_submission_refusal(call, user, now)
    ]


# --- Reviewers ------------------------------------------------------------------------------


def reviewers_in_group() -> QuerySet:
    """The accounts the secretariat made reviewers (the Reviewers group), by name."""
    return (
        get_user_model()
        .objects.filter(groups__name=REVIEWERS_GROUP)
        .order_by("name", "email")
        .distinct()
    )


def eligible_reviewers() -> QuerySet:
    """Active accounts in the Reviewers group, and the secretariat's staff."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__name=REVIEWERS_GROUP)
            | Q(is_staff=True, groups__name=SECRETARIAT_GROUP)
            | Q(is_staff=True, is_superuser=True)
        )
        .distinct()
        .order_by("name", "email")
    )


def is_eligible_reviewer(user) -> bool:
    return eligible_reviewers().filter(pk=user.pk).exists()


# --- Versions and what changed between them ------------------------------------------------


def submission_snapshot(submission: Submission) -> dict:
    """The metadata as it stands, as kept on a version when it is submitted."""
    return {
        "title": submission.title,
        "abstract": submission.abstract,
        "kind": submission.kind,
        "language": submission.language,
        "licence": submission.licence,
        "call": submission.call.title if submission.call else "",
        "cover_note": submission.cover_note,
        "authors": [
            {"name": author.name, "affiliation": author.affiliation}
            for author in submission.authors.order_by("order", "pk")
        ],
        "sdgs": sorted(submission.sdgs.values_list("number", flat=True)),
        "themes": sorted(submission.themes.values_list("name", flat=True)),
    }


@dataclass(frozen=True)
class MetadataChange:
    label: str
    before: str
    after: str


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _authors_text(authors) -> str:
    return "; ".join(
        f"{author['name']} ({author['affiliation']})"
        if author.get("affiliation")
        else author["name"]
        for author in authors or []
    )


SNAPSHOT_FIELDS = [
    ("title", gettext_lazy("Title"), lambda value: value or ""),
    ("authors", gettext_lazy("Authors"), _authors_text),
    ("abstract", gettext_lazy("Abstract"), lambda value: value or ""),
    ("kind", gettext_lazy("Kind"), lambda value: _choice_label(ResourceKind, value)),
    ("language", gettext_lazy("Language"), lambda value: _choice_label(ResourceLanguage, value)),
    ("sdgs", gettext_lazy("SDGs"), lambda value: ", ".join(f"SDG {n}" for n in value or [])),
    ("themes", gettext_lazy("Themes"), lambda value: ", ".join(value or [])),
    ("licence", gettext_lazy("Licence"), lambda value: _choice_label(Licence, value)),
    ("call", gettext_lazy("Call for papers"), lambda value: value or ""),
    ("cover_note", gettext_lazy("Cover note"), lambda value: value or ""),
]


def version_changes(before: dict, after: dict) -> list[MetadataChange]:
    """What differs between two versions' metadata snapshots, field by field, as shown."""
    changes = []
    for key, label, show in SNAPSHOT_FIELDS:
        old, new = show(before.get(key)), show(after.get(key))
        if old != new:
            changes.append(MetadataChange(label=str(label), before=old, after=new))
    return changes


def _versions_with_changes(versions: list[SubmissionVersion]) -> list[SubmissionVersion]:
    """Each submitted version with `.changes` (against the one before) and `.file_changed`."""
    previous = None
    for version in versions:
        version.changes = (
            version_changes(previous.metadata, version.metadata) if previous is not None else []
        )
        version.file_changed = previous is None or previous.file_sha256 != version.file_sha256
        previous = version
    return versions


# --- Submissions for their submitter --------------------------------------------------------


def submissions_of_submitter(user) -> QuerySet[Submission]:
    """The user's submissions, newest first, with their call (one query)."""
    return (
        Submission.objects.of_submitter(user)
        .select_related("call")
        .only(
            "pk",
            "title",
            "state",
            "state_changed_at",
            "created_at",
            "submitter_id",
            "call__title",
            "call__slug",
        )
        .order_by("-created_at", "-pk")
    )


def _with_metadata(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    return submissions.select_related("call", "current_version", "resource").prefetch_related(
        Prefetch("authors", queryset=SubmissionAuthor.objects.order_by("order", "pk")),
        "sdgs",
        "themes",
    )


def submission_for_submitter(pk: int, user) -> Submission:
    """The user's own submission with its metadata, versions and timeline; each transition
    carries the comments to the author its decision shared (`shared_reviews`), nothing more.
    Raises Submission.DoesNotExist for anyone else's."""
    return (
        _with_metadata(Submission.objects.of_submitter(user))
        .prefetch_related(
            Prefetch("versions", queryset=SubmissionVersion.objects.order_by("number")),
            Prefetch(
                "transitions",
                queryset=SubmissionTransition.objects.select_related("by")
                .prefetch_related(
                    Prefetch(
                        "shared_reviews",
                        queryset=Review.objects.only(
                            "pk", "shared_by_id", "comments_to_author"
                        ).order_by("pk"),
                    )
                )
                .order_by("at", "pk"),
            ),
        )
        .get(pk=pk)
    )


def submission_version_for_download(pk: int, number: int, user) -> SubmissionVersion:
    """A version's file for its submitter, or (once submitted) for the submission's reviewers
    and the secretariat. Raises SubmissionVersion.DoesNotExist for anyone else."""
    if not user.is_authenticated:
        raise SubmissionVersion.DoesNotExist
    version = (
        SubmissionVersion.objects.select_related("submission")
        .exclude(pdf="")
        .get(submission_id=pk, number=number)
    )
    submission = version.submission
    if submission.submitter_id == user.pk:
        return version
    if not version.is_submitted:
        raise SubmissionVersion.DoesNotExist
    if standing_of(user).is_secretariat:
        return version
    if submission.assignments.filter(reviewer=user).exists():
        return version
    raise SubmissionVersion.DoesNotExist


# --- Reviewing ------------------------------------------------------------------------------


def assignments_of_reviewer(user) -> QuerySet[ReviewAssignment]:
    """The user's review assignments, those still waiting for a review first, each with its
    submission, call and whether the current version is reviewed (one query)."""
    reviewed = Review.objects.filter(
        assignment=OuterRef("pk"), version=OuterRef("submission__current_version")
    )
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .exclude(submission__submitter=user)
        .exclude(submission__state=S.DRAFT)
        .select_related("submission__call", "submission__current_version")
        .annotate(has_reviewed=Exists(reviewed))
        .order_by("has_reviewed", "due_on", "-assigned_at", "-pk")
    )


IN_REVIEW_STATES = (S.SUBMITTED, S.UNDER_REVIEW, S.REVISIONS_REQUESTED, S.ACCEPTED)


def submissions_in_review(user) -> QuerySet[Submission]:
    """For the secretariat: every submission waiting for someone (submitted to accepted), but
    the user's own, with its submitter, call and counts of reviewers and of reviews of the
    current version (one query)."""
    reviews_of_current = (
        Review.objects.filter(
            assignment__submission=OuterRef("pk"), version=OuterRef("current_version")
        )
        .order_by()
        .values("assignment__submission")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Submission.objects.filter(state__in=IN_REVIEW_STATES)
        .exclude(submitter=user)
        .select_related("submitter", "call")
        .annotate(
            reviewer_count=Count("assignments", distinct=True),
            review_count=Coalesce(Subquery(reviews_of_current), 0),
        )
        .order_by("state_changed_at", "pk")
    )


def submission_for_review(pk: int, user) -> Submission:
    """The submission for one of its reviewers or the secretariat, never its submitter, with
    its metadata, its submitted versions (each with `.changes` and `.file_changed`), and the
    assignments: every one with every review for the secretariat, the user's own for a
    reviewer. Sets `.viewer_is_secretariat` and `.viewer_assignment`. Raises
    Submission.DoesNotExist for anyone else."""
    if not user.is_authenticated:
        raise Submission.DoesNotExist
    is_secretariat = standing_of(user).is_secretariat
    submissions = Submission.objects.exclude(submitter=user).exclude(state=S.DRAFT)
    if not is_secretariat:
        submissions = submissions.filter(assignments__reviewer=user)
    assignments = ReviewAssignment.objects.select_related("reviewer").prefetch_related(
        Prefetch("reviews", queryset=Review.objects.select_related("version").order_by("pk"))
    )
    if not is_secretariat:
        assignments = assignments.filter(reviewer=user)
    submission = (
        _with_metadata(submissions)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=SubmissionVersion.objects.filter(submitted_at__isnull=False).order_by(
                    "number"
                ),
                to_attr="submitted_versions",
            ),
            Prefetch("assignments", queryset=assignments.order_by("assigned_at", "pk")),
            Prefetch(
                "transitions",
                queryset=SubmissionTransition.objects.select_related("by").order_by("at", "pk"),
            ),
        )
        .distinct()
        .get(pk=pk)
    )
    _versions_with_changes(submission.submitted_versions)
    submission.viewer_is_secretariat = is_secretariat
    submission.viewer_assignment = next(
        (a for a in submission.assignments.all() if a.reviewer_id == user.pk), None
    )
    return submission
