"""Knowledge Hub search benchmark: cold timings of the search page's work, and its relevance.

Runs 50 representative queries (words, phrases, exclusions, `or`, author names, typos, other
languages), each with a filter drawn from a fixed list, through
`knowledgehub.search.search_resources`: what the search page does (results, total and every
facet). By default each query runs once, in a fixed order, as a visitor's first search would
(nothing of the search is cached between queries): **cold** figures. `--warm` runs each query
three times and keeps the best, labelled warm. `--candidates` also times other ways of ranking
the same matches on PostgreSQL, side by side (see `bench/README.md`).

The relevance check adds (once, idempotently) a few resources whose best query is known, and
checks that each comes in the first three results of its query among the other resources.

    DATABASE_URL=postgres://... python bench/search.py [--warm] [--candidates] [--generate N]

Targets on PostgreSQL at 100,000 resources (`generate_bulk_data --scale 1`), cold: p95 under
50 ms and max under 150 ms; every relevance query's resource in its first three results.
"""

# The candidates' SQL is made of the search module's own pieces; values go in as parameters.
# ruff: noqa: S608

import argparse
import datetime
import gc
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

from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from knowledgehub.models import Resource  # noqa: E402
from knowledgehub.search import postgresql, search_resources  # noqa: E402
from knowledgehub.search.query import as_text, parse  # noqa: E402

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

# Resources whose best query is known: (query, title, abstract, authors, language).
KNOWN = [
    (
        "mutual insurance informal workers Senegal",
        "Mutual insurance for informal workers in Senegal",
        "How mutual health insurance schemes reach informal workers in Senegal.",
        ["Awa Ndiaye"],
        "en",
    ),
    (
        '"public procurement" Kenya -Europe',
        "Public procurement from social enterprises in Kenya",
        "County governments in Kenya buying from social enterprises.",
        ["Joseph Mwangi"],
        "en",
    ),
    (
        "cooprative housing Barcelona",
        "Cooperative housing in Barcelona: the grant of use model",
        "Cooperative housing on public land in Barcelona.",
        ["Laia Puig"],
        "en",
    ),
    (
        "économie sociale solidaire Afrique de l'Ouest",
        "L'économie sociale et solidaire en Afrique de l'Ouest",
        "Les organisations de l'économie sociale et solidaire en Afrique de l'Ouest.",
        ["Fatou Diop"],
        "fr",
    ),
    (
        "Ilcheong Yi sustainable development",
        # Not the seed's position paper of 2014 (a title of the seed data, without authors):
        # the check's resources are looked up by title.
        "Sustainable development through the social and solidarity economy: a research agenda",
        "A research agenda on the social and solidarity economy's part in sustainable development.",
        ["Ilcheong Yi"],
        "en",
    ),
    (
        "cooperativas agrícolas Bolivia",
        "Cooperativas agrícolas y seguridad alimentaria en Bolivia",
        "Las cooperativas agrícolas de Bolivia y la seguridad alimentaria.",
        ["Juan Mamani"],
        "es",
    ),
]


def generate(count: int) -> None:
    """The Knowledge Hub's own bulk generator (`generate_bulk_data` uses it too)."""
    from knowledgehub.bulk import generate_resources

    generate_resources(count=count, rng=random.Random(7), first_number=Resource.objects.count())
    analyse()


def analyse() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledgehub_resource_search")


def known_resources() -> dict[str, int]:
    """The relevance check's resources, created through the service the first time."""
    from knowledgehub.services import resource_create

    ids = {}
    for query, title, abstract, authors, language in KNOWN:
        found = Resource.objects.filter(title=title).values_list("pk", flat=True).first()
        if found is None:
            found = resource_create(
                kind="report",
                title=title,
                abstract=abstract,
                authors=authors,
                language=language,
                published_on=datetime.date(2012, 6, 1),
            ).pk
        ids[query] = found
    return ids


