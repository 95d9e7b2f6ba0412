"""factory_boy factories for the whole suite."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from members.groups import SECRETARIAT_GROUP, ensure_staff_groups
from members.models import Office, Organisation, OrganisationKind, Person, Role

DEFAULT_PASSWORD = "a-Long-test-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up account whose e-mail address is verified (pass verified=False to leave it not)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if not create:
            return
        EmailAddress.objects.create(
            user=self, email=self.email, primary=True, verified=extracted is not False
        )
        self.save()


class SecretariatUserFactory(UserFactory):
    """Secretariat staff: reaches the admin through the Secretariat group's permissions."""

    is_staff = True

    @factory.post_generation
    def secretariat_group(self, create, extracted, **kwargs):
        if create:
            ensure_staff_groups()
            self.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    acronym = factory.Sequence(lambda n: f"ORG{n}")
    slug = factory.LazyAttribute(lambda o: o.acronym.lower().replace(" ", "-"))
    name = factory.LazyAttribute(lambda o: f"Organisation {o.acronym}")
    kind = OrganisationKind.MEMBER
    country = "CH"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Programme officer"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    public_profile = True


class FocalPointFactory(UserFactory):
    """A verified user confirmed as focal point of an organisation.

    FocalPointFactory(organisation=ilo), or FocalPointFactory(organisation__kind="observer").
    """

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if create:
            organisation = extracted or OrganisationFactory(**kwargs)
            PersonFactory(user=self, name=self.name, email=self.email, organisation=organisation)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    office = Office.COMMUNICATIONS
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
