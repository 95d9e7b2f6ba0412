"""The load benchmark: the portal's pages under gunicorn and wrk, against a bare baseline view.

    DATABASE_URL=postgres://postgres@127.0.0.1/untfsse_bench \\
    REDIS_URL=redis://127.0.0.1:6379/12 REDIS_CACHE_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/run.py        # --rounds 3 --duration 20 --connections 8 ...

Starts gunicorn with the production settings (bench/server.py) and the benchmark URLconf
(bench/urls.py: the portal plus /bench/baseline/), picks concrete pages from the database
(bulk data's objects when present), warms each page up, then measures every page with
`wrk --latency` for several rounds, round-robin so that a change in the machine's load hits
every page alike. Prints the median of the rounds per page and user, the ratio of requests/s
to the baseline and whether the targets of issue #9 are met; writes the same as JSON to
bench/results/<UTC timestamp>.json.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import (
    BASE_DIR,
    Server,
    default_workers,
    focal_point_cookie,
    production_env,
    setup_django,
)

RESULTS_DIR = BASE_DIR / "bench" / "results"
WRK_SCRIPT = BASE_DIR / "bench" / "wrk_report.lua"
BASELINE_PATH = "/bench/baseline/"  # bench/urls.py (not imported: Django is set up later)

ANONYMOUS, FOCAL_POINT = "anonymous", "focal point"

# Issue #9, "Targets"; issue #20 adds the anonymous p99.
ANONYMOUS_MIN_RATIO = 0.5
ANONYMOUS_MAX_P99_MS = 50
SIGNED_IN_MIN_RATIO = 0.15
SIGNED_IN_MAX_P95_MS = 50
TARGET_CONNECTIONS = 8
MAX_WORKER_RSS_MB = 250

DEFAULT_COMMON_QUERY = "economy"


@dataclass
class Page:
    name: str
    path: str
    # The read API never looks at the session: one user is enough (issue #21).
    anonymous_only: bool = False
    # A calendar has no header saying who is signed in (it is the same for everyone).
    html: bool = True


@dataclass
class Measurement:
    """One wrk run of one page: requests/s, latency percentiles in ms, errors."""

    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    error_detail: dict = field(default_factory=dict)


@dataclass
class Result:
    page: str
    path: str
    user: str
    rounds: list[Measurement]

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(m, attribute) for m in self.rounds)

    @property
    def errors(self) -> int:
        return sum(m.errors for m in self.rounds)


def choose_pages(selective_query: str | None, common_query: str) -> list[Page]:
    """Concrete pages from the database: bulk data's objects when present, else the seed's.

    Of each kind, the object with the most rows behind its page (people, attendance, updates),
    so that the page measured is a heavy one rather than an empty one.
    """
    from urllib.parse import urlencode

    from django.db.models import Count
    from django.urls import reverse

    from actionplan.models import ActionItem, ActionPlan
    from knowledgehub.models import Resource
    from meetings.models import Meeting
    from members.models import Organisation

    members = Organisation.objects.current().members()
    if members.filter(acronym__startswith="BULK").exists():
        members = members.filter(acronym__startswith="BULK")
    organisation = members.annotate(n=Count("people")).order_by("-n", "slug").first()
    meeting = (
        Meeting.objects.past()
        .not_cancelled()
        .annotate(n=Count("attendances"))
        .order_by("-n", "-start", "pk")
        .first()
    )
    # The plan visitors land on (/action-plan/ shows the current one). The bulk plan's 2,000
    # items on one page are a stress test no real plan resembles (the 2022-2024 plan has 21);
    # its cost is measured and reported on its own in bench/README.md.
    plan = ActionPlan.objects.filter(is_current=True).first() or ActionPlan.objects.first()
    item = ActionItem.objects.annotate(n=Count("updates")).order_by("-n", "plan_id", "code").first()
    resource = Resource.objects.published().order_by("-pk").first()
    missing = [
        name
        for name, found in [
            ("a current member organisation", organisation),
            ("a past meeting", meeting),
            ("an action plan", plan),
            ("an action item", item),
            ("a published resource", resource),
        ]
        if found is None
    ]
    if missing:
        raise SystemExit("No " + ", ".join(missing) + ": load the seed or bulk data first.")
    if selective_query is None:
        selective_query = rarest_title_word(resource)
    return [
        Page("baseline", BASELINE_PATH),
        Page("home", "/"),
        Page("members", "/members/"),
        Page("organisation", organisation.get_absolute_url()),
        Page("meetings", "/meetings/"),
        Page("meeting", meeting.get_absolute_url()),
        Page("action plan", plan.get_absolute_url()),
        Page("action item", item.get_absolute_url()),
        Page("hub", "/knowledge-hub/"),
        Page("hub selective", "/knowledge-hub/?" + urlencode({"q": selective_query})),
        Page("hub common", "/knowledge-hub/?" + urlencode({"q": common_query})),
        Page("resource", resource.get_absolute_url()),
        Page(
            "meeting ics",
            reverse("meetings:meeting_calendar", kwargs={"slug": meeting.slug}),
            html=False,
        ),
        Page("calendar feed", reverse("meetings:calendar"), html=False),
        Page("api meetings", "/api/v1/meetings/", anonymous_only=True),
        Page("api resources", "/api/v1/resources/", anonymous_only=True),
    ]


def rarest_title_word(resource) -> str:
    """The word of the resource's title found in the fewest published titles (the longest
    of those on a tie): a query that matches this resource and few others."""
    from knowledgehub.models import Resource

    words = set(re.findall(r"[^\W\d_]{5,}", resource.title.lower()))
    if not words:
        return resource.title
    published = Resource.objects.published()
    return min(sorted(words), key=lambda w: (published.filter(title__icontains=w).count(), -len(w)))


def data_counts() -> dict[str, int]:
    from actionplan.models import ActionItem
    from knowledgehub.models import Resource
    from meetings.models import Attendance, Meeting
    from members.models import Organisation, Person

    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "meetings": Meeting.objects.count(),
        "attendance": Attendance.objects.count(),
        "action_items": ActionItem.objects.count(),
        "resources": Resource.objects.count(),
    }


def check_page(server: Server, page: Page, cookie: str | None) -> None:
    """The page answers 200 (no redirect), signed in exactly when a cookie is sent."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    headers = {**server.headers, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(server.url(page.path), headers=headers)  # noqa: S310 (http://)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            body = response.read().decode()
    except urllib.error.HTTPError as error:
        raise SystemExit(
            f"{page.name} ({page.path}) answered {error.code} "
            f"{error.headers.get('Location', '')}\n{server.log()}"
        ) from error
    if page.path == BASELINE_PATH or not page.html:
        return
    signed_in = "Sign out" in body
    if signed_in != bool(cookie):
        raise SystemExit(
            f"{page.name} ({page.path}): expected the page "
            f"{'signed in' if cookie else 'anonymous'}, got the other"
        )


