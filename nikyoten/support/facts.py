"""The facts a support program's conditions can test, computed from a seeker's profile and a destination.

A seeker answers questions (the fields of `Profile`); a program's conditions never read those answers
directly but the facts derived from them (`applicant.age`, `origin.years_in_tokyo23_last10`, …), so the
same answer serves every program and an author can only name facts that exist. A fact is `UNKNOWN` when
an answer it needs is missing, and `Bounds(low, high)` when only part of it is known (e.g. the years in
東京23区 before the commuting history is given); `None` means "does not apply" (no spouse, no children).

No Django here: plain Python, deterministic, no I/O (house style: pure engines in plain modules).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from enum import Enum
from typing import Final, TypeAlias

from nikyoten.core.dates import add_months

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"

# ---------------------------------------------------------------------------------------------------------
# Choice vocabularies (value → (Japanese label, English label)).

AREAS: Final[dict[str, tuple[str, str]]] = {
    "tokyo23": ("東京23区", "Tokyo's 23 wards"),
    "tokyo_area": (
        "東京圏（23区を除く。条件不利地域ではない地域）",
        "Greater Tokyo outside the 23 wards (not a disadvantaged area)",
    ),
    "tokyo_area_disadvantaged": ("東京圏の条件不利地域", "A disadvantaged area of Greater Tokyo"),
    "other": ("東京圏の外", "Outside Greater Tokyo"),
}
TOKYO_AREAS: Final = ("tokyo23", "tokyo_area", "tokyo_area_disadvantaged")

EMPLOYMENT_ROUTES: Final[dict[str, tuple[str, str]]] = {
    "matching_job": (
        "移住支援金の対象求人に就職",
        "A job posted on the prefecture's relocation-grant job site",
    ),
    "professional": (
        "専門人材として就職（プロフェッショナル人材事業など）",
        "Hired as a professional (talent programmes)",
    ),
    "telework": ("テレワークで移住前の仕事を続ける", "Keep the previous job by telework"),
    "relationship": (
        "関係人口として市町村が認める",
        "Relationship population recognised by the municipality",
    ),
    "startup": ("起業（起業支援金の交付決定あり）", "Start a business (with a startup grant decision)"),
    "local_job": ("地元で就職（対象求人以外）", "Another local job"),
    "farming": ("就農", "Farming"),
    "none": ("仕事はしない・その他", "No job or other"),
}

HOUSING_ACQUISITIONS: Final[dict[str, tuple[str, str]]] = {
    "new": ("新築住宅を取得", "Buy or build a new home"),
    "used": ("中古住宅を取得", "Buy a used home"),
    "rent": ("賃貸住宅に住む", "Rent"),
    "none": ("取得しない・その他", "None or other"),
}

COMMUTE_MODES: Final[dict[str, tuple[str, str]]] = {
    "shinkansen": ("新幹線", "Shinkansen"),
    "conventional_rail": ("在来線", "Conventional rail"),
    "highway_bus": ("高速バス", "Highway bus"),
    "car": ("自動車", "Car"),
    "plane": ("飛行機", "Plane"),
    "none": ("通勤しない", "No commute"),
}

# Units: code → (Japanese, English label, English in sentences). Ages read "39 or under" in English.
UNITS: Final[dict[str, tuple[str, str, str]]] = {
    "": ("", "", ""),
    "age": ("歳", "years", ""),
    "years": ("年", "years", "years"),
    "months": ("か月", "months", "months"),
    "yen": ("円", "yen", "yen"),
    "people": ("人", "people", "people"),
}

# ---------------------------------------------------------------------------------------------------------
# The profile: what a seeker tells us. Every field but the evaluation date may be unknown (None).


@dataclass(frozen=True)
class Spell:
    """A period of residence in one kind of area; `end` is the last day (inclusive), None while ongoing."""

    start: date
    end: date | None
    area: str


@dataclass(frozen=True)
class CommuteSpell:
    """A period of commuting into 東京23区; only time insured under 雇用保険 counts for the 移住支援金."""

    start: date
    end: date | None
    employment_insurance: bool


@dataclass(frozen=True)
class StudySpell:
    """A period of study at a university or similar in 東京23区 (counts as 23区 time; rules §2.1, since 2021)."""

    start: date
    end: date | None


@dataclass(frozen=True, kw_only=True)
class Profile:
    """A seeker's answers, as of `evaluation_date` (the application date being considered).

    None means "not answered". Household members are those who move with the applicant: `has_spouse` is a
    spouse or partner moving together; `children_birth_dates` the children moving together (() = none).
    `residence_history` lists where the applicant lived before the move; `prior_outside_residence_years` is
    how long they lived outside the destination municipality just before moving there.
    """

    evaluation_date: date
    applicant_birth_date: date | None = None
    has_spouse: bool | None = None
    spouse_birth_date: date | None = None
    children_birth_dates: tuple[date, ...] | None = None
    residence_history: tuple[Spell, ...] | None = None
    commute_to_tokyo23_history: tuple[CommuteSpell, ...] | None = None
    study_in_tokyo23_history: tuple[StudySpell, ...] | None = None
    move_in_date: date | None = None
    employment_route: str | None = None
    housing_acquisition: str | None = None
    housing_renovation_cost: int | None = None
    converts_akiya_to_rental: bool | None = None
    monthly_rent: int | None = None
    commute_mode: str | None = None
    commute_destination_area: str | None = None
    commuter_pass_monthly: int | None = None
    commute_allowance_monthly: int | None = None
    pass_start_date: date | None = None
    work_start_date: date | None = None
    stay_intention_years: int | None = None
    new_farmer: bool | None = None
    received_programs: tuple[str, ...] | None = None
    tax_arrears: bool | None = None
    prior_outside_residence_years: float | None = None


PROFILE_FIELDS: Final = tuple(f.name for f in fields(Profile))


@dataclass(frozen=True, kw_only=True)
class Destination:
    """The municipality being evaluated, as the municipality master and its staff describe it (None = not set)."""

    code: str
    prefecture_code: str
    in_tokyo_area: bool | None = None
    disadvantaged: bool | None = None
    participates_relocation_grant: bool | None = None


# ---------------------------------------------------------------------------------------------------------
# Values


class Unknown(Enum):
    """The sentinel type of a fact whose answers are missing."""

    UNKNOWN = "unknown"

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown.UNKNOWN


@dataclass(frozen=True)
class Bounds:
    """A partly known number: the true value lies in [low, high]; high None means no upper bound."""

    low: float
    high: float | None


FactValue: TypeAlias = "int | float | bool | str | date | tuple[str, ...] | None"
Computed: TypeAlias = "FactValue | Bounds | Unknown"

# ---------------------------------------------------------------------------------------------------------
# Questions: the profile fields as a form asks them.

QUESTION_KINDS: Final = (
    "date",
    "dates",
    "bool",
    "choice",
    "int",
    "number",
    "list",
    "residence_history",
    "commute_history",
    "study_history",
)


@dataclass(frozen=True)
class Question:
    """One profile field to ask: `key` is the `Profile` field name; `choices` are (value, ja, en)."""

    key: str
    label_ja: str
    label_en: str
    kind: str
    choices: tuple[tuple[str, str, str], ...] = ()
    unit_ja: str = ""
    unit_en: str = ""


def _choices(table: Mapping[str, tuple[str, str]]) -> tuple[tuple[str, str, str], ...]:
    return tuple((value, ja, en) for value, (ja, en) in table.items())


def _question(key: str, label_ja: str, label_en: str, kind: str, **extra: object) -> Question:
    unit = str(extra.get("unit", ""))
    choices = extra.get("choices")
    return Question(
        key=key,
        label_ja=label_ja,
        label_en=label_en,
        kind=kind,
        choices=_choices(choices) if isinstance(choices, dict) else (),
        unit_ja=UNITS[unit][0],
        unit_en=UNITS[unit][1],
    )


QUESTIONS: Final[dict[str, Question]] = {
    q.key: q
    for q in (
        _question("applicant_birth_date", "申請者の生年月日", "Applicant's date of birth", "date"),
        _question(
            "has_spouse",
            "一緒に移住する配偶者（パートナー）がいますか",
            "Is a spouse or partner moving with you?",
            "bool",
        ),
        _question(
            "spouse_birth_date",
            "配偶者（パートナー）の生年月日",
            "Spouse's or partner's date of birth",
            "date",
        ),
        _question(
            "children_birth_dates",
            "一緒に移住する子どもの生年月日（いなければなし）",
            "Dates of birth of the children moving with you (none if none)",
            "dates",
        ),
        _question(
            "residence_history",
            "移住前の住まい（期間と地域）",
            "Where you lived before moving (periods and areas)",
            "residence_history",
            choices=AREAS,
        ),
        _question(
            "commute_to_tokyo23_history",
            "東京23区への通勤（期間と雇用保険の加入）",
            "Commuting into Tokyo's 23 wards (periods, and whether you had employment insurance)",
            "commute_history",
        ),
        _question(
            "study_in_tokyo23_history",
            "東京23区の大学などへの通学（期間）",
            "Study at a university or college in Tokyo's 23 wards (periods)",
            "study_history",
        ),
        _question("move_in_date", "転入日（予定日）", "Date of moving in (or planned date)", "date"),
        _question(
            "employment_route", "移住後の仕事", "Work after moving", "choice", choices=EMPLOYMENT_ROUTES
        ),
        _question(
            "housing_acquisition",
            "住まいの取得",
            "Your home after moving",
            "choice",
            choices=HOUSING_ACQUISITIONS,
        ),
        _question("housing_renovation_cost", "改修工事の費用", "Renovation cost", "int", unit="yen"),
        _question(
            "converts_akiya_to_rental",
            "所有する空き家を賃貸住宅にするために改修しますか",
            "Are you renovating a vacant house you own to rent it out?",
            "bool",
        ),
        _question("monthly_rent", "家賃（月額）", "Monthly rent", "int", unit="yen"),
        _question("commute_mode", "通勤の手段", "How you commute", "choice", choices=COMMUTE_MODES),
        _question(
            "commute_destination_area", "通勤先の地域", "Where you commute to", "choice", choices=AREAS
        ),
        _question(
            "commuter_pass_monthly",
            "通勤定期券の代金（1か月あたり）",
            "Commuter pass cost per month",
            "int",
            unit="yen",
        ),
        _question(
            "commute_allowance_monthly",
            "勤務先から出る通勤手当（1か月あたり）",
            "Commuting allowance from your employer per month",
            "int",
            unit="yen",
        ),
        _question("pass_start_date", "定期券の使用開始日", "Date the commuter pass starts", "date"),
        _question("work_start_date", "就業開始日", "Date you start work", "date"),
        _question(
            "stay_intention_years",
            "移住先に住み続ける予定の年数",
            "Years you intend to keep living there",
            "int",
            unit="years",
        ),
        _question(
            "new_farmer",
            "新たに農業を始めますか（新規就農）",
            "Are you starting out as a new farmer?",
            "bool",
        ),
        _question(
            "received_programs",
            "これまでに受けた支援制度",
            "Support programs you have already received",
            "list",
        ),
        _question(
            "tax_arrears",
            "移住前の住所で住民税の滞納がありますか",
            "Do you have unpaid resident tax at your previous address?",
            "bool",
        ),
        _question(
            "prior_outside_residence_years",
            "転入前に移住先の市区町村の外に住んでいた年数",
            "Years you lived outside the destination municipality before moving there",
            "number",
            unit="years",
        ),
    )
}

# ---------------------------------------------------------------------------------------------------------
# Date arithmetic


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier)."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    while add_months(start, months) > end:
        months -= 1
    return months


def age_on(birth: date, day: date) -> int:
    """Age in whole years on `day`: it rises on the birthday (a 2/29 birthday rises on 3/1 in other years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# Intervals are [start, end) with an exclusive end; far future stands for "ongoing".
Interval: TypeAlias = "tuple[date, date]"
_FAR_FUTURE: Final = date(9999, 12, 31)


def _interval(start: date, end: date | None) -> Interval:
    return (start, _FAR_FUTURE if end is None or end >= _FAR_FUTURE else end + timedelta(days=1))


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _intersect(left: list[Interval], right: list[Interval]) -> list[Interval]:
    return _merge(
        (max(a, c), min(b, d)) for a, b in _merge(left) for c, d in _merge(right) if max(a, c) < min(b, d)
    )


def _clip(intervals: list[Interval], low: date, high: date) -> list[Interval]:
    return _merge((max(a, low), min(b, high)) for a, b in intervals if max(a, low) < min(b, high))


def _years(start: date, end: date) -> float:
    """Length of [start, end) in years: whole calendar months, plus leftover days as 1/31 of a month."""
    months = months_between(start, end)
    rest = (end - add_months(start, months)).days
    return (months + rest / 31) / 12


def _total_years(intervals: list[Interval]) -> float:
    return round(float(sum(_years(a, b) for a, b in intervals)), 4)


# ---------------------------------------------------------------------------------------------------------
# Fact computations


def _known(value: FactValue) -> FactValue | Unknown:
    return UNKNOWN if value is None else value


def _applicant_age(p: Profile, d: Destination) -> Computed:
    return UNKNOWN if p.applicant_birth_date is None else age_on(p.applicant_birth_date, p.evaluation_date)


def _spouse_age(p: Profile, d: Destination) -> Computed:
    if p.has_spouse is False:
        return None
    if p.has_spouse is None or p.spouse_birth_date is None:
        return UNKNOWN
    return age_on(p.spouse_birth_date, p.evaluation_date)


def _household_size(p: Profile, d: Destination) -> Computed:
    children = p.children_birth_dates
    known_children = len(children) if children is not None else 0
    low = 1 + (p.has_spouse is True) + known_children
    if children is None:
        return Bounds(low, None)
    high = 1 + (p.has_spouse is not False) + known_children
    return low if low == high else Bounds(low, high)


def children_at_most(profile: Profile, max_age: int) -> int | Unknown:
    """How many children moving with the applicant are `max_age` or younger on the evaluation date."""
    if profile.children_birth_dates is None:
        return UNKNOWN
    return sum(age_on(b, profile.evaluation_date) <= max_age for b in profile.children_birth_dates)


def _children_under_18(p: Profile, d: Destination) -> Computed:
    return children_at_most(p, 17)


def _youngest_child_age(p: Profile, d: Destination) -> Computed:
    if p.children_birth_dates is None:
        return UNKNOWN
    if not p.children_birth_dates:
        return None
    return min(age_on(b, p.evaluation_date) for b in p.children_birth_dates)


def _origin_intervals(p: Profile, *, most: bool) -> list[Interval]:
    """Qualifying 23区 time (rules §2.1) as intervals; `most` fills an unknown commute history generously.

    Living in 23区 counts; living in 東京圏 outside 23区 (not 条件不利) counts while commuting into 23区 under
    雇用保険; study in 23区 counts. Overlaps count once. An unknown study history is handled by the caller.
    """
    residence = p.residence_history or ()
    tokyo23 = [_interval(s.start, s.end) for s in residence if s.area == "tokyo23"]
    suburbs = [_interval(s.start, s.end) for s in residence if s.area == "tokyo_area"]
    if p.commute_to_tokyo23_history is None:
        commute = suburbs if most else []
    else:
        commute = [_interval(c.start, c.end) for c in p.commute_to_tokyo23_history if c.employment_insurance]
    study = [_interval(s.start, s.end) for s in p.study_in_tokyo23_history or ()]
    return _merge(tokyo23 + _intersect(suburbs, commute) + study)


def _partial(low: float, high: float | None) -> Computed:
    return low if high is not None and high == low else Bounds(low, high)


def _years_in_tokyo23_last10(p: Profile, d: Destination) -> Computed:
    if p.residence_history is None or p.move_in_date is None:
        return UNKNOWN
    window = (add_months(p.move_in_date, -120), p.move_in_date)
    low = _total_years(_clip(_origin_intervals(p, most=False), *window))
    if p.study_in_tokyo23_history is None:
        return _partial(low, 10.0)
    return _partial(low, _total_years(_clip(_origin_intervals(p, most=True), *window)))


def _run_before_move(intervals: list[Interval], move_in: date) -> float:
    """Years of the last qualifying run, if it lasted until at least 3 months before the move (rules §2.1)."""
    clipped = _clip(intervals, date.min, move_in)
    if not clipped or clipped[-1][1] < add_months(move_in, -3):
        return 0.0
    return _total_years([clipped[-1]])


def _continuous_years_before_move(p: Profile, d: Destination) -> Computed:
    if p.residence_history is None or p.move_in_date is None:
        return UNKNOWN
    low = _run_before_move(_origin_intervals(p, most=False), p.move_in_date)
    if p.study_in_tokyo23_history is None:
        return _partial(low, None)
    return _partial(low, _run_before_move(_origin_intervals(p, most=True), p.move_in_date))


def _last_area(p: Profile, d: Destination) -> Computed:
    if p.residence_history is None:
        return UNKNOWN
    move_in = p.move_in_date
    before = [s for s in p.residence_history if move_in is None or s.start < move_in]
    return max(before, key=lambda s: s.start).area if before else None


def _months_since(anchor: Callable[[Profile], date | None]) -> Callable[[Profile, Destination], Computed]:
    def compute(p: Profile, d: Destination) -> Computed:
        day = anchor(p)
        return UNKNOWN if day is None else months_between(day, p.evaluation_date)

    return compute


def _pass_start_months_after_move(p: Profile, d: Destination) -> Computed:
    if p.move_in_date is None or p.pass_start_date is None:
        return UNKNOWN
    return months_between(p.move_in_date, p.pass_start_date)


def _outside_tokyo_area(p: Profile, d: Destination) -> Computed:
    if d.in_tokyo_area is False or d.disadvantaged is True:
        return True
    if d.in_tokyo_area is True and d.disadvantaged is False:
        return False
    return UNKNOWN


def _field(name: str) -> Callable[[Profile, Destination], Computed]:
    def compute(p: Profile, d: Destination) -> Computed:
        value: FactValue = getattr(p, name)
        return _known(value)

    return compute


def _destination_field(name: str) -> Callable[[Profile, Destination], Computed]:
    def compute(p: Profile, d: Destination) -> Computed:
        value: FactValue = getattr(d, name)
        return _known(value)

    return compute


# ---------------------------------------------------------------------------------------------------------
# The registry

FACT_KINDS: Final = ("int", "number", "bool", "choice", "date", "list")


@dataclass(frozen=True)
class Fact:
    """A named fact: its labels, kind, unit, the answers it needs (`inputs`) and how it is computed.

    `inputs` are `Profile` field names (questions) or `destination.*` attributes (set by staff, never asked).
    `subject_ja`/`subject_en` begin a sentence about it; bool facts also say what true and false mean.
    """

    key: str
    label_ja: str
    label_en: str
    kind: str
    inputs: tuple[str, ...]
    compute: Callable[[Profile, Destination], Computed] = field(compare=False, repr=False)
    unit: str = ""
    choices: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    subject_ja: str = ""
    subject_en: str = ""
    true_ja: str = ""
    false_ja: str = ""
    true_en: str = ""
    false_en: str = ""

    @property
    def unit_ja(self) -> str:
        return UNITS[self.unit][0]

    @property
    def unit_en(self) -> str:
        return UNITS[self.unit][1]

    @property
    def sentence_ja(self) -> str:
        return self.subject_ja or f"{self.label_ja}が"

    @property
    def sentence_en(self) -> str:
        return self.subject_en or self.label_en

    def value(self, profile: Profile, destination: Destination) -> Computed:
        """The fact's value for this profile and destination."""
        return self.compute(profile, destination)


_ORIGIN_INPUTS: Final = (
    "residence_history",
    "commute_to_tokyo23_history",
    "study_in_tokyo23_history",
    "move_in_date",
)

FACTS: Final[dict[str, Fact]] = {
    f.key: f
    for f in (
        Fact(
            "applicant.age",
            "申請者の年齢",
            "Applicant's age",
            "int",
            ("applicant_birth_date",),
            _applicant_age,
            "age",
        ),
        Fact(
            "spouse.age",
            "配偶者の年齢",
            "Spouse's age",
            "int",
            ("has_spouse", "spouse_birth_date"),
            _spouse_age,
            "age",
        ),
        Fact(
            "household.has_spouse",
            "配偶者（パートナー）の帯同",
            "Spouse or partner moving with you",
            "bool",
            ("has_spouse",),
            _field("has_spouse"),
            true_ja="配偶者（パートナー）と一緒に移住する",
            false_ja="配偶者（パートナー）と一緒に移住しない",
            true_en="A spouse or partner moves with you",
            false_en="No spouse or partner moves with you",
        ),
        Fact(
            "household.size",
            "一緒に移住する世帯の人数",
            "People moving together (household size)",
            "int",
            ("has_spouse", "children_birth_dates"),
            _household_size,
            "people",
        ),
        Fact(
            "household.children_under_18",
            "一緒に移住する18歳未満の子どもの人数",
            "Children under 18 moving with you",
            "int",
            ("children_birth_dates",),
            _children_under_18,
            "people",
        ),
        Fact(
            "household.youngest_child_age",
            "一緒に移住する末子の年齢",
            "Youngest child's age",
            "int",
            ("children_birth_dates",),
            _youngest_child_age,
            "age",
        ),
        Fact(
            "origin.years_in_tokyo23_last10",
            "直近10年の東京23区での居住・通勤の年数",
            "Years living in or commuting into Tokyo's 23 wards in the 10 years before moving",
            "number",
            _ORIGIN_INPUTS,
            _years_in_tokyo23_last10,
            "years",
            subject_ja="東京23区での居住・通勤が直近10年で",
            subject_en="Time living in or commuting into Tokyo's 23 wards in the 10 years before moving",
        ),
        Fact(
            "origin.continuous_years_before_move",
            "移住直前に続けて東京23区で居住・通勤した年数",
            "Continuous years living in or commuting into Tokyo's 23 wards just before moving",
            "number",
            _ORIGIN_INPUTS,
            _continuous_years_before_move,
            "years",
            subject_ja="移住直前（3か月前までを含む）に続けて東京23区で居住・通勤した期間が",
            subject_en="Continuous time living in or commuting into Tokyo's 23 wards up to the move (or 3 months before)",
        ),
        Fact(
            "origin.last_area",
            "移住前に住んでいた地域",
            "Area you moved from",
            "choice",
            ("residence_history",),
            _last_area,
            choices=AREAS,
        ),
        Fact(
            "origin.prior_outside_years",
            "転入前に市区町村の外に住んでいた年数",
            "Years lived outside the municipality before moving in",
            "number",
            ("prior_outside_residence_years",),
            _field("prior_outside_residence_years"),
            "years",
        ),
        Fact("move.date", "転入日", "Date of moving in", "date", ("move_in_date",), _field("move_in_date")),
        Fact(
            "move.months_since",
            "転入してからの月数",
            "Months since moving in",
            "int",
            ("move_in_date",),
            _months_since(lambda p: p.move_in_date),
            "months",
        ),
        Fact(
            "destination.outside_tokyo_area",
            "移住先が東京圏の外（または条件不利地域）",
            "Destination outside Greater Tokyo (or a disadvantaged area)",
            "bool",
            ("destination.in_tokyo_area", "destination.disadvantaged"),
            _outside_tokyo_area,
            true_ja="移住先が東京圏の外または条件不利地域",
            false_ja="移住先が東京圏（条件不利地域を除く）",
            true_en="The destination is outside Greater Tokyo or a disadvantaged area",
            false_en="The destination is in Greater Tokyo (not a disadvantaged area)",
        ),
        Fact(
            "destination.participates_relocation_grant",
            "移住先が移住支援金を実施",
            "Destination runs the relocation support grant",
            "bool",
            ("destination.participates_relocation_grant",),
            _destination_field("participates_relocation_grant"),
            true_ja="移住先の市町村が移住支援金を実施している",
            false_ja="移住先の市町村が移住支援金を実施していない",
            true_en="The destination runs the relocation support grant",
            false_en="The destination does not run the relocation support grant",
        ),
        Fact(
            "employment.route",
            "移住後の仕事",
            "Work after moving",
            "choice",
            ("employment_route",),
            _field("employment_route"),
            choices=EMPLOYMENT_ROUTES,
        ),
        Fact(
            "employment.months_since_work_start",
            "就業してからの月数",
            "Months since starting work",
            "int",
            ("work_start_date",),
            _months_since(lambda p: p.work_start_date),
            "months",
        ),
        Fact(
            "housing.acquisition",
            "住まいの取得",
            "Your home after moving",
            "choice",
            ("housing_acquisition",),
            _field("housing_acquisition"),
            choices=HOUSING_ACQUISITIONS,
        ),
        Fact(
            "housing.renovation_cost",
            "改修工事の費用",
            "Renovation cost",
            "int",
            ("housing_renovation_cost",),
            _field("housing_renovation_cost"),
            "yen",
        ),
        Fact(
            "housing.akiya_rental_conversion",
            "空き家の賃貸住宅への改修",
            "Renovating a vacant house to rent it out",
            "bool",
            ("converts_akiya_to_rental",),
            _field("converts_akiya_to_rental"),
            true_ja="所有する空き家を賃貸住宅にするために改修する",
            false_ja="空き家を賃貸住宅にするための改修ではない",
            true_en="You renovate a vacant house you own to rent it out",
            false_en="The renovation is not to rent out a vacant house",
        ),
        Fact(
            "housing.monthly_rent",
            "家賃（月額）",
            "Monthly rent",
            "int",
            ("monthly_rent",),
            _field("monthly_rent"),
            "yen",
        ),
        Fact(
            "commute.mode",
            "通勤の手段",
            "How you commute",
            "choice",
            ("commute_mode",),
            _field("commute_mode"),
            choices=COMMUTE_MODES,
        ),
        Fact(
            "commute.destination_area",
            "通勤先の地域",
            "Where you commute to",
            "choice",
            ("commute_destination_area",),
            _field("commute_destination_area"),
            choices=AREAS,
        ),
        Fact(
            "commute.pass_monthly",
            "通勤定期券の代金（月額）",
            "Commuter pass cost per month",
            "int",
            ("commuter_pass_monthly",),
            _field("commuter_pass_monthly"),
            "yen",
        ),
        Fact(
            "commute.allowance_monthly",
            "勤務先の通勤手当（月額）",
            "Employer's commuting allowance per month",
            "int",
            ("commute_allowance_monthly",),
            _field("commute_allowance_monthly"),
            "yen",
        ),
        Fact(
            "commute.months_since_pass_start",
            "定期券の使用開始からの月数",
            "Months since the commuter pass started",
            "int",
            ("pass_start_date",),
            _months_since(lambda p: p.pass_start_date),
            "months",
        ),
        Fact(
            "commute.pass_start_months_after_move",
            "転入から定期券の使用開始までの月数",
            "Months from moving in to the start of the commuter pass",
            "int",
            ("move_in_date", "pass_start_date"),
            _pass_start_months_after_move,
            "months",
        ),
        Fact(
            "stay.intention_years",
            "移住先に住み続ける予定の年数",
            "Years you intend to stay",
            "int",
            ("stay_intention_years",),
            _field("stay_intention_years"),
            "years",
        ),
        Fact(
            "farming.new_farmer",
            "新規就農",
            "New farmer",
            "bool",
            ("new_farmer",),
            _field("new_farmer"),
            true_ja="新たに農業を始める（新規就農者）",
            false_ja="新規就農者ではない",
            true_en="You are starting out as a new farmer",
            false_en="You are not a new farmer",
        ),
        Fact(
            "history.received_programs",
            "これまでに受けた支援制度",
            "Support programs already received",
            "list",
            ("received_programs",),
            _field("received_programs"),
            subject_ja="これまでに受けた支援制度に",
            subject_en="The support programs you have received",
        ),
        Fact(
            "household.tax_arrears",
            "住民税の滞納",
            "Unpaid resident tax",
            "bool",
            ("tax_arrears",),
            _field("tax_arrears"),
            true_ja="移住前の住所で住民税の滞納がある",
            false_ja="移住前の住所で住民税の滞納がない",
            true_en="You have unpaid resident tax at your previous address",
            false_en="You have no unpaid resident tax at your previous address",
        ),
    )
}


def missing_inputs(fact: Fact, profile: Profile) -> tuple[str, ...]:
    """The profile fields this fact needs that are unanswered (destination attributes are not questions)."""
    return tuple(name for name in fact.inputs if name in QUESTIONS and getattr(profile, name) is None)


# ---------------------------------------------------------------------------------------------------------
# Validation of answers


@dataclass(frozen=True)
class ProfileError:
    """An impossible or malformed answer, with the field it concerns and a message in Japanese and English."""

    field: str
    message_ja: str
    message_en: str


class ProfileInputError(ValueError):
    """Raised by `profile_from_dict` when answers cannot be read; `errors` says which and why."""

    def __init__(self, errors: list[ProfileError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message_ja}" for e in errors))
        self.errors = errors


_MAX_AGE: Final = 130
_CHOICE_FIELDS: Final[dict[str, Mapping[str, tuple[str, str]]]] = {
    "employment_route": EMPLOYMENT_ROUTES,
    "housing_acquisition": HOUSING_ACQUISITIONS,
    "commute_mode": COMMUTE_MODES,
    "commute_destination_area": AREAS,
}
_AMOUNT_FIELDS: Final = (
    "housing_renovation_cost",
    "monthly_rent",
    "commuter_pass_monthly",
    "commute_allowance_monthly",
    "stay_intention_years",
    "prior_outside_residence_years",
)


def validate_profile(profile: Profile) -> list[ProfileError]:
    """Impossible answers (future births, spells ending before they start, children older than the applicant…)."""
    errors: list[ProfileError] = []
    today = profile.evaluation_date
    birth = profile.applicant_birth_date

    def error(name: str, ja: str, en: str) -> None:
        errors.append(ProfileError(name, ja, en))

    def check_birth(name: str, who_ja: str, who_en: str, day: date | None) -> None:
        if day is None:
            return
        if day > today:
            error(
                name,
                f"{who_ja}の生年月日が判定日より後です。",
                f"{who_en}'s date of birth is after the evaluation date.",
            )
        elif age_on(day, today) > _MAX_AGE:
            error(
                name, f"{who_ja}の年齢が{_MAX_AGE}歳を超えています。", f"{who_en}'s age is over {_MAX_AGE}."
            )

    check_birth("applicant_birth_date", "申請者", "The applicant", birth)
    check_birth("spouse_birth_date", "配偶者", "The spouse", profile.spouse_birth_date)
    if profile.has_spouse is False and profile.spouse_birth_date is not None:
        error(
            "spouse_birth_date",
            "配偶者がいないと回答していますが、配偶者の生年月日があります。",
            "You answered that no spouse moves with you but gave a spouse's date of birth.",
        )
    for child in profile.children_birth_dates or ():
        check_birth("children_birth_dates", "子ども", "A child", child)
        if birth is not None and child <= birth:
            error(
                "children_birth_dates",
                "子どもの生年月日が申請者の生年月日と同じか、それより前です。",
                "A child's date of birth is on or before the applicant's.",
            )
    for name in ("move_in_date", "pass_start_date", "work_start_date"):
        day: date | None = getattr(profile, name)
        if day is not None and birth is not None and day < birth:
            error(
                name,
                "日付が申請者の生年月日より前です。",
                "The date is before the applicant's date of birth.",
            )
    spells: list[tuple[str, date, date | None]] = [
        ("residence_history", s.start, s.end) for s in profile.residence_history or ()
    ]
    spells += [
        ("commute_to_tokyo23_history", s.start, s.end) for s in profile.commute_to_tokyo23_history or ()
    ]
    spells += [("study_in_tokyo23_history", s.start, s.end) for s in profile.study_in_tokyo23_history or ()]
    for name, start, end in spells:
        if end is not None and end < start:
            error(name, "期間の終わりが始まりより前です。", "A period ends before it starts.")
        if birth is not None and start < birth:
            error(
                name,
                "期間の始まりが申請者の生年月日より前です。",
                "A period starts before the applicant's birth.",
            )
        if start > today:
            error(name, "期間の始まりが判定日より後です。", "A period starts after the evaluation date.")
    for spell in profile.residence_history or ():
        if spell.area not in AREAS:
            error("residence_history", f"地域「{spell.area}」は選べません。", f"Unknown area {spell.area!r}.")
    for name, table in _CHOICE_FIELDS.items():
        value: str | None = getattr(profile, name)
        if value is not None and value not in table:
            error(name, f"「{value}」は選べません。", f"{value!r} is not one of the choices.")
    for name in _AMOUNT_FIELDS:
        amount: float | None = getattr(profile, name)
        if amount is not None and amount < 0:
            error(name, "0以上の数を入れてください。", "Enter a number of 0 or more.")
    outside = profile.prior_outside_residence_years
    if birth is not None and outside is not None and outside > age_on(birth, today) + 1:
        error(
            "prior_outside_residence_years",
            "市区町村の外に住んでいた年数が年齢を超えています。",
            "The years lived outside the municipality exceed your age.",
        )
    if any(not isinstance(key, str) or not key for key in profile.received_programs or ()):
        error("received_programs", "支援制度の指定が空です。", "A support program is blank.")
    return errors


# ---------------------------------------------------------------------------------------------------------
# Reading and writing profiles as JSON (for forms, the API and stored answers)


class _Reader:
    def __init__(self, data: Mapping[str, object]) -> None:
        self.data = data
        self.errors: list[ProfileError] = []

    def fail(self, name: str, ja: str, en: str) -> None:
        self.errors.append(ProfileError(name, ja, en))

    def date_value(self, name: str, raw: object) -> date | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, date):
            return raw
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        self.fail(name, "日付は YYYY-MM-DD の形で入れてください。", "Enter dates as YYYY-MM-DD.")
        return None

    def scalar(self, name: str, kind: str) -> object:
        raw = self.data.get(name)
        if raw is None or raw == "":
            return None
        if kind == "date":
            return self.date_value(name, raw)
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            self.fail(name, "はい・いいえで答えてください。", "Answer yes or no.")
        elif kind == "int":
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            self.fail(name, "整数を入れてください。", "Enter a whole number.")
        elif kind == "number":
            if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
                return float(raw)
            self.fail(name, "数を入れてください。", "Enter a number.")
        elif kind == "choice":
            if isinstance(raw, str):
                return raw
            self.fail(name, "選択肢から選んでください。", "Choose one of the options.")
        return None

    def items(self, name: str) -> list[object] | None:
        raw = self.data.get(name)
        if raw is None:
            return None
        if isinstance(raw, list | tuple):
            return list(raw)
        self.fail(name, "一覧の形で入れてください。", "Enter a list.")
        return None

    def spell_parts(self, name: str, item: object) -> tuple[date, date | None, Mapping[str, object]] | None:
        if not isinstance(item, Mapping):
            self.fail(name, "期間の形が正しくありません。", "A period is malformed.")
            return None
        start = self.date_value(name, item.get("start"))
        end = self.date_value(name, item.get("end"))
        if start is None:
            self.fail(name, "期間の始まりを入れてください。", "Enter the start of each period.")
            return None
        return start, end, item


def profile_from_dict(data: Mapping[str, object]) -> Profile:
    """Read answers from JSON-like data (ISO dates, lists of spells); raise `ProfileInputError` when unreadable.

    Unknown keys are refused so that a misspelt field is not silently treated as unanswered.
    """
    reader = _Reader(data)
    for key in data:
        if key not in PROFILE_FIELDS:
            reader.fail(key, "この項目はありません。", "Unknown field.")
    values: dict[str, object] = {}
    evaluation_date = reader.date_value("evaluation_date", data.get("evaluation_date"))
    if evaluation_date is None and not reader.errors:
        reader.fail("evaluation_date", "判定日を入れてください。", "Enter the evaluation date.")
    for name, question in QUESTIONS.items():
        if question.kind in ("date", "bool", "int", "number", "choice"):
            values[name] = reader.scalar(name, question.kind)
    dates = reader.items("children_birth_dates")
    if dates is not None:
        parsed = [reader.date_value("children_birth_dates", d) for d in dates]
        values["children_birth_dates"] = tuple(d for d in parsed if d is not None)
    received = reader.items("received_programs")
    if received is not None:
        if all(isinstance(k, str) for k in received):
            values["received_programs"] = tuple(str(k) for k in received)
        else:
            reader.fail(
                "received_programs", "支援制度はキーで指定してください。", "Give support programs by key."
            )
    residence = reader.items("residence_history")
    if residence is not None:
        spells = []
        for item in residence:
            parts = reader.spell_parts("residence_history", item)
            if parts is not None:
                area = parts[2].get("area")
                if isinstance(area, str):
                    spells.append(Spell(parts[0], parts[1], area))
                else:
                    reader.fail(
                        "residence_history", "地域を選んでください。", "Choose the area of each period."
                    )
        values["residence_history"] = tuple(spells)
    commute = reader.items("commute_to_tokyo23_history")
    if commute is not None:
        commutes = []
        for item in commute:
            parts = reader.spell_parts("commute_to_tokyo23_history", item)
            if parts is not None:
                insured = parts[2].get("employment_insurance")
                if isinstance(insured, bool):
                    commutes.append(CommuteSpell(parts[0], parts[1], insured))
                else:
                    reader.fail(
                        "commute_to_tokyo23_history",
                        "雇用保険の加入の有無を答えてください。",
                        "Say whether you had employment insurance.",
                    )
        values["commute_to_tokyo23_history"] = tuple(commutes)
    study = reader.items("study_in_tokyo23_history")
    if study is not None:
        studies = []
        for item in study:
            parts = reader.spell_parts("study_in_tokyo23_history", item)
            if parts is not None:
                studies.append(StudySpell(parts[0], parts[1]))
        values["study_in_tokyo23_history"] = tuple(studies)
    if reader.errors or evaluation_date is None:
        raise ProfileInputError(reader.errors)
    return Profile(evaluation_date=evaluation_date, **values)  # type: ignore[arg-type]


def profile_to_dict(profile: Profile) -> dict[str, JsonValue]:
    """The profile as JSON-serialisable data that `profile_from_dict` reads back to an equal profile."""

    def plain(value: object) -> JsonValue:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Spell):
            return {"start": plain(value.start), "end": plain(value.end), "area": value.area}
        if isinstance(value, CommuteSpell):
            return {
                "start": plain(value.start),
                "end": plain(value.end),
                "employment_insurance": value.employment_insurance,
            }
        if isinstance(value, StudySpell):
            return {"start": plain(value.start), "end": plain(value.end)}
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        if value is None or isinstance(value, bool | int | float | str):
            return value
        raise TypeError(f"cannot serialise {value!r}")

    return {name: plain(getattr(profile, name)) for name in PROFILE_FIELDS}
