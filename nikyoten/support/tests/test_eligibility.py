"""The evaluator: three-valued logic, every benefit kind, windows, repayment, stacking, authoring errors, the
real 移住支援金 and 小山市 programs, and properties (more conditions never make more people eligible…)."""

import copy
import gc
import math
import pickle
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nikyoten.support import content, eligibility
from nikyoten.support.eligibility import (
    _FLIP,
    AllOf,
    Amount,
    ByFactBenefit,
    Evaluation,
    FixedBenefit,
    HouseholdBenefit,
    Leaf,
    MonthlyBenefit,
    NotOf,
    ProgramRule,
    RateCapBenefit,
    Reason,
    RuleError,
    Status,
    Summary,
    Verdict,
    WindowStatus,
    _all,
    _any,
    _condition_text,
    _known_int,
    _leaf_status,
    _lump,
    _once_per_reason,
    _questions,
    _range_en,
    _range_ja,
    _repayment,
    _unique,
    _window,
    _window_reason,
    _you_text,
    evaluate,
    evaluate_all,
    evaluate_many,
    questions_for,
    yen_en,
    yen_ja,
)
from nikyoten.support.facts import (
    AREAS,
    COMMUTE_MODES,
    EMPLOYMENT_ROUTES,
    FACTS,
    HOUSING_ACQUISITIONS,
    PROFILE_FIELDS,
    Bounds,
    CommuteSpell,
    Destination,
    Profile,
    Spell,
    StudySpell,
    Unknown,
    children_at_most,
)

TODAY = date(2024, 10, 1)
DEST = Destination(
    code="09208",
    prefecture_code="09",
    in_tokyo_area=False,
    disadvantaged=False,
    participates_relocation_grant=True,
)
NOTHING = {"all": []}
MET = {"fact": "applicant.age", "op": "lte", "value": 39}
UNMET = {"fact": "applicant.age", "op": "gte", "value": 40}
UNK = {"fact": "employment.route", "op": "eq", "value": "telework"}


def d(text: str) -> date:
    return date.fromisoformat(text)


def rule(conditions=None, benefit=None, **parts) -> ProgramRule:
    return ProgramRule.from_dict(
        {
            "key": parts.pop("key", "test-program"),
            "name_ja": "テスト制度",
            "name_en": "Test program",
            "conditions": NOTHING if conditions is None else conditions,
            "benefit": benefit or {"kind": "fixed", "amount": 100_000},
            **parts,
        }
    )


def person(**answers) -> Profile:
    answers.setdefault("evaluation_date", TODAY)
    answers.setdefault("applicant_birth_date", d("1989-04-01"))  # 35 on TODAY
    return Profile(**answers)


# --- three-valued logic ----------------------------------------------------------------------------------

LOGIC = [
    (NOTHING, Verdict.ELIGIBLE),
    ({"all": [MET, MET]}, Verdict.ELIGIBLE),
    ({"all": [MET, UNMET]}, Verdict.NOT_ELIGIBLE),
    ({"all": [MET, UNK]}, Verdict.NEED_TO_KNOW),
    ({"all": [UNK, UNMET]}, Verdict.NOT_ELIGIBLE),
    ({"any": [UNMET, MET]}, Verdict.ELIGIBLE),
    ({"any": [UNK, MET]}, Verdict.ELIGIBLE),
    ({"any": [UNMET, UNK]}, Verdict.NEED_TO_KNOW),
    ({"any": [UNMET, UNMET]}, Verdict.NOT_ELIGIBLE),
    ({"not": MET}, Verdict.NOT_ELIGIBLE),
    ({"not": UNMET}, Verdict.ELIGIBLE),
    ({"not": UNK}, Verdict.NEED_TO_KNOW),
    ({"all": [MET, {"any": [UNMET, {"not": UNMET}]}]}, Verdict.ELIGIBLE),
    ({"all": [MET, {"any": [UNMET, {"not": UNK}]}]}, Verdict.NEED_TO_KNOW),
    ({"any": [{"all": [UNK, UNMET]}, {"all": []}]}, Verdict.ELIGIBLE),
    (MET, Verdict.ELIGIBLE),
]


@pytest.mark.parametrize(("conditions", "verdict"), LOGIC)
def test_three_valued_logic(conditions, verdict):
    result = evaluate(rule(conditions), person(), DEST)
    assert result.verdict is verdict
    assert (result.missing == ["employment.route"]) == (verdict is Verdict.NEED_TO_KNOW)


def test_questions_only_for_unknowns_that_could_change_the_verdict():
    # The unknown route is moot once the age condition fails the `all`, or passes the `any`.
    for conditions in ({"all": [UNK, UNMET]}, {"any": [UNK, MET]}):
        result = evaluate(rule(conditions), person(), DEST)
        assert result.missing == [] and result.questions == []
    result = evaluate(rule({"all": [UNK, MET]}), person(), DEST)
    assert [q.key for q in result.questions] == ["employment_route"]


def test_one_reason_per_leaf_with_status_and_your_value():
    result = evaluate(rule({"all": [MET, UNMET, UNK]}), person(), DEST)
    assert [(r.fact, r.status) for r in result.reasons] == [
        ("applicant.age", Status.MET),
        ("applicant.age", Status.UNMET),
        ("employment.route", Status.UNKNOWN),
    ]
    assert result.reasons[0].text_ja == "申請者の年齢が39歳以下（あなた: 35歳）"
    assert result.reasons[0].text_en == "Applicant's age is 39 or under (you: 35)"
    assert result.reasons[1].text_ja == "申請者の年齢が40歳以上（あなた: 35歳）"
    assert result.reasons[2].text_ja == "移住後の仕事が「テレワークで移住前の仕事を続ける」（回答が必要です）"
    assert result.reasons[2].text_en.endswith("(answer needed)")


def test_unknown_destination_attribute_is_not_a_question():
    conditions = {"fact": "destination.participates_relocation_grant", "op": "eq", "value": True}
    result = evaluate(rule(conditions), person(), replace(DEST, participates_relocation_grant=None))
    assert result.verdict is Verdict.NEED_TO_KNOW
    assert result.missing == ["destination.participates_relocation_grant"]
    assert result.questions == []
    assert "市区町村の情報が未登録です" in result.reasons[0].text_ja


@pytest.mark.parametrize(
    ("leaf", "status"),
    [
        ({"fact": "spouse.age", "op": "lte", "value": 39}, Status.UNMET),
        ({"fact": "spouse.age", "op": "ne", "value": 39}, Status.UNMET),
        ({"fact": "spouse.age", "op": "not_in", "value": [1, 2]}, Status.UNMET),
        ({"not": {"fact": "spouse.age", "op": "lte", "value": 39}}, Status.MET),
        ({"fact": "household.youngest_child_age", "op": "lte", "value": 15}, Status.UNMET),
    ],
)
def test_a_fact_that_does_not_apply_meets_no_comparison(leaf, status):
    result = evaluate(rule(leaf), person(has_spouse=False, children_birth_dates=()), DEST)
    assert result.verdict is (Verdict.ELIGIBLE if status is Status.MET else Verdict.NOT_ELIGIBLE)
    assert "該当なし" in result.reasons[0].text_ja


OPS = [
    ("applicant.age", "eq", 35, Status.MET),
    ("applicant.age", "eq", 36, Status.UNMET),
    ("applicant.age", "ne", 36, Status.MET),
    ("applicant.age", "in", [30, 35], Status.MET),
    ("applicant.age", "not_in", [30, 35], Status.UNMET),
    ("applicant.age", "gt", 35, Status.UNMET),
    ("applicant.age", "gt", 34, Status.MET),
    ("applicant.age", "lt", 35, Status.UNMET),
    ("applicant.age", "lt", 36, Status.MET),
    ("applicant.age", "gte", 35, Status.MET),
    ("applicant.age", "lte", 34, Status.UNMET),
    ("employment.route", "in", ["telework", "startup"], Status.MET),
    ("employment.route", "not_in", ["telework"], Status.UNMET),
    ("employment.route", "ne", "startup", Status.MET),
    ("household.tax_arrears", "eq", False, Status.MET),
    ("household.tax_arrears", "ne", False, Status.UNMET),
    ("history.received_programs", "contains", "a", Status.MET),
    ("history.received_programs", "contains", "c", Status.UNMET),
    ("history.received_programs", "excludes", "c", Status.MET),
    ("move.date", "gte", "2024-04-01", Status.MET),
    ("move.date", "lt", "2024-04-01", Status.UNMET),
    ("move.date", "in", ["2024-04-01"], Status.MET),
    ("origin.prior_outside_years", "gt", 0, Status.MET),
    ("origin.prior_outside_years", "gte", 1.5, Status.UNMET),
]


