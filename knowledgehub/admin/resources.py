from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from knowledgehub.models import Resource, ResourceAuthor, ResourceStatus, Sdg, Theme
from knowledgehub.services import (
    resource_republish,
    resource_sync_after_edit,
    resource_withdraw,
)
from untfsse.core.widgets import PrivateFileInput


class ResourceAuthorInline(admin.TabularInline):
    model = ResourceAuthor
    fields = ["order", "name", "affiliation", "person"]
    autocomplete_fields = ["person"]
    extra = 1
    ordering = ["order", "pk"]


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Shown on the resource's page, which stays as a tombstone."),
    )


def resource_download_url(resource: Resource) -> str:
    return reverse("knowledgehub:download", kwargs={"pk": resource.pk, "slug": resource.slug})


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "published_on",
        "language",
        "status",
        "text_extraction_status",
        "download_count",
        "page_link",
    ]
    list_filter = [
        "status",
        "kind",
        "language",
        "text_extraction_status",
        "licence",
        "sdgs",
        "themes",
        "organisations",
    ]
    search_fields = ["title", "authors_text", "abstract", "doi"]
    date_hierarchy = "published_on"
    filter_horizontal = ["organisations", "sdgs", "themes"]
    inlines = [ResourceAuthorInline]
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.FileField: {"widget": PrivateFileInput(download_url=resource_download_url)},
    }
    actions = ["withdraw_selected", "republish_selected"]
    readonly_fields = [
        "status",
        "withdrawn_at",
        "withdrawal_reason",
        "withdrawn_by",
        "download_count",
        "text_extraction_status",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "title", "abstract", "language"]}),
        (_("Publication"), {"fields": ["published_on", "published_precision", "organisations"]}),
        (_("Subjects"), {"fields": ["sdgs", "themes"]}),
        (_("Access"), {"fields": ["pdf", "external_url", "licence", "doi"]}),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "withdrawn_at",
                    "withdrawal_reason",
                    "withdrawn_by",
                    "download_count",
                    "text_extraction_status",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("public page"))
    def page_link(self, resource):
        return format_html('<a href="{}">{}</a>', resource.get_absolute_url(), _("View"))

    def has_delete_permission(self, request, obj=None):
        # OAI-PMH promises persistent deleted records: a resource is withdrawn, never deleted.
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        resource_sync_after_edit(
            resource=form.instance, pdf_changed="pdf" in form.changed_data, by=request.user
        )

    @admin.action(description=_("Withdraw the selected resources"), permissions=["change"])
    def withdraw_selected(self, request, queryset):
        form = WithdrawalForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            withdrawn = 0
            for resource in queryset.filter(status=ResourceStatus.PUBLISHED):
                try:
                    resource_withdraw(
                        resource=resource, reason=form.cleaned_data["reason"], by=request.user
                    )
                    withdrawn += 1
                except ValidationError as error:
                    self.message_user(
                        request, f"{resource}: {' '.join(error.messages)}", messages.ERROR
                    )
            self.message_user(
                request,
                ngettext(
                    "%(count)d resource withdrawn.", "%(count)d resources withdrawn.", withdrawn
                )
                % {"count": withdrawn},
                messages.SUCCESS if withdrawn else messages.WARNING,
            )
            return HttpResponseRedirect(request.get_full_path())
        return TemplateResponse(
            request,
            "admin/knowledgehub/resource/withdraw.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Withdraw resources"),
                "form": form,
                "resources": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description=_("Publish the selected withdrawn resources again"), permissions=["change"]
    )
    def republish_selected(self, request, queryset):
        republished = 0
        for resource in queryset.filter(status=ResourceStatus.WITHDRAWN):
            resource_republish(resource=resource, by=request.user)
            republished += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d resource published again.",
                "%(count)d resources published again.",
                republished,
            )
            % {"count": republished},
            messages.SUCCESS if republished else messages.WARNING,
        )


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "resource_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resource_count=Count("resources"))

    @admin.display(description=_("resources"), ordering="resource_count")
    def resource_count(self, theme):
        return theme.resource_count


@admin.register(Sdg)
class SdgAdmin(admin.ModelAdmin):
    list_display = ["number", "translated_name"]

    @admin.display(description=_("name"), ordering="number")
    def translated_name(self, sdg):
        # The goals' names in the admin's language, as the site shows them.
        return sdg.display_name

    def has_add_permission(self, request):
        return False  # the 17 goals come with the migration

    def has_delete_permission(self, request, obj=None):
        return False
