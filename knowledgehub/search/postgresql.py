"""The search on PostgreSQL: one narrow row per published resource (knowledgehub.indexing),
with RUM indexes on its words (the `rum` extension, see the README).

A resource matches when its words, stemmed in its own language, match the query stemmed in
that same language: the query is stemmed once per language configuration, and each stemming
is looked up in that configuration's own index (a partial index over its languages' rows).

Ranking: a RUM index keeps each word's positions and weights (title A, authors B, abstract C,
PDF text D), so it returns the matches in order of relevance (`document <=> query`, PostgreSQL's
text rank: weights, frequency and closeness of the words) without reading a row. Every match is
ranked, however many; each language's index gives its best, merged by rank, ties to the newest;
the page's resources and their snippets are read in the same statement (`page`, `headline`).

A query holding a phrase is ranked on the rows instead (`rum_ts_distance`, the same measure
computed from each match's vector): a RUM index's ordered scan returns a phrase's matches out
of order of that measure (seen with rum 1.3: `"public procurement" Kenya` put the best match
out of the first page), and checking the phrase's positions while ordering is its slowest
kind of scan.

The total and every facet's counts (a facet counts its values among the matches narrowed by
every *other* filter) are first counted among an even sample of the rows, one resource in 64,
then if need be one in 16 (SAMPLE_MODULI), which small partial RUM indexes answer (migrations
0009 and 0010). When a sample holds ESTIMATED_FROM matches or more (about four thousand in all in
the coarser, a thousand in the finer), they are that count scaled up, and the page says "about".
When one filter keeps too few of a sample's many matches (a selective filter on a common word),
the total and the facets are counted exactly among the matches it keeps, but for the values of
the filter's own facet that it leaves out (counted among all the matches): those are the
sample's. Otherwise one statement counts
every match, reading only the narrow rows: the total exact, the facets exact up to
EXACT_COUNTS_UP_TO matches and past that counted on an even sample of about SAMPLE_SIZE and scaled
up.

Snippets: a resource's abstract when it holds a match (the editor's own summary, and a fraction
of the text to read), otherwise its abstract and the start of its text.
"""

# SQL is assembled here from this module's own constants (table, column and operator names);
# every value a visitor or an editor typed goes in as a parameter.
# ruff: noqa: S608

import re

from django.db import connection

from knowledgehub.models import DEFAULT_SEARCH_CONFIG, SEARCH_CONFIGS

TABLE = "knowledgehub_resource_search"
# Counting every facet of a common word's tens of thousands of matches would take most of a
# search's time: past this many matches, the facets are counted on an even sample of about
# SAMPLE_SIZE of them (each sampled resource costs a look-up of its row: ~5 µs).
EXACT_COUNTS_UP_TO = 2000
SAMPLE_SIZE = 1000
# The samples the partial indexes of migrations 0010 and 0009 cover, coarser first: the rows
# whose resource id is a multiple of each (the statements repeat the indexes' condition, so that
# they are used). With ESTIMATED_FROM matches kept by the filters in a sample (about 4,000 in all
# in the coarser, 1,000 in the finer), the total and facets are estimated from it: counting every
# match of a common word costs most of a search, and the coarser sample reads a quarter of the
# finer's rows.
SAMPLE_MODULI = (64, 16)
ESTIMATED_FROM = 64
_CONFIGS = sorted({*SEARCH_CONFIGS.values(), DEFAULT_SEARCH_CONFIG})
# ts_headline marks matches with these; the text is escaped before they become <mark> tags.
MARK_START, MARK_STOP = "\u27e6", "\u27e7"
_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
SNIPPET_SOURCE_CHARACTERS = 20_000
# A lexeme as tsquery's text writes it ('it''s'): what lies between them is its operators.
_QUOTED_LEXEME = re.compile(r"'(?:[^']|'')*'")