@pytest.mark.parametrize(("fact", "op", "value", "status"), OPS)
def test_every_operator(fact, op, value, status):
    profile = person(
        employment_route="telework",
        tax_arrears=False,
        received_programs=("a", "b"),
        move_in_date=d("2024-04-01"),
        prior_outside_residence_years=1.2,
    )
    result = evaluate(rule({"fact": fact, "op": op, "value": value}), profile, DEST)
    assert result.reasons[0].status is status


@pytest.mark.parametrize(
    ("answers", "op", "value", "status"),
    [
        # 4 years known in 23区, study unknown: between 4 and 10 years.
        ({}, "gte", 5, Status.UNKNOWN),
        ({}, "gte", 4, Status.MET),
        ({}, "lt", 4, Status.UNMET),
        ({}, "lte", 10, Status.MET),
        ({}, "gt", 10, Status.UNMET),
        ({}, "eq", 3, Status.UNMET),
        ({}, "ne", 3, Status.MET),
        ({}, "eq", 5, Status.UNKNOWN),
        ({"study_in_tokyo23_history": ()}, "gte", 5, Status.UNMET),
        ({"study_in_tokyo23_history": (StudySpell(d("2014-04-01"), d("2016-03-31")),)}, "gte", 5, Status.MET),
    ],
)
def test_partly_known_numbers_decide_when_every_possibility_agrees(answers, op, value, status):
    profile = person(
        residence_history=(Spell(d("2020-04-01"), d("2024-03-31"), "tokyo23"),),
        commute_to_tokyo23_history=(),
        move_in_date=d("2024-04-01"),
        **answers,
    )
    leaf = {"fact": "origin.years_in_tokyo23_last10", "op": op, "value": value}
    assert evaluate(rule(leaf), profile, DEST).reasons[0].status is status


# --- benefits --------------------------------------------------------------------------------------------

HOUSEHOLD = {
    "kind": "household",
    "single": 600_000,
    "household": 1_000_000,
    "per_child": 1_000_000,
    "child_max_age": 17,
}
KIDS = (d("2018-04-01"), d("2021-04-01"))


@pytest.mark.parametrize(
    ("benefit", "answers", "minimum", "maximum", "exact", "open_ended"),
    [
        ({"kind": "fixed", "amount": 200_000}, {}, 200_000, 200_000, True, False),
        (HOUSEHOLD, {"has_spouse": False, "children_birth_dates": ()}, 600_000, 600_000, True, False),
        (HOUSEHOLD, {"has_spouse": True, "children_birth_dates": ()}, 1_000_000, 1_000_000, True, False),
        (HOUSEHOLD, {"has_spouse": True, "children_birth_dates": KIDS}, 3_000_000, 3_000_000, True, False),
        (
            HOUSEHOLD,
            {"has_spouse": False, "children_birth_dates": KIDS[:1]},
            2_000_000,
            2_000_000,
            True,
            False,
        ),
        (
            HOUSEHOLD,
            {"has_spouse": True, "children_birth_dates": (d("2006-01-01"),)},
            1_000_000,
            1_000_000,
            True,
            False,
        ),
        (HOUSEHOLD, {"has_spouse": None, "children_birth_dates": ()}, 600_000, 1_000_000, False, False),
        (HOUSEHOLD, {"has_spouse": None, "children_birth_dates": KIDS}, 3_000_000, 3_000_000, True, False),
        (HOUSEHOLD, {"has_spouse": True, "children_birth_dates": None}, 1_000_000, 1_000_000, False, True),
        (HOUSEHOLD, {}, 600_000, 1_000_000, False, True),
        (
            {**HOUSEHOLD, "child_max_age": 14},
            {"has_spouse": True, "children_birth_dates": (d("2009-01-01"),)},
            1_000_000,
            1_000_000,
            True,
            False,
        ),
        ({**HOUSEHOLD, "per_child": 0}, {"has_spouse": True}, 1_000_000, 1_000_000, True, False),
        (
            {"kind": "by_fact", "fact": "housing.acquisition", "amounts": {"new": 400_000, "used": 200_000}},
            {"housing_acquisition": "new"},
            400_000,
            400_000,
            True,
            False,
        ),
        (
            {"kind": "by_fact", "fact": "housing.acquisition", "amounts": {"new": 400_000, "used": 200_000}},
            {"housing_acquisition": "rent"},
            0,
            0,
            True,
            False,
        ),
        (
            {"kind": "by_fact", "fact": "housing.acquisition", "amounts": {"new": 400_000, "used": 200_000}},
            {},
            0,
            400_000,
            False,
            False,
        ),
        (
            {
                "kind": "by_fact",
                "fact": "housing.acquisition",
                "amounts": dict.fromkeys(HOUSING_ACQUISITIONS, 5),
            },
            {},
            5,
            5,
            True,
            False,
        ),
        (
            {"kind": "rate_cap", "rate": 0.5, "cap": 2_500_000, "cost_fact": "housing.renovation_cost"},
            {"housing_renovation_cost": 1_000_001},
            500_000,
            500_000,
            True,
            False,
        ),
        (
            {"kind": "rate_cap", "rate": 0.5, "cap": 2_500_000, "cost_fact": "housing.renovation_cost"},
            {"housing_renovation_cost": 9_000_000},
            2_500_000,
            2_500_000,
            True,
            False,
        ),
        (
            {"kind": "rate_cap", "rate": 0.5, "cap": 2_500_000, "cost_fact": "housing.renovation_cost"},
            {},
            0,
            2_500_000,
            False,
            False,
        ),
        (
            {"kind": "rate_cap", "rate": "1/3", "cap": 15_000, "cost_fact": "housing.monthly_rent"},
            {"monthly_rent": 40_000},
            13_333,
            13_333,
            True,
            False,
        ),
        ({"kind": "unspecified", "months": 84}, {}, 0, 0, False, True),
    ],
)
def test_benefit_amounts(benefit, answers, minimum, maximum, exact, open_ended):
    amount = evaluate(rule(benefit=benefit), person(**answers), DEST).amount
    assert (amount.minimum, amount.maximum, amount.exact, amount.open_ended) == (
        minimum,
        maximum,
        exact,
        open_ended,
    )


def test_unspecified_amount_says_to_ask_and_asks_nothing():
    benefit = {"kind": "unspecified", "months": 84, "note_ja": "金額は町にお問い合わせください"}
    result = evaluate(rule(benefit=benefit), person(), DEST)
    assert result.amount.text_ja == "金額は町にお問い合わせください（最長84か月）"
    assert result.amount.months == 84
    assert result.verdict is Verdict.ELIGIBLE and result.questions == []


def test_household_amount_text_with_unknown_children():
    amount = evaluate(rule(benefit=HOUSEHOLD), person(has_spouse=True), DEST).amount
    assert amount.text_ja == "100万円＋18歳未満の子ども1人につき100万円"
    assert "per child under 18" in amount.text_en


MONTHLY = {
    "kind": "monthly",
    "monthly_cap": 10_000,
    "months": 36,
    "cost_fact": "commute.pass_monthly",
    "minus_fact": "commute.allowance_monthly",
}


@pytest.mark.parametrize(
    ("benefit", "answers", "low", "high", "missing"),
    [
        (MONTHLY, {"commuter_pass_monthly": 30_000, "commute_allowance_monthly": 25_000}, 5_000, 5_000, []),
        (MONTHLY, {"commuter_pass_monthly": 60_000, "commute_allowance_monthly": 0}, 10_000, 10_000, []),
        (MONTHLY, {"commuter_pass_monthly": 30_000, "commute_allowance_monthly": 40_000}, 0, 0, []),
        (MONTHLY, {"commuter_pass_monthly": 30_000}, 0, 10_000, ["commute.allowance_monthly"]),
        (MONTHLY, {"commuter_pass_monthly": 6_000}, 0, 6_000, ["commute.allowance_monthly"]),
        (MONTHLY, {"commute_allowance_monthly": 0}, 0, 10_000, ["commute.pass_monthly"]),
        ({"kind": "monthly", "monthly_cap": 10_000, "months": 36}, {}, 10_000, 10_000, []),
        (
            {**MONTHLY, "rate": "1/3"},
            {"commuter_pass_monthly": 30_000, "commute_allowance_monthly": 0},
            10_000,
            10_000,
            [],
        ),
        (
            {**MONTHLY, "rate": "1/3"},
            {"commuter_pass_monthly": 30_000, "commute_allowance_monthly": 3_000},
            9_000,
            9_000,
            [],
        ),
    ],
)
def test_monthly_benefit(benefit, answers, low, high, missing):
    result = evaluate(rule(benefit=benefit), person(**answers), DEST)
    amount = result.amount
    assert (amount.monthly_minimum, amount.monthly_maximum) == (low, high)
    assert (amount.minimum, amount.maximum, amount.months) == (low * 36, high * 36, 36)
    assert amount.monthly == (low if low == high else None)
    assert result.missing == missing


