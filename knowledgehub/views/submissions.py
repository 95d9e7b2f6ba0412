"""The submitter's pages: the submission form (new draft, edit, answer a revision request),
"My submissions", a submission's page, withdrawing, and the submission files.

None of these pages is cached: each is made for one person. Another person's submission is a
404 at every address, never a 403, so its existence is not revealed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from knowledgehub.forms import (
    SubmissionForm,
    WithdrawForm,
    add_service_errors,
    author_formset,
)
from knowledgehub.models import CallForPapers, Submission, SubmissionState, SubmissionVersion
from knowledgehub.selectors import (
    call_access,
    call_submission_refusal,
    submission_for_submitter,
    submission_version_for_download,
    submissions_of_submitter,
)
from knowledgehub.services.submissions import (
    SUBMISSION_FIELDS,
    SubmissionRateLimited,
    moves_for,
    submission_save,
    submission_start,
    submission_transition,
)
from members.permissions import SignedInMixin, VerifiedEmailRequiredMixin

S = SubmissionState


def _own_submission_or_404(request, pk: int) -> Submission:
    submission = Submission.objects.of_submitter(request.user).filter(pk=pk).first()
    if submission is None:
        raise Http404(_("There is no submission of yours at this address."))
    return submission


class SubmissionFormView(VerifiedEmailRequiredMixin, View):
    """/knowledge-hub/submit/ (a new draft) and /my-submissions/<pk>/edit/ (a draft, or the
    answer to a revision request). "Save" keeps everything valid, the file included, even when
    something else is wrong; "Submit" also asks the service to submit."""

    template_name = "knowledgehub/submission_form.html"
    http_method_names = ["get", "post"]

    def get_submission(self) -> Submission | None:
        if "pk" not in self.kwargs:
            return None
        return _own_submission_or_404(self.request, self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.submission = self.get_submission()
            if self.submission is not None and not self.submission.is_editable_by_submitter:
                messages.warning(request, _("This submission can no longer be changed."))
                return redirect(self.submission.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def _initial(self) -> dict:
        submission = self.submission
        if submission is None:
            call = CallForPapers.objects.filter(slug=self.request.GET.get("call", "")).first()
            if call is not None and not call_submission_refusal(call, self.request.user):
                return {"call": call, "themes": list(call.themes.all())}
            return {}
        initial = {name: getattr(submission, name) for name in SUBMISSION_FIELDS}
        initial["sdgs"] = list(submission.sdgs.all())
        initial["themes"] = list(submission.themes.all())
        open_version = submission.versions.filter(submitted_at__isnull=True).first()
        initial["version_note"] = open_version.note if open_version else ""
        return initial

    def _render(self, form, authors, *, status=200, author_errors=(), submission=None, extra=None):
        submission = submission or self.submission
        revising = submission is not None and submission.state == S.REVISIONS_REQUESTED
        action_url = (
            reverse("knowledgehub:edit_submission", kwargs={"pk": submission.pk})
            if submission is not None
            else reverse("knowledgehub:submit")
        )
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "authors": authors,
                "author_errors": list(author_errors),
                "submission": submission,
                "revising": revising,
                "action_url": action_url,
                **(extra or {}),
            },
            status=status,
        )

    def _refused_call(self) -> dict:
        """The call named in the address that the user may not answer: why, and how to."""
        if self.submission is not None:
            return {}
        call = CallForPapers.objects.filter(slug=self.request.GET.get("call", "")).first()
        if call is None:
            return {}
        access = call_access(call, self.request.user)
        return {"refused_call": call, "access": access} if access.refusal else {}

    def get(self, request, *args, **kwargs):
        form = SubmissionForm(
            initial=self._initial(), user=request.user, submission=self.submission
        )
        return self._render(
            form, author_formset(submission=self.submission), extra=self._refused_call()
        )

    def _values(self, form, authors, authors_valid: bool) -> dict:
        data = form.cleaned_data
        values = {name: data[name] for name in SUBMISSION_FIELDS if name in data}
        for name in ("sdgs", "themes", "version_note"):
            if name in data:
                values[name] = data[name]
        if data.get("pdf"):
            values["pdf"] = data["pdf"]
        if authors_valid:
            values["authors"] = authors.entries()
        return values

    def post(self, request, *args, **kwargs):
        submission = self.submission
        form = SubmissionForm(request.POST, request.FILES, user=request.user, submission=submission)
        authors = author_formset(request.POST, submission=submission)
        form_valid, authors_valid = form.is_valid(), authors.is_valid()
        if submission is None:
            try:
                submission = submission_start(by=request.user)
            except SubmissionRateLimited as limited:
                form.add_error(
                    None,
                    _(
                        "You have started %(limit)d submissions in the last 24 hours, the most "
                        "we accept from one account. Please come back tomorrow, or finish one of "
                        "your drafts under “My submissions”."
                    )
                    % {"limit": limited.limit},
                )
                return self._render(form, authors, status=429)
        author_errors: list[str] = []
        try:
            submission_save(
                submission=submission,
                by=request.user,
                **self._values(form, authors, authors_valid),
            )
        except ValidationError as error:
            add_service_errors(form, error, elsewhere={"authors": author_errors})
        form.show_current_file(
            submission.versions.filter(submitted_at__isnull=True).first()
            or submission.current_version
        )
        if not (form_valid and authors_valid) or form.errors or author_errors:
            return self._render(
                form, authors, status=400, author_errors=author_errors, submission=submission
            )
        if request.POST.get("action") == "submit":
            to_state = S.SUBMITTED if submission.state == S.DRAFT else S.UNDER_REVIEW
            try:
                submission_transition(submission=submission, to_state=to_state, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error, elsewhere={"authors": author_errors})
                return self._render(
                    form, authors, status=400, author_errors=author_errors, submission=submission
                )
            messages.success(
                request,
                _("Your submission was sent to the secretariat. You will hear from us by e-mail.")
                if to_state == S.SUBMITTED
                else _("Your revised version was sent to the reviewers."),
            )
            return redirect(submission.get_absolute_url())
        messages.success(request, _("Your changes are saved. You can come back to them later."))
        return redirect("knowledgehub:edit_submission", pk=submission.pk)


class MySubmissionsView(SignedInMixin, TemplateView):
    template_name = "knowledgehub/submission_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            submissions=list(submissions_of_submitter(self.request.user)), **kwargs
        )


class MySubmissionView(SignedInMixin, TemplateView):
    template_name = "knowledgehub/submission_detail.html"

    def get_context_data(self, **kwargs):
        try:
            submission = submission_for_submitter(self.kwargs["pk"], self.request.user)
        except Submission.DoesNotExist as error:
            raise Http404(_("There is no submission of yours at this address.")) from error
        moves = moves_for(submission, self.request.user)
        return super().get_context_data(
            submission=submission,
            authors=list(submission.authors.all()),
            versions=[v for v in submission.versions.all() if v.is_submitted],
            open_version=next((v for v in submission.versions.all() if not v.is_submitted), None),
            transitions=list(submission.transitions.all()),
            can_edit=submission.is_editable_by_submitter,
            can_withdraw=S.WITHDRAWN in moves,
            **kwargs,
        )


class WithdrawSubmissionView(VerifiedEmailRequiredMixin, View):
    template_name = "knowledgehub/submission_withdraw.html"
    http_method_names = ["get", "post"]

    def _render(self, submission, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"submission": submission, "form": form},
            status=status,
        )

    def get(self, request, pk):
        submission = _own_submission_or_404(request, pk)
        if S.WITHDRAWN not in moves_for(submission, request.user):
            messages.warning(request, _("This submission can no longer be withdrawn."))
            return redirect(submission.get_absolute_url())
        return self._render(submission, WithdrawForm())

    def post(self, request, pk):
        submission = _own_submission_or_404(request, pk)
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                submission_transition(
                    submission=submission,
                    to_state=S.WITHDRAWN,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your submission is withdrawn."))
                return redirect(submission.get_absolute_url())
        return self._render(submission, form, status=400)


@require_GET
@never_cache
def submission_file(request, pk: int, number: int):
    """A version's PDF for whoever may see it (its submitter; once submitted, its reviewers and
    the secretariat); 404 for everyone else."""
    try:
        version = submission_version_for_download(pk, number, request.user)
        handle = version.pdf.open("rb")
    except (SubmissionVersion.DoesNotExist, FileNotFoundError) as error:
        raise Http404(_("There is no file at this address.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name or f"submission-{pk}-v{number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
