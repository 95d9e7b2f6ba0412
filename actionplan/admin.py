"""The secretariat's admin for plans, areas, items and updates.

Progress updates are written only through `actionplan.services`, here too: the inline under an
item and the updates' own admin call the services instead of saving the forms, so an item's
status and progress always follow its latest update.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionItem, ActionPlan, PriorityArea, ProgressUpdate
from actionplan.services import (
    agenda_item_set_action_items,
    progress_update_delete,
    progress_update_edit,
    progress_update_post,
)
from meetings.models import AgendaItem
from untfsse.core.widgets import AutocompleteSelectMultiple

# Links typed without a scheme are taken as https:// (Django 6's default, chosen now).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}

UPDATE_FIELDS = [
    "date",
    "date_precision",
    "text",
    "status",
    "progress",
    "reported_by",
    "source_meeting",
    "source_title",
    "source_url",
]


class PriorityAreaInline(admin.TabularInline):
    model = PriorityArea
    fields = ["number", "title", "order"]
    extra = 0
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["title", "slug", "period_start", "period_end", "adopted_at", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["title", "slug", "summary"]
    inlines = [PriorityAreaInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "period_start", "period_end", "is_current"]}),
        (_("Adoption and source"), {"fields": ["adopted_at", "source_title", "source_url"]}),
        (_("Text"), {"fields": ["summary", "source_text"]}),
    ]


class ActionItemInlineFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The item's plan is its area's: known here even when the area is being created.
        form.instance.plan_id = self.instance.plan_id
        return form

    def clean(self):
        super().clean()
        codes = [
            form.cleaned_data.get("code")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        repeated = {code for code in codes if code and codes.count(code) > 1}
        if repeated:
            raise ValidationError(
                _("Each code can be used once in a plan: %(codes)s")
                % {"codes": ", ".join(sorted(repeated))}
            )


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    formset = ActionItemInlineFormSet
    fields = ["code", "order", "title", "target_date", "status", "progress"]
    readonly_fields = ["status", "progress"]
    extra = 0
    show_change_link = True


@admin.register(PriorityArea)
class PriorityAreaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["title", "description"]
    fields = ["plan", "number", "title", "description", "order"]
    inlines = [ActionItemInline]


class ProgressUpdateInline(admin.StackedInline):
    formfield_overrides = URL_FIELD_OVERRIDES
    model = ProgressUpdate
    fields = UPDATE_FIELDS
    autocomplete_fields = ["reported_by"]
    extra = 0
    ordering = ["-date", "-pk"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "area", "status", "progress", "page_link"]
    list_display_links = ["code", "title"]
    list_filter = ["plan", "status", ("lead_organisations", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "title", "description", "lead_organisations__acronym"]
    autocomplete_fields = ["lead_organisations", "contributing_organisations", "agenda_items"]
    readonly_fields = ["plan", "status", "progress"]
    fieldsets = [
        (None, {"fields": ["area", "plan", "code", "order", "title", "description"]}),
        (_("Organisations"), {"fields": ["lead_organisations", "contributing_organisations"]}),
        (
            _("State (follows the latest progress update)"),
            {"fields": ["status", "progress", "target_date"]},
        ),
        (_("Meetings"), {"fields": ["agenda_items"]}),
    ]
    inlines = [ProgressUpdateInline]

    @admin.display(description=_("public page"))
    def page_link(self, item):
        return format_html('<a href="{}">{}</a>', item.get_absolute_url(), item.code)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan", "area")

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProgressUpdate:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for update_form in formset.deleted_forms:
            if update_form.instance.pk:
                progress_update_delete(update=update_form.instance, by=request.user)
                formset.deleted_objects.append(update_form.instance)
        for update_form in formset.forms:
            if update_form in formset.deleted_forms or not update_form.has_changed():
                continue
            values = {name: update_form.cleaned_data.get(name) for name in UPDATE_FIELDS}
            values["source_title"] = values["source_title"] or ""
            values["source_url"] = values["source_url"] or ""
            if update_form.instance.pk:
                update = progress_update_edit(
                    update=update_form.instance, by=request.user, **values
                )
                formset.changed_objects.append((update, update_form.changed_data))
            else:
                update = progress_update_post(item=form.instance, by=request.user, **values)
                formset.new_objects.append(update)
        return None


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["item", "date", "status", "progress", "source_meeting", "reported_by"]
    list_select_related = ["item__plan", "source_meeting", "reported_by__organisation"]
    list_filter = ["item__plan", "status"]
    search_fields = ["text", "item__code", "item__title", "source_title"]
    date_hierarchy = "date"
    autocomplete_fields = ["item", "reported_by"]
    fields = ["item", *UPDATE_FIELDS, "created_by"]
    readonly_fields = ["created_by"]

    def get_readonly_fields(self, request, obj=None):
        # An update stays with its item; to move it, remove it and post it on the other item.
        return [*self.readonly_fields, "item"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data.get(name) for name in UPDATE_FIELDS}
        values["source_title"] = values["source_title"] or ""
        values["source_url"] = values["source_url"] or ""
        if change:
            progress_update_edit(update=obj, by=request.user, **values)
        else:
            saved = progress_update_post(item=obj.item, by=request.user, **values)
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        progress_update_delete(update=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for update in queryset.select_related("item"):
            progress_update_delete(update=update, by=request.user)
        messages.info(request, _("The items' status and progress follow their remaining updates."))


class AgendaItemActionItemsForm(forms.ModelForm):
    action_items = forms.ModelMultipleChoiceField(
        label=_("action items discussed"),
        queryset=ActionItem.objects.select_related("plan"),
        required=False,
        help_text=_("Listed under this agenda item on the meeting's page."),
    )

    class Meta:
        model = AgendaItem
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["action_items"].initial = list(
                self.instance.action_items.values_list("pk", flat=True)
            )


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    """The action items an agenda item discusses, chosen with autocomplete (the link belongs to
    the action plan). Reached from the agenda on the meeting's page, where the agenda itself
    is edited; not listed on the admin's index."""

    form = AgendaItemActionItemsForm
    list_display = ["title", "meeting", "order"]
    list_select_related = ["meeting"]
    search_fields = ["title", "meeting__title"]
    fields = ["meeting", "order", "title", "action_items"]
    readonly_fields = ["meeting", "order", "title"]

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields["action_items"]
        # The autocomplete searches what a link's `actionitem` may point at (the action items'
        # admin search): the link table's own field, as the reverse relation has no limits.
        field.widget = AutocompleteSelectMultiple(
            ActionItem.agenda_items.through._meta.get_field("actionitem"), self.admin_site
        )
        field.widget.choices = field.choices
        return form

    def save_model(self, request, obj, form, change):
        pass  # the agenda item itself is edited on its meeting's page

    def save_related(self, request, form, formsets, change):
        agenda_item_set_action_items(
            agenda_item=form.instance,
            action_items=form.cleaned_data["action_items"],
            by=request.user,
        )
