"""Synthetic organisations and people for benchmarks (see `manage.py generate_bulk_data`)."""

import datetime
import random

from django.core.management.base import CommandError

from members.models import Organisation, OrganisationKind, Person

BATCH = 5000
FIRST_NAMES = [
    "Amina", "Carlos", "Mei", "Olu", "Sofia", "Rahul", "Fatou", "Lars", "Ana", "Kwame", "Yuki", "Leila",
    "Pedro", "Ingrid", "Tariq", "Elena", "Joseph", "Nadia", "Hugo", "Grace", "Ivan", "Chloé", "Diego", "Aiko",
]  # fmt: skip
LAST_NAMES = [
    "Diallo", "García", "Chen", "Adeyemi", "Rossi", "Sharma", "Ndiaye", "Andersen", "Silva", "Mensah",
    "Tanaka", "Haddad", "Costa", "Berg", "Rahman", "Popescu", "Okafor", "Karimi", "Dubois", "Mwangi",
]  # fmt: skip
ORGANISATION_WORDS = [
    "Cooperative", "Solidarity", "Social Economy", "Community", "Development", "Fair Trade", "Microfinance",
    "Mutual", "Workers", "Women's", "Youth", "Rural", "Urban", "Housing", "Energy", "Care", "Food", "Finance",
]  # fmt: skip
ORGANISATION_TYPES = [
    "Network",
    "Alliance",
    "Forum",
    "Institute",
    "Federation",
    "Centre",
    "Association",
    "Agency",
]
COUNTRIES = [
    "BE",
    "BR",
    "CA",
    "CH",
    "CL",
    "CO",
    "DE",
    "ES",
    "FR",
    "GH",
    "IN",
    "IT",
    "JP",
    "KE",
    "KR",
    "MA",
    "MX",
    "PH",
    "SN",
    "US",
    "ZA",
]
POSITIONS = [
    "Director",
    "Programme officer",
    "Policy adviser",
    "Researcher",
    "Coordinator",
    "Head of unit",
]
ZONES = [
    "Europe/Zurich",
    "Europe/Paris",
    "America/Santiago",
    "America/New_York",
    "Africa/Dakar",
    "Asia/Seoul",
    "Asia/Bangkok",
]


def generate(*, scale: float, rng: random.Random) -> str:
    if Organisation.objects.filter(acronym__startswith="BULK").exists():
        raise CommandError("Bulk data is already in this database; generate it into a fresh one.")
    organisation_count = max(1, round(500 * scale))
    people_count = max(1, round(20_000 * scale))
    kinds = (
        [OrganisationKind.MEMBER] * 2 + [OrganisationKind.OBSERVER] * 7 + [OrganisationKind.PARTNER]
    )
    organisations = []
    for number in range(organisation_count):
        words = rng.sample(ORGANISATION_WORDS, 2)
        acronym = f"BULK{number:05d}"
        joined = datetime.date(rng.randint(2013, 2024), rng.randint(1, 12), 1)
        organisations.append(
            Organisation(
                acronym=acronym,
                slug=acronym.lower(),
                name=f"{words[0]} {words[1]} {rng.choice(ORGANISATION_TYPES)} {number}",
                kind=rng.choice(kinds),
                country=rng.choice(COUNTRIES),
                joined_on=joined,
                left_on=joined + datetime.timedelta(days=rng.randint(400, 3000))
                if rng.random() < 0.1
                else None,
                description="A synthetic organisation generated for benchmarks.",
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    organisation_ids = list(
        Organisation.objects.filter(acronym__startswith="BULK").values_list("pk", flat=True)
    )
    batch = []
    for number in range(people_count):
        batch.append(
            Person(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {number}",
                organisation_id=rng.choice(organisation_ids),
                position=rng.choice(POSITIONS),
                email=f"bulk.person{number}@example.org",
                public_profile=rng.random() < 0.6,
                preferred_language=rng.choice(["en", "en", "fr", "es"]),
                time_zone=rng.choice(ZONES),
            )
        )
        if len(batch) == BATCH:
            Person.objects.bulk_create(batch)
            batch.clear()
    Person.objects.bulk_create(batch)
    return f"{organisation_count} organisations, {people_count} people"
