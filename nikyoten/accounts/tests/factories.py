"""factory_boy factories for users, organizations and memberships (names from faker ja_JP)."""

import factory
from factory.django import DjangoModelFactory

from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.models import Membership, Organization, User
from nikyoten.regions.models import Municipality

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    display_name = factory.Faker("name", locale="ja_JP")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory):
    """A municipality's organization, by default 四万十町 (39412)."""

    class Meta:
        model = Organization

    class Params:
        code = "39412"

    name = factory.Sequence(lambda n: f"組織{n}")
    kind = OrganizationKind.MUNICIPALITY
    municipality = factory.LazyAttribute(lambda o: Municipality.objects.get(code=o.code))
    prefecture = factory.LazyAttribute(lambda o: o.municipality.prefecture)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MembershipRole.EDITOR
