"""The Knowledge Hub's pages: public search and resources (`resources`), calls for papers
(`calls`), submitting (`submissions`) and reviewing (`reviews`)."""

from knowledgehub.views.resources import (
    SearchView,
    citation_bibtex,
    citation_ris,
    download,
    oai_endpoint,
    resource_detail,
)

__all__ = [
    "SearchView",
    "citation_bibtex",
    "citation_ris",
    "download",
    "oai_endpoint",
    "resource_detail",
]
