"""Reads for the regions app: prefectures, municipalities, point and postal-code lookups."""

import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry.base import BaseGeometry

from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.core.geo import EARTH_RADIUS_KM, great_circle_km
from nikyoten.core.text import digits_only, nfkc
from nikyoten.regions import ksj, postal, reference_data
from nikyoten.regions.choices import Dataset, HazardKind, RegionFactKey
from nikyoten.regions.models import (
    DatasetImport,
    Facility,
    HazardArea,
    Municipality,
    MunicipalityBoundary,
    Prefecture,
    RegionFact,
)


def prefecture_list() -> QuerySet[Prefecture]:
    """All 47 prefectures with the number of their municipalities."""
    return Prefecture.objects.annotate(
        municipality_count=Count(
            "municipalities",
            filter=Q(municipalities__valid_to__isnull=True) & ~Q(municipalities__kind="ward"),
        )
    ).order_by("code")


def prefecture_get(*, code: str) -> Prefecture:
    code = digits_only(code).zfill(2)
    try:
        return Prefecture.objects.get(code=code)
    except Prefecture.DoesNotExist as exc:
        raise NotFound(_("都道府県が見つかりません。")) from exc


def municipality_list(
    *,
    prefecture: str | None = None,
    kind: str | None = None,
    query: str | None = None,
    parent: str | None = None,
) -> QuerySet[Municipality]:
    """Municipalities in force (wards only when asked for by kind or parent), ordered by code."""
    municipalities = Municipality.objects.select_related("prefecture", "parent")
    wards_asked = kind == "ward" or parent
    municipalities = municipalities.wards() if wards_asked else municipalities.municipalities()
    if prefecture:
        municipalities = municipalities.filter(prefecture_id=digits_only(prefecture).zfill(2))
    if kind:
        municipalities = municipalities.filter(kind=kind)
    if parent:
        municipalities = municipalities.filter(parent_id=parent)
    if query:
        municipalities = municipalities.search(query)
    return municipalities.order_by("code")


def municipality_get(*, code: str) -> Municipality:
    """By 5-digit JIS code or 6-digit local-government code (its check digit must be right)."""
    code = digits_only(code)
    lookup: dict[str, str]
    if re.fullmatch(r"\d{5}", code):
        lookup = {"code": code}
    elif re.fullmatch(r"\d{6}", code):
        lookup = {"lg_code": code}
    else:
        raise NotFound(_("市区町村が見つかりません。"))
    try:
        return (
            Municipality.objects.select_related("prefecture", "parent", "boundary__dataset_import")
            .prefetch_related("aliases", "wards")
            .get(**lookup)
        )
    except Municipality.DoesNotExist as exc:
        raise NotFound(_("市区町村が見つかりません。")) from exc


def municipality_resolve(*, text: str) -> Municipality:
    """A municipality (or ward) from what a person types: a code, a name, or prefecture + name (東京都府中市)."""
    text = nfkc(text).strip().replace(" ", "").replace("\u3000", "")
    if re.fullmatch(r"\d{5,6}", text):
        return municipality_get(code=text)
    candidates = [
        m
        for m in Municipality.objects.current()
        .select_related("prefecture")
        .filter(name__in=_name_forms(text))
        if text in (m.name, f"{m.prefecture.name}{m.name}", f"{m.prefecture.name}{m.gun}{m.name}")
    ]
    if not candidates:
        raise ApplicationError(_("「%(text)s」という市区町村は見つかりません。") % {"text": text})
    if len(candidates) > 1:
        names = "、".join(m.full_name for m in candidates)
        raise ApplicationError(
            _("「%(text)s」は複数あります（%(names)s）。都道府県名から入力してください。")
            % {"text": text, "names": names}
        )
    return candidates[0]


def _name_forms(text: str) -> list[str]:
    """The municipality names a typed text could end with (with or without the prefecture and 郡)."""
    forms = {text}
    for prefecture in Prefecture.objects.values_list("name", flat=True):
        if text.startswith(prefecture):
            rest = text[len(prefecture) :]
            forms.add(rest)
            if "郡" in rest:
                forms.add(rest.split("郡", 1)[1])
    return sorted(forms)


@dataclass(frozen=True)
class Location:
    municipality: Municipality
    ward: Municipality | None