def test_not_eligible_pays_nothing():
    result = evaluate(rule(UNMET, HOUSEHOLD), person(has_spouse=True, children_birth_dates=KIDS), DEST)
    assert (result.amount.minimum, result.amount.maximum, result.amount.exact) == (0, 0, True)
    assert result.missing == [] and result.questions == []


# --- windows ---------------------------------------------------------------------------------------------

MOVE_WINDOW = {"anchor": "move_in", "from_months": 3, "to_months": 12}


@pytest.mark.parametrize(
    ("today", "status", "verdict"),
    [
        ("2024-06-30", WindowStatus.NOT_YET, Verdict.ELIGIBLE),
        ("2024-07-01", WindowStatus.OPEN, Verdict.ELIGIBLE),
        ("2025-03-31", WindowStatus.OPEN, Verdict.ELIGIBLE),
        ("2025-04-01", WindowStatus.CLOSED, Verdict.NOT_ELIGIBLE),
    ],
)
def test_window_relative_to_move_in(today, status, verdict):
    result = evaluate(
        rule(window=MOVE_WINDOW), person(evaluation_date=d(today), move_in_date=d("2024-04-01")), DEST
    )
    assert result.window is not None
    assert (result.window.opens, result.window.closes) == (d("2024-07-01"), d("2025-03-31"))
    assert (result.window.status, result.verdict) == (status, verdict)
    assert result.reasons[-1].kind == "window"


def test_window_with_unknown_anchor_asks_for_the_date():
    window = {"anchor": "pass_start", "from_months": 0, "to_months": 12}
    result = evaluate(rule(window=window), person(), DEST)
    assert result.window is not None and result.window.status is WindowStatus.UNKNOWN
    assert result.window.opens is None
    assert result.verdict is Verdict.NEED_TO_KNOW
    assert result.missing == ["commute.months_since_pass_start"]
    assert [q.key for q in result.questions] == ["pass_start_date"]


def test_window_at_month_end_clamps():
    window = {"anchor": "work_start", "from_months": 1, "to_months": 2}
    result = evaluate(rule(window=window), person(work_start_date=d("2024-01-31")), DEST)
    assert result.window is not None
    assert (result.window.opens, result.window.closes) == (d("2024-02-29"), d("2024-03-30"))


def test_no_window():
    assert evaluate(rule(window={}), person(), DEST).window is None


# --- repayment -------------------------------------------------------------------------------------------

REPAYMENT = [
    {"trigger": "move_out", "from_months": 0, "to_months": 36, "share": 1.0},
    {"trigger": "move_out", "from_months": 36, "to_months": 60, "share": 0.5},
    {"trigger": "job_exit", "from_months": 0, "to_months": 12, "share": 1.0},
]


def test_repayment_steps_with_yen_on_the_maximum():
    result = evaluate(
        rule(benefit={"kind": "fixed", "amount": 3_000_000}, repayment=REPAYMENT), person(), DEST
    )
    assert [(s.trigger, s.share, s.amount) for s in result.repayment] == [
        ("move_out", 1.0, 3_000_000),
        ("move_out", 0.5, 1_500_000),
        ("job_exit", 1.0, 3_000_000),
    ]
    assert result.repayment[0].text_ja == "申請日から36か月未満に転出した場合: 全額を返還（300万円）"
    assert (
        result.repayment[1].text_ja == "申請日から36か月以上60か月未満に転出した場合: 半額を返還（150万円）"
    )
    assert (
        result.repayment[1].text_en
        == "If you move out 36 to 60 months after applying: repay half (1,500,000 yen)"
    )


def test_repayment_of_an_unknown_amount_has_no_yen():
    result = evaluate(rule(benefit={"kind": "unspecified"}, repayment=REPAYMENT[:1]), person(), DEST)
    assert result.repayment[0].amount is None
    partial = rule(benefit={"kind": "fixed", "amount": 100_001}, repayment=[{**REPAYMENT[0], "share": "1/3"}])
    assert evaluate(partial, person(), DEST).repayment[0].amount == 33_333


# --- stacking --------------------------------------------------------------------------------------------


def fixed(key, amount, conditions=None, **stacking):
    return rule(conditions, {"kind": "fixed", "amount": amount}, key=key, stacking=stacking)


def test_exclusive_programs_keep_the_larger_one():
    rules = [fixed("a", 100_000, exclusive_with=["b"]), fixed("b", 300_000), fixed("c", 50_000)]
    summary = evaluate_all(rules, person(), DEST)
    assert [e.excluded_by for e in summary.evaluations] == ["b", None, None]
    assert [e.verdict for e in summary.evaluations] == [Verdict.ELIGIBLE] * 3
    assert (summary.total_minimum, summary.total_maximum, summary.possible_maximum) == (
        350_000,
        350_000,
        350_000,
    )


def test_exclusive_tie_keeps_the_first_in_order():
    summary = evaluate_all([fixed("a", 100_000), fixed("b", 100_000, exclusive_with=["a"])], person(), DEST)
    assert [e.excluded_by for e in summary.evaluations] == [None, "a"]
    assert summary.total_maximum == 100_000


def test_exclusion_keeps_the_best_combination_not_just_the_largest_program():
    rules = [fixed("a", 100_000, exclusive_with=["b", "c"]), fixed("b", 80_000), fixed("c", 80_000)]
    summary = evaluate_all(rules, person(), DEST)
    assert [e.excluded_by for e in summary.evaluations] == ["b", None, None]
    assert summary.total_maximum == summary.possible_maximum == 160_000


def test_exclusion_only_between_eligible_programs_for_the_totals():
    rules = [fixed("a", 100_000), fixed("b", 300_000, UNK, exclusive_with=["a"]), fixed("c", 10_000, UNMET)]
    summary = evaluate_all(rules, person(), DEST)
    assert [e.excluded_by for e in summary.evaluations] == [None, None, None]
    assert (summary.total_minimum, summary.total_maximum) == (100_000, 100_000)
    # If the route turns out right, b would replace a: 300,000 at most, not 400,000.
    assert summary.possible_maximum == 300_000
    assert [q.key for q in summary.questions] == ["employment_route"]


def test_once_per_refuses_a_program_already_received():
    once = fixed("grant", 100_000, once_per="household")
    received = evaluate(once, person(received_programs=("grant",)), DEST)
    assert received.verdict is Verdict.NOT_ELIGIBLE
    assert received.reasons[-1].kind == "once_per" and received.reasons[-1].status is Status.UNMET
    assert "1世帯につき1回まで" in received.reasons[-1].text_ja
    assert evaluate(once, person(received_programs=("other",)), DEST).verdict is Verdict.ELIGIBLE
    unknown = evaluate(once, person(), DEST)
    assert unknown.verdict is Verdict.NEED_TO_KNOW and [q.key for q in unknown.questions] == [
        "received_programs"
    ]
    # Without once_per, having received it changes nothing.
    assert evaluate(fixed("grant", 1), person(received_programs=("grant",)), DEST).verdict is Verdict.ELIGIBLE


def test_summary_totals_and_open_ended():
    rules = [
        fixed("a", 100_000),
        rule(
            benefit={"kind": "rate_cap", "rate": 0.5, "cap": 200_000, "cost_fact": "housing.renovation_cost"},
            key="b",
        ),
        rule(benefit={"kind": "unspecified"}, key="c"),
    ]
    summary = evaluate_all(rules, person(), DEST)
    assert (summary.total_minimum, summary.total_maximum) == (100_000, 300_000)
    assert summary.total_open_ended and summary.possible_open_ended
    data = summary.to_dict()
    assert data["evaluations"][0]["verdict"] == "eligible"


