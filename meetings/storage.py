"""Where meeting documents live: a directory no URL of the portal serves.

Files are read back only through the permission-checked download view
(`meetings.views.DocumentDownloadView`), never from MEDIA_URL, so guessing a file name gives
nothing. The directory is the PRIVATE_MEDIA_ROOT setting, read at use time so tests can
point it elsewhere.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="meetings.storage.PrivateDocumentStorage")
class PrivateDocumentStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Private documents have no public URL; use the download view.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


_storage = PrivateDocumentStorage()


def private_document_storage() -> PrivateDocumentStorage:
    """The storage of Document.file (a callable, so migrations name it instead of a path)."""
    return _storage
