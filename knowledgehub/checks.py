"""What the Knowledge Hub needs of the database server, said at start and in /healthz.

On PostgreSQL the search ranks in RUM indexes (knowledgehub/search/postgresql.py), from the
`rum` extension, which PostgreSQL does not ship: the server needs the package
postgresql-<major>-rum (the README says how). Without it the search migration cannot run and
the search cannot answer, so the portal says so plainly instead of failing on a first search.
"""

from django.core import checks
from django.db import DatabaseError, connection

MISSING = (
    "The PostgreSQL extension rum, which the Knowledge Hub search needs, is not available on"
    " the database server."
)
HINT = (
    "Install the package postgresql-<major version>-rum on the database server (e.g. apt-get"
    " install postgresql-16-rum; the db service of docker-compose.yml has it), then run"
    " manage.py migrate."
)


def rum_state() -> str:
    """ "ok" (installed, or not PostgreSQL), "not installed yet" (available: migrate installs
    it) or "missing" (the server lacks the package)."""
    if connection.vendor != "postgresql":
        return "ok"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT installed_version IS NOT NULL FROM pg_available_extensions WHERE name = 'rum'"
        )
        row = cursor.fetchone()
    if row is None:
        return "missing"
    return "ok" if row[0] else "not installed yet"


def search_extension_health() -> str:
    """/healthz's entry: "ok", or what is wrong with the search's extension."""
    try:
        state = rum_state()
    except DatabaseError:
        return "unreachable"
    if state == "missing":
        return "missing: the PostgreSQL extension rum (install postgresql-<major>-rum)"
    if state == "not installed yet":
        return "not installed yet: run manage.py migrate"
    return "ok"


@checks.register()
def rum_available(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An error at start (runserver, migrate, check) when the server lacks the extension."""
    try:
        state = rum_state()
    except DatabaseError:
        return []  # no database to ask (a build step, or it is down): /healthz says so
    if state == "missing":
        return [checks.Error(MISSING, hint=HINT, id="knowledgehub.E001")]
    return []
