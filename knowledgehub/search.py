"""Searching the Knowledge Hub: ranked full text on PostgreSQL, substring matching elsewhere.

On PostgreSQL a resource matches when its stored search vector (title A, authors B, abstract
C, PDF text D) matches the query in web-search syntax ("quoted phrases", -exclusions, or), or
when the query is close to its title or authors by trigram word similarity (typos, partial
words). Both conditions use GIN indexes on the resource table, so PostgreSQL answers them with
one bitmap scan. Results are ordered by text rank plus title/author similarity, with
highlighted snippets. SQLite (the zero-setup mode) matches substrings, newest first.

The facets count, for each filter, the values found among the resources matching the query and
every *other* filter (so choosing a kind still shows how many of each other kind there are):
one query per facet, whatever the number of results.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Count, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Concat, ExtractYear, Greatest, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from knowledgehub.filters import SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE, ResourceFilter
from knowledgehub.models import (
    DEFAULT_SEARCH_CONFIG,
    SDG_NAMES,
    SEARCH_CONFIGS,
    Resource,
    ResourceKind,
    ResourceLanguage,
    Sdg,
    Theme,
    search_config_expression,
)
from members.models import Organisation
from untfsse.core.cache import ContentArea, content_versions

MAX_QUERY_LENGTH = 200
# Trigram similarity means little for long queries, and costs more: only short ones use it.
MAX_TRIGRAM_QUERY_LENGTH = 60
PAGE_SIZE = 20
# How much a perfect title (or author) similarity adds to the text rank.
SIMILARITY_WEIGHT = 0.3
SNIPPET_SOURCE_CHARACTERS = 20_000
# A common word matches most of the repository, and ranking, counting and faceting every match
# would make that search slow for everyone. Past this many matches (after the filters, which
# always apply to all of them), the search ranks the newest this many and says so.
RANKED_MATCHES_CAP = 1000
# A search's figures depend on nothing but the content (kept per version), so they may live
# long: a landing page's facet counts over 100,000 resources take a second or more to make.
FIGURES_TIMEOUT = 24 * 60 * 60
# Part of their key: change it whenever what the figures hold changes shape.
FIGURES_SCHEMA = 1
# ts_headline marks matches with these; the text is escaped before they become <mark> tags.
_MARK_START, _MARK_STOP = "\u27e6", "\u27e7"


def normalise_query(raw: str | None) -> tuple[str, bool]:
    """The query with its whitespace collapsed and cut to MAX_QUERY_LENGTH, and whether it was
    cut."""
    query = " ".join((raw or "").replace("\x00", " ").split())
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or query[:MAX_QUERY_LENGTH], True
    return query, False


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def search_query(query: str) -> SearchQuery:
    """The query stemmed the way every language's resources were indexed, OR-ed together."""
    combined = None
    for config in sorted({*SEARCH_CONFIGS.values(), DEFAULT_SEARCH_CONFIG}):
        part = SearchQuery(query, config=config, search_type="websearch")
        combined = part if combined is None else combined | part
    return combined


_SEARCH_OPERATORS = re.compile(r'"|(^|\s)-\S|\sor\s', re.IGNORECASE)


def uses_trigrams(query: str) -> bool:
    """Whether the query is also matched by similarity: short queries without phrases,
    exclusions or "or" (which similarity would ignore, finding what they rule out)."""
    return len(query) <= MAX_TRIGRAM_QUERY_LENGTH and not _SEARCH_OPERATORS.search(query)


# Similarity finds what a typo or a partial word misses, but a short common word is similar to
# thousands of titles, and the trigram indexes only narrow those down: PostgreSQL then rechecks
# every row they return, text vector included. So similarity joins in only when the words
# themselves find fewer than this many resources.
SIMILARITY_FALLBACK_BELOW = 20


