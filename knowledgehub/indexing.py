"""What makes a resource findable: the text read out of its PDF, and its stored search vector.

Kept apart from the write services (knowledgehub/services/resources.py) because both sides use
it: the services refresh the vector when they change a resource and queue the PDF's text
extraction, and the extraction task (knowledgehub/tasks.py) calls `resource_extract_text`. So
the services import the task and the task imports this module, and nothing goes round in a
circle.
"""

# SQL is assembled here from this module's own constants (table, column and operator names);
# every value a visitor or an editor typed goes in as a parameter.
# ruff: noqa: S608

import re

from django.contrib.postgres.search import SearchVector
from django.db import connection as default_connection

from knowledgehub.extraction import pdf_text
from knowledgehub.models import (
    SEARCH_CONFIGS,
    Resource,
    TextExtractionStatus,
    search_config_expression,
)
from untfsse.core.invalidation import content_changed


def resource_refresh_search_vector(*, resource_id: int) -> None:
    """Rebuild the stored search vector from the row's own columns, in one UPDATE, and the
    resource's row of the search tables (`search_rows_refresh`).

    Title weighs A, authors B, abstract C and the PDF's text D, stemmed in the resource's
    language. Call it after any change to a resource, its links or its status.
    """
    resources_refresh_search_vectors(resources=Resource.objects.filter(pk=resource_id))


def resource_refresh_search_row(*, resource_id: int) -> None:
    """The resource's row of the search tables only (its vector is unchanged), e.g. after it
    was withdrawn or published again."""
    search_rows_refresh(ids_sql="SELECT %s", ids_params=[resource_id])


def resources_refresh_search_vectors(*, resources=None) -> int:
    """The same for many resources (all by default) in one UPDATE, e.g. after a bulk import.
    Returns how many resources were refreshed."""
    resources = Resource.objects.all() if resources is None else resources
    # No content_changed(Resource) here: a vector is made of its row's own columns, and what
    # changed them (the caller's save, resource_extract_text, generate_bulk_data) has made the
    # Knowledge Hub's cached pages and searches stale already.
    if default_connection.vendor == "postgresql":
        config = search_config_expression()
        count = resources.update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("authors_text", weight="B", config=config)
            + SearchVector("abstract", weight="C", config=config)
            + SearchVector("extracted_text", weight="D", config=config)
        )
    else:
        count = resources.count()
    sql, params = resources.order_by().values("pk").query.sql_with_params()
    search_rows_refresh(connection=default_connection, ids_sql=sql, ids_params=params)
    return count


# Only words this long are worth correcting a typo towards.
MIN_WORD_LENGTH = 3

_POSTGRESQL_ROWS = """
    INSERT INTO knowledgehub_resource_search AS s (
        resource_id, config, kind, language, published_on, year, sdgs, themes, organisations,
        document
    )
    SELECT r.id, (CASE r.language {configs} ELSE 'simple' END)::regconfig, r.kind, r.language,
        r.published_on, extract(year FROM r.published_on),
        ARRAY(SELECT g.number FROM knowledgehub_resource_sdgs l
              JOIN knowledgehub_sdg g ON g.id = l.sdg_id WHERE l.resource_id = r.id),
        ARRAY(SELECT l.theme_id FROM knowledgehub_resource_themes l WHERE l.resource_id = r.id),
        ARRAY(SELECT l.organisation_id FROM knowledgehub_resource_organisations l
              WHERE l.resource_id = r.id),
        coalesce(r.search_vector, '')
    FROM knowledgehub_resource r
    WHERE r.status = 'published' AND r.id IN ({ids})
    ON CONFLICT (resource_id) DO UPDATE SET
        config = excluded.config, kind = excluded.kind, language = excluded.language,
        published_on = excluded.published_on, year = excluded.year, sdgs = excluded.sdgs,
        themes = excluded.themes, organisations = excluded.organisations,
        document = excluded.document
"""
_POSTGRESQL_WORDS = """
    INSERT INTO knowledgehub_search_word (word)
    SELECT DISTINCT w FROM knowledgehub_resource r,
        unnest(tsvector_to_array(to_tsvector('simple', r.title || ' ' || r.authors_text))) w
    WHERE r.status = 'published' AND r.id IN ({ids}) AND length(w) >= %s
    ON CONFLICT DO NOTHING
"""
_SQLITE_ROWS = """
    INSERT INTO knowledgehub_resource_fts (rowid, title, authors, abstract, body)
    SELECT r.id, r.title, r.authors_text, r.abstract, r.extracted_text
    FROM knowledgehub_resource r WHERE r.status = 'published' AND r.id IN ({ids})
"""
_WORD = re.compile(r"\w+")


