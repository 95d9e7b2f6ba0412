"""Searching the Knowledge Hub: every match ranked, filtered and counted, on both databases.

`search_resources` is what the search page and the API call. The query (web-search syntax:
words, "phrases", -exclusions, `or`; see `query.py`) goes to the database's own full-text
index: on PostgreSQL a narrow search table with a GIN index, stemmed per resource language
(`postgresql.py`); on SQLite, the zero-setup mode, an FTS5 table ranked by bm25 (`sqlite.py`).
Both rank every match (title above authors above abstract above PDF text), apply the filters
to every match and count each facet's values among all of them (on PostgreSQL, past about a
thousand matches, on an even sample: `total_estimated` and `facets_estimated`, and the page
says "about").

When a query finds nothing, its wanted words are corrected towards the closest words of the
Knowledge Hub's titles and authors and the search runs once more; the page says so. Phrases
and excluded terms are never changed, so a correction cannot bring back what was left out.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from knowledgehub.filters import SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE, ResourceFilter
from knowledgehub.models import SDG_NAMES, Resource, ResourceKind, ResourceLanguage, Theme
from knowledgehub.search import postgresql, sqlite
from knowledgehub.search.query import (
    MAX_QUERY_LENGTH,
    Term,
    as_text,
    fts5_expression,
    normalise_query,
    parse,
    with_corrections,
)
from members.models import Organisation

__all__ = [
    "FACET_TITLES",
    "MAX_QUERY_LENGTH",
    "PAGE_SIZE",
    "FacetValue",
    "SearchResults",
    "highlighted",
    "normalise_query",
    "search_resources",
]

PAGE_SIZE = 20
_MARK_START, _MARK_STOP = postgresql.MARK_START, postgresql.MARK_STOP


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def highlighted(headline: str | None) -> SafeString:
    """A snippet as safe HTML: the text escaped, the matches in <mark>."""
    text = escape(headline or "")
    return mark_safe(text.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>"))


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    # Counted exactly: every value of exact facets, and among estimated ones a value counted
    # among the few matches a selective filter keeps, or a chosen value under an exact total.
    exact: bool = False


@dataclass
class SearchResults:
    query: str
    query_truncated: bool
    filterset: ResourceFilter
    sort: str
    page: Page
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    full_text: bool = False
    # The query as corrected for typos, when the one typed found nothing and this finds some.
    corrected_query: str = ""
    # The total and the facets' counts are estimated (so many matches that they were counted
    # on a sample); the facets may be while the total is not (a selective filter).
    total_estimated: bool = False
    facets_estimated: bool = False
    # Every match is ranked and counted now; kept False for the API's `capped` field.
    capped: bool = False

    @property
    def valid(self) -> bool:
        return self.filterset.is_valid()

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def errors(self) -> list[str]:
        """Each filter that was not understood, as "Label: message"."""
        form = self.filterset.form
        return [
            f"{form.fields[name].label}: {message}" if name in form.fields else message
            for name, messages in form.errors.items()
            for message in messages
        ]


@dataclass
class _Found:
    total: int
    counts: dict[str, dict[str, int]]
    # The matches in order: a queryset or a sequence that fetches one page at a time.
    matches: Sequence
    # Whether the total, and whether the facets' counts, are estimated.
    estimated: tuple[bool, bool] = (False, False)
    # Among estimated facets, the values counted exactly all the same: {facet: {value}}.
    exact_values: dict[str, set[str]] = field(default_factory=dict)


class _PageFetcher(Sequence):
    """The matches as the paginator sees them: their known total, and the rows of the one
    slice it asks for."""

    def __init__(self, total: int, fetch: Callable[[int, int], list[Resource]]) -> None:
        self.total, self.fetch = total, fetch

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("only slices of the matches are fetched")
        start, stop, _step = index.indices(self.total)
        return self.fetch(start, max(0, stop - start)) if stop > start else []


# The page's resources are read with every column but the PDF's text and the stored vector.
_PAGE_COLUMNS = [
    field.column
    for field in Resource._meta.concrete_fields
    if field.name not in ("extracted_text", "search_vector")
]


def _page_of_resources(
    page: tuple[str, list, str], headline: tuple[str, list] | None, *, ranked: bool
) -> list[Resource]:
    """The resources of `page` (postgresql.page: its SQL, parameters and order) in that order,
    with their `score` (the rank, when ranked) and `headline` (its SQL, when given): one
    statement, never the PDF's text."""
    page_sql, page_params, order = page
    table = Resource._meta.db_table
    columns = ", ".join(f"{table}.{connection.ops.quote_name(column)}" for column in _PAGE_COLUMNS)
    headline_sql, headline_params = headline if headline is not None else ("NULL", [])
    order_by = ", ".join(f"page.{part.strip()}" for part in order.split(","))
    # The SQL is the model's own column names and postgresql's pieces; values are parameters.
    sql = f"SELECT {columns}, page.distance, {headline_sql} AS headline FROM ({page_sql})"  # noqa: S608
    sql += f" AS page JOIN {table} ON {table}.id = page.resource_id ORDER BY {order_by}"
    resources = list(Resource.objects.raw(sql, [*headline_params, *page_params]))
    for resource in resources:
        # The distance is 1 / rank: the page shows the rank.
        distance = resource.distance
        resource.score = (1 / distance if distance else 0.0) if ranked else None
    return resources


