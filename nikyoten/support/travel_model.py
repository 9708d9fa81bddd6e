"""The documented distance-based travel cost and time model of the two-base cost simulator.

Every figure is an estimate with a round value and a stated source; the parameters are data
(`DEFAULT_PARAMETERS`), so a caller can pass its own, and an organization's real route fare (`RouteFare`)
replaces the estimate wherever it gives a value. No Django here: plain, typed, deterministic.

The model, per mode:
    network_km      = great-circle km × route_factor
    one-way fare    = base_fare_yen + fare_per_km_yen × network_km, rounded half up to 10 yen
    one-way minutes = access_minutes + network_km ÷ speed_kmh × 60, rounded half up to 5 minutes
    monthly pass    = one-way fare × commuter_pass_factor, rounded half up to 10 yen (modes that have passes)
and the estimate applies only where min_km ≤ great-circle km ≤ max_km.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Mode(StrEnum):
    """A travel mode between the two bases."""

    SHINKANSEN = "shinkansen"
    CONVENTIONAL_RAIL = "conventional_rail"
    HIGHWAY_BUS = "highway_bus"
    CAR = "car"
    PLANE = "plane"

    @property
    def label_ja(self) -> str:
        return MODE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return MODE_LABELS[self][1]


MODE_LABELS: dict[Mode, tuple[str, str]] = {
    Mode.SHINKANSEN: ("新幹線", "Shinkansen"),
    Mode.CONVENTIONAL_RAIL: ("在来線", "Conventional rail"),
    Mode.HIGHWAY_BUS: ("高速バス", "Highway bus"),
    Mode.CAR: ("自家用車", "Private car"),
    Mode.PLANE: ("飛行機", "Plane"),
}


@dataclass(frozen=True)
class ModeParameters:
    """The figures of one mode; distances are great-circle km, fares one way, in yen."""

    route_factor: float  # network distance ÷ great-circle distance
    base_fare_yen: int
    fare_per_km_yen: float
    speed_kmh: float  # average door-to-door on the line, stops included
    access_minutes: int  # to and from stations or airports, transfers, check-in (both ends together)
    min_km: float  # the estimate applies from this great-circle distance …
    max_km: float | None  # … up to this one (None: no upper limit)
    commuter_pass_factor: float | None  # monthly pass price ÷ one-way fare; None: no pass for this mode
    source_ja: str
    source_en: str


DEFAULT_PARAMETERS: dict[Mode, ModeParameters] = {
    Mode.SHINKANSEN: ModeParameters(
        route_factor=1.25,
        base_fare_yen=2500,
        fare_per_km_yen=19,
        speed_kmh=200,
        access_minutes=30,
        min_km=30,
        max_km=1200,
        commuter_pass_factor=24,
        source_ja=(
            "推定値。運賃は JR 幹線の普通運賃（営業キロ 300 km までおよそ 16 円/km、それ以上は逓減）と"
            "新幹線特急料金（100 km 前後で 2,000 円台、500 km 前後で 5,000 円台）の合計を一次式"
            "（2,500 円 + 19 円/km）で近似。時間は平均時速約 200 km（停車込み）に駅までの移動・乗換 30 分。"
            "1か月の新幹線定期（FREX 等）は片道のおよそ 20〜25 倍で、24 倍と置く。"
            "経路距離は直線距離の 1.25 倍（東京–小山 約 1.15 倍、東京–新大阪 約 1.4 倍の中間）。"
        ),
        source_en=(
            "Estimate. The fare is JR's trunk-line basic fare (about 16 yen/km up to 300 operating km, "
            "tapering beyond) plus the Shinkansen express charge (low 2,000s of yen around 100 km, low "
            "5,000s around 500 km), approximated by a straight line: 2,500 yen + 19 yen/km. Time: about "
            "200 km/h average including stops, plus 30 minutes to reach stations and change. A one-month "
            "Shinkansen commuter pass (FREX etc.) costs roughly 20–25 one-way fares; 24 is used. Network "
            "distance = great-circle × 1.25 (Tokyo–Oyama is about 1.15, Tokyo–Shin-Osaka about 1.4)."
        ),
    ),
    Mode.CONVENTIONAL_RAIL: ModeParameters(
        route_factor=1.25,
        base_fare_yen=150,
        fare_per_km_yen=16,
        speed_kmh=55,
        access_minutes=20,
        min_km=0,
        max_km=500,
        commuter_pass_factor=25,
        source_ja=(
            "推定値。運賃は JR 幹線の普通運賃（営業キロ 300 km までおよそ 16.2 円/km）を 150 円 + 16 円/km "
            "で近似（300 km を超えると実際は逓減するため高め）。特急料金は含まない。時間は快速・普通列車の"
            "平均時速約 55 km（停車込み）に駅までの移動・乗換 20 分。1か月の通勤定期は片道のおよそ 20〜30 倍で、"
            "25 倍と置く。経路距離は直線距離の 1.25 倍。"
        ),
        source_en=(
            "Estimate. The fare approximates JR's trunk-line basic fare (about 16.2 yen/km up to 300 "
            "operating km) as 150 yen + 16 yen/km (high beyond 300 km, where the real fare tapers); no "
            "limited-express charge. Time: rapid and local trains at about 55 km/h including stops, plus 20 "
            "minutes to reach stations and change. A one-month commuter pass costs roughly 20–30 one-way "
            "fares; 25 is used. Network distance = great-circle × 1.25."
        ),
    ),
    Mode.HIGHWAY_BUS: ModeParameters(
        route_factor=1.3,
        base_fare_yen=500,
        fare_per_km_yen=12,
        speed_kmh=60,
        access_minutes=20,
        min_km=50,
        max_km=1200,
        commuter_pass_factor=None,
        source_ja=(
            "推定値。運賃は昼行の高速バスの片道運賃（およそ 10〜15 円/km、東京–大阪で 6,000 円前後）を "
            "500 円 + 12 円/km で近似。時間は休憩・渋滞込みの平均時速約 60 km にバス停までの移動 20 分。"
            "定期券・回数券は一部路線のみのため推定しない（組織が路線運賃として入力できる）。"
            "経路距離は直線距離の 1.3 倍。"
        ),
        source_en=(
            "Estimate. The fare approximates daytime highway-bus fares (roughly 10–15 yen/km; about 6,000 "
            "yen Tokyo–Osaka) as 500 yen + 12 yen/km. Time: about 60 km/h including rest stops and traffic, "
            "plus 20 minutes to reach the stops. Passes and coupon books exist on some routes only, so none "
            "is estimated (an organization can enter one as a route fare). Network distance = great-circle "
            "× 1.3."
        ),
    ),
    Mode.CAR: ModeParameters(
        route_factor=1.3,
        base_fare_yen=165,
        fare_per_km_yen=39,
        speed_kmh=70,
        access_minutes=10,
        min_km=0,
        max_km=1200,
        commuter_pass_factor=None,
        source_ja=(
            "推定値。全区間を高速道路で走る前提で、NEXCO 普通車の料金（24.6 円/km + ターミナルチャージ 150 円、"
            "消費税込みで約 27 円/km + 165 円）に燃料費約 12 円/km（ガソリン 1 L 約 175 円 ÷ 燃費 15 km/L）を加え、"
            "165 円 + 39 円/km。大都市近郊区間の割増・長距離逓減・ETC 割引は考慮しない（長距離では高め）。"
            "車両の保険・車検・駐車場などは「自動車費（月額）」に入れる。時間は平均時速約 70 km に駐車等 10 分。"
            "経路距離は直線距離の 1.3 倍。"
        ),
        source_en=(
            "Estimate, assuming expressways all the way: the NEXCO standard-car toll (24.6 yen/km + a "
            "150-yen terminal charge; with consumption tax about 27 yen/km + 165 yen) plus fuel at about "
            "12 yen/km (petrol about 175 yen/L at 15 km/L): 165 yen + 39 yen/km. Metropolitan surcharges, "
            "long-distance tapering and ETC discounts are ignored (high for long routes). Insurance, "
            "inspection and parking belong in the monthly car cost. Time: about 70 km/h plus 10 minutes "
            "for parking. Network distance = great-circle × 1.3."
        ),
    ),
    Mode.PLANE: ModeParameters(
        route_factor=1.1,
        base_fare_yen=8000,
        fare_per_km_yen=12,
        speed_kmh=500,
        access_minutes=120,
        min_km=300,
        max_km=None,
        commuter_pass_factor=None,
        source_ja=(
            "推定値。運賃は国内線の事前購入・割引運賃の目安（東京–大阪 約 1.3 万円、東京–福岡 約 2 万円）を "
            "8,000 円 + 12 円/km で近似（直前の普通運賃はこの 1.5〜2 倍）。空港までの交通費は含まない。"
            "時間は飛行のブロック速度約 500 km/h に空港までの移動・搭乗手続き・保安検査の 120 分（両端合計）。"
            "直線距離 300 km 以上の区間に限る。経路距離は直線距離の 1.1 倍。"
        ),
        source_en=(
            "Estimate. The fare approximates domestic advance-purchase and discount fares (about 13,000 yen "
            "Tokyo–Osaka, about 20,000 yen Tokyo–Fukuoka) as 8,000 yen + 12 yen/km (last-minute full fares "
            "are 1.5–2 times that); getting to the airports is not included. Time: a block speed of about "
            "500 km/h plus 120 minutes to reach the airports, check in and pass security (both ends). Only "
            "for great-circle distances of 300 km or more. Network distance = great-circle × 1.1."
        ),
    ),
}


@dataclass(frozen=True)
class TripEstimate:
    """The model's answer for one mode over one distance."""

    one_way_yen: int
    one_way_minutes: int
    network_km: float
    applicable: bool
    note_ja: str
    note_en: str
    monthly_pass_yen: int | None = None  # None where the mode has no commuter pass in the model


