"""The feature matrix of the ranking, built from the database and cached in the process by data version.

Rows are the 1,741 municipalities in force (市町村 and 特別区, `Municipality.objects.municipalities()`); wards of
a 政令市 are not rows, and their trial stays count for their city. Sources:

- living environment: `environment_columns`, the one seam to the regions app's living-environment facts;
- trial stays: bookable `TrialStayUnit`s of public listings (`housing`);
- coworking, coordinator and the persona: published `RegionProfile`s (this app);
- support: the eligibility engine of `support` run per household (`support_amounts`), cached separately.

`data_version()` is a handful of aggregate queries (latest change and row count of each input table, and
today's date, since program versions and bookability depend on it); a change in any input rebuilds.
"""

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from threading import Lock
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models
from django.db.models import Count
from django.utils import timezone

from nikyoten.core.dates import add_months
from nikyoten.housing.models import Listing, TrialStayUnit
from nikyoten.matching import ranking
from nikyoten.matching.models import RegionProfile
from nikyoten.matching.ranking import Factor, FloatArray, IntArray
from nikyoten.regions.choices import RegionFactKey
from nikyoten.regions.models import Municipality, RegionFact
from nikyoten.support import eligibility, facts, selectors
from nikyoten.support.choices import ProgramLevel
from nikyoten.support.models import ProgramVersion, RelocationGrantStatus, SupportProgram

# Each input table and the column that moves when one of its rows changes.
_VERSIONED: tuple[tuple[type[models.Model], str], ...] = (
    (Municipality, "updated_at"),
    (RegionProfile, "updated_at"),
    (Listing, "updated_at"),
    (TrialStayUnit, "updated_at"),
    (SupportProgram, "updated_at"),
    (ProgramVersion, "updated_at"),
    (RelocationGrantStatus, "updated_at"),
    (RegionFact, "computed_at"),  # recomputed (replaced) by every living-environment import
)
_SUPPORT_CACHE_SIZE = 256

_lock = Lock()
_features: tuple[tuple[Any, ...], ranking.Features] | None = None
_groups: tuple[tuple[Any, ...], "SupportGroups"] | None = None
_support: OrderedDict[tuple[Any, ...], FloatArray] = OrderedDict()


def data_version() -> tuple[Any, ...]:
    """Changes whenever an input of the matrix or of the support amounts changes (or the day turns).

    One query: the latest change and the row count of each input table (a deletion changes the count, an
    edit through the ORM the latest `updated_at`).
    """
    parts = []
    for model, changed in _VERSIONED:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(changed)
        parts.append(f"SELECT MAX({column}), COUNT(*) FROM {table}")  # noqa: S608 (table names from the models)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        stamps = tuple(cursor.fetchall())
    return (timezone.localdate(), stamps)


def environment_columns(codes: Sequence[str]) -> dict[Factor, FloatArray]:
    """Raw living-environment values per municipality (see `ranking.ENVIRONMENT_FACTORS`), NaN where none.

    Read from the regions app's `RegionFact` rows (docs/decisions/20261126-living-environment-data.md): a
    municipality without the fact has no data, which the engine counts as missing (lower confidence), never as
    zero. Schools are counted per 1,000 children aged 0–14 (elementary and junior high schools together).
    """
    index = {code: i for i, code in enumerate(codes)}
    raw: dict[str, FloatArray] = {key: np.full(len(codes), np.nan) for key in _ENVIRONMENT_KEYS}
    rows = RegionFact.objects.filter(key__in=_ENVIRONMENT_KEYS).values_list("municipality_id", "key", "value")
    for code, key, value in rows.iterator():
        row = index.get(code)
        if row is not None:
            raw[key][row] = value
    with np.errstate(divide="ignore", invalid="ignore"):
        schools = (raw[RegionFactKey.ELEMENTARY_SCHOOLS] + raw[RegionFactKey.JUNIOR_HIGH_SCHOOLS]) * 1000
        schools = np.where(
            raw[RegionFactKey.POPULATION_0_14] > 0, schools / raw[RegionFactKey.POPULATION_0_14], np.nan
        )
    return {
        Factor.CHILDCARE: raw[RegionFactKey.NURSERIES_PER_1K_CHILDREN],
        Factor.SCHOOLS: schools,
        Factor.HOSPITALS: raw[RegionFactKey.MEDICAL_PER_10K],
        Factor.LOW_HAZARD: raw[RegionFactKey.FLOOD_AREA_SHARE],
        Factor.STATION: raw[RegionFactKey.STATION_DAILY_RIDERSHIP],
    }


