"""The two-base cost simulator: month-by-month costs of living in base A and base B, less support programs.

Pure and deterministic (no Django): the page, the API and the exports call `validate`, `simulate` and
`compare`, and draw `svg_chart`. Amounts are integers in yen, rounded half up once per month; support
programs are deductions stored as negative amounts, so a month's `net` is the plain sum of its columns.
Travel fares and times come from `travel_model` (a documented estimate) unless an organization's
`RouteFare` gives the real figure.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from html import escape

from nikyoten.core.exceptions import ApplicationError
from nikyoten.core.geo import great_circle_km
from nikyoten.support.travel_model import (
    Mode,
    ModeParameters,
    RouteFare,
    applicable_modes,
    decimal,
    estimate_trip,
    is_applicable,
    parameters_for,
    range_text,
    round_half_up,
)

MAX_CANDIDATES = 4
MAX_TRIPS_PER_MONTH = 62  # two round trips a day in a 31-day month
MIN_MONTHS, MAX_MONTHS = 1, 120
FIRST_YEAR_MONTHS = 12
FIVE_YEAR_MONTHS = 60

# The columns of a month, in display order, with their labels (ja, en); `net` is their sum.
CATEGORIES: tuple[str, ...] = (
    "travel",
    "second_home",
    "utilities",
    "internet",
    "car",
    "one_time",
    "subsidies",
)
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "month": ("月", "Month"),
    "travel": ("交通費", "Travel"),
    "second_home": ("住居費（二拠点目）", "Second home"),
    "utilities": ("光熱費", "Utilities"),
    "internet": ("通信費", "Internet"),
    "car": ("自動車費", "Car"),
    "one_time": ("一時費用", "One-time costs"),
    "subsidies": ("支援制度（控除）", "Support programs (deducted)"),
    "net": ("差引合計", "Net"),
}

# The money fields of the input that must not be negative, with their labels (ja, en).
_AMOUNT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("second_home_rent_monthly", "二拠点目の家賃（月額）", "The second home's monthly rent"),
    ("utilities_monthly", "光熱費（月額）", "Monthly utilities"),
    ("internet_monthly", "通信費（月額）", "Monthly internet"),
    ("car_monthly", "自動車費（月額）", "Monthly car costs"),
    ("one_time_costs", "一時費用", "One-time costs"),
)


@dataclass(frozen=True)
class Base:
    """One base: a municipality (code, name) and the point distances are measured from."""

    code: str
    name: str
    lat: float
    lng: float
    name_en: str = ""

    def label(self, language: str = "ja") -> str:
        return (self.name_en or self.name) if language == "en" else self.name


@dataclass(frozen=True)
class Subsidy:
    """A support program as the simulator applies it: a monthly amount for some months, and/or a lump sum.

    The amounts are taken as given; deciding who is eligible and capping at the actual spending (e.g.
    "half the pass, up to 10,000 yen a month") is the caller's business.
    """

    name_ja: str
    name_en: str
    monthly_yen: int = 0
    months: int = 0
    start_month: int = 1
    one_time_yen: int = 0
    one_time_month: int = 1

    def amount_in(self, month: int) -> int:
        """What the program pays in a month (1-based)."""
        amount = self.monthly_yen if self.start_month <= month < self.start_month + self.months else 0
        if month == self.one_time_month:
            amount += self.one_time_yen
        return amount

    @property
    def total_yen(self) -> int:
        return self.monthly_yen * self.months + self.one_time_yen


@dataclass(frozen=True, kw_only=True)
class CostInput:
    """What a seeker enters: two bases, how they travel and how often, the second home's costs, programs."""

    base_a: Base
    base_b: Base
    mode: Mode
    trips_per_month: float  # round trips
    months: int = FIVE_YEAR_MONTHS
    second_home_rent_monthly: int = 0
    utilities_monthly: int = 0
    internet_monthly: int = 0
    car_monthly: int = 0
    one_time_costs: int = 0  # moving etc., counted in month 1
    route_fare: RouteFare | None = None
    parameters: dict[Mode, ModeParameters] | None = None  # the defaults of travel_model when None
    subsidies: tuple[Subsidy, ...] = ()


