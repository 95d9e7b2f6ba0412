"""Meeting pages: thin views over meetings.selectors and meetings.services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView
from django_filters.views import FilterView

from meetings.calendar import meeting_to_ical, meetings_to_ical
from meetings.filters import MeetingFilter
from meetings.forms import RsvpForm
from meetings.invitation_links import (
    InvitationLinkRefused,
    answer_paths,
    check_answer_link,
    read_answer_token,
)
from meetings.models import Document, Meeting, SchedulePrecision
from meetings.reminders.unsubscribe import person_for_unsubscribe_token
from meetings.selectors import (
    document_for_download,
    invitation_for_answer_link,
    invitation_for_page,
    invitation_of,
    meeting_for_header,
    meeting_listing,
    meeting_page_shared,
    meetings_for_calendar,
    meetings_for_list,
    viewer_time_zone,
)
from meetings.services import invitation_answer_by_link, invitation_respond
from members.permissions import AffiliatedRequiredMixin
from members.services import person_set_reminders
from members.standing import reader_key, standing_of
from untfsse.core.cache import (
    ContentArea,
    PublicPageCacheMixin,
    lazy_parts,
    render_part,
    serve_shared_answer,
)
from untfsse.core.ratelimit import allow, too_many_requests
from untfsse.core.views import InvalidFiltersAnswer400Mixin


class MeetingListView(InvalidFiltersAnswer400Mixin, PublicPageCacheMixin, FilterView):
    """Upcoming meetings, then past ones by year; each row's times in the reader's zone too."""

    cache_areas = (ContentArea.MEETINGS, ContentArea.MEMBERS)
    cache_query_params = ("page", *MeetingFilter.base_filters)
    cache_reader_key = reader_key
    filterset_class = MeetingFilter
    paginate_by = 100
    template_name = "meetings/meeting_list.html"

    def get_queryset(self):
        self.now = timezone.now()  # one instant for the order and the split into sections
        return meetings_for_list(self.now)

    @cached_property
    def viewer_zone(self):
        return viewer_time_zone(standing_of(self.request.user))

    def shared_fragment_vary(self) -> tuple:
        return (self.viewer_zone,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["viewer_zone"] = self.viewer_zone
        # Read only when the shared part of the page is not in the cache already.
        context["listing"] = SimpleLazyObject(
            lambda: meeting_listing(context["object_list"], self.now)
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        context["is_filtered"] = any(params.values())
        context["page_query"] = params.urlencode()
        return context


class MeetingDetailView(PublicPageCacheMixin, DetailView):
    """A meeting's page. Its heading and the reader's own part (join link, their invitation
    and RSVP form) are made for each request from one row; the rest (agenda, participants,
    documents, minutes), the same for every reader of one standing, is kept per content
    version and audience (`shared_fragment`) and read only when the cache lacks it."""

    cache_areas = (ContentArea.MEETINGS, ContentArea.MEMBERS)
    cache_reader_key = reader_key
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        self.standing = standing_of(self.request.user)
        try:
            return meeting_for_header(self.kwargs["slug"])
        except Meeting.DoesNotExist as error:
            raise Http404(_("No meeting at this address.")) from error

    def shared_fragment_vary(self) -> tuple:
        return (self.standing.audience,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, standing = self.object, self.standing
        # A copy kept for signed-in readers has a mark instead (reader_parts fills it).
        mine = standing.sees_members_only_content and not getattr(
            self.request, "renders_shared_page", False
        )
        invitation = invitation_of(meeting, standing) if mine else None
        context.update(lazy_parts(lambda: meeting_page_shared(meeting, standing), SHARED_PARTS))
        context.update(
            standing=standing,
            viewer_zone=viewer_time_zone(standing),
            sees_members_only=standing.sees_members_only_content,
            invitation=invitation,
            has_calendar=meeting.schedule_precision != SchedulePrecision.MONTH,
            **_rsvp_context(meeting, invitation),
        )
        return context

    def reader_parts(self, request) -> dict[str, str]:
        """The reader's invitation and answer form (one query), or that they are not invited,
        for the copy of the page kept for readers of their standing."""
        standing = standing_of(request.user)
        if not standing.sees_members_only_content:
            return {}  # their copy has no members' section
        invitation = invitation_for_page(self.kwargs["slug"], standing)
        if invitation is None:
            return {
                "rsvp": "",
                "not-invited": render_part(request, "meetings/_not_invited.html", {}),
            }
        meeting = invitation.meeting
        context = {
            "meeting": meeting,
            "invitation": invitation,
            **_rsvp_context(meeting, invitation),
        }
        return {"rsvp": render_part(request, "meetings/_rsvp.html", context), "not-invited": ""}


def _rsvp_context(meeting: Meeting, invitation) -> dict:
    return {
        "can_answer": invitation is not None
        and not meeting.is_cancelled
        and not meeting.has_started(),
        "rsvp_form": RsvpForm(
            initial={"response": invitation.response} if invitation is not None else None
        ),
    }


# What meeting_page_shared gives the template (read only when the cache lacks the shared part).
SHARED_PARTS = (
    "agenda", "summary", "documents", "minutes", "previous_meeting", "next_meeting",
)  # fmt: skip


class RsvpView(AffiliatedRequiredMixin, View):
    """The invited person's answer, from the meeting page's form."""

    http_method_names = ["post"]

    def post(self, request, slug):
        limit = settings.RSVP_RATE_LIMIT_PER_HOUR
        if not allow(action="rsvp", key=request.user.pk, limit=limit, period_seconds=3600):
            return too_many_requests(request)
        meeting = Meeting.objects.filter(slug=slug).first()
        if meeting is None:
            raise Http404(_("No meeting at this address."))
        invitation = invitation_of(meeting, standing_of(request.user))
        if invitation is None:
            raise PermissionDenied(_("You are not invited to this meeting."))
        form = RsvpForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the answers."))
            return HttpResponseRedirect(self.return_url(request, meeting))
        try:
            invitation_respond(
                invitation=invitation, response=form.cleaned_data["response"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
        return HttpResponseRedirect(self.return_url(request, meeting))

    @staticmethod
    def return_url(request, meeting: Meeting) -> str:
        """Back to the page the form was on (the meeting's or the user's own page), never to
        another site."""
        target = request.POST.get("next", "")
        # Only a path on this site: redirect() would take anything else for a view name.
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return f"{meeting.get_absolute_url()}#rsvp"


class DocumentDownloadView(View):
    """A meeting document, for those who may see it; 404 for everyone else, so a guessed
    address reveals nothing. Files are sent as attachments, never rendered by the browser."""

    http_method_names = ["get", "head"]

    def get(self, request, slug, pk):
        try:
            document = document_for_download(slug=slug, pk=pk, standing=standing_of(request.user))
        except Document.DoesNotExist as error:
            raise Http404(_("No document at this address.")) from error
        if document.link:
            return HttpResponseRedirect(document.link)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404(_("This document's file is missing.")) from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.file.name.rsplit("/", 1)[-1],
            content_type=document.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store" if not document.is_public else "public"
        return response


def _calendar_response(content: bytes, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = disposition
    return response


class MeetingCalendarView(View):
    """One meeting as .ics: the same for everyone (never the join link), so kept per content
    version for every reader, with ETag and Last-Modified (304 to conditional requests)."""

    http_method_names = ["get", "head"]

    def get(self, request, slug):
        return serve_shared_answer(request, (ContentArea.MEETINGS,), lambda: self.answer(slug))

    @staticmethod
    def answer(slug: str) -> HttpResponse:
        meeting = meetings_for_calendar(window=False).filter(slug=slug).first()
        if meeting is None:
            raise Http404(_("No meeting at this address."))
        if meeting.schedule_precision == SchedulePrecision.MONTH:
            raise Http404(_("Only the month of this meeting is known: it has no calendar entry."))
        return _calendar_response(
            meeting_to_ical(meeting), f'attachment; filename="{meeting.slug}.ics"'
        )


class CalendarFeedView(View):
    """Upcoming meetings and those of the past year, for calendar subscriptions: kept like a
    meeting's .ics (calendar programs poll it, with conditional requests)."""

    http_method_names = ["get", "head"]

    def get(self, request):
        return serve_shared_answer(request, (ContentArea.MEETINGS,), self.answer)

    @staticmethod
    def answer() -> HttpResponse:
        content = meetings_to_ical(meetings_for_calendar(), name=_("UNTFSSE meetings"))
        return _calendar_response(content, 'inline; filename="untfsse-meetings.ics"')


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class ReminderUnsubscribeView(View):
    """The link in every reminder e-mail: no sign-in, the signed token names the person.

    GET asks for confirmation (so a link checker opening it changes nothing); POST turns the
    person's reminders off. The POST is exempt from CSRF because mail programs send it
    themselves for one-click unsubscribe (RFC 8058, List-Unsubscribe-Post); it can do nothing
    but switch off the e-mails of the person the signed token names.
    """

    template_name = "meetings/reminders_unsubscribe.html"
    http_method_names = ["get", "post"]

    def _person_or_error(self, request, token):
        person = person_for_unsubscribe_token(token)
        if person is None:
            return None, render(request, self.template_name, {"invalid": True}, status=400)
        return person, None

    def get(self, request, token):
        person, error = self._person_or_error(request, token)
        if error:
            return error
        return render(request, self.template_name, {"person": person, "done": False})

    def post(self, request, token):
        person, error = self._person_or_error(request, token)
        if error:
            return error
        person_set_reminders(person=person, receive=False)
        return render(request, self.template_name, {"person": person, "done": True})


