"""The region ranking engine: hard filters, then a weighted score of normalised features, with the reasons.

Rows are the municipalities of a `Features` matrix (the 1,741 市町村 and 特別区; wards of a 政令市 are not rows:
their city is). A ranking runs in three steps:

1. Hard filter: the great-circle distance from the base (vectorised haversine) and the one-way travel time of
   the fastest mode the two-base cost model applies over that distance (`support.travel_model`: its parameters
   and its formula, `access + distance × route_factor ÷ speed × 60`, rounded half up to 5 minutes). A row
   beyond the distance or time limit, or without a position while a limit is set, is out. The base is out too.
2. Normalise each factor to [0, 1], 1 being best: percentile ranks (the share of rows with a strictly worse
   value) for measured quantities, 1/0 for yes/no facts, the share of matching wishes for the region's persona.
   A missing value stays NaN: it is never replaced by an invented one.
3. Score = Σ weight × normalised over the factors with a value (each factor is worth up to its weight, 0–5
   points). Confidence = the weighted share of the asked-for factors that have a value. Ties are broken by
   confidence, then by code, so results are deterministic.

Explanations (a sentence per factor in Japanese and English) are built only for the rows returned.
No Django here: plain, typed, NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from nikyoten.core.geo import EARTH_RADIUS_KM
from nikyoten.support.eligibility import date_en, date_ja, yen_en, yen_ja
from nikyoten.support.travel_model import Mode, ModeParameters, parameters_for

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MAX_WEIGHT: Final = 5


class Factor(StrEnum):
    """What a seeker can weigh (0–5); environment factors come from the regions app's living-environment data."""

    ACCESS = "access"
    CHILDCARE = "childcare"
    SCHOOLS = "schools"
    HOSPITALS = "hospitals"
    LOW_HAZARD = "low_hazard"
    STATION = "station"
    TRIAL_STAY = "trial_stay"
    SUPPORT = "support"
    COWORKING = "coworking"
    COORDINATOR = "coordinator"
    REGION_FIT = "region_fit"


FACTORS: Final = tuple(Factor)
MODES: Final = tuple(Mode)
ENVIRONMENT_FACTORS: Final = (
    Factor.CHILDCARE,
    Factor.SCHOOLS,
    Factor.HOSPITALS,
    Factor.LOW_HAZARD,
    Factor.STATION,
)

FACTOR_LABELS: Final[dict[Factor, tuple[str, str]]] = {
    Factor.ACCESS: ("拠点からの近さ", "Closeness to the base"),
    Factor.CHILDCARE: ("保育所", "Nurseries"),
    Factor.SCHOOLS: ("学校", "Schools"),
    Factor.HOSPITALS: ("病院・診療所", "Hospitals and clinics"),
    Factor.LOW_HAZARD: ("災害リスクの低さ", "Low hazard"),
    Factor.STATION: ("駅へのアクセス", "Station access"),
    Factor.TRIAL_STAY: ("お試し住宅", "Trial stay"),
    Factor.SUPPORT: ("受けられる支援", "Support available"),
    Factor.COWORKING: ("コワーキングスペース", "Coworking space"),
    Factor.COORDINATOR: ("移住コーディネーター", "Coordinator"),
    Factor.REGION_FIT: ("地域が求める人との一致", "The region wants people like you"),
}

