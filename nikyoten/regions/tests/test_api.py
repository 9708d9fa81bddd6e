"""Regions API: prefectures, municipalities (filters, detail by either code), locate, postal codes, error shape."""

import pytest
from django.test import TestCase
from rest_framework.test import APIClient

from nikyoten.regions.models import Municipality


class RegionsApiTestCase(TestCase):
    def setUp(self):
        self.client = APIClient()

    def get(self, url, status=200, **params):
        response = self.client.get(url, params)
        assert response.status_code == status, response.content
        return response.json()

    def assert_error(self, body, code):
        assert set(body) == {"error"}
        assert body["error"]["code"] == code
        assert body["error"]["message"]
        assert isinstance(body["error"]["fields"], dict)


class PrefectureApiTests(RegionsApiTestCase):
    def test_47_prefectures_in_one_query(self):
        with self.assertNumQueries(1):
            body = self.get("/api/v1/regions/prefectures/")
        assert len(body) == 47
        assert body[12] == {
            "code": "13",
            "lg_code": "130001",
            "name": "東京都",
            "short_name": "東京",
            "kana": "トウキョウト",
            "name_en": "Tokyo",
            "iso_code": "JP-13",
            "region_block": "kanto",
            "municipality_count": 62,
        }

    def test_detail_and_unknown(self):
        assert self.get("/api/v1/regions/prefectures/39/")["name"] == "高知県"
        self.assert_error(self.get("/api/v1/regions/prefectures/48/", status=404), "not_found")


class MunicipalityListApiTests(RegionsApiTestCase):
    url = "/api/v1/regions/municipalities/"

    def test_all_1741_paginated_without_wards(self):
        body = self.get(self.url)
        assert body["count"] == 1741
        assert set(body) == {"count", "next", "previous", "results"}
        assert len(body["results"]) == 50
        assert "kind=ward" not in body["next"]
        assert not any(row["kind"] == "ward" for row in body["results"])

    def test_prefecture_filter(self):
        body = self.get(self.url, prefecture="13", page_size=100)
        assert body["count"] == 62
        assert {row["prefecture"] for row in body["results"]} == {"13"}

    def test_kind_filter(self):
        assert self.get(self.url, kind="special_ward")["count"] == 23
        assert self.get(self.url, kind="designated_city")["count"] == 20
        assert self.get(self.url, kind="ward")["count"] == 171

    def test_parent_filter_lists_wards(self):
        body = self.get(self.url, parent="14130")
        assert body["count"] == 7
        assert {row["parent"]["code"] for row in body["results"]} == {"14130"}

    def test_query_by_kanji_kana_romaji_and_english(self):
        for query in ["四万十", "しまんと", "シマント", "ｼﾏﾝﾄ", "shimanto", "SHIMANTO"]:
            codes = [row["code"] for row in self.get(self.url, q=query)["results"]]
            assert codes == ["39210", "39412"], query  # 四万十市, 四万十町
        for query in ["四万十町", "しまんとちょう", "Shimanto-cho", "Shimanto Town"]:
            assert [row["code"] for row in self.get(self.url, q=query)["results"]] == ["39412"], query

    def test_query_combines_with_prefecture(self):
        assert self.get(self.url, q="ちゅうおう")["count"] > 1
        assert [row["code"] for row in self.get(self.url, q="ちゅうおう", prefecture="13")["results"]] == [
            "13102"
        ]

    def test_unknown_kind_is_a_400_in_the_error_shape(self):
        body = self.get(self.url, status=400, kind="metropolis")
        self.assert_error(body, "invalid")
        assert "kind" in body["error"]["fields"]

    def test_query_count_does_not_grow_with_page_size(self):
        with self.assertNumQueries(2):
            self.get(self.url, page_size=10)
        with self.assertNumQueries(2):
            self.get(self.url, page_size=200)


