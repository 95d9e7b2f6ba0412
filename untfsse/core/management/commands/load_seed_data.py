"""Load the portal's starting data, written from the source documents in each app's `seed` module."""

from django.core.management.base import BaseCommand
from django.db import transaction

from untfsse.core.cache import bump_content_versions
from untfsse.core.discovery import app_modules


class Command(BaseCommand):
    help = (
        "Load the organisations, people, meetings, action plan and Knowledge Hub items of the "
        "source documents. Idempotent: running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        loaded = []
        with transaction.atomic():
            for app_config, module in app_modules("seed"):
                summary = module.load_seed_data()
                loaded.append(app_config.label)
                self.stdout.write(f"{app_config.verbose_name}: {summary}")
            bump_content_versions(*loaded)
        if not loaded:
            self.stdout.write("No app has seed data yet.")
        self.stdout.write(self.style.SUCCESS("Seed data loaded."))