# Environment factors: (good sentence, bad sentence) per language, `{p}` the percent band; the raw value's
# direction (True: more is better) and its unit.
_ENVIRONMENT_TEXTS: Final[dict[Factor, tuple[str, str, str, str, bool, str, str]]] = {
    Factor.CHILDCARE: (
        "保育所が人口比で上位{p}%",
        "保育所が人口比で下位{p}%",
        "Nurseries per child: top {p}% nationally",
        "Nurseries per child: bottom {p}% nationally",
        True,
        "か所／0〜5歳1,000人",
        "per 1,000 children aged 0–5",
    ),
    Factor.SCHOOLS: (
        "小中学校が子どもの数に比べて上位{p}%",
        "小中学校が子どもの数に比べて下位{p}%",
        "Schools per child: top {p}% nationally",
        "Schools per child: bottom {p}% nationally",
        True,
        "校／0〜14歳1,000人",
        "per 1,000 children aged 0–14",
    ),
    Factor.HOSPITALS: (
        "病院・診療所が人口比で上位{p}%",
        "病院・診療所が人口比で下位{p}%",
        "Hospitals and clinics per resident: top {p}% nationally",
        "Hospitals and clinics per resident: bottom {p}% nationally",
        True,
        "か所／人口1万人",
        "per 10,000 residents",
    ),
    Factor.LOW_HAZARD: (
        "浸水想定区域の割合が低い（全国で低い方から{p}%）",
        "浸水想定区域の割合が高い（全国で高い方から{p}%）",
        "Small share of flood-risk area (lowest {p}% nationally)",
        "Large share of flood-risk area (highest {p}% nationally)",
        False,
        "%",
        "%",
    ),
    Factor.STATION: (
        "駅の乗降客数が全国で上位{p}%",
        "駅の乗降客数が全国で下位{p}%",
        "Station ridership: top {p}% nationally",
        "Station ridership: bottom {p}% nationally",
        True,
        "人／日",
        "passengers a day",
    ),
}
ENVIRONMENT_HIGHER_IS_BETTER: Final = {factor: texts[4] for factor, texts in _ENVIRONMENT_TEXTS.items()}

# The persona a region states and a seeker has: (code, ja, en), in bit order.
LIFE_STAGES: Final = (
    ("single", "単身", "single"),
    ("couple", "夫婦・カップル", "couples"),
    ("child_raising", "子育て世帯", "families with children"),
    ("senior", "シニア", "seniors"),
)
WORK_STYLES: Final = (
    ("telework", "テレワーク（都市の勤め先）", "teleworking for a city employer"),
    ("local_job", "地元就職", "a local job"),
    ("side_job", "副業・兼業", "a side job"),
    ("farming", "就農", "farming"),
    ("startup", "起業", "starting a business"),
)
LIVING_STYLES: Final = (
    ("parallel", "パラレル型", "parallel"),
    ("telework", "テレワーク型", "telework"),
    ("villa", "別荘型", "second home"),
    ("local_issue", "地域課題関与型", "local-issue involvement"),
    ("solo_posting", "単身赴任型", "solo posting"),
)


def bits(vocabulary: Sequence[tuple[str, str, str]], codes: Sequence[str]) -> int:
    """The bitmask of `codes` in a vocabulary (unknown codes are ignored)."""
    index = {code: i for i, (code, _ja, _en) in enumerate(vocabulary)}
    return sum(1 << index[code] for code in set(codes) if code in index)


# ---------------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Features:
    """What is known about every ranked municipality; NaN (or 0 for masks) where nothing is known.

    `environment` holds raw values (e.g. nurseries per 1,000 children); `trial_stays` counts bookable trial-stay
    units listed on the platform (0 is a value: none listed); `coworking`/`coordinator` are 1, 0 or NaN as the
    region vouched; the masks are the region's stated persona (`bits` of `LIFE_STAGES`, …), all 0 where the
    region published no profile.
    """

    codes: tuple[str, ...]
    names_ja: tuple[str, ...]
    names_en: tuple[str, ...]
    lat: FloatArray
    lng: FloatArray
    environment: Mapping[Factor, FloatArray]
    trial_stays: FloatArray
    coworking: FloatArray
    coordinator: FloatArray
    vouched_on: Mapping[Factor, tuple[date | None, ...]]
    wanted_life_stages: IntArray
    wanted_work_styles: IntArray
    welcomed_living_styles: IntArray
    static_normalised: Mapping[Factor, FloatArray] = field(init=False)

    def __post_init__(self) -> None:
        normalised = {
            factor: percentile_rank(values if ENVIRONMENT_HIGHER_IS_BETTER[factor] else -values)
            for factor, values in self.environment.items()
        }
        normalised[Factor.TRIAL_STAY] = (self.trial_stays > 0).astype(np.float64)
        normalised[Factor.COWORKING] = self.coworking
        normalised[Factor.COORDINATOR] = self.coordinator
        object.__setattr__(self, "static_normalised", normalised)

    def __len__(self) -> int:
        return len(self.codes)

    def index_of(self, code: str) -> int | None:
        try:
            return self.codes.index(code)
        except ValueError:
            return None