class MunicipalityDetailApiTests(RegionsApiTestCase):
    def test_by_5_digit_code_with_aliases(self):
        body = self.get("/api/v1/regions/municipalities/28221/")
        assert body["name"] == "丹波篠山市" and body["lg_code"] == "282219" and body["kind"] == "city"
        assert body["aliases"] == [{"name": "篠山市", "kind": "former", "valid_to": "2019-05-01"}]
        assert body["area_km2"] > 300

    def test_by_6_digit_local_government_code(self):
        assert self.get("/api/v1/regions/municipalities/131016/")["code"] == "13101"

    def test_full_width_digits(self):
        assert self.get("/api/v1/regions/municipalities/１３１０１/")["code"] == "13101"

    def test_wrong_check_digit_is_not_found(self):
        self.assert_error(self.get("/api/v1/regions/municipalities/131017/", status=404), "not_found")

    def test_unknown_and_malformed(self):
        self.assert_error(self.get("/api/v1/regions/municipalities/99999/", status=404), "not_found")
        self.assert_error(self.get("/api/v1/regions/municipalities/1310/", status=404), "not_found")

    def test_designated_city_lists_current_wards_and_ward_names_parent(self):
        body = self.get("/api/v1/regions/municipalities/22130/")
        assert [w["code"] for w in body["wards"]] == ["22138", "22139", "22140"]
        ward = self.get("/api/v1/regions/municipalities/22138/")
        assert ward["parent"] == {"code": "22130", "name": "浜松市", "kind": "designated_city"}

    def test_query_count(self):
        with self.assertNumQueries(3):
            self.get("/api/v1/regions/municipalities/27100/")


class LocateApiTests(RegionsApiTestCase):
    url = "/api/v1/regions/municipalities/locate/"

    def test_chiyoda_inside_point(self):
        chiyoda = Municipality.objects.get(code="13101")
        body = self.get(self.url, lat=chiyoda.inside_lat, lng=chiyoda.inside_lng)
        assert body["municipality"]["code"] == "13101" and body["ward"] is None

    def test_kyoto_point_gives_city_and_ward(self):
        ward = Municipality.objects.get(code="26101")
        body = self.get(self.url, lat=ward.inside_lat, lng=ward.inside_lng)
        assert body["municipality"]["code"] == "26100" and body["ward"]["code"] == "26101"

    def test_enclave_answers_the_enclave(self):
        kariwa = Municipality.objects.get(code="15504")  # 刈羽村, surrounded by 柏崎市
        assert (
            self.get(self.url, lat=kariwa.office_lat, lng=kariwa.office_lng)["municipality"]["code"]
            == "15504"
        )

    def test_sea_is_not_found(self):
        self.assert_error(self.get(self.url, status=404, lat=30.0, lng=140.0), "not_found")

    @pytest.mark.filterwarnings("ignore")
    def test_bad_coordinates_are_400(self):
        self.assert_error(self.get(self.url, status=400, lat=95, lng=139), "invalid")
        self.assert_error(self.get(self.url, status=400, lat="abc", lng=139), "invalid")
        body = self.get(self.url, status=400)
        assert {"lat", "lng"} <= set(body["error"]["fields"])


class PostalCodeApiTests(RegionsApiTestCase):
    def test_1000001_is_chiyoda(self):
        body = self.get("/api/v1/regions/postal-codes/1000001/")
        assert body == {
            "postal_code": "1000001",
            "addresses": [
                {
                    "municipality_code": "13101",
                    "prefecture_code": "13",
                    "prefecture": "東京都",
                    "city": "千代田区",
                    "town": "千代田",
                    "town_kana": "チヨダ",
                }
            ],
        }

    def test_accepted_spellings(self):
        for spelling in ["100-0001", "１００００ ０１".replace(" ", ""), "１００－０００１", "〒100-0001"]:
            assert self.get(f"/api/v1/regions/postal-codes/{spelling}/")["postal_code"] == "1000001", spelling

    def test_designated_city_postal_code_answers_the_ward(self):
        body = self.get("/api/v1/regions/postal-codes/0600000/")
        assert body["addresses"][0]["municipality_code"] == "01101"
        assert body["addresses"][0]["town"] == ""

    def test_code_covering_several_municipalities_lists_them_all(self):
        body = self.get("/api/v1/regions/postal-codes/0040000/")
        assert {a["municipality_code"] for a in body["addresses"]} == {
            "01108",
            "01110",
        }  # 札幌市厚別区, 清田区

    def test_malformed_is_400(self):
        for bad in ["12", "12345678", "abcdefg"]:
            body = self.get(f"/api/v1/regions/postal-codes/{bad}/", status=400)
            self.assert_error(body, "invalid")
            assert body["error"]["message"] == "郵便番号は7桁の数字で入力してください（例: 100-0001）。"

    def test_unknown_is_404(self):
        self.assert_error(self.get("/api/v1/regions/postal-codes/9999999/", status=404), "not_found")

    def test_english_messages(self):
        response = self.client.get("/api/v1/regions/postal-codes/12/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.json()["error"]["message"].startswith("Enter the postal code")