def found_by_words(query: str) -> list[int] | None:
    """For a query that similarity should widen, the few resources its words find (one small
    query); None when its words find enough, or similarity does not apply to it."""
    if not (query and uses_full_text_search() and uses_trigrams(query)):
        return None
    by_words = Resource.objects.published().filter(search_vector=search_query(query))
    # Unordered: in the newest-first order, the planner walks the date index testing every
    # row's text vector until enough match, which for a rare word is every row.
    found = list(by_words.order_by().values_list("pk", flat=True)[:SIMILARITY_FALLBACK_BELOW])
    return found if len(found) < SIMILARITY_FALLBACK_BELOW else None


def _match_condition(query: str, few_found: list[int] | None) -> Q:
    if not uses_full_text_search():
        return (
            Q(title__icontains=query)
            | Q(authors_text__icontains=query)
            | Q(abstract__icontains=query)
            | Q(extracted_text__icontains=query)
        )
    if few_found is None:
        return Q(search_vector=search_query(query))
    # The trigram indexes are lossy: PostgreSQL rechecks the whole condition on every row they
    # return, so the words' own few matches are named by id rather than tested again against
    # each row's large text vector.
    return (
        Q(TrigramWordSimilar(F("title"), Value(query)))
        | Q(TrigramWordSimilar(F("authors_text"), Value(query)))
        | Q(pk__in=few_found)
    )


def matching_resources(query: str, few_found: list[int] | None = None) -> QuerySet[Resource]:
    """Published resources matching the query (all of them for an empty query), unordered: by
    its words, and by similarity too when `few_found` (from `found_by_words`) is given."""
    resources = Resource.objects.published()
    return resources.filter(_match_condition(query, few_found)) if query else resources


