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
    secretariat = Role.objects.get(office="secretariat")
    assert (secretariat.person.name, secretariat.organisation.acronym) == ("Valentina Verze", "ILO")

    governance = client.get("/members/governance/").content.decode()
    assert "Vic Van Vuuren" in governance
    assert "until 2022" in governance
    assert "Simel Esim" in governance
