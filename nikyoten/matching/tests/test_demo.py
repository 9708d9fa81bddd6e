"""The matching demo seeder: region profiles of the demo organizations' municipalities and the seeker's profile."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from nikyoten.matching import selectors
from nikyoten.matching.models import MatchingProfile, PractitionerStory, RegionProfile


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", password="demo-password-for-tests", stdout=out)
    return out.getvalue()


class MatchingDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = seed()

    def test_profiles_stories_and_the_seekers_profile_all_sample(self) -> None:
        self.assertEqual(
            sorted(RegionProfile.objects.values_list("municipality__name", flat=True)),
            ["三豊市", "四万十町", "飛騨市"],
        )
        self.assertEqual(RegionProfile.objects.filter(is_sample=True, is_published=True).count(), 3)
        self.assertEqual(PractitionerStory.objects.filter(is_sample=True, is_published=True).count(), 3)
        saved = MatchingProfile.objects.get(is_sample=True)
        self.assertEqual(
            (saved.owner.email, saved.children_ages, saved.max_distance_km),
            ("seeker@demo.nikyoten.example", [3, 6], 150),
        )
        self.assertIn("地域の発信（サンプル）: 四万十町", self.output)

    def test_the_seed_says_what_the_regions_say(self) -> None:
        shimanto = selectors.region_profile_get(code="39412")
        self.assertIn("お試し滞在住宅（1〜6か月）", shimanto.vision)
        self.assertEqual(selectors.region_profile_get(code="21217").snow, "heavy")  # 飛騨市

    def test_running_it_again_changes_nothing(self) -> None:
        counts = (
            RegionProfile.objects.count(),
            PractitionerStory.objects.count(),
            MatchingProfile.objects.count(),
        )
        seed()
        self.assertEqual(
            (
                RegionProfile.objects.count(),
                PractitionerStory.objects.count(),
                MatchingProfile.objects.count(),
            ),
            counts,
        )
