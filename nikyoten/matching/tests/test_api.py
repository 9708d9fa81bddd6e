"""Matching API: rankings (shape, limits, refusals in the error shape) and saved profiles (owner only); isolation."""

from typing import Any

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from nikyoten.accounts import services as account_services
from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import OrganizationFactory, UserFactory
from nikyoten.housing.tests.factories import TrialStayUnitFactory
from nikyoten.matching.models import MatchingProfile
from nikyoten.matching.tests.factories import MatchingProfileFactory, RegionProfileFactory

RANKINGS = reverse("matching-api:ranking-create")
PROFILES = reverse("matching-api:profile-list")

FAMILY: dict[str, Any] = {
    "base": "13104",
    "adults": 2,
    "children_ages": [3, 6],
    "work_style": "telework",
    "living_style": "telework",
    "trips_per_month": 8,
    "max_distance_km": 150,
    "weights": {"childcare": 5, "low_hazard": 5, "trial_stay": 5, "access": 3, "region_fit": 2},
    "top": 10,
}


def profile_url(pk: int) -> str:
    return reverse("matching-api:profile-detail", kwargs={"pk": pk})


class MatchingApiTestCase(TestCase):
    """A trial stay in 小山市; another organization (境町) with a draft profile; another seeker's profile."""

    @classmethod
    def setUpTestData(cls) -> None:
        TrialStayUnitFactory(listing__organization=OrganizationFactory(code="09208"))
        cls.other_org = OrganizationFactory(code="08546")
        RegionProfileFactory(organization=cls.other_org, is_published=False)
        cls.seeker = UserFactory()
        cls.other = MatchingProfileFactory(owner=UserFactory(), name="他人の条件")

    def setUp(self) -> None:
        self.client = APIClient()


class RankingApiTests(MatchingApiTestCase):
    def test_the_family(self) -> None:
        response = self.client.post(RANKINGS, FAMILY, format="json")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertGreater(body["candidates"], 100)
        self.assertEqual(len(body["results"]), 10)
        first = body["results"][0]
        self.assertEqual((first["code"], first["rank"]), ("09208", 1))
        self.assertTrue(all(r["distance_km"] <= 150 for r in body["results"]))
        contributions = {c["factor"]: c for c in first["contributions"]}
        self.assertEqual(
            set(contributions), {"access", "childcare", "low_hazard", "trial_stay", "region_fit"}
        )
        self.assertEqual(
            set(contributions["trial_stay"]),
            {"factor", "value", "normalised", "weight", "contribution", "text_ja", "text_en"},
        )
        self.assertEqual(contributions["trial_stay"]["text_en"], "Trial stays available (1)")
        self.assertEqual(
            (contributions["childcare"]["value"], contributions["childcare"]["contribution"]), (None, 0.0)
        )
        self.assertLess(first["confidence"], 1)

    def test_the_ranking_costs_a_fixed_number_of_queries(self) -> None:
        self.client.post(RANKINGS, FAMILY, format="json")  # warm the feature cache
        # the base by code (regions.selectors.municipality_get: the row, its aliases, its wards), the data version
        with self.assertNumQueries(3 + 1):
            self.client.post(RANKINGS, FAMILY | {"top": 100}, format="json")

    def test_a_drafts_persona_never_counts(self) -> None:
        body = self.client.post(RANKINGS, FAMILY | {"top": 100}, format="json").json()
        sakai = next(r for r in body["results"] if r["code"] == "08546")
        fit = next(c for c in sakai["contributions"] if c["factor"] == "region_fit")
        self.assertIsNone(fit["normalised"])

    def test_malformed_input_is_answered_in_the_error_shape(self) -> None:
        cases = [
            ({"base": "どこでもない町"}, "base", "「どこでもない町」という市区町村は見つかりません。"),
            ({"weights": {"jobs": 3}}, "weights", "重視することの項目「jobs」はありません。"),
            (
                {"max_travel_minutes": 60},
                "max_travel_minutes",
                "距離か移動時間のどちらか一方だけを上限にしてください。",
            ),
            ({"children_ages": [18]}, "children_ages", None),
            ({"top": 0}, "top", None),
            ({"work_style": "astronaut"}, "work_style", None),
        ]
        for change, field, message in cases:
            with self.subTest(field=field):
                response = self.client.post(RANKINGS, FAMILY | change, format="json")
                self.assertEqual(response.status_code, 400)
                error = response.json()["error"]
                self.assertEqual(error["code"], "invalid")
                self.assertIn(field, error["fields"])
                if message:
                    self.assertEqual(error["message"], message)
        response = self.client.post(RANKINGS, {}, format="json")
        self.assertEqual(set(response.json()["error"]["fields"]), {"base", "work_style", "living_style"})


