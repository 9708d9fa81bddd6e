"""Read 国土数値情報 (KSJ) GeoJSON files and 不動産情報ライブラリ tile responses into plain, validated records.

A pure module (no Django): codes are normalised, every feature is checked and every problem is collected with the
feature it belongs to and the key at fault; `parse` raises ImportFileError with all of them, so a malformed file
is refused as a whole. Keys and codes follow docs/data-sources §4 (e.g. the flood rank is `A31a_205`; `A31a_201`
is the river code). Assigning a municipality to a point without a code is done by `MunicipalityLocator`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from nikyoten.core.text import lg_check_digit, nfkc

MAX_PROBLEMS_SHOWN = 20
# Japan's extent with a margin (沖ノ鳥島 20.4°N, 南鳥島 153.98°E, 与那国島 122.9°E, 択捉島 45.6°N).
_LAT_RANGE = (20.0, 46.0)
_LNG_RANGE = (122.0, 154.5)
_CRS_ACCEPTED = ("EPSG::6668", "EPSG::4612", "EPSG::4326", "CRS84")
_GEOD = pyproj.Geod(ellps="GRS80")


class ImportFileError(Exception):
    """The file cannot be imported as it is; `problems` name the features and keys at fault."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        more = len(self.problems) - len(shown)
        text = "\n  ".join(shown) + (f"\n  ほか {more} 件" if more else "")
        super().__init__(f"取り込めない行が {len(self.problems)} 件あります:\n  {text}")


class _RowError(Exception):
    """One feature is malformed; collected and reported with the others."""


class _Skip(Exception):
    """A well-formed feature that has no place in the facts (所属未定地, a closed school, a line zone)."""


# --- codes ---------------------------------------------------------------------------------------------------