def run_wrk(
    server: Server, page: Page, cookie: str | None, *, duration: float, connections: int
) -> Measurement:
    threads = min(2, connections)
    command = [
        "wrk",
        "--latency",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
    ]
    for name, value in server.headers.items():
        command += ["--header", f"{name}: {value}"]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    command.append(server.url(page.path))
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no BENCH line:\n{output}")
    values = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}
    error_detail = {
        key: values[key]
        for key in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts")
        if values[key]
    }
    return Measurement(
        requests_per_second=round(values["requests"] / (values["duration_us"] / 1e6), 1),
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        max_ms=values["max_us"] / 1000,
        requests=values["requests"],
        errors=sum(error_detail.values()),
        error_detail=error_detail,
    )


def targets(results: list[Result], baseline_rps: float, peak_rss: dict, connections: int) -> list:
    """Each target of issue #9: (description, met, what falls short); memory by peak RSS."""

    def ratio(result: Result) -> float:
        return result.median("requests_per_second") / baseline_rps

    anonymous = [r for r in results if r.user == ANONYMOUS and r.page != "baseline"]
    signed_in = [r for r in results if r.user == FOCAL_POINT]
    slow_anonymous = [
        f"{r.page} {ratio(r):.2f}" for r in anonymous if ratio(r) < ANONYMOUS_MIN_RATIO
    ]
    low_signed_in = [
        f"{r.page} {ratio(r):.2f}" for r in signed_in if ratio(r) < SIGNED_IN_MIN_RATIO
    ]
    slow_p95 = [
        f"{r.page} {r.median('p95_ms'):.1f} ms"
        for r in signed_in
        if r.median("p95_ms") >= SIGNED_IN_MAX_P95_MS
    ]
    slow_p99 = [
        f"{r.page} {r.median('p99_ms'):.1f} ms"
        for r in anonymous
        if r.median("p99_ms") >= ANONYMOUS_MAX_P99_MS
    ]
    with_errors = [f"{r.page} ({r.user}) {r.errors}" for r in results if r.errors]
    heavy = [f"pid {pid} {mb:.0f} MB" for pid, mb in peak_rss.items() if mb >= MAX_WORKER_RSS_MB]
    p95_note = "" if connections == TARGET_CONNECTIONS else f" (measured at {connections})"
    return [
        (
            f"anonymous pages >= {ANONYMOUS_MIN_RATIO} of baseline",
            not slow_anonymous,
            slow_anonymous,
        ),
        (f"signed-in pages >= {SIGNED_IN_MIN_RATIO} of baseline", not low_signed_in, low_signed_in),
        (
            f"signed-in p95 < {SIGNED_IN_MAX_P95_MS} ms at {TARGET_CONNECTIONS} connections"
            + p95_note,
            not slow_p95 and connections == TARGET_CONNECTIONS,
            slow_p95,
        ),
        (
            f"anonymous p99 < {ANONYMOUS_MAX_P99_MS} ms at {TARGET_CONNECTIONS} connections"
            + p95_note,
            not slow_p99 and connections == TARGET_CONNECTIONS,
            slow_p99,
        ),
        ("no errors", not with_errors, with_errors),
        (f"worker peak RSS < {MAX_WORKER_RSS_MB} MB", bool(peak_rss) and not heavy, heavy),
    ]