class ProfileApiTests(MatchingApiTestCase):
    def test_anonymous_is_refused(self) -> None:
        # 401 with a WWW-Authenticate challenge (the token authentication comes first)
        self.assertEqual(self.client.get(PROFILES).status_code, 401)
        self.assertEqual(self.client.post(PROFILES, FAMILY | {"name": "x"}, format="json").status_code, 401)

    def test_an_api_client_owns_none(self) -> None:
        admin = UserFactory(is_staff=True)
        organization = OrganizationFactory(code="09208")
        issued = account_services.api_token_issue(
            actor=admin, organization_id=organization.pk, name="bot", role=MembershipRole.VIEWER
        )
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
        self.assertEqual(self.client.get(PROFILES).json()["count"], 0)
        self.assertEqual(self.client.get(profile_url(self.other.pk)).status_code, 404)
        response = self.client.post(PROFILES, FAMILY | {"name": "x"}, format="json")
        self.assertEqual(response.status_code, 401)

    def test_crud_of_own_profiles(self) -> None:
        self.client.force_authenticate(self.seeker)
        response = self.client.post(PROFILES, FAMILY | {"name": "わが家"}, format="json")
        self.assertEqual(response.status_code, 201)
        pk = response.json()["id"]
        self.assertEqual((response.json()["base"], response.json()["children_ages"]), ("13104", [3, 6]))
        response = self.client.put(profile_url(pk), FAMILY | {"name": "わが家2", "adults": 1}, format="json")
        self.assertEqual(
            (response.status_code, response.json()["name"], response.json()["adults"]), (200, "わが家2", 1)
        )
        self.assertEqual(self.client.get(profile_url(pk)).json()["name"], "わが家2")
        self.assertEqual(self.client.delete(profile_url(pk)).status_code, 204)
        self.assertFalse(MatchingProfile.objects.filter(pk=pk).exists())

    def test_list_is_paginated_own_only_in_fixed_queries(self) -> None:
        MatchingProfileFactory.create_batch(3, owner=self.seeker)
        self.client.force_authenticate(self.seeker)
        with self.assertNumQueries(2):  # count, page with bases
            body = self.client.get(PROFILES).json()
        self.assertEqual(body["count"], 3)
        self.assertNotIn("他人の条件", [p["name"] for p in body["results"]])

    def test_anothers_profile_is_missing(self) -> None:
        self.client.force_authenticate(self.seeker)
        url = profile_url(self.other.pk)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.put(url, FAMILY | {"name": "x"}, format="json").status_code, 404)
        self.assertEqual(self.client.delete(url).status_code, 404)
        self.assertEqual(self.client.get(url).json()["error"]["code"], "not_found")
        self.assertTrue(MatchingProfile.objects.filter(pk=self.other.pk, name="他人の条件").exists())

    def test_a_duplicate_name_is_refused(self) -> None:
        self.client.force_authenticate(self.seeker)
        self.client.post(PROFILES, FAMILY | {"name": "同じ"}, format="json")
        response = self.client.post(PROFILES, FAMILY | {"name": "同じ"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["message"], "同じ名前の条件がすでにあります。")