@method_decorator(never_cache, name="dispatch")
class InvitationAnswerView(View):
    """The Accept / Tentative / Decline links of an invitation e-mail: no sign-in, the signed
    token names the invitation and the answer (meetings.invitation_links).

    GET asks for confirmation (so a link checker or a mail program's preview changes nothing);
    POST records the answer. A link that cannot answer (damaged, another invitation's, used,
    expired) gets a page saying why, with a 4xx status, and changes nothing.
    """

    template_name = "meetings/invitation_answer.html"
    http_method_names = ["get", "post"]

    def refused(self, request, refusal: InvitationLinkRefused):
        return render(
            request, self.template_name, {"refusal": refusal.message}, status=refusal.status
        )

    def get(self, request, pk, token):
        try:
            version, response = read_answer_token(token, invitation_id=pk)
            invitation = invitation_for_answer_link(pk)
            check_answer_link(invitation, version=version, now=timezone.now())
        except InvitationLinkRefused as refusal:
            return self.refused(request, refusal)
        return render(
            request,
            self.template_name,
            {"invitation": invitation, "meeting": invitation.meeting, "response": response},
        )

    def post(self, request, pk, token):
        try:
            invitation, response = invitation_answer_by_link(invitation_id=pk, token=token)
        except InvitationLinkRefused as refusal:
            return self.refused(request, refusal)
        other_answers = {
            answer: path for answer, path in answer_paths(invitation).items() if answer != response
        }
        return render(
            request,
            self.template_name,
            {
                "invitation": invitation,
                "meeting": invitation.meeting,
                "response": response,
                "done": True,
                "other_answers": other_answers,
            },
        )
