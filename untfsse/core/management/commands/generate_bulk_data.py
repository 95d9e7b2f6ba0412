"""Realistic synthetic data for benchmarks, from each app's `bulk` module.

Deterministic (one seeded random generator per app), bulk-inserted in batches, and bounded in
memory: each app streams its rows in chunks instead of building them all at once.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from untfsse.core.discovery import app_modules
from untfsse.core.invalidation import content_changed, content_changes_batched


class Command(BaseCommand):
    help = (
        "Generate synthetic data: at --scale 1 about 500 organisations, 20,000 people, 5,000 "
        "meetings, 200,000 attendance rows, 2,000 action items and 100,000 resources."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 is the benchmark size; 0.01 for a quick try"
        )
        parser.add_argument(
            "--seed", type=int, default=2024, help="random seed (same seed, same data)"
        )

    def handle(self, *args, scale: float, seed: int, **options) -> None:
        if scale <= 0 or scale > 20:
            raise CommandError("--scale must be above 0 and at most 20.")
        # Rows go in by COPY and bulk_create, which send no signal, so every model of the apps
        # that generated data is named; the few rows saved one by one are only noted. Their
        # content areas go stale once, at the end.
        with content_changes_batched():
            for app_config, module in app_modules("bulk"):
                started = time.perf_counter()
                summary = module.generate(
                    scale=scale, rng=random.Random(f"{seed}:{app_config.label}")
                )
                content_changed(*app_config.get_models(include_auto_created=True))
                self.stdout.write(
                    f"{app_config.verbose_name}: {summary} ({time.perf_counter() - started:.1f} s)"
                )
        if connection.vendor == "postgresql":
            started = time.perf_counter()
            # Fresh statistics for the planner, and (outside a transaction) the GIN indexes'
            # pending lists merged and the visibility map set for index-only scans.
            statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                cursor.execute(statement)
            self.stdout.write(f"{statement}: {time.perf_counter() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Bulk data generated."))
