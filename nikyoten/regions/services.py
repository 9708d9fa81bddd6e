"""Writers for the regions app: the municipality master and the official data are written here and nowhere else."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import shapely
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nikyoten.core.text import search_key
from nikyoten.regions import estat, ksj, reference_data, reinfolib, selectors
from nikyoten.regions.choices import Dataset, FacilityKind, HazardKind, RegionFactKey
from nikyoten.regions.models import (
    DatasetImport,
    Facility,
    HazardArea,
    Municipality,
    MunicipalityAlias,
    MunicipalityBoundary,
    Prefecture,
    ReferenceDataLoad,
    RegionFact,
)

_BOUNDARY_FIELDS = ("area_km2", "inside_lat", "inside_lng")
_PREFECTURE_FIELDS = ["lg_code", "name", "short_name", "kana", "name_en", "iso_code", "region_block"]


@dataclass(frozen=True)
class LoadSummary:
    prefectures: int
    municipalities: int
    wards: int
    aliases: int
    created: int
    updated: int
    unchanged: int


def _municipality_values(record: reference_data.MunicipalityRecord) -> dict[str, object]:
    aliases = " ".join(name for name, _kind, _until in record.aliases)
    keys = {
        search_key(text)
        for text in (
            record.name,
            record.kana,
            record.romaji,
            record.name_en,
            aliases,
            record.gun + record.name,
        )
    }
    return {
        "lg_code": record.lg_code,
        "name": record.name,
        "kana": record.kana,
        "romaji": record.romaji,
        "name_en": record.name_en,
        "kind": record.kind,
        "prefecture_id": record.prefecture_code,
        "parent_id": record.parent_code,
        "gun": record.gun,
        "office_lat": record.office_lat,
        "office_lng": record.office_lng,
        "office_outside_territory": record.office_outside_territory,
        "inside_lat": record.inside_lat,
        "inside_lng": record.inside_lng,
        "area_km2": record.area_km2,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
        "search_text": "|".join(sorted(keys)),
    }


@transaction.atomic
def reference_data_load(*, data: reference_data.ReferenceData) -> LoadSummary:
    """Write a validated master: insert what is new, update what changed, leave the rest (idempotent)."""
    created = updated = unchanged = 0

    existing_prefectures = {p.code: p for p in Prefecture.objects.all()}
    for pref_record in data.prefectures:
        pref_values = {k: v for k, v in asdict(pref_record).items() if k in _PREFECTURE_FIELDS}
        prefecture = existing_prefectures.get(pref_record.code)
        if prefecture is None:
            prefecture = Prefecture(code=pref_record.code, **pref_values)
            prefecture.full_clean()
            prefecture.save()
            created += 1
        elif any(getattr(prefecture, k) != v for k, v in pref_values.items()):
            for k, v in pref_values.items():
                setattr(prefecture, k, v)
            prefecture.full_clean()
            prefecture.save()
            updated += 1
        else:
            unchanged += 1

    existing = {m.code: m for m in Municipality.objects.all()}
    # An imported N03 boundary, not the JMA polygon, gives these municipalities their area and inside point.
    with_boundary = set(MunicipalityBoundary.objects.values_list("municipality_id", flat=True))
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    # Parents (政令市) sort before their wards, so a ward's parent row always exists when it is checked.
    for record in sorted(data.municipalities, key=lambda r: (r.parent_code is not None, r.code)):
        values = _municipality_values(record)
        if record.code in with_boundary:
            for name in _BOUNDARY_FIELDS:
                del values[name]
        current = existing.get(record.code)
        if current is None:
            to_create.append(Municipality(code=record.code, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
        else:
            unchanged += 1
    Municipality.objects.bulk_create([m for m in to_create if m.parent_id is None])
    Municipality.objects.bulk_create([m for m in to_create if m.parent_id is not None])
    Municipality.objects.bulk_update(
        to_update, list(_municipality_values(data.municipalities[0])), batch_size=500
    )
    created += len(to_create)
    updated += len(to_update)

    wanted = {
        (code, name): (kind, until)
        for code, name, kind, until in reference_data.iter_aliases(data.municipalities)
    }
    have = {(a.municipality_id, a.name): a for a in MunicipalityAlias.objects.all()}
    MunicipalityAlias.objects.filter(pk__in=[a.pk for key, a in have.items() if key not in wanted]).delete()
    MunicipalityAlias.objects.bulk_create(
        [
            MunicipalityAlias(municipality_id=code, name=name, kind=kind, valid_to=until)
            for (code, name), (kind, until) in wanted.items()
            if (code, name) not in have
        ]
    )
    changed_aliases = []
    for key, (kind, until) in wanted.items():
        alias = have.get(key)
        if alias is not None and (alias.kind, alias.valid_to) != (kind, until):
            alias.kind, alias.valid_to = kind, until
            changed_aliases.append(alias)
    MunicipalityAlias.objects.bulk_update(changed_aliases, ["kind", "valid_to"])

    ReferenceDataLoad.objects.create(
        sources=data.sources, created=created, updated=updated, unchanged=unchanged
    )
    return LoadSummary(
        prefectures=Prefecture.objects.count(),
        municipalities=Municipality.objects.municipalities().count(),
        wards=Municipality.objects.wards().count(),
        aliases=MunicipalityAlias.objects.count(),
        created=created,
        updated=updated,
        unchanged=unchanged,
    )


# --- official data ---------------------------------------------------------------------------------------------

Progress = Callable[[str], None]


@dataclass
class ImportReport:
    dataset: str
    edition: str
    source_name: str
    rows_read: int
    rows_imported: int
    skipped: dict[str, int]
    coverage: int
    recomputed: int
    dry_run: bool
    replaced: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            _("%(dataset)s（%(edition)s、%(source)s）: %(read)s 行を読み、%(imported)s 行を取り込みました。")
            % {
                "dataset": Dataset(self.dataset).label,
                "edition": self.edition,
                "source": self.source_name,
                "read": f"{self.rows_read:,}",
                "imported": f"{self.rows_imported:,}",
            }
        ]
        lines.extend(
            _("対象外 %(count)s 行: %(reason)s") % {"count": f"{n:,}", "reason": reason}
            for reason, n in sorted(self.skipped.items())
        )
        lines.append(
            _("対象の市区町村 %(coverage)s、指標を再計算した市区町村 %(recomputed)s。")
            % {"coverage": f"{self.coverage:,}", "recomputed": f"{self.recomputed:,}"}
        )
        if self.replaced:
            lines.append(_("同じ版の前回の取り込みを置き換えました。"))
        lines.extend(self.notes)
        if self.dry_run:
            lines.append(_("試行（--dry-run）のため、何も変更していません。"))
        return "\n".join(lines)


def _import_row(
    *,
    dataset: str,
    edition: str,
    source_name: str,
    rows_read: int,
    rows_imported: int,
    skipped: dict[str, int],
) -> tuple[DatasetImport, set[str]]:
    """Create the import, or clear the one of the same dataset, edition and source (re-import replaces it).

    Returns it with the codes the previous run covered, whose facts must be recomputed too.
    """
    previous = DatasetImport.objects.filter(dataset=dataset, edition=edition, source_name=source_name).first()
    if previous is None:
        row = DatasetImport(
            dataset=dataset, edition=edition, source_name=source_name, rows_read=0, rows_imported=0
        )
        before: set[str] = set()
    else:
        row = previous
        before = set(row.coverage.values_list("code", flat=True))
        row.facilities.all().delete()
        row.hazard_areas.all().delete()
        row.boundaries.all().delete()
    row.rows_read, row.rows_imported, row.rows_skipped = rows_read, rows_imported, skipped
    row.imported_at = timezone.now()
    row.full_clean()
    row.save()
    return row, before


def _municipality_index() -> dict[str, str]:
    """Every current code (wards included) → the code of its municipality (a ward's 政令市, else itself)."""
    return {
        code: parent or code
        for code, parent in Municipality.objects.current().values_list("code", "parent_id")
    }


def _coverage_for(prefectures: Iterable[str]) -> set[str]:
    return set(
        Municipality.objects.municipalities()
        .filter(prefecture_id__in=list(prefectures))
        .values_list("code", flat=True)
    )


@transaction.atomic
def ksj_import(
    *,
    parsed: ksj.ParsedFile,
    edition: str,
    source_name: str,
    prefectures: Sequence[str] = (),
    coverage: Iterable[str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write a parsed KSJ file (or API fetch) all or nothing, then recompute the facts it affects.

    Points take their municipality from the code in the data (a ward counts for its 政令市) or, without one, by
    point-in-polygon; an unknown code refuses the whole file. `coverage` (the municipalities the source covers
    completely) defaults to the prefectures of the file name, else to where the features fell.
    """
    step = progress or (lambda _label: None)
    index = _municipality_index()
    skipped = Counter(parsed.skipped)
    problems = [
        f"地物 {p.row}（{p.name}）: 市区町村コード {p.code} は存在しません"
        for p in parsed.points
        if p.code is not None and p.code not in index
    ]
    problems += [
        f"地物 {b.row}: N03_007 {b.code} は存在しません" for b in parsed.boundaries if b.code not in index
    ]
    if problems:
        raise ksj.ImportFileError(problems)

    to_locate = [p for p in parsed.points if p.code is None]
    where: dict[int, str | None] = {}
    if to_locate:
        located = selectors.municipality_locator().locate(
            [p.lat for p in to_locate], [p.lng for p in to_locate]
        )
        where = {id(p): code for p, code in zip(to_locate, located, strict=True)}
    step("locate")

    facilities: list[tuple[str, ksj.PointRecord]] = []
    outside: list[int] = []
    for point in parsed.points:
        code = index[point.code] if point.code is not None else where[id(point)]
        if code is None:
            outside.append(point.row)
        else:
            facilities.append((code, point))
    notes = []
    if outside:
        # A point just off the coast of a coarse polygon is reported, not guessed into a municipality.
        skipped["どの市区町村の区域にも入らない点"] += len(outside)
        shown = "、".join(str(row) for row in outside[:20])
        notes.append(
            _("区域外の点の地物番号: %(rows)s") % {"rows": shown + ("…" if len(outside) > 20 else "")}
        )

    row, before = _import_row(
        dataset=parsed.dataset,
        edition=edition,
        source_name=source_name,
        rows_read=parsed.rows_read,
        rows_imported=len(facilities) + len(parsed.areas) + len(parsed.boundaries),
        skipped=dict(skipped),
    )
    _facilities_insert(row, facilities)
    HazardArea.objects.bulk_create(
        [
            HazardArea(
                dataset_import=row,
                kind=area.kind,
                level=area.level,
                label=area.label[:60],
                geometry=shapely.to_wkb(area.geometry),
                min_lng=area.geometry.bounds[0],
                min_lat=area.geometry.bounds[1],
                max_lng=area.geometry.bounds[2],
                max_lat=area.geometry.bounds[3],
            )
            for area in parsed.areas
        ],
        batch_size=500,
    )
    if parsed.boundaries:
        notes += _boundaries_write(row, parsed.boundaries, index)
    step("write")

    if coverage is not None:
        covered = set(coverage)
    elif parsed.boundaries:
        covered = {index[b.code] for b in parsed.boundaries}
    elif prefectures:
        covered = _coverage_for(prefectures)
    elif parsed.points:
        covered = _coverage_for({code[:2] for code, _point in facilities})
    else:
        territories = selectors.municipality_parts()
        tree = shapely.STRtree([geometry for _code, geometry in territories])
        hits = tree.query([area.geometry for area in parsed.areas], predicate="intersects")[1]
        covered = _coverage_for({territories[i][0][:2] for i in set(hits.tolist())})
    row.coverage.set(Municipality.objects.filter(code__in=covered))
    recomputed = environment_recompute(codes=covered | before)
    step("recompute")

    report = ImportReport(
        dataset=parsed.dataset,
        edition=edition,
        source_name=source_name,
        rows_read=row.rows_read,
        rows_imported=row.rows_imported,
        skipped=row.rows_skipped,
        coverage=len(covered),
        recomputed=recomputed,
        dry_run=dry_run,
        replaced=bool(before),
        notes=notes,
    )
    if dry_run:
        transaction.set_rollback(True)
    return report


_FACILITY_COLUMNS = (
    "dataset_import_id",
    "municipality_id",
    "kind",
    "name",
    "address",
    "lat",
    "lng",
    "group_code",
    "ridership",
    "ridership_year",
    "details",
)


def _facilities_insert(row: DatasetImport, facilities: list[tuple[str, ksj.PointRecord]]) -> None:
    """Insert the points with one `executemany`.

    `bulk_create` prepares every field of every row through the ORM and SQLite's 999-parameter limit splits
    20,000 rows into 200 statements: the insert alone then runs below the 10,000 features/s target. The values
    here are plain (validated by the reader); the JSON column is adapted as JSONField adapts it per backend.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in _FACILITY_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_FACILITY_COLUMNS))
    sql = f"INSERT INTO {quote(Facility._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - quoted identifiers; values are parameters
    values = [
        (
            row.pk,
            code,
            p.kind,
            p.name[:200],
            p.address[:300],
            p.lat,
            p.lng,
            p.group_code,
            p.ridership,
            p.ridership_year,
            connection.ops.adapt_json_value(p.details, None),
        )
        for code, p in facilities
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _boundaries_write(
    row: DatasetImport, records: list[ksj.BoundaryRecord], index: dict[str, str]
) -> list[str]:
    """Store N03 territories (a ward's pieces also make up its 政令市) and take area and inside point from them."""
    pieces: dict[str, list[object]] = defaultdict(list)
    for record in records:
        pieces[record.code].append(record.geometry)
        if index[record.code] != record.code:
            pieces[index[record.code]].append(record.geometry)
    territories = {code: shapely.union_all(parts) for code, parts in pieces.items()}
    MunicipalityBoundary.objects.filter(municipality_id__in=list(territories)).delete()
    MunicipalityBoundary.objects.bulk_create(
        [
            MunicipalityBoundary(municipality_id=code, dataset_import=row, geometry=shapely.to_wkb(territory))
            for code, territory in territories.items()
        ]
    )
    municipalities = list(Municipality.objects.filter(code__in=list(territories)))
    for municipality in municipalities:
        territory = territories[municipality.code]
        point = territory.representative_point()
        municipality.area_km2 = round(ksj.geodesic_area_km2(territory), 2)
        municipality.inside_lat, municipality.inside_lng = round(point.y, 6), round(point.x, 6)
    Municipality.objects.bulk_update(municipalities, ["area_km2", "inside_lat", "inside_lng"])
    return [_("境界 %(count)s 件で面積と域内の点を更新しました。") % {"count": len(municipalities)}]


CENSUS_KEYS = (
    RegionFactKey.POPULATION,
    RegionFactKey.CHILDREN_0_5,
    RegionFactKey.POPULATION_0_14,
    RegionFactKey.POPULATION_15_64,
    RegionFactKey.POPULATION_65_OVER,
    RegionFactKey.HOUSEHOLDS,
)


@transaction.atomic
def census_import(
    *, census: estat.CensusFile, edition: str, source_name: str, dry_run: bool = False
) -> ImportReport:
    """Store census values per municipality (or ward) as facts; an unknown area code refuses the whole file.

    The last census table imported for a municipality is the one its facts show.
    """
    index = _municipality_index()
    unknown = [
        f"{census.lines[code]} 行目: 地域 コード {code} は存在しません"
        for code in census.values
        if code not in index
    ]
    if unknown:
        raise ksj.ImportFileError(unknown)
    row, before = _import_row(
        dataset=Dataset.CENSUS,
        edition=edition,
        source_name=source_name,
        rows_read=census.rows_read,
        rows_imported=census.rows_imported,
        skipped=dict(census.skipped),
    )
    codes = set(census.values)
    RegionFact.objects.filter(
        municipality_id__in=codes, key__in=[k for c in codes for k in census.values[c]]
    ).delete()
    facts = RegionFact.objects.bulk_create(
        [
            RegionFact(municipality_id=code, key=key, value=value, reference_year=int(edition[:4]))
            for code, values in census.values.items()
            for key, value in values.items()
        ]
    )
    RegionFact.sources.through.objects.bulk_create(
        [RegionFact.sources.through(regionfact_id=fact.pk, datasetimport_id=row.pk) for fact in facts]
    )
    row.coverage.set(Municipality.objects.filter(code__in=codes))
    recomputed = environment_recompute(codes=codes | before)
    report = ImportReport(
        dataset=Dataset.CENSUS,
        edition=edition,
        source_name=source_name,
        rows_read=row.rows_read,
        rows_imported=row.rows_imported,
        skipped=row.rows_skipped,
        coverage=len(codes),
        recomputed=recomputed,
        dry_run=dry_run,
        replaced=bool(before),
    )
    if dry_run:
        transaction.set_rollback(True)
    return report


# What each derived fact counts: (datasets in order of preference, facility kinds, measure).
FACILITY_FACTS: dict[RegionFactKey, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    RegionFactKey.HOSPITALS: ((Dataset.P04,), (FacilityKind.HOSPITAL,), "count"),
    RegionFactKey.CLINICS: ((Dataset.P04,), (FacilityKind.CLINIC,), "count"),
    RegionFactKey.ELEMENTARY_SCHOOLS: ((Dataset.P29,), (FacilityKind.ELEMENTARY_SCHOOL,), "count"),
    RegionFactKey.JUNIOR_HIGH_SCHOOLS: ((Dataset.P29,), (FacilityKind.JUNIOR_HIGH_SCHOOL,), "count"),
    RegionFactKey.NURSERIES: ((Dataset.P14,), (FacilityKind.NURSERY,), "count"),
    RegionFactKey.STATIONS: ((Dataset.N02,), (FacilityKind.STATION,), "groups"),
    RegionFactKey.STATION_DAILY_RIDERSHIP: ((Dataset.S12,), (FacilityKind.STATION,), "ridership"),
    # GSI's current designations before the legacy P20 (H24).
    RegionFactKey.SHELTERS: ((Dataset.XGT001, Dataset.P20), (FacilityKind.SHELTER,), "count"),
}
# Per-capita facts: (numerator facts, denominator census fact, per how many people).
RATIO_FACTS = {
    RegionFactKey.MEDICAL_PER_10K: (
        (RegionFactKey.HOSPITALS, RegionFactKey.CLINICS),
        RegionFactKey.POPULATION,
        10_000,
    ),
    RegionFactKey.NURSERIES_PER_1K_CHILDREN: ((RegionFactKey.NURSERIES,), RegionFactKey.CHILDREN_0_5, 1_000),
}
HAZARD_FACTS = {
    RegionFactKey.FLOOD_AREA_SHARE: (Dataset.A31A, HazardKind.FLOOD),
    RegionFactKey.LANDSLIDE_AREA_SHARE: (Dataset.A33, HazardKind.LANDSLIDE),
    RegionFactKey.TSUNAMI_AREA_SHARE: (Dataset.A40, HazardKind.TSUNAMI),
}
DERIVED_KEYS = (*FACILITY_FACTS, *RATIO_FACTS, *HAZARD_FACTS)


@dataclass(frozen=True)
class _Aggregate:
    kind: str
    count: int
    groups: int
    riders: int | None
    year: int | None


def _facility_fact(
    measure: str, rows: list[_Aggregate], kinds: tuple[str, ...]
) -> tuple[float | None, int | None]:
    """The value of a fact over aggregated facility rows, and its reference year (ridership)."""
    rows = [r for r in rows if r.kind in kinds]
    if measure == "count":
        return float(sum(r.count for r in rows)), None
    if measure == "groups":
        return float(sum(r.groups for r in rows)), None
    if not rows:
        return 0.0, None  # covered and no station: nobody boards here
    with_data = [r for r in rows if r.riders is not None]
    if not with_data:
        return None, None  # stations, but none with published counts
    return float(sum(r.riders or 0 for r in with_data)), max(r.year or 0 for r in with_data)


def environment_recompute(*, codes: Iterable[str]) -> int:
    """Recompute the derived living-environment facts of these municipalities from the newest imported editions.

    A fact is written only where an import covers the municipality; where nothing does, no row is written and
    the page shows データなし. Returns the number of municipalities recomputed.
    """
    index = _municipality_index()
    codes = sorted({index[c] for c in codes if c in index})
    datasets = {d for spec in FACILITY_FACTS.values() for d in spec[0]} | {
        d for d, _k in HAZARD_FACTS.values()
    }
    latest = selectors.latest_imports(codes=codes, datasets=datasets)
    import_ids = {i for ids in latest.values() for i in ids}
    aggregates: dict[tuple[str, int], list[_Aggregate]] = defaultdict(list)
    for agg in (
        Facility.objects.filter(municipality_id__in=codes, dataset_import_id__in=import_ids)
        .values("municipality_id", "dataset_import_id", "kind")
        .annotate(
            n=Count("id"),
            groups=Count("group_code", distinct=True),
            riders=Sum("ridership"),
            year=Max("ridership_year"),
        )
    ):
        aggregates[(agg["municipality_id"], agg["dataset_import_id"])].append(
            _Aggregate(agg["kind"], agg["n"], agg["groups"], agg["riders"], agg["year"])
        )
    census = {
        (fact.municipality_id, fact.key): fact
        for fact in RegionFact.objects.filter(
            municipality_id__in=codes, key__in=[denominator for _n, denominator, _per in RATIO_FACTS.values()]
        ).prefetch_related("sources")
    }
    hazard_codes = {code for code, dataset in latest if dataset in {d for d, _k in HAZARD_FACTS.values()}}
    territories = selectors.municipality_territories(codes=hazard_codes) if hazard_codes else {}

    new: list[tuple[RegionFact, list[int]]] = []
    for code in codes:
        values: dict[RegionFactKey, tuple[float, int | None, list[int]]] = {}
        for key, (preferred, kinds, measure) in FACILITY_FACTS.items():
            ids = next((latest[(code, d)] for d in preferred if (code, d) in latest), None)
            if ids is None:
                continue
            rows = [r for i in ids for r in aggregates[(code, i)]]
            value, year = _facility_fact(measure, rows, kinds)
            if value is not None:
                values[key] = (value, year, ids)
        for key, (numerators, denominator, per) in RATIO_FACTS.items():
            base = census.get((code, denominator))
            if base is None or base.value <= 0 or not all(n in values for n in numerators):
                continue
            count = sum(values[n][0] for n in numerators)
            sources = sorted(
                {i for n in numerators for i in values[n][2]} | {s.pk for s in base.sources.all()}
            )
            values[key] = (round(count / base.value * per, 2), None, sources)
        for key, (dataset, kind) in HAZARD_FACTS.items():
            if (code, dataset) not in latest or code not in territories:
                continue
            ids = latest[(code, dataset)]
            territory = territories[code]
            west, south, east, north = territory.bounds
            zones = [
                shapely.from_wkb(bytes(wkb))
                for wkb in HazardArea.objects.filter(
                    dataset_import_id__in=ids,
                    kind=kind,
                    min_lat__lte=north,
                    max_lat__gte=south,
                    min_lng__lte=east,
                    max_lng__gte=west,
                ).values_list("geometry", flat=True)
            ]
            values[key] = (ksj.area_share_percent(territory, zones), None, ids)
        new.extend(
            (RegionFact(municipality_id=code, key=key, value=value, reference_year=year), sources)
            for key, (value, year, sources) in values.items()
        )

    RegionFact.objects.filter(municipality_id__in=codes, key__in=DERIVED_KEYS).delete()
    created = RegionFact.objects.bulk_create([fact for fact, _sources in new])
    RegionFact.sources.through.objects.bulk_create(
        [
            RegionFact.sources.through(regionfact_id=fact.pk, datasetimport_id=source)
            for fact, (_unused, sources) in zip(created, new, strict=True)
            for source in sources
        ]
    )
    return len(codes)


def _normalised_or_none(code: str) -> str | None:
    try:
        return ksj.normalise_code(code)
    except ValueError:
        return None


def reinfolib_import(
    *, client: Any, api: str, codes: Iterable[str], dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Fetch a 不動産情報ライブラリ layer over the territories of these municipalities and import it.

    The fetch covers each territory completely, so the import covers exactly these municipalities. The edition is
    the date of the fetch: fetching again the same day replaces that day's import.
    """
    index = _municipality_index()
    given = list(codes)
    normalised = {code: _normalised_or_none(code) for code in given}
    unknown = [code for code in given if normalised[code] not in index]
    if unknown:
        raise ksj.ImportFileError([f"市区町村コード {code} は存在しません" for code in unknown])
    wanted = sorted({index[code] for code in normalised.values() if code is not None})
    territories = selectors.municipality_territories(codes=wanted)
    fetched = reinfolib.fetch(client, api, [territory.bounds for territory in territories.values()])
    if progress:
        progress("fetch")
    parsed = ksj.parse(reinfolib.LAYERS[api].dataset, fetched.collection)
    report = ksj_import(
        parsed=parsed,
        edition=timezone.localdate().isoformat(),
        source_name=f"reinfolib {api} {','.join(wanted)}"[:200],
        coverage=wanted,
        dry_run=dry_run,
        progress=progress,
    )
    report.notes.append(
        _(
            "タイル %(tiles)s 枚（空 %(empty)s 枚）、タイル境界で分かれた地物 %(pieces)s 片を %(features)s 件にまとめました。"
        )
        % {
            "tiles": fetched.tiles,
            "empty": fetched.empty_tiles,
            "pieces": fetched.pieces,
            "features": len(fetched.collection["features"]),
        }
    )
    return report