def test_questions_for_is_the_union_in_rule_order():
    rules = [
        rule({"all": [MET, UNK]}, window=MOVE_WINDOW),
        rule(
            {"fact": "destination.outside_tokyo_area", "op": "eq", "value": True},
            MONTHLY,
            stacking={"once_per": "person"},
        ),
    ]
    assert [q.key for q in questions_for(rules)] == [
        "applicant_birth_date",
        "employment_route",
        "move_in_date",
        "received_programs",
        "commuter_pass_monthly",
        "commute_allowance_monthly",
    ]
    assert questions_for([]) == []
    assert questions_for([rule(UNK)])[0].choices[0] == ("matching_job", *EMPLOYMENT_ROUTES["matching_job"])


# --- authoring errors ------------------------------------------------------------------------------------

BAD = [
    (
        {"conditions": {"fact": "applicant.height", "op": "lte", "value": 1}},
        "conditions.fact",
        "applicant.height",
    ),
    ({"conditions": {"fact": "applicant.age", "op": "approx", "value": 1}}, "conditions.op", "approx"),
    ({"conditions": {"fact": "applicant.age", "op": "contains", "value": 1}}, "conditions.op", "contains"),
    ({"conditions": {"fact": "employment.route", "op": "gte", "value": "telework"}}, "conditions.op", "gte"),
    ({"conditions": {"fact": "applicant.age", "op": "lte", "value": "39"}}, "conditions.value", "整数"),
    ({"conditions": {"fact": "applicant.age", "op": "lte", "value": True}}, "conditions.value", "整数"),
    (
        {"conditions": {"fact": "household.tax_arrears", "op": "eq", "value": 0}},
        "conditions.value",
        "true / false",
    ),
    (
        {"conditions": {"fact": "employment.route", "op": "eq", "value": "remote"}},
        "conditions.value",
        "remote",
    ),
    (
        {"conditions": {"fact": "employment.route", "op": "in", "value": "telework"}},
        "conditions.value",
        "一覧",
    ),
    ({"conditions": {"fact": "employment.route", "op": "in", "value": []}}, "conditions.value", "一覧"),
    ({"conditions": {"fact": "move.date", "op": "gte", "value": "2024/04/01"}}, "conditions.value", "日付"),
    (
        {"conditions": {"all": [MET, {"fact": "x", "op": "eq", "value": 1}]}},
        "conditions.all[1].fact",
        "「x」",
    ),
    ({"conditions": {"any": []}}, "conditions.any", "空"),
    ({"conditions": {"all": MET}}, "conditions.all", "一覧"),
    ({"conditions": {"every": []}}, "conditions", "every"),
    ({"conditions": {"fact": "applicant.age", "op": "lte"}}, "conditions", "fact・op・value"),
    ({"conditions": [MET]}, "conditions", "{…}"),
    ({"benefit": {"kind": "lottery"}}, "benefit.kind", "lottery"),
    ({"benefit": {"kind": "fixed"}}, "benefit.amount", "amount"),
    ({"benefit": {"kind": "fixed", "amount": -1}}, "benefit.amount", "0以上"),
    ({"benefit": {"kind": "fixed", "amount": 1, "per_child": 2}}, "benefit.per_child", "per_child"),
    ({"benefit": {"kind": "by_fact", "fact": "applicant.age", "amounts": {}}}, "benefit.fact", "使えません"),
    (
        {"benefit": {"kind": "by_fact", "fact": "housing.acquisition", "amounts": {"mansion": 1}}},
        "benefit.amounts.mansion",
        "mansion",
    ),
    (
        {"benefit": {"kind": "rate_cap", "rate": 1.5, "cap": 1, "cost_fact": "housing.renovation_cost"}},
        "benefit.rate",
        "1以下",
    ),
    (
        {"benefit": {"kind": "rate_cap", "rate": "half", "cap": 1, "cost_fact": "housing.renovation_cost"}},
        "benefit.rate",
        "分数",
    ),
    (
        {"benefit": {"kind": "rate_cap", "rate": 0.5, "cap": 1, "cost_fact": "applicant.age"}},
        "benefit.cost_fact",
        "申請者の年齢",
    ),
    ({"benefit": {"kind": "monthly", "monthly_cap": 1, "months": 0}}, "benefit.months", "1以上"),
    (
        {
            "benefit": {
                "kind": "monthly",
                "monthly_cap": 1,
                "months": 3,
                "minus_fact": "commute.allowance_monthly",
            }
        },
        "benefit.minus_fact",
        "cost_fact",
    ),
    ({"window": {"anchor": "birthday", "from_months": 0, "to_months": 1}}, "window.anchor", "birthday"),
    ({"window": {"anchor": "move_in", "from_months": 12, "to_months": 3}}, "window.to_months", "from_months"),
    ({"window": {"anchor": "move_in", "from": 0, "to_months": 3}}, "window.from_months", "from_months"),
    (
        {"repayment": [{"trigger": "divorce", "from_months": 0, "to_months": 1, "share": 1}]},
        "repayment[0].trigger",
        "divorce",
    ),
    (
        {"repayment": [{"trigger": "move_out", "from_months": 0, "to_months": 12, "share": 0}]},
        "repayment[0].share",
        "0より大きく",
    ),
    (
        {
            "repayment": [
                *REPAYMENT,
                {"trigger": "move_out", "from_months": 48, "to_months": 72, "share": 0.2},
            ]
        },
        "repayment[3]",
        "重なって",
    ),
    ({"repayment": {"trigger": "move_out"}}, "repayment", "一覧"),
    ({"stacking": {"exclusive_with": ["test-program"]}}, "stacking.exclusive_with", "自分自身"),
    ({"stacking": {"once_per": "decade"}}, "stacking.once_per", "decade"),
    ({"stacking": {"exclusive": []}}, "stacking.exclusive", "exclusive"),
    ({"key": "Oyama Pass"}, "key", "英小文字"),
    ({"name_ja": ""}, "name_ja", "文字列"),
]


@pytest.mark.parametrize(("change", "path", "word"), BAD)
def test_rule_errors_name_what_is_wrong(change, path, word):
    data = {
        "key": "test-program",
        "name_ja": "テスト制度",
        "name_en": "Test",
        "conditions": NOTHING,
        "benefit": {"kind": "fixed", "amount": 1},
        **change,
    }
    with pytest.raises(RuleError) as caught:
        ProgramRule.from_dict(data)
    assert caught.value.path == path
    assert word in caught.value.message_ja
    assert caught.value.message_en
    assert str(caught.value).startswith(path)


def test_missing_parts_are_refused():
    for part in ("key", "name_ja", "conditions", "benefit"):
        data = {
            "key": "k",
            "name_ja": "制度",
            "conditions": NOTHING,
            "benefit": {"kind": "fixed", "amount": 1},
        }
        del data[part]
        with pytest.raises(RuleError, match=part):
            ProgramRule.from_dict(data)


def test_metadata_keys_are_ignored_and_optional_parts_default():
    parsed = ProgramRule.from_dict(
        {
            "key": "k",
            "name_ja": "制度",
            "conditions": NOTHING,
            "benefit": {"kind": "fixed", "amount": 1},
            "effective_from": "2024-04-01",
            "budget_status": "open",
        }
    )
    assert (parsed.window, parsed.repayment, parsed.stacking.once_per, parsed.name_en) == (None, (), None, "")


# --- the real programs (content.py) ----------------------------------------------------------------------


def version_rule(key: str, effective_from: str) -> ProgramRule:
    program = next(p for p in content.PROGRAMS if p["key"] == key)
    version = next(v for v in program["versions"] if v["effective_from"] == effective_from)
    return content.rule_for(program, version)


GRANT_2023 = version_rule("national-relocation-grant", "2023-04-01")
GRANT_2022 = version_rule("national-relocation-grant", "2022-04-01")
OYAMA_PASS = version_rule("oyama-shinkansen-commuter-pass", "2022-04-01")


def mover(**answers) -> Profile:
    """Lived 6 years in 23区, moved on 2024-04-01 to a participating municipality, telework; asked 2024-10-01."""
    base = {
        "evaluation_date": TODAY,
        "applicant_birth_date": d("1989-04-01"),
        "has_spouse": True,
        "spouse_birth_date": d("1990-08-01"),
        "children_birth_dates": (d("2018-04-01"), d("2021-04-01")),  # 6 and 3
        "residence_history": (
            Spell(d("2012-04-01"), d("2018-03-31"), "other"),
            Spell(d("2018-04-01"), d("2024-03-31"), "tokyo23"),
        ),
        "commute_to_tokyo23_history": (),
        "study_in_tokyo23_history": (),
        "move_in_date": d("2024-04-01"),
        "employment_route": "telework",
        "stay_intention_years": 10,
        "tax_arrears": False,
        "received_programs": (),
    }
    return Profile(**{**base, **answers})


