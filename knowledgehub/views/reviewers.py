"""The secretariat's page of reviewers: who may be asked to review, granted and withdrawn here
rather than by a superuser in the admin."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from knowledgehub.forms import GrantReviewerForm, add_service_errors
from knowledgehub.selectors import reviewers_in_group
from knowledgehub.services.reviewers import reviewer_grant, reviewer_withdraw
from members.permissions import SecretariatRequiredMixin


class ReviewersView(SecretariatRequiredMixin, TemplateView):
    template_name = "knowledgehub/reviewers.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reviewers=list(reviewers_in_group()),
            form=kwargs.pop("form", None) or GrantReviewerForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "withdraw" in request.POST:
            return self._withdraw(request.POST["withdraw"])
        form = GrantReviewerForm(request.POST)
        if form.is_valid():
            try:
                granted = reviewer_grant(user=form.user, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                name = form.user.name or form.user.email
                if granted:
                    messages.success(
                        request,
                        _("%(name)s is a reviewer: you can ask them to review submissions.")
                        % {"name": name},
                    )
                else:
                    messages.info(request, _("%(name)s is a reviewer already.") % {"name": name})
                return redirect("knowledgehub:reviewers")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _withdraw(self, user_id: str):
        user = get_user_model().objects.filter(pk=user_id if user_id.isdigit() else None).first()
        if user is None:
            raise Http404(_("There is no such account."))
        if reviewer_withdraw(user=user, by=self.request.user):
            messages.success(
                self.request,
                _(
                    "%(name)s is no longer a reviewer. The reviews they wrote stay with their "
                    "submissions."
                )
                % {"name": user.name or user.email},
            )
        return redirect("knowledgehub:reviewers")