@dataclass(frozen=True)
class Query:
    """One seeker's profile as the engine needs it.

    `weights` are 0–5 per factor (absent = 0). `support_yen` is the most the household could receive in each
    row (None when unknown). The persona masks use `bits` over `LIFE_STAGES`, `WORK_STYLES`, `LIVING_STYLES`.
    """

    base_code: str
    base_name_ja: str
    base_name_en: str
    base_lat: float
    base_lng: float
    weights: Mapping[Factor, float]
    max_km: float | None = None
    max_minutes: float | None = None
    support_yen: FloatArray | None = None
    life_stages: int = 0
    work_styles: int = 0
    living_styles: int = 0
    trips_per_month: int = 0
    parameters: Mapping[Mode, ModeParameters] | None = None


# ---------------------------------------------------------------------------------------------------------
# Vectorised pieces


def great_circle_km(lat: FloatArray, lng: FloatArray, lat0: float, lng0: float) -> FloatArray:
    """Haversine distances in km from one point to many (NaN where a position is missing)."""
    phi1, phi2 = np.radians(lat0), np.radians(lat)
    h = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lng - lng0) / 2) ** 2
    result: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return result


def fastest_trip(
    distance_km: FloatArray, parameters: Mapping[Mode, ModeParameters] | None = None
) -> tuple[FloatArray, IntArray]:
    """One-way minutes of the fastest applicable mode and that mode's index in `Mode` (NaN/-1 if none applies).

    The cost model's time formula, vectorised; ties go to the earlier mode in `Mode`.
    """
    modes = MODES
    minutes = np.full((len(modes), len(distance_km)), np.inf)
    with np.errstate(invalid="ignore"):
        for i, mode in enumerate(modes):
            params = parameters_for(mode, dict(parameters) if parameters is not None else None)
            raw = params.access_minutes + distance_km * params.route_factor / params.speed_kmh * 60
            rounded = np.floor(raw / 5 + 0.5) * 5
            applicable = distance_km >= params.min_km
            if params.max_km is not None:
                applicable &= distance_km <= params.max_km
            minutes[i] = np.where(applicable, rounded, np.inf)
    best = np.argmin(minutes, axis=0)
    fastest = minutes[best, np.arange(len(distance_km))]
    none = ~np.isfinite(fastest)
    return np.where(none, np.nan, fastest), np.where(none, -1, best).astype(np.int64)


def percentile_rank(values: FloatArray, among: BoolArray | None = None) -> FloatArray:
    """The share of the pool (rows with a value, in `among` if given) whose value is strictly lower, in [0, 1].

    Every row with a value is placed against the pool, inside it or not (clipped to [0, 1]); within the pool a
    strictly higher value always gets a strictly higher rank. NaN stays NaN; a lone value gets 1. An empty
    `among` falls back on every row with a value.
    """
    known = ~np.isnan(values)
    pool_mask = known if among is None or not (known & among).any() else known & among
    pool = np.sort(values[pool_mask])
    result = np.full(len(values), np.nan)
    if len(pool) == 0:
        return result
    below = np.searchsorted(pool, values[known], side="left").astype(np.float64)
    result[known] = np.clip(below / (len(pool) - 1), 0.0, 1.0) if len(pool) > 1 else 1.0
    return result