def normalise_code(value: object) -> str:
    """A 5-digit municipality code from what files hold: `13101`, `"13101"`, `1101` (lost zero), `"131016"`.

    A 6-digit code must carry the right check digit; anything else raises ValueError. Five digits are always read
    as a JIS code: a 6-digit code stored as a number that lost its leading zero (`11002` for 011002) cannot be told
    from one, so files that do this must be fixed at the source.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a code: {value!r}")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, str):
        text = nfkc(value).strip()
    else:
        raise ValueError(f"not a code: {value!r}")
    if not re.fullmatch(r"[0-9]{4,6}", text):
        raise ValueError(f"not a code: {value!r}")
    if len(text) == 6:
        if lg_check_digit(text[:5]) != text[5]:
            raise ValueError(f"wrong check digit: {value!r}")
        return text[:5]
    return text.zfill(5)


@dataclass(frozen=True)
class SourceName:
    """What an official file name says: `P04-20_13.geojson` → P04, edition 2020, prefecture 13."""

    dataset: str
    edition: str
    prefectures: tuple[str, ...]


_FILE_NAME = re.compile(
    r"^(?P<dataset>[A-Z][0-9]{2}[a-z]?)-(?:[0-9]{2}-)?(?P<edition>[0-9]{8}|[0-9]{2})(?P<rest>.*)$"
)


def source_name(path: str) -> SourceName | None:
    """Parse a KSJ file name (`A31a-20-24_13_sample.geojson`, `N03-20240101_13_14.geojson`); None if it is not one."""
    match = _FILE_NAME.match(PurePath(path).name)
    if match is None:
        return None
    raw = match["edition"]
    edition = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}" if len(raw) == 8 else f"20{raw}"
    prefectures = tuple(re.findall(r"_([0-9]{2})(?=[_.])", match["rest"]))
    return SourceName(dataset=match["dataset"], edition=edition, prefectures=prefectures)


# --- records -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointRecord:
    row: int
    kind: str
    name: str
    address: str
    lat: float
    lng: float
    code: str | None  # the municipality code in the data; None → point-in-polygon
    group_code: str = ""
    ridership: int | None = None
    ridership_year: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AreaRecord:
    row: int
    kind: str
    level: int
    label: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class BoundaryRecord:
    row: int
    code: str
    geometry: BaseGeometry


@dataclass
class ParsedFile:
    dataset: str
    rows_read: int = 0
    points: list[PointRecord] = field(default_factory=list)
    areas: list[AreaRecord] = field(default_factory=list)
    boundaries: list[BoundaryRecord] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def rows_imported(self) -> int:
        return len(self.points) + len(self.areas) + len(self.boundaries)


class _Feature:
    """One GeoJSON feature; file keys and the API's `_ja` variants (P04_002 / P04_002_ja) read alike."""

    def __init__(self, row: int, raw: Any) -> None:
        self.row = row
        if not isinstance(raw, dict) or not isinstance(raw.get("properties"), dict):
            raise _RowError(f"地物 {row}: properties がありません")
        self.props: dict[str, Any] = raw["properties"]
        self.raw_geometry = raw.get("geometry")

    def value(self, key: str) -> Any:
        props = self.props
        if key in props:
            return props[key]
        if (api_key := f"{key}_ja") in props:
            return props[api_key]
        raise _RowError(f"地物 {self.row}: キー {key} がありません")

    def text(self, key: str) -> str:
        value = self.value(key)
        return "" if value is None else str(value).strip()

    def integer(self, key: str) -> int:
        value = self.value(key)
        try:
            if isinstance(value, bool):
                raise ValueError
            return int(str(value).strip())
        except ValueError:
            raise _RowError(f"地物 {self.row}: {key} が整数ではありません（{value!r}）") from None

    def code(self, key: str) -> str | None:
        """The municipality code under `key`; None when blank (the point is then placed by point-in-polygon)."""
        value = self.value(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return normalise_code(value)
        except ValueError:
            raise _RowError(f"地物 {self.row}: {key} が市区町村コードではありません（{value!r}）") from None

    def geometry(self, *allowed: str) -> BaseGeometry:
        try:
            geometry = shape(self.raw_geometry)
        except (AttributeError, KeyError, TypeError, ValueError, IndexError, shapely.errors.ShapelyError):
            raise _RowError(f"地物 {self.row}: geometry が読めません") from None
        if geometry.geom_type not in allowed:
            raise _RowError(
                f"地物 {self.row}: geometry が {geometry.geom_type} です（{'・'.join(allowed)} のはず）"
            )
        if geometry.is_empty:
            raise _RowError(f"地物 {self.row}: geometry が空です")
        west, south, east, north = geometry.bounds
        if not (
            _LNG_RANGE[0] <= west <= east <= _LNG_RANGE[1]
            and _LAT_RANGE[0] <= south <= north <= _LAT_RANGE[1]
        ):
            raise _RowError(f"地物 {self.row}: 座標が日本の範囲外です（経度・緯度の順か確認してください）")
        if geometry.geom_type in ("Polygon", "MultiPolygon") and not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        return geometry

    def point(self) -> tuple[float, float]:
        """(lat, lng) of a point, or of the middle of a line (stations are platforms)."""
        raw = self.raw_geometry
        if isinstance(raw, dict) and raw.get("type") == "Point":
            # Read directly: building a shapely point per feature would halve the import speed.
            coordinates = raw.get("coordinates")
            if not (
                isinstance(coordinates, list | tuple)
                and len(coordinates) in (2, 3)
                and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)
            ):
                raise _RowError(f"地物 {self.row}: geometry が読めません")
            lng, lat = float(coordinates[0]), float(coordinates[1])
            if not (_LNG_RANGE[0] <= lng <= _LNG_RANGE[1] and _LAT_RANGE[0] <= lat <= _LAT_RANGE[1]):
                raise _RowError(
                    f"地物 {self.row}: 座標が日本の範囲外です（経度・緯度の順か確認してください）"
                )
            return round(lat, 7), round(lng, 7)
        geometry = self.geometry("Point", "LineString", "MultiLineString")
        if geometry.geom_type != "Point":
            geometry = shapely.line_interpolate_point(geometry, 0.5, normalized=True)
        return round(geometry.y, 7), round(geometry.x, 7)


def _checked(feature: _Feature, key: str, table: dict[int, str]) -> int:
    """The integer code under `key`, refused unless the code table has it."""
    value = feature.integer(key)
    if value not in table:
        raise _RowError(f"地物 {feature.row}: {key} の値 {value} は定義されていません")
    return value


# --- one reader per dataset ----------------------------------------------------------------------------------

