"""The listing filter set: one test per filter, the keyword index on both databases, and properties."""

import unittest
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import TestCase
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from nikyoten.accounts.tests.factories import OrganizationFactory
from nikyoten.core.text import search_key
from nikyoten.housing.choices import (
    BuildingCondition,
    BuildingStructure,
    InternetAccess,
    ListingKind,
    ListingStatus,
    PetPolicy,
)
from nikyoten.housing.filters import ONE_ROOM, parse_bbox, rooms_of
from nikyoten.housing.models import Listing, ListingPhoto
from nikyoten.housing.search import keyword_filter
from nikyoten.housing.selectors.search import ListingSearchInvalid, listing_search
from nikyoten.housing.tests.factories import SearchableListingFactory, TrialStayUnitFactory


def search(**params: Any) -> set[int]:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [str(value)])
    return set(listing_search(actor=AnonymousUser(), params=query).values_list("pk", flat=True))


class ListingFilterTests(TestCase):
    """Two listings per filter: `self.hit` matches the filter under test, `self.miss` does not."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.shimanto = OrganizationFactory(code="39412")  # 高知県四万十町
        cls.hida = OrganizationFactory(code="21217")  # 岐阜県飛騨市
        cls.a = SearchableListingFactory(
            organization=cls.shimanto,
            title="四万十川が見える古民家",
            kind=ListingKind.AKIYA_SALE,
            rent_yen=None,
            sale_price_yen=3_000_000,
            floor_plan="5DK",
            building_area_m2=Decimal("120.50"),
            land_area_m2=Decimal("800"),
            year_built=1965,
            structure=BuildingStructure.WOOD,
            condition=BuildingCondition.RENOVATION,
            parking_spaces=2,
            has_farmland=True,
            pets=PetPolicy.ALLOWED,
            internet=InternetAccess.FIBRE,
        )
        cls.b = SearchableListingFactory(
            organization=cls.hida,
            title="飛騨の町家",
            kind=ListingKind.RENTAL,
            rent_yen=45_000,
            floor_plan="2LDK",
            building_area_m2=Decimal("60"),
            land_area_m2=Decimal("90"),
            year_built=2005,
            structure=BuildingStructure.LIGHT_STEEL,
            condition=BuildingCondition.READY,
            parking_spaces=0,
            has_shop=True,
            pets=PetPolicy.NOT_ALLOWED,
            internet=InternetAccess.NONE,
            status=ListingStatus.NEGOTIATING,
        )
        Listing.objects.filter(pk=cls.b.pk).update(
            last_confirmed_at=timezone.now() - timedelta(days=200),
            updated_at=timezone.now() - timedelta(days=20),
            created_at=timezone.now() - timedelta(days=40),
        )
        ListingPhoto.objects.create(listing=cls.a, image="housing/a.jpg", alt_text="南側の外観")

    def assertFinds(self, expected: set[Listing], **params: Any) -> None:
        self.assertEqual(search(**params), {listing.pk for listing in expected})

    def test_no_filter_finds_both(self) -> None:
        self.assertFinds({self.a, self.b})

    def test_prefecture(self) -> None:
        self.assertFinds({self.b}, prefecture="21")

    def test_municipality(self) -> None:
        self.assertFinds({self.a}, municipality="39412")

    def test_kind_takes_several(self) -> None:
        self.assertFinds({self.a}, kind="akiya_sale")
        self.assertFinds({self.a, self.b}, kind=["akiya_sale", "rental"])

    def test_status(self) -> None:
        self.assertFinds({self.b}, status="negotiating")

    def test_withdrawn_is_no_status_choice(self) -> None:
        with self.assertRaises(ListingSearchInvalid):
            search(status="withdrawn")

    def test_sale_price_range(self) -> None:
        self.assertFinds({self.a}, sale_price_min=2_000_000, sale_price_max=3_000_000)
        self.assertFinds(set(), sale_price_max=2_999_999)

    def test_rent_range(self) -> None:
        self.assertFinds({self.b}, rent_min=45_000, rent_max=50_000)
        self.assertFinds(set(), rent_min=45_001)

    def test_rooms_at_least(self) -> None:
        self.assertFinds({self.a}, rooms_min=3)
        self.assertFinds({self.a, self.b}, rooms_min=2)

    def test_floor_plan_type(self) -> None:
        self.assertFinds({self.b}, floor_plan_type="LDK")
        self.assertFinds({self.a}, floor_plan_type="DK")

    def test_building_area_range(self) -> None:
        self.assertFinds({self.a}, building_area_min=100)
        self.assertFinds({self.b}, building_area_max="60.00")

    def test_land_area_range(self) -> None:
        self.assertFinds({self.a}, land_area_min=500)
        self.assertFinds({self.b}, land_area_max=100)

    def test_year_built_range(self) -> None:
        self.assertFinds({self.b}, year_built_from=2000)
        self.assertFinds({self.a}, year_built_to=1970)

    def test_structure(self) -> None:
        self.assertFinds({self.a}, structure="wood")

    def test_condition(self) -> None:
        self.assertFinds({self.b}, condition="ready")

    def test_parking(self) -> None:
        self.assertFinds({self.a}, parking="true")

    def test_farmland(self) -> None:
        self.assertFinds({self.a}, farmland="true")

    def test_shop(self) -> None:
        self.assertFinds({self.b}, shop="true")

    def test_an_unticked_flag_narrows_nothing(self) -> None:
        self.assertFinds({self.a, self.b}, shop="false")

    def test_pets(self) -> None:
        self.assertFinds({self.a}, pets="true")

    def test_fibre(self) -> None:
        self.assertFinds({self.a}, fibre="true")

    def test_updated_within(self) -> None:
        self.assertFinds({self.a}, updated_within=7)
        self.assertFinds({self.a, self.b}, updated_within=30)

    def test_fresh_leaves_out_stale_listings(self) -> None:
        self.assertFinds({self.a}, fresh="true")

    def test_photos(self) -> None:
        self.assertFinds({self.a}, photos="true")

    def test_trial_stay(self) -> None:
        unit = TrialStayUnitFactory(listing__organization=self.shimanto)
        self.assertFinds({unit.listing}, trial_stay="true")

    def test_keyword(self) -> None:
        self.assertFinds({self.a}, q="古民家")

    def test_keyword_is_normalised_like_the_text(self) -> None:
        self.assertFinds({self.b}, q="ヒダ")  # the municipality's kana (ひだし), in katakana
        self.assertFinds({self.a}, q="シマント")

    def test_keyword_with_a_place(self) -> None:
        self.assertFinds({self.a}, q="古民家", prefecture="39")
        self.assertFinds(set(), q="古民家", municipality="21217")

    def test_keyword_shorter_than_a_trigram(self) -> None:
        self.assertFinds({self.b}, q="町家")

    def test_keyword_with_fts_syntax_is_literal(self) -> None:
        self.assertFinds(set(), q='古民家" OR "町家')

    def test_bbox(self) -> None:
        lat, lng = self.a.latitude, self.a.longitude
        self.assertFinds({self.a}, bbox=f"{lat - 0.1},{lng - 0.1},{lat + 0.1},{lng + 0.1}")

    def test_malformed_bbox_is_refused_with_a_message(self) -> None:
        for bad in ("1,2,3", "a,b,c,d", "35,140,34,141", "35,140,36,200"):
            with self.subTest(bad=bad), self.assertRaises(ListingSearchInvalid) as caught:
                search(bbox=bad)
            self.assertIn("bbox", caught.exception.fields)

    def test_sort(self) -> None:
        def order(sort: str) -> list[int]:
            query = QueryDict(f"sort={sort}")
            return list(listing_search(actor=AnonymousUser(), params=query).values_list("pk", flat=True))

        a, b = self.a.pk, self.b.pk
        self.assertEqual(order("updated"), [a, b])
        self.assertEqual(order("new"), [a, b])
        self.assertEqual(order("price_asc"), [a, b])  # listings without a price come last
        self.assertEqual(order("price_desc"), [a, b])
        self.assertEqual(order("rent_asc"), [b, a])
        self.assertEqual(order("rent_desc"), [b, a])
        self.assertEqual(order("area"), [a, b])

    def test_unknown_sort_is_refused(self) -> None:
        with self.assertRaises(ListingSearchInvalid):
            search(sort="cheapest")


class VisibilityTests(TestCase):
    """Withdrawn listings show to their organization's members only; another organization's never leak."""

    @classmethod
    def setUpTestData(cls) -> None:
        from nikyoten.accounts.tests.factories import MembershipFactory

        cls.own = OrganizationFactory(code="39412")
        cls.other = OrganizationFactory(code="46222")  # 鹿児島県奄美市: another municipality
        cls.member = MembershipFactory(organization=cls.own).user
        cls.outsider = MembershipFactory(organization=cls.other).user
        cls.own_withdrawn = SearchableListingFactory(organization=cls.own, status=ListingStatus.WITHDRAWN)
        cls.other_withdrawn = SearchableListingFactory(organization=cls.other, status=ListingStatus.WITHDRAWN)
        cls.public = {
            SearchableListingFactory(organization=org, status=status).pk
            for org in (cls.own, cls.other)
            for status in (ListingStatus.OPEN, ListingStatus.NEGOTIATING, ListingStatus.CONTRACTED)
        }

    def found(self, actor: Any) -> set[int]:
        return set(listing_search(actor=actor, params=QueryDict()).values_list("pk", flat=True))

    def test_public_sees_public_listings_only(self) -> None:
        self.assertEqual(self.found(AnonymousUser()), self.public)

    def test_member_also_sees_own_withdrawn_listing(self) -> None:
        self.assertEqual(self.found(self.member), self.public | {self.own_withdrawn.pk})

    def test_every_role_of_the_organization_sees_its_withdrawn_listing(self) -> None:
        from nikyoten.accounts.choices import MembershipRole
        from nikyoten.accounts.tests.factories import MembershipFactory

        for role in MembershipRole:
            with self.subTest(role=role):
                user = MembershipFactory(organization=self.own, role=role).user
                self.assertEqual(self.found(user), self.public | {self.own_withdrawn.pk})

    def test_other_organization_sees_its_own_and_never_ours(self) -> None:
        self.assertEqual(self.found(self.outsider), self.public | {self.other_withdrawn.pk})


TEXT = st.text(alphabet="古民家空き家畑ハタケはたけabAB1２ー ", min_size=1, max_size=12)


class KeywordPropertyTests(HypothesisTestCase):
    """The index (FTS5 trigram on SQLite, LIKE with pg_trgm on PostgreSQL) finds exactly the substrings."""

    @classmethod
    def setUpTestData(cls) -> None:
        organization = OrganizationFactory(code="39412")
        titles = ["古民家と畑", "空き家ハタケ付き", "AB12 古民家", "はたけのある家", "家"]
        cls.listings = [SearchableListingFactory(organization=organization, title=t) for t in titles]

    @settings(max_examples=60, deadline=None)
    @given(query=TEXT)
    def test_keyword_finds_exactly_the_listings_containing_it(self, query: str) -> None:
        key = search_key(query)
        expected = (
            {x.pk for x in self.listings if key in x.search_text} if key else {x.pk for x in self.listings}
        )
        for narrowed in (False, True):
            found = keyword_filter(Listing.objects.all(), query, narrowed=narrowed)
            self.assertEqual(set(found.values_list("pk", flat=True)), expected, f"narrowed={narrowed}")


PLANS = st.one_of(
    st.just(ONE_ROOM),
    st.builds(lambda n, t: f"{n}{t}", st.integers(1, 99), st.sampled_from(["R", "K", "DK", "LDK", "SLDK"])),
)


class RoomsPropertyTests(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organization = OrganizationFactory(code="39412")

    @settings(max_examples=25, deadline=None)
    @given(plans=st.lists(PLANS, min_size=1, max_size=6), minimum=st.integers(1, 5))
    def test_rooms_filter_agrees_with_rooms_of(self, plans: list[str], minimum: int) -> None:
        listings = [SearchableListingFactory(organization=self.organization, floor_plan=p) for p in plans]
        expected = {x.pk for x in listings if (rooms_of(x.floor_plan) or 0) >= minimum}
        self.assertEqual(search(rooms_min=minimum) & {x.pk for x in listings}, expected)


class BoundingBoxParseTests(unittest.TestCase):
    def test_reads_four_numbers(self) -> None:
        box = parse_bbox(" 33.1, 132.9 ,33.3,133.2")
        self.assertEqual((box.south, box.west, box.north, box.east), (33.1, 132.9, 33.3, 133.2))

    @given(
        south=st.floats(-90, 90),
        north=st.floats(-90, 90),
        west=st.floats(-180, 180),
        east=st.floats(-180, 180),
    )
    def test_accepts_exactly_the_ordered_boxes(
        self, south: float, north: float, west: float, east: float
    ) -> None:
        text = f"{south!r},{west!r},{north!r},{east!r}"
        if south < north and west < east:
            self.assertEqual(tuple(parse_bbox(text)), (south, west, north, east))
        else:
            with self.assertRaises(ValueError):
                parse_bbox(text)