class Query:
    """The query stemmed per language configuration, [(configuration, tsquery text)], and the
    SQL pieces made from it."""

    def __init__(self, text: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c, websearch_to_tsquery(c::regconfig, %s)::text"
                " FROM unnest(%s::text[]) AS c",
                [text, _CONFIGS],
            )
            # Empty when the language drops every word (its stop words).
            self.groups = [(config, tsquery) for config, tsquery in cursor.fetchall() if tsquery]

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def has_phrase(self) -> bool:
        """Whether the query holds a phrase (`<->` or `<N>` between lexemes), wanted or not."""
        return any("<" in _QUOTED_LEXEME.sub("", tsquery) for _config, tsquery in self.groups)

    def match(self) -> tuple[str, list]:
        # The configuration as a constant: it names the partial index that answers the branch.
        sql = " OR ".join(
            "(config = %s::regconfig AND document @@ %s::tsquery)" for _ in self.groups
        )
        return f"({sql})", [value for group in self.groups for value in group]


def _matching(query: Query | None) -> tuple[list[str], list]:
    """The query's match as a part of `_where` (none without a query)."""
    if query is None:
        return [], []
    sql, params = query.match()
    return [sql], params


def _filters(active: dict, leaving_out: tuple[str, ...] = ()) -> tuple[list[str], list]:
    """SQL conditions on the narrow row for the filters in use, except those named."""
    conditions, params = [], []
    columns = {
        "kind": "kind = %s",
        "language": "language = %s",
        "sdg": "sdgs @> ARRAY[%s]::smallint[]",
        "theme": "themes @> ARRAY[%s]::integer[]",
        "organisation": "organisations @> ARRAY[%s]::integer[]",
        "year_from": "year >= %s",
        "year_to": "year <= %s",
    }
    for name, value in active.items():
        if name in leaving_out or name not in columns:
            continue
        conditions.append(columns[name])
        params.append(int(value) if name == "sdg" else getattr(value, "pk", value))
    return conditions, params


def _where(*parts: tuple[list[str], list]) -> tuple[str, list]:
    conditions = [condition for part in parts for condition in part[0]]
    params = [param for part in parts for param in part[1]]
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


def _facet_selects(active: dict, facets: dict[str, tuple[str, ...]]) -> tuple[list[str], list]:
    """One SELECT per facet over the rows of `counted` (kind, language, year and the three
    arrays): each value's count among them, narrowed by every filter but the facet's own."""
    selects, params = [], []
    for facet, left_out in facets.items():
        where, where_params = _where(_filters(active, left_out))
        if facet in ("kind", "language", "year"):
            selects.append(
                f"SELECT '{facet}', {facet}::text, count(*) FROM counted{where} GROUP BY {facet}"
            )
        else:
            column = {"sdg": "sdgs", "theme": "themes", "organisation": "organisations"}[facet]
            selects.append(
                f"SELECT '{facet}', value::text, count(*) FROM counted"
                f" CROSS JOIN unnest({column}) AS value{where} GROUP BY value"
            )
        params += where_params
    return selects, params


def _counts(rows, facets) -> tuple[int, int, dict[str, dict[str, int]]]:
    """The first row's two numbers and each facet's {value: count} from the rest."""
    counts: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    first, second = 0, 1
    for facet, value, count in rows:
        if not facet:
            first, second = int(value), count
        elif value is not None:
            counts[facet][value] = count
    return first, second, counts


def _scaled(counts: dict[str, dict[str, int]], factor: int) -> dict[str, dict[str, int]]:
    return {
        facet: {value: _about(count * factor) for value, count in values.items()}
        for facet, values in counts.items()
    }


def figures(query: Query | None, active: dict, facets: dict[str, tuple[str, ...]]):
    """The total, each facet's {value: count}, which of them are estimated: a pair of
    booleans (the total, the facets), and the values counted exactly even so ({facet: {value}}:
    among estimated facets, those that are not).

    A query's matches are first counted in the sample (see the module's docstring); with
    ESTIMATED_FROM of them kept by the filters or more, the figures are the sample's, scaled.
    """
    coarser, sampled = None, None
    for modulus in SAMPLE_MODULI if query is not None else ():
        # A coarser sample whose estimate is under half of what this one needs says that this
        # one will not reach it either.
        if coarser is not None and coarser[1] * coarser[0] < ESTIMATED_FROM * modulus / 2:
            break
        kept, matching, counts = _figures_of_sample(query, active, facets, modulus)
        if kept >= ESTIMATED_FROM:
            return _about(kept * modulus), _scaled(counts, modulus), (True, True), {}
        if matching >= ESTIMATED_FROM:
            sampled = (modulus, counts)
        coarser = (modulus, kept)
    filtered = [facet for facet, names in facets.items() if set(names) & set(active)]
    if sampled is not None and len(filtered) == 1:
        # One filter keeps few of many matches: the total and every facet are counted exactly
        # among the few it keeps, but the filter's own facet counts its values among all the
        # matches: those the filter leaves out are the sample's.
        modulus, sample_counts = sampled
        total, counts = _figures_of_kept_matches(query, active, facets)
        exact = {facet: set(values) for facet, values in counts.items()}
        own = filtered[0]
        counts[own] = {**_scaled(sample_counts, modulus)[own], **counts[own]}
        return total, counts, (False, True), exact
    total, counts, estimated = _figures_of_every_match(query, active, facets)
    return total, counts, (False, estimated), {}


