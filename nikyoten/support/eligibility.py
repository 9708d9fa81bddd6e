"""The eligibility engine: does a seeker qualify for a support program version, for how much, and what to ask.

A program version is data (conditions, benefit, window, repayment, stacking; see `ProgramRule.from_dict`).
Conditions use three-valued logic over the facts of `facts.py`: a leaf is met, unmet or unknown (an answer is
missing); `all` is unmet if any child is unmet, else unknown if any is unknown; `any` is met if any child is
met, else unknown if any is unknown; `not` swaps met and unmet. The verdict follows the result, so a program
is only `need_to_know` when some answer (or some destination attribute) is missing. The application window
and the "once per household" rule are two more conditions of the same kind.

Many versions for one seeker (`evaluate_all`, `evaluate_many`) are evaluated together: each rule is compiled
once, each fact and each distinct condition and window is worked out once per call, and texts and lists are
built when first read (see "Compiled rules" and "Fields written on first read" below); the results are exactly
those of evaluating each version alone.

Deterministic, no I/O, no Django (house style: pure engines in plain modules).
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import MISSING, asdict, dataclass, fields, is_dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cache
from typing import Any, Final, TypeAlias, cast

from nikyoten.core.dates import add_months
from nikyoten.support.facts import (
    FACTS,
    QUESTIONS,
    UNITS,
    UNKNOWN,
    Bounds,
    Computed,
    Destination,
    Fact,
    FactValue,
    JsonValue,
    Profile,
    Question,
    Unknown,
    children_at_most,
    missing_inputs,
)

__all__ = [
    "ANCHORS",
    "BENEFIT_KINDS",
    "ONCE_PER",
    "OPS",
    "TRIGGERS",
    "AllOf",
    "Amount",
    "AnyOf",
    "Benefit",
    "ByFactBenefit",
    "Evaluation",
    "FixedBenefit",
    "HouseholdBenefit",
    "Leaf",
    "MonthlyBenefit",
    "Node",
    "NotOf",
    "ProgramRule",
    "Question",
    "RateCapBenefit",
    "Reason",
    "RepaymentRule",
    "RepaymentStep",
    "RuleError",
    "Stacking",
    "Status",
    "Summary",
    "UnspecifiedBenefit",
    "Verdict",
    "Window",
    "WindowResult",
    "WindowStatus",
    "benefit_to_dict",
    "conditions_to_dict",
    "date_en",
    "date_ja",
    "evaluate",
    "evaluate_all",
    "evaluate_many",
    "parse_benefit",
    "parse_conditions",
    "parse_repayment",
    "parse_stacking",
    "parse_window",
    "questions_for",
    "rule_facts",
    "yen_en",
    "yen_ja",
]

OPS: Final = ("eq", "ne", "in", "not_in", "gte", "lte", "gt", "lt", "contains", "excludes")
_ORDER_OPS: Final = ("gte", "lte", "gt", "lt")
_OPS_BY_KIND: Final[dict[str, tuple[str, ...]]] = {
    "int": ("eq", "ne", "in", "not_in", *_ORDER_OPS),
    "number": ("eq", "ne", "in", "not_in", *_ORDER_OPS),
    "date": ("eq", "ne", "in", "not_in", *_ORDER_OPS),
    "bool": ("eq", "ne"),
    "choice": ("eq", "ne", "in", "not_in"),
    "list": ("contains", "excludes"),
}
_KIND_JA: Final = {
    "int": "整数",
    "number": "数",
    "date": "日付（YYYY-MM-DD）",
    "bool": "true / false",
    "choice": "選択肢",
    "list": "一覧に含まれる値（文字列）",
}
BENEFIT_KINDS: Final = ("fixed", "household", "by_fact", "rate_cap", "monthly", "unspecified")

# Anchor of an application window → (the fact counting months since it, the profile date, ja, en).
ANCHORS: Final[dict[str, tuple[str, str, str, str]]] = {
    "move_in": ("move.months_since", "move_in_date", "転入日", "moving in"),
    "pass_start": (
        "commute.months_since_pass_start",
        "pass_start_date",
        "定期券の使用開始日",
        "the pass starts",
    ),
    "work_start": ("employment.months_since_work_start", "work_start_date", "就業開始日", "starting work"),
}
TRIGGERS: Final[dict[str, tuple[str, str]]] = {
    "move_out": ("転出した", "move out"),
    "job_exit": ("仕事を辞めた", "leave the job"),
    "obligation_broken": ("義務（賃貸の継続など）を守れなくなった", "break the program's obligations"),
}
ONCE_PER: Final[dict[str, tuple[str, str]]] = {
    "person": ("1人につき1回まで", "once per person"),
    "household": ("1世帯につき1回まで", "once per household"),
    "property": ("1物件につき1回まで", "once per property"),
    "lifetime": ("生涯1回まで", "once in a lifetime"),
}
_KEY_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")  # fits SupportProgram.key (SlugField, 80)
_MAX_YEN: Final = 10**10


class RuleError(ValueError):
    """A program version that cannot be evaluated; `path` points at the offending part, messages say why."""

    def __init__(self, path: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{path}: {message_ja}")
        self.path = path
        self.message_ja = message_ja
        self.message_en = message_en


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEED_TO_KNOW = "need_to_know"


class Status(StrEnum):
    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"


class WindowStatus(StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"
    CLOSED = "closed"
    UNKNOWN = "unknown"


# ---------------------------------------------------------------------------------------------------------
# The parsed form of a program version

Scalar: TypeAlias = "int | float | bool | str | date"
RuleValue: TypeAlias = "Scalar | tuple[Scalar, ...]"


@dataclass(frozen=True)
class Leaf:
    """`{"fact": …, "op": …, "value": …}`; list values are kept as tuples, dates as `date`."""

    fact: str
    op: str
    value: RuleValue


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class NotOf:
    child: Node


Node: TypeAlias = "Leaf | AllOf | AnyOf | NotOf"


@dataclass(frozen=True)
class FixedBenefit:
    amount: int


@dataclass(frozen=True)
class HouseholdBenefit:
    """移住支援金-style: a household (2 or more moving together) or single amount, plus an amount per child."""

    single: int
    household: int
    per_child: int = 0
    child_max_age: int = 17


@dataclass(frozen=True)
class ByFactBenefit:
    """An amount chosen by a choice fact (values not listed get nothing)."""

    fact: str
    amounts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class RateCapBenefit:
    """rate × the cost (yen below 1 dropped), at most `cap`. `rate` is a number or a fraction text ("1/3")."""

    rate: float | str
    cap: int
    cost_fact: str

    @property
    def fraction(self) -> Fraction:
        return Fraction(str(self.rate))


@dataclass(frozen=True)
class MonthlyBenefit:
    """Per month min(cap, rate × (cost − minus)), never below 0, for `months`; no cost fact pays the cap."""

    monthly_cap: int
    months: int
    cost_fact: str | None = None
    minus_fact: str | None = None
    rate: float | str | None = None

    @property
    def fraction(self) -> Fraction:
        return Fraction(1) if self.rate is None else Fraction(str(self.rate))


@dataclass(frozen=True)
class UnspecifiedBenefit:
    """A benefit whose amount the source does not state (e.g. housing lent, or an undisclosed subsidy)."""

    months: int | None = None
    note_ja: str = ""
    note_en: str = ""


Benefit: TypeAlias = (
    "FixedBenefit | HouseholdBenefit | ByFactBenefit | RateCapBenefit | MonthlyBenefit | UnspecifiedBenefit"
)


@dataclass(frozen=True)
class Window:
    """Apply from `from_months` after the anchor date up to (not including) `to_months` after it."""

    anchor: str
    from_months: int
    to_months: int


@dataclass(frozen=True)
class RepaymentRule:
    """Repay `share` of the grant if `trigger` happens from `from_months` to before `to_months` after applying."""

    trigger: str
    from_months: int
    to_months: int
    share: float


@dataclass(frozen=True)
class Stacking:
    exclusive_with: tuple[str, ...] = ()
    once_per: str | None = None


# ---------------------------------------------------------------------------------------------------------
# Parsing and validating authored data


def _where(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _mapping(data: object, path: str, what_ja: str) -> Mapping[str, object]:
    if not isinstance(data, Mapping) or not all(isinstance(k, str) for k in data):
        raise RuleError(path, f"{what_ja}は {{…}} の形で書いてください。", "Write it as an object {…}.")
    return data


def _check_keys(
    data: Mapping[str, object], path: str, required: Iterable[str], optional: Iterable[str]
) -> None:
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in required:
        if key not in data:
            raise RuleError(_where(path, key), f"「{key}」がありません。", f"{key!r} is missing.")
    for key in data:
        if key not in allowed:
            raise RuleError(
                _where(path, key),
                f"「{key}」という項目はありません（使える項目: {', '.join(sorted(allowed))}）。",
                f"Unknown key {key!r} (allowed: {', '.join(sorted(allowed))}).",
            )


def _int(raw: object, path: str, *, minimum: int | None = 0, maximum: int = _MAX_YEN) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise RuleError(
            path, f"整数を書いてください（値: {raw!r}）。", f"Expected a whole number, got {raw!r}."
        )
    if (minimum is not None and raw < minimum) or raw > maximum:
        low = "" if minimum is None else f"{minimum}以上"
        raise RuleError(
            path, f"{low}{maximum}以下の整数を書いてください（値: {raw}）。", f"Out of range: {raw}."
        )
    return raw


def _text(raw: object, path: str, *, required: bool = True) -> str:
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise RuleError(path, "文字列を書いてください。", "Expected a non-empty string.")
    return raw


def _fraction(raw: object, path: str) -> float | str:
    """A share or rate in (0, 1]: a number, or a fraction text such as "1/3"."""
    try:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise ValueError
        value = Fraction(str(raw))
    except (ValueError, ZeroDivisionError):
        raise RuleError(
            path,
            f'0より大きく1以下の数か分数（"1/3"）を書いてください（値: {raw!r}）。',
            f"Bad rate {raw!r}.",
        ) from None
    if not 0 < value <= 1:
        raise RuleError(path, f"0より大きく1以下にしてください（値: {raw}）。", f"Must be in (0, 1]: {raw}.")
    return raw


def _fact_key(raw: object, path: str, kinds: tuple[str, ...], unit: str | None = None) -> str:
    if not isinstance(raw, str) or raw not in FACTS:
        raise RuleError(path, f"「{raw}」という事実はありません。", f"Unknown fact {raw!r}.")
    fact = FACTS[raw]
    if fact.kind not in kinds or (unit is not None and fact.unit != unit):
        raise RuleError(
            path,
            f"「{fact.label_ja}」（{raw}）はここでは使えません（{'・'.join(_KIND_JA[k] for k in kinds)}の事実が必要です）。",
            f"Fact {raw!r} cannot be used here.",
        )
    return raw


def _scalar(fact: Fact, raw: object, path: str) -> Scalar:
    kind = fact.kind
    ok: Scalar | None = None
    fits = {
        "int": isinstance(raw, int) and not isinstance(raw, bool),
        "number": isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw),
        "bool": isinstance(raw, bool),
        "choice": isinstance(raw, str) and raw in fact.choices,
        "list": isinstance(raw, str) and bool(raw),
    }
    if fits.get(kind) and isinstance(raw, int | float | str):
        ok = raw
    elif kind == "date" and isinstance(raw, str):
        try:
            ok = date.fromisoformat(raw)
        except ValueError:
            ok = None
    if ok is None:
        extra = f"（選択肢: {', '.join(fact.choices)}）" if kind == "choice" else ""
        raise RuleError(
            path,
            f"「{fact.label_ja}」（{fact.key}）は{_KIND_JA[kind]}と比べます。値 {raw!r} は使えません{extra}。",
            f"{fact.key} is a {kind} fact; the value {raw!r} does not fit.",
        )
    return ok


def _parse_leaf(data: Mapping[str, object], path: str) -> Leaf:
    raw_fact = data["fact"]
    if not isinstance(raw_fact, str) or raw_fact not in FACTS:
        raise RuleError(
            _where(path, "fact"), f"「{raw_fact}」という事実はありません。", f"Unknown fact {raw_fact!r}."
        )
    fact = FACTS[raw_fact]
    op = data["op"]
    if not isinstance(op, str) or op not in OPS:
        raise RuleError(
            _where(path, "op"),
            f"比較「{op}」は使えません（使えるもの: {', '.join(OPS)}）。",
            f"Unknown operator {op!r} (allowed: {', '.join(OPS)}).",
        )
    allowed = _OPS_BY_KIND[fact.kind]
    if op not in allowed:
        raise RuleError(
            _where(path, "op"),
            f"「{fact.label_ja}」（{fact.key}）には比較「{op}」は使えません（使えるもの: {', '.join(allowed)}）。",
            f"Operator {op!r} does not apply to {fact.key} (allowed: {', '.join(allowed)}).",
        )
    raw = data["value"]
    value_path = _where(path, "value")
    if op in ("in", "not_in"):
        if not isinstance(raw, list) or not raw:
            raise RuleError(
                value_path,
                f"比較「{op}」の値は空でない一覧 […] にしてください。",
                f"{op!r} needs a non-empty list.",
            )
        return Leaf(
            raw_fact, op, tuple(_scalar(fact, item, f"{value_path}[{i}]") for i, item in enumerate(raw))
        )
    return Leaf(raw_fact, op, _scalar(fact, raw, value_path))


def parse_conditions(data: object, path: str = "conditions") -> Node:
    """The condition tree from its JSON form, or `RuleError`."""
    node = _mapping(data, path, "条件")
    keys = set(node)
    if keys in ({"all"}, {"any"}):
        (name,) = keys
        children = node[name]
        if not isinstance(children, list):
            raise RuleError(
                _where(path, name), f"「{name}」には一覧 […] を書いてください。", "Expected a list."
            )
        if name == "any" and not children:
            raise RuleError(
                _where(path, name),
                "「any」が空です（どれも満たせません）。",
                "An empty 'any' can never be met.",
            )
        parsed = tuple(parse_conditions(child, f"{path}.{name}[{i}]") for i, child in enumerate(children))
        return AllOf(parsed) if name == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return NotOf(parse_conditions(node["not"], _where(path, "not")))
    if keys == {"fact", "op", "value"}:
        return _parse_leaf(node, path)
    raise RuleError(
        path,
        f"条件は all・any・not のどれか、または fact・op・value の組で書いてください（書かれた項目: {', '.join(sorted(keys)) or 'なし'}）。",
        "A condition is {all: […]}, {any: […]}, {not: …} or {fact, op, value}.",
    )


def parse_benefit(data: object, path: str = "benefit") -> Benefit:
    """The benefit formula from its JSON form, or `RuleError`."""
    node = _mapping(data, path, "給付内容")
    kind = node.get("kind")
    if kind not in BENEFIT_KINDS:
        raise RuleError(
            _where(path, "kind"),
            f"給付の種類「{kind}」はありません（使えるもの: {', '.join(BENEFIT_KINDS)}）。",
            f"Unknown benefit kind {kind!r} (allowed: {', '.join(BENEFIT_KINDS)}).",
        )
    if kind == "fixed":
        _check_keys(node, path, ("kind", "amount"), ())
        return FixedBenefit(_int(node["amount"], _where(path, "amount")))
    if kind == "household":
        _check_keys(node, path, ("kind", "single", "household"), ("per_child", "child_max_age"))
        return HouseholdBenefit(
            single=_int(node["single"], _where(path, "single")),
            household=_int(node["household"], _where(path, "household")),
            per_child=_int(node.get("per_child", 0), _where(path, "per_child")),
            child_max_age=_int(node.get("child_max_age", 17), _where(path, "child_max_age"), maximum=30),
        )
    if kind == "by_fact":
        _check_keys(node, path, ("kind", "fact", "amounts"), ())
        fact = FACTS[_fact_key(node["fact"], _where(path, "fact"), ("choice",))]
        amounts = _mapping(node["amounts"], _where(path, "amounts"), "金額の表")
        for value in amounts:
            if value not in fact.choices:
                raise RuleError(
                    _where(path, f"amounts.{value}"),
                    f"「{fact.label_ja}」の選択肢にない値「{value}」です（選択肢: {', '.join(fact.choices)}）。",
                    f"{value!r} is not a choice of {fact.key}.",
                )
        return ByFactBenefit(
            fact.key,
            tuple(
                (value, _int(amount, _where(path, f"amounts.{value}"))) for value, amount in amounts.items()
            ),
        )
    if kind == "rate_cap":
        _check_keys(node, path, ("kind", "rate", "cap", "cost_fact"), ())
        return RateCapBenefit(
            rate=_fraction(node["rate"], _where(path, "rate")),
            cap=_int(node["cap"], _where(path, "cap")),
            cost_fact=_fact_key(node["cost_fact"], _where(path, "cost_fact"), ("int",), "yen"),
        )
    if kind == "monthly":
        _check_keys(node, path, ("kind", "monthly_cap", "months"), ("cost_fact", "minus_fact", "rate"))
        cost = node.get("cost_fact")
        minus = node.get("minus_fact")
        if minus is not None and cost is None:
            raise RuleError(
                _where(path, "minus_fact"),
                "minus_fact には cost_fact が必要です。",
                "minus_fact needs cost_fact.",
            )
        return MonthlyBenefit(
            monthly_cap=_int(node["monthly_cap"], _where(path, "monthly_cap")),
            months=_int(node["months"], _where(path, "months"), minimum=1, maximum=1200),
            cost_fact=None if cost is None else _fact_key(cost, _where(path, "cost_fact"), ("int",), "yen"),
            minus_fact=None
            if minus is None
            else _fact_key(minus, _where(path, "minus_fact"), ("int",), "yen"),
            rate=None if node.get("rate") is None else _fraction(node["rate"], _where(path, "rate")),
        )
    _check_keys(node, path, ("kind",), ("months", "note_ja", "note_en"))
    months = node.get("months")
    return UnspecifiedBenefit(
        months=None if months is None else _int(months, _where(path, "months"), minimum=1, maximum=1200),
        note_ja=_text(node.get("note_ja", ""), _where(path, "note_ja"), required=False),
        note_en=_text(node.get("note_en", ""), _where(path, "note_en"), required=False),
    )


def parse_window(data: object, path: str = "window") -> Window | None:
    """The application window (None for `{}`), or `RuleError`."""
    node = _mapping(data, path, "申請期間")
    if not node:
        return None
    _check_keys(node, path, ("anchor", "from_months", "to_months"), ())
    anchor = node["anchor"]
    if anchor not in ANCHORS:
        raise RuleError(
            _where(path, "anchor"),
            f"起点「{anchor}」はありません（使えるもの: {', '.join(ANCHORS)}）。",
            f"Unknown anchor {anchor!r}.",
        )
    start = _int(node["from_months"], _where(path, "from_months"), minimum=-1200, maximum=1200)
    end = _int(node["to_months"], _where(path, "to_months"), minimum=-1200, maximum=1200)
    if end <= start:
        raise RuleError(
            _where(path, "to_months"),
            "to_months は from_months より大きくしてください。",
            "to_months <= from_months.",
        )
    return Window(str(anchor), start, end)


def parse_repayment(data: object, path: str = "repayment") -> tuple[RepaymentRule, ...]:
    """The repayment schedule, or `RuleError` (steps of one trigger must not overlap)."""
    if not isinstance(data, list):
        raise RuleError(path, "返還の条件は一覧 […] にしてください。", "Expected a list.")
    steps: list[RepaymentRule] = []
    for i, item in enumerate(data):
        where = f"{path}[{i}]"
        node = _mapping(item, where, "返還の条件")
        _check_keys(node, where, ("trigger", "from_months", "to_months", "share"), ())
        trigger = node["trigger"]
        if trigger not in TRIGGERS:
            raise RuleError(
                _where(where, "trigger"),
                f"返還のきっかけ「{trigger}」はありません（使えるもの: {', '.join(TRIGGERS)}）。",
                f"Unknown trigger {trigger!r}.",
            )
        start = _int(node["from_months"], _where(where, "from_months"), maximum=1200)
        end = _int(node["to_months"], _where(where, "to_months"), minimum=1, maximum=1200)
        if end <= start:
            raise RuleError(
                _where(where, "to_months"),
                "to_months は from_months より大きくしてください。",
                "to_months <= from_months.",
            )
        share = float(Fraction(str(_fraction(node["share"], _where(where, "share")))))
        for other in steps:
            if other.trigger == trigger and start < other.to_months and other.from_months < end:
                raise RuleError(
                    where, "同じきっかけの返還の期間が重なっています。", "Overlapping steps for one trigger."
                )
        steps.append(RepaymentRule(str(trigger), start, end, share))
    return tuple(steps)


def parse_stacking(data: object, key: str, path: str = "stacking") -> Stacking:
    """Exclusivity and once-per limits, or `RuleError`."""
    node = _mapping(data, path, "併給の条件")
    _check_keys(node, path, (), ("exclusive_with", "once_per"))
    exclusive = node.get("exclusive_with", [])
    if not isinstance(exclusive, list) or not all(isinstance(k, str) and k for k in exclusive):
        raise RuleError(
            _where(path, "exclusive_with"),
            "併給できない制度はキーの一覧にしてください。",
            "Expected a list of keys.",
        )
    if key in exclusive:
        raise RuleError(
            _where(path, "exclusive_with"),
            "自分自身を併給不可にはできません。",
            "A program cannot exclude itself.",
        )
    once_per = node.get("once_per")
    if once_per is not None and once_per not in ONCE_PER:
        raise RuleError(
            _where(path, "once_per"),
            f"「{once_per}」は使えません（使えるもの: {', '.join(ONCE_PER)}、または null）。",
            f"Unknown once_per {once_per!r}.",
        )
    return Stacking(tuple(str(k) for k in exclusive), None if once_per is None else str(once_per))


def _leaf_to_json(value: RuleValue) -> JsonValue:
    if isinstance(value, tuple):
        return [_leaf_to_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def conditions_to_dict(node: Node) -> dict[str, JsonValue]:
    """The JSON form of a condition tree (the inverse of `parse_conditions`)."""
    if isinstance(node, Leaf):
        return {"fact": node.fact, "op": node.op, "value": _leaf_to_json(node.value)}
    if isinstance(node, NotOf):
        return {"not": conditions_to_dict(node.child)}
    name = "all" if isinstance(node, AllOf) else "any"
    return {name: [conditions_to_dict(child) for child in node.children]}


def benefit_to_dict(benefit: Benefit) -> dict[str, JsonValue]:
    """The JSON form of a benefit (the inverse of `parse_benefit`)."""
    if isinstance(benefit, FixedBenefit):
        return {"kind": "fixed", "amount": benefit.amount}
    if isinstance(benefit, HouseholdBenefit):
        return {
            "kind": "household",
            "single": benefit.single,
            "household": benefit.household,
            "per_child": benefit.per_child,
            "child_max_age": benefit.child_max_age,
        }
    if isinstance(benefit, ByFactBenefit):
        return {"kind": "by_fact", "fact": benefit.fact, "amounts": dict(benefit.amounts)}
    if isinstance(benefit, RateCapBenefit):
        return {"kind": "rate_cap", "rate": benefit.rate, "cap": benefit.cap, "cost_fact": benefit.cost_fact}
    if isinstance(benefit, MonthlyBenefit):
        data: dict[str, JsonValue] = {
            "kind": "monthly",
            "monthly_cap": benefit.monthly_cap,
            "months": benefit.months,
        }
        for name in ("cost_fact", "minus_fact", "rate"):
            value: str | float | None = getattr(benefit, name)
            if value is not None:
                data[name] = value
        return data
    unspecified: dict[str, JsonValue] = {"kind": "unspecified"}
    if benefit.months is not None:
        unspecified["months"] = benefit.months
    if benefit.note_ja:
        unspecified["note_ja"] = benefit.note_ja
    if benefit.note_en:
        unspecified["note_en"] = benefit.note_en
    return unspecified


@dataclass(frozen=True)
class ProgramRule:
    """One program version, parsed: what the evaluator runs. Build it with `ProgramRule.from_dict`."""

    key: str
    name_ja: str
    name_en: str
    conditions: Node
    benefit: Benefit
    window: Window | None = None
    repayment: tuple[RepaymentRule, ...] = ()
    stacking: Stacking = Stacking()

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ProgramRule:
        """Validate and parse a program version; raise `RuleError` naming what is wrong.

        Needs `key`, `name_ja`, `conditions` and `benefit`; `name_en`, `window`, `repayment` and `stacking` are
        optional. Other top-level keys (effective dates, budget status, notes…) are metadata and ignored; every
        nested part is strict, so a misspelt key is refused rather than silently ignored.
        """
        node = _mapping(data, "", "制度")
        for required in ("key", "name_ja", "conditions", "benefit"):
            if required not in node:
                raise RuleError(required, f"「{required}」がありません。", f"{required!r} is missing.")
        key = node["key"]
        if not isinstance(key, str) or not _KEY_PATTERN.fullmatch(key):
            raise RuleError(
                "key",
                f"キー「{key}」は英小文字・数字・「-」「_」で80文字以内にしてください。",
                "Keys are lower-case letters, digits, '-' and '_', 80 characters at most.",
            )
        rule = cls(
            key=key,
            name_ja=_text(node["name_ja"], "name_ja"),
            name_en=_text(node.get("name_en", ""), "name_en", required=False),
            conditions=parse_conditions(node["conditions"]),
            benefit=parse_benefit(node["benefit"]),
            window=parse_window(node.get("window", {})),
            repayment=parse_repayment(node.get("repayment", [])),
            stacking=parse_stacking(node.get("stacking", {}), key),
        )
        _plan(rule)  # compiled now, once, rather than on its first evaluation
        return rule

    def to_dict(self) -> dict[str, JsonValue]:
        """The JSON form; `ProgramRule.from_dict(rule.to_dict()) == rule`."""
        window: dict[str, JsonValue] = (
            {}
            if self.window is None
            else {
                "anchor": self.window.anchor,
                "from_months": self.window.from_months,
                "to_months": self.window.to_months,
            }
        )
        return {
            "key": self.key,
            "name_ja": self.name_ja,
            "name_en": self.name_en,
            "conditions": conditions_to_dict(self.conditions),
            "benefit": benefit_to_dict(self.benefit),
            "window": window,
            "repayment": [
                {
                    "trigger": s.trigger,
                    "from_months": s.from_months,
                    "to_months": s.to_months,
                    "share": s.share,
                }
                for s in self.repayment
            ],
            "stacking": {
                "exclusive_with": list(self.stacking.exclusive_with),
                "once_per": self.stacking.once_per,
            },
        }


# ---------------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Reason:
    """One condition and how the seeker stands on it. `kind` is condition, window or once_per."""

    fact: str
    status: Status
    text_ja: str
    text_en: str
    kind: str = "condition"


@dataclass(frozen=True)
class Amount:
    """What the program would pay if the seeker is eligible, in yen.

    `exact` when every fact the formula needs is known; otherwise [minimum, maximum] bounds it, and
    `open_ended` says the maximum leaves out additions whose count is unknown (children) or that the amount is
    not published at all. Monthly benefits also give the per-month figures and the number of months.
    """

    minimum: int
    maximum: int
    exact: bool
    monthly: int | None = None
    months: int | None = None
    monthly_minimum: int | None = None
    monthly_maximum: int | None = None
    open_ended: bool = False
    text_ja: str = ""
    text_en: str = ""

    def __getstate__(self) -> dict[str, object]:
        return _full_state(self)


@dataclass(frozen=True)
class WindowResult:
    """The application window as dates (when the anchor date is known) and where the evaluation date falls.

    `closes` is the last day on which one can apply.
    """

    anchor: str
    from_months: int
    to_months: int
    opens: date | None
    closes: date | None
    status: WindowStatus


@dataclass(frozen=True)
class RepaymentStep:
    """A repayment step with the yen to repay on the maximum amount (None when the amount is not known)."""

    trigger: str
    from_months: int
    to_months: int
    share: float
    amount: int | None
    text_ja: str
    text_en: str


@dataclass(frozen=True)
class Evaluation:
    """The result for one program version. `excluded_by` is set by `evaluate_all` when stacking rules it out."""

    key: str
    name_ja: str
    name_en: str
    verdict: Verdict
    reasons: list[Reason]
    missing: list[str]
    questions: list[Question]
    amount: Amount
    window: WindowResult | None
    repayment: list[RepaymentStep]
    excluded_by: str | None = None

    def __getstate__(self) -> dict[str, object]:
        return _full_state(self)

    def to_dict(self) -> dict[str, JsonValue]:
        """JSON-serialisable form (dates as ISO text)."""
        return cast("dict[str, JsonValue]", _jsonable(self))


@dataclass(frozen=True)
class Summary:
    """Evaluations in rule order, with totals after stacking.

    `total_minimum`/`total_maximum` add up eligible programs not excluded by another; `possible_maximum` also
    counts programs that still need answers. `*_open_ended` says a counted amount has no known upper bound.
    """

    evaluations: list[Evaluation]
    total_minimum: int
    total_maximum: int
    possible_maximum: int
    total_open_ended: bool
    possible_open_ended: bool
    questions: list[Question]

    def to_dict(self) -> dict[str, JsonValue]:
        """JSON-serialisable form (dates as ISO text)."""
        return cast("dict[str, JsonValue]", _jsonable(self))


# ---------------------------------------------------------------------------------------------------------
# Fields written on first read
#
# The evaluator decides every verdict and amount up front but leaves the texts and lists nobody may read for
# later: an amount computed from the answers is built without its texts, an evaluation without its lists of
# reasons, missing facts, questions and repayment steps (each already decided). `_PENDING` in the instance holds
# `(build, *args)` (often shared by many instances) or the name of a builder in `_BUILDERS` (a name keeps the
# garbage collector from tracking an amount's attributes); `build(attributes, *args)` returns the missing
# fields, exactly as `__init__` would have had them, the first time any of them is read. Such a result is equal to,
# reads, copies and pickles like one built in full; the descriptors below never act on an instance built by
# `__init__`.

_PENDING: Final = "_deferred"
_new: Final = object.__new__
_FIELD_ORDER: Final[dict[type, tuple[str, ...]]] = {}
# The defaults of fields a fast-built instance may leave out (read from the class until completed).
_DEFAULTS: Final[dict[type, dict[str, object]]] = {}


def _complete(instance: object, name: str | None) -> dict[str, object]:
    """Build the instance's pending fields; its attributes, in field order (as `__init__` leaves them).

    `name` is the attribute asked for (None: all of them); when nothing is pending, it is there (built
    meanwhile by another thread) or it is not an attribute at all.
    """
    state: dict[str, object] = instance.__dict__
    pending = state.get(_PENDING)
    if pending is None:
        if name is None or name in state:
            return state
        raise AttributeError(
            f"{type(instance).__name__!r} object has no attribute {name!r}", name=name, obj=instance
        )
    if isinstance(pending, str):
        values = _BUILDERS[pending](state)
    else:
        build = cast("tuple[Callable[..., dict[str, object]], *tuple[object, ...]]", pending)
        values = build[0](state, *build[1:])
    defaults = _DEFAULTS[type(instance)]
    full = {
        key: values[key] if key in values else state[key] if key in state else defaults[key]
        for key in _FIELD_ORDER[type(instance)]
    }
    full.update((key, value) for key, value in state.items() if key != _PENDING and key not in full)
    object.__setattr__(instance, "__dict__", full)
    return full


class _Deferred:
    """A non-data descriptor for a dataclass field: a value in the instance wins, else it is built now."""

    __slots__ = ("default", "name")

    def __init__(self, name: str, default: object) -> None:
        self.name = name
        self.default = default

    def __get__(self, instance: object, owner: type | None = None) -> object:
        if instance is None:
            if self.default is MISSING:
                name = "?" if owner is None else owner.__name__
                raise AttributeError(f"type object {name!r} has no attribute {self.name!r}")
            return self.default
        return _complete(instance, self.name)[self.name]


def _full_state(instance: object) -> dict[str, object]:
    """For `__getstate__` (copy, pickle): the attributes, with any pending fields built."""
    return _complete(instance, None)


def _defer(cls: type, *names: str) -> None:
    _FIELD_ORDER[cls] = tuple(f.name for f in fields(cls))
    _DEFAULTS[cls] = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    for name in names:
        setattr(cls, name, _Deferred(name, _DEFAULTS[cls].get(name, MISSING)))


_defer(Amount, "text_ja", "text_en")
_defer(Evaluation, "reasons", "missing", "questions", "repayment")


def _jsonable(value: object) -> JsonValue:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"not serialisable: {value!r}")


# ---------------------------------------------------------------------------------------------------------
# Text


def yen_ja(amount: int) -> str:
    """100万円, 1,500円, 36万円."""
    if amount >= 10_000 and amount % 10_000 == 0:
        return f"{amount // 10_000:,}万円"
    return f"{amount:,}円"


def yen_en(amount: int) -> str:
    return f"{amount:,} yen"


def date_ja(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_en(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def _number(value: float, *, floor: bool = False) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    if floor:
        return f"{math.floor(value * 10) / 10:,.1f}"
    return f"{value:,}"


def _quantity_ja(fact: Fact, value: float, *, floor: bool = False) -> str:
    if fact.unit == "yen":
        return yen_ja(int(value))
    return f"{_number(value, floor=floor)}{fact.unit_ja}"


def _quantity_en(fact: Fact, value: float, *, floor: bool = False) -> str:
    text = _number(value, floor=floor)
    unit = UNITS[fact.unit][2]
    if not unit:
        return text
    if unit in ("years", "months") and value == 1:
        return f"{text} {unit[:-1]}"
    if unit == "people" and value == 1:
        return f"{text} person"
    return f"{text} {unit}"


def _value_ja(fact: Fact, value: FactValue | Bounds, *, floor: bool = False) -> str:
    if isinstance(value, Bounds):
        low = _quantity_ja(fact, value.low, floor=True)
        if value.high is None:
            return f"{low}以上"
        return f"{low}〜{_quantity_ja(fact, value.high, floor=True)}"
    if value is None:
        return "該当なし"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, date):
        return date_ja(value)
    if isinstance(value, tuple):
        return "・".join(value) if value else "なし"
    if isinstance(value, str):
        return f"「{fact.choices[value][0]}」" if value in fact.choices else f"「{value}」"
    return _quantity_ja(fact, value, floor=floor)


def _value_en(fact: Fact, value: FactValue | Bounds, *, floor: bool = False) -> str:
    if isinstance(value, Bounds):
        low = _quantity_en(fact, value.low, floor=True)
        if value.high is None:
            return f"at least {low}"
        return f"{low} to {_quantity_en(fact, value.high, floor=True)}"
    if value is None:
        return "not applicable"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return date_en(value)
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    if isinstance(value, str):
        return f'"{fact.choices[value][1]}"' if value in fact.choices else f'"{value}"'
    return _quantity_en(fact, value, floor=floor)


def _condition_text(fact: Fact, op: str, value: RuleValue) -> tuple[str, str]:
    """The condition as a phrase: 申請者の年齢が39歳以下 / Applicant's age is 39 or under."""
    if fact.kind == "bool":
        positive = (op == "eq") == bool(value)
        return (fact.true_ja, fact.true_en) if positive else (fact.false_ja, fact.false_en)
    if isinstance(value, tuple):
        ja = "".join(_value_ja(fact, v) if isinstance(v, str) else f"「{_value_ja(fact, v)}」" for v in value)
        en = ", ".join(_value_en(fact, v) for v in value)
        if op == "in":
            return f"{fact.sentence_ja}{ja}のいずれか", f"{fact.sentence_en} is one of: {en}"
        return f"{fact.sentence_ja}{ja}のいずれでもない", f"{fact.sentence_en} is none of: {en}"
    ja, en = _value_ja(fact, value), _value_en(fact, value)
    if fact.kind == "list":
        if op == "contains":
            return f"{fact.sentence_ja}{ja}を含む", f"{fact.sentence_en} include {en}"
        return f"{fact.sentence_ja}{ja}を含まない", f"{fact.sentence_en} do not include {en}"
    phrases: dict[str, tuple[str, str]] = {
        "eq": (f"{ja}", f"is {en}"),
        "ne": (f"{ja}以外", f"is not {en}"),
        "gte": (f"{ja}以上", f"is at least {en}"),
        "lte": (f"{ja}以下", f"is {en} or under"),
        "gt": (f"{ja}を超える", f"is over {en}"),
        "lt": (f"{ja}未満", f"is under {en}"),
    }
    phrase_ja, phrase_en = phrases[op]
    return f"{fact.sentence_ja}{phrase_ja}", f"{fact.sentence_en} {phrase_en}"


