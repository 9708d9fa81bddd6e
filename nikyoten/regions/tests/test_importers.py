"""The import commands and services: each dataset on exact-format fixtures, all-or-nothing, dry run, re-import."""

import json
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from pyreinfolib import exceptions, tiles
from shapely.geometry import box

from nikyoten.accounts.tests.factories import UserFactory
from nikyoten.regions import reference_data, selectors
from nikyoten.regions.ksj import geodesic_area_km2
from nikyoten.regions.models import (
    DatasetImport,
    Facility,
    HazardArea,
    Municipality,
    MunicipalityBoundary,
    RegionFact,
)
from nikyoten.regions.services import reference_data_load, reinfolib_import

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), verbosity=0)
    return out.getvalue()


def import_ksj(name: str, *options: str) -> str:
    return run("import_ksj", name.split("-")[0], str(FIXTURES / "ksj" / name), *options)


def state() -> tuple:
    """Everything an import may change."""
    chiyoda = Municipality.objects.get(code="13101")
    return (
        DatasetImport.objects.count(),
        Facility.objects.count(),
        HazardArea.objects.count(),
        MunicipalityBoundary.objects.count(),
        sorted(RegionFact.objects.values_list("municipality_id", "key", "value")),
        (chiyoda.area_km2, chiyoda.inside_lat, chiyoda.inside_lng),
    )


class TempFileMixin:
    def write(self, name: str, content: str) -> Path:
        directory = Path(tempfile.mkdtemp())
        path = directory / name
        path.write_text(content, encoding="utf-8")
        return path


class FacilityImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.report = import_ksj("P04-20_13.geojson")

    def test_points_without_code_are_placed_by_point_in_polygon(self):
        placed = dict(Facility.objects.values_list("name", "municipality_id"))
        assert placed == {
            "試験中央病院": "13101",
            "試験内科クリニック": "13101",
            "試験歯科医院": "13101",
            "試験ひので診療所": "13305",
        }

    def test_source_edition_and_date_are_recorded(self):
        imported = DatasetImport.objects.get()
        assert (imported.dataset, imported.edition, imported.source_name) == (
            "P04",
            "2020",
            "P04-20_13.geojson",
        )
        assert (imported.rows_read, imported.rows_imported) == (4, 4)
        assert imported.imported_at is not None
        # The file is Tokyo's: all 62 municipalities of 東京都 are covered, so a zero there is a fact.
        assert imported.coverage.count() == 62
        assert set(Facility.objects.values_list("dataset_import", flat=True)) == {imported.pk}

    def test_report(self):
        assert "4 行を読み、4 行を取り込みました" in self.report
        assert "対象の市区町村 62" in self.report

    def test_reimport_of_the_same_edition_is_idempotent(self):
        before = state()
        report = import_ksj("P04-20_13.geojson")
        assert state() == before
        assert "前回の取り込みを置き換えました" in report

    def test_dry_run_changes_nothing(self):
        before = state()
        report = import_ksj("P29-21_13.geojson", "--dry-run")
        assert state() == before
        assert "3 行を取り込みました" in report
        assert "何も変更していません" in report

    def test_admin_lists_imports_facilities_and_facts_read_only(self):
        self.client.force_login(UserFactory(is_staff=True, is_superuser=True))
        for model in ("datasetimport", "facility", "regionfact"):
            response = self.client.get(f"/admin/regions/{model}/")
            assert response.status_code == 200, model
            assert f'href="/admin/regions/{model}/add/"' not in response.content.decode()
        self.assertContains(self.client.get("/admin/regions/facility/"), "試験中央病院")

    def test_facts_are_recomputed(self):
        facts = dict(RegionFact.objects.filter(municipality="13101").values_list("key", "value"))
        assert facts == {"hospitals": 1, "clinics": 1}  # no census yet: no per-capita figure
        assert dict(RegionFact.objects.filter(municipality="13102").values_list("key", "value")) == {
            "hospitals": 0,
            "clinics": 0,
        }
        assert not RegionFact.objects.filter(municipality="14100").exists()  # 神奈川県: not covered


