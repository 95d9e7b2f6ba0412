"""Writes of the Knowledge Hub: resources (`resources`) and submissions (`submissions`).

Everything public is importable from `knowledgehub.services`, as it was when this was one
module.
"""

from knowledgehub.indexing import (
    resource_extract_text,
    resource_refresh_search_vector,
    resources_refresh_search_vectors,
)
from knowledgehub.services.resources import (
    METADATA_FIELDS,
    SLUG_LENGTH,
    AuthorEntry,
    AuthorInput,
    resource_attach_pdf,
    resource_create,
    resource_record_download,
    resource_republish,
    resource_sync_after_edit,
    resource_update,
    resource_withdraw,
    theme_get_or_create,
)

__all__ = [
    "METADATA_FIELDS",
    "SLUG_LENGTH",
    "AuthorEntry",
    "AuthorInput",
    "resource_attach_pdf",
    "resource_create",
    "resource_extract_text",
    "resource_record_download",
    "resource_refresh_search_vector",
    "resource_republish",
    "resource_sync_after_edit",
    "resource_update",
    "resource_withdraw",
    "resources_refresh_search_vectors",
    "theme_get_or_create",
]
