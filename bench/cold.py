"""Cold renders in process: each page of bench/run.py made with the cache empty.

    DATABASE_URL=postgres://postgres@127.0.0.1/untfsse_bench \\
    REDIS_URL=redis://127.0.0.1:6379/12 REDIS_CACHE_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/cold.py        # --repeat 5 --pages "meeting,calendar feed"

The same pages as bench/run.py (the heaviest object of each kind), through Django's test client
in this process with the production settings: for each page and user, the cache is cleared
(page cache, shared parts, search figures, content versions) before every request, so each
request is a miss that makes the page from the database. Prints the median and the fastest of
`--repeat` requests, and the number of queries. A first request per page is made and not
counted (imports, translations, the database connection). CLEARS THE CACHE of REDIS_CACHE_URL.

`--warm` leaves the cache as the first request filled it: what a repeat request costs (for a
signed-in reader, the frame: session, user, header, and the reader's own parts). `--profile N`
prints the N functions with the most cumulative time over the measured requests of each page.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import ANONYMOUS, DEFAULT_COMMON_QUERY, FOCAL_POINT, Page, choose_pages
from bench.server import PROXY_HEADERS, collect_static, production_env, setup_django

TARGET_MS = 25  # issue #20: every page's cold render
FEED_TARGET_MS = 100  # issue #20: the scale-1 calendar feed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", default="", help="comma-separated page names; default all")
    parser.add_argument("--users", default="", help="anonymous or focal point; default both")
    parser.add_argument("--warm", action="store_true", help="keep the cache between requests")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--path", action="append", default=[], help="also this address")
    args = parser.parse_args()
    env = production_env(settings_module="bench.settings")
    collect_static(env)  # the production storage needs its manifest
    setup_django(env)

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.server import focal_point_cookie

    pages = [page for page in choose_pages(None, DEFAULT_COMMON_QUERY) if page.name != "baseline"]
    if args.pages:
        wanted = {name.strip() for name in args.pages.split(",")}
        pages = [page for page in pages if page.name in wanted]
    pages += [Page(path, path) for path in args.path]
    headers = {
        f"HTTP_{name.upper().replace('-', '_')}": value for name, value in PROXY_HEADERS.items()
    }
    name, value = focal_point_cookie().split("=", 1)
    clients = {ANONYMOUS: Client(SERVER_NAME="127.0.0.1", **headers)}
    clients[FOCAL_POINT] = Client(SERVER_NAME="127.0.0.1", **headers)
    clients[FOCAL_POINT].cookies[name] = value

    print(f"{'page':<15} {'user':<12} {'median ms':>10} {'best ms':>8} {'queries':>8}")
    slow = []
    for page in pages:
        for user, client in clients.items():
            if (page.anonymous_only and user != ANONYMOUS) or (args.users and user != args.users):
                continue
            cache.clear()
            client.get(page.path)  # not counted: first use of this page in the process
            times, queries = [], 0
            profile = cProfile.Profile() if args.profile else None
            for _ in range(args.repeat):
                if not args.warm:
                    cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    if profile:
                        profile.enable()
                    started = time.perf_counter()
                    response = client.get(page.path)
                    times.append((time.perf_counter() - started) * 1000)
                    if profile:
                        profile.disable()
                if response.status_code != 200:
                    raise SystemExit(f"{page.path} answered {response.status_code}")
                queries = len(captured)
            median = statistics.median(times)
            print(f"{page.name:<15} {user:<12} {median:>10.1f} {min(times):>8.1f} {queries:>8}")
            if profile:
                pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
            limit = FEED_TARGET_MS if page.name == "calendar feed" else TARGET_MS
            if median >= limit:
                slow.append(f"{page.name} ({user}) {median:.1f} ms")
    cache.clear()
    if args.warm:
        return
    print(f"Target (cold render < {TARGET_MS} ms, feed < {FEED_TARGET_MS} ms): ", end="")
    print("met" if not slow else "NOT met: " + ", ".join(slow))


if __name__ == "__main__":
    main()