class MalformedFileTests(TempFileMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        import_ksj("P29-21_13.geojson")

    def assert_refused(self, path: Path, dataset: str, *messages: str):
        before = state()
        with pytest.raises(CommandError) as error:
            run("import_ksj", dataset, str(path))
        for message in messages:
            assert message in str(error.value)
        assert "何も変更していません" in str(error.value)
        assert state() == before

    def test_unknown_code_names_the_row(self):
        data = json.loads((FIXTURES / "ksj" / "P29-21_13.geojson").read_text(encoding="utf-8"))
        data["features"][3]["properties"]["P29_001"] = "13999"
        path = self.write("P29-21_13.geojson", json.dumps(data, ensure_ascii=False))
        self.assert_refused(path, "P29", "地物 4（試験ひので小学校）: 市区町村コード 13999 は存在しません")

    def test_missing_key_and_bad_geometry_name_row_and_key(self):
        data = json.loads((FIXTURES / "ksj" / "P04-20_13.geojson").read_text(encoding="utf-8"))
        del data["features"][0]["properties"]["P04_002"]
        data["features"][2]["geometry"] = {"type": "Point", "coordinates": ["x"]}
        path = self.write("P04-20_13.geojson", json.dumps(data, ensure_ascii=False))
        self.assert_refused(path, "P04", "地物 1: キー P04_002 がありません", "地物 3: geometry が読めません")

    def test_not_json(self):
        self.assert_refused(self.write("P04-20_13.geojson", "{"), "P04", "を読めません")

    def test_point_outside_every_territory_is_skipped_and_named(self):
        data = json.loads((FIXTURES / "ksj" / "P04-20_13.geojson").read_text(encoding="utf-8"))
        data["features"][1]["geometry"]["coordinates"] = [141.5, 34.5]  # the Pacific, off 房総半島
        report = run(
            "import_ksj", "P04", str(self.write("P04-20_13.geojson", json.dumps(data, ensure_ascii=False)))
        )
        assert "対象外 1 行: どの市区町村の区域にも入らない点" in report
        assert "区域外の点の地物番号: 2" in report
        assert Facility.objects.filter(dataset_import__dataset="P04").count() == 3

    def test_file_of_another_dataset(self):
        with pytest.raises(CommandError, match="P04 のファイルです"):
            run("import_ksj", "P29", str(FIXTURES / "ksj" / "P04-20_13.geojson"))

    def test_edition_needed_when_the_name_does_not_say(self):
        path = self.write(
            "hospitals.geojson", (FIXTURES / "ksj" / "P04-20_13.geojson").read_text(encoding="utf-8")
        )
        with pytest.raises(CommandError, match="--edition"):
            run("import_ksj", "P04", str(path))
        assert "4 行を取り込みました" in run("import_ksj", "P04", str(path), "--edition", "2020")
        with pytest.raises(CommandError, match="2024-01-01 の形"):
            run("import_ksj", "P04", str(path), "--edition", "令和2年")


class BoundaryImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.jma_area = Municipality.objects.get(code="13101").area_km2
        cls.report = import_ksj("N03-20240101_13.geojson")

    def test_boundary_replaces_area_and_inside_point(self):
        chiyoda = Municipality.objects.get(code="13101")
        assert chiyoda.area_km2 != self.jma_area
        assert chiyoda.area_km2 == pytest.approx(4.52 * 3.34, rel=0.02)  # 0.05° × 0.03° at 35.7°N
        assert 35.67 < chiyoda.inside_lat < 35.70
        assert 139.73 < chiyoda.inside_lng < 139.78
        assert MunicipalityBoundary.objects.get().dataset_import.edition == "2024-01-01"
        assert "所属未定地" in self.report

    def test_boundary_replaces_the_jma_polygon_for_point_in_polygon(self):
        # JMA puts this point in 中央区; the imported N03 boundary of 千代田区 now holds it.
        assert selectors.municipality_locator().locate([35.675], [139.775]) == ["13101"]

    def test_reloading_the_master_keeps_the_n03_area(self):
        area = Municipality.objects.get(code="13101").area_km2
        reference_data_load(data=reference_data.build())
        assert Municipality.objects.get(code="13101").area_km2 == area
        assert Municipality.objects.get(code="13102").area_km2 is not None  # JMA values elsewhere

    def test_page_names_the_source_of_the_area(self):
        self.assertContains(
            self.client.get("/regions/municipalities/13101/"), "国土数値情報 行政区域 2024-01-01 版"
        )


class HazardAndStationImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for name in (
            "A31a-20-24_13.geojson",
            "A33-24_13.geojson",
            "A40-23_13.geojson",
            "N02-22_Station.geojson",
            "S12-25_NumberOfPassengers.geojson",
            "P20-12_13.geojson",
        ):
            import_ksj(name)

    def fact(self, code: str, key: str) -> float:
        return RegionFact.objects.get(municipality=code, key=key).value

    def test_hazard_areas_are_stored_with_their_level(self):
        levels = sorted(HazardArea.objects.values_list("kind", "level"))
        assert levels == [
            ("flood", 1),
            ("flood", 2),
            ("flood", 4),
            ("landslide", 1),
            ("landslide", 2),
            ("tsunami", 30),
            ("tsunami", 100),
        ]

    def test_area_shares_against_the_territory(self):
        chiyoda = selectors.municipality_territories(codes=["13101"])["13101"]
        # Two overlapping flood boxes make one 0.003° × 0.002° zone (the overlap counted once).
        zone = geodesic_area_km2(box(139.750, 35.680, 139.753, 35.682))
        expected = 100 * zone / geodesic_area_km2(chiyoda)
        assert self.fact("13101", "flood_area_share") == pytest.approx(expected, abs=0.01)
        assert self.fact("13101", "landslide_area_share") == 0
        assert self.fact("13305", "landslide_area_share") > 0

    def test_stations_count_transfer_groups_once_and_ridership_sums_counted_rows(self):
        assert self.fact("13101", "stations") == 2
        ridership = RegionFact.objects.get(municipality="13101", key="station_daily_ridership")
        assert (ridership.value, ridership.reference_year) == (313000 + 51300, 2024)

    def test_ridership_without_published_counts_is_no_data(self):
        assert not RegionFact.objects.filter(municipality="13305", key="station_daily_ridership").exists()

    def test_shelters(self):
        assert self.fact("13101", "shelters") == 2


class CensusImportTests(TempFileMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        import_ksj("P04-20_13.geojson")
        import_ksj("P14-21_13.geojson")
        cls.report = run("import_census", str(FIXTURES / "estat_census_2020.csv"))

    def test_values_and_source(self):
        population = RegionFact.objects.get(municipality="13101", key="population")
        assert population.value == 66680
        assert population.reference_year == 2020
        assert [s.dataset for s in population.sources.all()] == ["census"]

    def test_per_capita_facts_name_both_sources(self):
        medical = RegionFact.objects.get(municipality="13101", key="medical_per_10k")
        assert medical.value == round(2 / 66680 * 10_000, 2)
        assert sorted(s.dataset for s in medical.sources.all()) == ["P04", "census"]
        nurseries = RegionFact.objects.get(municipality="13101", key="nurseries_per_1k_children")
        assert nurseries.value == round(2 / 2730 * 1_000, 2)

    def test_no_per_child_figure_where_children_are_suppressed(self):
        assert not RegionFact.objects.filter(municipality="13305", key="nurseries_per_1k_children").exists()
        assert RegionFact.objects.get(municipality="13305", key="nurseries").value == 0

    def test_unknown_area_code_refuses_the_file(self):
        before = state()
        text = (
            (FIXTURES / "estat_census_2020.csv")
            .read_text(encoding="utf-8-sig")
            .replace('"13305","日の出町"', '"13399","日の出町"')
        )
        with pytest.raises(CommandError, match="行目: 地域 コード 13399 は存在しません"):
            run("import_census", str(self.write("census.csv", text)))
        assert state() == before

    def test_reimport_and_dry_run(self):
        before = state()
        run("import_census", str(FIXTURES / "estat_census_2020.csv"))
        assert state() == before
        run("import_census", str(FIXTURES / "estat_census_2020.csv"), "--dry-run")
        assert state() == before


class FakeReinfolib:
    """Answers tile requests from fixtures: one tile with features, one 404, the rest empty."""

    def __init__(self, answers: dict):
        self.answers = answers
        self.calls: list[tuple[int, int, int]] = []

    def _tile(self, z: int, x: int, y: int) -> dict:
        self.calls.append((z, x, y))
        answer = self.answers.get((z, x, y), "empty.json")
        if answer == 404:
            raise exceptions.NoResultsError(
                "404", status_code=404, response_body="", url="https://example.invalid/"
            )
        return json.loads((FIXTURES / "reinfolib" / answer).read_text(encoding="utf-8"))

    get_medical_institutions = _tile
    get_expected_flood_inundation_areas_at_maximum_scale = _tile


class ReinfolibImportTests(TestCase):
    def test_tiles_are_fetched_once_and_empty_and_404_tiles_pass(self):
        hospital_tile = tiles.containing(lon=139.7528, lat=35.6852, z=13)
        client = FakeReinfolib({tuple(hospital_tile): "XKT010_z13_x7276_y3225.json", (13, 7275, 3225): 404})
        report = reinfolib_import(client=client, api="XKT010", codes=["13101", "131024"])
        assert len(client.calls) == len(set(client.calls))  # 千代田区 and 中央区 share tiles
        assert hospital_tile in client.calls
        assert (13, 7275, 3225) in client.calls  # the 404 tile was asked for and passed over
        assert sorted(Facility.objects.values_list("name", "municipality_id")) == [
            ("試験中央病院", "13101"),
            ("試験内科クリニック", "13101"),
        ]
        imported = DatasetImport.objects.get()
        assert imported.dataset == "P04"
        assert sorted(imported.coverage.values_list("code", flat=True)) == ["13101", "13102"]
        assert RegionFact.objects.get(municipality="13102", key="hospitals").value == 0
        assert report.rows_imported == 2

    def test_polygons_clipped_at_tile_edges_are_joined_by_id(self):
        first, second = sorted(tiles.covering(west=139.74, south=35.67, east=139.78, north=35.70, z=14))[:2]
        client = FakeReinfolib({tuple(first): "XKT026_west.json", tuple(second): "XKT026_east.json"})
        report = reinfolib_import(client=client, api="XKT026", codes=["13101"])
        area = HazardArea.objects.get()
        assert (area.level, area.min_lng, area.max_lng) == (3, 139.75, 139.754)
        assert "2 片を 1 件にまとめました" in report.summary()

    def test_unknown_code_is_refused_before_any_request(self):
        client = FakeReinfolib({})
        with pytest.raises(Exception, match="市区町村コード 99999 は存在しません"):
            reinfolib_import(client=client, api="XKT010", codes=["99999"])
        assert client.calls == []

    @override_settings(REINFOLIB_API_KEY="")
    def test_command_needs_the_api_key(self):
        with pytest.raises(CommandError, match="REINFOLIB_API_KEY"):
            run("import_reinfolib", "XKT010", "--municipality", "13101")

    @override_settings(REINFOLIB_API_KEY="test-key")
    def test_command_reports_an_api_error_and_changes_nothing(self):
        class RejectingClient(FakeReinfolib):
            def __enter__(self):
                return self

            def __exit__(self, *exc_info):
                return None

            def get_medical_institutions(self, z, x, y):
                raise exceptions.AuthenticationError(
                    "401 Unauthorized", status_code=401, response_body="", url="https://example.invalid/"
                )

        before = state()
        with (
            mock.patch("pyreinfolib.Client", return_value=RejectingClient({})) as client_class,
            pytest.raises(CommandError, match="401 Unauthorized"),
        ):
            run("import_reinfolib", "XKT010", "--municipality", "13101")
        client_class.assert_called_once_with(api_key="test-key")
        assert state() == before
