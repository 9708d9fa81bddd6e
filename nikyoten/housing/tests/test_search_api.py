"""Listings API and saved-searches API: filters, pagination, error shape, query counts, isolation."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from nikyoten.accounts import services as account_services
from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.housing.choices import ListingKind, ListingStatus
from nikyoten.housing.models import ListingPhoto, SavedSearch
from nikyoten.housing.tests.factories import SavedSearchFactory, SearchableListingFactory

LISTINGS_URL = reverse("housing-api:listing-list")
SAVED_URL = reverse("housing-api:saved-search-list")


def listing_url(pk: int) -> str:
    return reverse("housing-api:listing-detail", kwargs={"pk": pk})


def saved_url(pk: int) -> str:
    return reverse("housing-api:saved-search-detail", kwargs={"pk": pk})


class ListingApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organization = OrganizationFactory(code="39412")
        cls.other = OrganizationFactory(code="46222")  # 奄美市
        cls.listing = SearchableListingFactory(organization=cls.organization, title="清流沿いの古民家")
        cls.sale = SearchableListingFactory(
            organization=cls.organization, kind=ListingKind.AKIYA_SALE, rent_yen=None, sale_price_yen=0
        )
        cls.other_public = SearchableListingFactory(organization=cls.other)
        cls.other_withdrawn = SearchableListingFactory(organization=cls.other, status=ListingStatus.WITHDRAWN)

    def setUp(self) -> None:
        self.client = APIClient()

    def ids(self, response: object) -> set[int]:
        return {row["id"] for row in response.json()["results"]}  # type: ignore[attr-defined]

    def test_lists_public_listings_paginated(self) -> None:
        response = self.client.get(LISTINGS_URL, {"page_size": 2})
        body = response.json()
        self.assertEqual(body["count"], 3)
        self.assertEqual(len(body["results"]), 2)
        self.assertIsNotNone(body["next"])

    def test_uses_the_page_filters(self) -> None:
        self.assertEqual(self.ids(self.client.get(LISTINGS_URL, {"q": "清流沿い"})), {self.listing.pk})
        self.assertEqual(
            self.ids(self.client.get(LISTINGS_URL, {"kind": "akiya_sale", "sale_price_max": 0})),
            {self.sale.pk},
        )

    def test_malformed_bbox_answers_400_in_the_error_shape(self) -> None:
        response = self.client.get(LISTINGS_URL, {"bbox": "1,2,3"})
        self.assertEqual(response.status_code, 400)
        error = response.json()["error"]
        self.assertEqual(error["code"], "invalid")
        self.assertIn("地図の範囲", error["message"])
        self.assertIn("bbox", error["fields"])

    def test_query_count_does_not_grow_with_results(self) -> None:
        for _ in range(5):
            listing = SearchableListingFactory(organization=self.organization)
            ListingPhoto.objects.create(listing=listing, image="housing/x.jpg", alt_text="外観")
        with self.assertNumQueries(
            7
        ):  # count, page, prefecture, municipality, organization, trial stay, photos
            self.client.get(LISTINGS_URL)

    def test_detail(self) -> None:
        body = self.client.get(listing_url(self.listing.pk)).json()
        self.assertEqual(body["title"], "清流沿いの古民家")
        self.assertEqual(body["municipality"], {"code": "39412", "name": "四万十町"})
        self.assertFalse(body["possibly_outdated"])
        self.assertNotIn("master_lease_terms", body)

    def test_other_organizations_withdrawn_listing_never_shows(self) -> None:
        for client_user in (None, MembershipFactory(organization=self.organization).user):
            if client_user:
                self.client.force_authenticate(client_user)
            self.assertNotIn(self.other_withdrawn.pk, self.ids(self.client.get(LISTINGS_URL)))
            response = self.client.get(listing_url(self.other_withdrawn.pk))
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response.json()["error"]["code"], "not_found")

    def test_an_organizations_token_sees_its_own_withdrawn_listing(self) -> None:
        admin = MembershipFactory(organization=self.other, role=MembershipRole.ADMIN).user
        issued = account_services.api_token_issue(
            actor=admin, organization_id=self.other.pk, name="連携", role=MembershipRole.VIEWER
        )
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
        self.assertIn(self.other_withdrawn.pk, self.ids(self.client.get(LISTINGS_URL)))


class SavedSearchApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.seeker = UserFactory()
        cls.someone = UserFactory()
        cls.theirs = SavedSearchFactory(user=cls.someone, name="他人の検索")

    def setUp(self) -> None:
        self.client = APIClient()
        self.client.force_authenticate(self.seeker)

    def test_create_list_update_delete(self) -> None:
        response = self.client.post(
            SAVED_URL, {"name": "飛騨の賃貸", "query": "prefecture=21&kind=rental&page=3"}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        created = response.json()
        self.assertEqual(created["query"], "kind=rental&prefecture=21")
        self.assertTrue(created["alerts_enabled"])
        self.assertEqual([row["id"] for row in self.client.get(SAVED_URL).json()["results"]], [created["id"]])
        response = self.client.put(
            saved_url(created["id"]), {"name": "改名", "alerts_enabled": False}, format="json"
        )
        self.assertEqual((response.json()["name"], response.json()["alerts_enabled"]), ("改名", False))
        self.assertEqual(self.client.delete(saved_url(created["id"])).status_code, 204)
        self.assertFalse(SavedSearch.objects.filter(pk=created["id"]).exists())

    def test_unreadable_query_is_refused(self) -> None:
        response = self.client.post(SAVED_URL, {"name": "x", "query": "bbox=1,2"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("bbox", response.json()["error"]["fields"])

    def test_another_persons_saved_search_is_not_found(self) -> None:
        self.assertEqual(self.client.get(SAVED_URL).json()["count"], 0)
        for method in ("get", "put", "delete"):
            response = getattr(self.client, method)(
                saved_url(self.theirs.pk), {"name": "x", "alerts_enabled": True}, format="json"
            )
            self.assertEqual(response.status_code, 404, method)
        self.theirs.refresh_from_db()
        self.assertEqual(self.theirs.name, "他人の検索")

    def test_anonymous_and_organization_tokens_cannot_use_saved_searches(self) -> None:
        self.client.force_authenticate(None)
        self.assertIn(self.client.get(SAVED_URL).status_code, (401, 403))
        organization = OrganizationFactory()
        admin = MembershipFactory(organization=organization, role=MembershipRole.ADMIN).user
        issued = account_services.api_token_issue(
            actor=admin, organization_id=organization.pk, name="連携", role=MembershipRole.EDITOR
        )
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
        response = self.client.post(SAVED_URL, {"name": "x", "query": ""}, format="json")
        self.assertEqual(response.status_code, 403)

    def test_list_query_count(self) -> None:
        for _ in range(3):
            SavedSearchFactory(user=self.seeker)
        with self.assertNumQueries(2):  # count, page
            self.client.get(SAVED_URL)