def municipality_locate(*, lat: float, lng: float) -> Location:
    """The municipality (and, where the boundary data has it, the ward) containing a point."""
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ApplicationError(
            _("緯度は -90〜90、経度は -180〜180 の範囲で指定してください。"), fields={"lat": [], "lng": []}
        )
    codes = reference_data.locate_candidates(lat, lng)
    candidates = list(
        Municipality.objects.current().select_related("prefecture", "parent").filter(code__in=codes)
    )
    if not candidates:
        raise NotFound(_("この地点を含む市区町村は見つかりません（国内の陸地を指定してください）。"))
    # An enclave comes with the unit around it: the smallest area is the one that really contains the point.
    found = min(candidates, key=lambda m: m.area_km2 or float("inf"))
    if found.parent is not None:
        return Location(municipality=found.parent, ward=found)
    return Location(municipality=found, ward=None)


@dataclass(frozen=True)
class PostalAddress:
    postal_code: str
    municipality: Municipality
    prefecture_name: str
    city_name: str
    town: str
    town_kana: str


def postal_code_get(*, code: str) -> list[PostalAddress]:
    """Addresses for a 7-digit postal code (`100-0001`, `１０００００１` and `〒100-0001` accepted)."""
    normalised = digits_only(code)
    if not re.fullmatch(r"\d{7}", normalised):
        raise ApplicationError(
            _("郵便番号は7桁の数字で入力してください（例: 100-0001）。"),
            fields={"code": [_("7桁の数字ではありません。")]},
        )
    entries = postal.lookup(normalised)
    if not entries:
        raise NotFound(_("この郵便番号は見つかりません。"))
    municipalities = Municipality.objects.select_related("prefecture", "parent").in_bulk(
        {e.code for e in entries}
    )
    addresses = [
        PostalAddress(
            postal_code=normalised,
            municipality=municipalities[e.code],
            prefecture_name=municipalities[e.code].prefecture.name,
            city_name=municipalities[e.code].name,
            town=e.town,
            town_kana=e.town_kana,
        )
        for e in entries
        if e.code in municipalities
    ]
    if not addresses:
        raise NotFound(_("この郵便番号は見つかりません。"))
    return addresses


# --- territories -------------------------------------------------------------------------------------------


@functools.cache
def _jma_parts() -> tuple[tuple[str, BaseGeometry], ...]:
    """The JMA polygons are read once per process (they change only with the reversejp pin)."""
    return tuple(reference_data.jma_parts())


def municipality_parts() -> list[tuple[str, BaseGeometry]]:
    """(code, polygon) pieces of the 1,741 municipalities: N03 boundaries where imported, JMA polygons elsewhere."""
    parents = dict(Municipality.objects.filter(parent__isnull=False).values_list("code", "parent_id"))
    parts: list[tuple[str, BaseGeometry]] = [
        (code, shapely.from_wkb(bytes(wkb)))
        for code, wkb in MunicipalityBoundary.objects.filter(municipality__parent__isnull=True).values_list(
            "municipality_id", "geometry"
        )
    ]
    from_n03 = {code for code, _geometry in parts}
    n03_tree = shapely.STRtree([geometry for _code, geometry in parts])
    for code, geometry in _jma_parts():
        top = parents.get(code, code)
        if top in from_n03:
            continue
        # Where an N03 boundary and a neighbour's JMA polygon overlap, the N03 boundary holds the land.
        overlapping = n03_tree.query(geometry, predicate="intersects")
        if len(overlapping):
            geometry = _valid(geometry).difference(shapely.union_all([parts[i][1] for i in overlapping]))
        if not geometry.is_empty:
            parts.append((top, geometry))
    return parts


def municipality_locator() -> ksj.MunicipalityLocator:
    return ksj.MunicipalityLocator(municipality_parts())


def municipality_territories(*, codes: Iterable[str]) -> dict[str, BaseGeometry]:
    """The territory of each municipality asked for (its pieces joined)."""
    wanted = set(codes)
    pieces: dict[str, list[BaseGeometry]] = defaultdict(list)
    for code, geometry in municipality_parts():
        if code in wanted:
            pieces[code].append(geometry)
    return {code: shapely.union_all([_valid(part) for part in parts]) for code, parts in pieces.items()}


def _valid(geometry: BaseGeometry) -> BaseGeometry:
    """Repair an invalid polygon before an overlay ("structure": polygons stay polygons)."""
    return geometry if geometry.is_valid else shapely.make_valid(geometry, method="structure")