@dataclass(frozen=True)
class InputError:
    """One reason the input is refused, in both languages; `field` names the input it concerns."""

    field: str
    code: str
    message_ja: str
    message_en: str

    def message(self, language: str = "ja") -> str:
        return self.message_en if language == "en" else self.message_ja


class CostInputInvalid(ApplicationError):
    """The simulator refuses the input; `errors` holds every reason, each in Japanese and English."""

    code = "invalid_cost_input"

    def __init__(self, errors: list[InputError]) -> None:
        fields: dict[str, list[str]] = {}
        for error in errors:
            fields.setdefault(error.field, []).append(error.message_ja)
        super().__init__(" ".join(error.message_ja for error in errors), fields=fields)
        self.errors = errors


@dataclass(frozen=True)
class MonthRow:
    """One month: each cost (≥ 0), the programs' deduction (≤ 0) and their sum."""

    month: int
    travel: int
    second_home: int
    utilities: int
    internet: int
    car: int
    one_time: int
    subsidies: int
    net: int


@dataclass(frozen=True)
class CostResult:
    """The simulation of one input: travel figures, the months, totals and the assumptions behind them."""

    cost_input: CostInput
    distance_km: float  # great-circle, rounded to 0.1 km
    network_km: float
    one_way_minutes: int
    one_way_yen: int
    monthly_pass_yen: int | None  # None where no pass is known for the mode and route
    uses_pass: bool  # the monthly pass is cheaper than paying each trip
    travel_monthly: int
    monthly_rows: list[MonthRow]
    totals: dict[str, int]  # per category of CATEGORIES, plus "net"
    net_total: int
    first_year_net: int
    five_year_net: int
    monthly_average_net: int
    assumptions: list[tuple[str, str]]  # (ja, en) sentences

    @property
    def base_a(self) -> Base:
        return self.cost_input.base_a

    @property
    def base_b(self) -> Base:
        return self.cost_input.base_b

    @property
    def mode(self) -> Mode:
        return self.cost_input.mode

    @property
    def months(self) -> int:
        return self.cost_input.months


def _yen(amount: int) -> str:
    return f"{amount:,}"


def _number(value: float) -> str:
    """A count as written: 4.0 → "4", 2.5 → "2.5"."""
    return f"{value:g}"


def _valid_point(base: Base) -> bool:
    return (
        math.isfinite(base.lat)
        and math.isfinite(base.lng)
        and -90 <= base.lat <= 90
        and -180 <= base.lng <= 180
    )


def _valid_parameters(params: ModeParameters) -> bool:
    return (
        params.route_factor > 0
        and params.speed_kmh > 0
        and params.base_fare_yen >= 0
        and params.fare_per_km_yen >= 0
        and params.access_minutes >= 0
        and (params.commuter_pass_factor is None or params.commuter_pass_factor > 0)
    )


def _mode_list(modes: list[Mode], language: str) -> str:
    if not modes:
        return "なし" if language == "ja" else "none"
    if language == "ja":
        return "、".join(mode.label_ja for mode in modes)
    return ", ".join(mode.label_en for mode in modes)


