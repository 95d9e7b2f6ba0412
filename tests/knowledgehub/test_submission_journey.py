"""The whole submission journey in a real headless Chromium, on PostgreSQL (the published paper
is found by the ranked full-text search): an observer submits to a call, the secretariat assigns
a reviewer, the reviewer asks for revisions, the observer resubmits, the paper is accepted,
published and found. axe-core checks the forms, including one showing errors."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from knowledgehub.models import SDG_NAMES, Sdg, Submission, SubmissionState, Theme
from tests.browser_support import assert_no_axe_violations
from tests.factories import FocalPointFactory, SecretariatUserFactory, UserFactory
from tests.factories.knowledgehub import CallForPapersFactory
from tests.knowledgehub.pdfs import make_pdf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _pdf_folder(settings, tmp_path):
    settings.KNOWLEDGE_HUB_FILES_ROOT = tmp_path / "knowledgehub-files"


@pytest.fixture(autouse=True)
def _sdgs():
    """The migration's 17 goals (an earlier transactional test may have emptied the table)."""
    for number, name in SDG_NAMES.items():
        Sdg.objects.get_or_create(number=number, defaults={"name": str(name)})


@pytest.fixture
def contexts(browser, live_server):
    """Opens browser contexts (one per person) and closes them after the test."""
    opened = []

    def open_page(user=None):
        context = browser.new_context(base_url=live_server.url)
        opened.append(context)
        if user is not None:
            # Signed in through the session cookie, without the sign-in form.
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        return context.new_page()

    yield open_page
    for context in opened:
        context.close()


