"""Form widgets shared by the apps."""

from collections.abc import Callable

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe


class PrivateFileInput(forms.ClearableFileInput):
    """The clearable file input for files kept out of every public URL.

    Django's widget links the current file to its storage URL, which private storages refuse
    to give; this one links to the permission-checked download view instead.
    """

    template_name = "includes/widgets/private_file_input.html"

    def __init__(self, *, download_url: Callable[[object], str], attrs=None):
        super().__init__(attrs)
        self.download_url = download_url

    def is_initial(self, value) -> bool:
        # Django asks the file for its URL here, which a private storage refuses.
        return bool(value and getattr(value, "name", None) and getattr(value, "instance", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["download_url"] = self.download_url(value.instance)
        return context


class QuickSelect(forms.Select):
    """A <select> with the markup of Django's, its options written in Python rather than
    through a template each: a filter offering hundreds of organisations took a tenth of a
    second to render with one template per option."""

    template_name = "includes/widgets/quick_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for _group, options, _index in context["widget"]["optgroups"]
                for option in options
            ),
        )
        return context


class _KnownChoicesOnly:
    """Django's admin autocomplete widgets look the submitted values up to show them again
    (`optgroups`), and a value that is not a valid key (a tampered form: "a@", "<script>")
    makes that query raise a ValueError, a 500. The form field already reports such a value as
    an invalid choice; here it is simply not shown again."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        kept = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class AutocompleteSelect(_KnownChoicesOnly, admin_widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_KnownChoicesOnly, admin_widgets.AutocompleteSelectMultiple):
    pass
