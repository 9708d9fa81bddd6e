"""The pure readers: code normalising, file names, every KSJ dataset, malformed files, geometry helpers."""

import json
from pathlib import Path

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import box

from nikyoten.core.geo import great_circle_km
from nikyoten.core.text import lg_code
from nikyoten.regions import ksj

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> dict:
    return json.loads((FIXTURES / "ksj" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13101", "13101"),
        (13101, "13101"),
        (1101, "01101"),  # a number lost its leading zero
        ("1101", "01101"),
        ("131016", "13101"),  # 6 digits with the check digit
        (131016, "13101"),
        ("１３１０１", "13101"),  # full-width
        (" 13101 ", "13101"),
        (13101.0, "13101"),
    ],
)
def test_normalise_code(value, expected):
    assert ksj.normalise_code(value) == expected


@pytest.mark.parametrize("value", ["131017", "131", "1310a", "", None, True, 13.5, "1234567"])
def test_normalise_code_refuses(value):
    with pytest.raises(ValueError):
        ksj.normalise_code(value)


@given(st.integers(min_value=1000, max_value=99999))
def test_normalise_code_reads_every_form_of_a_code_alike(number):
    code = f"{number:05d}"
    forms = [code, number, lg_code(code), code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))]
    if not code.startswith("0"):  # a 6-digit number that lost its zero has 5 digits: read as a 5-digit code
        forms.append(int(lg_code(code)))
    assert {ksj.normalise_code(form) for form in forms} == {code}


@given(st.integers(min_value=1000, max_value=99999), st.integers(min_value=0, max_value=9))
def test_normalise_code_refuses_a_wrong_check_digit(number, digit):
    code = f"{number:05d}"
    if lg_code(code)[-1] != str(digit):
        with pytest.raises(ValueError):
            ksj.normalise_code(f"{code}{digit}")


@given(
    st.floats(min_value=20, max_value=46),
    st.floats(min_value=122, max_value=154),
    st.floats(min_value=20, max_value=46),
    st.floats(min_value=122, max_value=154),
)
def test_distance_is_non_negative_and_symmetric(lat1, lng1, lat2, lng2):
    there = great_circle_km(lat1, lng1, lat2, lng2)
    assert there >= 0
    assert there == pytest.approx(great_circle_km(lat2, lng2, lat1, lng1), abs=1e-9)
    assert great_circle_km(lat1, lng1, lat1, lng1) == 0


def test_source_name():
    assert ksj.source_name("P04-20_13.geojson") == ksj.SourceName("P04", "2020", ("13",))
    assert ksj.source_name("dir/A31a-20-24_13_sample.geojson") == ksj.SourceName("A31a", "2024", ("13",))
    assert ksj.source_name("N03-20240101_13_14.geojson") == ksj.SourceName("N03", "2024-01-01", ("13", "14"))
    assert ksj.source_name("S12-25_NumberOfPassengers.geojson") == ksj.SourceName("S12", "2025", ())
    assert ksj.source_name("hospitals.geojson") is None


def test_medical_has_no_code_and_maps_classes():
    parsed = ksj.parse("P04", load("P04-20_13.geojson"))
    assert [(p.kind, p.code) for p in parsed.points] == [
        ("hospital", None),
        ("clinic", None),
        ("dental_clinic", None),
        ("clinic", None),
    ]
    assert parsed.points[0].details == {"subjects": "内科", "beds": 200}
    assert (parsed.points[0].lat, parsed.points[0].lng) == (35.6852, 139.7528)


def test_schools_codes_as_strings_numbers_and_six_digits_and_closed_skipped():
    parsed = ksj.parse("P29", load("P29-21_13.geojson"))
    assert [(p.kind, p.code) for p in parsed.points] == [
        ("elementary_school", "13101"),
        ("junior_high_school", "13101"),
        ("elementary_school", "13305"),
    ]
    assert parsed.skipped == {"休校中の学校": 1}
    assert parsed.rows_read == 4


def test_blank_code_leaves_the_point_to_point_in_polygon():
    data = load("P14-21_13.geojson")
    data["features"][0]["properties"]["P14_003"] = ""
    data["features"][1]["properties"]["P14_003"] = None
    assert [p.code for p in ksj.parse("P14", data).points] == [None, None, "13101"]


def test_welfare_tells_nurseries_apart():
    kinds = [p.kind for p in ksj.parse("P14", load("P14-21_13.geojson")).points]
    assert kinds == ["nursery", "nursery", "welfare"]


def test_stations_take_the_middle_of_the_platform():
    station = ksj.parse("N02", load("N02-22_Station.geojson")).points[0]
    assert (station.lat, station.lng) == (pytest.approx(35.68135), pytest.approx(139.7666))
    assert station.group_code == "090001"


def test_ridership_reads_the_last_year_and_counts_a_row_only_once():
    points = ksj.parse("S12", load("S12-25_NumberOfPassengers.geojson")).points
    assert [(p.ridership, p.ridership_year) for p in points] == [
        (313000, 2024),
        (None, 2024),  # 重複コード 2: counted on another line's row
        (51300, 2024),
        (None, 2024),  # データ有無 2: no data, not zero
    ]


def test_shelters_unknown_capacity_is_none():
    points = ksj.parse("P20", load("P20-12_13.geojson")).points
    assert [p.details["capacity"] for p in points] == [None, 800]
    assert points[1].details["hazards"] == ["地震", "水害"]


