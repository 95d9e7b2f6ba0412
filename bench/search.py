"""Knowledge Hub search benchmark: the search selector against plain `icontains`.

Runs 50 representative queries (single words, phrases, author names, typos, filters) through
`knowledgehub.search.search_resources` (what the search page does: count, first page and every
facet) and the same queries answered with `icontains` over title, authors, abstract and PDF
text (count and first page), and prints the median and 95th percentile latency of each and
their ratio. It reads whatever resources the database holds (`generate_bulk_data --scale 1`
makes 100,000); `--generate N` adds N synthetic resources first, for a quick run without it.

    DATABASE_URL=postgres://... python bench/search.py [--repeat 3] [--generate 100000]

The aim on PostgreSQL at 100,000 resources: p95 under 100 ms for the selector.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "untfsse.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.http import QueryDict  # noqa: E402

from knowledgehub.models import Resource  # noqa: E402
from knowledgehub.search import search_resources  # noqa: E402

QUERIES = [
    "cooperatives", "social economy", "solidarity", "decent work", "microfinance",
    "public policies", "youth", "women", "informal economy", "housing",
    "climate", "just transition", "agriculture", "Africa", "Latin America",
    "social enterprises", "statistics", "procurement", "refugees", "platform cooperatives",
    "\"social and solidarity economy\"", "\"decent work\" -europe", "finance or investment",
    "mutual insurance", "local development", "care economy", "fair trade", "credit unions",
    "SDG 8", "sustainable development goals", "solidarty", "cooprative", "economie sociale",
    "économie sociale et solidaire", "economía social", "cooperativas", "Ilcheong Yi",
    "Simel Esim", "Van Vuuren", "Esim", "resolution", "ILO", "UNRISD",
    "knowledge hub", "encyclopedia", "awareness raising", "training", "digital",
    "circular economy", "community",
]  # fmt: skip
FILTERS = ["", "", "", "&kind=report", "&sdg=8", "&language=en", "&year_from=2015&year_to=2020"]


def generate(count: int) -> None:
    """The Knowledge Hub's own bulk generator (`generate_bulk_data` uses it too)."""
    from knowledgehub.bulk import generate_resources

    generate_resources(count=count, rng=random.Random(7), first_number=Resource.objects.count())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE knowledgehub_resource")


def through_selector(query: str, extra: str) -> None:
    results = search_resources(QueryDict(f"q={query}{extra}"))
    list(results.page.object_list)


def through_icontains(query: str, extra: str) -> None:
    matching = Resource.objects.published().filter(
        Q(title__icontains=query)
        | Q(authors_text__icontains=query)
        | Q(abstract__icontains=query)
        | Q(extracted_text__icontains=query)
    )
    matching.count()
    list(matching.order_by("-published_on", "-pk")[:20])


def timed(function, query: str, extra: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        function(query, extra)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (best is kept)")
    parser.add_argument("--generate", type=int, default=0, help="add N synthetic resources first")
    arguments = parser.parse_args()
    if arguments.generate:
        generate(arguments.generate)
    total = Resource.objects.count()
    print(f"{total} resources on {connection.vendor}")
    rng = random.Random(1)
    cases = [(query, rng.choice(FILTERS)) for query in QUERIES]
    rows = {"selector": [], "icontains": []}
    for query, extra in cases:
        rows["selector"].append(timed(through_selector, query, extra, arguments.repeat))
        rows["icontains"].append(timed(through_icontains, query, extra, arguments.repeat))
    for name, values in rows.items():
        print(
            f"{name:>9}: median {statistics.median(values):7.1f} ms   "
            f"p95 {percentile(values, 0.95):7.1f} ms   max {max(values):7.1f} ms"
        )
    ratio_median = statistics.median(rows["selector"]) / statistics.median(rows["icontains"])
    ratio_p95 = percentile(rows["selector"], 0.95) / percentile(rows["icontains"], 0.95)
    print(f"selector / icontains: median {ratio_median:.2f}x, p95 {ratio_p95:.2f}x")
    slowest = sorted(zip(rows["selector"], cases, strict=True), reverse=True)[:5]
    print("slowest through the selector:")
    for milliseconds, (query, extra) in slowest:
        print(f"  {milliseconds:7.1f} ms  q={query}{extra}")


if __name__ == "__main__":
    main()