def warm_up() -> None:
    """What a server's worker has done before its first search, and none of the search's work:
    the database connection opened and its text-search dictionaries and the rum library loaded
    (by a search for a word that is nowhere), and the objects of Django's start frozen out of
    the garbage collector's way (`gc.freeze()`, as a worker should after loading the app), so
    that a full collection of them does not land in one query's time."""
    through_selector("zqxjvw", "")
    gc.collect()
    gc.freeze()


def through_selector(query: str, extra: str) -> None:
    results = search_resources(QueryDict(f"q={query}{extra}"))
    list(results.page.object_list)


def timed(function, query: str, extra: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function(query, extra)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(name: str, values: list[float]) -> None:
    print(
        f"{name:>28}: median {statistics.median(values):7.1f} ms   "
        f"p95 {percentile(values, 0.95):7.1f} ms   max {max(values):7.1f} ms"
    )


# --- Another way of ranking the same matches (PostgreSQL), for the side-by-side table ------
def ranked_by_reading_every_vector(query: str, extra: str) -> None:
    """The chosen search's total and facets, with the first page ranked by `ts_rank` over
    every match's vector, as a GIN index (which keeps no positions) would need."""
    from knowledgehub.filters import ResourceFilter

    filterset = ResourceFilter(QueryDict(f"q={query}{extra}"), queryset=Resource.objects.none())
    filterset.is_valid()
    found = postgresql.Query(as_text(parse(query)))
    if found.empty:
        return
    postgresql.figures(found, filterset.active, ResourceFilter.FACETS)
    match, match_params = found.match()
    conditions, filter_params = postgresql._filters(filterset.active)
    where = " AND ".join([match, *conditions])
    whens = " ".join("WHEN %s::regconfig THEN ts_rank(document, %s::tsquery)" for _ in found.groups)
    score_params = [value for group in found.groups for value in group]
    sql = (
        f"SELECT resource_id, CASE config {whens} END AS rank FROM {postgresql.TABLE}"
        f" WHERE {where} ORDER BY rank DESC LIMIT 20"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*score_params, *match_params, *filter_params])
        cursor.fetchall()


def relevance(ids: dict[str, int]) -> bool:
    passed = True
    print("relevance (the known resource in the first three):")
    for query, expected in ids.items():
        results = search_resources(QueryDict(f"q={query}"))
        top = [resource.pk for resource in results.page.object_list[:3]]
        place = top.index(expected) + 1 if expected in top else None
        passed &= place is not None
        found = f"place {place}" if place else "NOT in the first three"
        corrected = f" (as “{results.corrected_query}”)" if results.corrected_query else ""
        print(f"  {found:>22}  of {results.total:>6}  q={query}{corrected}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warm", action="store_true", help="best of 3 runs per query (warm)")
    parser.add_argument(
        "--candidates", action="store_true", help="also time other rankings (PostgreSQL)"
    )
    parser.add_argument("--generate", type=int, default=0, help="add N synthetic resources first")
    arguments = parser.parse_args()
    if arguments.generate:
        generate(arguments.generate)
    ids = known_resources()
    total = Resource.objects.published().count()
    warm_up()
    runs = 3 if arguments.warm else 1
    label = "warm, best of 3" if arguments.warm else "cold, each query once"
    print(f"{total} published resources on {connection.vendor}; {label}")
    rng = random.Random(1)
    cases = [(query, rng.choice(FILTERS)) for query in QUERIES]
    ways = {"search_resources (RUM order)": through_selector}
    if arguments.candidates and connection.vendor == "postgresql":
        ways["ts_rank of every match"] = ranked_by_reading_every_vector
    rows = {name: [] for name in ways}
    for query, extra in cases:
        for name, function in ways.items():
            rows[name].append(timed(function, query, extra, runs))
    for name, values in rows.items():
        report(name, values)
    slowest = sorted(zip(rows["search_resources (RUM order)"], cases, strict=True), reverse=True)[
        :5
    ]
    print("slowest:")
    for milliseconds, (query, extra) in slowest:
        print(f"  {milliseconds:7.1f} ms  q={query}{extra}")
    if not relevance(ids):
        sys.exit(1)


if __name__ == "__main__":
    main()
