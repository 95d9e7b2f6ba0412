"""A third RUM index per language configuration over a coarser even sample of the search rows
(one resource in 64, by id): a search with about four thousand matches or more counts its
total and facets there, a quarter of the rows the sample of migration 0009 reads
(knowledgehub.search.postgresql.figures). PostgreSQL only; SQLite's search counts every match."""

from django.db import migrations

# As knowledgehub.search.postgresql.SAMPLE_MODULI's coarser sample and the configurations of
# migration 0006 were when this migration was written: the statements' condition must repeat
# the indexes'.
SAMPLE_MODULUS = 64
SEARCH_CONFIGURATIONS = [
    "english", "french", "german", "italian", "portuguese", "russian", "simple", "spanish",
]  # fmt: skip


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for config in SEARCH_CONFIGURATIONS:
            cursor.execute(
                f"CREATE INDEX resource_search_coarse_sample_{config}"
                f" ON knowledgehub_resource_search USING rum (document rum_tsvector_ops)"
                f" WHERE config = '{config}'::regconfig AND resource_id % {SAMPLE_MODULUS} = 0"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for config in SEARCH_CONFIGURATIONS:
            cursor.execute(f"DROP INDEX IF EXISTS resource_search_coarse_sample_{config}")


class Migration(migrations.Migration):
    dependencies = [("knowledgehub", "0009_search_sample_indexes")]

    operations = [migrations.RunPython(create, drop)]