def validate(cost_input: CostInput) -> list[InputError]:
    """Every reason to refuse the input (empty when it can be simulated), in Japanese and English."""
    errors: list[InputError] = []

    def add(field: str, code: str, ja: str, en: str) -> None:
        errors.append(InputError(field=field, code=code, message_ja=ja, message_en=en))

    points_valid = True
    for field, base, ja, en in (
        ("base_a", cost_input.base_a, "拠点A", "Base A"),
        ("base_b", cost_input.base_b, "拠点B", "Base B"),
    ):
        if not _valid_point(base):
            points_valid = False
            add(
                field,
                "invalid_point",
                f"{ja}の緯度・経度が正しくありません。",
                f"{en} has an invalid latitude or longitude.",
            )
    same_base = cost_input.base_a.code == cost_input.base_b.code
    if same_base:
        add(
            "base_b",
            "same_base",
            "拠点Aと拠点Bが同じ市区町村です。別の市区町村を選んでください。",
            "Base A and base B are the same municipality; choose two different ones.",
        )

    trips = cost_input.trips_per_month
    if not math.isfinite(trips) or not 0 <= trips <= MAX_TRIPS_PER_MONTH:
        add(
            "trips_per_month",
            "trips_out_of_range",
            f"月あたりの往復回数は 0〜{MAX_TRIPS_PER_MONTH} 回で入力してください。",
            f"Round trips per month must be between 0 and {MAX_TRIPS_PER_MONTH}.",
        )
    if not MIN_MONTHS <= cost_input.months <= MAX_MONTHS:
        add(
            "months",
            "months_out_of_range",
            f"期間は {MIN_MONTHS}〜{MAX_MONTHS} か月で入力してください。",
            f"The period must be between {MIN_MONTHS} and {MAX_MONTHS} months.",
        )
    for field, ja, en in _AMOUNT_FIELDS:
        if getattr(cost_input, field) < 0:
            add(field, "negative_amount", f"{ja}は 0 円以上で入力してください。", f"{en} cannot be negative.")

    fare = cost_input.route_fare
    if fare is not None:
        if fare.mode != cost_input.mode:
            add(
                "route_fare",
                "route_fare_mode_mismatch",
                f"入力された路線運賃は{fare.mode.label_ja}のものです。交通手段（{cost_input.mode.label_ja}）と合わせてください。",
                f"The route fare entered is for {fare.mode.label_en}; it must match the travel mode "
                f"({cost_input.mode.label_en}).",
            )
        for field, ja, en in (
            ("one_way_yen", "路線運賃の片道運賃", "The route's one-way fare"),
            ("monthly_pass_yen", "路線運賃の1か月定期代", "The route's monthly pass price"),
            ("one_way_minutes", "路線の片道所要時間", "The route's one-way time"),
        ):
            value = getattr(fare, field)
            if value is not None and value < 0:
                add(
                    f"route_fare.{field}",
                    "negative_amount",
                    f"{ja}は 0 以上で入力してください。",
                    f"{en} cannot be negative.",
                )

    for index, subsidy in enumerate(cost_input.subsidies):
        prefix = f"subsidies.{index}"
        for field, ja, en in (
            ("monthly_yen", "月額", "monthly amount"),
            ("months", "月数", "number of months"),
            ("one_time_yen", "一時金", "lump sum"),
        ):
            if getattr(subsidy, field) < 0:
                add(
                    f"{prefix}.{field}",
                    "negative_amount",
                    f"支援制度「{subsidy.name_ja}」の{ja}は 0 以上で入力してください。",
                    f"The {en} of the support program “{subsidy.name_en}” cannot be negative.",
                )
        for field, ja, en in (
            ("start_month", "開始月", "first month"),
            ("one_time_month", "一時金の月", "month of the lump sum"),
        ):
            if getattr(subsidy, field) < 1:
                add(
                    f"{prefix}.{field}",
                    "month_out_of_range",
                    f"支援制度「{subsidy.name_ja}」の{ja}は 1 か月目以降で入力してください。",
                    f"The {en} of the support program “{subsidy.name_en}” must be month 1 or later.",
                )

    params = parameters_for(cost_input.mode, cost_input.parameters)
    if not _valid_parameters(params):
        add(
            "parameters",
            "invalid_parameters",
            f"{cost_input.mode.label_ja}のモデルのパラメータが正しくありません（速度・経路係数は正の値、運賃は 0 以上）。",
            f"The {cost_input.mode.label_en} model parameters are invalid (speed and route factor must be "
            "positive, fares not negative).",
        )
    # A real fare an organization entered shows the route exists: the model's distance range yields to it.
    fare_given = fare is not None and fare.mode == cost_input.mode and fare.gives_fare
    if points_valid and not same_base and not fare_given:
        distance = great_circle_km(
            cost_input.base_a.lat, cost_input.base_a.lng, cost_input.base_b.lat, cost_input.base_b.lng
        )
        if not is_applicable(params, distance):
            fits = applicable_modes(distance, cost_input.parameters)
            range_ja, range_en = range_text(params)
            add(
                "mode",
                "mode_not_applicable",
                f"直線距離 約 {distance:,.0f} km の区間では{cost_input.mode.label_ja}の推定は使えません"
                f"（{range_ja}が対象）。この距離で使える交通手段: {_mode_list(fits, 'ja')}。",
                f"The estimate for {cost_input.mode.label_en} does not apply to a route of about "
                f"{distance:,.0f} km (it covers {range_en}). Modes that fit this distance: "
                f"{_mode_list(fits, 'en')}.",
            )
    return errors


