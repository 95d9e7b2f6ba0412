"""The parts of a meeting shown on its admin page: agenda, attendance, invitations, minutes, documents, reminders."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from meetings.admin.invite import email_state_text, invitation_states
from meetings.models import (
    AgendaItem,
    Attendance,
    Document,
    Invitation,
    Minutes,
    ReminderDelivery,
)
from untfsse.core.outbox.admin import DeliveryInline
from untfsse.core.widgets import PrivateFileInput


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["order", "title", "presenter", "presenter_organisation", "notes", "linked_records"]
    readonly_fields = ["linked_records"]
    autocomplete_fields = ["presenter", "presenter_organisation"]
    extra = 0

    @admin.display(description=_("action items discussed"))
    def linked_records(self, item):
        # The link to action items belongs to the action plan, whose admin registers the agenda
        # item's own page (with the autocomplete); without it there is nothing to link to.
        if item.pk is None:
            return "—"
        try:
            url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">{}</a>', url, _("Choose"))

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
    """Each invitation: whether its e-mail went (or failed, or waits), and the answer."""

    model = Invitation
    fields = ["person", "invitation_email", "response", "responded_at", "invited_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return invitation_states(
            super().get_queryset(request).select_related("person__organisation", "invited_by")
        )

    @admin.display(description=_("invitation e-mail"))
    def invitation_email(self, invitation):
        return email_state_text(invitation)

    def has_add_permission(self, request, obj=None):
        return False


class ReminderDeliveryInline(DeliveryInline):
    """The reminders and notices of this meeting, and what became of each (read only)."""

    model = ReminderDelivery
    fields = [
        "person", "kind", "offset_hours", "scheduled_start", "state", "attempts", "sent_at",
        "last_error",
    ]  # fmt: skip
    verbose_name_plural = _("invitations, reminders and notices e-mailed")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__organisation")
