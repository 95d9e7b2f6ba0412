"""Form widgets shared by the apps."""

from collections.abc import Callable

from django import forms


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