def simulate(cost_input: CostInput) -> CostResult:
    """Month-by-month costs, totals and assumptions; raises `CostInputInvalid` with every reason to refuse."""
    errors = validate(cost_input)
    if errors:
        raise CostInputInvalid(errors)

    mode = cost_input.mode
    params = parameters_for(mode, cost_input.parameters)
    a, b = cost_input.base_a, cost_input.base_b
    distance = great_circle_km(a.lat, a.lng, b.lat, b.lng)
    estimate = estimate_trip(mode, distance, params)
    fare = cost_input.route_fare

    one_way_yen = estimate.one_way_yen
    one_way_minutes = estimate.one_way_minutes
    monthly_pass = estimate.monthly_pass_yen
    if fare is not None and fare.one_way_yen is not None:
        one_way_yen = fare.one_way_yen
        if params.commuter_pass_factor is not None:
            monthly_pass = round_half_up(Decimal(one_way_yen) * decimal(params.commuter_pass_factor), 10)
    if fare is not None and fare.monthly_pass_yen is not None:
        monthly_pass = fare.monthly_pass_yen
    if fare is not None and fare.one_way_minutes is not None:
        one_way_minutes = fare.one_way_minutes

    per_trip_monthly = round_half_up(decimal(cost_input.trips_per_month) * 2 * one_way_yen)
    uses_pass = monthly_pass is not None and monthly_pass < per_trip_monthly
    travel = monthly_pass if uses_pass and monthly_pass is not None else per_trip_monthly

    rows: list[MonthRow] = []
    for month in range(1, cost_input.months + 1):
        costs = {
            "travel": travel,
            "second_home": cost_input.second_home_rent_monthly,
            "utilities": cost_input.utilities_monthly,
            "internet": cost_input.internet_monthly,
            "car": cost_input.car_monthly,
            "one_time": cost_input.one_time_costs if month == 1 else 0,
            "subsidies": -sum(subsidy.amount_in(month) for subsidy in cost_input.subsidies),
        }
        rows.append(MonthRow(month=month, net=sum(costs.values()), **costs))

    totals = {category: sum(getattr(row, category) for row in rows) for category in (*CATEGORIES, "net")}
    net_total = totals["net"]
    return CostResult(
        cost_input=cost_input,
        distance_km=round(distance, 1),
        network_km=estimate.network_km,
        one_way_minutes=one_way_minutes,
        one_way_yen=one_way_yen,
        monthly_pass_yen=monthly_pass,
        uses_pass=uses_pass,
        travel_monthly=travel,
        monthly_rows=rows,
        totals=totals,
        net_total=net_total,
        first_year_net=sum(row.net for row in rows[:FIRST_YEAR_MONTHS]),
        five_year_net=sum(row.net for row in rows[:FIVE_YEAR_MONTHS]),
        monthly_average_net=round_half_up(Decimal(net_total) / cost_input.months),
        assumptions=_assumptions(
            cost_input,
            params=params,
            distance=distance,
            network_km=estimate.network_km,
            one_way_yen=one_way_yen,
            one_way_minutes=one_way_minutes,
            monthly_pass=monthly_pass,
            per_trip_monthly=per_trip_monthly,
            uses_pass=uses_pass,
        ),
    )


