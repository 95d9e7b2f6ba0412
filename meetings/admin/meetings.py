"""The meetings' admin: the secretariat's page for a meeting, its form, its actions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.admin.inlines import (
    HTTPS_URL_FIELDS,
    AgendaItemInline,
    AttendanceInline,
    DocumentInline,
    InvitationInline,
    MinutesInline,
    ReminderDeliveryInline,
)
from meetings.admin.invite import MeetingInviteAdminMixin
from meetings.admin.local_times import MeetingLocalTimesForm
from meetings.admin.steps import MeetingStepsMixin
from meetings.forms import ReminderOffsetsField
from meetings.models import (
    Attendance,
    Document,
    Meeting,
    Minutes,
    ReminderDelivery,
    default_reminder_offsets,
)
from meetings.reminders.schedule import deliveries_retry_failed, reminders_send_now
from meetings.selectors import (
    ATTENDANCE_EXPORT_HEADER,
    attendance_rows,
    meeting_years,
    viewer_time_zone,
)
from meetings.services import (
    TIMING_FIELDS,
    attendance_from_invitations,
    attendance_record,
    document_add,
    document_remove,
    invitations_create,
    meeting_cancel,
    meeting_mark_held,
    meeting_schedule,
    meeting_update,
    minutes_approve,
    minutes_circulate,
    minutes_publish,
    minutes_save_draft,
)
from meetings.timing import local_when
from members.models import OrganisationKind
from members.standing import standing_of
from untfsse.core.exports import csv_response
from untfsse.core.outbox.admin import retried_message


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in meeting_years()]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(start__year=int(value))
        return queryset


def https_formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class MeetingAdminForm(MeetingLocalTimesForm):
    reminder_offsets = ReminderOffsetsField(
        label=_("Reminders (hours before the start)"),
        required=False,
        # A declared field does not take the model's default: a new meeting gets the
        # configured reminders unless the secretariat clears them.
        initial=default_reminder_offsets,
        help_text=_(
            "Invitees get an e-mail this many hours before the start, separated by commas: "
            "168, 24 is 7 days and 1 day. At most five; leave empty for no reminders."
        ),
    )

    class Meta:
        model = Meeting
        formfield_callback = https_formfield
        fields = [
            "kind", "number", "title", "slug", "start", "end", "time_zone",
            "schedule_precision", "mode", "venue", "city", "country", "join_url", "organiser",
            "summary", "summary_published_on", "attendance_complete", "reported_participants",
            "reminder_offsets",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        meeting = self.instance
        if meeting.pk and meeting.is_cancelled and set(TIMING_FIELDS) & set(self.changed_data):
            raise ValidationError(_("A cancelled meeting cannot be rescheduled."))
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(MeetingStepsMixin, MeetingInviteAdminMixin, admin.ModelAdmin):
    form = MeetingAdminForm
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["title", "kind", "when", "status", "mode", "sequence", "page_link"]
    list_filter = ["kind", YearListFilter, "status", "mode"]
    search_fields = ["title", "slug", "summary"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]
    readonly_fields = ["status", "sequence", "cancelled_at", "invitations_overview"]
    fieldsets = [
        (None, {"fields": ["kind", "number", "title", "slug", "status", "sequence"]}),
        (
            _("When"),
            {
                "fields": ["time_zone", "start", "end", "schedule_precision"],
                "description": _(
                    "Start and end are typed in the meeting's own time zone, as its clocks "
                    "show them (14:00 in Geneva is 14:00 with Europe/Zurich). For a meeting "
                    "whose hours are unknown choose “Dates only” and enter 00:00 of the first "
                    "day to 00:00 of the day after the last; for “Month only”, the 1st of the "
                    "month to the 1st of the next, 00:00."
                ),
            },
        ),
        (
            _("Where"),
            {"fields": ["mode", "venue", "city", "country", "join_url", "organiser"]},
        ),
        (
            _("Report"),
            {
                "fields": [
                    "summary",
                    "summary_published_on",
                    "attendance_complete",
                    "reported_participants",
                ]
            },
        ),
        (_("Reminders"), {"fields": ["reminder_offsets"]}),
        (_("Invitations"), {"fields": ["invitations_overview"]}),
    ]
    inlines = [
        AgendaItemInline,
        AttendanceInline,
        InvitationInline,
        MinutesInline,
        DocumentInline,
        ReminderDeliveryInline,
    ]
    actions = [
        "invite_member_focal_points",
        "invite_observer_focal_points",
        "record_attendance_from_invitations",
        "mark_held",
        "cancel_meetings",
        "circulate_minutes",
        "approve_minutes",
        "publish_minutes",
        "export_attendance",
        "send_due_reminders_now",
        "retry_failed_reminders",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The times beside the start and end fields are also shown in the editor's own zone.
        form.editor_zone = viewer_time_zone(standing_of(request.user))
        return form

    @admin.display(description=_("start"), ordering="start")
    def when(self, meeting):
        # In the meeting's own time zone, as it is typed on its page (not in UTC).
        return local_when(meeting)

    @admin.display(description=_("public page"))
    def page_link(self, meeting):
        return format_html('<a href="{}">{}</a>', meeting.get_absolute_url(), meeting.slug)

    # --- saving through the services ------------------------------------------------------
    def save_model(self, request, obj, form, change):
        if change:
            meeting_update(meeting=obj, by=request.user)
        else:
            meeting_schedule(meeting=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        meeting = form.instance
        # The admin's change message reads these lists, which formset.save() would have filled.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Attendance:
            self._save_attendance(request, meeting, formset)
        elif formset.model is Minutes:
            self._save_minutes(request, meeting, formset)
        elif formset.model is Document:
            self._save_documents(request, meeting, formset)
        else:
            formset.save()

    def _save_attendance(self, request, meeting, formset):
        for form in formset.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        for form in formset.forms:
            if formset._should_delete_form(form) or not form.has_changed():
                continue
            data = form.cleaned_data
            if form.instance.pk and "person" in form.changed_data:
                Attendance.objects.filter(pk=form.instance.pk).delete()
            attendance_record(
                meeting=meeting,
                person=data.get("person"),
                organisation=data.get("organisation"),
                capacity=data.get("capacity") or "",
                status=data.get("status"),
                by=request.user,
            )

    def _save_minutes(self, request, meeting, formset):
        for form in formset.forms:
            if not form.has_changed():
                continue
            data = form.cleaned_data
            minutes_save_draft(
                meeting=meeting,
                body=data.get("body", form.instance.body),
                approved_at_meeting=data.get("approved_at_meeting"),
                by=request.user,
            )

    def _save_documents(self, request, meeting, formset):
        for form in formset.deleted_forms:
            if form.instance.pk:
                document_remove(document=form.instance, by=request.user)
        for form in formset.forms:
            if formset._should_delete_form(form) or not form.has_changed():
                continue
            data = form.cleaned_data
            if form.instance.pk is None:
                document_add(
                    meeting=meeting,
                    title=data["title"],
                    upload=data.get("file") or None,
                    link=data.get("link", ""),
                    visibility=data["visibility"],
                    order=data.get("order") or 1,
                    by=request.user,
                )
            elif "file" in form.changed_data or "link" in form.changed_data:
                # A new file or link is a new document (checked and stored by the service).
                document_remove(document=Document.objects.get(pk=form.instance.pk), by=request.user)
                document_add(
                    meeting=meeting,
                    title=data["title"],
                    upload=data.get("file") or None,
                    link=data.get("link", ""),
                    visibility=data["visibility"],
                    order=data.get("order") or 1,
                    by=request.user,
                )
            else:
                # Title, order and visibility are plain edits of the record.
                form.instance.save(update_fields=["title", "order", "visibility", "updated_at"])

    # --- actions ----------------------------------------------------------------------------
    def _run(self, request, queryset, service, done_message):
        done = 0
        for meeting in queryset:
            try:
                service(meeting)
            except (ValidationError, PermissionDenied) as error:
                messages.error(
                    request, f"{meeting}: {' '.join(getattr(error, 'messages', [str(error)]))}"
                )
            else:
                done += 1
        if done:
            messages.success(request, done_message(done))

    def _invite(self, request, queryset, kind):
        total = 0

        def invite(meeting):
            nonlocal total
            total += len(
                invitations_create(meeting=meeting, organisation_kinds=[kind], by=request.user)
            )

        self._run(
            request,
            queryset,
            invite,
            lambda done: (
                ngettext("%(count)d new invitation.", "%(count)d new invitations.", total)
                % {"count": total}
            ),
        )

    @admin.action(description=_("Invite all focal points of members"), permissions=["change"])
    def invite_member_focal_points(self, request, queryset):
        self._invite(request, queryset, OrganisationKind.MEMBER)

    @admin.action(description=_("Invite all focal points of observers"), permissions=["change"])
    def invite_observer_focal_points(self, request, queryset):
        self._invite(request, queryset, OrganisationKind.OBSERVER)

    @admin.action(
        description=_("Record attendance from accepted invitations"), permissions=["change"]
    )
    def record_attendance_from_invitations(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda meeting: attendance_from_invitations(meeting=meeting, by=request.user),
            lambda done: (
                ngettext(
                    "Attendance recorded for %(count)d meeting.",
                    "Attendance recorded for %(count)d meetings.",
                    done,
                )
                % {"count": done}
            ),
        )

    @admin.action(description=_("Mark as held"), permissions=["change"])
    def mark_held(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda meeting: meeting_mark_held(meeting=meeting, by=request.user),
            lambda done: (
                ngettext(
                    "%(count)d meeting marked as held.", "%(count)d meetings marked as held.", done
                )
                % {"count": done}
            ),
        )

    @admin.action(description=_("Cancel the selected meetings"), permissions=["change"])
    def cancel_meetings(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda meeting: meeting_cancel(meeting=meeting, by=request.user),
            lambda done: (
                ngettext("%(count)d meeting cancelled.", "%(count)d meetings cancelled.", done)
                % {"count": done}
            ),
        )

    def _minutes_action(self, request, queryset, service, done_message):
        def act(meeting):
            minutes = Minutes.objects.filter(meeting=meeting).first()
            if minutes is None:
                raise ValidationError(_("This meeting has no minutes yet."))
            service(minutes=minutes, by=request.user)

        self._run(request, queryset, act, done_message)

    @admin.action(
        description=_("Circulate the minutes to members and observers"), permissions=["change"]
    )
    def circulate_minutes(self, request, queryset):
        self._minutes_action(
            request,
            queryset,
            minutes_circulate,
            lambda done: (
                ngettext(
                    "Minutes of %(count)d meeting circulated.",
                    "Minutes of %(count)d meetings circulated.",
                    done,
                )
                % {"count": done}
            ),
        )

    @admin.action(
        description=_("Approve the minutes (at the meeting chosen in the minutes)"),
        permissions=["change"],
    )
    def approve_minutes(self, request, queryset):
        self._minutes_action(
            request,
            queryset,
            minutes_approve,
            lambda done: (
                ngettext(
                    "Minutes of %(count)d meeting approved.",
                    "Minutes of %(count)d meetings approved.",
                    done,
                )
                % {"count": done}
            ),
        )

    @admin.action(description=_("Make the approved minutes public"), permissions=["change"])
    def publish_minutes(self, request, queryset):
        self._minutes_action(
            request,
            queryset,
            minutes_publish,
            lambda done: (
                ngettext(
                    "Minutes of %(count)d meeting made public.",
                    "Minutes of %(count)d meetings made public.",
                    done,
                )
                % {"count": done}
            ),
        )

    @admin.action(description=_("Export attendance (CSV)"), permissions=["view"])
    def export_attendance(self, request, queryset):
        # Participants' names and organisations: the selector refuses anyone but the
        # secretariat, whatever model permissions say.
        rows = attendance_rows(queryset, by=request.user)
        stamp = timezone.now().strftime("%Y%m%d")
        return csv_response(f"untfsse-attendance-{stamp}.csv", ATTENDANCE_EXPORT_HEADER, rows)

    @admin.action(description=_("Send due reminders now"), permissions=["change"])
    def send_due_reminders_now(self, request, queryset):
        queued = reminders_send_now(meetings=queryset, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d reminder queued (nothing early, nobody twice).",
                "%(count)d reminders queued (nothing early, nobody twice).",
                queued,
            )
            % {"count": queued},
        )

    @admin.action(description=_("Retry failed reminders"), permissions=["change"])
    def retry_failed_reminders(self, request, queryset):
        retried = deliveries_retry_failed(
            deliveries=ReminderDelivery.objects.filter(meeting__in=queryset), by=request.user
        )
        messages.success(request, retried_message(retried))