# --- living environment ------------------------------------------------------------------------------------


def latest_imports(*, codes: Iterable[str], datasets: Iterable[str]) -> dict[tuple[str, str], list[int]]:
    """(municipality, dataset) → ids of the imports of the newest edition that cover it (several files may)."""
    coverage = DatasetImport.coverage.through.objects.filter(
        municipality_id__in=list(codes), datasetimport__dataset__in=list(datasets)
    ).values_list("municipality_id", "datasetimport__dataset", "datasetimport__edition", "datasetimport_id")
    newest: dict[tuple[str, str], tuple[str, list[int]]] = {}
    for code, dataset, edition, import_id in coverage:
        current = newest.get((code, dataset))
        if current is None or edition > current[0]:
            newest[(code, dataset)] = (edition, [import_id])
        elif edition == current[0]:
            current[1].append(import_id)
    return {key: sorted(ids) for key, (_edition, ids) in newest.items()}


@dataclass(frozen=True)
class FactGroup:
    title: str | Promise
    note: str | Promise
    keys: tuple[RegionFactKey, ...]


ENVIRONMENT_GROUPS = (
    FactGroup(
        gettext_lazy("人口・世帯"),
        "",
        (
            RegionFactKey.POPULATION,
            RegionFactKey.CHILDREN_0_5,
            RegionFactKey.POPULATION_0_14,
            RegionFactKey.POPULATION_15_64,
            RegionFactKey.POPULATION_65_OVER,
            RegionFactKey.HOUSEHOLDS,
        ),
    ),
    FactGroup(
        gettext_lazy("医療"),
        gettext_lazy("歯科診療所は含みません。"),
        (RegionFactKey.HOSPITALS, RegionFactKey.CLINICS, RegionFactKey.MEDICAL_PER_10K),
    ),
    FactGroup(
        gettext_lazy("子育て・教育"),
        "",
        (
            RegionFactKey.NURSERIES,
            RegionFactKey.NURSERIES_PER_1K_CHILDREN,
            RegionFactKey.ELEMENTARY_SCHOOLS,
            RegionFactKey.JUNIOR_HIGH_SCHOOLS,
        ),
    ),
    FactGroup(
        gettext_lazy("交通"),
        gettext_lazy("乗降客数は事業者ごとの集計で、事業者間では厳密に比べられません。"),
        (RegionFactKey.STATIONS, RegionFactKey.STATION_DAILY_RIDERSHIP),
    ),
    FactGroup(
        gettext_lazy("防災"),
        gettext_lazy(
            "面積割合は公表された区域と区域全体の面積（可住地面積ではありません）から計算した概算です。"
            "区域が公表されていない河川などは含まれません。"
        ),
        (
            RegionFactKey.SHELTERS,
            RegionFactKey.FLOOD_AREA_SHARE,
            RegionFactKey.LANDSLIDE_AREA_SHARE,
            RegionFactKey.TSUNAMI_AREA_SHARE,
        ),
    ),
)

FACT_UNITS = {
    RegionFactKey.POPULATION: gettext_lazy("人"),
    RegionFactKey.CHILDREN_0_5: gettext_lazy("人"),
    RegionFactKey.POPULATION_0_14: gettext_lazy("人"),
    RegionFactKey.POPULATION_15_64: gettext_lazy("人"),
    RegionFactKey.POPULATION_65_OVER: gettext_lazy("人"),
    RegionFactKey.HOUSEHOLDS: gettext_lazy("世帯"),
    RegionFactKey.STATION_DAILY_RIDERSHIP: gettext_lazy("人/日"),
    RegionFactKey.FLOOD_AREA_SHARE: "%",
    RegionFactKey.LANDSLIDE_AREA_SHARE: "%",
    RegionFactKey.TSUNAMI_AREA_SHARE: "%",
}


@dataclass(frozen=True)
class EnvironmentFact:
    key: str
    label: str
    value: float | None  # None: nothing imported covers this municipality (shown as データなし)
    unit: str
    reference_year: int | None
    sources: list[DatasetImport]


@dataclass(frozen=True)
class EnvironmentSection:
    title: str
    note: str
    facts: list[EnvironmentFact]


