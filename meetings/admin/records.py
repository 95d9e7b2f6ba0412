"""Invitations made one person at a time, and the minutes' earlier texts (read only)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings.admin.invite import email_state_text, invitation_states
from meetings.models import (
    Invitation,
    MinutesVersion,
)
from meetings.services import (
    invitations_create,
)


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
    list_display = ["person", "meeting", "invitation_email", "response", "responded_at"]
    list_filter = ["response", "meeting__kind"]
    search_fields = ["person__name", "meeting__title"]
    autocomplete_fields = ["meeting", "person"]
    list_select_related = ["person", "meeting"]
    fields = ["meeting", "person", "response", "responded_at", "invited_by"]
    readonly_fields = ["response", "responded_at", "invited_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def get_queryset(self, request):
        return invitation_states(super().get_queryset(request))

    @admin.display(description=_("invitation e-mail"))
    def invitation_email(self, invitation):
        return email_state_text(invitation)

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