def _you_text(fact: Fact, status: Status, value: Computed, profile: Profile) -> tuple[str, str]:
    if status is Status.UNKNOWN or isinstance(value, Unknown):
        if not missing_inputs(fact, profile) and any(i.startswith("destination.") for i in fact.inputs):
            return "市区町村の情報が未登録です", "not yet registered for this municipality"
        return "回答が必要です", "answer needed"
    return f"あなた: {_value_ja(fact, value, floor=True)}", f"you: {_value_en(fact, value, floor=True)}"


# ---------------------------------------------------------------------------------------------------------
# Evaluation


def _as_number(value: Scalar) -> float:
    if isinstance(value, date):
        return float(value.toordinal())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"not ordered: {value!r}")


def _ordered(op: str, actual: float, expected: float) -> bool:
    if op == "gte":
        return actual >= expected
    if op == "lte":
        return actual <= expected
    if op == "gt":
        return actual > expected
    return actual < expected


def _bounds_status(op: str, value: Bounds, expected: RuleValue) -> Status:
    """Three-valued comparison of a partly known number: decided only when every possible value agrees."""
    low, high = value.low, value.high
    if op in _ORDER_OPS and not isinstance(expected, tuple):
        target = _as_number(expected)
        at_low = _ordered(op, low, target)
        at_high = None if high is None else _ordered(op, high, target)
        if op in ("gte", "gt"):  # true at low implies true everywhere above it
            if at_low:
                return Status.MET
            return Status.UNMET if at_high is False else Status.UNKNOWN
        if at_high:
            return Status.MET
        return Status.UNMET if not at_low else Status.UNKNOWN
    targets = expected if isinstance(expected, tuple) else (expected,)
    outside = all(_as_number(t) < low or (high is not None and _as_number(t) > high) for t in targets)
    if outside:
        return Status.MET if op in ("ne", "not_in") else Status.UNMET
    return Status.UNKNOWN


