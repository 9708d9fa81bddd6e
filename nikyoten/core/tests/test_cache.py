"""Public API reads without credentials come from the cache; credentialed requests never touch it."""

from django.test import TestCase, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from nikyoten.accounts import services as account_services
from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory
from nikyoten.housing.choices import ListingStatus
from nikyoten.housing.tests.factories import ListingFactory

LISTINGS = reverse("housing-api:listing-list")


def titles(response: object) -> set[str]:
    return {row["title"] for row in response.json()["results"]}  # type: ignore[attr-defined]


@override_settings(PUBLIC_API_CACHE_SECONDS=60)
class PublicCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organization = OrganizationFactory()
        cls.admin = MembershipFactory(organization=cls.organization, role=MembershipRole.ADMIN).user
        ListingFactory(organization=cls.organization, title="公開中の家")
        ListingFactory(organization=cls.organization, title="取り下げた家", status=ListingStatus.WITHDRAWN)

    def test_anonymous_reads_are_cached_for_a_while(self) -> None:
        anonymous = APIClient()
        self.assertEqual(titles(anonymous.get(LISTINGS)), {"公開中の家"})
        ListingFactory(organization=self.organization, title="新しい家")
        response = anonymous.get(LISTINGS)
        self.assertEqual(titles(response), {"公開中の家"})  # served from the cache
        self.assertIn("max-age=60", response["Cache-Control"])
        self.assertIn("Authorization", response["Vary"])
        with override_settings(PUBLIC_API_CACHE_SECONDS=0):
            self.assertEqual(titles(anonymous.get(LISTINGS)), {"公開中の家", "新しい家"})

    def test_a_token_neither_reads_nor_fills_the_cache(self) -> None:
        key = account_services.api_token_issue(
            actor=self.admin, organization_id=self.organization.pk, name="連携", role=MembershipRole.VIEWER
        ).key
        token = APIClient()
        token.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        self.assertEqual(titles(token.get(LISTINGS)), {"公開中の家", "取り下げた家"})  # its own withdrawn one
        self.assertEqual(titles(APIClient().get(LISTINGS)), {"公開中の家"})  # not the token's answer
        ListingFactory(organization=self.organization, title="新しい家")
        self.assertIn("新しい家", titles(token.get(LISTINGS)))  # not the anonymous answer cached just now

    def test_a_signed_in_person_is_answered_fresh(self) -> None:
        APIClient().get(LISTINGS)
        ListingFactory(organization=self.organization, title="新しい家")
        person = APIClient()
        person.force_login(self.admin)
        self.assertIn("新しい家", titles(person.get(LISTINGS)))
