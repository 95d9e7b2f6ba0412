"""Writes of submissions: starting and saving a draft, moving a submission from state to state,
assigning reviewers and recording their reviews.

Every change of state goes through `submission_transition`, which holds the one table of legal
moves and who may make each; views, admin actions and tests all call it. E-mails are rows
(`NotificationDelivery`) written in the same transaction and sent by a task after commit.
"""

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledgehub.models import (
    SUBMISSION_LICENCES,
    CallForPapers,
    Review,
    ReviewAssignment,
    Sdg,
    Submission,
    SubmissionAuthor,
    SubmissionState,
    SubmissionTransition,
    SubmissionVersion,
    Theme,
)
from knowledgehub.notifications import notifications_for_assignment, notifications_for_transition
from knowledgehub.selectors import (
    call_submission_refusal,
    is_eligible_reviewer,
    submission_snapshot,
)
from knowledgehub.services.resources import AuthorEntry, resource_create
from members.actors import require_secretariat
from members.models import DatePrecision
from members.standing import standing_of
from untfsse.core.audit import audit_diff, audit_record, field_values
from untfsse.core.uploads import safe_file_name, validate_pdf_upload

S = SubmissionState
SUBMITTER = "submitter"
SECRETARIAT = "secretariat"

# The legal moves and who makes each. A resubmission (the answer to a revision request) goes
# straight back to "under review": the same reviewers stay assigned and review the new version,
# so there is no separate "resubmitted" state to leave by hand; the timeline still shows it as
# a resubmission (SubmissionTransition.is_resubmission). "Submitted → rejected" is the
# secretariat's desk rejection of a paper outside the Knowledge Hub's scope.
LEGAL_MOVES: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): SUBMITTER,
    (S.SUBMITTED, S.UNDER_REVIEW): SECRETARIAT,
    (S.SUBMITTED, S.REJECTED): SECRETARIAT,
    (S.UNDER_REVIEW, S.REVISIONS_REQUESTED): SECRETARIAT,
    (S.UNDER_REVIEW, S.ACCEPTED): SECRETARIAT,
    (S.UNDER_REVIEW, S.REJECTED): SECRETARIAT,
    (S.REVISIONS_REQUESTED, S.UNDER_REVIEW): SUBMITTER,
    (S.ACCEPTED, S.PUBLISHED): SECRETARIAT,
    (S.DRAFT, S.WITHDRAWN): SUBMITTER,
    (S.SUBMITTED, S.WITHDRAWN): SUBMITTER,
    (S.UNDER_REVIEW, S.WITHDRAWN): SUBMITTER,
    (S.REVISIONS_REQUESTED, S.WITHDRAWN): SUBMITTER,
    (S.ACCEPTED, S.WITHDRAWN): SUBMITTER,
}

# The decisions whose note (and the reviews' comments to the author) go to the submitter.
DECISIONS = (S.REVISIONS_REQUESTED, S.ACCEPTED, S.REJECTED)

SUBMISSION_FIELDS = ("kind", "title", "abstract", "language", "licence", "cover_note", "call")

# The audit trail's name of each move; a revised version going back to review is a resubmission.
SUBMISSION_ACTIONS = {
    S.SUBMITTED: "submission.submit",
    S.UNDER_REVIEW: "submission.start_review",
    S.REVISIONS_REQUESTED: "submission.request_revisions",
    S.ACCEPTED: "submission.accept",
    S.REJECTED: "submission.reject",
    S.PUBLISHED: "submission.publish",
    S.WITHDRAWN: "submission.withdraw",
}


def _private_repr(submission: Submission) -> str:
    """How the audit trail names a submission the submitter is still preparing: by number,
    since drafts (and a version being prepared) are the submitter's alone."""
    return f"Submission {submission.pk}"


@dataclass(frozen=True)
class SubmissionAuthorEntry:
    name: str
    affiliation: str = ""


class SubmissionRateLimited(Exception):
    """Too many submissions started by one account in the last 24 hours."""

    def __init__(self, limit: int):
        super().__init__(f"At most {limit} submissions a day")
        self.limit = limit