def print_table(results: list[Result], baseline_rps: float) -> None:
    header = (
        f"{'page':<15} {'user':<12} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        rps = r.median("requests_per_second")
        print(
            f"{r.page:<15} {r.user:<12} {rps:>8.1f} {r.median('p50_ms'):>8.1f} "
            f"{r.median('p95_ms'):>8.1f} {r.median('p99_ms'):>8.1f} {r.errors:>7} "
            f"{rps / baseline_rps:>6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per page")
    parser.add_argument("--duration", type=float, default=20, help="seconds per round and page")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument(
        "--pages",
        default="",
        help="comma-separated page names to measure (baseline always is); default all",
    )
    parser.add_argument(
        "--users",
        default=f"{ANONYMOUS},{FOCAL_POINT}",
        help=f"comma-separated: '{ANONYMOUS}', '{FOCAL_POINT}'",
    )
    parser.add_argument("--selective-query", default=None, help="default: a rare title word")
    parser.add_argument("--common-query", default=DEFAULT_COMMON_QUERY)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    env = production_env(settings_module="bench.settings")
    setup_django(env)
    pages = choose_pages(args.selective_query, args.common_query)
    if args.pages:
        wanted = {name.strip() for name in args.pages.split(",")}
        unknown = wanted - {p.name for p in pages}
        if unknown:
            raise SystemExit(f"Unknown pages {sorted(unknown)}; known: {[p.name for p in pages]}")
        pages = [p for p in pages if p.name in wanted or p.name == "baseline"]
    users = [u.strip() for u in args.users.split(",")]
    cookie = focal_point_cookie() if FOCAL_POINT in users else None
    # (page, user, cookie): the baseline once, anonymously: it never looks at the session.
    runs = [(pages[0], ANONYMOUS, None)] + [
        (page, user, cookie if user == FOCAL_POINT else None)
        for page in pages[1:]
        for user in users
        if not (page.anonymous_only and user != ANONYMOUS)
    ]
    counts = data_counts()
    workers = args.workers or default_workers()
    started = datetime.now(UTC)
    print(f"Data: {counts}")
    print(f"gunicorn: {workers} sync workers; wrk: {args.connections} connections, ", end="")
    print(f"{args.rounds} rounds x {args.duration:g} s per page and user")

    results = {(page.name, user): Result(page.name, page.path, user, []) for page, user, _ in runs}
    with Server(port=args.port, env=env, workers=workers) as server:
        for page, _user, page_cookie in runs:
            check_page(server, page, page_cookie)
            run_wrk(server, page, page_cookie, duration=args.warmup, connections=args.connections)
        load_before = os.getloadavg()
        for round_number in range(1, args.rounds + 1):
            for page, user, page_cookie in runs:
                measurement = run_wrk(
                    server, page, page_cookie, duration=args.duration, connections=args.connections
                )
                results[(page.name, user)].rounds.append(measurement)
            print(f"round {round_number}/{args.rounds} done", file=sys.stderr)
        load_after = os.getloadavg()
        rss = server.worker_rss_mb()
        peak_rss = server.worker_peak_rss_mb()
        server_log = server.log(last_lines=200)

    ordered = list(results.values())
    baseline_rps = ordered[0].median("requests_per_second")
    print()
    print_table(ordered, baseline_rps)
    print()
    print(f"Worker RSS after the run (MB): {sorted(rss.values())}", end="; ")
    print(f"peak: {sorted(peak_rss.values())}")
    print(f"Load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}")
    checks = targets(ordered, baseline_rps, peak_rss, args.connections)
    print("Targets (issue #9):")
    for description, met, shortfalls in checks:
        print(f"  [{'met' if met else 'NOT met'}] {description}", end="")
        print(f": {', '.join(shortfalls)}" if shortfalls else "")
    if any(r.errors for r in ordered):
        print("\nErrors: see error_detail per round in the JSON; end of gunicorn's log:")
        print("\n".join(server_log.splitlines()[-20:]))

    RESULTS_DIR.mkdir(exist_ok=True)
    output = RESULTS_DIR / f"{started:%Y%m%dT%H%M%SZ}.json"
    report = {
        "started": started.isoformat(),
        "seconds": round((datetime.now(UTC) - started).total_seconds()),
        "git_commit": subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        ).stdout.strip(),
        "machine": {
            "cores": os.cpu_count(),
            "usable_cores": len(os.sched_getaffinity(0)),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
        "server": {
            "gunicorn_workers": workers,
            "worker_class": "sync",
            "worker_rss_mb_after_run": rss,
            "worker_peak_rss_mb": peak_rss,
        },
        "wrk": {
            "connections": args.connections,
            "threads": min(2, args.connections),
            "rounds": args.rounds,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
        },
        "data": counts,
        "baseline_requests_per_second": baseline_rps,
        "results": [
            {
                "page": r.page,
                "path": r.path,
                "user": r.user,
                "requests_per_second": r.median("requests_per_second"),
                "p50_ms": r.median("p50_ms"),
                "p95_ms": r.median("p95_ms"),
                "p99_ms": r.median("p99_ms"),
                "errors": r.errors,
                "ratio_to_baseline": round(r.median("requests_per_second") / baseline_rps, 3),
                "rounds": [asdict(m) for m in r.rounds],
            }
            for r in ordered
        ],
        "targets": [
            {"target": description, "met": met, "short": shortfalls}
            for description, met, shortfalls in checks
        ],
    }
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWritten to {output.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    started_at = time.monotonic()
    main()
    print(f"({time.monotonic() - started_at:.0f} s)", file=sys.stderr)