def _on_postgresql(terms: list[Term], filterset: ResourceFilter, sort: str) -> _Found:
    query = postgresql.Query(as_text(terms)) if terms else None
    if query is not None and query.empty:
        return _Found(0, {}, [])
    active = filterset.active
    total, counts, estimated, exact_values = postgresql.figures(
        query, active, ResourceFilter.FACETS
    )

    def fetch(offset: int, limit: int) -> list[Resource]:
        by_relevance = sort == SORT_RELEVANCE
        page = postgresql.page(
            query,
            active,
            by_relevance=by_relevance,
            oldest=sort == SORT_OLDEST,
            offset=offset,
            limit=limit,
        )
        headline = postgresql.headline(query) if query is not None else None
        return _page_of_resources(page, headline, ranked=bool(query and by_relevance))

    return _Found(total, counts, _PageFetcher(total, fetch), estimated, exact_values)


def _on_sqlite(terms: list[Term], filterset: ResourceFilter, sort: str) -> _Found:
    expression = fts5_expression(terms) if terms else None
    matches = sqlite.matching(expression)
    results: QuerySet[Resource] = filterset.apply(matches).defer("extracted_text", "search_vector")
    if expression is not None:
        results = sqlite.ranked(results, expression)
    newest = [F("published_on").desc(nulls_last=True), "-pk"]
    if sort == SORT_OLDEST:
        results = results.order_by(F("published_on").asc(nulls_last=True), "pk")
    elif sort == SORT_RELEVANCE and expression is not None:
        results = results.order_by("-score", *newest)
    else:
        results = results.order_by(*newest)
    return _Found(results.count(), sqlite.facet_counts(filterset, matches), results)


def _find(terms: list[Term], filterset: ResourceFilter, sort: str) -> _Found:
    return (_on_postgresql if uses_postgresql() else _on_sqlite)(terms, filterset, sort)


def _closest_words(words: list[str]) -> dict[str, str]:
    return (postgresql if uses_postgresql() else sqlite).closest_words(words)


def _facet_values(counts: dict[str, dict[str, int]], filterset: ResourceFilter, exact_values):
    """Each facet's values with their labels, in the order the page lists them, the chosen
    value of each filter marked (and listed with 0 when nothing has it), and those counted
    exactly among estimated facets (`exact_values`, {facet: {value as counted}}) marked so."""
    kinds, languages = dict(ResourceKind.choices), dict(ResourceLanguage.choices)

    def by_count(values: dict[str, int], labels) -> list[FacetValue]:
        return [
            FacetValue(value, str(labels.get(value, value)), count)
            for value, count in sorted(values.items(), key=lambda item: (-item[1], item[0]))
        ]

    def sdg_label(number: int) -> str:
        goal = gettext("SDG %(number)d") % {"number": number}
        # Translators: a Sustainable Development Goal and its name, "SDG 8: Decent work ...".
        return gettext("%(goal)s: %(name)s") % {"goal": goal, "name": SDG_NAMES[number]}

    facets = {
        "kind": by_count(counts.get("kind", {}), kinds),
        "language": by_count(counts.get("language", {}), languages),
        "year": [
            FacetValue(year, year, count)
            for year, count in sorted(counts.get("year", {}).items(), reverse=True)
        ],
        "sdg": [
            FacetValue(str(number), sdg_label(number), counts["sdg"][str(number)])
            for number in sorted(int(value) for value in counts.get("sdg", {}))
        ],
    }
    # The themes' and organisations' addresses and names, in one query: every one of them (a
    # few hundred rows of three values), which costs less than naming the counted ones (a
    # common word counts most organisations: hundreds of parameters to send).
    themes = Theme.objects.order_by().values_list(Value("theme"), "pk", "slug", "name")
    organisations = Organisation.objects.order_by().values_list(
        Value("organisation"), "pk", "slug", "acronym"
    )
    for facet in ("theme", "organisation"):
        facets[facet] = []
    needed = any(counts.get(facet) for facet in ("theme", "organisation"))
    for facet, pk, slug, label in themes.union(organisations, all=True) if needed else ():
        count = counts.get(facet, {}).get(str(pk))
        if count is not None:
            exact = str(pk) in exact_values.get(facet, ())
            facets[facet].append(FacetValue(slug, label, count, exact=exact))
    for facet in ("theme", "organisation"):
        facets[facet].sort(key=lambda value: (-value.count, value.label))
    for facet in ("kind", "language", "year", "sdg"):  # their values are the counts' keys
        for facet_value in facets[facet]:
            facet_value.exact = facet_value.value in exact_values.get(facet, ())

    active = filterset.active
    selected: dict[str, tuple[str, str]] = {}
    if "kind" in active:
        selected["kind"] = (active["kind"], str(kinds.get(active["kind"], "")))
    if "language" in active:
        selected["language"] = (active["language"], str(languages.get(active["language"], "")))
    if "sdg" in active:
        selected["sdg"] = (str(int(active["sdg"])), sdg_label(int(active["sdg"])))
    if "theme" in active:
        selected["theme"] = (active["theme"].slug, active["theme"].name)
    if "organisation" in active:
        selected["organisation"] = (active["organisation"].slug, active["organisation"].acronym)
    for name, (value, label) in selected.items():
        for facet_value in facets[name]:
            facet_value.selected = facet_value.value == value
        if not any(facet_value.selected for facet_value in facets[name]):
            facets[name].append(FacetValue(value, label, 0, selected=True))
    return facets


