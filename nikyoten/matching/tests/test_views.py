"""Pages: the wishes form and its ranking, compare, saved profiles, region profiles and staff editing; isolation."""

from typing import Any
from urllib.parse import urlencode

from django.test import TestCase
from django.urls import reverse

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.housing.tests.factories import TrialStayUnitFactory
from nikyoten.matching.models import MatchingProfile, RegionProfile
from nikyoten.matching.tests.factories import (
    MatchingProfileFactory,
    PractitionerStoryFactory,
    RegionProfileFactory,
)

MATCHING = reverse("matching:matching")
COMPARE = reverse("matching:compare")
PROFILES = reverse("matching:matchingprofile_list")
CREATE = reverse("matching:matchingprofile_create")
STAFF = reverse("matching:regionprofile_manage_list")

FAMILY: dict[str, Any] = {
    "adults": 2,
    "children_ages": "3, 6",
    "work_style": "telework",
    "living_style": "telework",
    "base": "東京都新宿区",
    "trips_per_month": 8,
    "travel_limit": "distance",
    "max_distance_km": 150,
    "w_access": 3,
    "w_childcare": 5,
    "w_low_hazard": 5,
    "w_trial_stay": 5,
    **{
        f"w_{f}": 0
        for f in ("schools", "hospitals", "station", "support", "coworking", "coordinator", "region_fit")
    },
}