def moves_for(submission: Submission, user) -> list[str]:
    """The states this user may move the submission to now (for buttons and admin actions)."""
    if not user.is_authenticated:
        return []
    is_submitter = submission.submitter_id == user.pk
    is_secretariat = standing_of(user).is_secretariat and not is_submitter
    allowed = []
    for (from_state, to_state), actor in LEGAL_MOVES.items():
        if from_state != submission.state:
            continue
        if (actor == SUBMITTER and is_submitter) or (actor == SECRETARIAT and is_secretariat):
            allowed.append(to_state)
    return allowed


def submissions_started_recently(user, now: datetime.datetime | None = None) -> int:
    since = (now or timezone.now()) - datetime.timedelta(days=1)
    return Submission.objects.filter(submitter=user, created_at__gte=since).count()


def submission_start(*, by, call: CallForPapers | None = None) -> Submission:
    """Open a new draft (with its first, empty version) for `by`.

    Raises SubmissionRateLimited when `by` started KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY already in
    the last 24 hours, ValidationError when the call is closed or not open to `by`.
    """
    limit = settings.KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY
    if call is not None and (refusal := call_submission_refusal(call, by)):
        raise ValidationError({"call": refusal})
    with transaction.atomic():
        # Serialise one account's starts so that two parallel requests cannot both pass.
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        if submissions_started_recently(by) >= limit:
            raise SubmissionRateLimited(limit)
        submission = Submission.objects.create(submitter=by, call=call)
        SubmissionVersion.objects.create(submission=submission, number=1)
        audit_record(
            actor=by,
            action="submission.start",
            obj=submission,
            changes={"state": [None, submission.state]},
            obj_repr=_private_repr(submission),
        )
    return submission


def _require_submitter_can_edit(submission: Submission, by) -> None:
    if submission.submitter_id != by.pk:
        raise PermissionDenied(_("Only the submitter can change a submission."))
    if not submission.is_editable_by_submitter:
        raise ValidationError(
            _("This submission cannot be changed in the state “%(state)s”.")
            % {"state": submission.get_state_display()}
        )


def _open_version(submission: Submission) -> SubmissionVersion:
    """The version being prepared; for a revision, a new one carrying the last file forward
    (a revision may change only the metadata)."""
    version = submission.versions.filter(submitted_at__isnull=True).first()
    if version is not None:
        return version
    last = submission.versions.order_by("-number").first()
    return SubmissionVersion.objects.create(
        submission=submission,
        number=(last.number + 1) if last else 1,
        pdf=last.pdf.name if last else "",
        original_name=last.original_name if last else "",
        file_size=last.file_size if last else 0,
        file_sha256=last.file_sha256 if last else "",
    )


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _store_version_file(version: SubmissionVersion, pdf) -> None:
    validate_pdf_upload(pdf)
    previous = version.pdf.name or ""
    name = safe_file_name(getattr(pdf, "name", "") or "", extension="pdf", fallback="paper")
    digest = _sha256(pdf)
    version.pdf.save(name, pdf, save=False)
    version.original_name = name
    version.file_size = pdf.size
    version.file_sha256 = digest
    version.save(update_fields=["pdf", "original_name", "file_size", "file_sha256"])
    # The replaced file goes unless an earlier (submitted) version still is that file.
    if previous and previous != version.pdf.name:
        still_used = SubmissionVersion.objects.filter(pdf=previous).exclude(pk=version.pk).exists()
        if not still_used:
            storage = version.pdf.storage
            transaction.on_commit(lambda: storage.delete(previous))


def _set_authors(submission: Submission, authors: Sequence[SubmissionAuthorEntry]) -> None:
    rows = []
    for entry in authors:
        name = " ".join(entry.name.split())[:200]
        if name:
            affiliation = " ".join(entry.affiliation.split())[:300]
            rows.append((name, affiliation))
    submission.authors.all().delete()
    SubmissionAuthor.objects.bulk_create(
        SubmissionAuthor(submission=submission, order=index, name=name, affiliation=affiliation)
        for index, (name, affiliation) in enumerate(rows, start=1)
    )