def _leaf_status(leaf: Leaf, value: Computed) -> Status:
    if isinstance(value, Unknown):
        return Status.UNKNOWN
    if value is None:  # a fact that does not apply (no spouse…) meets no comparison
        return Status.UNMET
    if isinstance(value, Bounds):
        return _bounds_status(leaf.op, value, leaf.value)
    op, expected = leaf.op, leaf.value
    if op == "eq":
        held = value == expected
    elif op == "ne":
        held = value != expected
    elif op == "in":
        held = isinstance(expected, tuple) and value in expected
    elif op == "not_in":
        held = isinstance(expected, tuple) and value not in expected
    elif op in ("contains", "excludes"):
        present = isinstance(value, tuple) and expected in value
        held = present if op == "contains" else not present
    else:
        if isinstance(value, tuple | str | bool) or isinstance(expected, tuple):
            raise TypeError(f"{leaf.fact} cannot be ordered")
        held = _ordered(op, _as_number(value), _as_number(expected))
    return Status.MET if held else Status.UNMET


def _all(statuses: Iterable[Status]) -> Status:
    found = list(statuses)
    if Status.UNMET in found:
        return Status.UNMET
    return Status.UNKNOWN if Status.UNKNOWN in found else Status.MET


def _any(statuses: Iterable[Status]) -> Status:
    found = list(statuses)
    if Status.MET in found:
        return Status.MET
    return Status.UNKNOWN if Status.UNKNOWN in found else Status.UNMET