def test_flood_rank_is_a31a_205_not_the_river_code():
    areas = ksj.parse("A31a", load("A31a-20-24_13.geojson")).areas
    assert [(a.level, a.label) for a in areas] == [(2, "0.5〜3m"), (4, "5〜10m"), (1, "0.5m未満")]


def test_flood_file_without_the_max_scale_rank_is_refused():
    data = load("A31a-20-24_13.geojson")
    for feature in data["features"]:
        feature["properties"]["A31a_105"] = feature["properties"].pop("A31a_205")
    with pytest.raises(ksj.ImportFileError, match="地物 1: キー A31a_205 がありません"):
        ksj.parse("A31a", data)


def test_landslide_zones_and_lines_skipped():
    parsed = ksj.parse("A33", load("A33-24_13.geojson"))
    assert [a.level for a in parsed.areas] == [1, 2]
    assert parsed.areas[1].label == "土砂災害特別警戒区域（急傾斜地の崩壊）"
    assert parsed.skipped == {"線の図形（面積がない）": 1}


@pytest.mark.parametrize(
    ("band", "cm"),
    [
        ("0.3m以上1m未満", 30),
        ("1m以上2m未満", 100),
        ("3m以上～5m未満", 300),
        ("0.3m未満", 0),
        ("１０ｍ以上", 1000),
    ],
)
def test_tsunami_depth_band(band, cm):
    assert ksj.tsunami_depth_cm(band) == cm


def test_tsunami_band_that_cannot_be_read_is_refused():
    data = load("A40-23_13.geojson")
    data["features"][1]["properties"]["A40_003"] = "浸水あり"
    with pytest.raises(ksj.ImportFileError, match="地物 2: A40_003"):
        ksj.parse("A40", data)


def test_boundaries_skip_unassigned_land():
    parsed = ksj.parse("N03", load("N03-20240101_13.geojson"))
    assert [b.code for b in parsed.boundaries] == ["13101"]
    assert parsed.skipped == {"所属未定地（N03_007 なし）": 1}


def test_every_problem_is_named_with_its_feature_and_key():
    data = load("P04-20_13.geojson")
    del data["features"][1]["properties"]["P04_001"]
    data["features"][2]["properties"]["P04_001"] = 7
    data["features"][3]["geometry"] = {"type": "Point", "coordinates": [35.7422, 139.2575]}  # lat/lng swapped
    with pytest.raises(ksj.ImportFileError) as error:
        ksj.parse("P04", data)
    assert error.value.problems == [
        "地物 2: キー P04_001 がありません",
        "地物 3: P04_001 の値 7 は定義されていません",
        "地物 4: 座標が日本の範囲外です（経度・緯度の順か確認してください）",
    ]


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (None, "geometry が読めません"),
        ({"type": "Point", "coordinates": []}, "geometry"),
        ({"type": "Polygon", "coordinates": [[[139.7, 35.6]]]}, "geometry が読めません"),
        ({"type": "Point", "coordinates": [139.7, 35.6]}, "geometry が Point です"),
    ],
)
def test_bad_geometry_is_refused(geometry, message):
    data = load("A40-23_13.geojson")
    data["features"][0]["geometry"] = geometry
    with pytest.raises(ksj.ImportFileError, match=f"地物 1: {message}"):
        ksj.parse("A40", data)


def test_not_a_feature_collection_or_foreign_crs_is_refused():
    with pytest.raises(ksj.ImportFileError, match="FeatureCollection"):
        ksj.parse("P04", {"type": "Feature"})
    data = load("P04-20_13.geojson")
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2451"}}
    with pytest.raises(ksj.ImportFileError, match="EPSG::2451"):
        ksj.parse("P04", data)


def test_api_keys_with_ja_suffix_read_like_file_keys():
    data = json.loads((FIXTURES / "reinfolib" / "XKT010_z13_x7276_y3225.json").read_text(encoding="utf-8"))
    points = ksj.parse("P04", data).points
    assert (points[0].name, points[0].address) == ("試験中央病院", "東京都千代田区千代田0-1")


def test_locator_takes_the_smallest_polygon_for_an_enclave():
    locator = ksj.MunicipalityLocator(
        [("10000", box(139, 35, 140, 36)), ("20000", box(139.4, 35.4, 139.6, 35.6))]
    )
    assert locator.locate([35.5, 35.1, 34.0], [139.5, 139.1, 139.5]) == ["20000", "10000", None]


def test_union_by_id_joins_pieces_clipped_at_tile_edges():
    west = {
        "type": "Feature",
        "properties": {"_id": "a"},
        "geometry": shapely.geometry.mapping(box(0, 0, 1, 1)),
    }
    east = {
        "type": "Feature",
        "properties": {"_id": "a"},
        "geometry": shapely.geometry.mapping(box(1, 0, 2, 1)),
    }
    other = {
        "type": "Feature",
        "properties": {"_id": "b"},
        "geometry": shapely.geometry.mapping(box(5, 5, 6, 6)),
    }
    joined = ksj.union_by_id([west, east, other])
    assert [f["properties"]["_id"] for f in joined] == ["a", "b"]
    assert shapely.geometry.shape(joined[0]["geometry"]).area == pytest.approx(2)


def test_area_share_counts_overlaps_once():
    territory = box(139.0, 35.0, 139.1, 35.1)
    half = box(139.0, 35.0, 139.05, 35.1)
    assert ksj.area_share_percent(territory, [half, half]) == pytest.approx(50, abs=0.5)
    assert ksj.area_share_percent(territory, [box(140, 35, 140.1, 35.1)]) == 0
    assert ksj.area_share_percent(territory, []) == 0
