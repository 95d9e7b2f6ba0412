"""The search on SQLite (the zero-setup mode): SQLite's FTS5 full-text index.

The FTS5 table (knowledgehub.indexing) holds each published resource's title, authors,
abstract and PDF text, split into words with the Porter stemmer (English) and without
accents. Matches are ranked by bm25, title above authors above abstract above PDF text; the
filters and their counts work on the resources the index returns, through the ORM.
"""

# SQL is assembled here from this module's own constants (table, column and operator names);
# every value a visitor or an editor typed goes in as a parameter.
# ruff: noqa: S608, S611

import difflib

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear

from knowledgehub.filters import ResourceFilter
from knowledgehub.models import Resource, Sdg, Theme
from members.models import Organisation

TABLE = "knowledgehub_resource_fts"
MARK_START, MARK_STOP = "\u27e6", "\u27e7"
# bm25's weight for each column: title, authors, abstract, PDF text.
_BM25 = f"bm25({TABLE}, 10.0, 5.0, 2.0, 1.0)"


def _of_row(expression: str) -> str:
    return (
        f"(SELECT {expression} FROM {TABLE} WHERE {TABLE} MATCH %s"
        f" AND {TABLE}.rowid = knowledgehub_resource.id)"
    )


def matching(expression: str | None) -> QuerySet[Resource]:
    """Published resources matching the FTS5 expression (all for None)."""
    resources = Resource.objects.published()
    if expression is None:
        return resources
    return resources.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression])
    )


def ranked(resources: QuerySet[Resource], expression: str) -> QuerySet[Resource]:
    """With `score` (higher is better) and `headline`, the snippet of the abstract or text."""
    return resources.annotate(
        score=RawSQL(f"-{_of_row(_BM25)}", [expression]),
        headline=RawSQL(
            _of_row(f"snippet({TABLE}, -1, '{MARK_START}', '{MARK_STOP}', ' … ', 24)"),
            [expression],
        ),
    )


def facet_counts(filterset: ResourceFilter, matches: QuerySet[Resource]) -> dict[str, dict]:
    """For each facet, {value: count} among the matches narrowed by the *other* filters."""
    counts: dict[str, dict] = {}

    def base(facet: str) -> QuerySet[Resource]:
        return filterset.apply(matches, leaving_out=ResourceFilter.FACETS[facet]).order_by()

    for facet in ("kind", "language"):
        rows = base(facet).values(facet).annotate(count=Count("pk"))
        counts[facet] = {row[facet]: row["count"] for row in rows}
    rows = base("year").annotate(year=ExtractYear("published_on")).values("year")
    counts["year"] = {
        str(row["year"]): row["count"]
        for row in rows.annotate(count=Count("pk"))
        if row["year"] is not None
    }
    for facet, model, key in (
        ("sdg", Sdg, "number"),
        ("theme", Theme, "pk"),
        ("organisation", Organisation, "pk"),
    ):
        rows = (
            model.objects.filter(resources__in=base(facet).values("pk"))
            .annotate(count=Count("resources"))
            .values_list(key, "count")
        )
        counts[facet] = {str(value): count for value, count in rows}
    return counts


def closest_words(words: list[str]) -> dict[str, str]:
    """For each word no title or author has, the most similar one that some has."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM knowledgehub_search_word")
        known = [row[0] for row in cursor.fetchall()]
    vocabulary = set(known)
    closest = {}
    for word in words:
        if word in vocabulary:
            continue
        found = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
        if found:
            closest[word] = found[0]
    return closest
