"""Synthetic Knowledge Hub resources for benchmarks (see `manage.py generate_bulk_data` and
`bench/search.py --generate`).

Titles are built from the field's own phrases ("Cooperatives in West Africa: a critical review");
abstracts and extracted text mix such sentences with words drawn from a vocabulary with
Zipf-like frequencies, as in real text (a few words everywhere, most words rare), so that
searches for common and for rare words both have something to find. Each chunk of resources is
inserted with its authors, organisations, SDGs and themes, then its search vectors are filled
by `resources_refresh_search_vectors` in one UPDATE: the same expression the services use.
"""

import datetime
import itertools
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections
from django.utils import translation
from django.utils.text import slugify

from knowledgehub.models import (
    SDG_NAMES,
    Licence,
    Resource,
    ResourceAuthor,
    ResourceKind,
    ResourceStatus,
    Sdg,
    TextExtractionStatus,
)
from knowledgehub.services import SLUG_LENGTH, resources_refresh_search_vectors, theme_get_or_create
from members.bulk import FIRST_NAMES, LAST_NAMES
from members.models import DatePrecision, Organisation, Person
from untfsse.core.synthetic import insert_batch, insert_in_batches

CHUNK = 2000
WITHDRAWN_AT = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)

# Words of the field, hidden among made-up ones in the vocabulary (see `_vocabulary`).
WORDS = [
    "social", "solidarity", "economy", "cooperative", "cooperatives", "enterprise", "enterprises",
    "decent", "work", "finance", "microfinance", "housing", "youth", "women", "informal", "climate",
    "transition", "agriculture", "policy", "policies", "public", "procurement", "statistics",
    "refugees", "platform", "mutual", "insurance", "local", "development", "care", "trade", "credit",
    "union", "community", "circular", "digital", "training", "awareness", "knowledge", "resolution",
    "employment", "income", "poverty", "inequality", "innovation", "governance", "network", "rural",
    "urban", "health", "education", "energy", "water", "food", "market", "markets", "investment",
    "impact",
]  # fmt: skip
# Authors the search benchmark looks for by name.
NAMES = [
    "Ilcheong Yi", "Simel Esim", "Vic Van Vuuren", "Antonella Noya", "Hamish Jenkins", "Barbara Sak",
    "Laurence Kwark", "Roberto Di Meglio", "Valentina Verze", "Guy Tchami",
]  # fmt: skip
TITLE_PATTERNS = [
    "{Topic} in {region}: {approach} review",
    "The role of {topic} in {goal}",
    "{Topic} and {goal}: evidence from {region}",
    "Policy brief: {topic} for {goal}",
    "Measuring {topic}: {approach} framework",
    "{Topic}: lessons from {region}",
    "Scaling up {topic} in {region}",
    "Towards {goal}: the contribution of {topic}",
    "{Topic} after the crisis: {approach} research agenda",
    "A guide to {topic} for local governments in {region}",
    "{Topic} and {goal}: the case of {place}",
    "Financing {topic}: {approach} assessment",
]
TOPICS = [
    "cooperatives", "social enterprises", "the social and solidarity economy", "mutual insurance",
    "microfinance", "fair trade", "platform cooperatives", "credit unions", "community enterprises",
    "worker cooperatives", "housing cooperatives", "social innovation", "public procurement",
    "informal economy workers", "care cooperatives", "agricultural cooperatives",
    "solidarity finance", "community land trusts", "energy cooperatives", "social economy statistics",
]  # fmt: skip
REGIONS = [
    "Africa", "Latin America", "Asia and the Pacific", "Europe", "the Arab States", "West Africa",
    "South-East Asia", "the Andean region", "small island developing states", "rural areas",
    "cities", "Central Asia", "East Africa", "the Caribbean",
]  # fmt: skip
GOALS = [
    "decent work", "a just transition", "gender equality", "poverty reduction", "food security",
    "climate action", "sustainable cities", "the 2030 Agenda", "inclusive growth",
    "local development", "social protection", "youth employment",
]  # fmt: skip
APPROACHES = [
    "a comparative",
    "a critical",
    "a practical",
    "an institutional",
    "a global",
    "a regional",
]
PLACES = [
    "Senegal", "Quebec", "Kerala", "Emilia-Romagna", "Brazil", "the Philippines", "Mondragon",
    "Seoul", "Barcelona", "Kenya", "Colombia", "Morocco", "South Africa", "Bolivia", "Ghana",
]  # fmt: skip
THEMES = [
    "Public policies", "Decent work", "Finance", "Statistics", "Gender", "Climate and environment",
    "Local development", "Awareness raising", "Training", "Research methods", "Food systems",
    "Digital economy",
]  # fmt: skip
KINDS = [
    (ResourceKind.RESEARCH_PAPER, 25),
    (ResourceKind.WORKING_PAPER, 20),
    (ResourceKind.REPORT, 20),
    (ResourceKind.POLICY_BRIEF, 15),
    (ResourceKind.POSITION_PAPER, 5),
    (ResourceKind.ENCYCLOPEDIA_ENTRY, 5),
    (ResourceKind.TRAINING_MATERIAL, 6),
    (ResourceKind.VIDEO, 4),
]
LANGUAGES = [("en", 60), ("fr", 12), ("es", 12), ("pt", 5), ("de", 2), ("it", 3), ("ar", 2)]
LANGUAGES += [("zh", 1), ("ko", 1), ("ru", 1), ("other", 1)]
# SDG 8 (decent work) and the cross-cutting ones come up most.
SDG_WEIGHTS = dict.fromkeys(SDG_NAMES, 1) | {8: 10, 1: 5, 5: 5, 10: 4, 17: 4, 11: 3}
KIND_NOUNS = {
    ResourceKind.RESEARCH_PAPER: "paper",
    ResourceKind.WORKING_PAPER: "working paper",
    ResourceKind.REPORT: "report",
    ResourceKind.POLICY_BRIEF: "brief",
    ResourceKind.POSITION_PAPER: "position paper",
    ResourceKind.ENCYCLOPEDIA_ENTRY: "entry",
    ResourceKind.TRAINING_MATERIAL: "module",
    ResourceKind.VIDEO: "video",
}


