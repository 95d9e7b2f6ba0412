"""The Knowledge Hub's public pages: search, resource pages, citation exports and downloads."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import TemplateView

from knowledgehub import citations
from knowledgehub.filters import SORT_CHOICES, ResourceFilter
from knowledgehub.models import Resource
from knowledgehub.oai import oai_response
from knowledgehub.search import (
    FACET_TITLES,
    MAX_QUERY_LENGTH,
    highlighted,
    normalise_query,
    search_resources,
)
from knowledgehub.selectors import (
    resource_for_download,
    resource_for_page,
    resource_heading,
    resource_page_details,
)
from knowledgehub.services import resource_record_download
from members.standing import reader_key
from untfsse.core.cache import (
    ContentArea,
    PublicPageCacheMixin,
    cache_public_page,
    lazy_parts,
    shared_fragment,
)
from untfsse.core.views import InvalidFiltersAnswer400Mixin

# The facets shown as drop-down filters, with the wording of their "any" choice (gettext_lazy
# by its own name: makemessages finds only the usual names).
SELECT_FILTERS = [
    ("kind", gettext_lazy("All kinds")),
    ("sdg", gettext_lazy("All goals")),
    ("theme", gettext_lazy("All themes")),
    ("language", gettext_lazy("All languages")),
    ("organisation", gettext_lazy("All organisations")),
]


class SearchView(InvalidFiltersAnswer400Mixin, PublicPageCacheMixin, TemplateView):
    cache_areas = (ContentArea.KNOWLEDGE_HUB, ContentArea.MEMBERS)
    cache_query_params = ("q", "page", *ResourceFilter.base_filters)
    cache_reader_key = reader_key
    template_name = "knowledgehub/resource_search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        without_page = params.copy()
        without_page.pop("page", None)
        # The search runs only when the shared part of the page is not in the cache already.
        found = SimpleLazyObject(lambda: self.search(params, without_page))
        context.update(
            query=normalise_query(params.get("q"))[0],
            results=SimpleLazyObject(lambda: found["results"]),
            filter_fields=SimpleLazyObject(lambda: found["filter_fields"]),
            year_facet=SimpleLazyObject(lambda: found["year_facet"]),
            year_from=params.get("year_from", "")[:4],
            year_to=params.get("year_to", "")[:4],
            sort_choices=SORT_CHOICES,
            page_query=without_page.urlencode(),
            max_query_length=MAX_QUERY_LENGTH,
            is_filtered=any(value for key, value in params.items() if key != "page"),
        )
        return context

    def invalid_filters(self, context) -> bool:
        return not context["results"].valid

    def search(self, params, without_page) -> dict:
        results = search_resources(params, page_number=params.get("page"))
        for resource in results.page.object_list:
            resource.snippet = highlighted(getattr(resource, "headline", None))
        filter_fields = [
            {
                "name": name,
                "label": FACET_TITLES[name],
                "empty_label": empty_label,
                "options": results.facets.get(name, []),
            }
            for name, empty_label in SELECT_FILTERS
        ]
        year_facet = []
        for year in results.facets.get("year", []):
            year_params = without_page.copy()
            year_params["year_from"] = year_params["year_to"] = year.value
            year_facet.append(
                {
                    "label": year.label,
                    "count": year.count,
                    "exact": year.exact,
                    "query": year_params.urlencode(),
                }
            )
        return {"results": results, "filter_fields": filter_fields, "year_facet": year_facet}


def _resource_or_404(pk: int) -> Resource:
    try:
        return resource_for_page(pk)
    except Resource.DoesNotExist as error:
        raise Http404(_("There is no resource at this address.")) from error


def _canonical_redirect(request, resource: Resource, slug: str, url_name: str):
    if slug == resource.slug:
        return None
    return redirect(
        reverse(url_name, kwargs={"pk": resource.pk, "slug": resource.slug}), permanent=True
    )


def _tombstone(request, resource: Resource):
    """What every URL of a withdrawn resource answers: 410 Gone with its tombstone.

    410 tells search engines, link checkers and reference managers the item was deliberately
    removed (so they drop it, unlike a 200), while people who follow an old citation still read
    its title, citation and the reason (unlike a 404). Nothing else of the resource (abstract,
    keywords, file) is served under any of its addresses.
    """
    url = request.build_absolute_uri(resource.get_absolute_url())
    context = {"resource": resource, "apa": citations.apa(resource, url=url), "url": url}
    return render(request, "knowledgehub/resource_withdrawn.html", context, status=410)


RESOURCE_PAGE_AREAS = (ContentArea.KNOWLEDGE_HUB, ContentArea.MEMBERS)


@require_GET
@cache_public_page(*RESOURCE_PAGE_AREAS, reader_key=reader_key)
def resource_detail(request, pk: int, slug: str):
    """The resource's page, or for a withdrawn one its tombstone (`_tombstone`).

    The page is the same for every reader: its metadata, citation and meta tags are kept per
    content version for signed-in readers too (`shared_fragment`), and read only when the
    cache lacks them; each request reads the resource's own row (address, status, title)."""
    try:
        resource = resource_heading(pk)
    except Resource.DoesNotExist as error:
        raise Http404(_("There is no resource at this address.")) from error
    if response := _canonical_redirect(request, resource, slug, "knowledgehub:resource"):
        return response
    if resource.is_withdrawn:
        return _tombstone(request, resource)
    url = request.build_absolute_uri(resource.get_absolute_url())
    pdf_url = (
        request.build_absolute_uri(
            reverse("knowledgehub:download", kwargs={"pk": resource.pk, "slug": resource.slug})
        )
        if resource.pdf
        else ""
    )

    def shared() -> dict:
        full = resource_page_details(resource)
        return {
            "shared_resource": full,
            "authors": list(full.authors.all()),
            "apa": citations.apa(full, url=url),
            "meta_tags": citations.citation_meta_tags(full, url=url, pdf_url=pdf_url),
        }

    context = {
        "resource": resource,
        "pdf_url": pdf_url,
        "url": url,
        "shared_fragment": SimpleLazyObject(
            lambda: shared_fragment(request, RESOURCE_PAGE_AREAS, ())
        ),
        **lazy_parts(shared, ("shared_resource", "authors", "apa", "meta_tags")),
    }
    return render(request, "knowledgehub/resource_detail.html", context)