def _assumptions(
    cost_input: CostInput,
    *,
    params: ModeParameters,
    distance: float,
    network_km: float,
    one_way_yen: int,
    one_way_minutes: int,
    monthly_pass: int | None,
    per_trip_monthly: int,
    uses_pass: bool,
) -> list[tuple[str, str]]:
    """The sentences (ja, en) that say what the figures rest on, in the order a reader needs them."""
    a, b, mode = cost_input.base_a, cost_input.base_b, cost_input.mode
    fare = cost_input.route_fare
    fare_source_ja = (fare.source_ja or "出典の記載なし") if fare is not None else ""
    fare_source_en = (fare.source_en or fare.source_ja or "no source given") if fare is not None else ""
    lines: list[tuple[str, str]] = [
        (
            f"拠点A「{a.label('ja')}」と拠点B「{b.label('ja')}」の直線距離は約 {distance:,.1f} km です"
            "（緯度・経度からの大円距離）。",
            f"Base A “{a.label('en')}” and base B “{b.label('en')}” are about {distance:,.1f} km apart "
            "(great-circle distance from their coordinates).",
        ),
        (
            f"交通手段は{mode.label_ja}。モデルの経路距離は直線距離 × {params.route_factor:g} = 約 {network_km:,.1f} km、"
            f"片道運賃の推定式は {_yen(params.base_fare_yen)} 円 + {params.fare_per_km_yen:g} 円/km、"
            f"時間は平均時速 {params.speed_kmh:g} km + 乗り継ぎ等 {params.access_minutes} 分。"
            f"出典・根拠: {params.source_ja}",
            f"Travel mode: {mode.label_en}. The model's network distance is great-circle × "
            f"{params.route_factor:g} = about {network_km:,.1f} km; the one-way fare is estimated as "
            f"{_yen(params.base_fare_yen)} yen + {params.fare_per_km_yen:g} yen/km, the time as "
            f"{params.speed_kmh:g} km/h plus {params.access_minutes} minutes of access. Source and basis: "
            f"{params.source_en}",
        ),
    ]
    if fare is not None and fare.one_way_yen is not None:
        lines.append(
            (
                f"片道運賃 {_yen(one_way_yen)} 円は組織が入力した路線運賃です（{fare_source_ja}）。",
                f"The one-way fare of {_yen(one_way_yen)} yen is the route fare an organization entered "
                f"({fare_source_en}).",
            )
        )
    else:
        lines.append(
            (
                f"片道運賃は約 {_yen(one_way_yen)} 円（モデルによる推定値、10 円単位）。",
                f"The one-way fare is about {_yen(one_way_yen)} yen (the model's estimate, to 10 yen).",
            )
        )
    if fare is not None and fare.one_way_minutes is not None:
        lines.append(
            (
                f"片道の所要時間 {one_way_minutes} 分は組織が入力した値です（{fare_source_ja}）。",
                f"The one-way time of {one_way_minutes} minutes was entered by an organization ({fare_source_en}).",
            )
        )
    else:
        lines.append(
            (
                f"片道の所要時間は約 {one_way_minutes} 分（モデルによる推定値、5 分単位）。",
                f"The one-way time is about {one_way_minutes} minutes (the model's estimate, to 5 minutes).",
            )
        )

    trips = _number(cost_input.trips_per_month)
    per_trip_ja = f"月 {trips} 往復 × 2 × 片道 {_yen(one_way_yen)} 円 = {_yen(per_trip_monthly)} 円"
    per_trip_en = (
        f"{trips} round trips a month × 2 × {_yen(one_way_yen)} yen one way = {_yen(per_trip_monthly)} yen"
    )
    if monthly_pass is None:
        lines.append(
            (
                f"交通費は毎回の運賃で計算しました（{per_trip_ja}）。この交通手段の定期券は想定していません。",
                f"Travel is counted fare by fare ({per_trip_en}); no monthly pass is assumed for this mode.",
            )
        )
    else:
        if fare is not None and fare.monthly_pass_yen is not None:
            pass_ja, pass_en = (
                f"組織が入力した額、{fare_source_ja}",
                f"entered by an organization, {fare_source_en}",
            )
        else:
            factor = f"{params.commuter_pass_factor:g}"
            pass_ja, pass_en = f"片道の {factor} 倍として推定", f"estimated as {factor} one-way fares"
        if uses_pass:
            lines.append(
                (
                    f"1か月定期 {_yen(monthly_pass)} 円（{pass_ja}）が毎回の運賃（{per_trip_ja}）より安いため、"
                    "交通費は定期券で計算しました。",
                    f"The monthly pass at {_yen(monthly_pass)} yen ({pass_en}) is cheaper than paying each "
                    f"trip ({per_trip_en}), so travel is counted as the pass.",
                )
            )
        else:
            lines.append(
                (
                    f"毎回の運賃（{per_trip_ja}）が 1か月定期 {_yen(monthly_pass)} 円（{pass_ja}）以下のため、"
                    "交通費は毎回の運賃で計算しました。",
                    f"Paying each trip ({per_trip_en}) costs no more than the monthly pass at "
                    f"{_yen(monthly_pass)} yen ({pass_en}), so travel is counted fare by fare.",
                )
            )

    lines.append(
        (
            f"毎月の固定費: 二拠点目の住居費 {_yen(cost_input.second_home_rent_monthly)} 円、"
            f"光熱費 {_yen(cost_input.utilities_monthly)} 円、通信費 {_yen(cost_input.internet_monthly)} 円、"
            f"自動車費 {_yen(cost_input.car_monthly)} 円。一時費用 {_yen(cost_input.one_time_costs)} 円は 1 か月目に計上。",
            f"Fixed monthly costs: second home {_yen(cost_input.second_home_rent_monthly)} yen, utilities "
            f"{_yen(cost_input.utilities_monthly)} yen, internet {_yen(cost_input.internet_monthly)} yen, car "
            f"{_yen(cost_input.car_monthly)} yen. One-time costs of {_yen(cost_input.one_time_costs)} yen are "
            "counted in month 1.",
        )
    )

    months = cost_input.months
    for subsidy in cost_input.subsidies:
        within = sum(subsidy.amount_in(month) for month in range(1, months + 1))
        parts_ja: list[str] = []
        parts_en: list[str] = []
        if subsidy.monthly_yen and subsidy.months:
            last = subsidy.start_month + subsidy.months - 1
            parts_ja.append(
                f"月 {_yen(subsidy.monthly_yen)} 円 × {subsidy.months} か月（{subsidy.start_month}〜{last} か月目）"
            )
            parts_en.append(
                f"{_yen(subsidy.monthly_yen)} yen a month × {subsidy.months} months (months {subsidy.start_month}–{last})"
            )
        if subsidy.one_time_yen:
            parts_ja.append(f"一時金 {_yen(subsidy.one_time_yen)} 円（{subsidy.one_time_month} か月目）")
            parts_en.append(
                f"a lump sum of {_yen(subsidy.one_time_yen)} yen (month {subsidy.one_time_month})"
            )
        if not parts_ja:
            parts_ja.append("金額 0 円")
            parts_en.append("no amount")
        outside_ja = outside_en = ""
        if within < subsidy.total_yen:
            outside_ja = f"期間（{months} か月）外の {_yen(subsidy.total_yen - within)} 円は含みません。"
            outside_en = f" The {_yen(subsidy.total_yen - within)} yen outside the {months}-month period is not counted."
        lines.append(
            (
                f"支援制度「{subsidy.name_ja}」: {'、'.join(parts_ja)}を差し引き、期間内で計 {_yen(within)} 円。"
                f"{outside_ja}",
                f"Support program “{subsidy.name_en or subsidy.name_ja}”: {' and '.join(parts_en)} deducted, "
                f"{_yen(within)} yen within the period.{outside_en}",
            )
        )
    if cost_input.subsidies:
        lines.append(
            (
                "支援制度の金額は入力どおりに差し引いています。対象となるか、上限・実費との関係は各制度の要件で確認してください。",
                "Support program amounts are deducted as entered; check each program's conditions for "
                "eligibility and for caps tied to actual spending.",
            )
        )
    lines.append(
        (
            f"期間は {months} か月。金額はすべて円単位の概算（推定値）で、端数は月ごとに四捨五入しています。"
            "実際の運賃・家賃・支援額とは異なる場合があります。駅・空港までの交通費、宿泊費、税金は含みません。",
            f"The period is {months} months. All amounts are estimates in yen, rounded half up month by "
            "month, and may differ from real fares, rents and program amounts. Getting to stations and "
            "airports, lodging and taxes are not included.",
        )
    )
    return lines