_MEDICAL = {1: "hospital", 2: "clinic", 3: "dental_clinic"}
_SCHOOL = {
    16001: "elementary_school",
    16002: "junior_high_school",
    16003: "other_school",  # 中等教育学校
    16004: "high_school",
    16005: "other_school",
    16006: "other_school",
    16007: "other_school",
    16011: "kindergarten",
    16012: "other_school",
    16013: "other_school",  # 幼保連携型認定こども園 (counted with nurseries only when P14 lists it)
    16014: "other_school",  # 義務教育学校
    16015: "other_school",
    16016: "other_school",
}
_SCHOOL_CLOSED = 2
# P14 中分類 0501 = 保育所等 (the 保育園 side of 児童福祉施設等; see docs/data-sources §4.1, confidence M).
_P14_NURSERY = "0501"
_DISASTER_FLAGS = ("地震", "津波", "水害", "火山", "その他")
_GSI_FLAGS = (
    "flood_flag",
    "landslide_flag",
    "high_tide_flag",
    "earthquake_flag",
    "tsunami_flag",
    "large_fire_flag",
    "inland_flooding_flag",
    "volcanic_phenomenon_flag",
)
FLOOD_RANKS = {
    1: "0.5m未満",
    2: "0.5〜3m",
    3: "3〜5m",
    4: "5〜10m",
    5: "10〜20m",
    6: "20m以上",
}
_PHENOMENA = {1: "急傾斜地の崩壊", 2: "土石流", 3: "地滑り"}
LANDSLIDE_ZONES = {
    1: "土砂災害警戒区域",
    2: "土砂災害特別警戒区域",
    3: "土砂災害警戒区域（指定前）",
    4: "土砂災害特別警戒区域（指定前）",
}
_TSUNAMI_LOWER = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*m\s*以上")
_TSUNAMI_BELOW = re.compile(r"^[^以]*?([0-9]+(?:\.[0-9]+)?)\s*m\s*未満$")


def _medical(f: _Feature) -> PointRecord:
    lat, lng = f.point()
    subjects = " ".join(s for s in (f.text("P04_004"), f.text("P04_005"), f.text("P04_006")) if s)
    return PointRecord(
        row=f.row,
        kind=_MEDICAL[_checked(f, "P04_001", _MEDICAL)],
        name=f.text("P04_002"),
        address=f.text("P04_003"),
        lat=lat,
        lng=lng,
        code=None,
        details={"subjects": subjects, "beds": f.integer("P04_008")},
    )


def _school(f: _Feature) -> PointRecord:
    if f.integer("P29_007") == _SCHOOL_CLOSED:
        raise _Skip("休校中の学校")
    lat, lng = f.point()
    return PointRecord(
        row=f.row,
        kind=_SCHOOL[_checked(f, "P29_003", _SCHOOL)],
        name=f.text("P29_004"),
        address=f.text("P29_005"),
        lat=lat,
        lng=lng,
        code=f.code("P29_001"),
        details={"school_code": f.text("P29_002"), "class": f.integer("P29_003")},
    )


def _welfare(f: _Feature) -> PointRecord:
    lat, lng = f.point()
    middle = f.text("P14_006").zfill(4)
    return PointRecord(
        row=f.row,
        kind="nursery" if middle == _P14_NURSERY else "welfare",
        name=f.text("P14_008"),
        address=f.text("P14_004"),
        lat=lat,
        lng=lng,
        code=f.code("P14_003"),
        details={
            "class": f.text("P14_005").zfill(2),
            "middle_class": middle,
            "minor_class": f.text("P14_007"),
        },
    )


def _station(f: _Feature) -> PointRecord:
    lat, lng = f.point()
    return PointRecord(
        row=f.row,
        kind="station",
        name=f.text("N02_005"),
        address="",
        lat=lat,
        lng=lng,
        code=None,
        group_code=f.text("N02_005g"),
        details={
            "station_code": f.text("N02_005c"),
            "line": f.text("N02_003"),
            "operator": f.text("N02_004"),
        },
    )


def _ridership_year(props: dict[str, Any]) -> int:
    """The last fiscal year with a quartet S12_{b}..S12_{b+3}, b = 6 + 4·(year − 2011)."""
    year = 2011
    while f"S12_{6 + 4 * (year + 1 - 2011) + 3:03d}" in props:
        year += 1
    return year


