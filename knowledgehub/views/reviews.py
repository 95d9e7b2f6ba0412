"""The reviewers' and the secretariat's pages: the review list and a submission's review page
(versions with what changed, the review form, and for the secretariat the reviews, reviewer
assignment and decisions). The admin offers the same actions through the same services.

A submission's review page is a 404 for everyone but its assigned reviewers and the
secretariat, and always for its own submitter.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from knowledgehub.forms import (
    AssignReviewerForm,
    DecisionForm,
    ReviewForm,
    add_service_errors,
)
from knowledgehub.models import Submission, SubmissionState
from knowledgehub.selectors import (
    assignments_of_reviewer,
    submission_for_review,
    submissions_in_review,
)
from knowledgehub.services.submissions import (
    moves_for,
    review_assign,
    review_submit,
    submission_transition,
)
from members.permissions import SignedInMixin
from members.standing import standing_of

S = SubmissionState

# What the secretariat reads after moving a submission: a sentence per state, not the state's
# label dropped into one ("The submission is now revisions requested.").
STATE_CHANGED = {
    S.DRAFT: gettext_lazy("The submission is back in draft."),
    S.SUBMITTED: gettext_lazy("The submission is marked as submitted."),
    S.UNDER_REVIEW: gettext_lazy("The submission is now under review."),
    S.REVISIONS_REQUESTED: gettext_lazy(
        "Revisions are requested: the author is asked for a new version."
    ),
    S.ACCEPTED: gettext_lazy("The submission is accepted."),
    S.PUBLISHED: gettext_lazy("The submission is published in the Knowledge Hub."),
    S.REJECTED: gettext_lazy("The submission is rejected."),
    S.WITHDRAWN: gettext_lazy("The submission is withdrawn."),
}
ASSIGNABLE_STATES = (S.SUBMITTED, S.UNDER_REVIEW, S.REVISIONS_REQUESTED)


class ReviewListView(SignedInMixin, TemplateView):
    template_name = "knowledgehub/review_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        is_secretariat = standing_of(user).is_secretariat
        return super().get_context_data(
            assignments=list(assignments_of_reviewer(user)),
            is_secretariat=is_secretariat,
            in_review=list(submissions_in_review(user)) if is_secretariat else [],
            **kwargs,
        )


class ReviewSubmissionView(SignedInMixin, TemplateView):
    template_name = "knowledgehub/review_detail.html"
    http_method_names = ["get", "post"]

    def get_submission(self) -> Submission:
        try:
            return submission_for_review(self.kwargs["pk"], self.request.user)
        except Submission.DoesNotExist as error:
            raise Http404(_("There is no submission to review at this address.")) from error

    def _own_review(self, submission):
        assignment = submission.viewer_assignment
        if assignment is None or submission.current_version is None:
            return None
        return next(
            (r for r in assignment.reviews.all() if r.version_id == submission.current_version_id),
            None,
        )

    def _forms(self, submission, bound: str | None = None, data=None) -> dict:
        user = self.request.user
        forms = {}
        review = self._own_review(submission)
        if (
            submission.viewer_assignment is not None
            and submission.state == S.UNDER_REVIEW
            and not (review and review.shared_by_id)
        ):
            forms["review_form"] = ReviewForm(data if bound == "review" else None, instance=review)
        if submission.viewer_is_secretariat:
            moves = [move for move in moves_for(submission, user) if move != S.WITHDRAWN]
            if moves:
                forms["decision_form"] = DecisionForm(
                    data if bound == "decision" else None, moves=moves
                )
            if submission.state in ASSIGNABLE_STATES:
                forms["assign_form"] = AssignReviewerForm(
                    data if bound == "assign" else None, submission=submission
                )
        return forms

    def get_context_data(self, **kwargs):
        submission = kwargs.pop("submission", None) or self.get_submission()
        forms = kwargs.pop("forms", None) or self._forms(submission)
        versions = submission.submitted_versions
        return super().get_context_data(
            submission=submission,
            authors=list(submission.authors.all()),
            versions=versions,
            current_version=versions[-1] if versions else None,
            assignments=list(submission.assignments.all()),
            transitions=list(submission.transitions.all()),
            own_review=self._own_review(submission),
            **forms,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        submission = self.get_submission()
        which = request.POST.get("form", "")
        forms = self._forms(submission, bound=which, data=request.POST)
        form = forms.get(f"{which}_form")
        if form is None:
            raise PermissionDenied(_("This action is not available on this submission."))
        if form.is_valid():
            try:
                message = self._act(which, submission, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                if which == "decision" and submission.resource is not None:
                    # Published: the secretariat checks the new resource as readers see it.
                    return redirect(submission.resource.get_absolute_url())
                return redirect(submission.get_review_url())
        context = self.get_context_data(submission=submission, forms=forms)
        return self.render_to_response(context, status=400)

    def _act(self, which: str, submission: Submission, data: dict) -> str:
        user = self.request.user
        if which == "review":
            review_submit(
                assignment=submission.viewer_assignment,
                by=user,
                recommendation=data["recommendation"],
                comments_to_author=data["comments_to_author"],
                confidential_comments=data["confidential_comments"],
            )
            return _("Your review is saved. The secretariat will take it from here.")
        if which == "assign":
            assignment = review_assign(
                submission=submission, reviewer=data["reviewer"], by=user, due_on=data["due_on"]
            )
            return _("%(reviewer)s is asked to review this submission.") % {
                "reviewer": assignment.reviewer.name or assignment.reviewer.email
            }
        transition = submission_transition(
            submission=submission, to_state=data["to_state"], by=user, note=data["note"]
        )
        return str(STATE_CHANGED[transition.to_state])