def municipality_environment(*, code: str) -> tuple[Municipality, list[EnvironmentSection]]:
    """Every living-environment fact of a municipality with its sources, in display order; missing ones as None."""
    municipality = municipality_get(code=code)
    facts = {
        fact.key: fact
        for fact in RegionFact.objects.filter(municipality=municipality).prefetch_related("sources")
    }
    sections = []
    for group in ENVIRONMENT_GROUPS:
        rows = []
        for key in group.keys:
            fact = facts.get(key)
            rows.append(
                EnvironmentFact(
                    key=key.value,
                    label=str(key.label),
                    value=fact.value if fact else None,
                    unit=str(FACT_UNITS.get(key, _("件"))),
                    reference_year=fact.reference_year if fact else None,
                    sources=list(fact.sources.all()) if fact else [],
                )
            )
        sections.append(EnvironmentSection(title=str(group.title), note=str(group.note), facts=rows))
    return municipality, sections


@dataclass(frozen=True)
class Nearest:
    facility: Facility
    distance_m: int


def facility_nearest(*, kind: str, lat: float, lng: float, max_km: float = 100.0) -> Nearest | None:
    """The imported facility of a kind nearest to a point (great-circle distance), or None within max_km.

    Searches boxes that grow fourfold; a candidate counts only once the box is known to hold every point that
    could be nearer, so the answer is exact, not the nearest in the first box.
    """
    radius_km = 2.0
    while True:
        d_lat = math.degrees(radius_km / EARTH_RADIUS_KM)
        d_lng = d_lat / max(math.cos(math.radians(min(abs(lat) + d_lat, 89.0))), 1e-6)
        candidates = Facility.objects.filter(
            kind=kind, lat__range=(lat - d_lat, lat + d_lat), lng__range=(lng - d_lng, lng + d_lng)
        ).select_related("dataset_import", "municipality")
        best = min(
            ((great_circle_km(lat, lng, f.lat, f.lng), f) for f in candidates),
            key=lambda pair: pair[0],
            default=None,
        )
        if best is not None and best[0] <= radius_km:
            return Nearest(facility=best[1], distance_m=round(best[0] * 1000))
        if radius_km >= max_km:
            return None
        radius_km = min(radius_km * 4, max_km)


HAZARD_DATASETS = {
    HazardKind.FLOOD: Dataset.A31A,
    HazardKind.LANDSLIDE: Dataset.A33,
    HazardKind.TSUNAMI: Dataset.A40,
}


@dataclass(frozen=True)
class HazardReading:
    """What the imported zones say at a point: `covered` False means no data (not "no hazard").

    `source` is the import of the zone found or, outside every zone, the import that says so.
    """

    kind: str
    covered: bool
    level: int | None
    label: str
    source: DatasetImport | None


def _severity(kind: str, level: int) -> tuple[int, int]:
    if kind == HazardKind.LANDSLIDE:
        return (1 if level in (2, 4) else 0, level)  # 特別警戒 (2, 4) before 警戒 (1, 3)
    return (level, 0)


def hazard_at(*, lat: float, lng: float) -> dict[str, HazardReading]:
    """Flood depth rank, landslide zone and tsunami depth at a point, from the newest edition of each dataset."""
    try:
        location = municipality_locate(lat=lat, lng=lng)
        covering = latest_imports(codes=[location.municipality.code], datasets=HAZARD_DATASETS.values())
    except NotFound:
        covering = {}
    imports = DatasetImport.objects.in_bulk([ids[0] for ids in covering.values()])
    covered = {dataset: imports[ids[0]] for (_code, dataset), ids in covering.items()}
    areas = list(
        HazardArea.objects.filter(min_lat__lte=lat, max_lat__gte=lat, min_lng__lte=lng, max_lng__gte=lng)
        .select_related("dataset_import")
        .order_by("kind", "-dataset_import__edition")
    )
    readings = {}
    for kind, dataset in HAZARD_DATASETS.items():
        of_kind = [a for a in areas if a.kind == kind]
        newest = of_kind[0].dataset_import.edition if of_kind else None
        inside = [
            a
            for a in of_kind
            if a.dataset_import.edition == newest
            and shapely.contains_xy(shapely.from_wkb(bytes(a.geometry)), lng, lat)
        ]
        worst = max(inside, key=lambda a: _severity(kind, a.level), default=None)
        readings[kind.value] = HazardReading(
            kind=kind.value,
            covered=dataset in covered or worst is not None,
            level=worst.level if worst else None,
            label=worst.label if worst else "",
            source=worst.dataset_import if worst else covered.get(dataset),
        )
    return readings