def compare(base_input: CostInput, candidates: list[Base]) -> list[CostResult]:
    """One result per base-B candidate (one to four), each with everything else of `base_input`."""
    if not candidates:
        raise CostInputInvalid(
            [
                InputError(
                    field="candidates",
                    code="no_candidates",
                    message_ja="比較する拠点Bの候補を 1 つ以上選んでください。",
                    message_en="Choose at least one base-B candidate to compare.",
                )
            ]
        )
    if len(candidates) > MAX_CANDIDATES:
        raise CostInputInvalid(
            [
                InputError(
                    field="candidates",
                    code="too_many_candidates",
                    message_ja=f"比較できる拠点Bの候補は {MAX_CANDIDATES} つまでです（{len(candidates)} つ選ばれています）。",
                    message_en=f"Up to {MAX_CANDIDATES} base-B candidates can be compared ({len(candidates)} were chosen).",
                )
            ]
        )
    errors: list[InputError] = []
    seen: set[str] = set()
    inputs = [replace(base_input, base_b=candidate) for candidate in candidates]
    for index, (candidate, candidate_input) in enumerate(zip(candidates, inputs, strict=True)):
        if candidate.code in seen:
            errors.append(
                InputError(
                    field=f"candidates.{index}",
                    code="duplicate_candidate",
                    message_ja=f"候補「{candidate.label('ja')}」が重複しています。",
                    message_en=f"The candidate “{candidate.label('en')}” is listed twice.",
                )
            )
        seen.add(candidate.code)
        for error in validate(candidate_input):
            errors.append(
                InputError(
                    field=f"candidates.{index}.{error.field}",
                    code=error.code,
                    message_ja=f"候補 {index + 1}（{candidate.label('ja')}）: {error.message_ja}",
                    message_en=f"Candidate {index + 1} ({candidate.label('en')}): {error.message_en}",
                )
            )
    if errors:
        raise CostInputInvalid(errors)
    return [simulate(candidate_input) for candidate_input in inputs]


