from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.models import (
    AffiliationInvitation,
    AffiliationRequest,
    AffiliationStatus,
    Organisation,
    Person,
    Role,
    User,
)
from members.selectors import DIRECTORY_EXPORT_HEADER, directory_rows_with_contacts
from members.services import (
    affiliation_invitation_send,
    affiliation_request_approve,
    affiliation_request_reject,
    email_addresses_verify,
)
from untfsse.core.exports import csv_response
from untfsse.core.outbox.admin import deliveries_table


class GroupListFilter(admin.RelatedFieldListFilter):
    """The staff groups by their names in the admin's language (the portal's groups have
    English names in the database, and their names in the catalogue)."""

    def field_choices(self, field, request, model_admin):
        return [
            (pk, gettext(name)) for pk, name in super().field_choices(field, request, model_admin)
        ]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", ("groups", GroupListFilter)]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined"]
    # What would let a staff member raise their own rights or take an account over.
    SUPERUSER_ONLY_FIELDS = ["email", "is_staff", "is_superuser", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [*fields, *self.SUPERUSER_ONLY_FIELDS]

    def has_change_permission(self, request, obj=None):
        # Staff accounts (the secretariat's own included) are changed by a superuser only.
        if obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Setting someone's password is taking their account: they reset it themselves.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


# allauth's own admin offers "mark as verified" to anyone who can see the list (the
# secretariat's view-only access included): the same admin, with the action asking for the
# change permission and going through a service that keeps it the superuser's.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    actions = ["make_verified"]

    @admin.action(
        description=_("Mark selected email addresses as verified"), permissions=["change"]
    )
    def make_verified(self, request, queryset):
        for email in email_addresses_verify(addresses=queryset, by=request.user):
            self.message_user(
                request, _("Marked %(email)s as verified.") % {"email": email}, messages.SUCCESS
            )


class PersonInline(admin.TabularInline):
    model = Person
    fields = ["name", "honorific", "position", "email", "public_profile", "user"]
    autocomplete_fields = ["user"]
    extra = 0
    show_change_link = True


class RoleInline(admin.TabularInline):
    model = Role
    fk_name = "organisation"
    fields = [
        "office",
        "person",
        "title",
        "started_on",
        "started_precision",
        "ended_on",
        "ended_precision",
    ]
    autocomplete_fields = ["person"]
    extra = 0


class MembershipListFilter(admin.SimpleListFilter):
    title = _("membership")
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("former", _("Former"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "former":
            return queryset.former()
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "kind", "country", "joined_on", "left_on", "page_link"]
    list_filter = ["kind", MembershipListFilter, "country"]
    search_fields = ["acronym", "name", "description"]
    prepopulated_fields = {"slug": ["acronym"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [PersonInline, RoleInline]
    actions = ["export_directory_with_contacts"]
    fieldsets = [
        (None, {"fields": ["acronym", "name", "slug", "kind", "country", "website", "logo"]}),
        (_("Membership"), {"fields": ["joined_on", "left_on"]}),
        (_("About"), {"fields": ["description"]}),
    ]

    @admin.display(description=_("public page"))
    def page_link(self, organisation):
        return format_html(
            '<a href="{}">{}</a>', organisation.get_absolute_url(), organisation.get_absolute_url()
        )

    @admin.action(description=_("Export the directory with contacts (CSV)"), permissions=["view"])
    def export_directory_with_contacts(self, request, queryset):
        # E-mail addresses are private: the selector refuses anyone but the secretariat,
        # whatever model permissions say.
        return csv_response(
            "untfsse-directory.csv",
            DIRECTORY_EXPORT_HEADER,
            directory_rows_with_contacts(by=request.user),
        )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "position",
        "public_profile",
        "has_account",
        "receives_reminders",
    ]
    list_filter = [
        "public_profile",
        "receives_reminders",
        "preferred_language",
        "organisation__kind",
    ]
    search_fields = ["name", "email", "position", "organisation__acronym", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]
    list_select_related = ["organisation"]
    inlines = []

    @admin.display(boolean=True, description=_("account"))
    def has_account(self, person):
        return person.user_id is not None


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["office", "person", "organisation", "title", "started_on", "ended_on"]
    list_filter = ["office"]
    search_fields = ["person__name", "organisation__acronym", "title"]
    autocomplete_fields = ["person", "organisation"]
    list_select_related = ["person__organisation", "organisation"]


@admin.display(description=_("e-mails"))
def affiliation_emails(obj) -> str:
    """The e-mails about this request or invitation, and what became of each."""
    deliveries = obj.deliveries.order_by("pk") if obj.pk else []
    return deliveries_table(deliveries, describe=lambda delivery: delivery.get_purpose_display())


@admin.register(AffiliationRequest)
class AffiliationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "name",
        "organisation",
        "person",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "organisation__kind"]
    search_fields = ["user__email", "name", "organisation__acronym"]
    list_select_related = ["user", "organisation", "person", "decided_by"]
    readonly_fields = [
        "user", "organisation", "person", "name", "position", "message",
        "status", "decided_by", "decided_at", "decision_emailed_at", "created_at", "emails",
    ]  # fmt: skip
    fields = [*readonly_fields[:6], "decision_note", *readonly_fields[6:]]
    actions = ["approve_selected", "reject_selected"]
    emails = staticmethod(affiliation_emails)
    change_form_template = "admin/members/affiliationrequest/change_form.html"

    def has_add_permission(self, request):
        return False  # requests come from users, through the portal's form

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="members_affiliationrequest_decide",
            ),
            *super().get_urls(),
        ]

    def _decide(self, request, affiliation_request, decision: str, note: str) -> bool:
        service = (
            affiliation_request_approve if decision == "approve" else affiliation_request_reject
        )
        try:
            service(request=affiliation_request, by=request.user, note=note)
        except (ValidationError, PermissionDenied) as error:
            text = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else str(error or _("Not allowed."))
            )
            self.message_user(request, f"{affiliation_request}: {text}", messages.ERROR)
            return False
        return True

    def decide_view(self, request, pk: int, decision: str):
        if request.method != "POST" or decision not in {"approve", "reject"}:
            return HttpResponseRedirect(
                reverse("admin:members_affiliationrequest_change", args=[pk])
            )
        affiliation_request = self.get_object(request, str(pk))
        if affiliation_request is None or not self.has_change_permission(
            request, affiliation_request
        ):
            raise PermissionDenied
        note = request.POST.get("decision_note", "")[:2000]
        if self._decide(request, affiliation_request, decision, note):
            self.message_user(
                request,
                _("Approved: %(request)s.") % {"request": affiliation_request}
                if decision == "approve"
                else _("Rejected: %(request)s.") % {"request": affiliation_request},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:members_affiliationrequest_changelist"))

    def _decide_many(self, request, queryset, decision: str) -> None:
        decided = sum(
            self._decide(request, affiliation_request, decision, "")
            for affiliation_request in queryset.filter(status=AffiliationStatus.PENDING)
        )
        self.message_user(
            request,
            ngettext("%(count)d request decided.", "%(count)d requests decided.", decided)
            % {"count": decided},
            messages.SUCCESS if decided else messages.WARNING,
        )

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._decide_many(request, queryset, "approve")

    @admin.action(description=_("Reject the selected requests"), permissions=["change"])
    def reject_selected(self, request, queryset):
        self._decide_many(request, queryset, "reject")


@admin.register(AffiliationInvitation)
class AffiliationInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "person", "invited_by", "sent_at", "accepted_at"]
    list_filter = ["organisation__kind"]
    search_fields = ["email", "name", "organisation__acronym"]
    autocomplete_fields = ["organisation", "person"]
    readonly_fields = ["invited_by", "sent_at", "accepted_by", "accepted_at", "emails"]
    actions = ["send_again"]
    emails = staticmethod(affiliation_emails)

    def get_readonly_fields(self, request, obj=None):
        # A link went to this address: a different address means a new invitation.
        if obj is not None and obj.sent_at is not None:
            return [*self.readonly_fields, "email"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            try:
                affiliation_invitation_send(invitation=obj, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request, _("The invitation is on its way to %(email)s.") % {"email": obj.email}
                )

    @admin.action(description=_("Send the invitation again"), permissions=["change"])
    def send_again(self, request, queryset):
        for invitation in queryset.filter(accepted_at__isnull=True):
            affiliation_invitation_send(invitation=invitation, by=request.user, again=True)
        self.message_user(request, _("The invitations are on their way."))