_FLIP: Final = {Status.MET: Status.UNMET, Status.UNMET: Status.MET, Status.UNKNOWN: Status.UNKNOWN}


def _window(window: Window, profile: Profile) -> WindowResult:
    anchor_date: date | None = getattr(profile, ANCHORS[window.anchor][1])
    if anchor_date is None:
        return WindowResult(
            window.anchor, window.from_months, window.to_months, None, None, WindowStatus.UNKNOWN
        )
    opens = add_months(anchor_date, window.from_months)
    closes = add_months(anchor_date, window.to_months) - timedelta(days=1)
    today = profile.evaluation_date
    if today < opens:
        status = WindowStatus.NOT_YET
    elif today > closes:
        status = WindowStatus.CLOSED
    else:
        status = WindowStatus.OPEN
    return WindowResult(window.anchor, window.from_months, window.to_months, opens, closes, status)


def _window_reason(result: WindowResult) -> Reason:
    fact_key, _, anchor_ja, anchor_en = ANCHORS[result.anchor]
    start_ja = (
        f"{anchor_ja}から" if result.from_months == 0 else f"{anchor_ja}の{result.from_months}か月後から"
    )
    text_ja = f"申請できる期間が{start_ja}{result.to_months}か月後まで"
    text_en = f"Apply from {result.from_months} to {result.to_months} months after {anchor_en}"
    status = {
        WindowStatus.OPEN: Status.MET,
        WindowStatus.NOT_YET: Status.MET,
        WindowStatus.CLOSED: Status.UNMET,
        WindowStatus.UNKNOWN: Status.UNKNOWN,
    }[result.status]
    if result.opens is None or result.closes is None:
        return Reason(
            fact_key, status, f"{text_ja}（回答が必要です）", f"{text_en} (answer needed)", "window"
        )
    span_ja = f"{date_ja(result.opens)}〜{date_ja(result.closes)}"
    span_en = f"{date_en(result.opens)} to {date_en(result.closes)}"
    you_ja, you_en = {
        WindowStatus.OPEN: ("受付中", "open now"),
        WindowStatus.NOT_YET: ("まだ始まっていません", "not open yet"),
        WindowStatus.CLOSED: ("期間を過ぎています", "closed"),
        WindowStatus.UNKNOWN: ("回答が必要です", "answer needed"),
    }[result.status]
    return Reason(
        fact_key,
        status,
        f"{text_ja}（{span_ja}。あなた: {you_ja}）",
        f"{text_en} ({span_en}; you: {you_en})",
        "window",
    )