_ENVIRONMENT_KEYS = (
    RegionFactKey.NURSERIES_PER_1K_CHILDREN,
    RegionFactKey.ELEMENTARY_SCHOOLS,
    RegionFactKey.JUNIOR_HIGH_SCHOOLS,
    RegionFactKey.POPULATION_0_14,
    RegionFactKey.MEDICAL_PER_10K,
    RegionFactKey.FLOOD_AREA_SHARE,
    RegionFactKey.STATION_DAILY_RIDERSHIP,
)


def features(version: tuple[Any, ...] | None = None) -> ranking.Features:
    """The matrix for the current data, rebuilt only when the data version changed."""
    global _features
    version = version if version is not None else data_version()
    cached = _features
    if cached is not None and cached[0] == version:
        return cached[1]
    built = features_build()
    with _lock:
        _features = (version, built)
    return built


def features_build() -> ranking.Features:
    municipalities = list(Municipality.objects.municipalities().select_related("prefecture").order_by("code"))
    codes = tuple(m.code for m in municipalities)
    index = {code: i for i, code in enumerate(codes)}
    trial_stays = np.zeros(len(codes))
    bookable = (
        TrialStayUnit.objects.filter(is_bookable=True, listing__in=Listing.objects.public())
        .values("listing__municipality_id", "listing__municipality__parent_id")
        .annotate(units=Count("pk"))
        .order_by()
    )
    for row in bookable:
        row_index = index.get(row["listing__municipality__parent_id"] or row["listing__municipality_id"])
        if row_index is not None:
            trial_stays[row_index] += row["units"]
    coworking, coordinator = np.full(len(codes), np.nan), np.full(len(codes), np.nan)
    vouched: dict[Factor, list[date | None]] = {
        Factor.COWORKING: [None] * len(codes),
        Factor.COORDINATOR: [None] * len(codes),
    }
    masks = {name: np.zeros(len(codes), dtype=np.int64) for name in ("life", "work", "living")}
    for profile in RegionProfile.objects.published().filter(municipality_id__in=codes):
        i = index[profile.municipality_id]
        for factor, column, value, day in (
            (Factor.COWORKING, coworking, profile.coworking, profile.coworking_vouched_on),
            (Factor.COORDINATOR, coordinator, profile.coordinator, profile.coordinator_vouched_on),
        ):
            if value is not None:
                column[i] = float(value)
                vouched[factor][i] = day
        masks["life"][i] = ranking.bits(ranking.LIFE_STAGES, profile.life_stages)
        masks["work"][i] = ranking.bits(ranking.WORK_STYLES, profile.work_styles)
        masks["living"][i] = ranking.bits(ranking.LIVING_STYLES, profile.living_styles)
    return ranking.Features(
        codes=codes,
        names_ja=tuple(f"{m.prefecture.name}{m.name}" for m in municipalities),
        names_en=tuple(f"{m.name_en}, {m.prefecture.name_en}" for m in municipalities),
        lat=np.array([np.nan if m.inside_lat is None else m.inside_lat for m in municipalities]),
        lng=np.array([np.nan if m.inside_lng is None else m.inside_lng for m in municipalities]),
        environment=environment_columns(codes),
        trial_stays=trial_stays,
        coworking=coworking,
        coordinator=coordinator,
        vouched_on={factor: tuple(days) for factor, days in vouched.items()},
        wanted_life_stages=masks["life"],
        wanted_work_styles=masks["work"],
        welcomed_living_styles=masks["living"],
    )


