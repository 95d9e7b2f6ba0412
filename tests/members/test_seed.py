import pytest
from django.core.management import call_command

from members.models import Organisation, Person, Role

pytestmark = pytest.mark.django_db


def counts():
    return (Organisation.objects.count(), Person.objects.count(), Role.objects.count())


def test_load_seed_data_twice_changes_nothing():
    call_command("load_seed_data", verbosity=0)
    first = counts()
    stamps = list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True))
    call_command("load_seed_data", verbosity=0)
    assert counts() == first
    assert list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_seed_members_and_observers_named_by_the_documents():
    call_command("load_seed_data", verbosity=0)
    members = set(Organisation.objects.members().values_list("acronym", flat=True))
    observers = set(Organisation.objects.observers().values_list("acronym", flat=True))
    assert members == {
        "ILO",
        "UNRISD",
        "ECLAC",
        "UNDP",
        "UN DESA",
        "UNCTAD",
        "OECD",
        "ESCAP",
        "UNHCR",
    }
    assert observers == {
        "Catalyst 2030", "CIRIEC", "CSEND", "EMES", "Euricse", "DIESIS", "GSEF", "Euclid Network",
        "ICA", "SSE International Forum", "RIPESS", "EESC", "Social Economy Europe",
    }  # fmt: skip
    assert Organisation.objects.get(slug="ilo").name == "International Labour Organization"


def test_seed_people_and_offices(client):
    call_command("load_seed_data", verbosity=0)
    hamish = Person.objects.get(name="Hamish Jenkins")
    assert hamish.organisation.slug == "ripess"
    assert "Hamish Jenkins" in client.get("/members/ripess/").content.decode()

    chair = Role.objects.get(office="chair")
    assert (
        chair.person.name,
        chair.organisation.acronym,
        chair.ended_on.year,
        chair.ended_precision,
    ) == ("Vic Van Vuuren", "ILO", 2022, "year")
    vice = Role.objects.get(office="vice_chair")
    assert (vice.person.name, vice.organisation.acronym, vice.is_current) == (
        "Simel Esim",
        "ILO",
        True,
    )
    # The March 2022 report planned a new Chair/Secretariat in 2022: both offices end then.
    secretariat = Role.objects.get(office="secretariat")
    assert (
        secretariat.person.name,
        secretariat.organisation.acronym,
        secretariat.ended_on.year,
        secretariat.ended_precision,
        secretariat.is_current,
    ) == ("Valentina Verze", "ILO", 2022, "year", False)

    governance = client.get("/members/governance/").content.decode()
    assert "Vic Van Vuuren" in governance
    assert "until 2022" in governance
    assert "Simel Esim" in governance


def test_seed_states_no_country_or_honorific_the_documents_do_not_give():
    call_command("load_seed_data", verbosity=0)
    countries = dict(Organisation.objects.exclude(country="").values_list("slug", "country"))
    assert countries == {"luxembourg": "LU", "republic-of-korea": "KR"}
    assert Organisation.objects.get(slug="ripess").name == (
        "Intercontinental Network for the Promotion of Social and Solidarity Economy"
    )
    honorifics = dict(Person.objects.values_list("name", "honorific"))
    assert honorifics == {
        # Mr./Ms. as the news of 2019, 2020 and 2023 write them.
        "Vic Van Vuuren": "Mr", "Anita Amorim": "Ms", "Roberto Di Meglio": "Mr",
        "Valentina Verze": "Ms", "Guy Tchami": "Mr", "Kim Young Hyun": "Mr", "Simel Esim": "Ms",
        # Neither a first name nor a pronoun gives an honorific.
        "Charles Bodwell": "", "Fernando Baptista": "", "Antonella Noya": "", "Ilcheong Yi": "",
        "Hamish Jenkins": "", "Barbara Sak": "", "Laurence Kwark": "", "Madani Coumare": "",
    }  # fmt: skip