@cache
def _once_per_reason(once_per: str | None, status: Status) -> Reason:
    """The reason for a once-per limit; it depends on the limit and the status only, so it is built once."""
    limit_ja, limit_en = ONCE_PER[once_per or "person"]
    you_ja, you_en = {
        Status.MET: ("あなた: まだ受けていない", "you: not yet received"),
        Status.UNMET: ("あなた: すでに受けている", "you: already received"),
        Status.UNKNOWN: ("回答が必要です", "answer needed"),
    }[status]
    return Reason(
        "history.received_programs",
        status,
        f"この制度をまだ受けていない（{limit_ja}。{you_ja}）",
        f"You have not received this program yet ({limit_en}; {you_en})",
        "once_per",
    )


def _benefit_facts(benefit: Benefit) -> list[str]:
    if isinstance(benefit, HouseholdBenefit):
        return ["household.size", "household.children_under_18"]
    if isinstance(benefit, ByFactBenefit):
        return [benefit.fact]
    if isinstance(benefit, RateCapBenefit):
        return [benefit.cost_fact]
    if isinstance(benefit, MonthlyBenefit):
        return [key for key in (benefit.cost_fact, benefit.minus_fact) if key is not None]
    return []


def _range_ja(low: int, high: int) -> str:
    return yen_ja(low) if low == high else f"{yen_ja(low)}〜{yen_ja(high)}"


def _range_en(low: int, high: int) -> str:
    return yen_en(low) if low == high else f"{low:,}–{high:,} yen"


def _lump(low: int, high: int) -> Amount:
    return Amount(low, high, low == high, text_ja=_range_ja(low, high), text_en=_range_en(low, high))


def _lump_texts(amount: Mapping[str, object]) -> dict[str, object]:
    low, high = cast("int", amount["minimum"]), cast("int", amount["maximum"])
    return {"text_ja": _range_ja(low, high), "text_en": _range_en(low, high)}


_LUMP_TEXTS: Final = "lump"


def _deferred_lump(low: int, high: int) -> Amount:
    """`_lump(low, high)` with its texts written on first read (the other fields are their defaults)."""
    amount = _new(Amount)
    attributes = amount.__dict__
    attributes["minimum"] = low
    attributes["maximum"] = high
    attributes["exact"] = low == high
    attributes[_PENDING] = _LUMP_TEXTS
    return amount


def _known_int(value: Computed) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _share_text(share: float) -> tuple[str, str]:
    if share == 1:
        return "全額", "the full amount"
    if share == 0.5:
        return "半額", "half"
    return f"{share * 100:g}%", f"{share * 100:g}%"


def _repayment(schedule: tuple[RepaymentRule, ...], amount: Amount) -> list[RepaymentStep]:
    steps = []
    for step in schedule:
        trigger_ja, trigger_en = TRIGGERS[step.trigger]
        share_ja, share_en = _share_text(step.share)
        yen = None if amount.open_ended else math.floor(amount.maximum * step.share)
        if step.from_months == 0:
            when_ja = f"申請日から{step.to_months}か月未満に{trigger_ja}場合"
            when_en = f"If you {trigger_en} within {step.to_months} months of applying"
        else:
            when_ja = f"申請日から{step.from_months}か月以上{step.to_months}か月未満に{trigger_ja}場合"
            when_en = f"If you {trigger_en} {step.from_months} to {step.to_months} months after applying"
        suffix_ja = "" if yen is None else f"（{yen_ja(yen)}）"
        suffix_en = "" if yen is None else f" ({yen_en(yen)})"
        steps.append(
            RepaymentStep(
                step.trigger,
                step.from_months,
                step.to_months,
                step.share,
                yen,
                f"{when_ja}: {share_ja}を返還{suffix_ja}",
                f"{when_en}: repay {share_en}{suffix_en}",
            )
        )
    return steps


def _evaluation_lists(
    evaluation: Mapping[str, object],
    reasons: tuple[Reason, ...],
    missing: tuple[str, ...],
    questions: tuple[Question, ...],
    schedule: tuple[RepaymentRule, ...],
) -> dict[str, object]:
    return {
        "reasons": list(reasons),
        "missing": list(missing),
        "questions": list(questions),
        "repayment": _repayment(schedule, cast("Amount", evaluation["amount"])),
    }


def _questions(fact_keys: Iterable[str], profile: Profile | None) -> list[Question]:
    seen: dict[str, Question] = {}
    for key in fact_keys:
        fact = FACTS[key]
        names = fact.inputs if profile is None else missing_inputs(fact, profile)
        for name in names:
            if name in QUESTIONS and name not in seen:
                seen[name] = QUESTIONS[name]
    return list(seen.values())


def _unique(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))


_ZERO: Final = Amount(0, 0, True, text_ja="0円", text_en="0 yen")

# ---------------------------------------------------------------------------------------------------------
# Compiled rules
#
# Each `ProgramRule` is compiled once (by `from_dict`, or on its first evaluation) into a `_Plan`. Condition
# nodes and windows are interned: equal ones, across all rules alive, share one compiled object, so that an
# evaluation context (one profile and destination) decides each distinct condition and window once however
# many program versions use it. Everything compiled depends on the rule alone, never on a profile.

_LEAF, _ALL, _ANY, _NOT = range(4)


class _Cond:
    """A compiled condition node; a leaf also keeps its fact and the condition's phrase (profile-free)."""

    __slots__ = ("__weakref__", "children", "fact", "kind", "leaf", "text_en", "text_ja")

    def __init__(self, kind: int, children: tuple[_Cond, ...], leaf: Leaf | None = None) -> None:
        self.kind = kind
        self.children = children
        self.leaf = leaf
        self.fact: Fact | None = None
        self.text_ja = self.text_en = ""
        if leaf is not None:
            self.fact = FACTS[leaf.fact]
            self.text_ja, self.text_en = _condition_text(self.fact, leaf.op, leaf.value)


class _Win:
    """A compiled (interned) application window."""

    __slots__ = ("__weakref__", "window")

    def __init__(self, window: Window) -> None:
        self.window = window


_CONDS: Final[weakref.WeakValueDictionary[object, _Cond]] = weakref.WeakValueDictionary()
_WINDOWS: Final[weakref.WeakValueDictionary[object, _Win]] = weakref.WeakValueDictionary()


def _typed(value: object) -> object:
    """An interning key that keeps apart values equal in Python but written differently (1, 1.0, True)."""
    if isinstance(value, tuple):
        return tuple(_typed(v) for v in value)
    return (type(value), value)


def _compile_conditions(node: Node) -> _Cond:
    kind: int
    key: object
    children: tuple[_Cond, ...]
    leaf: Leaf | None
    if isinstance(node, Leaf):
        kind, children, leaf = _LEAF, (), node
        key = (_LEAF, node.fact, node.op, _typed(node.value))
    elif isinstance(node, NotOf):
        kind, children, leaf = _NOT, (_compile_conditions(node.child),), None
        key = (_NOT, children)
    else:
        kind = _ALL if isinstance(node, AllOf) else _ANY
        children, leaf = tuple(_compile_conditions(child) for child in node.children), None
        key = (kind, children)
    compiled = _CONDS.get(key)
    if compiled is None:
        compiled = _CONDS.setdefault(key, _Cond(kind, children, leaf))
    return compiled


def _compile_window(window: Window) -> _Win:
    key = _typed((window.anchor, window.from_months, window.to_months))
    compiled = _WINDOWS.get(key)
    if compiled is None:
        compiled = _WINDOWS.setdefault(key, _Win(window))
    return compiled