def test_relocation_grant_family_of_four_fy2023():
    result = evaluate(GRANT_2023, mover(), DEST)
    assert result.verdict is Verdict.ELIGIBLE
    assert (result.amount.minimum, result.amount.maximum, result.amount.exact) == (3_000_000, 3_000_000, True)
    assert result.amount.text_ja == "300万円"
    assert result.window is not None and result.window.status is WindowStatus.OPEN
    assert [s.amount for s in result.repayment] == [3_000_000, 1_500_000, 3_000_000]
    assert result.missing == [] and result.questions == []


def test_relocation_grant_family_of_four_fy2022():
    assert evaluate(GRANT_2022, mover(), DEST).amount.maximum == 1_000_000 + 2 * 300_000


def test_relocation_grant_single_person():
    single = mover(has_spouse=False, spouse_birth_date=None, children_birth_dates=())
    result = evaluate(GRANT_2023, single, DEST)
    assert (result.verdict, result.amount.maximum, result.amount.exact) == (Verdict.ELIGIBLE, 600_000, True)


def test_relocation_grant_four_years_in_23ku_is_not_enough():
    history = (
        Spell(d("2012-04-01"), d("2020-03-31"), "other"),
        Spell(d("2020-04-01"), d("2024-03-31"), "tokyo23"),
    )
    result = evaluate(GRANT_2023, mover(residence_history=history), DEST)
    assert result.verdict is Verdict.NOT_ELIGIBLE
    unmet = [r for r in result.reasons if r.status is Status.UNMET]
    assert [r.fact for r in unmet] == ["origin.years_in_tokyo23_last10"]
    assert unmet[0].text_ja == "東京23区での居住・通勤が直近10年で5年以上（あなた: 4年）"
    assert result.amount.maximum == 0


def test_relocation_grant_missing_residence_history_asks_for_it():
    result = evaluate(GRANT_2023, mover(residence_history=None), DEST)
    assert result.verdict is Verdict.NEED_TO_KNOW
    assert result.missing == ["origin.years_in_tokyo23_last10", "origin.continuous_years_before_move"]
    assert [q.key for q in result.questions] == ["residence_history"]
    assert result.reasons[0].text_ja == "東京23区での居住・通勤が直近10年で5年以上（回答が必要です）"


@pytest.mark.parametrize(
    ("change", "destination", "fact"),
    [
        ({"employment_route": "local_job"}, DEST, "employment.route"),
        ({"stay_intention_years": 3}, DEST, "stay.intention_years"),
        ({"tax_arrears": True}, DEST, "household.tax_arrears"),
        ({}, replace(DEST, in_tokyo_area=True, disadvantaged=False), "destination.outside_tokyo_area"),
        ({}, replace(DEST, participates_relocation_grant=False), "destination.participates_relocation_grant"),
        ({"received_programs": ("national-relocation-grant",)}, DEST, "history.received_programs"),
        ({"evaluation_date": d("2024-06-30")}, DEST, None),  # not yet open: still eligible
        ({"evaluation_date": d("2025-04-01")}, DEST, "move.months_since"),  # closed
    ],
)
def test_relocation_grant_each_condition_matters(change, destination, fact):
    result = evaluate(GRANT_2023, mover(**change), destination)
    unmet = [r.fact for r in result.reasons if r.status is Status.UNMET]
    assert unmet == ([] if fact is None else [fact])
    assert result.verdict is (Verdict.ELIGIBLE if fact is None else Verdict.NOT_ELIGIBLE)


def test_relocation_grant_commuter_from_the_suburbs_with_employment_insurance():
    history = (Spell(d("2014-04-01"), d("2024-03-31"), "tokyo_area"),)
    insured = (CommuteSpell(d("2018-04-01"), d("2024-03-31"), True),)
    assert (
        evaluate(
            GRANT_2023, mover(residence_history=history, commute_to_tokyo23_history=insured), DEST
        ).verdict
        is Verdict.ELIGIBLE
    )
    uninsured = (CommuteSpell(d("2018-04-01"), d("2024-03-31"), False),)
    assert (
        evaluate(
            GRANT_2023, mover(residence_history=history, commute_to_tokyo23_history=uninsured), DEST
        ).verdict
        is Verdict.NOT_ELIGIBLE
    )
    unknown = evaluate(GRANT_2023, mover(residence_history=history, commute_to_tokyo23_history=None), DEST)
    assert unknown.verdict is Verdict.NEED_TO_KNOW
    assert [q.key for q in unknown.questions] == ["commute_to_tokyo23_history"]


def oyama_commuter(**answers) -> Profile:
    base = {
        "evaluation_date": TODAY,
        "applicant_birth_date": d("1989-04-01"),  # 35
        "has_spouse": False,
        "children_birth_dates": (),
        "prior_outside_residence_years": 10.0,
        "move_in_date": d("2024-04-01"),
        "pass_start_date": d("2024-05-01"),
        "commute_mode": "shinkansen",
        "commute_destination_area": "tokyo23",
        "commuter_pass_monthly": 30_000,
        "commute_allowance_monthly": 25_000,
    }
    return Profile(**{**base, **answers})


def test_oyama_shinkansen_pass_pays_the_difference_for_36_months():
    result = evaluate(OYAMA_PASS, oyama_commuter(), DEST)
    assert result.verdict is Verdict.ELIGIBLE
    amount = result.amount
    assert (amount.monthly, amount.months, amount.minimum, amount.maximum, amount.exact) == (
        5_000,
        36,
        180_000,
        180_000,
        True,
    )
    assert amount.text_ja == "月5,000円×36か月（18万円）"


def test_oyama_shinkansen_pass_with_unknown_allowance_is_a_range():
    result = evaluate(OYAMA_PASS, oyama_commuter(commute_allowance_monthly=None), DEST)
    assert result.verdict is Verdict.ELIGIBLE
    assert (result.amount.monthly_minimum, result.amount.monthly_maximum, result.amount.exact) == (
        0,
        10_000,
        False,
    )
    assert (result.amount.minimum, result.amount.maximum) == (0, 360_000)
    assert [q.key for q in result.questions] == ["commute_allowance_monthly"]


@pytest.mark.parametrize(
    ("change", "verdict"),
    [
        ({"applicant_birth_date": d("1984-04-01")}, Verdict.NOT_ELIGIBLE),  # 40, alone
        (
            {
                "applicant_birth_date": d("1984-04-01"),
                "has_spouse": True,
                "spouse_birth_date": d("1990-01-01"),
            },
            Verdict.ELIGIBLE,
        ),
        (
            {"applicant_birth_date": d("1984-04-01"), "children_birth_dates": (d("2009-04-01"),)},
            Verdict.ELIGIBLE,
        ),  # 15
        (
            {"applicant_birth_date": d("1984-04-01"), "children_birth_dates": (d("2008-04-01"),)},
            Verdict.NOT_ELIGIBLE,
        ),  # 16
        ({"applicant_birth_date": d("1984-04-01"), "has_spouse": None}, Verdict.NEED_TO_KNOW),
        ({"prior_outside_residence_years": 0.5}, Verdict.NOT_ELIGIBLE),
        (
            {"pass_start_date": d("2025-04-01"), "evaluation_date": d("2025-05-01")},
            Verdict.NOT_ELIGIBLE,
        ),  # 12 months after moving
        ({"commute_mode": "conventional_rail"}, Verdict.NOT_ELIGIBLE),
        ({"commute_destination_area": "other"}, Verdict.NOT_ELIGIBLE),
        ({"evaluation_date": d("2025-05-01")}, Verdict.NOT_ELIGIBLE),  # 12 months after the pass started
    ],
)
def test_oyama_shinkansen_pass_conditions(change, verdict):
    assert evaluate(OYAMA_PASS, oyama_commuter(**change), DEST).verdict is verdict


# --- properties ------------------------------------------------------------------------------------------

dates = st.dates(date(2010, 1, 1), date(2026, 12, 31))
births = st.dates(date(1950, 1, 1), date(2024, 1, 1))
AREA_VALUES = list(AREAS)
KEYS = ["a", "b", "c"]

spells = st.builds(Spell, dates, st.none() | dates, st.sampled_from(AREA_VALUES))
commutes = st.builds(CommuteSpell, dates, st.none() | dates, st.booleans())
studies = st.builds(StudySpell, dates, st.none() | dates)


