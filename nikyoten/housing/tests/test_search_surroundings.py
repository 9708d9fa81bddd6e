"""A listing's surroundings: nearest facilities and hazards at its point, from the imported official data."""

from django.test import TestCase
from django.urls import reverse

from nikyoten.accounts.tests.factories import OrganizationFactory
from nikyoten.housing.choices import ListingStatus
from nikyoten.housing.tests.factories import ListingFactory
from nikyoten.regions.tests.test_environment import import_fixtures


def detail(listing: object) -> str:
    return reverse("housing:listing_detail", args=[listing.pk])  # type: ignore[attr-defined]


class SurroundingsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        organization = OrganizationFactory(code="13101")
        cls.listing = ListingFactory(organization=organization, latitude=35.681, longitude=139.7515)
        cls.contracted = ListingFactory(organization=organization, status=ListingStatus.CONTRACTED)

    def test_nothing_imported_says_no_data(self) -> None:
        response = self.client.get(detail(self.listing))
        self.assertContains(response, "周辺の施設と災害リスク")
        content = response.content.decode()
        section = content[content.index("周辺の施設と災害リスク") : content.index("掲載と問い合わせ")]
        self.assertEqual(section.count("データなし"), 7 + 1)  # 4 facilities, 3 hazards, and the note
        self.assertNotIn("出典", section)

    def test_the_nearest_facility_and_the_flood_depth_with_their_sources(self) -> None:
        import_fixtures("P04-20_13.geojson", "A31a-20-24_13.geojson")
        response = self.client.get(detail(self.listing))
        self.assertContains(response, "最寄りの病院")
        self.assertContains(response, "試験中央病院（約")
        self.assertContains(response, "5〜10m")  # the deeper of two overlapping flood zones at the point
        self.assertContains(response, "国土数値情報 医療機関（2020 版）")
        content = response.content.decode()
        tsunami = content[content.index("<dt>津波浸水想定</dt>") :]
        self.assertTrue(tsunami.startswith("<dt>津波浸水想定</dt>\n    <dd>データなし"))  # A40 not imported

    def test_open_listings_offer_an_inquiry_and_contracted_ones_do_not(self) -> None:
        self.assertContains(
            self.client.get(detail(self.listing)), reverse("housing:inquiry_create", args=[self.listing.pk])
        )
        self.assertNotContains(
            self.client.get(detail(self.contracted)),
            reverse("housing:inquiry_create", args=[self.contracted.pk]),
        )
