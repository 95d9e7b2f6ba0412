"""The site package is three things kept apart: the project's configuration (untfsse/), the
kit (untfsse.core) and the shell (untfsse.portal). The shell's models moved with it and kept
their tables, migrations and data."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from untfsse.portal.models import DigestDelivery, SiteText

pytestmark = pytest.mark.django_db


def test_the_kit_and_the_shell_are_apps_of_their_own():
    assert apps.get_app_config("core").name == "untfsse.core"
    # The shell keeps the label the site package had, so nothing stored under it changes.
    assert apps.get_app_config("untfsse").name == "untfsse.portal"
    assert [model._meta.label for model in apps.get_app_config("untfsse").get_models()] == [
        "untfsse.SiteText",
        "untfsse.DigestDelivery",
    ]


def test_the_shells_models_keep_their_tables_and_migrations():
    assert (SiteText._meta.db_table, DigestDelivery._meta.db_table) == (
        "untfsse_sitetext",
        "untfsse_digestdelivery",
    )
    loader = MigrationLoader(connection)
    assert sorted(name for app, name in loader.disk_migrations if app == "untfsse") == [
        "0001_initial",
        "0002_digestdelivery",
        "0003_digestdelivery_outbox",
        "0004_sitetext_french_and_spanish",
    ]
    assert ("untfsse", "0002_digestdelivery") in loader.applied_migrations


def test_rows_written_under_the_old_layout_are_read_by_the_moved_models():
    # Written as the database holds them, the way rows written before the move are.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO untfsse_sitetext (key, title, body, created_at, updated_at) "
            "VALUES ('old-key', 'Old title', 'Old body', %s, %s)",
            ["2026-11-01T10:00:00+00:00", "2026-11-02T10:00:00+00:00"],
        )
        cursor.execute(
            "INSERT INTO untfsse_digestdelivery (week_starting, attempts, last_error) "
            "VALUES ('2026-11-23', 2, 'timeout')"
        )
    text = SiteText.objects.get(key="old-key")
    assert (text.title, text.body, text.updated_at.isoformat()) == (
        "Old title",
        "Old body",
        "2026-11-02T10:00:00+00:00",
    )
    digest = DigestDelivery.objects.get()
    assert (digest.week_starting.isoformat(), digest.attempts, digest.last_error) == (
        "2026-11-23",
        2,
        "timeout",
    )