@st.composite
def full_profiles(draw):
    """A profile with every answer given (no field unknown)."""
    has_spouse = draw(st.booleans())
    return Profile(
        evaluation_date=draw(dates),
        applicant_birth_date=draw(births),
        has_spouse=has_spouse,
        spouse_birth_date=draw(births) if has_spouse else None,
        children_birth_dates=tuple(draw(st.lists(births, max_size=3))),
        residence_history=tuple(draw(st.lists(spells, max_size=4))),
        commute_to_tokyo23_history=tuple(draw(st.lists(commutes, max_size=2))),
        study_in_tokyo23_history=tuple(draw(st.lists(studies, max_size=2))),
        move_in_date=draw(dates),
        employment_route=draw(st.sampled_from(list(EMPLOYMENT_ROUTES))),
        housing_acquisition=draw(st.sampled_from(list(HOUSING_ACQUISITIONS))),
        housing_renovation_cost=draw(st.integers(0, 8_000_000)),
        converts_akiya_to_rental=draw(st.booleans()),
        monthly_rent=draw(st.integers(0, 200_000)),
        commute_mode=draw(st.sampled_from(list(COMMUTE_MODES))),
        commute_destination_area=draw(st.sampled_from(AREA_VALUES)),
        commuter_pass_monthly=draw(st.integers(0, 120_000)),
        commute_allowance_monthly=draw(st.integers(0, 120_000)),
        pass_start_date=draw(dates),
        work_start_date=draw(dates),
        stay_intention_years=draw(st.integers(0, 20)),
        new_farmer=draw(st.booleans()),
        received_programs=tuple(draw(st.lists(st.sampled_from(KEYS), max_size=2))),
        tax_arrears=draw(st.booleans()),
        prior_outside_residence_years=draw(st.floats(0, 40)),
    )


@st.composite
def partial_profiles(draw):
    """A full profile and the same profile with some answers forgotten."""
    full = draw(full_profiles())
    forgotten = draw(st.sets(st.sampled_from([f for f in PROFILE_FIELDS if f != "evaluation_date"])))
    return full, replace(full, **dict.fromkeys(forgotten))


destinations = st.builds(
    Destination,
    code=st.just("09208"),
    prefecture_code=st.just("09"),
    in_tokyo_area=st.none() | st.booleans(),
    disadvantaged=st.none() | st.booleans(),
    participates_relocation_grant=st.none() | st.booleans(),
)
full_destinations = st.builds(
    Destination,
    code=st.just("09208"),
    prefecture_code=st.just("09"),
    in_tokyo_area=st.booleans(),
    disadvantaged=st.booleans(),
    participates_relocation_grant=st.booleans(),
)

THRESHOLDS = {
    "age": st.integers(0, 90),
    "years": st.integers(0, 11) | st.floats(0, 11),
    "months": st.integers(-24, 72),
    "yen": st.integers(0, 300_000),
    "people": st.integers(0, 6),
}
ORDER_OPS = ["eq", "ne", "gte", "lte", "gt", "lt"]


@st.composite
def leaves(draw):
    f = FACTS[draw(st.sampled_from(sorted(FACTS)))]
    if f.kind == "bool":
        return {"fact": f.key, "op": draw(st.sampled_from(["eq", "ne"])), "value": draw(st.booleans())}
    if f.kind == "choice":
        op = draw(st.sampled_from(["eq", "ne", "in", "not_in"]))
        choices = sorted(f.choices)
        if op in ("in", "not_in"):
            return {
                "fact": f.key,
                "op": op,
                "value": draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3)),
            }
        return {"fact": f.key, "op": op, "value": draw(st.sampled_from(choices))}
    if f.kind == "list":
        return {
            "fact": f.key,
            "op": draw(st.sampled_from(["contains", "excludes"])),
            "value": draw(st.sampled_from(KEYS)),
        }
    if f.kind == "date":
        return {"fact": f.key, "op": draw(st.sampled_from(ORDER_OPS)), "value": draw(dates).isoformat()}
    values = (
        THRESHOLDS[f.unit] if f.kind == "number" else THRESHOLDS[f.unit].filter(lambda v: isinstance(v, int))
    )
    op = draw(st.sampled_from([*ORDER_OPS, "in", "not_in"]))
    if op in ("in", "not_in"):
        return {"fact": f.key, "op": op, "value": draw(st.lists(values, min_size=1, max_size=3))}
    return {"fact": f.key, "op": op, "value": draw(values)}


trees = st.recursive(
    leaves(),
    lambda children: st.one_of(
        st.lists(children, max_size=3).map(lambda c: {"all": c}),
        st.lists(children, min_size=1, max_size=3).map(lambda c: {"any": c}),
        children.map(lambda c: {"not": c}),
    ),
    max_leaves=8,
)
YEN_FACTS = sorted(k for k, f in FACTS.items() if f.unit == "yen")
benefits = st.one_of(
    st.builds(lambda a: {"kind": "fixed", "amount": a}, st.integers(0, 5_000_000)),
    st.builds(
        lambda s, h, c, m: {
            "kind": "household",
            "single": s,
            "household": h,
            "per_child": c,
            "child_max_age": m,
        },
        st.integers(0, 1_000_000),
        st.integers(0, 1_000_000),
        st.integers(0, 1_000_000),
        st.integers(0, 20),
    ),
    st.builds(
        lambda a: {"kind": "by_fact", "fact": "housing.acquisition", "amounts": a},
        st.dictionaries(st.sampled_from(list(HOUSING_ACQUISITIONS)), st.integers(0, 500_000)),
    ),
    st.builds(
        lambda r, c, f: {"kind": "rate_cap", "rate": r, "cap": c, "cost_fact": f},
        st.sampled_from([0.5, 1, "1/3", 0.1]),
        st.integers(0, 3_000_000),
        st.sampled_from(YEN_FACTS),
    ),
    st.builds(
        lambda cap, months, cost, minus, rate: {
            "kind": "monthly",
            "monthly_cap": cap,
            "months": months,
            **({"cost_fact": cost} if cost else {}),
            **({"minus_fact": minus} if cost and minus else {}),
            **({"rate": rate} if rate else {}),
        },
        st.integers(0, 50_000),
        st.integers(1, 84),
        st.none() | st.sampled_from(YEN_FACTS),
        st.none() | st.sampled_from(YEN_FACTS),
        st.none() | st.sampled_from([0.5, "1/3"]),
    ),
    st.builds(lambda m: {"kind": "unspecified", "months": m}, st.integers(1, 120)),
)
windows = st.one_of(
    st.just({}),
    st.builds(
        lambda anchor, start, length: {"anchor": anchor, "from_months": start, "to_months": start + length},
        st.sampled_from(["move_in", "pass_start", "work_start"]),
        st.integers(-6, 12),
        st.integers(1, 24),
    ),
)


@st.composite
def rules(draw):
    return ProgramRule.from_dict(
        {
            "key": draw(st.sampled_from(KEYS)),
            "name_ja": "制度",
            "conditions": draw(trees),
            "benefit": draw(benefits),
            "window": draw(windows),
            "stacking": {"once_per": draw(st.none() | st.sampled_from(["person", "household"]))},
        }
    )


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(rules(), trees, st.lists(st.tuples(partial_profiles(), destinations), min_size=1, max_size=4))
def test_adding_a_condition_never_makes_more_people_eligible(program, extra, people):
    data = program.to_dict()
    stricter = ProgramRule.from_dict({**data, "conditions": {"all": [data["conditions"], extra]}})
    before = after = 0
    for (_, profile), destination in people:
        loose = evaluate(program, profile, destination).verdict
        strict = evaluate(stricter, profile, destination).verdict
        if loose is Verdict.NOT_ELIGIBLE:
            assert strict is Verdict.NOT_ELIGIBLE
        if strict is Verdict.ELIGIBLE:
            assert loose is Verdict.ELIGIBLE
        before += loose is Verdict.ELIGIBLE
        after += strict is Verdict.ELIGIBLE
    assert after <= before


@PROPERTY
@given(rules(), partial_profiles(), destinations)
def test_amounts_are_ordered_and_within_caps(program, profiles, destination):
    _, profile = profiles
    amount = evaluate(program, profile, destination).amount
    assert 0 <= amount.minimum <= amount.maximum
    benefit = program.to_dict()["benefit"]
    if benefit["kind"] == "rate_cap":
        assert amount.maximum <= benefit["cap"]
    if benefit["kind"] == "monthly":
        assert amount.maximum <= benefit["monthly_cap"] * benefit["months"]
        if amount.monthly_maximum is not None:  # None when not eligible
            assert 0 <= amount.monthly_minimum <= amount.monthly_maximum <= benefit["monthly_cap"]
    if amount.exact:
        assert amount.minimum == amount.maximum


