"""The seed data: the three Knowledge Hub items the source documents name."""

import datetime

import pytest
from django.core.management import call_command
from django.http import QueryDict

from knowledgehub.models import Licence, Resource, ResourceKind, TextExtractionStatus
from knowledgehub.search import search_resources
from members.models import DatePrecision

pytestmark = pytest.mark.django_db


def load(capsys) -> str:
    call_command("load_seed_data")
    return capsys.readouterr().out


def test_seed_loads_the_three_items_as_the_documents_describe_them(capsys):
    assert "Knowledge Hub: 3 resources (3 new)" in load(capsys)
    report, position, package = (
        Resource.objects.prefetch_related("organisations", "sdgs", "themes").get(title=title)
        for title in (
            "Third Technical Symposium, 6-10 December 2021: Brief Report",
            "Social and Solidarity Economy and the Challenge of Sustainable Development",
            "Global awareness-raising package on the social and solidarity economy",
        )
    )
    assert (report.kind, report.published_on, report.published_precision) == (
        ResourceKind.REPORT,
        datetime.date(2022, 3, 1),
        DatePrecision.MONTH,
    )
    assert sorted(o.slug for o in report.organisations.all()) == ["ilo", "itcilo"]
    assert (position.kind, position.published_on.year, position.published_precision) == (
        ResourceKind.POSITION_PAPER,
        2014,
        DatePrecision.YEAR,
    )
    assert list(position.organisations.all()) == []
    assert (package.kind, package.published_on.year, package.published_precision) == (
        ResourceKind.TRAINING_MATERIAL,
        2023,
        DatePrecision.YEAR,
    )
    assert [o.slug for o in package.organisations.all()] == ["itcilo"]
    for resource in (report, position, package):
        # Metadata only: no file, no guessed licence or DOI.
        assert (resource.pdf.name, resource.doi, resource.licence) == ("", "", Licence.NOT_STATED)
        assert resource.text_extraction_status == TextExtractionStatus.NO_FILE
        assert resource.abstract


def test_seed_is_idempotent(capsys):
    load(capsys)
    before = list(Resource.objects.order_by("pk").values_list("pk", "updated_at", "search_vector"))
    assert "Knowledge Hub: 3 resources (0 new)" in load(capsys)
    after = list(Resource.objects.order_by("pk").values_list("pk", "updated_at", "search_vector"))
    assert after == before


def test_seed_resources_are_searchable_and_citable(client, capsys):
    load(capsys)
    results = search_resources(QueryDict("q=awareness"))
    assert [r.title for r in results.page.object_list] == [
        "Global awareness-raising package on the social and solidarity economy"
    ]
    resource = Resource.objects.get(kind=ResourceKind.POSITION_PAPER)
    response = client.get(f"{resource.get_absolute_url()}cite.ris")
    assert "PY  - 2014\r\n" in response.content.decode()
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "UN Inter-Agency Task Force on Social and Solidarity Economy. (2014)." in html
