"""The secretariat's admin for meetings. Every change of state calls meetings.services; the
forms only check input early so errors come back as form messages, never as a 500."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.forms import ReminderOffsetsField
from meetings.models import (
    AgendaItem,
    Attendance,
    DeliveryState,
    Document,
    Invitation,
    Meeting,
    Minutes,
    MinutesVersion,
    ReminderDelivery,
)
from meetings.reminders.schedule import deliveries_retry_failed, reminders_send_now
from meetings.selectors import ATTENDANCE_EXPORT_HEADER, attendance_rows, meeting_years
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
from members.models import OrganisationKind
from untfsse.core.cache import ContentVersionAdminMixin
from untfsse.core.exports import csv_response
from untfsse.core.widgets import PrivateFileInput


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


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["order", "title", "presenter", "presenter_organisation", "notes"]
    autocomplete_fields = ["presenter", "presenter_organisation"]
    extra = 0

    def get_queryset(self, request):
        # A person is shown with their organisation: fetch both with the rows.
        return (
            super()
            .get_queryset(request)
            .select_related("presenter__organisation", "presenter_organisation")
        )


class AttendanceInlineForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["person", "organisation", "capacity", "status"]

    def _get_validation_exclusions(self):
        # The capacity may be left empty: attendance_record fills it from the organisation.
        exclude = super()._get_validation_exclusions()
        exclude.add("capacity")
        return exclude


class AttendanceInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        meeting = self.instance
        changed = [
            form for form in self.forms if form.has_changed() and not self._should_delete_form(form)
        ]
        if not changed or meeting.pk is None:
            if changed:
                raise ValidationError(_("Save the meeting before recording attendance."))
            return
        if meeting.is_cancelled:
            raise ValidationError(_("This meeting was cancelled: no attendance can be recorded."))
        if not meeting.has_started():
            raise ValidationError(_("Attendance can be recorded once the meeting has started."))


class AttendanceInline(admin.TabularInline):
    model = Attendance
    form = AttendanceInlineForm
    formset = AttendanceInlineFormSet
    fields = ["person", "organisation", "capacity", "status"]
    autocomplete_fields = ["person", "organisation"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__organisation", "organisation")


class MinutesInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            minutes = form.instance
            if minutes.pk and minutes.is_frozen and "body" in form.changed_data:
                raise ValidationError(
                    _("These minutes are approved: their text can no longer change.")
                )
            approving = form.cleaned_data.get("approved_at_meeting") if form.is_valid() else None
            if (
                approving is not None
                and self.instance.pk
                and approving.start <= self.instance.start
            ):
                raise ValidationError(_("Minutes are approved at a later meeting."))


class MinutesInline(admin.StackedInline):
    model = Minutes
    formset = MinutesInlineFormSet
    fk_name = "meeting"
    fields = [
        "status",
        "body",
        "approved_at_meeting",
        "circulated_at",
        "approved_at",
        "published_at",
    ]
    readonly_fields = ["status", "circulated_at", "approved_at", "published_at"]
    autocomplete_fields = ["approved_at_meeting"]
    extra = 0
    max_num = 1
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        minutes = getattr(obj, "minutes", None) if obj is not None else None
        if minutes is not None and minutes.is_frozen:
            fields += ["body", "approved_at_meeting"]
        return fields


# Links are https only; a link typed without a scheme is taken as https.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class DocumentInline(admin.TabularInline):
    model = Document
    formfield_overrides = {
        **HTTPS_URL_FIELDS,
        models.FileField: {"widget": PrivateFileInput(download_url=Document.get_absolute_url)},
    }
    fields = ["order", "title", "file", "link", "visibility"]
    extra = 0


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["person", "response", "responded_at", "invited_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__organisation", "invited_by")

    def has_add_permission(self, request, obj=None):
        return False


class ReminderDeliveryInline(admin.TabularInline):
    """The reminders and notices of this meeting, and what became of each (read only)."""

    model = ReminderDelivery
    fields = [
        "person", "kind", "offset_hours", "scheduled_start", "state", "attempts", "sent_at",
        "last_error",
    ]  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    classes = ["collapse"]
    verbose_name_plural = _("reminders and notices sent")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__organisation")


def https_formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class MeetingAdminForm(forms.ModelForm):
    reminder_offsets = ReminderOffsetsField(
        label=_("Reminders (hours before the start)"),
        required=False,
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
            "summary", "summary_published_on", "attendance_complete", "reminder_offsets",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        meeting = self.instance
        if meeting.pk and meeting.is_cancelled and set(TIMING_FIELDS) & set(self.changed_data):
            raise ValidationError(_("A cancelled meeting cannot be rescheduled."))
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(ContentVersionAdminMixin, admin.ModelAdmin):
    cache_areas = ("meetings",)
    form = MeetingAdminForm
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["title", "kind", "start", "status", "mode", "sequence", "page_link"]
    list_filter = ["kind", YearListFilter, "status", "mode"]
    search_fields = ["title", "slug", "summary"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]
    readonly_fields = ["status", "sequence", "cancelled_at"]
    fieldsets = [
        (None, {"fields": ["kind", "number", "title", "slug", "status", "sequence"]}),
        (
            _("When"),
            {
                "fields": ["start", "end", "time_zone", "schedule_precision"],
                "description": _(
                    "Times are entered in UTC. For a meeting whose hours are unknown choose "
                    "“Dates only” and enter 00:00 of the first day to 00:00 of the day after the "
                    "last, in the meeting's time zone."
                ),
            },
        ),
        (
            _("Where"),
            {"fields": ["mode", "venue", "city", "country", "join_url", "organiser"]},
        ),
        (
            _("Report"),
            {"fields": ["summary", "summary_published_on", "attendance_complete"]},
        ),
        (_("Reminders"), {"fields": ["reminder_offsets"]}),
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
            lambda done: _("%(count)d new invitations.") % {"count": total},
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
            lambda done: _("%(count)d meetings marked as held.") % {"count": done},
        )

    @admin.action(description=_("Cancel the selected meetings"), permissions=["change"])
    def cancel_meetings(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda meeting: meeting_cancel(meeting=meeting, by=request.user),
            lambda done: _("%(count)d meetings cancelled.") % {"count": done},
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
            lambda done: _("Minutes of %(count)d meetings circulated.") % {"count": done},
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
            lambda done: _("Minutes of %(count)d meetings approved.") % {"count": done},
        )

    @admin.action(description=_("Make the approved minutes public"), permissions=["change"])
    def publish_minutes(self, request, queryset):
        self._minutes_action(
            request,
            queryset,
            minutes_publish,
            lambda done: _("Minutes of %(count)d meetings made public.") % {"count": done},
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
        _retried_message(request, retried)


def _retried_message(request, retried: int) -> None:
    messages.success(
        request,
        ngettext(
            "%(count)d failed delivery queued again.",
            "%(count)d failed deliveries queued again.",
            retried,
        )
        % {"count": retried},
    )


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    """Every reminder and notice, and what became of it. Read only: the poller and the workers
    write these rows; the secretariat can retry the failed ones."""

    list_display = [
        "person", "meeting", "kind", "offset_hours", "scheduled_start", "state", "attempts",
        "sent_at", "last_error",
    ]  # fmt: skip
    list_filter = ["state", "kind"]
    search_fields = ["person__name", "person__email", "meeting__title"]
    list_select_related = ["person__organisation", "meeting"]
    date_hierarchy = "due_at"
    readonly_fields = [
        "meeting", "person", "kind", "offset_hours", "scheduled_start", "due_at", "state",
        "attempts", "last_error", "next_attempt_at", "sent_at", "message_id", "created_at",
        "updated_at",
    ]  # fmt: skip
    fields = readonly_fields
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list and its actions (for those Django lets change these rows), never an edit.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the failed deliveries"), permissions=["change"])
    def retry_failed(self, request, queryset):
        retried = deliveries_retry_failed(
            deliveries=queryset.filter(state=DeliveryState.FAILED), by=request.user
        )
        _retried_message(request, retried)


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["meeting", "person"]

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        if meeting is not None and (meeting.is_cancelled or meeting.is_over()):
            raise ValidationError(_("This meeting is cancelled or over: no one can be invited."))
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invite one person at a time (invitations_create); answers come from the invitees."""

    form = InvitationAdminForm
    list_display = ["person", "meeting", "response", "responded_at"]
    list_filter = ["response", "meeting__kind"]
    search_fields = ["person__name", "meeting__title"]
    autocomplete_fields = ["meeting", "person"]
    list_select_related = ["person", "meeting"]
    fields = ["meeting", "person", "response", "responded_at", "invited_by"]
    readonly_fields = ["response", "responded_at", "invited_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = invitations_create(meeting=obj.meeting, persons=[obj.person], by=request.user)
        if created:
            obj.pk = created[0].pk


@admin.register(MinutesVersion)
class MinutesVersionAdmin(admin.ModelAdmin):
    """Earlier texts of minutes: read only."""

    list_display = ["minutes", "status", "saved_at", "saved_by"]
    list_select_related = ["minutes__meeting", "saved_by"]
    readonly_fields = ["minutes", "body", "status", "saved_at", "saved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