@require_GET
def citation_bibtex(request, pk: int, slug: str):
    resource = _resource_or_404(pk)
    if response := _canonical_redirect(request, resource, slug, "knowledgehub:cite_bib"):
        return response
    if resource.is_withdrawn:
        return _tombstone(request, resource)
    url = request.build_absolute_uri(resource.get_absolute_url())
    response = HttpResponse(
        citations.bibtex(resource, url=url), content_type="application/x-bibtex; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{resource.slug}.bib"'
    return response


@require_GET
def citation_ris(request, pk: int, slug: str):
    resource = _resource_or_404(pk)
    if response := _canonical_redirect(request, resource, slug, "knowledgehub:cite_ris"):
        return response
    if resource.is_withdrawn:
        return _tombstone(request, resource)
    url = request.build_absolute_uri(resource.get_absolute_url())
    response = HttpResponse(
        citations.ris(resource, url=url), content_type="application/x-research-info-systems"
    )
    response["Content-Disposition"] = f'attachment; filename="{resource.slug}.ris"'
    return response


@require_GET
def download(request, pk: int, slug: str):
    """The resource's PDF as an attachment, counted once per request in the database.

    A withdrawn resource answers with its tombstone (410); one without a PDF with 404.
    """
    try:
        resource = resource_for_download(pk)
    except Resource.DoesNotExist as error:
        resource = _resource_or_404(pk)
        if resource.is_withdrawn:
            return _tombstone(request, resource)
        raise Http404(_("This resource has no file to download.")) from error
    try:
        file = resource.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("This resource has no file to download.")) from error
    resource_record_download(resource_id=resource.pk)
    response = FileResponse(
        file,
        as_attachment=True,
        filename=citations.download_file_name(resource),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # harvesters POST without a session: the endpoint only reads
@require_http_methods(["GET", "POST"])
def oai_endpoint(request):
    """OAI-PMH 2.0 (GET or form-encoded POST); every answer is XML, errors included."""
    params = request.POST if request.method == "POST" else request.GET
    arguments = {name: params.getlist(name) for name in params}
    # Record links point at the default-language pages, whatever the harvester's headers say.
    with translation.override(settings.LANGUAGE_CODE):
        body = oai_response(
            arguments,
            base_url=request.build_absolute_uri(reverse("oai")),
            absolute_url=request.build_absolute_uri,
        )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