def _ranked(resources: QuerySet[Resource], query: str, similar: bool) -> QuerySet[Resource]:
    score = SearchRank(F("search_vector"), search_query(query))
    if similar:
        similarity = Greatest(
            TrigramWordSimilarity(Value(query), "title"),
            TrigramWordSimilarity(Value(query), "authors_text"),
        )
        score = score + Value(SIMILARITY_WEIGHT, output_field=FloatField()) * similarity
    return resources.annotate(
        score=score,
        headline=SearchHeadline(
            Concat("abstract", Value("\n"), Left("extracted_text", SNIPPET_SOURCE_CHARACTERS)),
            search_query(query),
            config=search_config_expression(),
            start_sel=_MARK_START,
            stop_sel=_MARK_STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    )


def highlighted(headline: str | None) -> SafeString:
    """A ts_headline snippet as safe HTML: the text escaped, the matches in <mark>."""
    text = escape(headline or "")
    return mark_safe(text.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>"))


def _ordered(resources: QuerySet[Resource], sort: str, ranked: bool) -> QuerySet[Resource]:
    newest = [F("published_on").desc(nulls_last=True), "-pk"]
    if sort == SORT_OLDEST:
        return resources.order_by(F("published_on").asc(nulls_last=True), "pk")
    if sort == SORT_RELEVANCE and ranked:
        return resources.order_by("-score", *newest)
    return resources.order_by(*newest)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: str
    query_truncated: bool
    filterset: ResourceFilter
    sort: str
    page: Page
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    full_text: bool = False
    # More than RANKED_MATCHES_CAP resources matched: the page holds the newest that many.
    capped: bool = False

    @property
    def valid(self) -> bool:
        return self.filterset.is_valid()

    @property
    def cap(self) -> int:
        return RANKED_MATCHES_CAP

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


def _facet_counts(
    filterset: ResourceFilter, matching: QuerySet[Resource]
) -> dict[str, list[FacetValue]]:
    """For each facet, its values among the matching resources narrowed by the other filters:
    one query for the column facets not filtered on, one for each that is, one per relation."""
    active = filterset.active

    def base(facet: str) -> QuerySet[Resource]:
        return filterset.apply(matching, leaving_out=ResourceFilter.FACETS[facet]).order_by()

    kinds = dict(ResourceKind.choices)
    languages = dict(ResourceLanguage.choices)
    labels = {"kind": kinds, "language": languages, "year": {}}
    facets: dict[str, list[FacetValue]] = {}

    # Kind, language and year are columns of the resource: the ones whose own filter is not in
    # use share the fully filtered results as their base, so a single GROUP BY over the three
    # columns counts them all (summed here); a facet whose filter is in use gets its own query.
    column_facets = ("kind", "language", "year")
    in_use = {
        facet
        for facet in column_facets
        if any(name in active for name in ResourceFilter.FACETS[facet])
    }
    counts: dict[str, dict] = {facet: {} for facet in column_facets}
    groups = [(tuple(f for f in column_facets if f not in in_use), None)]
    groups += [((facet,), facet) for facet in column_facets if facet in in_use]
    for group, left_out in groups:
        if not group:
            continue
        rows = (
            (base(left_out) if left_out else filterset.apply(matching).order_by())
            .annotate(year=ExtractYear("published_on"))
            .values(*group)
            .annotate(count=Count("pk"))
        )
        for row in rows:
            for facet in group:
                if row[facet] is not None:
                    counts[facet][row[facet]] = counts[facet].get(row[facet], 0) + row["count"]
    for facet in ("kind", "language"):
        facets[facet] = [
            FacetValue(value, str(labels[facet].get(value, value)), count)
            for value, count in sorted(counts[facet].items(), key=lambda item: (-item[1], item[0]))
        ]
    facets["year"] = [
        FacetValue(str(year), str(year), count)
        for year, count in sorted(counts["year"].items(), reverse=True)
    ]
    facets["sdg"] = [
        FacetValue(str(sdg.number), f"{sdg.label}: {sdg.display_name}", sdg.count)
        for sdg in Sdg.objects.filter(resources__in=base("sdg").values("pk"))
        .annotate(count=Count("resources"))
        .order_by("number")
    ]
    facets["theme"] = [
        FacetValue(theme.slug, theme.name, theme.count)
        for theme in Theme.objects.filter(resources__in=base("theme").values("pk"))
        .annotate(count=Count("resources"))
        .order_by("-count", "name")
    ]
    facets["organisation"] = [
        FacetValue(organisation.slug, organisation.acronym, organisation.count)
        for organisation in Organisation.objects.filter(
            resources__in=base("organisation").values("pk")
        )
        .annotate(count=Count("resources"))
        .order_by("-count", "acronym")
    ]

    # The chosen value of each filter, with its label: shown selected even when nothing has it.
    selected: dict[str, tuple[str, str]] = {}
    if "kind" in active:
        selected["kind"] = (active["kind"], str(kinds.get(active["kind"], "")))
    if "language" in active:
        selected["language"] = (active["language"], str(languages.get(active["language"], "")))
    if "sdg" in active:
        number = int(active["sdg"])
        label = gettext("SDG %(number)d") % {"number": number}
        selected["sdg"] = (str(number), f"{label}: {SDG_NAMES[number]}")
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


def _newest_match_ids(matches: QuerySet[Resource], limit: int) -> list[int]:
    """The ids of the newest `limit` matches."""
    ids = _ordered(matches, SORT_NEWEST, ranked=False).values_list("pk", flat=True)[:limit]
    if not uses_full_text_search():
        return list(ids)
    # The planner cannot tell how many resources a query matches (the trigram conditions defeat
    # its estimates), and when it guesses many it reads the rows newest first or all of them,
    # testing each row's text vector, which is large (the PDF's text): seconds for a common
    # name. The GIN indexes answer the same question without reading a single vector.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true),"
            " set_config('enable_indexscan', 'off', true)"
        )
        found = list(ids)
        # Rolled back (a read loses nothing): that undoes the settings even when this block
        # is a savepoint inside a longer transaction, where releasing it would keep them.
        transaction.set_rollback(True)
    return found


def _empty_page(page_size: int) -> Page:
    return Paginator(Resource.objects.none(), page_size).get_page(1)


def search_resources(params, *, page_number=1, page_size: int = PAGE_SIZE) -> SearchResults:
    """The search page's results for the request's parameters (q, filters, sort, page).

    Never raises for bad input: an over-long query is cut (and says so), unknown filter
    values make `valid` False with `errors` to show and no results.
    """
    query, truncated = normalise_query(params.get("q"))
    filterset = ResourceFilter(params, queryset=Resource.objects.none())
    full_text = bool(query) and uses_full_text_search()
    if not filterset.is_valid():
        return SearchResults(
            query=query,
            query_truncated=truncated,
            filterset=filterset,
            sort=SORT_RELEVANCE if query else SORT_NEWEST,
            page=_empty_page(page_size),
            full_text=full_text,
        )
    sort = filterset.form.cleaned_data.get("sort") or (SORT_RELEVANCE if query else SORT_NEWEST)
    figures_key = _figures_key(query, filterset)
    figures = cache.get(figures_key) if figures_key else None
    if figures is None:
        figures = {"few_found": found_by_words(query), "window": None}
    similar = figures["few_found"] is not None
    matching = matching_resources(query, figures["few_found"])
    if query and "facets" not in figures:
        # The query's matches are looked up once: every later read (count, facets, page) then
        # names them by id instead of testing the condition again, row by row.
        every = _newest_match_ids(matching, RANKED_MATCHES_CAP + 1)
        if len(every) <= RANKED_MATCHES_CAP:
            figures["matches"] = every
        else:
            window = every
            if filterset.active:
                window = _newest_match_ids(filterset.apply(matching), RANKED_MATCHES_CAP + 1)
            if len(window) > RANKED_MATCHES_CAP:
                figures["window"] = window[:RANKED_MATCHES_CAP]
                # The counts beside the filters: among the newest matches of the query alone,
                # so that leaving a filter out still shows its other values.
                figures["facet_base"] = every[:RANKED_MATCHES_CAP]
    if figures.get("matches") is not None:
        # All of the query's matches: the filters and facets work on them as on any set.
        matching = Resource.objects.filter(pk__in=figures["matches"])
    if figures["window"] is not None:
        # The filters are already applied to the window; applying them again is a no-op.
        matching = Resource.objects.filter(pk__in=figures["window"])
    # The page never shows the PDF's text or the vector: sorting thousands of matches is
    # cheaper without carrying them.
    results = filterset.apply(matching).defer("extracted_text", "search_vector")
    if full_text:
        results = _ranked(results, query, similar)
    results = _ordered(results, sort, ranked=full_text)
    paginator = Paginator(results, page_size)
    if "total" in figures:
        paginator.count = figures["total"]  # a cached_property: the count query is spared
    page = paginator.get_page(page_number)
    if "facets" not in figures:
        facet_base = matching
        if figures.get("facet_base") is not None:
            facet_base = Resource.objects.filter(pk__in=figures["facet_base"])
        figures.update(total=paginator.count, facets=_facet_counts(filterset, facet_base))
        if figures_key:
            cache.set(figures_key, figures, FIGURES_TIMEOUT)
    return SearchResults(
        query=query,
        query_truncated=truncated,
        filterset=filterset,
        sort=sort,
        page=page,
        facets=figures["facets"],
        full_text=full_text,
        capped=figures["window"] is not None,
    )


def _figures_key(query: str, filterset: ResourceFilter) -> str | None:
    """Where a search's figures (the few its words find, its window of newest matches, total
    and facet counts) are kept: they are the same for every reader, so signed-in readers, whose
    pages are never cached whole, are spared the heaviest queries of a repeated search too.
    Only with a cache every process shares (as the public pages), and per content version, so a
    change to the Knowledge Hub or the organisations shows at once."""
    if not settings.PUBLIC_PAGE_CACHE:
        return None
    chosen = sorted(
        (name, str(getattr(value, "pk", value)))
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort" and value not in (None, "")
    )
    described = repr((FIGURES_SCHEMA, query, chosen, RANKED_MATCHES_CAP))
    digest = hashlib.sha256(described.encode()).hexdigest()[:32]
    versions = content_versions((ContentArea.KNOWLEDGE_HUB, ContentArea.MEMBERS))
    return f"search-figures:{get_language()}:{versions}:{digest}"


FACET_TITLES = {
    "kind": _("Kind"),
    "sdg": _("Sustainable Development Goal"),
    "theme": _("Theme"),
    "language": _("Language"),
    "year": _("Year"),
    "organisation": _("Organisation"),
}
