"""The production settings with the benchmark's URLconf (the portal's URLs plus a baseline).

Only bench/run.py uses it (DJANGO_SETTINGS_MODULE=bench.settings): same middleware, same
everything, so the baseline pays exactly what every page pays before its view runs.
"""

from untfsse.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
