"""Migration operations that touch the database only on PostgreSQL.

The zero-setup mode runs on SQLite, which has no GIN indexes and no pg_trgm; the models still
declare those indexes (so PostgreSQL gets them and `makemigrations --check` stays quiet), and
the migration adds them through `PostgreSQLOnly`, which records them in the migration state
everywhere but creates them on PostgreSQL alone.
"""

from django.db.migrations.operations.base import Operation


class PostgreSQLOnly(Operation):
    reversible = True
    reduces_to_sql = False

    def __init__(self, operation: Operation):
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (on PostgreSQL only)"