@PROPERTY
@given(rules(), partial_profiles(), destinations)
def test_evaluation_is_deterministic(program, profiles, destination):
    _, profile = profiles
    first = evaluate(program, profile, destination)
    assert evaluate(program, profile, destination) == first
    assert evaluate(ProgramRule.from_dict(program.to_dict()), profile, destination) == first
    assert first.to_dict() == evaluate(program, profile, destination).to_dict()


@PROPERTY
@given(rules(), full_profiles(), full_destinations)
def test_need_to_know_only_when_something_is_unknown(program, profile, destination):
    result = evaluate(program, profile, destination)
    assert result.verdict is not Verdict.NEED_TO_KNOW
    assert result.missing == [] and result.questions == []
    assert result.amount.exact or program.to_dict()["benefit"]["kind"] == "unspecified"


@PROPERTY
@given(rules(), partial_profiles(), destinations)
def test_need_to_know_names_what_is_missing(program, profiles, destination):
    _, profile = profiles
    result = evaluate(program, profile, destination)
    if result.verdict is Verdict.NEED_TO_KNOW:
        assert result.missing
    assert all(getattr(profile, q.key) is None for q in result.questions)


@PROPERTY
@given(rules(), partial_profiles(), full_destinations)
def test_a_decided_verdict_holds_whatever_the_missing_answers_are(program, profiles, destination):
    """Soundness of the three-valued logic: answering more never overturns a verdict already reached,
    and the range given before answering contains the exact amount."""
    full, partial = profiles
    before = evaluate(program, partial, destination)
    after = evaluate(program, full, destination)
    if before.verdict is not Verdict.NEED_TO_KNOW:
        assert after.verdict is before.verdict
    if after.verdict is Verdict.ELIGIBLE:
        assume(before.verdict is not Verdict.NOT_ELIGIBLE)
        exact = after.amount.maximum
        assert before.amount.minimum <= exact
        assert before.amount.open_ended or exact <= before.amount.maximum


@PROPERTY
@given(st.lists(rules(), max_size=4), partial_profiles(), destinations)
def test_summary_totals(program_list, profiles, destination):
    _, profile = profiles
    summary = evaluate_all(program_list, profile, destination)
    assert [e.key for e in summary.evaluations] == [r.key for r in program_list]
    counted = [e for e in summary.evaluations if e.verdict is Verdict.ELIGIBLE and e.excluded_by is None]
    assert summary.total_maximum == sum(e.amount.maximum for e in counted)
    assert 0 <= summary.total_minimum <= summary.total_maximum <= summary.possible_maximum
    assert all(e.verdict is Verdict.ELIGIBLE for e in summary.evaluations if e.excluded_by)


# --- the fast path: compiled rules, one context for many versions, texts and lists built on first read ----
#
# `reference_evaluate` and `reference_evaluate_all` are the evaluator written plainly (each rule walked on its
# own, every fact computed for it, every text and list built at once), as it was before the engine compiled
# rules and shared work between them: the engine must give exactly what they give.


def _reference_walk(node, values, profile, reasons):
    if isinstance(node, Leaf):
        value = values(node.fact)
        status = _leaf_status(node, value)
        fact = FACTS[node.fact]
        condition_ja, condition_en = _condition_text(fact, node.op, node.value)
        you_ja, you_en = _you_text(fact, status, value, profile)
        reasons.append(Reason(node.fact, status, f"{condition_ja}（{you_ja}）", f"{condition_en} ({you_en})"))
        return status, [node.fact] if status is Status.UNKNOWN else []
    if isinstance(node, NotOf):
        status, unknown = _reference_walk(node.child, values, profile, reasons)
        return _FLIP[status], unknown
    results = [_reference_walk(child, values, profile, reasons) for child in node.children]
    status = (_all if isinstance(node, AllOf) else _any)(s for s, _ in results)
    if status is not Status.UNKNOWN:
        return status, []
    return status, [key for s, keys in results if s is Status.UNKNOWN for key in keys]


def _reference_amount(benefit, values, profile):
    if isinstance(benefit, FixedBenefit):
        return _lump(benefit.amount, benefit.amount), []
    if isinstance(benefit, HouseholdBenefit):
        size, unknown = values("household.size"), []
        if isinstance(size, Bounds):
            size = 2 if size.low >= 2 else 1 if size.high is not None and size.high < 2 else size
        if isinstance(size, int) and not isinstance(size, bool):
            base_low = base_high = benefit.household if size >= 2 else benefit.single
        else:
            base_low, base_high = sorted((benefit.single, benefit.household))
            unknown.append("household.size")
        children = children_at_most(profile, benefit.child_max_age)
        if isinstance(children, Unknown) and benefit.per_child:
            unknown.append("household.children_under_18")
            under = benefit.child_max_age + 1
            text_ja = (
                f"{_range_ja(base_low, base_high)}＋{under}歳未満の子ども1人につき{yen_ja(benefit.per_child)}"
            )
            text_en = (
                f"{_range_en(base_low, base_high)} plus {yen_en(benefit.per_child)} per child under {under}"
            )
            return Amount(
                base_low, base_high, False, open_ended=True, text_ja=text_ja, text_en=text_en
            ), unknown
        extra = 0 if isinstance(children, Unknown) else children * benefit.per_child
        return _lump(base_low + extra, base_high + extra), unknown
    if isinstance(benefit, ByFactBenefit):
        value, amounts = values(benefit.fact), dict(benefit.amounts)
        if isinstance(value, Unknown):
            low = 0 if any(c not in amounts for c in FACTS[benefit.fact].choices) else min(amounts.values())
            return _lump(low, max(amounts.values(), default=0)), [benefit.fact]
        paid = amounts.get(value, 0) if isinstance(value, str) else 0
        return _lump(paid, paid), []
    if isinstance(benefit, RateCapBenefit):
        cost = _known_int(values(benefit.cost_fact))
        if cost is None and values(benefit.cost_fact) is not None:
            return _lump(0, benefit.cap), [benefit.cost_fact]
        paid = min(benefit.cap, math.floor(benefit.fraction * max(cost or 0, 0)))
        return _lump(paid, paid), []
    if isinstance(benefit, MonthlyBenefit):
        cap, months, rate, unknown = benefit.monthly_cap, benefit.months, benefit.fraction, []
        if benefit.cost_fact is None:
            low = high = cap
        else:
            cost_value = values(benefit.cost_fact)
            minus_value = None if benefit.minus_fact is None else values(benefit.minus_fact)
            cost = _known_int(cost_value)
            minus = 0 if minus_value is None else _known_int(minus_value)
            if cost is None and cost_value is not None:
                unknown.append(benefit.cost_fact)
                low, high = 0, cap
            elif minus is None:
                unknown.append(str(benefit.minus_fact))
                low, high = 0, max(0, min(cap, math.floor(rate * (cost or 0))))
            else:
                low = high = max(0, min(cap, math.floor(rate * ((cost or 0) - minus))))
        per_ja = yen_ja(low) if low == high else f"{yen_ja(low)}〜{yen_ja(high)}"
        per_en = yen_en(low) if low == high else f"{low:,}–{high:,} yen"
        total_ja, total_en = _range_ja(low * months, high * months), _range_en(low * months, high * months)
        return Amount(
            minimum=low * months,
            maximum=high * months,
            exact=low == high,
            monthly=low if low == high else None,
            months=months,
            monthly_minimum=low,
            monthly_maximum=high,
            text_ja=f"月{per_ja}×{months}か月（{total_ja}）",
            text_en=f"{per_en} a month for {months} months ({total_en})",
        ), unknown
    note_ja = benefit.note_ja or "金額は実施団体にお問い合わせください"
    note_en = benefit.note_en or "Ask the organisation that runs it for the amount"
    if benefit.months is not None:
        note_ja += f"（最長{benefit.months}か月）"
        note_en += f" (up to {benefit.months} months)"
    return Amount(0, 0, False, months=benefit.months, open_ended=True, text_ja=note_ja, text_en=note_en), []