def pdf_payload(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": make_pdf(text)}


def test_submit_review_revise_accept_publish_and_find(contexts):
    Theme.objects.create(name="Informal economy", slug="informal-economy")
    CallForPapersFactory(title="SSE and the informal economy", slug="informal-economy")
    observer = FocalPointFactory(
        name="Laurence Kwark", email="kwark@example.org", organisation__kind="observer"
    )
    secretariat = SecretariatUserFactory(name="Valentina Verze", email="verze@example.org")
    reviewer = UserFactory(name="Ilcheong Yi", email="yi@example.org")
    reviewer.groups.add(Group.objects.get_or_create(name="Reviewers")[0])

    # The observer finds the call and starts a submission.
    author = contexts(observer)
    author.goto("/knowledge-hub/calls/")
    author.get_by_role("link", name="SSE and the informal economy").click()
    author.get_by_role("link", name="Submit a paper to this call").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Submit a paper")
    expect(author.get_by_label("Call for papers")).to_have_value(
        str(Submission._meta.get_field("call").related_model.objects.get().pk)
    )
    assert_no_axe_violations(author)

    author.get_by_label("Title").fill("Solidarity finance among street vendors")
    author.locator("#id_authors-0-name").fill("Laurence Kwark")
    author.locator("#id_authors-0-affiliation").fill("GSEF")
    author.locator("#id_authors-1-name").fill("Madani Coumare")
    author.get_by_label("SDG 8: Decent work and economic growth").check()
    author.get_by_label("The paper (PDF)").set_input_files(
        pdf_payload("vendors.pdf", "Tontines among street vendors in Dakar")
    )
    # No abstract yet: the error is shown, linked to its field, and the file is kept.
    author.get_by_role("button", name="Submit for review").click()
    expect(author.get_by_role("alert")).to_contain_text("Some answers need your attention")
    expect(author.get_by_label("Abstract")).to_have_attribute(
        "aria-describedby", "id_abstract_helptext id_abstract_error"
    )
    expect(author.locator("#id_pdf_helptext")).to_contain_text("Current file: vendors.pdf")
    expect(author.get_by_label("Title")).to_have_value("Solidarity finance among street vendors")
    assert_no_axe_violations(author)
    author.get_by_label("Abstract").fill("How street vendors in Dakar pool their savings.")
    author.get_by_role("button", name="Submit for review").click()
    expect(author.get_by_role("status")).to_contain_text("Your submission was sent")
    expect(author.locator(".submission-state")).to_have_text("Submitted")
    submission = Submission.objects.get()

    # The secretariat assigns the reviewer.
    desk = contexts(secretariat)
    desk.goto("/knowledge-hub/reviews/")
    desk.get_by_role("link", name="Solidarity finance among street vendors").click()
    desk.get_by_label("Reviewer", exact=True).select_option(label="Ilcheong Yi <yi@example.org>")
    assert_no_axe_violations(desk)
    desk.get_by_role("button", name="Assign").click()
    expect(desk.get_by_role("status")).to_contain_text("Ilcheong Yi is asked to review")

    # The reviewer asks for major revisions.
    review = contexts(reviewer)
    review.goto("/knowledge-hub/reviews/")
    review.get_by_role("link", name="Solidarity finance among street vendors").click()
    review.get_by_label("Major revisions").check()
    review.get_by_label("Comments to the author").fill("Say how many vendors were interviewed.")
    review.get_by_label("Confidential comments to the secretariat").fill("Promising.")
    assert_no_axe_violations(review)
    review.get_by_role("button", name="Send the review").click()
    expect(review.get_by_role("status")).to_contain_text("Your review is saved")

    desk.reload()
    desk.get_by_label("Ask the author for revisions").check()
    desk.get_by_label("Note to the author").fill("Please answer the reviewer.")
    desk.get_by_role("button", name="Record the decision").click()
    expect(desk.get_by_role("status")).to_contain_text("Revisions are requested")

    # The observer reads the comments and resubmits.
    author.goto("/knowledge-hub/my-submissions/")
    author.get_by_role("link", name="Solidarity finance among street vendors").first.click()
    expect(author.get_by_text("Say how many vendors were interviewed.")).to_be_visible()
    expect(author.get_by_text("Promising.")).to_have_count(0)
    author.get_by_role("link", name="Answer the revision request").click()
    author.get_by_label("Title").fill("Solidarity finance among 120 street vendors")
    author.get_by_label("What changed in this version").fill("The sample size is given.")
    author.get_by_label("The paper (PDF)").set_input_files(
        pdf_payload("vendors-v2.pdf", "Tontines among 120 street vendors in Dakar")
    )
    assert_no_axe_violations(author)
    author.get_by_role("button", name="Send the revised version").click()
    expect(author.locator(".submission-state")).to_have_text("Under review")

    # The reviewer sees what changed and accepts.
    review.reload()
    expect(review.get_by_role("heading", level=1)).to_have_text(
        "Solidarity finance among 120 street vendors"
    )
    expect(review.locator(".diff-table")).to_contain_text("Solidarity finance among street vendors")
    expect(review.get_by_text("new file")).to_be_visible()
    review.get_by_label("Accept").check()
    review.get_by_label("Comments to the author").fill("Thank you, all clear.")
    review.get_by_role("button", name="Send the review").click()
    expect(review.get_by_role("status")).to_contain_text("Your review is saved")

    desk.reload()
    desk.get_by_label("Accept", exact=True).check()
    desk.get_by_role("button", name="Record the decision").click()
    expect(desk.get_by_role("status")).to_contain_text("is accepted")
    desk.get_by_label("Publish in the Knowledge Hub").check()
    desk.get_by_role("button", name="Record the decision").click()
    expect(desk.get_by_role("status")).to_contain_text("published in the Knowledge Hub")
    # The secretariat lands on the new resource, with the authors' affiliations.
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        "Solidarity finance among 120 street vendors"
    )

    # Anyone finds it in the Knowledge Hub.
    visitor = contexts()
    visitor.goto("/knowledge-hub/?q=vendors")
    visitor.get_by_role("link", name="Solidarity finance among 120 street vendors").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Solidarity finance among 120 street vendors"
    )
    expect(visitor.get_by_role("link", name="Download the PDF")).to_be_visible()

    submission.refresh_from_db()
    assert submission.state == SubmissionState.PUBLISHED
    assert [v.number for v in submission.versions.all()] == [1, 2]
    assert not any("Promising." in message.body for message in mail.outbox)