def search_rows_refresh(*, connection=None, ids_sql: str | None = None, ids_params=()) -> None:
    """Make the search tables' rows of the resources whose ids `ids_sql` selects (all of them
    by default) match the resources: a published resource has its row, a withdrawn one none.

    PostgreSQL: the narrow row (the vector copied from the resource's `search_vector`, facet
    values as columns). SQLite: the FTS5 row. Both: the words of its title and authors join
    the words typos are corrected against (never removed: a stale word at worst suggests a
    correction that finds nothing).
    """
    connection = connection or default_connection
    ids = ids_sql or "SELECT id FROM knowledgehub_resource"
    params = list(ids_params)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = "knowledgehub_resource_search"
            configs = " ".join(
                f"WHEN '{code}' THEN '{config}'" for code, config in SEARCH_CONFIGS.items()
            )
            cursor.execute(
                f"DELETE FROM {table} WHERE resource_id IN ({ids}) AND resource_id NOT IN"
                " (SELECT id FROM knowledgehub_resource WHERE status = 'published')",
                params,
            )
            cursor.execute(_POSTGRESQL_ROWS.format(configs=configs, ids=ids), params)
            cursor.execute(_POSTGRESQL_WORDS.format(ids=ids), [*params, MIN_WORD_LENGTH])
            return
        cursor.execute(f"DELETE FROM knowledgehub_resource_fts WHERE rowid IN ({ids})", params)
        cursor.execute(_SQLITE_ROWS.format(ids=ids), params)
        cursor.execute(
            f"SELECT title, authors_text FROM knowledgehub_resource WHERE id IN ({ids})", params
        )
        words = {
            word
            for row in cursor.fetchall()
            for word in _WORD.findall(" ".join(row).lower())
            if len(word) >= MIN_WORD_LENGTH
        }
        cursor.executemany(
            "INSERT OR IGNORE INTO knowledgehub_search_word (word) VALUES (%s)",
            [(word,) for word in sorted(words)],
        )


def resource_extract_text(*, resource_id: int) -> str | None:
    """Extract the text of the resource's PDF, store it and refresh the search vector.

    Returns the new extraction status, or None when the resource or its PDF is gone. A
    damaged, encrypted or image-only PDF is recorded as "no text" (never raises for it), so a
    redelivered task does no harm and nothing is retried forever.
    """
    resource = Resource.objects.filter(pk=resource_id).only("pk", "pdf").first()
    if resource is None or not resource.pdf:
        return None
    file_name = resource.pdf.name
    try:
        with resource.pdf.open("rb") as file:
            text = pdf_text(file)
    except FileNotFoundError:
        text = ""
    status = TextExtractionStatus.DONE if text else TextExtractionStatus.NO_TEXT
    # Only if the PDF is still the one read: a newer upload has its own extraction queued.
    updated = Resource.objects.filter(pk=resource_id, pdf=file_name).update(
        extracted_text=text, text_extraction_status=status
    )
    if updated:
        content_changed(Resource)  # update() sends no signal
        resource_refresh_search_vector(resource_id=resource_id)
    return status