@dataclass(frozen=True)
class RouteFare:
    """A real fare an organization entered for a route; each given value replaces the estimate."""

    mode: Mode
    one_way_yen: int | None = None
    monthly_pass_yen: int | None = None
    one_way_minutes: int | None = None
    source_ja: str = ""  # e.g. "JR東日本 小山–東京 新幹線定期 1か月"
    source_en: str = ""

    @property
    def gives_fare(self) -> bool:
        """A real fare shows the route exists, so the model's distance range does not apply to it."""
        return self.one_way_yen is not None or self.monthly_pass_yen is not None


def round_half_up(value: Decimal, step: int = 1) -> int:
    """Round to a multiple of `step`, halves away from zero (never banker's rounding)."""
    return int((value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


def decimal(value: float) -> Decimal:
    """The decimal a person reads in a float (`0.1` → `Decimal("0.1")`), so rounding is as written."""
    return Decimal(repr(value))


def parameters_for(mode: Mode, parameters: dict[Mode, ModeParameters] | None = None) -> ModeParameters:
    """The given parameters of a mode, or the default ones."""
    if parameters is not None and mode in parameters:
        return parameters[mode]
    return DEFAULT_PARAMETERS[mode]


def is_applicable(params: ModeParameters, distance_km: float) -> bool:
    """Whether the estimate of a mode makes sense over this great-circle distance."""
    return params.min_km <= distance_km and (params.max_km is None or distance_km <= params.max_km)


def range_text(params: ModeParameters) -> tuple[str, str]:
    """The distance range of a mode in words (ja, en)."""
    low = f"{params.min_km:,.0f}"
    if params.max_km is None:
        return f"直線距離 {low} km 以上", f"great-circle distances of {low} km or more"
    high = f"{params.max_km:,.0f}"
    return f"直線距離 {low}〜{high} km", f"great-circle distances of {low}–{high} km"


def estimate_trip(mode: Mode, distance_km: float, params: ModeParameters | None = None) -> TripEstimate:
    """One-way fare, time and (where the mode has one) monthly pass over a great-circle distance."""
    if params is None:
        params = DEFAULT_PARAMETERS[mode]
    network = decimal(distance_km) * decimal(params.route_factor)
    fare = round_half_up(decimal(params.base_fare_yen) + decimal(params.fare_per_km_yen) * network, 10)
    minutes = round_half_up(params.access_minutes + network / decimal(params.speed_kmh) * 60, 5)
    monthly_pass = (
        None
        if params.commuter_pass_factor is None
        else round_half_up(fare * decimal(params.commuter_pass_factor), 10)
    )
    applicable = is_applicable(params, distance_km)
    network_km = float(network.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    range_ja, range_en = range_text(params)
    if applicable:
        note_ja = f"{mode.label_ja}: 経路距離 約 {network_km:,.1f} km、片道 約 {fare:,} 円・約 {minutes:,} 分（推定値）。"
        note_en = (
            f"{mode.label_en}: about {network_km:,.1f} km by the network, about {fare:,} yen and "
            f"{minutes:,} minutes one way (estimate)."
        )
    else:
        note_ja = f"{mode.label_ja}の推定は{range_ja}の区間に限ります（この区間は約 {distance_km:,.1f} km）。"
        note_en = f"The estimate for {mode.label_en} covers {range_en} only (this route is about {distance_km:,.1f} km)."
    return TripEstimate(
        one_way_yen=fare,
        one_way_minutes=minutes,
        network_km=network_km,
        applicable=applicable,
        note_ja=note_ja,
        note_en=note_en,
        monthly_pass_yen=monthly_pass,
    )


def applicable_modes(distance_km: float, parameters: dict[Mode, ModeParameters] | None = None) -> list[Mode]:
    """The modes whose estimate makes sense over this great-circle distance, in `Mode` order."""
    return [mode for mode in Mode if is_applicable(parameters_for(mode, parameters), distance_km)]