class _Vocabulary:
    """The field's words among 5,000 made-up ones, drawn with Zipf-like frequencies."""

    def __init__(self, rng: random.Random) -> None:
        letters = "abcdefghijklmnopqrstuvwxyz"
        made_up = {
            "".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(5000)
        }
        self.words = sorted(made_up)
        rng.shuffle(self.words)
        for word in WORDS:
            self.words.insert(rng.randint(20, 1500), word)
        self.cum_weights = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(self.words)))
        )

    def text(self, rng: random.Random, count: int) -> str:
        return " ".join(rng.choices(self.words, cum_weights=self.cum_weights, k=count))


def _title(rng: random.Random) -> tuple[str, str, str, str]:
    """A title, and the topic, region and goal it names (the abstract repeats them)."""
    topic, region, goal = rng.choice(TOPICS), rng.choice(REGIONS), rng.choice(GOALS)
    title = rng.choice(TITLE_PATTERNS).format(
        topic=topic,
        Topic=topic[0].upper() + topic[1:],
        region=region,
        goal=goal,
        approach=rng.choice(APPROACHES),
        place=rng.choice(PLACES),
    )
    return title, topic, region, goal


def _published(rng: random.Random) -> tuple[datetime.date | None, str]:
    if rng.random() < 0.02:
        return None, DatePrecision.DAY
    year = min(2025, 2000 + int(26 * rng.random() ** 0.6))  # more recent years, more resources
    precision = rng.choices(
        [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR], [60, 25, 15]
    )[0]
    if precision == DatePrecision.YEAR:
        return datetime.date(year, 1, 1), precision
    month = rng.randint(1, 12)
    if precision == DatePrecision.MONTH:
        return datetime.date(year, month, 1), precision
    return datetime.date(year, month, rng.randint(1, 28)), precision