# An amount and the facts whose answers would narrow it.
_AmountResult: TypeAlias = "tuple[Amount, tuple[str, ...]]"
# How a benefit's amount is computed from the answers: `function(ctx, arguments)` gives the amount result.
_AmountRule: TypeAlias = "tuple[Callable[[_Context, Any], _AmountResult], tuple[object, ...]]"


def _compile_benefit(benefit: Benefit) -> _AmountResult | _AmountRule:
    """The amount result itself when it depends on the rule alone, else how to compute it from the answers
    (a shared function and this rule's arguments: quicker to reach than a closure per rule). Amounts computed
    from the answers write their texts on first read."""
    if isinstance(benefit, FixedBenefit):
        return (_lump(benefit.amount, benefit.amount), ())
    if isinstance(benefit, HouseholdBenefit):
        return (
            _household_amount,
            (benefit.single, benefit.household, benefit.per_child, benefit.child_max_age),
        )
    if isinstance(benefit, ByFactBenefit):
        paid = {value: _lump(yen, yen) for value, yen in benefit.amounts}
        return (_by_fact_amount, (benefit, paid, _lump(0, 0), []))
    if isinstance(benefit, RateCapBenefit):
        unknown = (_lump(0, benefit.cap), (benefit.cost_fact,))
        return (_rate_cap_amount, (benefit, benefit.cap, benefit.cost_fact, unknown, _rate(benefit)))
    if isinstance(benefit, MonthlyBenefit):
        inputs = (benefit.cost_fact, benefit.minus_fact)
        return (_monthly_amount, (benefit, benefit.monthly_cap, benefit.months, inputs, _rate(benefit), {}))
    note_ja = benefit.note_ja or "金額は実施団体にお問い合わせください"
    note_en = benefit.note_en or "Ask the organisation that runs it for the amount"
    if benefit.months is not None:
        note_ja += f"（最長{benefit.months}か月）"
        note_en += f" (up to {benefit.months} months)"
    return (
        Amount(0, 0, False, months=benefit.months, open_ended=True, text_ja=note_ja, text_en=note_en),
        (),
    )


def _no_amount(ctx: _Context, arguments: object) -> _AmountResult:
    raise AssertionError("the amount depends on the rule alone")  # pragma: no cover


def _rate(benefit: RateCapBenefit | MonthlyBenefit) -> list[tuple[int, int]]:
    """`[(numerator, denominator)]` of the benefit's rate, or `[]` when it does not read (it is then read, and
    fails, each time it is used, as before compiling). `math.floor(rate × yen)` is `numerator × yen //
    denominator`."""
    with suppress(ValueError, ZeroDivisionError, TypeError):
        return [_terms(benefit)]
    return []


def _terms(benefit: RateCapBenefit | MonthlyBenefit) -> tuple[int, int]:
    fraction = benefit.fraction
    return fraction.numerator, fraction.denominator


def _household_texts(amount: Mapping[str, object], per_child: int, child_max_age: int) -> dict[str, object]:
    low, high = cast("int", amount["minimum"]), cast("int", amount["maximum"])
    return {
        "text_ja": f"{_range_ja(low, high)}＋{child_max_age + 1}歳未満の子ども1人につき{yen_ja(per_child)}",
        "text_en": f"{_range_en(low, high)} plus {yen_en(per_child)} per child under {child_max_age + 1}",
    }


def _household_amount(ctx: _Context, arguments: tuple[int, int, int, int]) -> _AmountResult:
    single, household, per_child, child_max_age = arguments
    moving_together, children = ctx.households.get(child_max_age) or ctx.household(child_max_age)
    if moving_together is None:
        base_low, base_high = (single, household) if single <= household else (household, single)
        unknown: tuple[str, ...] = ("household.size",)
    else:
        base_low = base_high = household if moving_together else single
        unknown = ()
    if isinstance(children, int):
        extra = children * per_child
    elif per_child:  # children unknown
        result = _new(Amount)
        attributes = result.__dict__
        attributes["minimum"] = base_low
        attributes["maximum"] = base_high
        attributes["exact"] = False
        attributes["open_ended"] = True
        attributes[_PENDING] = (_household_texts, per_child, child_max_age)
        return result, (*unknown, "household.children_under_18")
    else:
        extra = 0
    result = _new(Amount)
    attributes = result.__dict__
    attributes["minimum"] = base_low + extra
    attributes["maximum"] = base_high + extra
    attributes["exact"] = base_low == base_high
    attributes[_PENDING] = _LUMP_TEXTS
    return result, unknown


def _by_fact_amount(
    ctx: _Context, arguments: tuple[ByFactBenefit, dict[str, Amount], Amount, list[_AmountResult]]
) -> _AmountResult:
    benefit, paid, nothing, unknown = arguments
    values, fact = ctx.values, benefit.fact
    value = values[fact] if fact in values else ctx.value(fact)
    if isinstance(value, Unknown):
        if not unknown:  # built on first need
            amounts = dict(benefit.amounts)
            choices = FACTS[fact].choices
            low = 0 if any(c not in amounts for c in choices) else min(amounts.values())
            unknown.append((_lump(low, max(amounts.values(), default=0)), (fact,)))
        return unknown[0]
    return (paid.get(value, nothing) if isinstance(value, str) else nothing), ()


