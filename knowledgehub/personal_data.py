"""A person's part of the Knowledge Hub (members/personal_data.py): their submissions with every
version's file, the reviews they wrote, and the e-mails about submissions sent to them.

On deletion their submissions go, with every version's file and the reviews of them; a paper
that was published stays as the Knowledge Hub resource it became (its own copy of the PDF, its
authors' names). E-mails addressed to them go. An account with reviews assigned cannot delete
itself: the reviews are part of other people's submissions. A person linked as the author of
a resource is named by the public record.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import ngettext

from knowledgehub.models import (
    NotificationDelivery,
    ResourceAuthor,
    Review,
    ReviewAssignment,
    Submission,
    SubmissionVersion,
)
from members.personal_data import ExportFile, PersonalDataSection, SectionData, iso

FILES_FOLDER = "files/knowledge-hub"


def _deliveries_to(user):
    addressed = Q(recipient=user) | Q(email__iexact=user.email)
    for address in user.emailaddress_set.values_list("email", flat=True):
        addressed |= Q(email__iexact=address)
    return NotificationDelivery.objects.filter(addressed)


def _submission(submission: Submission, files: list[ExportFile]) -> dict:
    versions = []
    for version in submission.versions.all():
        name = f"{FILES_FOLDER}/{version.pdf.name}" if version.pdf else None
        if version.pdf and name not in {exported.name for exported in files}:
            files.append(ExportFile(name=name, file=version.pdf))
        versions.append(
            {
                "number": version.number,
                "file": name,
                "original_name": version.original_name,
                "file_sha256": version.file_sha256,
                "metadata": version.metadata,
                "note": version.note,
                "created_at": iso(version.created_at),
                "submitted_at": iso(version.submitted_at),
            }
        )
    return {
        "id": submission.pk,
        "title": submission.title,
        "kind": submission.kind,
        "language": submission.language,
        "abstract": submission.abstract,
        "licence": submission.licence,
        "call": submission.call.title if submission.call else None,
        "cover_note": submission.cover_note,
        "state": submission.state,
        "created_at": iso(submission.created_at),
        "state_changed_at": iso(submission.state_changed_at),
        "authors": [
            {"name": author.name, "affiliation": author.affiliation}
            for author in submission.authors.all()
        ],
        "sdgs": [sdg.number for sdg in submission.sdgs.all()],
        "themes": [theme.name for theme in submission.themes.all()],
        "versions": versions,
        # What the submitter's page shows: each step, its note, the reviewers' comments to the
        # author that a decision shared (never their confidential comments).
        "timeline": [
            {
                "from": transition.from_state,
                "to": transition.to_state,
                "at": iso(transition.at),
                "note": transition.note,
                "comments_to_author": [
                    review.comments_to_author for review in transition.shared_reviews.all()
                ],
            }
            for transition in submission.transitions.all()
        ],
    }


def export(*, user, person) -> SectionData:
    files: list[ExportFile] = []
    submissions = [
        _submission(submission, files)
        for submission in Submission.objects.filter(submitter=user)
        .select_related("call")
        .prefetch_related("authors", "sdgs", "themes", "versions", "transitions__shared_reviews")
        .order_by("created_at", "pk")
    ]
    reviews = [
        {
            "submission": review.assignment.submission.title,
            "version": review.version.number,
            "recommendation": review.recommendation,
            "comments_to_author": review.comments_to_author,
            "confidential_comments": review.confidential_comments,
            "submitted_at": iso(review.submitted_at),
        }
        for review in Review.objects.filter(assignment__reviewer=user)
        .select_related("assignment__submission", "version")
        .order_by("submitted_at", "pk")
    ]
    emails = [
        {
            "message": delivery.template,
            "email": delivery.email,
            "state": delivery.state,
            "created_at": iso(delivery.created_at),
            "sent_at": iso(delivery.sent_at),
        }
        for delivery in _deliveries_to(user).order_by("created_at", "pk")
    ]
    return SectionData(
        {"submissions": submissions, "reviews_written": reviews, "emails": emails}, files
    )


def erase(*, user, person) -> dict[str, int]:
    submissions = Submission.objects.filter(submitter=user)
    stored = {
        (version.pdf.storage, version.pdf.name)
        for version in SubmissionVersion.objects.filter(submission__in=submissions).exclude(pdf="")
    }
    # A review protects the version it reviewed: reviews go first, then the submissions with
    # their versions, timeline, assignments and e-mails.
    Review.objects.filter(assignment__submission__in=submissions).delete()
    _total, deleted = submissions.delete()
    emails, _by_model = _deliveries_to(user).delete()
    for storage, name in stored:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return {
        "submissions": deleted.get(Submission._meta.label, 0),
        "submission_emails": emails + deleted.get(NotificationDelivery._meta.label, 0),
    }


def names_person(*, person) -> bool:
    return ResourceAuthor.objects.filter(person=person).exists()


def refusal(*, user) -> str | None:
    assigned = ReviewAssignment.objects.filter(reviewer=user).count()
    if not assigned:
        return None
    return ngettext(
        "You review a submission to the Knowledge Hub: your review is part of its record. "
        "Ask the secretariat to close your account.",
        "You review %(count)d submissions to the Knowledge Hub: your reviews are part of "
        "their record. Ask the secretariat to close your account.",
        assigned,
    ) % {"count": assigned}


SECTION = PersonalDataSection(
    key="knowledge_hub", export=export, erase=erase, names_person=names_person, refusal=refusal
)
