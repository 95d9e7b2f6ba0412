from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from members.adapters import INVITATION_SESSION_KEY
from members.filters import OrganisationFilter
from members.forms import AffiliationRequestForm
from members.models import AffiliationStatus, Organisation
from members.permissions import VerifiedEmailRequiredMixin
from members.selectors import (
    affiliation_requests_of,
    directory_groups,
    governance_offices,
    organisation_page_shared,
)
from members.services import affiliation_invitation_accept, affiliation_request_create
from members.standing import reader_key, standing_of
from members.tokens import invitation_from_token
from untfsse.core.cache import ContentArea, PublicPageCacheMixin, lazy_parts
from untfsse.core.views import InvalidFiltersAnswer400Mixin

# An organisation's page shows sections from every area of the portal.
ALL_AREAS = (
    ContentArea.MEMBERS,
    ContentArea.MEETINGS,
    ContentArea.ACTION_PLAN,
    ContentArea.KNOWLEDGE_HUB,
)


class DirectoryView(InvalidFiltersAnswer400Mixin, PublicPageCacheMixin, FilterView):
    cache_areas = (ContentArea.MEMBERS,)
    cache_query_params = tuple(OrganisationFilter.base_filters)
    cache_reader_key = reader_key
    filterset_class = OrganisationFilter
    template_name = "members/organisation_list.html"

    def get_queryset(self):
        return Organisation.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read only when the shared part of the page is not in the cache already.
        context["groups"] = SimpleLazyObject(lambda: directory_groups(context["object_list"]))
        context["is_filtered"] = any(value for value in self.request.GET.values())
        return context


class OrganisationDetailView(PublicPageCacheMixin, DetailView):
    """An organisation's page: the same for every reader, so everything below its heading
    (people, offices, the other apps' sections) is kept per content version for signed-in
    readers too, and read only when the cache lacks it. Nothing in it may depend on the
    reader (a section that would must vary the shared part by audience, as meetings do)."""

    cache_areas = ALL_AREAS
    cache_reader_key = reader_key
    template_name = "members/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        try:
            return Organisation.objects.get(slug=self.kwargs["slug"])
        except Organisation.DoesNotExist as error:
            raise Http404(_("No organisation at this address.")) from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            lazy_parts(
                lambda: organisation_page_shared(self.object, self.request),
                ("public_people", "current_offices", "past_offices", "sections"),
            )
        )
        return context


class GovernanceView(PublicPageCacheMixin, TemplateView):
    cache_areas = (ContentArea.MEMBERS,)
    cache_reader_key = reader_key
    template_name = "members/governance.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(offices=governance_offices(), **kwargs)


class AffiliationRequestView(VerifiedEmailRequiredMixin, FormView):
    template_name = "members/affiliation_request.html"
    form_class = AffiliationRequestForm

    def get_initial(self):
        return {"name": self.request.user.name}

    def get_context_data(self, **kwargs):
        requests = list(affiliation_requests_of(self.request.user))
        return super().get_context_data(
            standing=standing_of(self.request.user),
            requests=requests,
            pending_request=next(
                (request for request in requests if request.status == AffiliationStatus.PENDING),
                None,
            ),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            affiliation_request_create(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your request has been sent to the secretariat. You will hear from them by e-mail."),
        )
        return redirect("members:affiliation")


class InvitationView(View):
    """The link of a secretariat invitation: links a signed-in invitee at once, or keeps the
    invitation for the sign-up that follows (the address is taken as verified: the link
    proves the invitee reads that mailbox)."""

    def get(self, request, token):
        invitation = invitation_from_token(token)
        if invitation is None:
            raise Http404(_("This invitation link is invalid or has expired."))
        if invitation.accepted_at is not None:
            messages.info(request, _("This invitation has already been used."))
            return redirect("home")
        if request.user.is_authenticated:
            try:
                affiliation_invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("home")
            messages.success(
                request,
                _("You are now a focal point of %(organisation)s.")
                % {"organisation": invitation.organisation},
            )
            return redirect(invitation.organisation.get_absolute_url())
        from allauth.account.adapter import get_adapter

        request.session[INVITATION_SESSION_KEY] = invitation.pk
        get_adapter(request).stash_verified_email(request, invitation.email)
        messages.info(
            request,
            _("Create your account with %(email)s to join %(organisation)s on the portal.")
            % {"email": invitation.email, "organisation": invitation.organisation},
        )
        return redirect(
            f"{reverse('account_signup')}?{REDIRECT_FIELD_NAME}={invitation.organisation.get_absolute_url()}"
        )