def _rate_cap_amount(
    ctx: _Context,
    arguments: tuple[RateCapBenefit, int, str, _AmountResult, list[tuple[int, int]]],
) -> _AmountResult:
    benefit, cap, cost_fact, unknown, rates = arguments
    cost = ctx.costs.get(cost_fact)
    if cost is None:
        cost = ctx.cost(cost_fact)
    if cost < 0:  # unknown
        return unknown
    if not rates:
        rates.append(_terms(benefit))
    numerator, denominator = rates[0]
    paid = min(cap, numerator * cost // denominator)
    return _deferred_lump(paid, paid), ()


def _monthly_texts(amount: Mapping[str, object]) -> dict[str, object]:
    low, high = cast("int", amount["monthly_minimum"]), cast("int", amount["monthly_maximum"])
    months = cast("int", amount["months"])
    per_ja = yen_ja(low) if low == high else f"{yen_ja(low)}〜{yen_ja(high)}"
    per_en = yen_en(low) if low == high else f"{low:,}–{high:,} yen"
    return {
        "text_ja": f"月{per_ja}×{months}か月（{_range_ja(low * months, high * months)}）",
        "text_en": f"{per_en} a month for {months} months ({_range_en(low * months, high * months)})",
    }


_MONTHLY_TEXTS: Final = "monthly"
_BUILDERS: Final[dict[str, Callable[[Mapping[str, object]], dict[str, object]]]] = {
    _LUMP_TEXTS: _lump_texts,
    _MONTHLY_TEXTS: _monthly_texts,
}


def _monthly(low: int, high: int, months: int) -> Amount:
    """A monthly amount with its texts written on first read."""
    result = _new(Amount)
    attributes = result.__dict__
    attributes["minimum"] = low * months
    attributes["maximum"] = high * months
    attributes["exact"] = low == high
    attributes["monthly"] = low if low == high else None
    attributes["months"] = months
    attributes["monthly_minimum"] = low
    attributes["monthly_maximum"] = high
    attributes[_PENDING] = _MONTHLY_TEXTS
    return result


def _monthly_amount(
    ctx: _Context,
    arguments: tuple[
        MonthlyBenefit,
        int,
        int,
        tuple[str | None, str | None],
        list[tuple[int, int]],
        dict[tuple[int, int], Amount],
    ],
) -> _AmountResult:
    # `ranges` keeps the amounts that depend on the rule alone, once built.
    benefit, cap, months, inputs, rates, ranges = arguments
    if not rates:
        rates.append(_terms(benefit))
    cost_fact, minus_fact = inputs
    if cost_fact is None:
        return ranges.get((cap, cap)) or ranges.setdefault((cap, cap), _monthly(cap, cap, months)), ()
    known, net, unknown = ctx.monthly_inputs.get(inputs) or ctx.monthly_input(cost_fact, minus_fact)
    if known is None:  # the cost is unknown
        return ranges.get((0, cap)) or ranges.setdefault((0, cap), _monthly(0, cap, months)), unknown
    numerator, denominator = rates[0]
    per_month = numerator * net // denominator  # math.floor(rate × net)
    per_month = cap if per_month > cap else per_month  # max(0, min(cap, …))
    per_month = 0 if per_month < 0 else per_month
    return _monthly(per_month if known else 0, per_month, months), unknown


class _Head:
    """All of a rule but its key, names and benefit (interned): conditions, window, once-per limit, repayment.

    With a once-per limit the verdict also depends on whether this program was received; `by_once` gives one
    memo key per status of that condition.
    """

    __slots__ = ("__weakref__", "by_once", "conditions", "once_per", "repayment", "window")

    def __init__(
        self,
        conditions: _Cond,
        window: _Win | None,
        once_per: str | None,
        repayment: tuple[RepaymentRule, ...],
    ) -> None:
        self.conditions = conditions
        self.window = window
        self.once_per = once_per
        self.repayment = repayment
        self.by_once = {status: object() for status in Status}


_HEADS: Final[weakref.WeakValueDictionary[object, _Head]] = weakref.WeakValueDictionary()


def _compile_head(rule: ProgramRule) -> _Head:
    conditions = _compile_conditions(rule.conditions)
    window = None if rule.window is None else _compile_window(rule.window)
    repayment = tuple(
        (step.trigger, _typed(step.from_months), _typed(step.to_months), _typed(step.share))
        for step in rule.repayment
    )
    key = (conditions, window, _typed(rule.stacking.once_per), repayment)
    compiled = _HEADS.get(key)
    if compiled is None:
        compiled = _HEADS.setdefault(key, _Head(conditions, window, rule.stacking.once_per, rule.repayment))
    return compiled


class _Plan:
    """A rule compiled for evaluation (see above)."""

    __slots__ = (
        "amount_arguments",
        "compute_amount",
        "exclusive_with",
        "fixed_amount",
        "head",
        "key",
        "name_en",
        "name_ja",
        "once_leaf",
    )

    def __init__(self, rule: ProgramRule) -> None:
        self.key, self.name_ja, self.name_en = rule.key, rule.name_ja, rule.name_en
        self.head = _compile_head(rule)
        self.once_leaf = Leaf("history.received_programs", "excludes", rule.key)
        # The amount when it depends on the rule alone, else the function and arguments that compute it.
        self.fixed_amount: _AmountResult | None = None
        self.compute_amount: Callable[[_Context, Any], _AmountResult] = _no_amount
        self.amount_arguments: tuple[object, ...] = ()
        compiled = _compile_benefit(rule.benefit)
        if isinstance(compiled[0], Amount):
            self.fixed_amount = cast("_AmountResult", compiled)
        else:
            self.compute_amount, self.amount_arguments = cast("_AmountRule", compiled)
        self.exclusive_with = rule.stacking.exclusive_with


# Plans by `id(rule)`, kept while the rule lives (side tables: the frozen rule itself is left untouched).
_PLANS: Final[dict[int, _Plan]] = {}
_RULE_REFS: Final[dict[int, weakref.ref[ProgramRule]]] = {}


def _forget_plan(ref: weakref.ref[ProgramRule], ident: int) -> None:
    if _RULE_REFS.get(ident) is ref:
        del _RULE_REFS[ident]
        _PLANS.pop(ident, None)


def _plan(rule: ProgramRule) -> _Plan:
    ident = id(rule)
    plan = _PLANS.get(ident)
    if plan is None:
        plan = _Plan(rule)
        _RULE_REFS[ident] = weakref.ref(rule, lambda ref: _forget_plan(ref, ident))
        _PLANS[ident] = plan
    return plan


# ---------------------------------------------------------------------------------------------------------
# Evaluation

_MET: Final = Status.MET
_UNMET: Final = Status.UNMET
_UNKNOWN_STATUS: Final = Status.UNKNOWN
_ELIGIBLE: Final = Verdict.ELIGIBLE
_NOT_ELIGIBLE: Final = Verdict.NOT_ELIGIBLE
_NEED_TO_KNOW: Final = Verdict.NEED_TO_KNOW
_VERDICTS: Final = {_MET: _ELIGIBLE, _UNMET: _NOT_ELIGIBLE, _UNKNOWN_STATUS: _NEED_TO_KNOW}
# A condition's status, the facts whose answers could decide it (when unknown), and its reasons.
_Outcome: TypeAlias = tuple[Status, tuple[str, ...], tuple[Reason, ...]]
# Missing facts and their questions.
_Asked: TypeAlias = tuple[tuple[str, ...], tuple[Question, ...]]
# An evaluation's pending lists: `(_evaluation_lists, reasons, missing, questions, repayment schedule)`.
_Lists: TypeAlias = tuple[
    Callable[..., dict[str, object]],
    tuple[Reason, ...],
    tuple[str, ...],
    tuple[Question, ...],
    tuple[RepaymentRule, ...],
]
# A head's verdict, reasons, facts that could decide it (when need-to-know) and window; its evaluations' lists
# by the facts their amount misses; and their lists when not eligible.
_HeadOutcome: TypeAlias = tuple[
    Verdict,
    tuple[Reason, ...],
    tuple[str, ...],
    WindowResult | None,
    dict[tuple[str, ...], _Lists],
    _Lists,
]
_NOTHING_ASKED: Final[_Asked] = ((), ())
_UNSET: Final = object()


class _Context:
    """One profile and destination: each fact, condition, window and list of questions is worked out once.

    Keeps nothing between calls of the public functions (each makes its own): every call computes all it
    returns from the profile it is given.
    """

    __slots__ = (
        "asked",
        "costs",
        "destination",
        "heads",
        "households",
        "monthly_inputs",
        "outcomes",
        "profile",
        "values",
        "windows",
    )

    def __init__(self, profile: Profile, destination: Destination) -> None:
        self.profile = profile
        self.destination = destination
        self.values: dict[str, Computed] = {}
        self.outcomes: dict[_Cond, _Outcome] = {}
        self.windows: dict[_Win, tuple[WindowResult, Reason]] = {}
        self.heads: dict[object, _HeadOutcome] = {}
        self.asked: dict[tuple[str, ...], _Asked] = {}
        self.households: dict[int, tuple[bool | None, int | Unknown]] = {}
        self.costs: dict[str, int] = {}
        self.monthly_inputs: dict[
            tuple[str | None, str | None], tuple[bool | None, int, tuple[str, ...]]
        ] = {}

    def value(self, key: str) -> Computed:
        try:
            return self.values[key]
        except KeyError:
            value = self.values[key] = FACTS[key].value(self.profile, self.destination)
            return value

    def outcome(self, node: _Cond) -> _Outcome:
        """The node's status, the facts whose answers could decide it (when unknown), and its reasons."""
        found = self.outcomes.get(node)
        if found is not None:
            return found
        if node.kind == _LEAF:
            assert node.leaf is not None and node.fact is not None
            value = self.value(node.leaf.fact)
            status = _leaf_status(node.leaf, value)
            you_ja, you_en = _you_text(node.fact, status, value, self.profile)
            reason = Reason(
                node.leaf.fact, status, f"{node.text_ja}（{you_ja}）", f"{node.text_en} ({you_en})"
            )
            found = (status, (node.leaf.fact,) if status is _UNKNOWN_STATUS else (), (reason,))
        elif node.kind == _NOT:
            status, unknown, reasons = self.outcome(node.children[0])
            found = (_FLIP[status], unknown, reasons)
        else:
            results = [self.outcome(child) for child in node.children]
            status = (_all if node.kind == _ALL else _any)(s for s, _, _ in results)
            unknown = (
                tuple(key for s, keys, _ in results if s is _UNKNOWN_STATUS for key in keys)
                if status is _UNKNOWN_STATUS
                else ()
            )
            found = (status, unknown, tuple(reason for _, _, reasons in results for reason in reasons))
        self.outcomes[node] = found
        return found

    def head(self, head: _Head, once: Status | None) -> _HeadOutcome:
        """The verdict as one `all` of the conditions, the once-per limit (`once`, its status) and the window."""
        memo_key = head if once is None else head.by_once[once]
        found = self.heads.get(memo_key)
        if found is not None:
            return found
        status, unknown, found_reasons = self.outcome(head.conditions)
        statuses, reasons = [status], list(found_reasons)
        if once is not None:
            reasons.append(_once_per_reason(head.once_per, once))
            statuses.append(once)
            unknown += ("history.received_programs",) if once is _UNKNOWN_STATUS else ()
        window = None
        if head.window is not None:
            window, reason = self.window(head.window)
            reasons.append(reason)
            statuses.append(reason.status)
            unknown += (reason.fact,) if reason.status is _UNKNOWN_STATUS else ()
        verdict = _VERDICTS[_all(statuses)]
        refused = (_evaluation_lists, tuple(reasons), (), (), head.repayment)
        found = self.heads[memo_key] = (verdict, refused[1], unknown, window, {}, refused)
        return found

    def lists(self, head: _Head, outcome: _HeadOutcome, amount_unknown: tuple[str, ...]) -> _Lists:
        """An evaluation's pending lists, for one that may pay and whose amount misses `amount_unknown`."""
        verdict, reasons, unknown, _window, by_amount_unknown, _refused = outcome
        missing = unknown + amount_unknown if verdict is _NEED_TO_KNOW else amount_unknown
        asked = self.ask(missing) if missing else _NOTHING_ASKED
        found = by_amount_unknown[amount_unknown] = (
            _evaluation_lists,
            reasons,
            asked[0],
            asked[1],
            head.repayment,
        )
        return found

    def window(self, compiled: _Win) -> tuple[WindowResult, Reason]:
        found = self.windows.get(compiled)
        if found is None:
            result = _window(compiled.window, self.profile)
            found = self.windows[compiled] = (result, _window_reason(result))
        return found

    def household(self, child_max_age: int) -> tuple[bool | None, int | Unknown]:
        """For a household amount: whether two or more move together (None when the answers leave it open),
        and how many children are `child_max_age` or younger."""
        size = self.value("household.size")
        if isinstance(size, Bounds):
            if size.low >= 2:
                size = 2
            elif size.high is not None and size.high < 2:
                size = 1
        together = size >= 2 if isinstance(size, int) and not isinstance(size, bool) else None
        found = self.households[child_max_age] = (together, children_at_most(self.profile, child_max_age))
        return found

    def cost(self, cost_fact: str) -> int:
        """For a rate × cost amount: the cost (0 when it does not apply or is negative), or -1 when unknown."""
        value = self.value(cost_fact)
        cost = _known_int(value)
        found = self.costs[cost_fact] = -1 if cost is None and value is not None else max(cost or 0, 0)
        return found

    def monthly_input(
        self, cost_fact: str, minus_fact: str | None
    ) -> tuple[bool | None, int, tuple[str, ...]]:
        """For a monthly amount: None when the cost is unknown; else whether the net cost is known, the net
        cost (the cost when what to subtract is unknown), and the facts that would narrow the amount."""
        cost_value = self.value(cost_fact)
        minus_value = None if minus_fact is None else self.value(minus_fact)
        cost = _known_int(cost_value)
        minus = 0 if minus_value is None else _known_int(minus_value)
        found: tuple[bool | None, int, tuple[str, ...]]
        if cost is None and cost_value is not None:
            found = (None, 0, (cost_fact,))
        elif minus is None:
            found = (False, cost or 0, (str(minus_fact),))
        else:
            found = (True, (cost or 0) - minus, ())
        self.monthly_inputs[cost_fact, minus_fact] = found
        return found

    def ask(self, unknown: tuple[str, ...]) -> _Asked:
        """The missing facts (deduplicated, in order) and their questions."""
        found = self.asked.get(unknown)
        if found is None:
            missing = _unique(unknown)
            found = self.asked[unknown] = (tuple(missing), tuple(_questions(missing, self.profile)))
        return found


class _Tally:
    """What `evaluate_all` needs of each evaluation, gathered while the evaluation is at hand: the maxima, the
    amounts of the eligible ones, and whether any rule excludes another."""

    __slots__ = ("eligible", "excluding", "maxima")

    def __init__(self) -> None:
        self.maxima: list[int] = []
        self.eligible: list[Amount] = []
        self.excluding = False


def _evaluate(rules: Sequence[ProgramRule], ctx: _Context, tally: _Tally | None = None) -> list[Evaluation]:
    """The evaluations, in order: the loop every public function runs, kept tight for many versions."""
    if not isinstance(rules, list | tuple):
        rules = list(rules)  # read twice below
    plans, heads, decide, lists = _PLANS.get, ctx.heads, ctx.head, ctx.lists
    new, evaluation_class, not_eligible, unknown_value = _new, Evaluation, _NOT_ELIGIBLE, UNKNOWN
    received: object = _UNSET
    evaluations: list[Evaluation] = []
    append = evaluations.append
    keep, sink = tally is not None, _Tally() if tally is None else tally
    keep_maximum, keep_eligible, eligible = sink.maxima.append, sink.eligible.append, _ELIGIBLE
    for rule, found in zip(rules, map(plans, map(id, rules)), strict=True):
        plan = _plan(rule) if found is None else found
        head = plan.head
        if head.once_per is None:
            once = None
            outcome = heads.get(head)
        else:
            if received is _UNSET:
                received = ctx.value("history.received_programs")
            # What `_leaf_status` decides for the once-per condition, inline for the usual values.
            if received is unknown_value:
                once = _UNKNOWN_STATUS
            elif isinstance(received, tuple):
                once = _UNMET if plan.key in received else _MET
            else:
                once = _leaf_status(plan.once_leaf, cast("Computed", received))
            outcome = heads.get(head.by_once[once])
        if outcome is None:
            outcome = decide(head, once)
        verdict = outcome[0]
        if verdict is not_eligible:
            amount, pending = _ZERO, outcome[5]
        else:
            fixed = plan.fixed_amount
            if fixed is None:
                amount, amount_unknown = plan.compute_amount(ctx, plan.amount_arguments)
            else:
                amount, amount_unknown = fixed
            pending = outcome[4].get(amount_unknown) or lists(head, outcome, amount_unknown)
        evaluation = new(evaluation_class)
        attributes = evaluation.__dict__  # filled in directly: faster than `__init__` or a dict to copy
        attributes["key"] = plan.key
        attributes["name_ja"] = plan.name_ja
        attributes["name_en"] = plan.name_en
        attributes["verdict"] = verdict
        attributes["amount"] = amount
        attributes["window"] = outcome[3]
        attributes[_PENDING] = pending  # `excluded_by` is its default, None
        append(evaluation)
        if keep:
            keep_maximum(amount.maximum)
            if verdict is eligible:
                keep_eligible(amount)
            if plan.exclusive_with:
                sink.excluding = True
    return evaluations


def evaluate(rule: ProgramRule, profile: Profile, destination: Destination) -> Evaluation:
    """Whether the seeker qualifies for this program version, why, for how much, and what is still to ask.

    The verdict combines, as one `all`: the conditions; the application window (closed = unmet, not yet open =
    met, anchor date unknown = unknown); and, when `once_per` is set, not having received it already.
    """
    return _evaluate((rule,), _Context(profile, destination))[0]


def evaluate_many(
    rules: Sequence[ProgramRule], profile: Profile, destination: Destination
) -> list[Evaluation]:
    """`[evaluate(rule, profile, destination) for rule in rules]`, working out each fact and each distinct
    condition and window once for all the rules: the fast way to evaluate many program versions."""
    return _evaluate(rules, _Context(profile, destination))


_EXACT_COMPONENT: Final = 20


def _best_set(
    indices: Sequence[int],
    weights: Sequence[int],
    clash: Callable[[int, int], bool],
    neighbours: Mapping[int, set[int]],
) -> set[int]:
    """The programs to count together: the largest total of maxima with no two mutually exclusive.

    Exact within each group of programs linked by exclusivity (groups are small in practice; a group above
    20 programs falls back to largest-first). Ties keep programs earlier in rule order. `weights` are the
    maxima; `neighbours` the programs each one clashes with (the graph of `clash`).
    """
    weight = weights.__getitem__
    # A program that clashes with none is kept (what the search below decides for a program alone).
    kept = {i for i in indices if i not in neighbours and weights[i] > -1}
    if not neighbours:
        return kept
    candidates = set(indices)
    grouped: set[int] = set()
    for first in sorted(i for i in candidates if i in neighbours):
        if first in grouped:
            continue
        component, frontier = [first], [first]
        grouped.add(first)
        while frontier:
            for j in neighbours.get(frontier.pop(), ()):
                if j in candidates and j not in grouped:
                    grouped.add(j)
                    component.append(j)
                    frontier.append(j)
        if len(component) == 1:
            if weight(first) > -1:  # what the search below decides for a program alone
                kept.add(first)
            continue
        component.sort()
        if len(component) > _EXACT_COMPONENT:
            chosen_here: list[int] = []
            for i in sorted(component, key=lambda i: (-weight(i), i)):
                if not any(clash(i, k) for k in chosen_here):
                    chosen_here.append(i)
            kept.update(chosen_here)
            continue
        best: tuple[int, tuple[int, ...]] = (-1, ())

        def search(
            position: int, chosen: tuple[int, ...], total: int, members: list[int] = component
        ) -> None:
            nonlocal best
            if total + sum(weight(i) for i in members[position:]) <= best[0]:
                return
            if position == len(members):
                best = (total, chosen)
                return
            i = members[position]
            if not any(clash(i, k) for k in chosen):
                search(position + 1, (*chosen, i), total + weight(i))
            search(position + 1, chosen, total)

        search(0, (), 0)
        kept.update(best[1])
    return kept


def _stack(
    plans: Sequence[_Plan],
    evaluations: list[Evaluation],
    verdicts: Sequence[Verdict],
    amounts: Sequence[Amount],
    weights: Sequence[int],
) -> tuple[list[Amount], list[Amount]]:
    """Apply mutual exclusivity (see `evaluate_all`): mark the excluded evaluations, and return the amounts
    counted in the totals and those counted in the possible maximum, in rule order."""
    keys = [plan.key for plan in plans]

    def clash(i: int, j: int) -> bool:
        return keys[j] in plans[i].exclusive_with or keys[i] in plans[j].exclusive_with

    neighbours: dict[int, set[int]] = {}
    by_key: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        by_key.setdefault(key, []).append(i)
    for i, plan in enumerate(plans):
        for other in plan.exclusive_with:
            for j in by_key.get(other, ()):
                if j != i:
                    neighbours.setdefault(i, set()).add(j)
                    neighbours.setdefault(j, set()).add(i)
    eligible = [i for i, verdict in enumerate(verdicts) if verdict is _ELIGIBLE]
    kept = _best_set(eligible, weights, clash, neighbours)
    for i in eligible:
        if i not in kept:
            blocker = min((k for k in neighbours.get(i, ()) if k in kept), key=lambda k: (-weights[k], k))
            evaluations[i] = replace(evaluations[i], excluded_by=keys[blocker])
    open_indices = [i for i, verdict in enumerate(verdicts) if verdict is not _NOT_ELIGIBLE]
    possible = _best_set(open_indices, weights, clash, neighbours)
    return [amounts[i] for i in eligible if i in kept], [amounts[i] for i in open_indices if i in possible]


def evaluate_all(rules: Sequence[ProgramRule], profile: Profile, destination: Destination) -> Summary:
    """Evaluate every program version and add them up, honouring mutual exclusivity.

    Mutually exclusive means either program lists the other in `exclusive_with`. Of exclusive eligible
    programs the totals keep those with the larger maximum (for a pair: the larger one; ties keep the earlier
    rule) and mark the others `excluded_by` the kept program they clash with. `possible_maximum` makes the same
    choice over eligible and need-to-know programs together. Once-per limits are applied by `evaluate`.
    """
    ctx, tally = _Context(profile, destination), _Tally()
    evaluations = _evaluate(rules, ctx, tally)
    weights = tally.maxima
    if min(weights, default=0) > -1 and not tally.excluding:
        # No program excludes another: every eligible one counts, and every one that may pay is possible (what
        # `_stack` decides, without the sets). Not eligible ones have the amount 0 (`_ZERO`), so the possible
        # totals are those of all.
        counted = tally.eligible
        possible_maximum = sum(weights)
        possible_open_ended = any(e.amount.open_ended for e in evaluations)
    else:
        verdicts = [e.verdict for e in evaluations]
        amounts = [e.amount for e in evaluations]
        counted, possible = _stack([_plan(rule) for rule in rules], evaluations, verdicts, amounts, weights)
        possible_maximum = sum(a.maximum for a in possible)
        possible_open_ended = any(a.open_ended for a in possible)
    # Each evaluation's questions are one of the context's lists, first asked in rule order: going through
    # those lists gives the questions in the order the evaluations ask them.
    questions: dict[str, Question] = {}
    for _missing, asked in ctx.asked.values():
        for question in asked:
            questions.setdefault(question.key, question)
    return Summary(
        evaluations=evaluations,
        total_minimum=sum(a.minimum for a in counted),
        total_maximum=sum(a.maximum for a in counted),
        possible_maximum=possible_maximum,
        total_open_ended=any(a.open_ended for a in counted),
        possible_open_ended=possible_open_ended,
        questions=list(questions.values()),
    )


def _leaves(node: Node) -> Iterable[Leaf]:
    if isinstance(node, Leaf):
        yield node
    elif isinstance(node, NotOf):
        yield from _leaves(node.child)
    else:
        for child in node.children:
            yield from _leaves(child)


def rule_facts(rule: ProgramRule) -> list[str]:
    """Every fact the rule may read: conditions, once-per, window anchor and benefit formula, in that order."""
    keys = [leaf.fact for leaf in _leaves(rule.conditions)]
    if rule.stacking.once_per is not None:
        keys.append("history.received_programs")
    if rule.window is not None:
        keys.append(ANCHORS[rule.window.anchor][0])
    return _unique(keys + _benefit_facts(rule.benefit))


def questions_for(rules: Sequence[ProgramRule]) -> list[Question]:
    """Every question these rules could ask (destination attributes excluded), deduplicated, in rule order."""
    return _questions((key for rule in rules for key in rule_facts(rule)), None)
