"""The search's own tables (not models: each database gets what its text search needs).

PostgreSQL: `knowledgehub_resource_search`, one narrow row per published resource with what
the search filters, counts and ranks on (a GIN index on its words, the facets' values as
columns and arrays, so that counting never joins). SQLite: `knowledgehub_resource_fts`, an FTS5
table (title, authors, abstract, PDF text). Both: `knowledgehub_search_word`, the words of
titles and authors, which typos are corrected against. `knowledgehub.indexing` fills them.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE TABLE knowledgehub_resource_search (
        resource_id integer PRIMARY KEY
            REFERENCES knowledgehub_resource (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        config regconfig NOT NULL,
        kind varchar(20) NOT NULL,
        language varchar(5) NOT NULL,
        published_on date,
        year smallint,
        sdgs smallint[] NOT NULL,
        themes integer[] NOT NULL,
        organisations integer[] NOT NULL,
        head tsvector NOT NULL,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX resource_search_document ON knowledgehub_resource_search USING gin (document)",
    "CREATE INDEX resource_search_newest ON knowledgehub_resource_search"
    " (published_on DESC NULLS LAST, resource_id DESC)",
    "CREATE INDEX resource_search_oldest ON knowledgehub_resource_search (published_on, resource_id)",
    "CREATE TABLE knowledgehub_search_word (word text PRIMARY KEY)",
    "CREATE INDEX search_word_trgm ON knowledgehub_search_word USING gin (word gin_trgm_ops)",
]
SQLITE = [
    "CREATE VIRTUAL TABLE knowledgehub_resource_fts USING fts5("
    "title, authors, abstract, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TABLE knowledgehub_search_word (word text PRIMARY KEY) WITHOUT ROWID",
]
DROP = ["knowledgehub_resource_search", "knowledgehub_resource_fts", "knowledgehub_search_word"]


def create(apps, schema_editor):
    connection = schema_editor.connection
    statements = POSTGRESQL if connection.vendor == "postgresql" else SQLITE
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    # The rows of the resources already there (the indexing code is imported, not copied: the
    # tables exist for it, and a later migration that changes them refills them the same way).
    from knowledgehub.indexing import search_rows_refresh

    search_rows_refresh(connection=connection)


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table in DROP:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("knowledgehub", "0005_notificationdelivery_outbox")]

    operations = [migrations.RunPython(create, drop)]
