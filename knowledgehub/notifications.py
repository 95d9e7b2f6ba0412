"""E-mails about submissions: who receives one for each transition or reviewer assignment, and
what it says.

Every e-mail is a `NotificationDelivery` row written in the transaction that made the change,
at most one per (transition, address) or (assignment, address): the database refuses a second.
After commit the outbox (untfsse.core.outbox) sends each row exactly once, with a deterministic
Message-ID, and retries SMTP failures with back-off; `SubmissionEmail` is their kind of
delivery there (registered from KnowledgehubConfig.ready()).

Decision e-mails carry the secretariat's note and the reviewers' comments to the author; the
reviewers' confidential comments are never put in any e-mail's context.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from knowledgehub.models import (
    NotificationDelivery,
    ReviewAssignment,
    SubmissionState,
    SubmissionTransition,
)
from members.actors import require_secretariat
from members.models import Person
from untfsse.core.emails import TemplatedEmail, absolute_url, message_id_domain
from untfsse.core.outbox.kinds import DeliveryKind
from untfsse.core.outbox.tasks import deliveries_queue_on_commit, failed_deliveries_retry

TEMPLATES = "knowledgehub/email/{name}"
S = SubmissionState


@dataclass(frozen=True)
class Recipient:
    template: str
    email: str
    user: object | None = None


def _language_of(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if user is None:
        return settings.LANGUAGE_CODE
    language = Person.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    return language if language in codes else settings.LANGUAGE_CODE


def _secretariat(template: str) -> Recipient:
    return Recipient(template=template, email=settings.SECRETARIAT_EMAIL)


def _reviewers(submission, template: str) -> list[Recipient]:
    assignments = ReviewAssignment.objects.filter(submission=submission).select_related("reviewer")
    return [
        Recipient(template=template, email=assignment.reviewer.email, user=assignment.reviewer)
        for assignment in assignments
    ]


def transition_recipients(transition: SubmissionTransition) -> list[Recipient]:
    """Who hears about this transition, and with which message."""
    submission = transition.submission
    submitter = Recipient(template="", email=submission.submitter.email, user=submission.submitter)

    def to_submitter(template: str) -> Recipient:
        return Recipient(template=template, email=submitter.email, user=submitter.user)

    move = (transition.from_state, transition.to_state)
    if transition.to_state == S.SUBMITTED or transition.is_resubmission:
        recipients = [to_submitter("submission_received"), _secretariat("submission_new")]
        if transition.is_resubmission:
            recipients += _reviewers(submission, "review_new_version")
        return recipients
    if move == (S.SUBMITTED, S.UNDER_REVIEW):
        return [to_submitter("submission_under_review")]
    if transition.to_state in (S.REVISIONS_REQUESTED, S.ACCEPTED, S.REJECTED):
        return [to_submitter("submission_decision")]
    if transition.to_state == S.PUBLISHED:
        return [to_submitter("submission_published")]
    if transition.to_state == S.WITHDRAWN and transition.from_state != S.DRAFT:
        return [
            _secretariat("submission_withdrawn"),
            *_reviewers(submission, "submission_withdrawn"),
        ]
    return []


def _create(submission, recipients: list[Recipient], **event) -> list[int]:
    seen: set[str] = set()
    rows = []
    for recipient in recipients:
        address = recipient.email.strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        rows.append(
            NotificationDelivery(
                submission=submission,
                template=recipient.template,
                email=address,
                recipient=recipient.user,
                language=_language_of(recipient.user),
                **event,
            )
        )
    created = NotificationDelivery.objects.bulk_create(rows)
    deliveries_queue_on_commit(created)
    return [row.pk for row in created]


def notifications_for_transition(transition: SubmissionTransition) -> list[int]:
    """Record the e-mails this transition sends (queued after commit); their ids."""
    return _create(transition.submission, transition_recipients(transition), transition=transition)


def notifications_for_assignment(assignment: ReviewAssignment) -> list[int]:
    """Record the e-mail telling the reviewer of the assignment (queued after commit)."""
    recipient = Recipient(
        template="review_assigned", email=assignment.reviewer.email, user=assignment.reviewer
    )
    return _create(assignment.submission, [recipient], assignment=assignment)


def delivery_message_id(delivery: NotificationDelivery) -> str:
    """The same for every attempt at this delivery, so a resend is folded into the first."""
    event = f"t{delivery.transition_id}" if delivery.transition_id else f"a{delivery.assignment_id}"
    return f"<submission-{delivery.submission_id}.{event}.{delivery.pk}@{message_id_domain()}>"


def _context(delivery: NotificationDelivery) -> dict:
    submission = delivery.submission
    transition = delivery.transition
    with translation.override(delivery.language):
        my_submission_url = absolute_url(submission.get_absolute_url())
        review_url = absolute_url(submission.get_review_url())
        resource_url = (
            absolute_url(submission.resource.get_absolute_url()) if submission.resource else ""
        )
    comments_to_author = []
    if transition is not None and transition.to_state in (
        S.REVISIONS_REQUESTED,
        S.ACCEPTED,
        S.REJECTED,
    ):
        # Only the text meant for the author leaves the database: never the confidential part.
        comments_to_author = list(
            transition.shared_reviews.order_by("assignment__assigned_at", "pk").values_list(
                "comments_to_author", flat=True
            )
        )
    return {
        "submission": submission,
        "transition": transition,
        "assignment": delivery.assignment,
        "comments_to_author": comments_to_author,
        "my_submission_url": my_submission_url,
        "review_url": review_url,
        "resource_url": resource_url,
        "portal_url": absolute_url("/"),
    }


def delivery_message(delivery: NotificationDelivery):
    return TemplatedEmail(
        to=delivery.email,
        template=TEMPLATES.format(name=delivery.template),
        context=_context(delivery),
        language=delivery.language,
        headers={"Auto-Submitted": "auto-generated"},
    ).build()


def deliveries_retry_failed(*, deliveries, by) -> int:
    """Put failed e-mails back to pending with a fresh count of attempts, and queue them.
    Raises PermissionDenied unless `by` is the secretariat (or SYSTEM)."""
    require_secretariat(by)
    return failed_deliveries_retry(
        deliveries=deliveries, by=by, action="notification_delivery.retry_failed"
    )


class SubmissionEmail(DeliveryKind):
    """The e-mails about submissions (NotificationDelivery rows): their recipient and language
    are fixed when the row is written."""

    name = "knowledgehub.submission_notification"
    model = NotificationDelivery

    def claimable(self):
        return NotificationDelivery.objects.select_related(
            "submission__submitter",
            "submission__resource",
            "submission__call",
            "transition__by",
            "assignment__reviewer",
        )

    def build_message(self, delivery, now):
        return delivery_message(delivery)

    def message_id(self, delivery):
        return delivery_message_id(delivery)


SUBMISSION_EMAIL = SubmissionEmail()
