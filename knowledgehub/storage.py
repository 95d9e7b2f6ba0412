"""Where the Knowledge Hub keeps its PDF files: outside MEDIA_ROOT, never served directly.

Downloads go through `knowledgehub.views.download`, which counts them and sets safe headers,
so the files live under `KNOWLEDGE_HUB_FILES_ROOT`, a folder no web server is told about.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """A file system storage without a URL whose folder is read from the settings when used
    (so tests can point it at a temporary folder)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.KNOWLEDGE_HUB_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Knowledge Hub files have no public address; use the download view.")


_storage = PrivateFileStorage()


def private_resource_storage() -> PrivateFileStorage:
    return _storage
