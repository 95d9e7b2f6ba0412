"""Load the portal's starting data, written from the source documents in each app's `seed` module."""

from django.core.management.base import BaseCommand
from django.db import transaction

from untfsse.core.discovery import app_modules
from untfsse.core.invalidation import content_changes_batched


class Command(BaseCommand):
    help = (
        "Load the organisations, people, meetings, action plan and Knowledge Hub items of the "
        "source documents. Idempotent: running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        loaded = []
        # Each row written notes its content areas; they go stale once, after the commit.
        with transaction.atomic(), content_changes_batched():
            for app_config, module in app_modules("seed"):
                summary = module.load_seed_data()
                loaded.append(app_config.label)
                self.stdout.write(f"{app_config.verbose_name}: {summary}")
        if not loaded:
            self.stdout.write("No app has seed data yet.")
        self.stdout.write(self.style.SUCCESS("Seed data loaded."))
