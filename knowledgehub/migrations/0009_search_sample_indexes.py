"""A second, small RUM index per language configuration over an even sample of the search rows
(one resource in 16, by id): a search with about a thousand matches or more counts its total
and facets on the sample and says "about" (knowledgehub.search.postgresql.figures), instead of
visiting every match. PostgreSQL only; SQLite's search counts every match."""

from django.db import migrations

# As knowledgehub.search.postgresql.SAMPLE_MODULUS and the configurations of migration 0006
# were when this migration was written: the statements' condition must repeat the indexes'.
SAMPLE_MODULUS = 16
SEARCH_CONFIGURATIONS = [
    "english", "french", "german", "italian", "portuguese", "russian", "simple", "spanish",
]  # fmt: skip


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for config in SEARCH_CONFIGURATIONS:
            cursor.execute(
                f"CREATE INDEX resource_search_sample_{config} ON knowledgehub_resource_search"
                f" USING rum (document rum_tsvector_ops) WHERE config = '{config}'::regconfig"
                f" AND resource_id % {SAMPLE_MODULUS} = 0"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for config in SEARCH_CONFIGURATIONS:
            cursor.execute(f"DROP INDEX IF EXISTS resource_search_sample_{config}")


class Migration(migrations.Migration):
    dependencies = [("knowledgehub", "0008_resourceauthor_affiliation")]

    operations = [migrations.RunPython(create, drop)]
