"""factory_boy factories for region profiles, practitioner stories and matching profiles."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from nikyoten.accounts.tests.factories import OrganizationFactory, UserFactory
from nikyoten.matching.models import MatchingProfile, PractitionerStory, RegionProfile
from nikyoten.regions.models import Municipality


class RegionProfileFactory(DjangoModelFactory):
    """A published profile of the organization's municipality (四万十町 by default) vouching for a coordinator."""

    class Meta:
        model = RegionProfile

    organization = factory.SubFactory(OrganizationFactory)
    municipality = factory.LazyAttribute(lambda o: o.organization.municipality)
    vision = "川とともに暮らす町"
    living_styles = factory.LazyFunction(lambda: ["telework"])
    life_stages = factory.LazyFunction(lambda: ["child_raising"])
    work_styles = factory.LazyFunction(lambda: ["telework"])
    coordinator = True
    coordinator_vouched_on = date(2026, 4, 1)
    is_published = True


class PractitionerStoryFactory(DjangoModelFactory):
    class Meta:
        model = PractitionerStory

    profile = factory.SubFactory(RegionProfileFactory)
    title = factory.Sequence(lambda n: f"移住して{n}年目の春")
    body = "東京の仕事を続けながら、週末は畑に出ています。"
    living_style = "telework"
    is_published = True


class MatchingProfileFactory(DjangoModelFactory):
    """A family of four teleworking to 新宿区 (13104), within 150 km."""

    class Meta:
        model = MatchingProfile

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"条件{n}")
    adults = 2
    children_ages = factory.LazyFunction(lambda: [3, 6])
    work_style = "telework"
    living_style = "telework"
    base = factory.LazyFunction(lambda: Municipality.objects.get(code="13104"))
    trips_per_month = 8
    max_distance_km = 150
    weights = factory.LazyFunction(lambda: {"childcare": 5, "low_hazard": 5, "trial_stay": 5, "access": 3})