def reference_evaluate(program, profile, destination):
    def values(key):
        return FACTS[key].value(profile, destination)

    reasons = []
    status, unknown = _reference_walk(program.conditions, values, profile, reasons)
    statuses = [status]
    if program.stacking.once_per is not None:
        once = _leaf_status(
            Leaf("history.received_programs", "excludes", program.key), values("history.received_programs")
        )
        reasons.append(_once_per_reason(program.stacking.once_per, once))
        statuses.append(once)
        unknown += ["history.received_programs"] if once is Status.UNKNOWN else []
    window = None if program.window is None else _window(program.window, profile)
    if window is not None:
        reason = _window_reason(window)
        reasons.append(reason)
        statuses.append(reason.status)
        unknown += [reason.fact] if reason.status is Status.UNKNOWN else []
    verdict = {
        Status.MET: Verdict.ELIGIBLE,
        Status.UNMET: Verdict.NOT_ELIGIBLE,
        Status.UNKNOWN: Verdict.NEED_TO_KNOW,
    }[_all(statuses)]
    if verdict is Verdict.NOT_ELIGIBLE:
        amount, missing = Amount(0, 0, True, text_ja="0円", text_en="0 yen"), []
    else:
        amount, amount_unknown = _reference_amount(program.benefit, values, profile)
        missing = _unique((unknown if verdict is Verdict.NEED_TO_KNOW else []) + amount_unknown)
    return Evaluation(
        key=program.key,
        name_ja=program.name_ja,
        name_en=program.name_en,
        verdict=verdict,
        reasons=reasons,
        missing=missing,
        questions=_questions(missing, profile),
        amount=amount,
        window=window,
        repayment=_repayment(program.repayment, amount),
    )


def _reference_best_set(indices, weight, clash):
    remaining, kept = sorted(indices), set()
    while remaining:
        component, frontier = [remaining[0]], [remaining[0]]
        while frontier:
            i = frontier.pop()
            for j in remaining:
                if j not in component and clash(i, j):
                    component.append(j)
                    frontier.append(j)
        component.sort()
        remaining = [i for i in remaining if i not in component]
        best = (-1, ())

        def search(position, chosen, total, members=component):
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


def reference_evaluate_all(programs, profile, destination):
    evaluations = [reference_evaluate(p, profile, destination) for p in programs]
    keys = [p.key for p in programs]

    def clash(i, j):
        return (
            keys[j] in programs[i].stacking.exclusive_with or keys[i] in programs[j].stacking.exclusive_with
        )

    def weight(i):
        return evaluations[i].amount.maximum

    eligible = [i for i, e in enumerate(evaluations) if e.verdict is Verdict.ELIGIBLE]
    kept = _reference_best_set(eligible, weight, clash)
    for i in eligible:
        if i not in kept:
            blocker = min((k for k in kept if clash(i, k)), key=lambda k: (-weight(k), k))
            evaluations[i] = replace(evaluations[i], excluded_by=keys[blocker])
    counted = [evaluations[i] for i in sorted(kept)]
    open_indices = [i for i, e in enumerate(evaluations) if e.verdict is not Verdict.NOT_ELIGIBLE]
    possible = [evaluations[i] for i in sorted(_reference_best_set(open_indices, weight, clash))]
    questions = {}
    for evaluation in evaluations:
        for question in evaluation.questions:
            questions.setdefault(question.key, question)
    return Summary(
        evaluations=evaluations,
        total_minimum=sum(e.amount.minimum for e in counted),
        total_maximum=sum(e.amount.maximum for e in counted),
        possible_maximum=sum(e.amount.maximum for e in possible),
        total_open_ended=any(e.amount.open_ended for e in counted),
        possible_open_ended=any(e.amount.open_ended for e in possible),
        questions=list(questions.values()),
    )


REPAYMENTS = [
    [],
    [{"trigger": "move_out", "from_months": 0, "to_months": 36, "share": 1.0}],
    [
        {"trigger": "move_out", "from_months": 0, "to_months": 36, "share": 1.0},
        {"trigger": "move_out", "from_months": 36, "to_months": 60, "share": 0.5},
        {"trigger": "job_exit", "from_months": 0, "to_months": 12, "share": "1/3"},
    ],
]


@st.composite
def stacked_rules(draw):
    """Rules as `rules()` draws them, with repayment and programs they exclude."""
    data = draw(rules()).to_dict()
    data["repayment"] = draw(st.sampled_from(REPAYMENTS))
    others = draw(st.lists(st.sampled_from([*KEYS, "d"]), max_size=2))
    data["stacking"]["exclusive_with"] = [k for k in others if k != data["key"]]
    return ProgramRule.from_dict(data)


def same(got, expected):
    """Equal, and equal in every detail equality may gloss over (1 == 1.0 == True, dict order)."""
    assert got == expected
    assert repr(got) == repr(expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(stacked_rules(), max_size=8),
    st.lists(st.tuples(partial_profiles(), destinations), min_size=1, max_size=2),
)
def test_the_engine_gives_what_the_plain_evaluator_gives(program_list, people):
    for (_, profile), destination in people:
        expected = reference_evaluate_all(program_list, profile, destination)
        summary = evaluate_all(program_list, profile, destination)
        many = evaluate_many(program_list, profile, destination)
        for program, alone, batch, stacked in zip(
            program_list, expected.evaluations, many, summary.evaluations, strict=True
        ):
            same(evaluate(program, profile, destination), replace(alone, excluded_by=None))
            same(batch, replace(alone, excluded_by=None))
            same(stacked, alone)
        same(summary, expected)
        assert summary.to_dict() == expected.to_dict()


def test_evaluate_many_is_evaluate_for_each():
    programs = [
        ProgramRule.from_dict({"key": f"{p['key']}-{i}", "name_ja": p["name_ja"], **v})
        for p in content.PROGRAMS
        for i, v in enumerate(p["versions"])
    ]
    profile = person(
        has_spouse=True,
        children_birth_dates=KIDS,
        residence_history=(Spell(d("2014-04-01"), d("2024-03-31"), "tokyo23"),),
        move_in_date=d("2024-04-01"),
        employment_route="telework",
        commute_mode="shinkansen",
        commuter_pass_monthly=90_000,
    )
    many = evaluate_many(programs, profile, DEST)
    assert many == [evaluate(program, profile, DEST) for program in programs]
    assert many == [reference_evaluate(program, profile, DEST) for program in programs]
    assert evaluate_many([], profile, DEST) == []
    assert evaluate_many(iter(programs), profile, DEST) == many  # any iterable


def test_results_built_in_a_batch_read_copy_and_pickle_like_results_built_in_full():
    benefit = {"kind": "monthly", "monthly_cap": 10_000, "months": 36, "cost_fact": "commute.pass_monthly"}
    program = rule(benefit=benefit, repayment=REPAYMENTS[2])
    profile = person(commuter_pass_monthly=25_000)
    expected = reference_evaluate(program, profile, DEST)
    for result in evaluate_many([program, program], profile, DEST):
        assert pickle.loads(pickle.dumps(result)) == expected  # noqa: S301 (pickled just above)
        assert copy.deepcopy(result) == expected and copy.copy(result) == expected
        assert copy.copy(result.amount) == expected.amount
        assert replace(result, excluded_by="x") == replace(expected, excluded_by="x")
        assert result.excluded_by is None and result.amount.open_ended is False
        assert result.amount.text_en == "10,000 yen a month for 36 months (360,000 yen)"
        assert vars(result) == vars(expected) and list(vars(result)) == list(vars(expected))
        assert vars(result.amount) == vars(expected.amount)
        assert result.repayment is result.repayment  # built once
        assert result.to_dict() == expected.to_dict()
    # The classes read as before: defaults where a field has one, no attribute where it has none.
    assert Amount.text_ja == "" and Evaluation.excluded_by is None
    assert not hasattr(Evaluation, "reasons") and not hasattr(Evaluation, "repayment")
    with pytest.raises(AttributeError):
        evaluate(program, profile, DEST).no_such_field  # noqa: B018


def test_a_rule_built_directly_is_compiled_on_first_evaluation():
    data = rule(MET, benefit=HOUSEHOLD, window={"anchor": "move_in", "from_months": 0, "to_months": 12})
    direct = ProgramRule(data.key, data.name_ja, data.name_en, data.conditions, data.benefit, data.window)
    profile = person(has_spouse=True, children_birth_dates=KIDS, move_in_date=d("2024-04-01"))
    same(evaluate(direct, profile, DEST), evaluate(data, profile, DEST))
    same(evaluate(direct, profile, DEST), reference_evaluate(direct, profile, DEST))
    same(
        evaluate(replace(direct, key="other"), profile, DEST),
        reference_evaluate(replace(direct, key="other"), profile, DEST),
    )


def test_compiled_rules_are_dropped_with_their_rules():
    program = rule(MET, key="forgotten")
    evaluate(program, person(), DEST)
    ident = id(program)
    assert ident in eligibility._PLANS
    del program
    gc.collect()
    assert ident not in eligibility._PLANS