class MatchingPagesTestCase(TestCase):
    """Own: 四万十町 (a published profile) and 小山市 (a trial stay). Other: 境町's organization with a draft
    profile, a draft story, and another seeker's saved profile — none of which may show to anyone else."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.town = OrganizationFactory(code="39412")
        cls.editor = MembershipFactory(organization=cls.town, role=MembershipRole.EDITOR).user
        cls.profile = RegionProfileFactory(
            organization=cls.town, coworking=True, coworking_vouched_on="2026-10-01"
        )
        cls.story = PractitionerStoryFactory(profile=cls.profile, title="川のそばで")
        TrialStayUnitFactory(listing__organization=OrganizationFactory(code="09208"))
        cls.other_org = OrganizationFactory(code="08546", name="境町の組織")
        cls.other_editor = MembershipFactory(organization=cls.other_org).user
        cls.other_profile = RegionProfileFactory(
            organization=cls.other_org, is_published=False, vision="非公開のビジョン"
        )
        PractitionerStoryFactory(profile=cls.other_profile, title="非公開の声")
        PractitionerStoryFactory(profile=cls.profile, title="下書きの声", is_published=False)
        cls.seeker = UserFactory()
        cls.other_seeker = UserFactory()
        cls.other_saved = MatchingProfileFactory(owner=cls.other_seeker, name="他人の条件")


class RankingPageTests(MatchingPagesTestCase):
    def test_the_empty_form(self) -> None:
        response = self.client.get(MATCHING)
        self.assertContains(response, "重視すること")
        self.assertNotIn("ranking", response.context)

    def test_the_family_gets_municipalities_within_150_km_with_reasons(self) -> None:
        response = self.client.get(MATCHING, FAMILY)
        ranking = response.context["ranking"]
        self.assertEqual(len(ranking.results), 30)
        self.assertTrue(all(r.distance_km <= 150 for r in ranking.results))
        self.assertEqual(ranking.results[0].code, "09208")  # the only trial stay in reach
        self.assertContains(response, "お試し住宅あり（1件）")
        self.assertContains(response, "保育所: データなし")
        self.assertContains(response, reverse("regions:municipality_detail", args=["09208"]))
        self.assertContains(response, "ログインすると条件を保存できます")

    def test_the_list_costs_a_fixed_number_of_queries(self) -> None:
        self.client.get(MATCHING, FAMILY)  # warm the feature cache
        # an anonymous request: the base's lookup (2) and the data version; the matrix comes from the cache
        with self.assertNumQueries(2 + 1):
            self.client.get(MATCHING, FAMILY)

    def test_errors_are_shown_on_the_fields(self) -> None:
        response = self.client.get(
            MATCHING, FAMILY | {"children_ages": "3, 20", "max_distance_km": "", "base": "どこでもない町"}
        )
        form = response.context["form"]
        self.assertEqual(set(form.errors), {"children_ages", "max_distance_km", "base"})
        self.assertNotIn("ranking", response.context)

    def test_travel_time_limit(self) -> None:
        response = self.client.get(MATCHING, FAMILY | {"travel_limit": "minutes", "max_travel_minutes": 60})
        self.assertTrue(all(r.minutes <= 60 for r in response.context["ranking"].results))

    def test_compare(self) -> None:
        url = f"{COMPARE}?{urlencode(FAMILY)}&code=09208&code=39412"
        self.client.get(url)  # warm the feature cache
        with self.assertNumQueries(2 + 1):
            response = self.client.get(url)
        self.assertEqual([r.code for r in response.context["results"]], ["09208", "39412"])
        self.assertContains(response, "範囲外")  # 四万十町 is beyond 150 km, still compared
        self.assertContains(response, "データなし")
        self.assertContains(response, "1件")

    def test_compare_takes_four_at_most(self) -> None:
        codes = "&".join(f"code={c}" for c in ("09208", "39412", "08546", "13101", "01100"))
        response = self.client.get(f"{COMPARE}?{urlencode(FAMILY)}&{codes}")
        self.assertContains(response, "比べられるのは4つまでです。")


class SavedProfileTests(MatchingPagesTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.seeker)

    def test_save_from_the_results_then_list_rank_edit_and_delete(self) -> None:
        response = self.client.post(CREATE, FAMILY | {"name": "わが家"})
        self.assertRedirects(response, PROFILES)
        saved = MatchingProfile.objects.get(owner=self.seeker)
        self.assertEqual(
            (saved.children_ages, saved.max_distance_km, saved.weights["childcare"]), ([3, 6], 150, 5)
        )
        response = self.client.get(f"{MATCHING}?profile={saved.pk}")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(response["Location"]).context["ranking"].results[0].code, "09208")
        edit = reverse("matching:matchingprofile_edit", args=[saved.pk])
        self.assertEqual(self.client.get(edit).context["form"].initial["children_ages"], "3, 6")
        self.client.post(edit, FAMILY | {"name": "わが家", "adults": 1})
        saved.refresh_from_db()
        self.assertEqual(saved.adults, 1)
        self.client.post(reverse("matching:matchingprofile_delete", args=[saved.pk]))
        self.assertFalse(MatchingProfile.objects.filter(pk=saved.pk).exists())

    def test_list_shows_only_own_profiles_in_fixed_queries(self) -> None:
        MatchingProfileFactory(owner=self.seeker, name="一つ目")
        MatchingProfileFactory(owner=self.seeker, name="二つ目")
        with self.assertNumQueries(3):  # session, user, profiles with their bases
            response = self.client.get(PROFILES)
        self.assertContains(response, "一つ目")
        self.assertNotContains(response, "他人の条件")

    def test_anothers_profile_is_missing(self) -> None:
        other = self.other_saved.pk
        for response in (
            self.client.get(f"{MATCHING}?profile={other}"),
            self.client.get(reverse("matching:matchingprofile_edit", args=[other])),
            self.client.post(reverse("matching:matchingprofile_edit", args=[other]), FAMILY | {"name": "x"}),
            self.client.post(reverse("matching:matchingprofile_delete", args=[other])),
        ):
            self.assertEqual(response.status_code, 404)
        self.assertTrue(MatchingProfile.objects.filter(pk=other, name="他人の条件").exists())

    def test_a_bad_save_is_answered_with_the_form(self) -> None:
        MatchingProfileFactory(owner=self.seeker, name="わが家")
        response = self.client.post(CREATE, FAMILY | {"name": "わが家"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "同じ名前の条件がすでにあります。", status_code=400)

    def test_signed_out_cannot_save(self) -> None:
        self.client.logout()
        response = self.client.post(CREATE, FAMILY | {"name": "x"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


class RegionProfilePageTests(MatchingPagesTestCase):
    def test_published_profile_with_dates_and_published_stories(self) -> None:
        response = self.client.get(reverse("matching:regionprofile_detail", args=["39412"]))
        self.assertContains(response, "自治体が発信している情報")
        self.assertContains(response, "2026年10月1日")
        self.assertContains(response, "テレワーク型")
        self.assertContains(response, "川のそばで")
        self.assertNotContains(response, "下書きの声")

    def test_a_draft_shows_only_to_its_organization(self) -> None:
        url = reverse("matching:regionprofile_detail", args=["08546"])
        anonymous = self.client.get(url)
        self.client.force_login(self.editor)
        for response in (anonymous, self.client.get(url)):
            self.assertContains(response, "まだこのサイトで発信していません")  # as if nothing were published
            self.assertNotContains(response, "非公開（下書き）")
        self.client.force_login(self.other_editor)
        self.assertContains(self.client.get(url), "非公開（下書き）")

    def test_unknown_code(self) -> None:
        self.assertEqual(
            self.client.get(reverse("matching:regionprofile_detail", args=["99999"])).status_code, 404
        )


class StaffPageTests(MatchingPagesTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.editor)

    def test_list_shows_only_the_editors_organizations(self) -> None:
        with self.assertNumQueries(6):  # session, user, roles, profiles, their stories, organizations
            response = self.client.get(STAFF)
        self.assertContains(response, "川のそばで")
        self.assertContains(response, "下書きの声")
        self.assertNotContains(response, "境町の組織")
        self.assertNotContains(response, "非公開の声")

    def test_edit_the_profile(self) -> None:
        url = reverse("matching:regionprofile_edit", args=[self.town.pk])
        self.assertEqual(self.client.get(url).context["form"].initial["coworking"], True)
        response = self.client.post(
            url,
            {
                "vision": "新しいビジョン",
                "living_styles": ["villa"],
                "skills_wanted": "農業、デザイン",
                "snow": "some",
                "snow_vouched_on": "2026-11-01",
                "coworking": "unknown",
                "coordinator": "true",
                "coordinator_vouched_on": "2026-11-02",
                "is_published": "on",
            },
        )
        self.assertRedirects(response, STAFF)
        profile = RegionProfile.objects.get(pk=self.profile.pk)
        self.assertEqual(
            (profile.vision, profile.living_styles, profile.skills_wanted),
            ("新しいビジョン", ["villa"], ["農業", "デザイン"]),
        )
        self.assertEqual((profile.coworking, profile.coordinator, profile.snow), (None, True, "some"))

    def test_a_fact_without_its_date_is_refused_on_the_field(self) -> None:
        url = reverse("matching:regionprofile_edit", args=[self.town.pk])
        response = self.client.post(url, {"snow": "heavy", "coworking": "unknown", "coordinator": "unknown"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.context["form"].errors), ["snow_vouched_on"])

    def test_stories(self) -> None:
        create = reverse("matching:practitionerstory_create", args=[self.town.pk])
        self.assertRedirects(
            self.client.post(create, {"title": "秋", "body": "稲刈り", "is_published": "on"}), STAFF
        )
        story = self.profile.stories.get(title="秋")
        edit = reverse("matching:practitionerstory_edit", args=[story.pk])
        self.client.post(edit, {"title": "晩秋", "body": "稲刈りのあと"})
        story.refresh_from_db()
        self.assertEqual((story.title, story.is_published), ("晩秋", False))
        self.client.post(edit, {"delete": "1"})
        self.assertFalse(self.profile.stories.filter(pk=story.pk).exists())

    def test_another_organizations_pages_are_missing(self) -> None:
        other_story = self.other_profile.stories.get()
        for url in (
            reverse("matching:regionprofile_edit", args=[self.other_org.pk]),
            reverse("matching:practitionerstory_create", args=[self.other_org.pk]),
            reverse("matching:practitionerstory_edit", args=[other_story.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(
                    self.client.post(url, {"title": "x", "body": "y", "delete": "1"}).status_code, 404
                )
        self.assertTrue(self.other_profile.stories.filter(pk=other_story.pk).exists())

    def test_viewers_cannot_edit(self) -> None:
        self.client.force_login(MembershipFactory(organization=self.town, role=MembershipRole.VIEWER).user)
        self.assertEqual(
            self.client.get(reverse("matching:regionprofile_edit", args=[self.town.pk])).status_code, 404
        )
