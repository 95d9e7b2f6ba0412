from django.contrib import admin

from untfsse.portal.models import SiteText


@admin.register(SiteText)
class SiteTextAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "updated_at"]
    search_fields = ["key", "title", "body"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # The key is where the page looks the text up: fixed once the text exists.
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields
