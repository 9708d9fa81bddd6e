"""Living environment: the selector, the municipality page, the API, nearest facility and hazards at a point."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from nikyoten.regions import selectors
from nikyoten.regions.models import DatasetImport

FIXTURES = Path(__file__).parent / "fixtures"


def import_fixtures(*names: str) -> None:
    for name in names:
        args = ["import_census"] if name.endswith(".csv") else ["import_ksj", name.split("-")[0]]
        path = FIXTURES / name if name.endswith(".csv") else FIXTURES / "ksj" / name
        call_command(*args, str(path), stdout=StringIO(), stderr=StringIO(), verbosity=0)


def facts_by_key(code: str) -> dict:
    _municipality, sections = selectors.municipality_environment(code=code)
    return {fact.key: fact for section in sections for fact in section.facts}


class EmptyEnvironmentTests(TestCase):
    def test_nothing_imported_is_no_data_never_zero(self):
        facts = facts_by_key("13101")
        assert len(facts) == 19
        assert all(fact.value is None and fact.sources == [] for fact in facts.values())
        response = self.client.get("/regions/municipalities/13101/")
        self.assertContains(response, "暮らしの環境")
        content = response.content.decode()
        section = content[content.index("暮らしの環境") : content.index("<h2>位置")]
        assert section.count("<dd>データなし</dd>") == 19
        assert "出典" not in section

    def test_ward_page_points_to_its_city(self):
        self.assertContains(
            self.client.get("/regions/municipalities/14101/"),
            '市全体で集計しています（<a href="/regions/municipalities/14100/">横浜市</a>）',
        )

    def test_api_says_null(self):
        body = APIClient().get("/api/v1/regions/municipalities/13101/environment/").json()
        values = [fact["value"] for section in body["sections"] for fact in section["facts"]]
        assert values == [None] * 19

    def test_nearest_and_hazards_without_data(self):
        assert selectors.facility_nearest(kind="hospital", lat=35.69, lng=139.75) is None
        readings = selectors.hazard_at(lat=35.681, lng=139.7515)
        assert [(r.covered, r.level) for r in readings.values()] == [(False, None)] * 3


class EnvironmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import_fixtures(
            "P04-20_13.geojson",
            "P14-21_13.geojson",
            "N02-22_Station.geojson",
            "A31a-20-24_13.geojson",
            "A33-24_13.geojson",
            "estat_census_2020.csv",
        )

    def test_selector_returns_facts_with_sources(self):
        facts = facts_by_key("13101")
        assert facts["hospitals"].value == 1
        assert [(s.dataset, s.edition) for s in facts["hospitals"].sources] == [("P04", "2020")]
        assert facts["medical_per_10k"].value == 0.3
        assert facts["elementary_schools"].value is None  # P29 not imported
        assert facts["shelters"].value is None

    def test_page_shows_values_with_source_and_date(self):
        response = self.client.get("/regions/municipalities/13101/")
        self.assertContains(response, "66,680 人")
        imported = DatasetImport.objects.get(dataset="P04")
        date = date_format(timezone.localtime(imported.imported_at), "DATE_FORMAT")
        self.assertContains(response, f"国土数値情報 医療機関（2020 版、{date} 取り込み）")
        self.assertContains(response, "0〜5歳1,000人あたりの保育所")
        self.assertContains(response, "0.73 件")
        self.assertContains(response, "可住地面積ではありません")

    def test_covered_municipality_with_none_shows_zero_with_source(self):
        facts = facts_by_key("13102")
        assert facts["hospitals"].value == 0
        assert facts["hospitals"].sources

    def test_api(self):
        client = APIClient()
        with self.assertNumQueries(5):  # municipality, aliases, wards, facts, their sources
            body = client.get("/api/v1/regions/municipalities/131016/environment/").json()
        assert body["municipality"] == {"code": "13101", "name": "千代田区", "kind": "special_ward"}
        medical = next(s for s in body["sections"] if s["title"] == "医療")
        hospitals = medical["facts"][0]
        assert (hospitals["key"], hospitals["name"], hospitals["value"], hospitals["unit"]) == (
            "hospitals",
            "病院",
            1.0,
            "件",
        )
        assert hospitals["sources"][0]["dataset"] == "P04"
        assert hospitals["sources"][0]["dataset_name"] == "国土数値情報 医療機関"
        assert hospitals["sources"][0]["edition"] == "2020"
        assert hospitals["sources"][0]["imported_at"]

    def test_api_unknown_code_is_404_in_the_error_shape(self):
        response = APIClient().get("/api/v1/regions/municipalities/99999/environment/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"

    def test_nearest_is_exact_in_metres(self):
        found = selectors.facility_nearest(kind="hospital", lat=35.69, lng=139.75)
        assert found is not None
        assert found.facility.name == "試験中央病院"
        assert 590 <= found.distance_m <= 592  # 35.69,139.75 → 35.6852,139.7528 by haversine
        # From 日の出町 the nearest clinic is the one there, not the first one found in a box.
        nearby = selectors.facility_nearest(kind="clinic", lat=35.7422, lng=139.2575)
        assert (nearby.facility.name, nearby.distance_m) == ("試験ひので診療所", 0)
        far = selectors.facility_nearest(kind="clinic", lat=35.72, lng=139.5)
        assert far.facility.name == "試験ひので診療所"
        assert selectors.facility_nearest(kind="nursery", lat=43.06, lng=141.35) is None  # 札幌: over 100 km

    def test_hazard_at_a_point(self):
        flood = selectors.hazard_at(lat=35.681, lng=139.7515)["flood"]
        assert (flood.covered, flood.level, flood.label) == (True, 4, "5〜10m")  # the deeper of two overlaps
        assert flood.source.dataset == "A31a"
        landslide = selectors.hazard_at(lat=35.7447, lng=139.2577)["landslide"]
        assert (landslide.level, landslide.label) == (2, "土砂災害特別警戒区域（急傾斜地の崩壊）")
        outside = selectors.hazard_at(lat=35.695, lng=139.745)
        assert (outside["flood"].covered, outside["flood"].level) == (True, None)  # known: outside every zone
        assert outside["flood"].source.dataset == "A31a"
        assert (outside["tsunami"].covered, outside["tsunami"].level) == (False, None)  # A40 not imported
