"""factory_boy factories for housing (names and addresses from faker ja_JP); default place 四万十町 (39412)."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from nikyoten.accounts.tests.factories import OrganizationFactory, UserFactory
from nikyoten.housing.choices import (
    AkiyaSource,
    BookingStatus,
    ListingKind,
    OwnerKind,
    StayUnit,
)
from nikyoten.housing.models import (
    AkiyaCase,
    Booking,
    Campaign,
    CampaignLetter,
    Inquiry,
    InquiryMessage,
    Listing,
    Owner,
    OwnerConsent,
    SavedSearch,
    TrialStayUnit,
)


class ListingFactory(DjangoModelFactory):
    """A rented akiya in the organization's municipality, at its office point (so inside the municipality)."""

    class Meta:
        model = Listing

    organization = factory.SubFactory(OrganizationFactory)
    municipality = factory.LazyAttribute(lambda o: o.organization.municipality)
    prefecture = factory.LazyAttribute(lambda o: o.municipality.prefecture)
    kind = ListingKind.AKIYA_RENT
    title = factory.Sequence(lambda n: f"古民家{n}")
    rent_yen = 30000
    floor_plan = "4LDK"
    address = factory.LazyAttribute(lambda o: f"{o.municipality.prefecture.name}{o.municipality.name}1-2-3")
    latitude = factory.LazyAttribute(lambda o: o.municipality.inside_lat)
    longitude = factory.LazyAttribute(lambda o: o.municipality.inside_lng)
    last_confirmed_at = factory.LazyFunction(timezone.now)


class TrialStayUnitFactory(DjangoModelFactory):
    """A trial-stay house of 1–6 months at 30,000 yen a month (as 四万十町's)."""

    class Meta:
        model = TrialStayUnit

    listing = factory.SubFactory(ListingFactory, kind=ListingKind.TRIAL_STAY)
    stay_unit = StayUnit.MONTH
    min_stay = 1
    max_stay = 6
    price_yen = 30000
    capacity = 4
    max_bookings_per_person = 1
    lead_time_days = 7


class BookingFactory(DjangoModelFactory):
    class Meta:
        model = Booking

    unit = factory.SubFactory(TrialStayUnitFactory)
    seeker = factory.SubFactory(UserFactory)
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=30))
    guests = 2
    status = BookingStatus.REQUESTED


class AkiyaCaseFactory(DjangoModelFactory):
    class Meta:
        model = AkiyaCase

    organization = factory.SubFactory(OrganizationFactory)
    municipality = factory.LazyAttribute(lambda o: o.organization.municipality)
    reference = factory.Sequence(lambda n: f"AK-{n:04d}")
    address = factory.LazyAttribute(lambda o: f"{o.municipality.prefecture.name}{o.municipality.name}4-5-6")
    source = AkiyaSource.SURVEY
    discovered_on = factory.LazyFunction(lambda: date.today() - timedelta(days=60))
    stage_changed_on = factory.LazyAttribute(lambda o: o.discovered_on)


class OwnerFactory(DjangoModelFactory):
    class Meta:
        model = Owner

    case = factory.SubFactory(AkiyaCaseFactory)
    kind = OwnerKind.PERSON
    name = factory.Faker("name", locale="ja_JP")
    postal_code = "7860000"
    address = factory.Faker("address", locale="ja_JP")
    phone = "0880-00-0000"


class OwnerConsentFactory(DjangoModelFactory):
    class Meta:
        model = OwnerConsent

    owner = factory.SubFactory(OwnerFactory)
    recipient = factory.SubFactory(OrganizationFactory)
    purpose = "空き家の活用に向けた相談"
    consented_on = factory.LazyFunction(date.today)


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"空き家活用のご案内 第{n}回")
    letter_subject = "空き家の活用についてのご案内"
    letter_body = "{owner_name} 様\n\n{address} の建物について、活用のご意向をお聞かせください。"


class CampaignLetterFactory(DjangoModelFactory):
    class Meta:
        model = CampaignLetter

    campaign = factory.SubFactory(CampaignFactory)
    owner = factory.SubFactory(
        OwnerFactory, case__organization=factory.SelfAttribute("...campaign.organization")
    )
    case = factory.LazyAttribute(lambda o: o.owner.case)


class InquiryFactory(DjangoModelFactory):
    class Meta:
        model = Inquiry

    listing = factory.SubFactory(ListingFactory)
    organization = factory.LazyAttribute(lambda o: o.listing.organization)
    seeker = factory.SubFactory(UserFactory)
    subject = "内見の希望"


class InquiryMessageFactory(DjangoModelFactory):
    class Meta:
        model = InquiryMessage

    inquiry = factory.SubFactory(InquiryFactory)
    author = factory.LazyAttribute(lambda o: o.inquiry.seeker)
    body = "来月、内見できますか。"


class SavedSearchFactory(DjangoModelFactory):
    class Meta:
        model = SavedSearch

    user = factory.SubFactory(UserFactory)
    name = "高知県の空き家"
    query = "prefecture=39&kind=akiya_rent"


class SearchableListingFactory(ListingFactory):
    """A listing with `search_text` filled as the listing services fill it (so keyword search finds it)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def index(obj: Listing, create: bool, extracted: object, **kwargs: object) -> None:
        from nikyoten.housing.search import listing_search_text

        obj.search_text = listing_search_text(obj)
        if create:
            obj.save(update_fields=["search_text"])