def submission_save(
    *,
    submission: Submission,
    by,
    authors: Sequence[SubmissionAuthorEntry] | None = None,
    sdgs: Iterable[Sdg] | None = None,
    themes: Iterable[Theme] | None = None,
    pdf=None,
    version_note: str | None = None,
    **fields,
) -> Submission:
    """Save what the submitter typed on a draft, or on a submission whose revisions were
    requested (then into a new version). Nothing is required here: completeness is checked
    when submitting. A valid `pdf` is stored at once on the version being prepared, replacing
    its earlier file.

    `fields` are any of SUBMISSION_FIELDS. Raises PermissionDenied for anyone but the
    submitter, ValidationError (naming the field) for a state that takes no changes, an
    invalid value, a call not open to the submitter, or a file that is not a sound PDF of at
    most 20 MB; nothing is written then.
    """
    unknown = set(fields) - set(SUBMISSION_FIELDS)
    if unknown:
        raise TypeError(f"submission_save() cannot set {', '.join(sorted(unknown))}")
    _require_submitter_can_edit(submission, by)
    if "call" in fields and fields["call"] != submission.call:
        if submission.state != S.DRAFT:
            raise ValidationError({"call": _("The call cannot change once submitted.")})
        if fields["call"] is not None and (refusal := call_submission_refusal(fields["call"], by)):
            raise ValidationError({"call": refusal})
    if "licence" in fields and fields["licence"] not in SUBMISSION_LICENCES:
        raise ValidationError({"licence": _("Choose one of the licences offered.")})
    before = field_values(submission, fields)
    for name, value in fields.items():
        if name == "title":
            value = " ".join(value.split())
        elif isinstance(value, str):
            value = value.strip()
        setattr(submission, name, value)
    submission.full_clean(exclude=["submitter", "current_version", "resource", "call"])
    with transaction.atomic():
        submission.save()
        if authors is not None:
            _set_authors(submission, authors)
        if sdgs is not None:
            submission.sdgs.set(sdgs)
        if themes is not None:
            submission.themes.set(themes)
        if pdf is not None or version_note is not None:
            version = _open_version(submission)
            if version_note is not None:
                version.note = version_note.strip()
                version.save(update_fields=["note"])
            if pdf is not None:
                _store_version_file(version, pdf)
        # Which parts changed, not their text: what the submitter prepares is theirs alone.
        given = {"authors": authors, "sdgs": sdgs, "themes": themes, "pdf": pdf}
        given["version_note"] = version_note
        changed = [*audit_diff(before, field_values(submission, fields))]
        changed += [name for name, value in given.items() if value is not None]
        audit_record(
            actor=by,
            action="submission.save",
            obj=submission,
            changes={"changed": [None, changed]},
            obj_repr=_private_repr(submission),
        )
    return submission


def submission_missing(submission: Submission) -> dict[str, str]:
    """What the submission still needs before it can be submitted, by form field."""
    missing = {}
    if not submission.title:
        missing["title"] = _("Give the paper's title.")
    if not submission.abstract:
        missing["abstract"] = _("Give the abstract.")
    if not submission.authors.exists():
        missing["authors"] = _("Name at least one author.")
    version = submission.versions.filter(submitted_at__isnull=True).first()
    if version is None or not version.pdf:
        missing["pdf"] = _("Upload the paper as a PDF.")
    return missing


def _check_actor(submission: Submission, to_state: str, by) -> None:
    actor = LEGAL_MOVES[(submission.state, to_state)]
    is_submitter = submission.submitter_id == by.pk
    if actor == SUBMITTER and not is_submitter:
        raise PermissionDenied(_("Only the submitter can do this."))
    if actor == SECRETARIAT:
        if is_submitter:
            raise PermissionDenied(_("You cannot review or decide on your own submission."))
        require_secretariat(by)


def _freeze_version(submission: Submission, now: datetime.datetime) -> SubmissionVersion:
    version = _open_version(submission)
    version.metadata = submission_snapshot(submission)
    version.submitted_at = now
    version.save(update_fields=["metadata", "submitted_at"])
    submission.current_version = version
    return version


