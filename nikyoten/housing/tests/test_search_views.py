"""Search pages: list, map, detail, exports and saved searches; query counts and isolation."""

import csv
import io
import json
from datetime import timedelta
from unittest import mock

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.housing.choices import ListingKind, ListingStatus
from nikyoten.housing.models import Listing, ListingPhoto, SavedSearch
from nikyoten.housing.tests.factories import SavedSearchFactory, SearchableListingFactory

LIST_URL = reverse("housing:listing_list")


def detail_url(listing: Listing) -> str:
    return reverse("housing:listing_detail", kwargs={"pk": listing.pk})


class SearchPageTestCase(TestCase):
    """Ours in 四万十町; another organization in 奄美市 with a public and a withdrawn listing."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.organization = OrganizationFactory(code="39412")
        cls.other = OrganizationFactory(code="46222")
        cls.listing = SearchableListingFactory(
            organization=cls.organization, title="清流沿いの古民家", rent_yen=35_000, is_sample=True
        )
        cls.sale = SearchableListingFactory(
            organization=cls.organization,
            title="農地付きの平屋",
            kind=ListingKind.AKIYA_SALE,
            rent_yen=None,
            sale_price_yen=6_800_000,
            has_farmland=True,
        )
        Listing.objects.filter(pk=cls.sale.pk).update(last_confirmed_at=timezone.now() - timedelta(days=120))
        cls.other_public = SearchableListingFactory(organization=cls.other, title="奄美の海辺の家")
        cls.other_withdrawn = SearchableListingFactory(
            organization=cls.other, title="取下げた離島の家", status=ListingStatus.WITHDRAWN
        )
        cls.seeker = UserFactory()


class ListingListViewTests(SearchPageTestCase):
    def test_lists_public_listings_with_their_facts_and_badges(self) -> None:
        response = self.client.get(LIST_URL)
        self.assertContains(response, "清流沿いの古民家")
        self.assertContains(response, "3.5万円/月")
        self.assertContains(response, "680万円")
        self.assertContains(response, "農地付き")
        self.assertContains(response, "サンプル")
        self.assertContains(response, "情報が古い可能性", count=1)
        self.assertContains(response, "奄美の海辺の家")
        self.assertNotContains(response, "取下げた離島の家")

    def test_filters_by_keyword_and_prefecture(self) -> None:
        response = self.client.get(LIST_URL, {"q": "古民家", "prefecture": "39"})
        self.assertContains(response, "清流沿いの古民家")
        self.assertNotContains(response, "農地付きの平屋")
        self.assertNotContains(response, "奄美の海辺の家")

    def test_municipality_choices_are_the_chosen_prefectures(self) -> None:
        response = self.client.get(LIST_URL, {"prefecture": "39"})
        self.assertContains(response, '<option value="39412">四万十町</option>', html=True)
        self.assertNotContains(response, "奄美市</option>")

    def test_place_names_are_in_english_on_the_english_page(self) -> None:
        response = self.client.get(LIST_URL, {"prefecture": "39"}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, '<option value="39412">Shimanto Town</option>', html=True)
        self.assertContains(response, '<option value="39" selected>Kochi</option>', html=True)

    def test_malformed_map_range_shows_a_message_not_an_error(self) -> None:
        response = self.client.get(LIST_URL, {"bbox": "35,abc"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "地図の範囲は「南,西,北,東」の4つの数値で指定してください。")
        self.assertContains(response, 'aria-invalid="true"')

    def test_query_count_does_not_grow_with_results(self) -> None:
        for _ in range(5):
            listing = SearchableListingFactory(organization=self.organization)
            ListingPhoto.objects.create(listing=listing, image="housing/x.jpg", alt_text="外観")
        # prefecture choices, count, the page's ids, its listings, and prefetches of prefecture, municipality,
        # organization, trial stay and photos
        with self.assertNumQueries(9):
            self.client.get(LIST_URL)
        # + the prefecture read by the view's form and by the search, and the prefecture's municipalities
        # (read by the select's label and its options)
        with self.assertNumQueries(13):
            self.client.get(LIST_URL, {"prefecture": "39", "view": "map"})

    def test_map_view_has_markers_and_keeps_the_list(self) -> None:
        response = self.client.get(LIST_URL, {"view": "map"})
        titles = {marker["title"] for marker in response.context["markers"]}
        self.assertIn("清流沿いの古民家", titles)
        self.assertContains(response, 'id="listing-map"')
        self.assertContains(response, "清流沿いの古民家</a>")

    def test_count_stops_at_the_cap(self) -> None:
        with mock.patch("nikyoten.housing.views.search.COUNT_CAP", 2):
            response = self.client.get(LIST_URL)
        self.assertContains(response, "2 件以上の住まい")
        self.assertEqual(response.context["page"].paginator.num_pages, 1)
        with mock.patch("nikyoten.housing.views.search.COUNT_CAP", 10):
            self.assertContains(self.client.get(LIST_URL), "3 件の住まい")

    def test_pagination(self) -> None:
        for _ in range(20):
            SearchableListingFactory(organization=self.organization)
        response = self.client.get(LIST_URL, {"sort": "new", "page": 2})
        self.assertEqual(response.context["page"].number, 2)
        self.assertContains(response, "sort=new&amp;page=1")


class ListingDetailViewTests(SearchPageTestCase):
    def test_shows_the_facts_freshness_and_municipality_link(self) -> None:
        response = self.client.get(detail_url(self.sale))
        self.assertContains(response, "680万円（6,800,000円）")
        self.assertContains(response, "情報が古い可能性")
        self.assertContains(response, reverse("regions:municipality_detail", args=["39412"]))
        self.assertContains(response, 'id="listing-detail-map"')

    def test_withdrawn_listing_is_not_found_for_the_public_and_other_organizations(self) -> None:
        self.assertEqual(self.client.get(detail_url(self.other_withdrawn)).status_code, 404)
        self.client.force_login(MembershipFactory(organization=self.organization).user)
        self.assertEqual(self.client.get(detail_url(self.other_withdrawn)).status_code, 404)

    def test_withdrawn_listing_is_shown_to_its_organization(self) -> None:
        self.client.force_login(MembershipFactory(organization=self.other).user)
        self.assertContains(self.client.get(detail_url(self.other_withdrawn)), "取下げた離島の家")

    def test_missing_listing_is_not_found(self) -> None:
        self.assertEqual(
            self.client.get(reverse("housing:listing_detail", kwargs={"pk": 999999})).status_code, 404
        )


class ExportTests(SearchPageTestCase):
    def test_csv_has_bom_japanese_headers_and_public_rows_only(self) -> None:
        MembershipFactory(organization=self.other)
        self.client.force_login(MembershipFactory(organization=self.other).user)  # members export public only
        response = self.client.get(reverse("housing:listing_export", args=["csv"]), {"prefecture": "46"})
        body = b"".join(response.streaming_content).decode("utf-8")
        self.assertTrue(body.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        self.assertEqual(rows[0][:3], ["ID", "タイトル", "種別"])
        self.assertEqual([row[1] for row in rows[1:]], ["奄美の海辺の家"])

    def test_csv_cells_cannot_become_formulas(self) -> None:
        SearchableListingFactory(organization=self.organization, title="=HYPERLINK(1)")
        response = self.client.get(reverse("housing:listing_export", args=["csv"]), {"q": "hyperlink"})
        body = b"".join(response.streaming_content).decode("utf-8")
        self.assertIn("'=HYPERLINK(1)", body)

    def test_geojson_is_a_feature_collection_with_lng_lat(self) -> None:
        response = self.client.get(
            reverse("housing:listing_export", args=["geojson"]), {"municipality": "39412"}
        )
        data = json.loads(b"".join(response.streaming_content))
        self.assertEqual(data["type"], "FeatureCollection")
        features = {f["properties"]["title"]: f for f in data["features"]}
        self.assertEqual(set(features), {"清流沿いの古民家", "農地付きの平屋"})
        point = features["農地付きの平屋"]["geometry"]["coordinates"]
        self.assertEqual(point, [self.sale.longitude, self.sale.latitude])
        self.assertTrue(features["農地付きの平屋"]["properties"]["possibly_outdated"])

    def test_query_count_does_not_grow_with_rows(self) -> None:
        for _ in range(5):
            SearchableListingFactory(organization=self.organization)
        for export_format in ("csv", "geojson"):
            with self.subTest(export_format=export_format), self.assertNumQueries(1):  # one joined query
                response = self.client.get(reverse("housing:listing_export", args=[export_format]))
                b"".join(response.streaming_content)

    def test_bad_filter_answers_400_with_the_message(self) -> None:
        response = self.client.get(reverse("housing:listing_export", args=["csv"]), {"bbox": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("地図の範囲", response.content.decode())


class SavedSearchViewTests(SearchPageTestCase):
    def test_signed_in_seeker_saves_the_current_search(self) -> None:
        self.client.force_login(self.seeker)
        response = self.client.get(LIST_URL, {"prefecture": "39", "kind": "akiya_rent", "page": "1"})
        self.assertContains(response, 'name="query" value="kind=akiya_rent&amp;prefecture=39"')
        response = self.client.post(
            reverse("housing:saved_search_create"),
            {"name": "高知の空き家", "alerts_enabled": "on", "query": "kind=akiya_rent&prefecture=39"},
        )
        self.assertRedirects(response, reverse("housing:saved_search_list"))
        saved = SavedSearch.objects.get(user=self.seeker)
        self.assertEqual(
            (saved.name, saved.query, saved.alerts_enabled),
            ("高知の空き家", "kind=akiya_rent&prefecture=39", True),
        )

    def test_visitor_is_asked_to_sign_in(self) -> None:
        self.assertContains(self.client.get(LIST_URL), "ログインすると、この条件を保存")
        response = self.client.post(reverse("housing:saved_search_create"), {"name": "x", "query": ""})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(SavedSearch.objects.exists())

    def test_rename_and_delete_own(self) -> None:
        saved = SavedSearchFactory(user=self.seeker)
        self.client.force_login(self.seeker)
        self.client.post(
            reverse("housing:saved_search_update", args=[saved.pk]), {f"s{saved.pk}-name": "新しい名前"}
        )
        saved.refresh_from_db()
        self.assertEqual((saved.name, saved.alerts_enabled), ("新しい名前", False))
        self.client.post(reverse("housing:saved_search_delete", args=[saved.pk]))
        self.assertFalse(SavedSearch.objects.filter(pk=saved.pk).exists())

    def test_another_persons_saved_search_is_not_found(self) -> None:
        saved = SavedSearchFactory(name="他人の検索")
        self.client.force_login(self.seeker)
        self.assertNotContains(self.client.get(reverse("housing:saved_search_list")), "他人の検索")
        for name in ("housing:saved_search_update", "housing:saved_search_delete"):
            response = self.client.post(reverse(name, args=[saved.pk]), {f"s{saved.pk}-name": "x"})
            self.assertEqual(response.status_code, 404)
        self.assertTrue(SavedSearch.objects.filter(pk=saved.pk, name="他人の検索").exists())

    def test_list_query_count(self) -> None:
        for _ in range(3):
            SavedSearchFactory(user=self.seeker)
        self.client.force_login(self.seeker)
        with self.assertNumQueries(3):  # session, user, saved searches
            self.client.get(reverse("housing:saved_search_list"))
