"""Load the portal's starting data, written from the source documents in each app's `seed` module."""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from untfsse.cache import bump_content_versions


def seed_modules():
    """Each installed portal app's `seed` module, in INSTALLED_APPS order (lowest layer first)."""
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.seed"
        if importlib.util.find_spec(app_config.name) and importlib.util.find_spec(module_name):
            yield app_config, importlib.import_module(module_name)


class Command(BaseCommand):
    help = (
        "Load the organisations, people, meetings, action plan and Knowledge Hub items of the "
        "source documents. Idempotent: running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        loaded = []
        with transaction.atomic():
            for app_config, module in seed_modules():
                summary = module.load_seed_data()
                loaded.append(app_config.label)
                self.stdout.write(f"{app_config.verbose_name}: {summary}")
            bump_content_versions(*loaded)
        if not loaded:
            self.stdout.write("No app has seed data yet.")
        self.stdout.write(self.style.SUCCESS("Seed data loaded."))