def _publish(submission: Submission, by) -> None:
    version = submission.current_version
    authors = [
        AuthorEntry(name=author.name, person=author.person, affiliation=author.affiliation)
        for author in submission.authors.select_related("person").order_by("order", "pk")
    ]
    with version.pdf.open("rb") as pdf:
        resource = resource_create(
            kind=submission.kind,
            title=submission.title,
            abstract=submission.abstract,
            authors=authors,
            published_on=timezone.localdate(),
            published_precision=DatePrecision.DAY,
            language=submission.language,
            sdgs=list(submission.sdgs.all()),
            themes=list(submission.themes.all()),
            pdf=pdf,
            licence=submission.licence,
            by=by,
        )
    submission.resource = resource


def submission_transition(
    *, submission: Submission, to_state: str, by, note: str = ""
) -> SubmissionTransition:
    """Move the submission to `to_state`, record who did it and when, and queue the e-mails.

    The legal moves and their actors are LEGAL_MOVES. Raises ValidationError for a move that is
    not legal from the current state, or when what the move needs is missing (submitting: the
    title, abstract, an author, the PDF, an open call the submitter may answer; resubmitting:
    a note on what changed; requesting revisions: a note to the author). Raises
    PermissionDenied when `by` may not make the move, and always when `by` is the submitter
    deciding on their own submission. Submitting freezes the version being prepared (its
    metadata snapshot and file) as the current version; a decision shares the current
    version's reviews with the author; publishing creates the Resource (the PDF is copied and
    its text extraction queued) and links it.
    """
    note = note.strip()
    given = submission
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("call", "current_version")
            .get(pk=submission.pk)
        )
        from_state = submission.state
        if (from_state, to_state) not in LEGAL_MOVES:
            raise ValidationError(
                _("A submission in the state “%(from)s” cannot move to “%(to)s”.")
                % {
                    "from": S(from_state).label,
                    "to": S(to_state).label if to_state in S.values else to_state,
                },
                code="illegal_move",
            )
        _check_actor(submission, to_state, by)
        now = timezone.now()
        if to_state == S.SUBMITTED:
            missing = submission_missing(submission)
            if submission.call is not None and (
                refusal := call_submission_refusal(submission.call, by, now=now)
            ):
                missing["call"] = refusal
            if missing:
                raise ValidationError(missing)
            _freeze_version(submission, now)
        elif from_state == S.REVISIONS_REQUESTED and to_state == S.UNDER_REVIEW:
            version = _open_version(submission)
            missing = submission_missing(submission)
            if not (note or version.note):
                missing["version_note"] = _("Say what you changed in this version.")
            if missing:
                raise ValidationError(missing)
            if note and not version.note:
                version.note = note
                version.save(update_fields=["note"])
            note = note or version.note
            _freeze_version(submission, now)
        elif to_state == S.REVISIONS_REQUESTED and not note:
            raise ValidationError({"note": _("Tell the author what to revise.")})
        elif to_state == S.PUBLISHED:
            _publish(submission, by)
        submission.state = to_state
        submission.state_changed_at = now
        submission.save(
            update_fields=["state", "state_changed_at", "current_version", "resource", "updated_at"]
        )
        transition = SubmissionTransition.objects.create(
            submission=submission,
            from_state=from_state,
            to_state=to_state,
            by=by,
            at=now,
            note=note[:5000],
            version=submission.current_version,
        )
        audit_record(
            actor=by,
            action=(
                "submission.resubmit"
                if transition.is_resubmission
                else SUBMISSION_ACTIONS[to_state]
            ),
            obj=submission,
            changes={"state": [from_state, to_state]},
            # A draft withdrawn was never seen by anyone but its submitter.
            obj_repr=_private_repr(submission) if from_state == S.DRAFT else None,
        )
        if to_state in DECISIONS and submission.current_version_id:
            Review.objects.filter(
                assignment__submission=submission,
                version=submission.current_version,
                shared_by__isnull=True,
            ).update(shared_by=transition)
        notifications_for_transition(transition)
    # The caller's object shows the new state too.
    for name in ("state", "state_changed_at", "current_version", "resource", "updated_at"):
        setattr(given, name, getattr(submission, name))
    return transition


