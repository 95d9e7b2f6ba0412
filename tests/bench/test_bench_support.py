"""The load benchmark's pieces that run inside Django: the baseline URLconf and the session."""

import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve

from bench.server import FOCAL_POINT_EMAIL, focal_point_cookie
from bench.urls import BASELINE_HTML
from members.models import OrganisationKind, Person, User
from tests.factories import OrganisationFactory


def test_baseline_is_not_in_the_production_urls():
    with pytest.raises(Resolver404):
        resolve("/bench/baseline/", urlconf="untfsse.urls")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_baseline_is_a_fixed_page_without_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/bench/baseline/")
    assert response.status_code == 200
    assert response.content.decode() == BASELINE_HTML


@pytest.mark.django_db
def test_focal_point_cookie_signs_in_a_focal_point_of_a_current_member(client):
    OrganisationFactory(acronym="OECD", kind=OrganisationKind.OBSERVER)
    OrganisationFactory(acronym="ILO", kind=OrganisationKind.MEMBER)
    OrganisationFactory(acronym="BULK00001", kind=OrganisationKind.MEMBER)

    first = focal_point_cookie()
    second = focal_point_cookie()

    assert first != second
    assert User.objects.filter(email=FOCAL_POINT_EMAIL).count() == 1
    person = Person.objects.get(user__email=FOCAL_POINT_EMAIL)
    assert person.organisation.acronym == "BULK00001"
    name, value = second.split("=")
    client.cookies[name] = value
    response = client.get("/me/")
    assert response.status_code == 200
    assert "Sign out" in response.content.decode()