def _passengers(f: _Feature) -> PointRecord:
    lat, lng = f.point()
    year = _ridership_year(f.props)
    base = 6 + 4 * (year - 2011)
    duplicate, available = f.integer(f"S12_{base:03d}"), f.integer(f"S12_{base + 1:03d}")
    count = f.integer(f"S12_{base + 3:03d}")
    # Counted on this row only when it is not counted on another line's row (1) and data exists (1).
    ridership = count if duplicate == 1 and available == 1 else None
    return PointRecord(
        row=f.row,
        kind="station",
        name=f.text("S12_001"),
        address="",
        lat=lat,
        lng=lng,
        code=None,
        group_code=f.text("S12_001g"),
        ridership=ridership,
        ridership_year=year,
        details={
            "station_code": f.text("S12_001c"),
            "line": f.text("S12_003"),
            "operator": f.text("S12_002"),
        },
    )


def _shelter(f: _Feature) -> PointRecord:
    lat, lng = f.point()
    capacity = f.integer("P20_005")
    flags = [name for i, name in enumerate(_DISASTER_FLAGS) if f.integer(f"P20_{7 + i:03d}") == 1]
    return PointRecord(
        row=f.row,
        kind="shelter",
        name=f.text("P20_002"),
        address=f.text("P20_003"),
        lat=lat,
        lng=lng,
        code=f.code("P20_001"),
        details={
            "type": f.text("P20_004"),
            "capacity": capacity if capacity >= 0 else None,
            "hazards": flags,
        },
    )


def _evacuation_site(f: _Feature) -> PointRecord:
    lat, lng = f.point()
    flags = [key.removesuffix("_flag") for key in _GSI_FLAGS if f.value(key) is True]
    return PointRecord(
        row=f.row,
        kind="shelter",
        name=f.text("facility_name"),
        address=f.text("address"),
        lat=lat,
        lng=lng,
        code=None,
        details={"common_id": f.text("common_id"), "hazards": flags, "remarks": f.text("remarks")},
    )


def _polygon(f: _Feature) -> BaseGeometry:
    return f.geometry("Polygon", "MultiPolygon")


def _flood(f: _Feature) -> AreaRecord:
    rank = _checked(f, "A31a_205", FLOOD_RANKS)  # 想定最大規模; A31a_201 is the river code, never a depth
    return AreaRecord(row=f.row, kind="flood", level=rank, label=FLOOD_RANKS[rank], geometry=_polygon(f))


def _landslide(f: _Feature) -> AreaRecord:
    if f.raw_geometry is not None and f.raw_geometry.get("type") in ("LineString", "MultiLineString"):
        raise _Skip("線の図形（面積がない）")
    phenomenon = _PHENOMENA[_checked(f, "A33_001", _PHENOMENA)]
    zone = _checked(f, "A33_002", LANDSLIDE_ZONES)
    return AreaRecord(
        row=f.row,
        kind="landslide",
        level=zone,
        label=f"{LANDSLIDE_ZONES[zone]}（{phenomenon}）",
        geometry=_polygon(f),
    )


def tsunami_depth_cm(band: str) -> int:
    """The lower bound of a free-text depth band in cm: `0.3m以上1m未満` → 30, `0.3m未満` → 0."""
    text = nfkc(band).replace("～", "").replace("~", "")
    if match := _TSUNAMI_LOWER.search(text):
        return round(float(match[1]) * 100)
    if _TSUNAMI_BELOW.match(text):
        return 0
    raise ValueError(f"not a depth band: {band!r}")


def _tsunami(f: _Feature) -> AreaRecord:
    band = f.text("A40_003")
    try:
        depth = tsunami_depth_cm(band)
    except ValueError:
        raise _RowError(f"地物 {f.row}: A40_003 の浸水深区分を読めません（{band!r}）") from None
    return AreaRecord(row=f.row, kind="tsunami", level=depth, label=band, geometry=_polygon(f))


def _boundary(f: _Feature) -> BoundaryRecord:
    code = f.code("N03_007")
    if code is None:
        raise _Skip("所属未定地（N03_007 なし）")
    return BoundaryRecord(row=f.row, code=code, geometry=_polygon(f))