def review_assign(
    *,
    submission: Submission,
    reviewer,
    by,
    due_on: datetime.date | None = None,
) -> ReviewAssignment:
    """Ask `reviewer` to review the submission (the secretariat only), and tell them by e-mail.

    A submitted paper moves to "under review" at its first assignment. Raises PermissionDenied
    when `by` is not the secretariat or is the submitter; ValidationError when the reviewer is
    the submitter, is neither in the Reviewers group nor the secretariat, is already assigned,
    or the submission is not (or no longer) in review.
    """
    if submission.submitter_id == by.pk:
        raise PermissionDenied(_("You cannot review or decide on your own submission."))
    require_secretariat(by, _("Only the secretariat can assign reviewers."))
    if reviewer.pk == submission.submitter_id:
        raise ValidationError({"reviewer": _("The submitter cannot review their own paper.")})
    if not is_eligible_reviewer(reviewer):
        raise ValidationError(
            {"reviewer": _("Reviewers are members of the Reviewers group or the secretariat.")}
        )
    with transaction.atomic():
        state = (
            Submission.objects.select_for_update()
            .values_list("state", flat=True)
            .get(pk=submission.pk)
        )
        if state not in (S.SUBMITTED, S.UNDER_REVIEW, S.REVISIONS_REQUESTED):
            raise ValidationError(
                _(
                    "Reviewers are assigned to submissions in review, not to one in the state "
                    "“%(state)s”."
                )
                % {"state": S(state).label}
            )
        try:
            with transaction.atomic():
                assignment = ReviewAssignment.objects.create(
                    submission=submission, reviewer=reviewer, assigned_by=by, due_on=due_on
                )
        except IntegrityError as error:
            raise ValidationError(
                {"reviewer": _("This reviewer is already assigned to this submission.")}
            ) from error
        audit_record(
            actor=by,
            action="review.assign",
            obj=assignment,
            changes=audit_diff({}, {"reviewer": reviewer, "due_on": due_on}),
        )
        if state == S.SUBMITTED:
            submission_transition(submission=submission, to_state=S.UNDER_REVIEW, by=by)
        notifications_for_assignment(assignment)
    return assignment


def review_submit(
    *,
    assignment: ReviewAssignment,
    by,
    recommendation: str,
    comments_to_author: str,
    confidential_comments: str = "",
) -> Review:
    """Record (or, until a decision shares it, change) the reviewer's review of the current
    version.

    Raises PermissionDenied for anyone but the assigned reviewer (and always for the
    submitter); ValidationError when the submission is not under review, the review was
    already shared with the author, or the fields are invalid.
    """
    submission = assignment.submission
    if assignment.reviewer_id != by.pk or submission.submitter_id == by.pk:
        raise PermissionDenied(_("Only the assigned reviewer can review this submission."))
    if submission.state != S.UNDER_REVIEW or submission.current_version_id is None:
        raise ValidationError(_("This submission is not waiting for reviews."))
    with transaction.atomic():
        review = (
            Review.objects.select_for_update()
            .filter(assignment=assignment, version_id=submission.current_version_id)
            .first()
        ) or Review(assignment=assignment, version_id=submission.current_version_id)
        if review.shared_by_id:
            raise ValidationError(_("This review was already sent to the author."))
        before = field_values(review, ["recommendation"])
        review.recommendation = recommendation
        review.comments_to_author = comments_to_author.strip()
        review.confidential_comments = confidential_comments.strip()
        review.submitted_at = timezone.now()
        review.full_clean(exclude=["assignment", "version"])
        review.save()
        # The recommendation only: the comments stay on the review (some are confidential).
        audit_record(
            actor=by,
            action="review.submit",
            obj=review,
            changes=audit_diff(before, field_values(review, ["recommendation"])),
        )
    return review
