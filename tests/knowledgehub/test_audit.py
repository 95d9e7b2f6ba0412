"""Every Knowledge Hub service records one audit entry in its own transaction (a service made of
others leaves theirs too); a refused one records nothing; drafts stay the submitter's."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from knowledgehub.models import NotificationDelivery, Resource, SubmissionState
from knowledgehub.notifications import deliveries_retry_failed
from knowledgehub.services import (
    resource_attach_pdf,
    resource_create,
    resource_republish,
    resource_sync_after_edit,
    resource_update,
    resource_withdraw,
)
from knowledgehub.services.submissions import (
    SubmissionAuthorEntry,
    review_assign,
    review_submit,
    submission_save,
    submission_start,
    submission_transition,
)
from tests.audit_support import audit_rows
from tests.factories import SecretariatUserFactory, UserFactory
from tests.factories.knowledgehub import make_submission
from untfsse.core.models import AuditEntry

pytestmark = pytest.mark.django_db
S = SubmissionState
SARA = "Sara Secretariat <sara@unsse.org>"


@pytest.fixture
def secretariat():
    return SecretariatUserFactory(name="Sara Secretariat", email="sara@unsse.org")


@pytest.fixture
def reviewer():
    user = UserFactory(name="Ilcheong Yi", email="yi@example.org")
    user.groups.add(Group.objects.get_or_create(name="Reviewers")[0])
    return user


def row(actor, label, action, obj, changes, *, text=None) -> dict:
    return {
        "actor": actor.pk if actor is not None else None,
        "actor_label": label,
        "action": action,
        "area": "knowledgehub",
        "object": (
            f"{obj._meta.app_label}.{obj._meta.model_name}",
            str(obj.pk),
            text if text is not None else str(obj),
        ),
        "changes": changes,
    }


# --- Resources ------------------------------------------------------------------------------
def test_resource_create_update_withdraw_republish(secretariat, pdf_upload):
    resource = resource_create(
        kind="report", title="SSE and the SDGs", language="en", themes=["Finance"], by=secretariat
    )
    resource_update(
        resource=resource,
        by=secretariat,
        title="SSE and the 2030 Agenda",
        themes=["Finance", "Care"],
    )
    resource_attach_pdf(resource=resource, pdf=pdf_upload("The report"), by=secretariat)
    resource_withdraw(resource=resource, reason="Superseded by the 2024 edition", by=secretariat)
    resource_republish(resource=resource, by=secretariat)
    resource.refresh_from_db()
    assert audit_rows() == [
        row(
            secretariat,
            SARA,
            "resource.create",
            resource,
            {"status": [None, "published"]},
            text="SSE and the SDGs",
        ),
        row(
            secretariat,
            SARA,
            "resource.update",
            resource,
            {
                "title": ["SSE and the SDGs", "SSE and the 2030 Agenda"],
                "themes": [["Finance"], ["Care", "Finance"]],
            },
        ),
        row(secretariat, SARA, "resource.update", resource, {"pdf": [None, resource.pdf.name]}),
        row(
            secretariat,
            SARA,
            "resource.withdraw",
            resource,
            {
                "status": ["published", "withdrawn"],
                "withdrawal_reason": [None, "Superseded by the 2024 edition"],
            },
        ),
        row(
            secretariat,
            SARA,
            "resource.republish",
            resource,
            {"status": ["withdrawn", "published"]},
        ),
    ]


def test_resource_made_by_the_seed_is_the_systems():
    resource = resource_create(kind="report", title="Seeded report", by=None)
    assert [(row["actor"], row["actor_label"], row["object"][2]) for row in audit_rows()] == [
        (None, "the system", "Seeded report")
    ]
    assert resource.created_by is None


def test_resource_sync_after_edit_records_the_derived_fields(secretariat):
    resource = resource_create(kind="report", title="Old title", by=secretariat)
    AuditEntry.objects.all().delete()
    Resource.objects.filter(pk=resource.pk).update(title="New title")
    resource.refresh_from_db()
    resource_sync_after_edit(resource=resource, pdf_changed=False, by=secretariat)
    assert audit_rows() == [
        row(secretariat, SARA, "resource.edit", resource, {"slug": ["old-title", "new-title"]})
    ]


def test_refused_resource_changes_record_nothing(secretariat, pdf_upload):
    resource = resource_create(kind="report", title="A report", by=secretariat)
    AuditEntry.objects.all().delete()
    with pytest.raises(PermissionDenied):
        resource_withdraw(resource=resource, reason="No", by=UserFactory())
    with pytest.raises(ValidationError):
        resource_withdraw(resource=resource, reason="  ", by=secretariat)
    with pytest.raises(ValidationError):
        resource_republish(resource=resource, by=secretariat)
    with pytest.raises(ValidationError):
        resource_update(resource=resource, by=secretariat, title="")
    with pytest.raises(ValidationError):
        resource_create(kind="report", title="Bad", sdgs=[18], by=secretariat)
    assert audit_rows() == []


# --- Submissions ----------------------------------------------------------------------------
def test_a_draft_is_named_by_number_and_its_saves_by_the_parts_changed(pdf_upload):
    submitter = UserFactory(name="Ana Souza", email="ana@example.org")
    submission = submission_start(by=submitter)
    submission_save(
        submission=submission,
        by=submitter,
        title="My unpublished idea",
        abstract="Secret until submitted.",
        authors=[SubmissionAuthorEntry("Ana Souza")],
        pdf=pdf_upload("Draft"),
    )
    submission_transition(submission=submission, to_state=S.WITHDRAWN, by=submitter)
    ana = "Ana Souza <ana@example.org>"
    text = f"Submission {submission.pk}"
    assert audit_rows() == [
        row(submitter, ana, "submission.start", submission, {"state": [None, "draft"]}, text=text),
        row(
            submitter,
            ana,
            "submission.save",
            submission,
            {"changed": [None, ["title", "abstract", "authors", "pdf"]]},
            text=text,
        ),
        row(
            submitter,
            ana,
            "submission.withdraw",
            submission,
            {"state": ["draft", "withdrawn"]},
            text=text,
        ),
    ]
    entries = AuditEntry.objects.all()
    assert not any(
        "unpublished" in str(entry.object_repr) + str(entry.changes) for entry in entries
    )


def test_every_move_of_a_submission_is_recorded(secretariat, reviewer):
    submitter = UserFactory(name="Ana Souza", email="ana@example.org")
    submission = make_submission(
        submitter=submitter,
        state=S.REVISIONS_REQUESTED,
        secretariat=secretariat,
        reviewer=reviewer,
        title="Cooperatives and the informal economy",
    )
    submission_save(submission=submission, by=submitter, version_note="Shorter introduction")
    submission_transition(submission=submission, to_state=S.UNDER_REVIEW, by=submitter)
    assignment = submission.assignments.get()
    review = review_submit(
        assignment=assignment,
        by=reviewer,
        recommendation="accept",
        comments_to_author="Good.",
        confidential_comments="Between us: excellent.",
    )
    submission_transition(submission=submission, to_state=S.ACCEPTED, by=secretariat)
    submission_transition(submission=submission, to_state=S.PUBLISHED, by=secretariat)
    submission.refresh_from_db()
    assert [(row["actor_label"], row["action"], row["changes"]) for row in audit_rows()] == [
        ("Ana Souza <ana@example.org>", "submission.start", {"state": [None, "draft"]}),
        (
            "Ana Souza <ana@example.org>",
            "submission.save",
            {"changed": [None, ["title", "abstract", "authors", "pdf"]]},
        ),
        ("Ana Souza <ana@example.org>", "submission.submit", {"state": ["draft", "submitted"]}),
        (SARA, "review.assign", {"reviewer": [None, "Ilcheong Yi"]}),
        (SARA, "submission.start_review", {"state": ["submitted", "under_review"]}),
        (
            SARA,
            "submission.request_revisions",
            {"state": ["under_review", "revisions_requested"]},
        ),
        ("Ana Souza <ana@example.org>", "submission.save", {"changed": [None, ["version_note"]]}),
        (
            "Ana Souza <ana@example.org>",
            "submission.resubmit",
            {"state": ["revisions_requested", "under_review"]},
        ),
        ("Ilcheong Yi <yi@example.org>", "review.submit", {"recommendation": ["", "accept"]}),
        (SARA, "submission.accept", {"state": ["under_review", "accepted"]}),
        (
            SARA,
            "resource.create",
            {"status": [None, "published"], "pdf": [None, submission.resource.pdf.name]},
        ),
        (SARA, "submission.publish", {"state": ["accepted", "published"]}),
    ]
    assert audit_rows(action="review.submit")[0]["object"] == (
        "knowledgehub.review",
        str(review.pk),
        "Accept · Ilcheong Yi · Cooperatives and the informal economy",
    )
    assert audit_rows(action="submission.accept")[0]["object"] == (
        "knowledgehub.submission",
        str(submission.pk),
        "Cooperatives and the informal economy",
    )
    # The reviewers' comments stay on the review.
    assert not AuditEntry.objects.filter(changes__icontains="Between us").exists()


def test_refused_submission_moves_record_nothing(secretariat, reviewer):
    submission = make_submission(state=S.SUBMITTED)
    AuditEntry.objects.all().delete()
    with pytest.raises(PermissionDenied):
        submission_transition(submission=submission, to_state=S.UNDER_REVIEW, by=UserFactory())
    with pytest.raises(ValidationError):
        submission_transition(submission=submission, to_state=S.PUBLISHED, by=secretariat)
    with pytest.raises(PermissionDenied):
        review_assign(submission=submission, reviewer=reviewer, by=UserFactory())
    with pytest.raises(ValidationError):
        review_assign(submission=submission, reviewer=UserFactory(), by=secretariat)
    assert audit_rows() == []


def test_review_assign_with_a_due_date(secretariat, reviewer):
    submission = make_submission(state=S.UNDER_REVIEW, secretariat=secretariat)
    AuditEntry.objects.all().delete()
    assignment = review_assign(
        submission=submission, reviewer=reviewer, by=secretariat, due_on=datetime.date(2030, 1, 31)
    )
    assert audit_rows() == [
        row(
            secretariat,
            SARA,
            "review.assign",
            assignment,
            {"reviewer": [None, "Ilcheong Yi"], "due_on": [None, "2030-01-31"]},
        )
    ]


def test_notification_retry_records_the_deliveries_put_back(secretariat):
    make_submission(state=S.SUBMITTED)
    failed = NotificationDelivery.objects.order_by("pk").first()
    NotificationDelivery.objects.filter(pk=failed.pk).update(state="failed", attempts=5)
    AuditEntry.objects.all().delete()
    deliveries_retry_failed(deliveries=NotificationDelivery.objects.all(), by=secretariat)
    assert (
        deliveries_retry_failed(deliveries=NotificationDelivery.objects.none(), by=secretariat) == 0
    )
    with pytest.raises(PermissionDenied):
        deliveries_retry_failed(deliveries=NotificationDelivery.objects.all(), by=UserFactory())
    assert audit_rows() == [
        {
            "actor": secretariat.pk,
            "actor_label": SARA,
            "action": "notification_delivery.retry_failed",
            "area": "knowledgehub",
            "object": ("knowledgehub.notificationdelivery", "", "submission e-mails"),
            "changes": {"state": ["failed", "pending"], "deliveries": [None, [failed.pk]]},
        }
    ]
