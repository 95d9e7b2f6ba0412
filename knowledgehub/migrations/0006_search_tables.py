"""The search's own tables (not models: each database gets what its text search needs).

PostgreSQL: `knowledgehub_resource_search`, one narrow row per published resource with what
the search filters, counts and ranks on (RUM indexes on its words, one per language
configuration; the facets' values as columns and arrays, so that counting never joins). SQLite: `knowledgehub_resource_fts`, an FTS5
table (title, authors, abstract, PDF text). Both: `knowledgehub_search_word`, the words of
titles and authors, which typos are corrected against. `knowledgehub.indexing` fills them.
"""

from django.db import migrations

# The stemming configurations of knowledgehub.models.SEARCH_CONFIGS and DEFAULT_SEARCH_CONFIG,
# as they were when this migration was written.
SEARCH_CONFIGURATIONS = [
    "english", "french", "german", "italian", "portuguese", "russian", "simple", "spanish",
]  # fmt: skip
MISSING_RUM = (
    "The PostgreSQL extension rum is not installed on the database server. Install the package"
    " postgresql-<major version>-rum (e.g. apt-get install postgresql-16-rum; the db image of"
    " docker-compose.yml has it), then run migrate again."
)

POSTGRESQL = [
    # The rows are narrow: the vector is kept out of line (TOAST) however small, so that counting
    # the matches' facets reads a few pages, never the vectors.
    """
    CREATE TABLE knowledgehub_resource_search (
        resource_id integer PRIMARY KEY,
        config regconfig NOT NULL,
        kind varchar(20) NOT NULL,
        language varchar(5) NOT NULL,
        published_on date,
        year smallint,
        sdgs smallint[] NOT NULL,
        themes integer[] NOT NULL,
        organisations integer[] NOT NULL,
        document tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)
    """,
    # The vector out of line, uncompressed (it is read only for snippets' and ranks' few rows);
    # the facets' arrays always in line, where counting reads them.
    "ALTER TABLE knowledgehub_resource_search ALTER COLUMN document SET STORAGE EXTERNAL,"
    " ALTER COLUMN sdgs SET STORAGE PLAIN, ALTER COLUMN themes SET STORAGE PLAIN,"
    " ALTER COLUMN organisations SET STORAGE PLAIN",
    "CREATE TABLE knowledgehub_search_word (word text PRIMARY KEY)",
    # A deleted resource leaves the search with its row; no foreign key, since Django's flush
    # (between transactional tests) truncates the models' tables alone, which a reference from
    # this table would forbid: the trigger follows a TRUNCATE as well.
    """
    CREATE FUNCTION knowledgehub_resource_search_forget() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            TRUNCATE knowledgehub_resource_search, knowledgehub_search_word;
        ELSE
            DELETE FROM knowledgehub_resource_search WHERE resource_id = OLD.id;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER resource_search_forget AFTER DELETE ON knowledgehub_resource"
    " FOR EACH ROW EXECUTE FUNCTION knowledgehub_resource_search_forget()",
    "CREATE TRIGGER resource_search_forget_all AFTER TRUNCATE ON knowledgehub_resource"
    " FOR EACH STATEMENT EXECUTE FUNCTION knowledgehub_resource_search_forget()",
]
# Made after the rows are in: building an index at once is much faster than row by row.
POSTGRESQL_INDEXES = [
    "CREATE INDEX resource_search_newest ON knowledgehub_resource_search"
    " (published_on DESC NULLS LAST, resource_id DESC)",
    "CREATE INDEX resource_search_oldest ON knowledgehub_resource_search (published_on, resource_id)",
    "CREATE INDEX search_word_trgm ON knowledgehub_search_word USING gin (word gin_trgm_ops)",
]
# One RUM index per stemming configuration, each over the resources of its languages: a query
# stemmed in English is looked up among English resources only, and the index returns them in
# order of relevance (positions and weights are in the index: no row is read to rank).
POSTGRESQL_INDEXES += [
    f"CREATE INDEX resource_search_{config} ON knowledgehub_resource_search"
    f" USING rum (document rum_tsvector_ops) WHERE config = '{config}'::regconfig"
    for config in SEARCH_CONFIGURATIONS
]
SQLITE = [
    "CREATE VIRTUAL TABLE knowledgehub_resource_fts USING fts5("
    "title, authors, abstract, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TABLE knowledgehub_search_word (word text PRIMARY KEY) WITHOUT ROWID",
    "CREATE TRIGGER resource_fts_forget AFTER DELETE ON knowledgehub_resource"
    " BEGIN DELETE FROM knowledgehub_resource_fts WHERE rowid = old.id; END",
]
DROP = ["knowledgehub_resource_search", "knowledgehub_resource_fts", "knowledgehub_search_word"]


def create(apps, schema_editor):
    connection = schema_editor.connection
    statements = POSTGRESQL if connection.vendor == "postgresql" else SQLITE
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
            if cursor.fetchone() is None:
                raise RuntimeError(MISSING_RUM)
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        for statement in statements:
            cursor.execute(statement)
    # The rows of the resources already there (the indexing code is imported, not copied: the
    # tables exist for it, and a later migration that changes them refills them the same way).
    from knowledgehub.indexing import search_rows_refresh

    search_rows_refresh(connection=connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in POSTGRESQL_INDEXES:
                cursor.execute(statement)


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        # The rum extension stays: other databases of the server may use it, and it costs nothing.
        for table in DROP:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS knowledgehub_resource_search_forget() CASCADE")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS resource_fts_forget")


class Migration(migrations.Migration):
    dependencies = [("knowledgehub", "0005_notificationdelivery_outbox")]

    operations = [migrations.RunPython(create, drop)]
