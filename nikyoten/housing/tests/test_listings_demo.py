"""The listings demo seeder: the seed's cases as real rows under their municipality's demo organization, idempotent."""

from django.test import TestCase

from nikyoten.accounts import demo as accounts_demo
from nikyoten.housing.choices import ListingKind
from nikyoten.housing.demo import listings as listings_demo
from nikyoten.housing.models import Listing
from nikyoten.housing.querysets import stale_before

PASSWORD = "demo-password-for-tests"


class ListingsDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        accounts_demo.seed(password=PASSWORD)
        cls.first = listings_demo.seed(password=PASSWORD)
        cls.second = listings_demo.seed(password=PASSWORD)

    def test_idempotent(self) -> None:
        self.assertEqual(self.first, ["物件（事例とサンプル）: 今回追加 6 件"])
        self.assertEqual(self.second, ["物件（事例とサンプル）: 今回追加 0 件"])
        self.assertEqual(Listing.objects.count(), 6)

    def test_seed_cases_are_real_rows_in_their_municipality(self) -> None:
        real = Listing.objects.filter(is_sample=False).select_related("organization")
        self.assertEqual(
            sorted((listing.municipality_id, listing.kind, listing.max_term_months) for listing in real),
            [
                ("08546", ListingKind.PUBLIC_RENTAL, None),
                ("39412", ListingKind.RELOCATION_SUPPORT, 24),
                ("39412", ListingKind.SUBLEASE, 144),
                ("46222", ListingKind.SUBLEASE, None),
            ],
        )
        for listing in real:
            self.assertEqual(listing.organization.municipality_id, listing.municipality_id)
            self.assertIn("例示", listing.description)
        shimanto_rents = real.filter(municipality_id="39412").values_list("rent_yen", flat=True)
        self.assertTrue(all(17000 <= rent <= 38000 for rent in shimanto_rents))

    def test_samples_are_flagged_and_one_waits_for_confirmation(self) -> None:
        samples = Listing.objects.filter(is_sample=True)
        self.assertEqual(samples.count(), 2)
        self.assertEqual(
            list(samples.filter(last_confirmed_at__lt=stale_before()).values_list("title", flat=True)),
            ["（サンプル）山あいの古民家"],
        )
