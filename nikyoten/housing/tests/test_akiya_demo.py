"""The akiya demo seeder: sample rows at every stage, a sent campaign with responses, a consent; idempotent."""

from django.test import TestCase

from nikyoten.accounts import demo as accounts_demo
from nikyoten.housing.demo import akiya as demo
from nikyoten.housing.models import AkiyaCase, Campaign, CampaignLetter, Listing, Owner, OwnerConsent


class AkiyaDemoTests(TestCase):
    def test_seed_twice(self) -> None:
        accounts_demo.seed(password="demo-password-1")
        demo.seed(password="demo-password-1")
        counts = [
            model.objects.count()
            for model in (AkiyaCase, Owner, Campaign, CampaignLetter, OwnerConsent, Listing)
        ]
        lines = demo.seed(password="demo-password-1")
        self.assertIn("作成済み", lines[0])
        self.assertEqual(
            counts,
            [
                model.objects.count()
                for model in (AkiyaCase, Owner, Campaign, CampaignLetter, OwnerConsent, Listing)
            ],
        )
        self.assertEqual(counts[:5], [len(demo.CASES), 8, 1, 4, 1])
        self.assertFalse(AkiyaCase.objects.filter(is_sample=False).exists())
        self.assertFalse(Owner.objects.filter(is_sample=False).exists())
        self.assertEqual(
            set(AkiyaCase.objects.values_list("stage", flat=True)),
            {"discovered", "owner_identified", "renovation", "published", "contracted", "abandoned"},
        )
        campaign = Campaign.objects.get()
        self.assertIsNotNone(campaign.sent_on)
        self.assertEqual(campaign.letters.exclude(response="pending").count(), 2)
        free = Listing.objects.filter(akiya_case__isnull=True, title__in=[t for t, _rent in demo.LISTINGS])
        self.assertEqual(free.count(), 1)  # left for the browser test to link
