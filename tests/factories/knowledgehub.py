"""Knowledge Hub factories: resources are made through `resource_create`, as the portal does,
so their authors text and search vector are those of a real resource."""

import datetime

import factory
from django.utils import timezone

from knowledgehub.models import (
    CallEligibility,
    CallForPapers,
    Licence,
    Resource,
    ResourceKind,
    SubmissionState,
)
from knowledgehub.services import resource_create
from members.models import DatePrecision


class ResourceFactory(factory.Factory):
    """ResourceFactory(title=..., authors=["Ilcheong Yi"], sdgs=[8], themes=["Finance"], ...)."""

    class Meta:
        model = Resource

    kind = ResourceKind.RESEARCH_PAPER
    title = factory.Sequence(lambda n: f"Working notes number {n}")
    abstract = ""
    authors = ()
    organisations = ()
    published_on = datetime.date(2022, 6, 1)
    published_precision = DatePrecision.YEAR
    language = "en"
    sdgs = ()
    themes = ()
    licence = Licence.CC_BY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return resource_create(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Resources are only made through resource_create.")


# --- Submissions ---------------------------------------------------------------------------
# Submissions are brought to a state through the services, the way the pages do, so every
# version, transition and e-mail row is the one the portal would have made.


class CallForPapersFactory(factory.django.DjangoModelFactory):
    """An open call by default (opened yesterday, closes in 30 days)."""

    class Meta:
        model = CallForPapers
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Call for papers {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    description = "Papers on the social and solidarity economy."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    eligibility = CallEligibility.VERIFIED


def submitted_paper_pdf(text: str = "A paper on the social and solidarity economy") -> bytes:
    from tests.knowledgehub.pdfs import make_pdf

    return make_pdf(text)


def make_submission(
    *,
    submitter=None,
    state: str = SubmissionState.SUBMITTED,
    secretariat=None,
    reviewer=None,
    title: str = "Cooperatives and the informal economy",
    call=None,
    pdf_text: str = "Cooperatives and the informal economy, a study",
    **metadata,
):
    """A submission brought to `state` through the services (draft, submitted, under_review,
    revisions_requested, accepted, published, rejected, withdrawn). Reviewing states need a
    secretariat user (made when not given) and assign `reviewer` when given."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from knowledgehub.services.submissions import (
        SubmissionAuthorEntry,
        review_assign,
        submission_save,
        submission_start,
        submission_transition,
    )
    from tests.factories import SecretariatUserFactory, UserFactory

    S = SubmissionState
    submitter = submitter or UserFactory()
    submission = submission_start(by=submitter, call=call)
    values = {
        "title": title,
        "abstract": "How cooperatives bring informal workers into decent work.",
        "authors": [SubmissionAuthorEntry("Ana Souza", "University of Brasília")],
        "pdf": SimpleUploadedFile("paper.pdf", submitted_paper_pdf(pdf_text)),
        **metadata,
    }
    submission_save(submission=submission, by=submitter, **values)
    if state == S.DRAFT:
        return submission
    if state == S.WITHDRAWN:
        submission_transition(submission=submission, to_state=S.SUBMITTED, by=submitter)
        submission_transition(submission=submission, to_state=S.WITHDRAWN, by=submitter)
        submission.refresh_from_db()
        return submission
    submission_transition(submission=submission, to_state=S.SUBMITTED, by=submitter)
    if state == S.SUBMITTED:
        submission.refresh_from_db()
        return submission
    secretariat = secretariat or SecretariatUserFactory()
    if reviewer is not None:
        review_assign(submission=submission, reviewer=reviewer, by=secretariat)
    else:
        submission_transition(submission=submission, to_state=S.UNDER_REVIEW, by=secretariat)
    steps = {
        S.UNDER_REVIEW: [],
        S.REVISIONS_REQUESTED: [S.REVISIONS_REQUESTED],
        S.ACCEPTED: [S.ACCEPTED],
        S.REJECTED: [S.REJECTED],
        S.PUBLISHED: [S.ACCEPTED, S.PUBLISHED],
    }[state]
    for step in steps:
        note = "Please shorten the introduction." if step == S.REVISIONS_REQUESTED else ""
        submission_transition(submission=submission, to_state=step, by=secretariat, note=note)
    submission.refresh_from_db()
    return submission
