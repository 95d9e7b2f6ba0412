"""The database side of a backup: one consistent `pg_dump`, and the fingerprint of the very
snapshot it dumped (rows and a checksum of the rows of every table, the migrations applied).

The fingerprint is computed by PostgreSQL itself over its own connection (not Django's), so
the same code describes the database being backed up, a database just restored, or any other
database given by its address.
"""

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for a person to read."""


# Django's OPTIONS that are libpq connection parameters (sslmode and friends), with the
# environment variable pg_dump and pg_restore read them from.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

# The same session for every fingerprint: a row's text form depends on these (a timestamp is
# written in the session's time zone), and must not differ between the backup and the restore.
_FINGERPRINT_SESSION = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 3",
    "SET bytea_output = 'hex'",
)

# Ordinary tables of the database's own schemas (not the catalogues, not tables an extension
# owns, which pg_dump leaves to the extension).
_TABLES_QUERY = """
    SELECT n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (
          SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    ORDER BY 1, 2
"""

# Anything a restore would collide with: tables, views, sequences, types of the own schemas.
_RELATIONS_QUERY = """
    SELECT n.nspname || '.' || c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (
          SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    ORDER BY 1
"""


@dataclass(frozen=True)
class DatabaseAddress:
    """Where a PostgreSQL database is, as Django's settings give it."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = field(default="", repr=False)
    options: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_django(cls, database: dict) -> "DatabaseAddress":
        if database.get("ENGINE") != "django.db.backends.postgresql":
            raise BackupError(
                "Backups need PostgreSQL (DATABASE_URL=postgres://...); "
                f"this database is {database.get('ENGINE')}."
            )
        options = database.get("OPTIONS") or {}
        return cls(
            name=database["NAME"],
            host=database.get("HOST") or "",
            port=str(database.get("PORT") or ""),
            user=database.get("USER") or "",
            password=database.get("PASSWORD") or "",
            options={key: str(value) for key, value in options.items() if key in _LIBPQ_OPTIONS},
        )

    def with_name(self, name: str) -> "DatabaseAddress":
        return DatabaseAddress(
            name=name,
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            options=self.options,
        )

    def __str__(self) -> str:
        where = f"{self.host or 'localhost'}:{self.port or 5432}"
        return f'database "{self.name}" on {where}'

    def conninfo(self) -> str:
        """The libpq connection string, without the password (it goes by the environment)."""
        parts = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user}
        return make_conninfo(**{key: value for key, value in parts.items() if value})

    def client_environment(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: the password never goes on a command
        line, where other users of the machine could read it."""
        environment = {**os.environ}
        if self.password:
            environment["PGPASSWORD"] = self.password
        for option, value in self.options.items():
            environment[_LIBPQ_OPTIONS[option]] = value
        return environment

    def connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(
                self.conninfo(),
                password=self.password or None,
                autocommit=True,
                **self.options,
            )
        except psycopg.OperationalError as error:
            raise BackupError(f"Cannot connect to {self}: {error}".strip()) from error


@dataclass
class DatabaseFingerprint:
    """What a database holds: per table its rows and a checksum of them, and its migrations."""

    tables: dict[str, dict]
    migrations: dict[str, list[str]]
    snapshot_at: str = ""
    server_version: str = ""

    def as_manifest(self) -> dict:
        return {
            "snapshot_at": self.snapshot_at,
            "server_version": self.server_version,
            "migrations": self.migrations,
            "tables": self.tables,
        }


def _table_fingerprint(cursor, schema: str, table: str) -> dict:
    # The rows' text forms hashed one by one and the hashes sorted: the checksum depends on what
    # the rows hold, not on the order PostgreSQL happens to store them in (a restore writes them
    # afresh). ROW(alias.*) rather than the bare alias, which a column of that name would shadow.
    cursor.execute(
        sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(row_hash, '' ORDER BY row_hash), '')) "
            "FROM (SELECT md5(ROW(backup_row.*)::text) AS row_hash "
            "FROM {}.{} AS backup_row) AS hashed"
        ).format(sql.Identifier(schema), sql.Identifier(table))
    )
    rows, checksum = cursor.fetchone()
    return {"rows": rows, "checksum": checksum}


def _fingerprint_in_transaction(connection: psycopg.Connection) -> DatabaseFingerprint:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
        snapshot_at = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
        cursor.execute(_TABLES_QUERY)
        tables = {
            f"{schema}.{table}": _table_fingerprint(cursor, schema, table)
            for schema, table in cursor.fetchall()
        }
        migrations: dict[str, list[str]] = {}
        cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            for app, name in cursor.fetchall():
                migrations.setdefault(app, []).append(name)
    return DatabaseFingerprint(
        tables=tables,
        migrations=migrations,
        snapshot_at=snapshot_at,
        server_version=server_version,
    )


def _begin_snapshot(connection: psycopg.Connection) -> None:
    for statement in _FINGERPRINT_SESSION:
        connection.execute(statement)
    connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")


def database_fingerprint(address: DatabaseAddress) -> DatabaseFingerprint:
    """The fingerprint of the database as it is now (one snapshot for every table)."""
    with address.connect() as connection:
        _begin_snapshot(connection)
        try:
            return _fingerprint_in_transaction(connection)
        finally:
            connection.execute("ROLLBACK")


def _run_client(arguments: list[str], address: DatabaseAddress, what: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 (fixed program, arguments built here)
            arguments,
            env=address.client_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{arguments[0]} is not installed: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client), of the server's version or newer."
        ) from error
    if result.returncode != 0:
        raise BackupError(
            f"{what} failed ({arguments[0]} exited {result.returncode}):\n{result.stderr.strip()}"
        )


def dump_database(address: DatabaseAddress, destination: Path) -> DatabaseFingerprint:
    """Write `pg_dump -Fc` of the database to `destination` and return the fingerprint of the
    same snapshot: pg_dump imports the snapshot this connection exported, and the fingerprint
    is read inside that snapshot, so the manifest describes exactly what the dump holds,
    however busy the portal is meanwhile."""
    with address.connect() as connection:
        _begin_snapshot(connection)
        try:
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run_client(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={destination}",
                    f"--dbname={address.conninfo()}",
                ],
                address,
                "pg_dump",
            )
            return _fingerprint_in_transaction(connection)
        finally:
            connection.execute("ROLLBACK")


def database_relations(address: DatabaseAddress) -> list[str]:
    """The tables, views and sequences in the database (empty for a new database)."""
    with address.connect() as connection:
        return [name for (name,) in connection.execute(_RELATIONS_QUERY).fetchall()]


def empty_database(address: DatabaseAddress) -> None:
    """Drop everything in the database's public schema (the portal's only one).

    Refuses (BackupError) when another session holds a lock on one of its tables for more
    than ten seconds: the portal is still running against it."""
    with address.connect() as connection:
        connection.execute("SET lock_timeout = '10s'")
        try:
            with connection.transaction():
                connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
                connection.execute("CREATE SCHEMA public")
        except psycopg.errors.LockNotAvailable as error:
            raise BackupError(
                f"{address} is in use: stop the portal (web, worker, beat) before restoring."
            ) from error
    left = database_relations(address)
    if left:
        raise BackupError(
            f"{address} still holds {len(left)} relation(s) outside the public schema "
            f"({', '.join(left[:5])}); drop them or restore into a new database."
        )


def restore_database(address: DatabaseAddress, dump: Path) -> None:
    """Load `dump` into the (empty) database, in one transaction: all of it or nothing. Objects
    belong to the restoring user, so a backup restores on another server with other roles."""
    _run_client(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={address.conninfo()}",
            str(dump),
        ],
        address,
        "pg_restore",
    )


def client_version(program: str = "pg_dump") -> str:
    try:
        result = subprocess.run(  # noqa: S603
            [program, "--version"], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return ""
    return result.stdout.strip()