def weighted_scores(normalised: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Scores (Σ weight × normalised, missing counted as nothing) and confidence for rows × factors.

    Confidence is the weighted share of factors with a value; 1 when no factor is weighted.
    """
    known = ~np.isnan(normalised)
    scores: FloatArray = np.where(known, normalised, 0.0) @ weights
    total = float(weights.sum())
    confidence: FloatArray = (
        known.astype(np.float64) @ weights / total if total > 0 else np.ones(len(normalised))
    )
    return scores, confidence


def region_fit(features: Features, query: Query) -> FloatArray:
    """The share of the persona dimensions a region stated that match the seeker (NaN: the region stated none)."""
    stated = np.zeros(len(features))
    matched = np.zeros(len(features))
    for wanted, have in (
        (features.welcomed_living_styles, query.living_styles),
        (features.wanted_life_stages, query.life_stages),
        (features.wanted_work_styles, query.work_styles),
    ):
        says = wanted != 0
        stated += says
        matched += says & ((wanted & have) != 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(stated > 0, matched / np.maximum(stated, 1), np.nan)


# ---------------------------------------------------------------------------------------------------------
# Results


class Contribution(NamedTuple):
    """One factor of one result: the raw value, its normalised form, the weight, the points and the words.

    A named tuple, not a dataclass: a ranking builds hundreds of them, and tuples are built several times faster.
    """

    factor: Factor
    value: float | None
    normalised: float | None
    weight: float
    contribution: float
    text_ja: str
    text_en: str
    value_ja: str
    value_en: str
    source_ja: str
    source_en: str

    @property
    def label_ja(self) -> str:
        return FACTOR_LABELS[self.factor][0]

    @property
    def label_en(self) -> str:
        return FACTOR_LABELS[self.factor][1]

    @property
    def missing(self) -> bool:
        return self.normalised is None


@dataclass(frozen=True)
class Result:
    code: str
    name_ja: str
    name_en: str
    rank: int | None  # None for a compared municipality outside the hard filter
    score: float
    confidence: float
    distance_km: float | None
    minutes: float | None
    mode: Mode | None
    within_limit: bool
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class Ranking:
    results: tuple[Result, ...]
    candidates: int  # rows that passed the hard filter


@dataclass(frozen=True)
class _Scored:
    """Every row's numbers for one query; explanations are built from it for the rows asked for."""

    distance: FloatArray
    minutes: FloatArray
    mode_index: IntArray
    within: BoolArray
    matrix: FloatArray  # rows × FACTORS, normalised
    weights: FloatArray
    scores: FloatArray
    confidence: FloatArray
    fit: FloatArray
    active: tuple[tuple[int, Factor, float], ...]  # (column, factor, weight) of the weighted factors


def _score(features: Features, query: Query) -> _Scored:
    distance = great_circle_km(features.lat, features.lng, query.base_lat, query.base_lng)
    minutes, mode_index = fastest_trip(distance, query.parameters)
    within = ~np.isnan(distance)
    base_row = features.index_of(query.base_code)
    if base_row is not None:
        within[base_row] = False
    with np.errstate(invalid="ignore"):
        if query.max_km is not None:
            within &= distance <= query.max_km
        if query.max_minutes is not None:
            within &= minutes <= query.max_minutes
    fit = region_fit(features, query)
    columns: dict[Factor, FloatArray] = {
        **features.static_normalised,
        Factor.ACCESS: percentile_rank(-minutes, among=within),
        Factor.SUPPORT: (
            percentile_rank(query.support_yen)
            if query.support_yen is not None
            else np.full(len(features), np.nan)
        ),
        Factor.REGION_FIT: fit,
    }
    matrix = np.column_stack([columns[f] for f in FACTORS])
    weights = np.array([float(query.weights.get(f, 0)) for f in FACTORS])
    scores, confidence = weighted_scores(matrix, weights)
    active = tuple(
        (column, f, float(w)) for column, (f, w) in enumerate(zip(FACTORS, weights, strict=True)) if w > 0
    )
    return _Scored(distance, minutes, mode_index, within, matrix, weights, scores, confidence, fit, active)


def rank(features: Features, query: Query, *, top: int = 30) -> Ranking:
    """The `top` municipalities within the limits, best first, with the reasons."""
    scored = _score(features, query)
    rows = np.flatnonzero(scored.within)
    order = rows[np.lexsort((rows, -scored.confidence[rows], -scored.scores[rows]))][:top]
    results = tuple(
        _result(features, query, scored, int(row), position + 1) for position, row in enumerate(order)
    )
    return Ranking(results=results, candidates=len(rows))


def compare(features: Features, query: Query, codes: Sequence[str]) -> list[Result]:
    """The same numbers and reasons for chosen municipalities, inside the limits or not (unknown codes skipped)."""
    scored = _score(features, query)
    rows = [i for i in (features.index_of(code) for code in codes) if i is not None]
    return [_result(features, query, scored, row, None) for row in rows]


def _result(features: Features, query: Query, scored: _Scored, row: int, position: int | None) -> Result:
    mode_index = int(scored.mode_index[row])
    normalised: list[float] = scored.matrix[row].tolist()
    return Result(
        code=features.codes[row],
        name_ja=features.names_ja[row],
        name_en=features.names_en[row],
        rank=position,
        score=float(scored.scores[row]),
        confidence=float(scored.confidence[row]),
        distance_km=_number(float(scored.distance[row])),
        minutes=_number(float(scored.minutes[row])),
        mode=MODES[mode_index] if mode_index >= 0 else None,
        within_limit=bool(scored.within[row]),
        contributions=tuple(
            _contribution(features, query, scored, row, factor, _number(normalised[column]), weight)
            for column, factor, weight in scored.active
        ),
    )


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


# ---------------------------------------------------------------------------------------------------------
# Words


class Words(NamedTuple):
    text_ja: str
    text_en: str
    value_ja: str
    value_en: str
    source_ja: str
    source_en: str


def percent_band(normalised: float) -> tuple[bool, int]:
    """(on the good side, band): 0.95 → (True, 10) for 上位10%; 0.2 → (False, 30) for 下位30%; bands of 10."""
    good = normalised >= 0.5
    share = 1 - normalised if good else normalised
    return good, max(10, math.ceil(round(share * 10, 9)) * 10)


def environment_words(factor: Factor, value: float, normalised: float) -> Words:
    good_ja, bad_ja, good_en, bad_en, _higher, unit_ja, unit_en = _ENVIRONMENT_TEXTS[factor]
    good, band = percent_band(normalised)
    return Words(
        text_ja=(good_ja if good else bad_ja).format(p=band),
        text_en=(good_en if good else bad_en).format(p=band),
        value_ja=f"{value:,.1f} {unit_ja}",
        value_en=f"{value:,.1f} {unit_en}",
        source_ja="国土数値情報・国勢調査（地域の生活環境データ）",
        source_en="National Land Numerical Information and the census (living-environment data)",
    )


def access_words(
    *,
    base_ja: str,
    base_en: str,
    mode: Mode,
    minutes: float,
    distance_km: float,
    trips_per_month: int,
    params: ModeParameters,
) -> Words:
    """The fastest mode's time; with trips, the monthly hours on the road (round trips, to the half hour)."""
    text_ja = f"{mode.label_ja}で{base_ja}から約{minutes:,.0f}分（直線 約{distance_km:,.0f} km、推定）"
    text_en = (
        f"About {minutes:,.0f} min from {base_en} by {mode.label_en} "
        f"({distance_km:,.0f} km as the crow flies; estimate)"
    )
    if trips_per_month:
        hours = math.floor(trips_per_month * 2 * minutes / 30 + 0.5) / 2
        text_ja += f"。月{trips_per_month}回の往復で約{hours:g}時間"
        text_en += f"; {trips_per_month} round trips a month take about {hours:g} hours"
    return Words(
        text_ja=text_ja,
        text_en=text_en,
        value_ja=f"約{minutes:,.0f}分（{mode.label_ja}）",
        value_en=f"about {minutes:,.0f} min ({mode.label_en})",
        source_ja=params.source_ja,
        source_en=params.source_en,
    )


def trial_stay_words(count: int) -> Words:
    if count > 0:
        text_ja, text_en = f"お試し住宅あり（{count}件）", f"Trial stays available ({count})"
    else:
        text_ja, text_en = "予約できるお試し住宅の掲載なし", "No bookable trial stay listed"
    return Words(
        text_ja=text_ja,
        text_en=text_en,
        value_ja=f"{count}件",
        value_en=f"{count}",
        source_ja="nikyoten に掲載され予約を受け付けているお試し住宅",
        source_en="Trial stays listed on nikyoten and open for booking",
    )


def support_words(amount: int) -> Words:
    if amount > 0:
        text_ja = f"受けられる支援の合計 最大{yen_ja(amount)}"
        text_en = f"Support programs: up to {yen_en(amount)} in total"
    else:
        text_ja, text_en = (
            "この世帯が受けられる支援制度は掲載なし",
            "No listed support program for this household",
        )
    return Words(
        text_ja=text_ja,
        text_en=text_en,
        value_ja=f"最大{amount:,}円",
        value_en=f"up to {yen_en(amount)}",
        source_ja="nikyoten の支援制度（国・都道府県・市町村、今日有効な版）を世帯の人数と子どもの年齢で判定",
        source_en="Support programs on nikyoten (state, prefecture, municipality; versions in force today), judged on the household",
    )


_VOUCHED_TEXTS: Final = {
    Factor.COWORKING: (
        ("コワーキングスペースあり", "A coworking space"),
        ("コワーキングスペースなし", "No coworking space"),
    ),
    Factor.COORDINATOR: (
        ("移住コーディネーターがいる", "A coordinator for newcomers"),
        ("移住コーディネーターはいない", "No coordinator for newcomers"),
    ),
}


def vouched_words(factor: Factor, present: bool, vouched_on: date | None) -> Words:
    (yes_ja, yes_en), (no_ja, no_en) = _VOUCHED_TEXTS[factor]
    text_ja, text_en = (yes_ja, yes_en) if present else (no_ja, no_en)
    when_ja = f"（自治体が{date_ja(vouched_on)}に確認）" if vouched_on else ""
    when_en = f" (vouched for by the region on {date_en(vouched_on)})" if vouched_on else ""
    return Words(
        text_ja=text_ja + when_ja,
        text_en=text_en + when_en,
        value_ja="あり" if present else "なし",
        value_en="yes" if present else "no",
        source_ja="自治体が発信している情報",
        source_en="What the region says about itself",
    )


def region_fit_words(*, matched: Sequence[tuple[str, str]], share: float) -> Words:
    """`matched` are the (ja, en) labels of the seeker's wishes the region asks for."""
    if matched:
        text_ja = "地域が求める人物像に合う: " + "、".join(ja for ja, _en in matched)
        text_en = "The region is looking for: " + ", ".join(en for _ja, en in matched)
    else:
        text_ja, text_en = (
            "地域が発信している求める人物像とは重ならない",
            "Not the people this region says it wants",
        )
    return Words(
        text_ja=text_ja,
        text_en=text_en,
        value_ja=f"{share:.0%} 一致",
        value_en=f"{share:.0%} match",
        source_ja="自治体が発信している情報",
        source_en="What the region says about itself",
    )


def missing_words(factor: Factor) -> Words:
    label_ja, label_en = FACTOR_LABELS[factor]
    return Words(
        text_ja=f"{label_ja}: データなし",
        text_en=f"{label_en}: no data",
        value_ja="データなし",
        value_en="no data",
        source_ja="",
        source_en="",
    )


def _matched_persona(features: Features, query: Query, row: int) -> list[tuple[str, str]]:
    matched = []
    for vocabulary, wanted, have in (
        (LIVING_STYLES, int(features.welcomed_living_styles[row]), query.living_styles),
        (LIFE_STAGES, int(features.wanted_life_stages[row]), query.life_stages),
        (WORK_STYLES, int(features.wanted_work_styles[row]), query.work_styles),
    ):
        matched += [(ja, en) for i, (_code, ja, en) in enumerate(vocabulary) if wanted & have & (1 << i)]
    return matched


def _contribution(
    features: Features,
    query: Query,
    scored: _Scored,
    row: int,
    factor: Factor,
    normalised: float | None,
    weight: float,
) -> Contribution:
    value: float | None
    if normalised is None:
        value, words = None, missing_words(factor)
    elif factor == Factor.ACCESS:
        mode = MODES[int(scored.mode_index[row])]
        value = float(scored.minutes[row])
        words = access_words(
            base_ja=query.base_name_ja,
            base_en=query.base_name_en,
            mode=mode,
            minutes=value,
            distance_km=float(scored.distance[row]),
            trips_per_month=query.trips_per_month,
            params=parameters_for(mode, dict(query.parameters) if query.parameters is not None else None),
        )
    elif factor in ENVIRONMENT_FACTORS:
        value = float(features.environment[factor][row])
        words = environment_words(factor, value, normalised)
    elif factor == Factor.TRIAL_STAY:
        value = float(features.trial_stays[row])
        words = trial_stay_words(int(value))
    elif factor == Factor.SUPPORT:
        assert query.support_yen is not None  # a known normalised value implies amounts
        value = float(query.support_yen[row])
        words = support_words(int(value))
    elif factor in (Factor.COWORKING, Factor.COORDINATOR):
        value = normalised
        words = vouched_words(factor, value > 0, features.vouched_on[factor][row])
    else:
        value = normalised
        words = region_fit_words(matched=_matched_persona(features, query, row), share=value)
    return Contribution(
        factor,
        value,
        normalised,
        weight,
        weight * normalised if normalised is not None else 0.0,
        *words,
    )