def _figures_of_sample(query: Query, active: dict, facets: dict[str, tuple[str, ...]], modulus):
    """The sample's matches kept by the filters, all its matches, and its facets' counts: one
    statement, the sample's rows (resource id a multiple of `modulus`, one of SAMPLE_MODULI)
    read once through its partial indexes."""
    match, match_params = query.match()
    conditions, filter_params = _filters(active)
    kept = " AND ".join(conditions) or "true"
    selects, params = _facet_selects(active, facets)
    sql = (
        "WITH counted AS MATERIALIZED (SELECT kind, language, year, sdgs, themes, organisations,"
        f" {kept} AS kept FROM {TABLE} WHERE resource_id %% {int(modulus)} = 0 AND {match})"
        " SELECT '', (count(*) FILTER (WHERE kept))::text, count(*) FROM counted"
        + "".join(f" UNION ALL {select}" for select in selects)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*filter_params, *match_params, *params])
        return _counts(cursor.fetchall(), facets)


def _figures_of_kept_matches(query: Query, active: dict, facets):
    """The matches the filters keep, counted, and each facet's counts among them: one
    statement over the kept matches' narrow rows."""
    where, params = _where(_matching(query), _filters(active))
    # Every row counted is kept by every filter: no facet narrows it further.
    selects, _no_params = _facet_selects({}, facets)
    sql = (
        "WITH counted AS MATERIALIZED (SELECT kind, language, year, sdgs, themes, organisations"
        f" FROM {TABLE}{where}) SELECT '', count(*)::text, 0 FROM counted"
        + "".join(f" UNION ALL {select}" for select in selects)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        total, _zero, counts = _counts(cursor.fetchall(), facets)
    return total, counts


def _figures_of_every_match(query: Query | None, active: dict, facets):
    """The total (exact), each facet's counts, and whether those are estimated.

    One statement, one look-up of the matches: their ids (and whether the filters keep each:
    the total) are kept aside, counted, and the facets are counted among them, or past
    EXACT_COUNTS_UP_TO matches among an even sample of about SAMPLE_SIZE of them (every n-th
    resource, its narrow row read again by its id), scaled up.
    """
    matches_where, matches_params = _where(_matching(query))
    conditions, filter_params = _filters(active)
    kept = " AND ".join(conditions) or "true"
    selects, params = _facet_selects(active, facets)
    sql = (
        f"WITH matches AS MATERIALIZED (SELECT resource_id, {kept} AS kept FROM {TABLE}"
        f"{matches_where}), sized AS (SELECT count(*) AS matching,"
        " count(*) FILTER (WHERE kept) AS total,"
        " CASE WHEN count(*) <= %s THEN 1 ELSE ceil(count(*) / %s::numeric)::integer END"
        " AS every FROM matches),"
        " counted AS MATERIALIZED (SELECT kind, language, year, sdgs, themes, organisations"
        f" FROM {TABLE} WHERE resource_id IN (SELECT resource_id FROM matches"
        " WHERE resource_id %% (SELECT every FROM sized) = 0))"
        " SELECT '', total::text, every FROM sized"
        + "".join(f" UNION ALL {select}" for select in selects)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*filter_params, *matches_params, EXACT_COUNTS_UP_TO, SAMPLE_SIZE, *params]
        )
        total, every, counts = _counts(cursor.fetchall(), facets)
    if every > 1:
        return total, _scaled(counts, every), True
    return total, counts, False