def _authors(rng: random.Random, people: list[tuple[int, str]]) -> list[tuple[str, int | None]]:
    """1 to 4 authors in order: (name as printed, person in the directory or None)."""
    authors = []
    for _ in range(rng.choices([1, 2, 3, 4], [35, 35, 20, 10])[0]):
        draw = rng.random()
        if draw < 0.1 and people:
            person_id, name = rng.choice(people)
            authors.append((name, person_id))
        elif draw < 0.25:
            authors.append((rng.choice(NAMES), None))
        else:
            authors.append((f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", None))
    unique = {}
    for name, person_id in authors:
        unique.setdefault(name, person_id)  # a name drawn twice keeps its first place
    return list(unique.items())


def _resource(rng, number, vocabulary, people, kinds, languages) -> tuple[Resource, list]:
    title, topic, region, goal = _title(rng)
    kind = rng.choices(*kinds)[0]
    authors = _authors(rng, people)
    published_on, precision = _published(rng)
    withdrawn = rng.random() < 0.01
    abstract = (
        f"This {KIND_NOUNS[kind]} examines {topic} in {region} and its contribution to {goal}. "
        f"{vocabulary.text(rng, rng.randint(30, 80)).capitalize()}."
    )
    resource = Resource(
        kind=kind,
        title=title,
        slug=slugify(title)[:SLUG_LENGTH].strip("-") or "resource",
        abstract=abstract,
        authors_text="; ".join(name for name, _ in authors),
        published_on=published_on,
        published_precision=precision,
        language=rng.choices(*languages)[0],
        external_url=f"https://publications.example.org/bulk/{number}"
        if rng.random() < 0.3
        else "",
        licence=rng.choice(Licence.values),
        doi=f"10.5555/bulk.{number}" if rng.random() < 0.2 else "",
        status=ResourceStatus.WITHDRAWN if withdrawn else ResourceStatus.PUBLISHED,
        withdrawn_at=WITHDRAWN_AT if withdrawn else None,
        withdrawal_reason="Superseded by a newer edition." if withdrawn else "",
        download_count=rng.randint(0, 500),
        # As if extracted from a PDF; no file is stored.
        extracted_text=vocabulary.text(rng, rng.randint(150, 300)),
        text_extraction_status=TextExtractionStatus.DONE,
    )
    return resource, authors


def _sdgs() -> dict[int, int]:
    """Number to id of the 17 goals (the migration creates them; a flushed database lacks them)."""
    with translation.override("en"):
        for number, name in SDG_NAMES.items():
            Sdg.objects.get_or_create(number=number, defaults={"name": str(name)})
    return dict(Sdg.objects.values_list("number", "pk"))


def _chunks(count: int) -> Iterator[range]:
    for first in range(0, count, CHUNK):
        yield range(first, min(count, first + CHUNK))


def _refresh_search_vectors(first_pk: int, last_pk: int) -> None:
    resources_refresh_search_vectors(
        resources=Resource.objects.filter(pk__range=(first_pk, last_pk))
    )


class _SearchVectorFiller:
    """Fills the search vectors of each inserted chunk: on PostgreSQL outside a transaction, in
    a second thread (with its own connection) while the next chunk is generated and inserted,
    since the database's text parsing and Python's text making each keep one core busy."""

    def __init__(self) -> None:
        self.background = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.executor = ThreadPoolExecutor(max_workers=1) if self.background else None
        self.pending = None

    def fill(self, first_pk: int, last_pk: int) -> None:
        if not self.background:
            _refresh_search_vectors(first_pk, last_pk)
            return
        self.wait()  # one chunk at a time: memory and the database stay in step
        self.pending = self.executor.submit(_refresh_search_vectors, first_pk, last_pk)

    def wait(self) -> None:
        if self.pending is not None:
            self.pending.result()
            self.pending = None

    def close(self) -> None:
        if self.executor is not None:
            self.wait()
            self.executor.submit(connections.close_all).result()  # the thread's connection
            self.executor.shutdown()


def generate_resources(*, count: int, rng: random.Random, first_number: int = 0) -> int:
    """Insert `count` resources with their links and search vectors; returns the count.

    Organisations and authors in the directory are drawn from the bulk ones when there are any
    (`members.bulk`), so this also runs on its own (`bench/search.py --generate`).
    """
    vocabulary = _Vocabulary(rng)
    organisation_ids = list(
        Organisation.objects.filter(acronym__startswith="BULK")
        .order_by("acronym")
        .values_list("pk", flat=True)
    )
    people = list(
        Person.objects.filter(email__startswith="bulk.person")
        .order_by("pk")
        .values_list("pk", "name")
    )
    sdg_ids = _sdgs()
    theme_ids = [theme_get_or_create(name=name).pk for name in THEMES]
    kinds = tuple(zip(*KINDS, strict=True))
    languages = tuple(zip(*LANGUAGES, strict=True))
    sdg_numbers, sdg_weights = zip(*SDG_WEIGHTS.items(), strict=True)
    OrganisationLink = Resource.organisations.through
    SdgLink = Resource.sdgs.through
    ThemeLink = Resource.themes.through
    filler = _SearchVectorFiller()
    try:
        for numbers in _chunks(count):
            built = [
                _resource(rng, first_number + number, vocabulary, people, kinds, languages)
                for number in numbers
            ]
            resources = insert_batch(Resource, [resource for resource, _ in built])
            authors, organisation_links, sdg_links, theme_links = [], [], [], []
            for resource, names in built:
                authors += [
                    ResourceAuthor(
                        resource_id=resource.pk, order=order, name=name, person_id=person_id
                    )
                    for order, (name, person_id) in enumerate(names, start=1)
                ]
                organisation_links += [
                    OrganisationLink(resource_id=resource.pk, organisation_id=organisation_id)
                    for organisation_id in rng.sample(
                        organisation_ids, min(len(organisation_ids), rng.choice([0, 1, 1, 2]))
                    )
                ]
                drawn = {rng.choices(sdg_numbers, sdg_weights)[0] for _ in range(rng.randint(0, 3))}
                sdg_links += [
                    SdgLink(resource_id=resource.pk, sdg_id=sdg_ids[number])
                    for number in sorted(drawn)
                ]
                theme_links += [
                    ThemeLink(resource_id=resource.pk, theme_id=theme_id)
                    for theme_id in rng.sample(theme_ids, rng.choice([0, 1, 1, 2]))
                ]
            for model, rows in (
                (ResourceAuthor, authors),
                (OrganisationLink, organisation_links),
                (SdgLink, sdg_links),
                (ThemeLink, theme_links),
            ):
                insert_in_batches(model, rows)
            filler.fill(resources[0].pk, resources[-1].pk)
    finally:
        filler.close()
    return count


def generate(*, scale: float, rng: random.Random) -> str:
    count = max(1, round(100_000 * scale))
    generate_resources(count=count, rng=rng)
    return f"{count} resources"
