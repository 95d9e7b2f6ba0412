"""The resource table's text indexes go: the search reads its own tables (0006), the typo
correction its word list. They were PostgreSQL-only (see migration_operations.py), and so is
their removal."""

from django.db import migrations

from knowledgehub.migration_operations import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [("knowledgehub", "0006_search_tables")]

    operations = [
        PostgreSQLOnly(migrations.RemoveIndex(model_name="resource", name=name))
        for name in ("resource_search_vector", "resource_title_trgm", "resource_authors_trgm")
    ]