def _about(count: int) -> int:
    """An estimated count to two significant figures (1,234 as 1,200)."""
    return count if count < 100 else round(count, 2 - len(str(count)))


def page(
    query: Query | None, active: dict, *, by_relevance: bool, oldest: bool, offset: int, limit: int
) -> tuple[str, list, str]:
    """SQL for one page of the matches in the order asked, rows of (resource_id, published_on,
    distance: NULL when not ranked), with its parameters and the ORDER BY that keeps that order
    once the rows are joined to the resources'."""
    if not (query and by_relevance):
        where, params = _where(_matching(query), _filters(active))
        direction = "ASC" if oldest else "DESC"
        order = f"published_on {direction} NULLS LAST, resource_id {direction}"
        sql = (
            f"SELECT resource_id, published_on, NULL::real AS distance FROM {TABLE}{where}"
            f" ORDER BY {order} LIMIT %s OFFSET %s"
        )
        return sql, [*params, limit, offset], order
    # Each language's index gives its best offset + limit in order; merged here by distance.
    # A phrase's matches are ranked from their rows (the function the index's operator calls,
    # which the planner does not hand to the index): see the module's docstring.
    distance = (
        "rum_ts_distance(document, %s::tsquery)" if query.has_phrase else "document <=> %s::tsquery"
    )
    parts, params = [], []
    conditions, filter_params = _filters(active)
    narrowed = "".join(f" AND {condition}" for condition in conditions)
    for config, tsquery in query.groups:
        parts.append(
            f"(SELECT resource_id, published_on, {distance} AS distance FROM {TABLE}"
            f" WHERE config = %s::regconfig AND document @@ %s::tsquery{narrowed}"
            " ORDER BY distance LIMIT %s)"
        )
        params += [tsquery, config, tsquery, *filter_params, offset + limit]
    order = "distance, published_on DESC NULLS LAST, resource_id DESC"
    sql = (
        "SELECT resource_id, published_on, distance FROM ("
        + " UNION ALL ".join(parts)
        + f") AS ranked ORDER BY {order} LIMIT %s OFFSET %s"
    )
    return sql, [*params, limit, offset], order


def headline(query: Query) -> tuple[str, list]:
    """SQL for a resource's snippet (its abstract, or its abstract and text, with the matches
    marked), as a column of its own row: fetched with the page's resources, in the same
    statement.

    The abstract alone when it holds a match: marking a text costs in proportion to its length
    (about 0.35 ms for 2,000 characters, most of a page's time with long PDF texts), and the
    abstract is the summary a reader looks for."""
    table = "knowledgehub_resource"
    configs = " ".join(f"WHEN '{code}' THEN '{config}'" for code, config in SEARCH_CONFIGS.items())
    config = f"(CASE {table}.language {configs} ELSE '{DEFAULT_SEARCH_CONFIG}' END)::regconfig"
    # The query stemmed in the resource's own configuration (none: no snippet).
    stemmed = " ".join("WHEN %s THEN %s::tsquery" for _ in query.groups)
    sql = (
        f"(SELECT CASE WHEN strpos(abstract_only, '{MARK_START}') > 0 THEN abstract_only"
        f" ELSE ts_headline(config, concat({table}.abstract, E'\\n',"
        f" left({table}.extracted_text, %s)), stemmed, %s) END"
        f" FROM (SELECT config, stemmed, ts_headline(config, {table}.abstract, stemmed, %s)"
        " AS abstract_only"
        f" FROM (SELECT {config} AS config, CASE {config}::text {stemmed} END AS stemmed)"
        " AS stemmed) AS abstract_first)"
    )
    params = [
        SNIPPET_SOURCE_CHARACTERS,
        _HEADLINE_OPTIONS,
        _HEADLINE_OPTIONS,
        *(value for group in query.groups for value in group),
    ]
    return sql, params


def closest_words(words: list[str]) -> dict[str, str]:
    """For each word no title or author has, the most similar one that some has (trigrams)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, (SELECT word FROM knowledgehub_search_word WHERE word %% w"
            " ORDER BY word <-> w, word LIMIT 1) FROM unnest(%s::text[]) AS w"
            " WHERE NOT EXISTS (SELECT 1 FROM knowledgehub_search_word WHERE word = w)",
            [words],
        )
        return {word: closest for word, closest in cursor.fetchall() if closest}