@dataclass(frozen=True)
class Household:
    """Who moves: what the support programs ask about a household that a matching profile knows."""

    adults: int
    children_ages: tuple[int, ...]


def household_profile(household: Household, *, on: date) -> facts.Profile:
    """The support engine's profile: children born mid-way through their year of age; with two or more
    adults, whether one is a spouse stays unknown (so amounts are the most the household could get)."""
    births = tuple(add_months(on, -(12 * age + 6)) for age in household.children_ages)
    return facts.Profile(
        evaluation_date=on,
        has_spouse=False if household.adults == 1 else None,
        children_birth_dates=births,
    )


def support_amounts(household: Household, version: tuple[Any, ...] | None = None) -> FloatArray:
    """The most a household could receive in each row of the matrix (programs in force today), in yen."""
    version = version if version is not None else data_version()
    key = (version, household)
    cached = _support.get(key)
    if cached is not None:
        return cached
    groups = support_groups(version)
    profile = household_profile(household, on=timezone.localdate())
    by_group = np.array(
        [
            float(eligibility.evaluate_all(rules, profile, destination).possible_maximum)
            for rules, destination in groups.rules
        ]
    )
    amounts: FloatArray = by_group[groups.row_group] if len(by_group) else np.zeros(len(groups.row_group))
    with _lock:
        _support[key] = amounts
        while len(_support) > _SUPPORT_CACHE_SIZE:
            _support.popitem(last=False)
    return amounts


@dataclass(frozen=True)
class SupportGroups:
    """Rows that get the same programs and the same destination attributes share one evaluation.

    `rules[g]` is group g's program versions (the state's, the prefecture's, the municipality's own) and a
    destination standing for all its rows; `row_group[i]` is row i's group (57 groups with the seed's programs).
    """

    rules: list[tuple[list[eligibility.ProgramRule], facts.Destination]]
    row_group: IntArray


def support_groups(version: tuple[Any, ...]) -> SupportGroups:
    """The groups for the current data (cached like the matrix: they do not depend on the household)."""
    global _groups
    cached = _groups
    if cached is not None and cached[0] == version:
        return cached[1]
    built = _support_groups_build(features(version))
    with _lock:
        _groups = (version, built)
    return built


def _support_groups_build(matrix: ranking.Features) -> SupportGroups:
    national: list[eligibility.ProgramRule] = []
    by_prefecture: dict[str | None, list[eligibility.ProgramRule]] = {}
    by_municipality: dict[str, list[eligibility.ProgramRule]] = {}
    for program in selectors.program_list(actor=AnonymousUser(), on=timezone.localdate()):
        current = getattr(program, "current_versions", [])
        if not current:
            continue
        rule = selectors.program_rule(program=program, version=current[0])
        if program.municipality_id:
            by_municipality.setdefault(program.municipality_id, []).append(rule)
        elif program.level == ProgramLevel.PREFECTURE:
            by_prefecture.setdefault(program.prefecture_id, []).append(rule)
        elif program.level == ProgramLevel.NATIONAL:
            national.append(rule)
    municipalities = list(
        Municipality.objects.filter(code__in=matrix.codes).only("code", "prefecture_id", "kind", "parent_id")
    )
    destinations = selectors.destinations_for(municipalities=municipalities)
    rows = {code: i for i, code in enumerate(matrix.codes)}
    row_group = np.zeros(len(matrix), dtype=np.int64)
    keys: dict[tuple[Any, ...], int] = {}
    rules: list[tuple[list[eligibility.ProgramRule], facts.Destination]] = []
    for municipality in municipalities:
        destination = destinations[municipality.code]
        own = by_municipality.get(municipality.code, [])
        key = (
            municipality.prefecture_id,
            destination.in_tokyo_area,
            destination.disadvantaged,
            destination.participates_relocation_grant,
            municipality.code if own else "",
        )
        if key not in keys:
            keys[key] = len(rules)
            rules.append(([*national, *by_prefecture.get(municipality.prefecture_id, []), *own], destination))
        row_group[rows[municipality.code]] = keys[key]
    return SupportGroups(rules=rules, row_group=row_group)
