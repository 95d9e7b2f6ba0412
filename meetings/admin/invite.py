"""Inviting people from a meeting's admin page, and each invitation's state there.

The page "Invite people" (a button on the meeting's page) invites the current focal points of
chosen organisations, of every member, observer or partner, or named people (a person with an
e-mail address is enough), through `invitations_create`: each new invitee gets one invitation
e-mail from the outbox, inviting again changes nothing. The meeting's page then shows, for
each invitation, whether its e-mail went (or failed, or waits) and the answer, with its time.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    DeliveryState,
    Invitation,
    InvitationResponse,
    ReminderDelivery,
    ReminderKind,
)
from meetings.services import invitations_create
from members.models import Organisation, OrganisationKind, Person
from untfsse.core.widgets import AutocompleteSelectMultiple


class InviteForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("All current focal points of"),
        choices=[
            (OrganisationKind.MEMBER, _("members")),
            (OrganisationKind.OBSERVER, _("observers")),
            (OrganisationKind.PARTNER, _("partners")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("The current focal points of these organisations"),
        queryset=Organisation.objects.current().order_by("acronym"),
        required=False,
    )
    persons = forms.ModelMultipleChoiceField(
        label=_("These people"),
        queryset=Person.objects.select_related("organisation"),
        required=False,
        help_text=_("Anyone with an e-mail address: an account on the portal is not needed."),
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's own widgets (a filtered list, a search box): they need the admin site.
        widgets = {
            "organisations": FilteredSelectMultiple(_("organisations"), is_stacked=False),
            "persons": AutocompleteSelectMultiple(Invitation._meta.get_field("person"), admin_site),
        }
        for name, widget in widgets.items():
            widget.choices = self.fields[name].choices
            self.fields[name].widget = widget

    def clean_persons(self):
        persons = self.cleaned_data["persons"]
        without = [person.name for person in persons if not person.email]
        if without:
            raise ValidationError(
                gettext("No e-mail address is recorded for: %(names)s. Add one, then invite.")
                % {"names": ", ".join(without)}
            )
        return persons

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("kinds") or cleaned.get("organisations") or cleaned.get("persons")
        if not chosen and not self.errors:
            raise ValidationError(gettext("Choose whom to invite."))
        return cleaned


def invitation_states(queryset):
    """Invitations with what became of their e-mail (state, sent at, error), in one query."""
    email = ReminderDelivery.objects.filter(
        meeting_id=OuterRef("meeting_id"),
        person_id=OuterRef("person_id"),
        kind=ReminderKind.INVITATION,
    ).order_by("-pk")
    return queryset.annotate(
        email_state=Subquery(email.values("state")[:1]),
        email_sent_at=Subquery(email.values("sent_at")[:1]),
        email_error=Subquery(email.values("last_error")[:1]),
    )


def email_state_text(invitation) -> str:
    state = getattr(invitation, "email_state", None)
    if state == DeliveryState.SENT:
        return gettext("E-mailed %(when)s") % {
            "when": date_format(invitation.email_sent_at, "DATETIME_FORMAT")
        }
    if state == DeliveryState.FAILED:
        return gettext("E-mail failed: %(error)s") % {"error": invitation.email_error}
    if state == DeliveryState.SKIPPED:
        return gettext("Not e-mailed: %(reason)s") % {"reason": invitation.email_error}
    if state == DeliveryState.PENDING:
        return gettext("E-mail waiting to be sent")
    return gettext("No invitation e-mail")


class MeetingInviteAdminMixin:
    """For MeetingAdmin: the "Invite people" page and the invitations' overview field."""

    invite_template = "admin/meetings/meeting/invite.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="meetings_meeting_invite",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("invitations"))
    def invitations_overview(self, meeting):
        if meeting is None or meeting.pk is None:
            return gettext("Save the meeting first, then invite people.")
        counts = Invitation.objects.filter(meeting=meeting).aggregate(
            invited=Count("pk"),
            accepted=Count("pk", filter=Q(response=InvitationResponse.ACCEPTED)),
            tentative=Count("pk", filter=Q(response=InvitationResponse.TENTATIVE)),
            declined=Count("pk", filter=Q(response=InvitationResponse.DECLINED)),
        )
        emails = dict(
            ReminderDelivery.objects.filter(meeting=meeting, kind=ReminderKind.INVITATION)
            .order_by()
            .values_list("state")
            .annotate(count=Count("pk"))
            .values_list("state", "count")
        )
        lines = [
            gettext(
                "%(invited)d invited: %(accepted)d accepted, %(tentative)d tentative, "
                "%(declined)d declined."
            )
            % counts,
            gettext(
                "Invitation e-mails: %(sent)d sent, %(pending)d waiting, %(failed)d failed, "
                "%(skipped)d not sent."
            )
            % {state: emails.get(state, 0) for state in DeliveryState.values},
        ]
        url = reverse(f"{self.admin_site.name}:meetings_meeting_invite", args=[meeting.pk])
        return format_html(
            '{}<p><a class="button" href="{}">{}</a></p>',
            format_html_join("", "<p>{}</p>", ((line,) for line in lines)),
            url,
            gettext("Invite people…"),
        )

    def invite_view(self, request, object_id):
        meeting = self.get_object(request, object_id)
        if meeting is None:
            raise Http404(gettext("No meeting with this number."))
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        form = InviteForm(
            request.POST if request.method == "POST" else None, admin_site=self.admin_site
        )
        if request.method == "POST" and form.is_valid():
            try:
                created = invitations_create(
                    meeting=meeting,
                    by=request.user,
                    organisation_kinds=form.cleaned_data["kinds"],
                    organisations=form.cleaned_data["organisations"],
                    persons=form.cleaned_data["persons"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _invited_message(len(created)))
                return HttpResponseRedirect(
                    reverse(f"{self.admin_site.name}:meetings_meeting_change", args=[meeting.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invite people to %(meeting)s") % {"meeting": meeting.title},
            "opts": self.opts,
            "meeting": meeting,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.invite_template, context)


def _invited_message(count: int) -> str:
    if not count:
        return gettext("Everyone chosen was already invited: nobody was invited twice.")
    return ngettext(
        "%(count)d person invited: the invitation e-mail is on its way.",
        "%(count)d people invited: their invitation e-mails are on their way.",
        count,
    ) % {"count": count}