def search_resources(params, *, page_number=1, page_size: int = PAGE_SIZE) -> SearchResults:
    """The search page's results for the request's parameters (q, filters, sort, page).

    Never raises for bad input: an over-long query is cut (and says so), unknown filter
    values make `valid` False with `errors` to show and no results.
    """
    query, truncated = normalise_query(params.get("q"))
    filterset = ResourceFilter(params, queryset=Resource.objects.none())
    results = SearchResults(
        query=query,
        query_truncated=truncated,
        filterset=filterset,
        sort=SORT_RELEVANCE if query else SORT_NEWEST,
        page=Paginator([], page_size).get_page(1),
        full_text=bool(query),
    )
    if not filterset.is_valid():
        return results
    results.sort = filterset.form.cleaned_data.get("sort") or results.sort
    terms = parse(query)
    if query and not any(not term.excluded for term in terms):
        # Nothing asked for (only exclusions, or only punctuation): nothing found.
        found = _Found(0, {}, [])
    else:
        found = _find(terms, filterset, results.sort)
        if terms and found.total == 0:
            corrected = with_corrections(terms, _closest_words)
            if corrected is not None:
                found_corrected = _find(corrected, filterset, results.sort)
                if found_corrected.total:
                    found, results.corrected_query = found_corrected, as_text(corrected)
    results.total_estimated, results.facets_estimated = found.estimated
    total = found.total
    if results.total_estimated:
        # An estimate may fall short: the page asked for is read even past it, up to twice the
        # estimate (far beyond what a sample of ESTIMATED_FROM matches or more can miss by).
        furthest = 2 * -(-found.total // page_size)
        total = max(total, min(_page_asked(page_number), furthest) * page_size)
        found.matches.total = total
    paginator = Paginator(found.matches, page_size)
    paginator.count = total  # a cached_property: known already, never counted again
    # (A page number that is not one, or below 1, is the first page; past the last, the last.)
    results.page = paginator.get_page(_page_asked(page_number))
    shown = len(results.page.object_list)
    if results.total_estimated and 0 < shown < page_size:
        # The last page, reached: the estimated total gives way to the real one.
        results.page = _with_total(results.page, results.page.start_index() - 1 + shown)
        results.total_estimated = False
    elif results.total_estimated and not shown:
        # Past the real end: the estimate stands (the page says there are no more results).
        results.page = _with_total(results.page, found.total)
    elif results.total_estimated and shown == page_size and not results.page.has_next():
        # A full page at the end of the estimate: there are more than estimated.
        results.page = _with_total(results.page, _about_up(results.page.end_index() + 1))
    results.facets = _facet_values(found.counts, filterset, found.exact_values)
    if not results.facets_estimated:
        for values in results.facets.values():
            for value in values:
                value.exact = True
    if not results.total_estimated:
        # A chosen value's count is the number of matches the other filters keep with it:
        # the total itself, whether the facets were counted on a sample or not.
        for values in results.facets.values():
            for value in values:
                if value.selected:
                    value.count, value.exact = results.total, True
    return results


def _page_asked(page_number) -> int:
    try:
        return max(1, int(page_number))
    except (TypeError, ValueError):
        return 1


def _with_total(page: Page, total: int) -> Page:
    paginator = Paginator(page.paginator.object_list, page.paginator.per_page)
    paginator.count = total
    return Page(page.object_list, page.number, paginator)


def _about_up(count: int) -> int:
    """`count` rounded up to two significant figures (40,001 as 41,000): an estimate above it."""
    if count < 100:
        return count
    step = 10 ** (len(str(count)) - 2)
    return -(-count // step) * step


FACET_TITLES = {
    "kind": _("Kind"),
    "sdg": _("Sustainable Development Goal"),
    "theme": _("Theme"),
    "language": _("Language"),
    "year": _("Year"),
    "organisation": _("Organisation"),
}