READERS: dict[str, Callable[[_Feature], PointRecord | AreaRecord | BoundaryRecord]] = {
    "P04": _medical,
    "P29": _school,
    "P14": _welfare,
    "N02": _station,
    "S12": _passengers,
    "P20": _shelter,
    "XGT001": _evacuation_site,
    "A31a": _flood,
    "A33": _landslide,
    "A40": _tsunami,
    "N03": _boundary,
}


def parse(dataset: str, data: Any) -> ParsedFile:
    """Read every feature of a FeatureCollection; raise ImportFileError listing each malformed one."""
    reader = READERS[dataset]
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportFileError(["GeoJSON の FeatureCollection ではありません（features がありません）"])
    crs = str(((data.get("crs") or {}).get("properties") or {}).get("name", "CRS84"))
    if not crs.endswith(_CRS_ACCEPTED):
        raise ImportFileError(
            [f"座標参照系 {crs} には対応していません（JGD2011・JGD2000・WGS84 の経緯度のみ）"]
        )
    parsed = ParsedFile(dataset=dataset)
    problems: list[str] = []
    for row, raw in enumerate(data["features"], start=1):
        parsed.rows_read += 1
        try:
            record = reader(_Feature(row, raw))
        except _RowError as exc:
            problems.append(str(exc))
            continue
        except _Skip as exc:
            parsed.skipped[str(exc)] += 1
            continue
        if isinstance(record, PointRecord):
            parsed.points.append(record)
        elif isinstance(record, AreaRecord):
            parsed.areas.append(record)
        else:
            parsed.boundaries.append(record)
    if problems:
        raise ImportFileError(problems)
    return parsed


# --- geometry ------------------------------------------------------------------------------------------------


class MunicipalityLocator:
    """Point-in-polygon over municipality polygons with an STRtree, for many points at once.

    A point inside two polygons (an enclave listed with the unit around it) goes to the smaller one.
    """

    def __init__(self, parts: Sequence[tuple[str, BaseGeometry]]) -> None:
        self._codes = np.array([code for code, _geometry in parts], dtype=object)
        geometries = np.array([geometry for _code, geometry in parts], dtype=object)
        self._areas = shapely.area(geometries)
        self._tree = shapely.STRtree(geometries)

    def locate(self, lats: Sequence[float], lngs: Sequence[float]) -> list[str | None]:
        points = shapely.points(np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float))
        point_index, part_index = self._tree.query(points, predicate="within")
        found: list[str | None] = [None] * len(points)
        order = np.lexsort((self._areas[part_index], point_index))
        seen = np.zeros(len(points), dtype=bool)
        for p, g in zip(point_index[order], part_index[order], strict=True):
            if not seen[p]:
                seen[p] = True
                found[p] = self._codes[g]
        return found


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """Area on the GRS80 ellipsoid in km²."""
    area_m2, _perimeter = _GEOD.geometry_area_perimeter(geometry)
    return abs(area_m2) / 1_000_000


def area_share_percent(territory: BaseGeometry, zones: Sequence[BaseGeometry]) -> float:
    """The share (%) of a territory's geodesic area inside the union of zones (overlaps counted once)."""
    total = geodesic_area_km2(territory)
    if not zones or total == 0:
        return 0.0
    covered = shapely.intersection(territory, shapely.union_all(list(zones)))
    return round(100 * geodesic_area_km2(covered) / total, 2)


def union_by_id(features: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join tile responses: one feature per `_id`, pieces clipped at tile edges merged into one geometry."""
    merged: dict[str, dict[str, Any]] = {}
    pieces: dict[str, list[BaseGeometry]] = {}
    for feature in features:
        key = str(feature.get("properties", {}).get("_id", ""))
        if not key:
            raise ImportFileError(["タイルの地物に _id がありません"])
        merged.setdefault(key, feature)
        try:
            pieces.setdefault(key, []).append(shape(feature["geometry"]))
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError):
            raise ImportFileError([f"地物 _id={key}: geometry が読めません"]) from None
    joined = []
    for key, feature in merged.items():
        parts = pieces[key]
        geometry = parts[0] if len(parts) == 1 else shapely.union_all(parts)
        joined.append({**feature, "geometry": mapping(geometry)})
    return joined
