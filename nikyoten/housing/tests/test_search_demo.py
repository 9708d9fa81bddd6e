"""The generated sample listings: about 2,000, flagged, deterministic, inside their municipalities, once."""

from django.test import TestCase

from nikyoten.accounts.demo import demo_accounts_seed
from nikyoten.housing.demo import search as demo
from nikyoten.housing.models import Listing
from nikyoten.housing.search import keyword_filter
from nikyoten.regions.selectors import municipality_locate


class SampleListingsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_accounts_seed(password="demo-password")
        cls.lines = demo.seed(password="demo-password")

    def test_creates_about_2000_flagged_listings_in_30_municipalities_once(self) -> None:
        listings = Listing.objects.all()
        self.assertGreaterEqual(listings.count(), 1950)
        self.assertFalse(listings.filter(is_sample=False).exists())
        self.assertFalse(listings.exclude(title__startswith="【サンプル】").exists())
        self.assertEqual(listings.values("municipality").distinct().count(), 30)
        self.assertIn("30 市区町村", self.lines[0])
        count = listings.count()
        demo.seed(password="demo-password")
        self.assertEqual(Listing.objects.count(), count)

    def test_distributions_are_realistic(self) -> None:
        rents = Listing.objects.filter(rent_yen__isnull=False).values_list("rent_yen", flat=True)
        self.assertTrue(all(15_000 <= rent <= 90_000 for rent in rents))
        prices = list(
            Listing.objects.filter(sale_price_yen__isnull=False).values_list("sale_price_yen", flat=True)
        )
        self.assertTrue(all(0 <= price <= 25_000_000 for price in prices))
        self.assertGreater(sum(price == 0 for price in prices), len(prices) // 20)  # 「0円空き家」
        self.assertTrue(Listing.objects.stale().exists())
        self.assertTrue(Listing.objects.filter(status="negotiating").exists())
        self.assertTrue(Listing.objects.filter(status="contracted").exists())

    def test_points_lie_in_their_municipalities(self) -> None:
        for listing in Listing.objects.order_by("pk")[::100]:
            with self.subTest(listing=listing.pk):
                located = municipality_locate(lat=listing.latitude, lng=listing.longitude)
                self.assertEqual(located.municipality.code, listing.municipality_id)

    def test_keyword_search_finds_them(self) -> None:
        found = keyword_filter(Listing.objects.all(), "シマント")
        self.assertEqual(found.count(), Listing.objects.filter(municipality__name="四万十町").count())
