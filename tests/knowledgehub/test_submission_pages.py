"""The submission pages: the form (drafts, resume after a failed upload, authors without
JavaScript, rate limit), "My submissions", the review pages, the calls, and who may see what
at every submission address."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from knowledgehub.models import Review, Submission, SubmissionState
from knowledgehub.services.submissions import review_submit
from tests.factories import FocalPointFactory, UserFactory
from tests.factories.knowledgehub import CallForPapersFactory, make_submission
from tests.knowledgehub.pdfs import make_pdf

pytestmark = pytest.mark.django_db
S = SubmissionState


def pdf_file(text="A paper", name="paper.pdf"):
    return SimpleUploadedFile(name, make_pdf(text), content_type="application/pdf")


def form_data(**overrides):
    data = {
        "title": "Solidarity finance in West Africa",
        "kind": "research_paper",
        "language": "en",
        "abstract": "Tontines and cooperatives as finance.",
        "licence": "cc-by-4.0",
        "cover_note": "",
        "authors-TOTAL_FORMS": "3",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "40",
        "authors-0-name": "Madani Coumare",
        "authors-0-affiliation": "RAESS",
        "authors-0-ORDER": "",
        "authors-1-name": "",
        "authors-1-affiliation": "",
        "authors-1-ORDER": "",
        "authors-2-name": "",
        "authors-2-affiliation": "",
        "authors-2-ORDER": "",
        "action": "save",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- The form ------------------------------------------------------------------------------
def test_submit_page_needs_a_verified_e_mail(client):
    response = client.get("/knowledge-hub/submit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/knowledge-hub/submit/")
    client.force_login(UserFactory(verified=False))
    assert client.get("/knowledge-hub/submit/").status_code == 403


def test_submit_page_renders_an_accessible_form(client, submitter):
    CallForPapersFactory(title="SSE and informality")
    client.force_login(submitter)
    response = client.get("/knowledge-hub/submit/")
    assert response.status_code == 200
    html = response.content.decode()
    # What a submission needs is marked as required, though a draft may lack it.
    marked = re.findall(r'<div class="field field--required">\s*<label for="id_([\w-]+)">', html)
    assert marked == ["title", "kind", "language", "abstract", "authors-0-name", "pdf", "licence"]
    assert 'name="title" maxlength="500" aria-required="true"' in html
    assert '<label for="id_call">Call for papers</label>' in html
    assert "Fields marked * are needed to submit the paper" in html
    assert (
        '<input type="file" name="pdf" accept="application/pdf,.pdf" aria-required="true" '
        'aria-describedby="id_pdf_helptext" id="id_pdf">'
    ) in html
    assert '<div class="field__help" id="id_pdf_helptext">PDF only, at most 20 MB.</div>' in html
    # Three blank author rows, each a fieldset with its own labels, no JavaScript needed.
    assert re.findall(r"<legend>(Author \d)</legend>", html) == ["Author 1", "Author 2", "Author 3"]
    assert '<label for="id_authors-2-affiliation">Affiliation</label>' in html
    assert '<label for="id_authors-0-ORDER">Place in the author list</label>' in html
    assert ">Position<" not in html
    assert '<option value="cc-by-4.0" selected>' in html
    assert "<legend>Sustainable Development Goals</legend>" in html
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_a_call_in_the_address_is_chosen_when_open(client, submitter):
    call = CallForPapersFactory(slug="informality")
    client.force_login(submitter)
    html = client.get("/knowledge-hub/submit/?call=informality").content.decode()
    assert f'<option value="{call.pk}" selected>' in html


def test_saving_a_draft_and_resuming_it(client, submitter):
    client.force_login(submitter)
    response = client.post("/knowledge-hub/submit/", form_data(pdf=pdf_file()))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge-hub/my-submissions/{submission.pk}/edit/"
    assert submission.state == S.DRAFT
    html = client.get(response["Location"]).content.decode()
    assert 'value="Solidarity finance in West Africa"' in html
    assert 'value="Madani Coumare"' in html
    assert "Current file: paper.pdf (" in html
    assert "upload another to replace it." in html


def test_a_failed_submission_keeps_what_was_typed_and_the_uploaded_file(client, submitter):
    client.force_login(submitter)
    response = client.post(
        "/knowledge-hub/submit/", form_data(abstract="", action="submit", pdf=pdf_file())
    )
    assert response.status_code == 400
    submission = Submission.objects.get()
    edit_url = f"/knowledge-hub/my-submissions/{submission.pk}/edit/"
    html = response.content.decode()
    assert f'action="{edit_url}"' in html  # the next attempt changes this draft
    assert 'value="Solidarity finance in West Africa"' in html
    assert "Give the abstract." in html
    assert "Current file: paper.pdf (" in html
    assert submission.state == S.DRAFT
    assert submission.versions.get().original_name == "paper.pdf"

    # A renamed executable is refused; the earlier PDF and the rest of the answers are kept.
    evil = SimpleUploadedFile("paper.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(edit_url, form_data(action="submit", pdf=evil))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This file is not a PDF." in html
    assert "Current file: paper.pdf (" in html
    submission.refresh_from_db()
    assert submission.abstract == "Tontines and cooperatives as finance."
    assert submission.versions.get().original_name == "paper.pdf"
    assert submission.state == S.DRAFT

    # Sending again without a file submits with the kept one.
    response = client.post(edit_url, form_data(action="submit"))
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge-hub/my-submissions/{submission.pk}/"
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED
    assert submission.current_version.original_name == "paper.pdf"


def test_authors_are_reordered_by_position(client, submitter):
    client.force_login(submitter)
    client.post(
        "/knowledge-hub/submit/",
        form_data(
            **{
                "authors-0-ORDER": "2",
                "authors-1-name": "Laurence Kwark",
                "authors-1-affiliation": "GSEF",
                "authors-1-ORDER": "1",
                "authors-2-affiliation": "Nobody",
            }
        ),
    )
    # The row with an affiliation and no name is an error; the other rows are kept as typed.
    assert not Submission.objects.get().authors.exists()
    submission = Submission.objects.get()
    response = client.post(
        f"/knowledge-hub/my-submissions/{submission.pk}/edit/",
        form_data(
            **{
                "authors-0-ORDER": "2",
                "authors-1-name": "Laurence Kwark",
                "authors-1-affiliation": "GSEF",
                "authors-1-ORDER": "1",
            }
        ),
    )
    assert response.status_code == 302
    assert [(a.order, a.name) for a in submission.authors.all()] == [
        (1, "Laurence Kwark"),
        (2, "Madani Coumare"),
    ]
    html = client.get(response["Location"]).content.decode()
    # Two filled rows and three blank ones.
    assert re.findall(r"<legend>(Author \d)</legend>", html) == [f"Author {n}" for n in range(1, 6)]


def test_an_affiliation_without_a_name_is_an_error_on_that_row(client, submitter):
    client.force_login(submitter)
    response = client.post(
        "/knowledge-hub/submit/", form_data(**{"authors-2-affiliation": "Nobody"})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the author&#x27;s name, or empty the affiliation." in html
    assert 'aria-describedby="id_authors-2-name_error"' in html


def test_starting_too_many_submissions_answers_429(client, submitter, settings):
    settings.KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY = 2
    client.force_login(submitter)
    for _ in range(2):
        assert client.post("/knowledge-hub/submit/", form_data()).status_code == 302
    response = client.post("/knowledge-hub/submit/", form_data(title="Third"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have started 2 submissions in the last 24 hours" in html
    assert 'value="Third"' in html
    assert Submission.objects.count() == 2
    # Drafts already started can still be edited.
    draft = Submission.objects.first()
    response = client.post(f"/knowledge-hub/my-submissions/{draft.pk}/edit/", form_data())
    assert response.status_code == 302


def test_a_closed_call_is_not_offered(client, submitter):
    CallForPapersFactory(
        title="Old call",
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(submitter)
    html = client.get("/knowledge-hub/submit/").content.decode()
    assert "Old call" not in html and 'name="call"' not in html


def test_answering_a_revision_request(client, submitter, reviewer, secretariat):
    submission = make_submission(
        submitter=submitter, state=S.REVISIONS_REQUESTED, reviewer=reviewer, secretariat=secretariat
    )
    client.force_login(submitter)
    edit_url = f"/knowledge-hub/my-submissions/{submission.pk}/edit/"
    html = client.get(edit_url).content.decode()
    assert "<h1>Revise your submission</h1>" in html
    assert '<label for="id_version_note">What changed in this version</label>' in html
    assert "Current file: paper.pdf (" in html
    response = client.post(
        edit_url,
        form_data(
            action="submit",
            **{"authors-0-name": "Ana Souza", "authors-0-affiliation": "UnB"},
            version_note="",
        ),
    )
    assert response.status_code == 400
    assert "Say what you changed in this version." in response.content.decode()
    response = client.post(
        edit_url,
        form_data(
            action="submit",
            version_note="New title.",
            pdf=pdf_file("v2", name="v2.pdf"),
            **{"authors-0-name": "Ana Souza", "authors-0-affiliation": "UnB"},
        ),
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.UNDER_REVIEW
    assert (submission.current_version.number, submission.current_version.original_name) == (
        2,
        "v2.pdf",
    )


def test_a_submitted_paper_cannot_be_edited(client, submitter):
    submission = make_submission(submitter=submitter, state=S.SUBMITTED)
    client.force_login(submitter)
    response = client.get(f"/knowledge-hub/my-submissions/{submission.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge-hub/my-submissions/{submission.pk}/"


# --- My submissions ------------------------------------------------------------------------
def test_my_submission_shows_timeline_and_comments_to_the_author_only(
    client, submitter, reviewer, secretariat
):
    submission = make_submission(
        submitter=submitter, state=S.UNDER_REVIEW, reviewer=reviewer, secretariat=secretariat
    )
    review_submit(
        assignment=submission.assignments.get(),
        by=reviewer,
        recommendation="minor",
        comments_to_author="Add a table of the cases.",
        confidential_comments="SECRET remark",
    )
    from knowledgehub.services.submissions import submission_transition

    submission_transition(
        submission=submission, to_state=S.REVISIONS_REQUESTED, by=secretariat, note="Small things."
    )
    client.force_login(submitter)
    html = client.get(f"/knowledge-hub/my-submissions/{submission.pk}/").content.decode()
    assert "Revisions requested" in html
    assert "Note from the secretariat:" in html and "<p>Small things.</p>" in html
    assert "<p>Add a table of the cases.</p>" in html
    assert "SECRET" not in html
    assert "minor" not in html.lower().replace("minor revisions", "")  # no recommendation shown
    assert "Answer the revision request" in html
    assert "Withdraw the submission" in html
    assert f'href="/knowledge-hub/submissions/{submission.pk}/versions/1/file/"' in html


@pytest.mark.parametrize("size", [1, 3])
def test_my_submissions_query_count_does_not_grow(
    client, submitter, django_assert_num_queries, size
):
    call = CallForPapersFactory()
    for number in range(size):
        make_submission(submitter=submitter, state=S.SUBMITTED, title=f"Paper {number}", call=call)
    make_submission(state=S.SUBMITTED, title="Someone else's")
    client.force_login(submitter)
    # user, submissions with their calls, the reader's person (their time zone); the session is
    # read from the cache
    with django_assert_num_queries(3):
        response = client.get("/knowledge-hub/my-submissions/")
    assert [s.title for s in response.context["submissions"]] == [
        f"Paper {number}" for number in reversed(range(size))
    ]


def test_withdrawing(client, submitter, django_capture_on_commit_callbacks):
    submission = make_submission(submitter=submitter, state=S.SUBMITTED)
    client.force_login(submitter)
    url = f"/knowledge-hub/my-submissions/{submission.pk}/withdraw/"
    assert "Withdraw “Cooperatives and the informal economy”?" in client.get(url).content.decode()
    response = client.post(url, {"note": "Published elsewhere."})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.WITHDRAWN
    assert client.get(url).status_code == 302  # nothing more to withdraw


# --- Who sees what ---------------------------------------------------------------------------
def submission_urls(submission):
    pk = submission.pk
    return {
        "page": f"/knowledge-hub/my-submissions/{pk}/",
        "edit": f"/knowledge-hub/my-submissions/{pk}/edit/",
        "withdraw": f"/knowledge-hub/my-submissions/{pk}/withdraw/",
        "file": f"/knowledge-hub/submissions/{pk}/versions/1/file/",
        "review": f"/knowledge-hub/reviews/{pk}/",
    }


@pytest.fixture
def cast(reviewer, secretariat, submitter):
    submission = make_submission(
        submitter=submitter, state=S.REVISIONS_REQUESTED, reviewer=reviewer, secretariat=secretariat
    )
    other_reviewer = UserFactory()
    other_reviewer.groups.add(Group.objects.get(name="Reviewers"))
    return {
        "submission": submission,
        "anonymous": None,
        "other user": UserFactory(),
        "member focal point": FocalPointFactory(),
        "unassigned reviewer": other_reviewer,
        "submitter": submitter,
        "reviewer": reviewer,
        "secretariat": secretariat,
    }


# Expected status per user and address (302 from "edit": revisions requested is editable).
EXPECTED = {
    "anonymous": {"page": 302, "edit": 302, "withdraw": 302, "file": 404, "review": 302},
    "other user": {"page": 404, "edit": 404, "withdraw": 404, "file": 404, "review": 404},
    "member focal point": {"page": 404, "edit": 404, "withdraw": 404, "file": 404, "review": 404},
    "unassigned reviewer": {"page": 404, "edit": 404, "withdraw": 404, "file": 404, "review": 404},
    "submitter": {"page": 200, "edit": 200, "withdraw": 200, "file": 200, "review": 404},
    "reviewer": {"page": 404, "edit": 404, "withdraw": 404, "file": 200, "review": 200},
    "secretariat": {"page": 404, "edit": 404, "withdraw": 404, "file": 200, "review": 200},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_who_sees_what_at_every_submission_address(client, cast, who):
    if cast[who] is not None:
        client.force_login(cast[who])
    urls = submission_urls(cast["submission"])
    statuses = {name: client.get(url).status_code for name, url in urls.items()}
    assert statuses == EXPECTED[who]
    if who == "anonymous":
        assert client.get(urls["page"])["Location"].startswith("/accounts/login/")


def test_files_are_private_attachments(client, cast):
    client.force_login(cast["reviewer"])
    response = client.get(submission_urls(cast["submission"])["file"])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="paper.pdf"'
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_version_being_prepared_is_seen_by_its_submitter_only(client, cast):
    from knowledgehub.services.submissions import submission_save

    submission = cast["submission"]
    submission_save(submission=submission, by=cast["submitter"], pdf=pdf_file("v2"))
    url = f"/knowledge-hub/submissions/{submission.pk}/versions/2/file/"
    for who, status in [("submitter", 200), ("reviewer", 404), ("secretariat", 404)]:
        client.force_login(cast[who])
        assert client.get(url).status_code == status, who


def test_drafts_are_hidden_from_the_secretariat(client, submitter, secretariat):
    draft = make_submission(submitter=submitter, state=S.DRAFT)
    client.force_login(secretariat)
    for url in submission_urls(draft).values():
        assert client.get(url).status_code == 404, url


def test_secretariat_staff_never_see_the_review_of_their_own_submission(client, secretariat):
    own = make_submission(submitter=secretariat, state=S.UNDER_REVIEW)
    client.force_login(secretariat)
    assert client.get(f"/knowledge-hub/reviews/{own.pk}/").status_code == 404
    html = client.get("/knowledge-hub/reviews/").content.decode()
    assert "Cooperatives and the informal economy" not in html


# --- Reviewing ------------------------------------------------------------------------------
def test_the_reviewer_writes_a_review_on_the_review_page(client, submitter, reviewer, secretariat):
    submission = make_submission(
        submitter=submitter, state=S.UNDER_REVIEW, reviewer=reviewer, secretariat=secretariat
    )
    client.force_login(reviewer)
    url = f"/knowledge-hub/reviews/{submission.pk}/"
    html = client.get(url).content.decode()
    assert "Download the paper (paper.pdf)" in html
    assert '<label for="id_comments_to_author">Comments to the author</label>' in html
    assert "Assign a reviewer" not in html and "Record the decision" not in html
    response = client.post(
        url,
        {
            "form": "review",
            "recommendation": "minor",
            "comments_to_author": "Clear.",
            "confidential_comments": "Fine.",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.recommendation, review.comments_to_author, review.confidential_comments) == (
        "minor",
        "Clear.",
        "Fine.",
    )
    # A reviewer cannot post a decision.
    response = client.post(url, {"form": "decision", "to_state": "accepted"})
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.state == S.UNDER_REVIEW


def test_the_secretariat_assigns_and_decides_on_the_review_page(
    client, submitter, reviewer, secretariat
):
    submission = make_submission(submitter=submitter, state=S.SUBMITTED)
    client.force_login(secretariat)
    url = f"/knowledge-hub/reviews/{submission.pk}/"
    html = client.get(url).content.decode()
    assert f'<option value="{reviewer.pk}">Ilcheong Yi &lt;yi@example.org&gt;</option>' in html
    assert f'value="{submitter.pk}"' not in html  # the submitter is never offered
    response = client.post(url, {"form": "assign", "reviewer": reviewer.pk, "due_on": "2030-01-31"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.UNDER_REVIEW
    response = client.post(url, {"form": "decision", "to_state": "revisions_requested", "note": ""})
    assert response.status_code == 400
    assert "Tell the author what to revise." in response.content.decode()
    response = client.post(
        url, {"form": "decision", "to_state": "revisions_requested", "note": "Shorter."}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.REVISIONS_REQUESTED


def test_reviewers_see_every_version_and_what_changed(client, submitter, reviewer, secretariat):
    from knowledgehub.services.submissions import submission_save, submission_transition

    submission = make_submission(
        submitter=submitter, state=S.REVISIONS_REQUESTED, reviewer=reviewer, secretariat=secretariat
    )
    submission_save(
        submission=submission,
        by=submitter,
        title="Cooperatives in the informal economy",
        pdf=pdf_file("v2", name="v2.pdf"),
        version_note="Retitled.",
    )
    submission_transition(submission=submission, to_state=S.UNDER_REVIEW, by=submitter)
    client.force_login(reviewer)
    html = client.get(f"/knowledge-hub/reviews/{submission.pk}/").content.decode()
    assert "<h1>Cooperatives in the informal economy</h1>" in html
    assert "Version 2 (current)" in html
    assert "<strong>new file</strong>" in html
    assert (
        '<tr><th scope="row">Title</th>'
        '<td data-label="Before"><del>Cooperatives and the informal economy</del></td>'
        '<td data-label="After"><ins>Cooperatives in the informal economy</ins></td></tr>'
    ) in html
    assert "<p>Retitled.</p>" in html
    assert f'href="/knowledge-hub/submissions/{submission.pk}/versions/1/file/"' in html


@pytest.mark.parametrize("size", [1, 3])
def test_review_lists_query_count_does_not_grow(
    client, reviewer, secretariat, django_assert_num_queries, size
):
    call = CallForPapersFactory()
    for number in range(size):
        make_submission(
            state=S.UNDER_REVIEW,
            reviewer=reviewer,
            secretariat=secretariat,
            title=f"Paper {number}",
            call=call,
        )
    client.force_login(reviewer)
    # user, standing (person; not staff, so no groups), assignments (the session is read from
    # the cache)
    with django_assert_num_queries(3):
        response = client.get("/knowledge-hub/reviews/")
    assert len(response.context["assignments"]) == size
    client.force_login(secretariat)
    # user, standing (person, groups), assignments, submissions in review
    with django_assert_num_queries(5):
        response = client.get("/knowledge-hub/reviews/")
    assert [s.review_count for s in response.context["in_review"]] == [0] * size
    assert [s.reviewer_count for s in response.context["in_review"]] == [1] * size


# --- Calls for papers -----------------------------------------------------------------------
def test_calls_list_open_first_and_closed_calls_keep_their_page(client):
    now = timezone.now()
    CallForPapersFactory(
        title="Closed call",
        slug="closed",
        closes_at=now - datetime.timedelta(days=1),
        opens_at=now - datetime.timedelta(days=40),
    )
    CallForPapersFactory(title="Open call", slug="open")
    response = client.get("/knowledge-hub/calls/")
    html = response.content.decode()
    assert html.index("Open call") < html.index("Closed call")
    assert [c.title for c in response.context["open_calls"]] == ["Open call"]
    # Each call says who may submit.
    assert (
        html.count(
            '<p class="call-list__eligibility">Who may submit: Anyone with a verified e-mail address</p>'
        )
        == 2
    )
    assert [c.title for c in response.context["closed_calls"]] == ["Closed call"]
    closed = client.get("/knowledge-hub/calls/closed/")
    assert closed.status_code == 200
    assert "This call is closed and takes no new submissions." in closed.content.decode()
    assert "Submit a paper to this call" not in closed.content.decode()
    open_page = client.get("/knowledge-hub/calls/open/").content.decode()
    assert 'href="/knowledge-hub/submit/?call=open"' in open_page
    assert client.get("/knowledge-hub/calls/nothing/").status_code == 404


@pytest.mark.parametrize("size", [1, 3])
def test_calls_list_query_count_does_not_grow(client, django_assert_num_queries, size):
    for _ in range(size):
        CallForPapersFactory()
    with django_assert_num_queries(2):  # calls, their themes
        assert client.get("/knowledge-hub/calls/").status_code == 200


def test_call_pages_are_refreshed_when_a_call_changes(
    client, secretariat, django_capture_on_commit_callbacks
):
    call = CallForPapersFactory(title="First title", slug="first")
    assert "First title" in client.get("/knowledge-hub/calls/").content.decode()
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:knowledgehub_callforpapers_change", args=[call.pk]),
            {
                "title": "Second title",
                "slug": "first",
                "description": "",
                "opens_at_0": call.opens_at.strftime("%Y-%m-%d"),
                "opens_at_1": call.opens_at.strftime("%H:%M:%S"),
                "closes_at_0": call.closes_at.strftime("%Y-%m-%d"),
                "closes_at_1": call.closes_at.strftime("%H:%M:%S"),
                "eligibility": "verified",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    assert "Second title" in client.get("/knowledge-hub/calls/").content.decode()


def test_publishing_lands_on_the_resource_with_affiliations_and_call(client, secretariat):
    call = CallForPapersFactory(title="SSE and the SDGs")
    submission = make_submission(state=S.ACCEPTED, secretariat=secretariat, call=call)
    client.force_login(secretariat)
    response = client.post(
        f"/knowledge-hub/reviews/{submission.pk}/",
        {"form": "decision", "to_state": "published", "note": ""},
        follow=True,
    )
    submission.refresh_from_db()
    resource = submission.resource
    assert response.redirect_chain == [(resource.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "The submission is published in the Knowledge Hub." in html
    assert [(a.name, a.affiliation) for a in resource.authors.all()] == [
        ("Ana Souza", "University of Brasília")
    ]
    assert 'Ana Souza <span class="resource__affiliation">(University of Brasília)</span>' in html
    assert (
        f'<dt>In answer to</dt><dd><a href="{call.get_absolute_url()}">SSE and the SDGs</a></dd>'
        in html
    )


@pytest.mark.parametrize(
    ("to_state", "sentence"),
    [
        ("revisions_requested", "Revisions are requested: the author is asked for a new version."),
        ("accepted", "The submission is accepted."),
        ("rejected", "The submission is rejected."),
    ],
)
def test_decisions_read_as_sentences(client, secretariat, to_state, sentence):
    submission = make_submission(state=S.UNDER_REVIEW, secretariat=secretariat)
    client.force_login(secretariat)
    response = client.post(
        f"/knowledge-hub/reviews/{submission.pk}/",
        {"form": "decision", "to_state": to_state, "note": "Thank you."},
        follow=True,
    )
    assert sentence in response.content.decode()


# --- Who may answer a call, told before the form ---------------------------------------------
def focal_points_call():
    from knowledgehub.models import CallEligibility

    return CallForPapersFactory(
        slug="members-only", title="Members' papers", eligibility=CallEligibility.AFFILIATED
    )


def test_an_ineligible_user_is_told_why_and_how_to_become_eligible(client, submitter):
    call = focal_points_call()
    client.force_login(submitter)
    html = client.get(call.get_absolute_url()).content.decode()
    assert "This call is open to focal points of member and observer organisations only." in html
    assert '<a href="/members/affiliation/">ask to join your organisation</a>' in html
    assert "Submit a paper to this call" not in html
    form_page = client.get("/knowledge-hub/submit/?call=members-only").content.decode()
    assert "This call is open to focal points of member and observer organisations only." in (
        form_page
    )
    assert '<a href="/members/affiliation/">ask to join your organisation</a>' in form_page


def test_an_ineligible_user_with_a_request_waiting_is_told_so(client, submitter, time_machine):
    from members.services import affiliation_request_create
    from tests.factories import OrganisationFactory

    time_machine.move_to("2026-03-04T10:00:00Z", tick=False)
    call = focal_points_call()
    ripess = OrganisationFactory(acronym="RIPESS", name="RIPESS", kind="observer")
    affiliation_request_create(user=submitter, organisation=ripess, name="Ana Souza")
    client.force_login(submitter)
    html = client.get(call.get_absolute_url()).content.decode()
    assert (
        "Your request to join RIPESS, sent on March 4, 2026, is waiting for the secretariat: "
        "once it is confirmed, you can submit to this call."
    ) in html


def test_a_focal_point_may_answer_a_focal_points_call(client):
    call = focal_points_call()
    client.force_login(FocalPointFactory(organisation__kind="observer"))
    html = client.get(call.get_absolute_url()).content.decode()
    assert "Submit a paper to this call" in html
    assert "ask to join your organisation" not in html


# --- Times in the reader's own time zone, named ----------------------------------------------
@pytest.mark.parametrize(
    ("zone", "prefix", "shown"),
    [
        ("Europe/Zurich", "", "March 4, 2026, 11:00 (Europe/Zurich)"),
        ("America/Santiago", "/es", "4 de marzo de 2026, 07:00 (America/Santiago)"),
        (None, "/fr", "4 mars 2026, 10:00 (UTC)"),
    ],
)
def test_submission_times_are_in_the_readers_zone_and_say_which(
    client, time_machine, zone, prefix, shown
):
    time_machine.move_to("2026-03-04T10:00:00Z", tick=False)
    if zone:
        user = FocalPointFactory(organisation__kind="observer")
        user.person.time_zone = zone
        user.person.save(update_fields=["time_zone"])
    else:
        user = UserFactory()
    submission = make_submission(submitter=user, state=S.SUBMITTED)
    client.force_login(user)
    detail = client.get(f"{prefix}/knowledge-hub/my-submissions/{submission.pk}/").content.decode()
    assert f">{shown}</time>" in detail
    listing = client.get(f"{prefix}/knowledge-hub/my-submissions/").content.decode()
    assert f">{shown}</time>" in listing
