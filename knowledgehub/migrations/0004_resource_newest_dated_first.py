# The listing orders newest first with undated resources last (published_on DESC NULLS LAST);
# `resource_newest` is NULLS FIRST, so PostgreSQL sorted the whole table for every page.
# SQLite has no NULLS LAST in CREATE INDEX: like the GIN indexes, PostgreSQL only.

from django.db import migrations, models

from knowledgehub.migration_operations import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [
        ("knowledgehub", "0003_submissions"),
    ]

    operations = [
        PostgreSQLOnly(
            migrations.AddIndex(
                model_name="resource",
                index=models.Index(
                    models.OrderBy(models.F("published_on"), descending=True, nulls_last=True),
                    models.OrderBy(models.F("id"), descending=True),
                    name="resource_newest_dated_first",
                ),
            )
        ),
    ]
