"""The submission services: drafts, every legal transition and every refused one, versions and
what changed between them, reviewer assignments and reviews, publishing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from knowledgehub.models import (
    CallEligibility,
    Licence,
    Resource,
    ResourceKind,
    Review,
    Submission,
    SubmissionState,
    SubmissionTransition,
    TextExtractionStatus,
    Theme,
)
from knowledgehub.selectors import version_changes
from knowledgehub.services.submissions import (
    LEGAL_MOVES,
    SubmissionAuthorEntry,
    SubmissionRateLimited,
    review_assign,
    review_submit,
    submission_save,
    submission_start,
    submission_transition,
)
from tests.factories import FocalPointFactory, SecretariatUserFactory, UserFactory
from tests.factories.knowledgehub import CallForPapersFactory, make_submission
from tests.knowledgehub.pdfs import make_pdf

pytestmark = pytest.mark.django_db
S = SubmissionState


def pdf(text="A paper", name="paper.pdf"):
    return SimpleUploadedFile(name, make_pdf(text), content_type="application/pdf")


# --- Drafts ---------------------------------------------------------------------------------
def test_start_opens_a_draft_with_an_empty_first_version():
    user = UserFactory()
    submission = submission_start(by=user)
    assert submission.state == S.DRAFT
    assert submission.submitter == user
    assert [(v.number, v.pdf.name, v.submitted_at) for v in submission.versions.all()] == [
        (1, "", None)
    ]
    assert submission.licence == Licence.CC_BY


def test_save_keeps_partial_metadata_authors_in_order_and_the_file():
    user = UserFactory()
    submission = submission_start(by=user)
    submission_save(
        submission=submission,
        by=user,
        title="  Social   economy in cities ",
        authors=[
            SubmissionAuthorEntry("Ana Souza", "UnB"),
            SubmissionAuthorEntry("  "),
            SubmissionAuthorEntry("Li Wei"),
        ],
        pdf=pdf(name="../../etc/My paper!.pdf"),
    )
    submission.refresh_from_db()
    assert submission.title == "Social economy in cities"
    assert [(a.order, a.name, a.affiliation) for a in submission.authors.all()] == [
        (1, "Ana Souza", "UnB"),
        (2, "Li Wei", ""),
    ]
    version = submission.versions.get()
    assert version.original_name == "My paper.pdf"
    assert version.pdf.name == f"submissions/{submission.pk}/v1/My_paper.pdf"
    assert version.file_size == len(make_pdf("A paper"))
    assert len(version.file_sha256) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "This file is not a PDF."),
        (make_pdf("Cut short")[:120], "This PDF is damaged or incomplete and cannot be opened."),
    ],
    ids=["renamed-executable", "truncated-pdf"],
)
def test_save_refuses_a_hostile_file_and_keeps_the_earlier_one(content, message):
    user = UserFactory()
    submission = submission_start(by=user)
    submission_save(submission=submission, by=user, pdf=pdf(name="good.pdf"))
    with pytest.raises(ValidationError) as error:
        submission_save(
            submission=submission,
            by=user,
            title="Not saved",
            pdf=SimpleUploadedFile("evil.pdf", content, content_type="application/pdf"),
        )
    assert error.value.messages == [message]
    submission.refresh_from_db()
    assert submission.title == ""
    assert submission.versions.get().original_name == "good.pdf"


def test_save_refuses_a_pdf_over_20_mb():
    user = UserFactory()
    submission = submission_start(by=user)
    big = make_pdf("Big") + b"%" * (20 * 1024 * 1024)
    with pytest.raises(ValidationError) as error:
        submission_save(submission=submission, by=user, pdf=SimpleUploadedFile("big.pdf", big))
    assert error.value.messages == ["The file is 20.0\xa0MB; the limit is 20.0\xa0MB."]
    assert not submission.versions.get().pdf


def test_only_the_submitter_saves_and_only_while_editable(secretariat):
    submission = make_submission(state=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        submission_save(submission=submission, by=secretariat, title="Hijack")
    with pytest.raises(ValidationError) as error:
        submission_save(submission=submission, by=submission.submitter, title="Too late")
    assert error.value.messages == ["This submission cannot be changed in the state “Submitted”."]


def test_rate_limit_counts_submissions_started_in_the_last_day(settings):
    settings.KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY = 3
    user = UserFactory()
    old = submission_start(by=user)
    Submission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    for _ in range(3):
        submission_start(by=user)
    with pytest.raises(SubmissionRateLimited) as error:
        submission_start(by=user)
    assert error.value.limit == 3
    assert Submission.objects.filter(submitter=user).count() == 4
    submission_start(by=UserFactory())  # another account is not affected


# --- Submitting ----------------------------------------------------------------------------
def test_submit_needs_title_abstract_author_and_pdf():
    user = UserFactory()
    submission = submission_start(by=user)
    with pytest.raises(ValidationError) as error:
        submission_transition(submission=submission, to_state=S.SUBMITTED, by=user)
    assert error.value.message_dict == {
        "title": ["Give the paper's title."],
        "abstract": ["Give the abstract."],
        "authors": ["Name at least one author."],
        "pdf": ["Upload the paper as a PDF."],
    }
    submission.refresh_from_db()
    assert submission.state == S.DRAFT
    assert not SubmissionTransition.objects.exists()


def test_submit_freezes_the_version_and_records_who_and_when():
    theme = Theme.objects.create(name="Informal economy", slug="informal-economy")
    call = CallForPapersFactory(title="SSE and informality")
    submission = make_submission(
        state=S.DRAFT,
        call=call,
        sdgs=[],
        themes=[theme],
        kind=ResourceKind.WORKING_PAPER,
        cover_note="For the informality call.",
    )
    before = timezone.now()
    transition = submission_transition(
        submission=submission, to_state=S.SUBMITTED, by=submission.submitter
    )
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED
    assert (transition.from_state, transition.to_state, transition.by) == (
        S.DRAFT,
        S.SUBMITTED,
        submission.submitter,
    )
    assert before <= transition.at <= timezone.now()
    version = submission.current_version
    assert version.number == 1 and version.submitted_at == transition.at
    assert version.metadata == {
        "title": "Cooperatives and the informal economy",
        "abstract": "How cooperatives bring informal workers into decent work.",
        "kind": "working_paper",
        "language": "en",
        "licence": "cc-by-4.0",
        "call": "SSE and informality",
        "cover_note": "For the informality call.",
        "authors": [{"name": "Ana Souza", "affiliation": "University of Brasília"}],
        "sdgs": [],
        "themes": ["Informal economy"],
    }


def test_a_closed_call_takes_no_submission(time_machine):
    time_machine.move_to("2026-03-04T12:00:00Z", tick=False)
    call = CallForPapersFactory()
    submission = make_submission(state=S.DRAFT, call=call)
    call.closes_at = datetime.datetime(2026, 3, 4, 17, 0, tzinfo=datetime.UTC)
    call.save()
    time_machine.move_to("2026-03-04T17:01:00Z", tick=False)
    with pytest.raises(ValidationError) as error:
        submission_transition(submission=submission, to_state=S.SUBMITTED, by=submission.submitter)
    assert list(error.value.message_dict) == ["call"]
    # The time says which zone it is in.
    assert error.value.message_dict["call"][0] == (
        "This call closed on March 4, 2026, 5 p.m. (UTC) and takes no new submissions."
    )
    with pytest.raises(ValidationError):
        submission_start(by=UserFactory(), call=call)


def test_a_call_for_affiliated_users_refuses_others():
    call = CallForPapersFactory(eligibility=CallEligibility.AFFILIATED)
    with pytest.raises(ValidationError) as error:
        submission_start(by=UserFactory(), call=call)
    assert error.value.message_dict == {
        "call": ["This call is open to focal points of member and observer organisations only."]
    }
    observer = FocalPointFactory(organisation__kind="observer")
    assert submission_start(by=observer, call=call).call == call


# --- The review flow ------------------------------------------------------------------------
def test_the_whole_flow_records_every_transition_and_publishes(
    secretariat, reviewer, django_capture_on_commit_callbacks
):
    submission = make_submission(state=S.SUBMITTED, sdgs=[], themes=[])
    submitter = submission.submitter
    review_assign(submission=submission, reviewer=reviewer, by=secretariat)
    submission.refresh_from_db()
    assert submission.state == S.UNDER_REVIEW  # the first assignment starts the review
    assignment = submission.assignments.get()
    review_submit(
        assignment=assignment,
        by=reviewer,
        recommendation="major",
        comments_to_author="Shorten the introduction.",
        confidential_comments="Weak methods.",
    )
    submission_transition(
        submission=submission, to_state=S.REVISIONS_REQUESTED, by=secretariat, note="See review."
    )
    submission_save(
        submission=submission,
        by=submitter,
        title="Cooperatives and the informal economy in Brazil",
        pdf=pdf("Revised text", name="paper-v2.pdf"),
        version_note="Shorter introduction.",
    )
    submission_transition(submission=submission, to_state=S.UNDER_REVIEW, by=submitter)
    review_submit(
        assignment=assignment, by=reviewer, recommendation="accept", comments_to_author="Good."
    )
    submission_transition(submission=submission, to_state=S.ACCEPTED, by=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(submission=submission, to_state=S.PUBLISHED, by=secretariat)

    submission.refresh_from_db()
    assert list(
        submission.transitions.order_by("at", "pk").values_list("from_state", "to_state", "by")
    ) == [
        (S.DRAFT, S.SUBMITTED, submitter.pk),
        (S.SUBMITTED, S.UNDER_REVIEW, secretariat.pk),
        (S.UNDER_REVIEW, S.REVISIONS_REQUESTED, secretariat.pk),
        (S.REVISIONS_REQUESTED, S.UNDER_REVIEW, submitter.pk),
        (S.UNDER_REVIEW, S.ACCEPTED, secretariat.pk),
        (S.ACCEPTED, S.PUBLISHED, secretariat.pk),
    ]
    resubmission = submission.transitions.get(from_state=S.REVISIONS_REQUESTED)
    assert resubmission.is_resubmission and resubmission.note == "Shorter introduction."
    resource = Resource.objects.get(pk=submission.resource_id)
    assert resource.title == "Cooperatives and the informal economy in Brazil"
    assert resource.abstract == "How cooperatives bring informal workers into decent work."
    assert resource.authors_text == "Ana Souza"
    assert resource.licence == Licence.CC_BY
    assert resource.published_on == timezone.localdate()
    assert resource.created_by == secretariat
    # The PDF is the accepted version's, copied, and its text extracted (tasks run eagerly).
    assert resource.pdf.name.startswith("knowledgehub/paper-v2")
    assert resource.text_extraction_status == TextExtractionStatus.DONE
    assert resource.extracted_text == "Revised text"
    assert Resource.objects.published().count() == 1


def test_resubmission_keeps_every_version_and_shows_what_changed(secretariat, reviewer):
    submission = make_submission(state=S.REVISIONS_REQUESTED, reviewer=reviewer)
    first = submission.current_version
    first_file = first.pdf.name
    submission_save(
        submission=submission,
        by=submission.submitter,
        title="Cooperatives in the informal economy",
        authors=[
            SubmissionAuthorEntry("Ana Souza", "University of Brasília"),
            SubmissionAuthorEntry("Li Wei", "Fudan University"),
        ],
        licence=Licence.CC_BY_SA,
        version_note="A co-author joined.",
    )
    submission_transition(submission=submission, to_state=S.UNDER_REVIEW, by=submission.submitter)
    submission.refresh_from_db()
    first.refresh_from_db()
    second = submission.current_version
    assert [v.number for v in submission.versions.order_by("number")] == [1, 2]
    assert first.metadata["title"] == "Cooperatives and the informal economy"
    assert first.pdf.name == first_file
    # No new file: the revision carries the first one forward.
    assert (second.pdf.name, second.file_sha256) == (first_file, first.file_sha256)
    changes = version_changes(first.metadata, second.metadata)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Title", "Cooperatives and the informal economy", "Cooperatives in the informal economy"),
        (
            "Authors",
            "Ana Souza (University of Brasília)",
            "Ana Souza (University of Brasília); Li Wei (Fudan University)",
        ),
        (
            "Licence",
            "Creative Commons Attribution 4.0 (CC BY 4.0)",
            "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)",
        ),
    ]


def test_a_new_file_in_a_revision_keeps_the_first_version_file(reviewer):
    submission = make_submission(state=S.REVISIONS_REQUESTED, reviewer=reviewer)
    first = submission.current_version
    storage = first.pdf.storage
    submission_save(submission=submission, by=submission.submitter, pdf=pdf("v2", name="v2.pdf"))
    submission_save(submission=submission, by=submission.submitter, pdf=pdf("v2b", name="v2b.pdf"))
    open_version = submission.versions.get(submitted_at__isnull=True)
    assert open_version.original_name == "v2b.pdf"
    assert storage.exists(first.pdf.name)


def test_resubmitting_needs_a_note_on_what_changed(reviewer):
    submission = make_submission(state=S.REVISIONS_REQUESTED, reviewer=reviewer)
    with pytest.raises(ValidationError) as error:
        submission_transition(
            submission=submission, to_state=S.UNDER_REVIEW, by=submission.submitter
        )
    assert error.value.message_dict == {"version_note": ["Say what you changed in this version."]}


def test_asking_for_revisions_needs_a_note(secretariat):
    submission = make_submission(state=S.UNDER_REVIEW, secretariat=secretariat)
    with pytest.raises(ValidationError) as error:
        submission_transition(submission=submission, to_state=S.REVISIONS_REQUESTED, by=secretariat)
    assert error.value.message_dict == {"note": ["Tell the author what to revise."]}


# Every (state, target) pair not in the table of legal moves is refused.
ILLEGAL_MOVES = [
    (from_state, to_state)
    for from_state in S.values
    for to_state in S.values
    if (from_state, to_state) not in LEGAL_MOVES
]


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL_MOVES)
def test_illegal_moves_are_refused(from_state, to_state, secretariat):
    submission = make_submission(state=from_state, secretariat=secretariat)
    transitions = submission.transitions.count()
    with pytest.raises(ValidationError) as error:
        submission_transition(submission=submission, to_state=to_state, by=secretariat)
    assert error.value.code == "illegal_move"
    submission.refresh_from_db()
    assert submission.state == from_state
    assert submission.transitions.count() == transitions


def test_an_unknown_state_is_refused():
    submission = make_submission(state=S.DRAFT)
    with pytest.raises(ValidationError):
        submission_transition(submission=submission, to_state="archived", by=submission.submitter)


SECRETARIAT_MOVES = [move for move, actor in LEGAL_MOVES.items() if actor == "secretariat"]
SUBMITTER_MOVES = [move for move, actor in LEGAL_MOVES.items() if actor == "submitter"]


@pytest.mark.parametrize(("from_state", "to_state"), SECRETARIAT_MOVES)
def test_secretariat_moves_are_refused_to_the_submitter_and_to_others(from_state, to_state):
    submission = make_submission(state=from_state)
    for user in (submission.submitter, UserFactory(), FocalPointFactory()):
        with pytest.raises(PermissionDenied):
            submission_transition(submission=submission, to_state=to_state, by=user)
    submission.refresh_from_db()
    assert submission.state == from_state


@pytest.mark.parametrize(("from_state", "to_state"), SUBMITTER_MOVES)
def test_submitter_moves_are_refused_to_everyone_else(from_state, to_state, secretariat):
    submission = make_submission(state=from_state, secretariat=secretariat)
    for user in (secretariat, UserFactory()):
        with pytest.raises(PermissionDenied):
            submission_transition(submission=submission, to_state=to_state, by=user)


def test_secretariat_staff_cannot_decide_on_their_own_submission(secretariat):
    own = make_submission(state=S.SUBMITTED, submitter=secretariat)
    with pytest.raises(PermissionDenied) as error:
        submission_transition(submission=own, to_state=S.UNDER_REVIEW, by=secretariat)
    assert str(error.value) == "You cannot review or decide on your own submission."
    with pytest.raises(PermissionDenied):
        review_assign(submission=own, reviewer=UserFactory(), by=secretariat)
    # Another secretariat member can.
    submission_transition(submission=own, to_state=S.UNDER_REVIEW, by=SecretariatUserFactory())


@pytest.mark.parametrize(
    "from_state", [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.REVISIONS_REQUESTED, S.ACCEPTED]
)
def test_the_submitter_can_withdraw_until_a_final_state(from_state):
    submission = make_submission(state=from_state)
    transition = submission_transition(
        submission=submission,
        to_state=S.WITHDRAWN,
        by=submission.submitter,
        note="Published elsewhere.",
    )
    assert (transition.from_state, transition.to_state, transition.note) == (
        from_state,
        S.WITHDRAWN,
        "Published elsewhere.",
    )


def test_desk_rejection_from_submitted(secretariat):
    submission = make_submission(state=S.SUBMITTED)
    submission_transition(
        submission=submission, to_state=S.REJECTED, by=secretariat, note="Out of scope."
    )
    submission.refresh_from_db()
    assert submission.state == S.REJECTED


# --- Assignments and reviews ---------------------------------------------------------------
def test_assigning_checks_who_is_assigned_and_by_whom(secretariat, reviewer):
    submission = make_submission(state=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        review_assign(submission=submission, reviewer=reviewer, by=UserFactory())
    with pytest.raises(ValidationError) as error:
        review_assign(submission=submission, reviewer=submission.submitter, by=secretariat)
    assert error.value.message_dict == {
        "reviewer": ["The submitter cannot review their own paper."]
    }
    with pytest.raises(ValidationError) as error:
        review_assign(submission=submission, reviewer=UserFactory(), by=secretariat)
    assert error.value.message_dict == {
        "reviewer": ["Reviewers are members of the Reviewers group or the secretariat."]
    }
    assignment = review_assign(
        submission=submission, reviewer=reviewer, by=secretariat, due_on=datetime.date(2030, 1, 31)
    )
    assert (assignment.assigned_by, assignment.due_on) == (secretariat, datetime.date(2030, 1, 31))
    with pytest.raises(ValidationError) as error:
        review_assign(submission=submission, reviewer=reviewer, by=secretariat)
    assert error.value.message_dict == {
        "reviewer": ["This reviewer is already assigned to this submission."]
    }
    # Secretariat members may review too.
    review_assign(submission=submission, reviewer=SecretariatUserFactory(), by=secretariat)
    assert submission.assignments.count() == 2


def test_reviews_only_by_the_assigned_reviewer_while_under_review(secretariat, reviewer):
    submission = make_submission(state=S.UNDER_REVIEW, reviewer=reviewer, secretariat=secretariat)
    assignment = submission.assignments.get()
    with pytest.raises(PermissionDenied):
        review_submit(
            assignment=assignment, by=secretariat, recommendation="accept", comments_to_author="x"
        )
    review = review_submit(
        assignment=assignment, by=reviewer, recommendation="minor", comments_to_author="Fine."
    )
    # Until a decision shares it, the reviewer may change it (the same row).
    again = review_submit(
        assignment=assignment, by=reviewer, recommendation="accept", comments_to_author="Good."
    )
    assert again.pk == review.pk and Review.objects.get().recommendation == "accept"
    with pytest.raises(ValidationError) as error:
        review_submit(
            assignment=assignment, by=reviewer, recommendation="wrong", comments_to_author="x"
        )
    assert list(error.value.message_dict) == ["recommendation"]
    transition = submission_transition(submission=submission, to_state=S.ACCEPTED, by=secretariat)
    assert Review.objects.get().shared_by == transition
    with pytest.raises(ValidationError):
        review_submit(
            assignment=assignment, by=reviewer, recommendation="reject", comments_to_author="No."
        )
