import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Organisation
from tests.factories import OrganisationFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_only_one_current_chair():
    RoleFactory(office="chair")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(office="chair")


def test_a_new_chair_once_the_previous_one_ended():
    RoleFactory(office="chair", ended_on=datetime.date(2022, 1, 1))
    RoleFactory(office="chair")


def test_several_current_holders_of_other_offices_are_allowed():
    RoleFactory(office="secretariat")
    RoleFactory(office="secretariat")


def test_office_dates_must_be_in_order():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(started_on=datetime.date(2023, 1, 1), ended_on=datetime.date(2022, 1, 1))


def test_office_needs_a_holder():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(person=None, organisation=None)


def test_acronyms_are_unique_whatever_their_case():
    OrganisationFactory(acronym="ILO", slug="ilo")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(acronym="ilo", slug="ilo-2", name="Copy", kind="member")


def test_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(joined_on=datetime.date(2020, 1, 1), left_on=datetime.date(2019, 1, 1))


def test_organisation_clean_refuses_reserved_page_addresses():
    organisation = Organisation(
        acronym="Governance", slug="governance", name="A name", kind="member"
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["slug"] == ["This address is used by a page of the portal."]


def test_person_time_zone_is_validated():
    person = PersonFactory.build(organisation=OrganisationFactory(), time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict["time_zone"] == [
        "“Mars/Olympus” is not a time zone name such as Europe/Zurich or America/Santiago."
    ]


def test_current_and_former_organisations(time_machine):
    time_machine.move_to(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    current = OrganisationFactory()
    leaving_later = OrganisationFactory(left_on=datetime.date(2024, 6, 1))
    former = OrganisationFactory(left_on=datetime.date(2023, 12, 31))
    assert set(Organisation.objects.current()) == {current, leaving_later}
    assert set(Organisation.objects.former()) == {former}
    assert (current.is_current, leaving_later.is_current, former.is_current) == (True, True, False)