def chart_series(result: CostResult) -> list[tuple[int, int]]:
    """(month, cumulative net up to and including that month) for every month of the period."""
    series: list[tuple[int, int]] = []
    running = 0
    for row in result.monthly_rows:
        running += row.net
        series.append((row.month, running))
    return series


# Okabe–Ito colours, distinguishable with colour-vision deficiencies, each line also dashed differently.
_LINE_STYLES: tuple[tuple[str, str], ...] = (
    ("#0072B2", ""),
    ("#D55E00", "8 4"),
    ("#009E73", "2 3"),
    ("#CC79A7", "10 3 2 3"),
)


def _nice_step(span: float, target_ticks: int = 5) -> int:
    """A 1-2-5 step (in yen, at least 1) giving about `target_ticks` intervals over `span`."""
    raw = max(span / target_ticks, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return int(multiple * magnitude)
    return int(10 * magnitude)


def _yen_tick(value: int, step: int, language: str) -> str:
    if value == 0:
        return "¥0" if language == "en" else "0円"
    if language == "en":
        return f"¥{value:,}"
    if step % 10_000 == 0:
        return f"{value // 10_000:,}万円"
    return f"{value:,}円"


def _series_label(result: CostResult, language: str) -> str:
    mode = result.mode.label_en if language == "en" else result.mode.label_ja
    return f"{result.base_a.label(language)}–{result.base_b.label(language)} ({mode})"


def svg_chart(
    results: Sequence[CostResult],
    *,
    title: str,
    width: int = 640,
    height: int = 280,
    language: str = "ja",
    chart_id: str = "cost-chart",
) -> str:
    """An inline, script-free SVG of cumulative net cost by month: one dashed, coloured line per result.

    Accessible: role="img", a <title> and a <desc> naming each line and its total; every text escaped.
    """
    en = language == "en"
    series = [chart_series(result) for result in results]
    values = [0] + [value for points in series for _, value in points]
    max_month = max([1] + [month for points in series for month, _ in points])
    step = _nice_step(max(values) - min(values))
    low = math.floor(min(values) / step) * step
    high = max(math.ceil(max(values) / step) * step, low + step)

    legend_height = 16 * len(results)
    left, right, top, bottom = 84, 16, 14 + legend_height, 42
    plot_w, plot_h = max(width - left - right, 1), max(height - top - bottom, 1)

    def x(month: int) -> float:
        return left + plot_w * month / max_month

    def y(value: int) -> float:
        return top + plot_h * (high - value) / (high - low)

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc = "; ".join(
        f"{_series_label(result, language)}: {result.months} months, net {result.net_total:,} yen"
        if en
        else f"{_series_label(result, language)}: {result.months}か月の累計 {result.net_total:,}円"
        for result in results
    ) or ("No data" if en else "データなし")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        'font-family="sans-serif" font-size="11">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>',
    ]
    # Horizontal grid lines with yen labels.
    for tick in range(low, high + 1, step):
        ty = y(tick)
        stroke = "#555" if tick == 0 else "#ddd"
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="{stroke}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#333">'
            f"{escape(_yen_tick(tick, step, language))}</text>"
        )
    # Month ticks: every year for long periods, every quarter or month for short ones.
    month_step = 12 if max_month > 24 else 3 if max_month > 6 else 1
    for month in [0, *range(month_step, max_month + 1, month_step)]:
        tx = x(month)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top + plot_h}" x2="{tx:.1f}" y2="{top + plot_h + 4}" stroke="#555"/>'
        )
        parts.append(
            f'<text x="{tx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#333">{month}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="#333">'
        f"{escape('Month' if en else '月（か月目）')}</text>"
    )
    parts.append(
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" fill="#333" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">'
        f"{escape('Cumulative net (yen)' if en else '累計（円）')}</text>"
    )
    # One polyline per result, starting from 0 at month 0, and its legend entry.
    for index, (result, points) in enumerate(zip(results, series, strict=True)):
        colour, dash = _LINE_STYLES[index % len(_LINE_STYLES)]
        coords = " ".join(f"{x(month):.1f},{y(value):.1f}" for month, value in [(0, 0), *points])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        label = escape(_series_label(result, language))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash_attr} points="{coords}">'
            f"<title>{label}</title></polyline>"
        )
        ly = 12 + 16 * index
        parts.append(
            f'<line x1="{left}" y1="{ly}" x2="{left + 24}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        parts.append(f'<text x="{left + 30}" y="{ly + 4}" fill="#111">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
