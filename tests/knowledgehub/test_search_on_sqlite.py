"""The shared search tests (test_search.py) on SQLite too, when the run is on PostgreSQL: the
zero-setup mode's FTS5 search must behave as production's. One pytest run in a child process
with its own SQLite database (a test database cannot change engine within a run)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="this run is on SQLite: test_search.py runs directly"
)
def test_the_shared_search_tests_pass_on_sqlite(tmp_path):
    # Not a worker of this run's xdist pool: the child is a run of its own.
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("PYTEST_XDIST")
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'search.sqlite3'}", REDIS_URL="", REDIS_CACHE_URL=""
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider",
         "tests/knowledgehub/test_search.py"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout, run.stdout[-2000:]
