"""Pages of the shell: the home page, /me/, and the secretariat's dashboard, reports and activity."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from meetings.selectors import attendance_report, meeting_years, viewer_time_zone
from members.forms import AccountDeleteForm, EmailPreferencesForm
from members.models import Person
from members.permissions import SecretariatRequiredMixin, SignedInMixin
from members.personal_data import (
    account_delete,
    account_deletion_refusal,
    person_keeps_name,
    personal_data_export,
    personal_data_zip,
)
from members.services import person_update_preferences
from members.standing import reader_key, standing_of
from untfsse.core.audit import action_label, actor_name, audit_entries, change_text
from untfsse.core.cache import ContentArea, PublicPageCacheMixin
from untfsse.core.exports import csv_response
from untfsse.core.ratelimit import allow, too_many_requests
from untfsse.portal.dashboard import secretariat_dashboard
from untfsse.portal.filters import AuditEntryFilter
from untfsse.portal.home import home_page
from untfsse.portal.me import focal_point_page


class HomeView(PublicPageCacheMixin, TemplateView):
    template_name = "home.html"
    cache_areas = (
        ContentArea.SITE,
        ContentArea.MEMBERS,
        ContentArea.MEETINGS,
        ContentArea.ACTION_PLAN,
        ContentArea.KNOWLEDGE_HUB,
    )
    cache_reader_key = reader_key

    def get_context_data(self, **kwargs):
        # Read only when the shared part of the page is not in the cache already.
        return super().get_context_data(home=SimpleLazyObject(home_page), **kwargs)


class AttendanceReportView(SecretariatRequiredMixin, TemplateView):
    """Per organisation and year: meetings attended out of meetings invited; as a page or CSV."""

    template_name = "untfsse/attendance_report.html"

    def selected_year(self) -> int | None:
        value = self.request.GET.get("year", "")
        return int(value) if value.isdigit() and 1900 < int(value) < 2200 else None

    def get(self, request, *args, **kwargs):
        rows = attendance_report(self.selected_year())
        if kwargs.get("as_csv"):
            return csv_response(
                "untfsse-attendance.csv",
                ["organisation", "kind", "year", "meetings attended", "meetings invited"],
                (
                    [
                        row.organisation.acronym,
                        row.organisation.get_kind_display(),
                        row.year,
                        row.attended,
                        row.invited,
                    ]
                    for row in rows
                ),
            )
        return self.render_to_response(
            self.get_context_data(rows=rows, year=self.selected_year(), years=meeting_years())
        )


# Pages about the signed-in user are theirs alone: no browser or proxy cache keeps them (the
# page cache never stores a signed-in page, untfsse/core/cache.py).
@method_decorator(never_cache, name="dispatch")
class FocalPointPageView(SignedInMixin, TemplateView):
    """The signed-in user's own page: invitations to answer, their organisation's meetings and
    action items, and their e-mail preferences."""

    template_name = "untfsse/me.html"

    def get_context_data(self, **kwargs):
        standing = standing_of(self.request.user)
        return super().get_context_data(
            standing=standing,
            page=focal_point_page(self.request.user, standing),
            preferences_form=kwargs.pop("preferences_form", None)
            or (EmailPreferencesForm(instance=standing.person) if standing.person else None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        standing = standing_of(request.user)
        if standing.person is None:
            raise PermissionDenied(
                _("Only people linked to an organisation have e-mail preferences.")
            )
        form = EmailPreferencesForm(
            request.POST, instance=Person.objects.get(pk=standing.person.pk)
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(preferences_form=form), status=400)
        person_update_preferences(person=form.instance, **form.cleaned_data)
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("me")


class SecretariatDashboardView(SecretariatRequiredMixin, TemplateView):
    """What needs doing now, for the secretariat (linked from the admin index)."""

    template_name = "untfsse/secretariat_dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sections=secretariat_dashboard(viewer=self.request.user), **kwargs
        )


class ActivityView(SecretariatRequiredMixin, FilterView):
    """The audit trail, newest first: who changed what and when, filtered by area, object,
    person or action; as pages of 50 or, filtered the same way, as CSV. Times in the viewer's
    time zone."""

    filterset_class = AuditEntryFilter
    paginate_by = 50
    template_name = "untfsse/activity.html"

    def get_queryset(self):
        return audit_entries()

    def get(self, request, *args, **kwargs):
        self.viewer_zone = viewer_time_zone(standing_of(request.user))
        if not kwargs.get("as_csv"):
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        entries = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        return csv_response(
            "untfsse-activity.csv",
            [
                f"time ({self.viewer_zone})",
                "who",
                "action",
                "action name",
                "area",
                "object type",
                "object id",
                "object",
                "changes",
            ],
            (
                [
                    entry.at.astimezone(self.viewer_zone).isoformat(timespec="seconds"),
                    actor_name(entry),
                    entry.action,
                    action_label(entry.action),
                    entry.area,
                    f"{entry.content_type.app_label}.{entry.content_type.model}",
                    entry.object_id,
                    entry.object_repr,
                    change_text(entry),
                ]
                for entry in entries.iterator(chunk_size=2000)
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            viewer_zone=self.viewer_zone,
            is_filtered=any(params.values()),
            page_query=params.urlencode(),
        )
        return context


# Password confirmations of an account's deletion one account may try per hour.
ACCOUNT_DELETE_ATTEMPTS_PER_HOUR = 10


class PersonalDataExportView(SignedInMixin, View):
    """The signed-in user's data (members/personal_data.py) as a zip: personal-data.json and
    their files. Asked for by POST (the button on /me/), limited per hour, never cached."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not allow(
            action="personal-data-export",
            key=request.user.pk,
            limit=settings.PERSONAL_DATA_EXPORTS_PER_HOUR,
            period_seconds=3600,
        ):
            return too_many_requests(request)
        export = personal_data_export(user=request.user, by=request.user)
        response = FileResponse(
            personal_data_zip(export),
            as_attachment=True,
            filename=f"untfsse-personal-data-{timezone.now():%Y-%m-%d}.zip",
            content_type="application/zip",
        )
        add_never_cache_headers(response)
        return response


@method_decorator(never_cache, name="dispatch")
class AccountDeleteView(SignedInMixin, FormView):
    """What deleting the account removes and what the Task Force's record keeps; the deletion,
    confirmed by the account's password."""

    template_name = "untfsse/me_delete.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        standing = standing_of(self.request.user)
        return super().get_context_data(
            refusal=account_deletion_refusal(self.request.user),
            person=standing.person,
            keeps_name=person_keeps_name(standing.person),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not allow(
            action="account-delete",
            key=request.user.pk,
            limit=ACCOUNT_DELETE_ATTEMPTS_PER_HOUR,
            period_seconds=3600,
        ):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            account_delete(user=self.request.user, by=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        logout(self.request)
        messages.success(
            self.request,
            _(
                "Your account has been deleted. What the Task Force's record keeps no longer "
                "holds your contact details."
            ),
        )
        return redirect("home")
