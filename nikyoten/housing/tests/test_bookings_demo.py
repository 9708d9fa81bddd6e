"""The trial-stay demo seeder: the seed's 四万十町 house as a real row, samples flagged, and idempotent."""

from django.test import TestCase

from nikyoten.accounts.demo import seed as accounts_seed
from nikyoten.housing.choices import BookingStatus, ListingKind, StayUnit
from nikyoten.housing.demo.bookings import seed
from nikyoten.housing.models import Booking, Listing, TrialStayUnit
from nikyoten.regions.models import Municipality


class DemoSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        accounts_seed(password="demo-password-123")
        cls.lines = seed(password="demo-password-123")

    def test_shimanto_trial_stay_is_a_real_row_inside_the_town(self):
        listing = Listing.objects.get(title="四万十町 お試し滞在住宅")
        shimanto = Municipality.objects.get(code="39412")
        self.assertFalse(listing.is_sample)
        self.assertEqual(listing.kind, ListingKind.TRIAL_STAY)
        self.assertEqual((listing.latitude, listing.longitude), (shimanto.inside_lat, shimanto.inside_lng))
        self.assertIn("しまんと", listing.search_text)
        self.assertIn("四万十町の事例より", listing.description)
        unit = listing.trial_stay
        self.assertEqual((unit.stay_unit, unit.min_stay, unit.max_stay), (StayUnit.MONTH, 1, 6))
        self.assertTrue(17000 <= unit.price_yen <= 38000)

    def test_samples_are_flagged_and_have_bookings(self):
        samples = Listing.objects.filter(is_sample=True)
        self.assertEqual(samples.count(), 3)
        self.assertTrue(
            samples.filter(municipality__name="小布施町", trial_stay__stay_unit=StayUnit.NIGHT).exists()
        )
        self.assertEqual(Booking.objects.filter(status=BookingStatus.CONFIRMED).count(), 1)
        self.assertEqual(Booking.objects.filter(status=BookingStatus.REQUESTED).count(), 1)
        self.assertFalse(Booking.objects.filter(unit__listing__is_sample=False).exists())

    def test_samples_belong_to_the_demo_organizations(self):
        self.assertFalse(Listing.objects.exclude(organization__is_sample=True).exists())

    def test_running_again_changes_nothing(self):
        counts = (Listing.objects.count(), TrialStayUnit.objects.count(), Booking.objects.count())
        self.assertEqual(seed(password="demo-password-123"), self.lines)
        self.assertEqual(
            (Listing.objects.count(), TrialStayUnit.objects.count(), Booking.objects.count()), counts
        )
