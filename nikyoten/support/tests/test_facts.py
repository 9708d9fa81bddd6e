"""The fact registry: each fact on table cases (birthdays, the 10-year window, the 3-month offset, unknowns),
validation of impossible answers, and reading answers from JSON."""

from dataclasses import fields, replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nikyoten.core.dates import add_months
from nikyoten.support.facts import (
    FACT_KINDS,
    FACTS,
    PROFILE_FIELDS,
    QUESTION_KINDS,
    QUESTIONS,
    UNITS,
    UNKNOWN,
    Bounds,
    CommuteSpell,
    Destination,
    Profile,
    ProfileInputError,
    Spell,
    StudySpell,
    age_on,
    missing_inputs,
    months_between,
    profile_from_dict,
    profile_to_dict,
    validate_profile,
)

TODAY = date(2024, 10, 1)
MOVE = date(2024, 4, 1)
DEST = Destination(code="09208", prefecture_code="09", in_tokyo_area=False, disadvantaged=False)


def fact(key: str, destination: Destination = DEST, **answers: object):
    answers.setdefault("evaluation_date", TODAY)
    return FACTS[key].value(Profile(**answers), destination)


def origin(key: str, residence=(), commute=(), study=(), move=MOVE):
    return fact(
        key,
        residence_history=tuple(residence),
        commute_to_tokyo23_history=None if commute is None else tuple(commute),
        study_in_tokyo23_history=None if study is None else tuple(study),
        move_in_date=move,
    )


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- the registry itself ----------------------------------------------------------------------------------

REQUIRED_FACTS = {
    "applicant.age",
    "spouse.age",
    "household.has_spouse",
    "household.size",
    "household.children_under_18",
    "household.youngest_child_age",
    "origin.years_in_tokyo23_last10",
    "origin.continuous_years_before_move",
    "origin.last_area",
    "move.months_since",
    "destination.outside_tokyo_area",
    "destination.participates_relocation_grant",
    "employment.route",
    "housing.acquisition",
    "housing.renovation_cost",
    "housing.monthly_rent",
    "commute.mode",
    "commute.destination_area",
    "commute.pass_monthly",
    "commute.allowance_monthly",
    "stay.intention_years",
    "farming.new_farmer",
    "history.received_programs",
    "household.tax_arrears",
    "origin.prior_outside_years",
}
DESTINATION_ATTRIBUTES = {f"destination.{f.name}" for f in fields(Destination)}


def test_every_required_fact_is_registered_under_its_key():
    assert set(FACTS) >= REQUIRED_FACTS
    assert all(key == f.key for key, f in FACTS.items())


@pytest.mark.parametrize("key", sorted(FACTS))
def test_fact_is_well_formed(key):
    f = FACTS[key]
    assert f.kind in FACT_KINDS
    assert f.unit in UNITS
    assert f.label_ja and f.label_en and f.inputs
    assert all(name in QUESTIONS or name in DESTINATION_ATTRIBUTES for name in f.inputs)
    assert bool(f.choices) == (f.kind == "choice")
    if f.kind == "bool":
        assert f.true_ja and f.false_ja and f.true_en and f.false_en


def test_questions_cover_every_profile_field_but_the_evaluation_date():
    assert set(QUESTIONS) == set(PROFILE_FIELDS) - {"evaluation_date"}
    assert all(q.kind in QUESTION_KINDS and q.label_ja and q.label_en for q in QUESTIONS.values())
    assert [c[0] for c in QUESTIONS["employment_route"].choices][:2] == ["matching_job", "professional"]
    assert QUESTIONS["monthly_rent"].unit_ja == "円"


def test_units_in_japanese_and_english():
    assert (FACTS["applicant.age"].unit_ja, FACTS["applicant.age"].unit_en) == ("歳", "years")
    assert (FACTS["stay.intention_years"].unit_ja, FACTS["housing.renovation_cost"].unit_ja) == ("年", "円")
    assert FACTS["move.months_since"].unit_ja == "か月"


# --- date arithmetic --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        ("1990-05-10", "2025-05-09", 34),  # the day before the birthday
        ("1990-05-10", "2025-05-10", 35),  # on the birthday
        ("1990-05-10", "2025-05-11", 35),
        ("2000-02-29", "2025-02-28", 24),  # 2/29 births turn older on 3/1 in common years
        ("2000-02-29", "2025-03-01", 25),
        ("2000-02-29", "2024-02-29", 24),
        ("2024-10-01", "2024-10-01", 0),
    ],
)
def test_age_on_evaluation_date(birth, day, age):
    assert age_on(d(birth), d(day)) == age
    assert fact("applicant.age", evaluation_date=d(day), applicant_birth_date=d(birth)) == age


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-04-01", -3, "2024-01-01"),
        ("2024-03-31", -120, "2014-03-31"),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(d(start), months) == d(expected)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2024-04-01", "2024-10-01", 6),
        ("2024-04-01", "2024-09-30", 5),
        ("2024-01-31", "2024-02-29", 1),
        ("2024-10-01", "2024-04-01", -6),
        ("2024-04-01", "2024-04-01", 0),
    ],
)
def test_months_between_counts_whole_months(start, end, months):
    assert months_between(d(start), d(end)) == months


@given(st.dates(date(1950, 1, 1), date(2060, 12, 31)), st.integers(0, 600))
def test_months_between_inverts_add_months(start, months):
    assert months_between(start, add_months(start, months)) == months


# --- household --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"has_spouse": False}, None),
        ({"has_spouse": None, "spouse_birth_date": d("1990-01-01")}, UNKNOWN),
        ({"has_spouse": True}, UNKNOWN),
        ({"has_spouse": True, "spouse_birth_date": d("1985-10-02")}, 38),
        ({"has_spouse": True, "spouse_birth_date": d("1985-10-01")}, 39),
    ],
)
def test_spouse_age(answers, expected):
    assert fact("spouse.age", **answers) == expected


@pytest.mark.parametrize(
    ("has_spouse", "children", "expected"),
    [
        (False, (), 1),
        (True, (), 2),
        (True, (d("2018-01-01"), d("2021-01-01")), 4),
        (False, (d("2018-01-01"),), 2),
        (None, (), Bounds(1, 2)),
        (None, (d("2018-01-01"),), Bounds(2, 3)),
        (True, None, Bounds(2, None)),
        (None, None, Bounds(1, None)),
    ],
)
def test_household_size(has_spouse, children, expected):
    assert fact("household.size", has_spouse=has_spouse, children_birth_dates=children) == expected


@pytest.mark.parametrize(
    ("children", "under_18", "youngest"),
    [
        ((), 0, None),
        (None, UNKNOWN, UNKNOWN),
        ((d("2006-10-02"),), 1, 17),  # 18 tomorrow: still under 18
        ((d("2006-10-01"),), 0, 18),  # 18 today
        ((d("2018-04-01"), d("2021-04-01"), d("2000-01-01")), 2, 3),
    ],
)
def test_children(children, under_18, youngest):
    assert fact("household.children_under_18", children_birth_dates=children) == under_18
    assert fact("household.youngest_child_age", children_birth_dates=children) == youngest


# --- origin: the 移住支援金 periods (rules §2.1) ------------------------------------------------------------


def tokyo23(start, end):
    return Spell(d(start), None if end is None else d(end), "tokyo23")


def suburbs(start, end):
    return Spell(d(start), d(end), "tokyo_area")


@pytest.mark.parametrize(
    ("residence", "commute", "study", "expected"),
    [
        pytest.param([tokyo23("2018-04-01", "2024-03-31")], [], [], 6.0, id="six-years-in-23ku"),
        pytest.param([tokyo23("2019-04-01", "2024-03-31")], [], [], 5.0, id="exactly-five-calendar-years"),
        pytest.param(
            [tokyo23("2010-04-01", "2020-03-31")], [], [], 6.0, id="clipped-to-the-10-years-before-the-move"
        ),
        pytest.param([tokyo23("2000-04-01", "2014-03-31")], [], [], 0.0, id="all-before-the-window"),
        pytest.param([tokyo23("2020-04-01", None)], [], [], 4.0, id="ongoing-spell-stops-at-the-move"),
        pytest.param(
            [tokyo23("2018-04-01", "2022-03-31"), tokyo23("2020-04-01", "2023-03-31")],
            [],
            [],
            5.0,
            id="overlapping-spells-once",
        ),
        pytest.param(
            [tokyo23("2018-04-01", "2022-03-31")],
            [],
            [StudySpell(d("2019-04-01"), d("2023-03-31"))],
            5.0,
            id="study-overlapping-residence-once",
        ),
        pytest.param(
            [suburbs("2016-04-01", "2024-03-31")],
            [
                CommuteSpell(d("2017-04-01"), d("2020-03-31"), True),
                CommuteSpell(d("2020-04-01"), d("2024-03-31"), False),
            ],
            [],
            3.0,
            id="commute-counts-only-under-employment-insurance",
        ),
        pytest.param(
            [Spell(d("2016-04-01"), d("2024-03-31"), "tokyo_area_disadvantaged")],
            [CommuteSpell(d("2016-04-01"), d("2024-03-31"), True)],
            [],
            0.0,
            id="commute-from-a-disadvantaged-area-does-not-count",
        ),
        pytest.param(
            [Spell(d("2016-04-01"), d("2024-03-31"), "other")],
            [CommuteSpell(d("2016-04-01"), d("2024-03-31"), True)],
            [],
            0.0,
            id="commute-from-outside-tokyo-area-does-not-count",
        ),
        pytest.param(
            [tokyo23("2014-04-01", "2017-03-31"), suburbs("2017-04-01", "2024-03-31")],
            [CommuteSpell(d("2017-04-01"), d("2024-03-31"), True)],
            [],
            10.0,
            id="residence-then-insured-commute",
        ),
    ],
)
def test_years_in_tokyo23_last10(residence, commute, study, expected):
    assert origin("origin.years_in_tokyo23_last10", residence, commute, study) == expected


def test_one_day_short_of_five_years_is_under_five():
    years = origin("origin.years_in_tokyo23_last10", [tokyo23("2019-04-02", "2024-03-31")])
    assert 4.99 < years < 5


def test_unknown_commute_and_study_give_bounds():
    residence = [tokyo23("2020-04-01", "2022-03-31"), suburbs("2022-04-01", "2024-03-31")]
    assert origin("origin.years_in_tokyo23_last10", residence, commute=None) == Bounds(2.0, 4.0)
    assert origin("origin.years_in_tokyo23_last10", residence, study=None) == Bounds(2.0, 10.0)
    assert origin("origin.continuous_years_before_move", residence, commute=None) == Bounds(0.0, 4.0)
    assert origin("origin.continuous_years_before_move", residence, study=None) == Bounds(0.0, None)
    # Nothing to gain from an unknown commute when the applicant never lived in the suburbs.
    assert (
        origin("origin.years_in_tokyo23_last10", [tokyo23("2020-04-01", "2024-03-31")], commute=None) == 4.0
    )
    assert origin("origin.years_in_tokyo23_last10", [tokyo23("2014-04-01", "2024-03-31")], study=None) == 10.0


@pytest.mark.parametrize("key", ["origin.years_in_tokyo23_last10", "origin.continuous_years_before_move"])
def test_origin_unknown_without_residence_or_move_date(key):
    assert (
        fact(
            key,
            residence_history=None,
            move_in_date=MOVE,
            commute_to_tokyo23_history=(),
            study_in_tokyo23_history=(),
        )
        is UNKNOWN
    )
    assert (
        fact(
            key,
            residence_history=(),
            move_in_date=None,
            commute_to_tokyo23_history=(),
            study_in_tokyo23_history=(),
        )
        is UNKNOWN
    )


@pytest.mark.parametrize(
    ("residence", "commute", "expected"),
    [
        pytest.param([tokyo23("2018-04-01", "2024-03-31")], [], 6.0, id="up-to-the-move"),
        pytest.param([tokyo23("2022-01-01", "2023-12-31")], [], 2.0, id="ends-exactly-3-months-before"),
        pytest.param([tokyo23("2022-01-01", "2023-12-30")], [], 0.0, id="ends-a-day-earlier"),
        pytest.param(
            [tokyo23("2015-04-01", "2022-02-28"), tokyo23("2022-04-01", "2024-03-31")],
            [],
            2.0,
            id="a-gap-breaks-the-run",
        ),
        pytest.param(
            [tokyo23("2020-04-01", "2022-03-31"), suburbs("2022-04-01", "2024-03-31")],
            [CommuteSpell(d("2022-04-01"), None, True)],
            4.0,
            id="23ku-then-insured-commute-is-one-run",
        ),
        pytest.param(
            [tokyo23("2020-04-01", "2022-03-31"), suburbs("2022-04-01", "2024-03-31")],
            [CommuteSpell(d("2022-04-01"), None, False)],
            0.0,
            id="uninsured-commute-breaks-it",
        ),
        pytest.param([tokyo23("2023-10-01", "2024-03-31")], [], 0.5, id="half-a-year"),
    ],
)
def test_continuous_years_before_move(residence, commute, expected):
    assert origin("origin.continuous_years_before_move", residence, commute) == expected


@pytest.mark.parametrize(
    ("residence", "move", "expected"),
    [
        ([tokyo23("2018-04-01", "2024-03-31")], MOVE, "tokyo23"),
        ([tokyo23("2010-04-01", "2018-03-31"), suburbs("2018-04-01", "2024-03-31")], MOVE, "tokyo_area"),
        (
            [suburbs("2018-04-01", "2024-03-31"), Spell(MOVE, None, "other")],
            MOVE,
            "tokyo_area",
        ),  # the destination
        ([suburbs("2018-04-01", "2024-03-31"), Spell(MOVE, None, "other")], None, "other"),
        ([], MOVE, None),
        (None, MOVE, UNKNOWN),
    ],
)
def test_last_area(residence, move, expected):
    history = None if residence is None else tuple(residence)
    assert fact("origin.last_area", residence_history=history, move_in_date=move) == expected


# --- dates, destination and plain answers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "answers", "expected"),
    [
        ("move.months_since", {"move_in_date": MOVE}, 6),
        ("move.months_since", {"move_in_date": d("2025-01-01")}, -3),
        ("move.months_since", {}, UNKNOWN),
        ("move.date", {"move_in_date": MOVE}, MOVE),
        ("commute.months_since_pass_start", {"pass_start_date": d("2024-05-01")}, 5),
        ("employment.months_since_work_start", {"work_start_date": d("2023-10-01")}, 12),
        (
            "commute.pass_start_months_after_move",
            {"move_in_date": MOVE, "pass_start_date": d("2025-03-31")},
            11,
        ),
        (
            "commute.pass_start_months_after_move",
            {"move_in_date": MOVE, "pass_start_date": d("2025-04-01")},
            12,
        ),
        ("commute.pass_start_months_after_move", {"move_in_date": MOVE}, UNKNOWN),
    ],
)
def test_date_facts(key, answers, expected):
    assert fact(key, **answers) == expected


@pytest.mark.parametrize(
    ("in_tokyo_area", "disadvantaged", "expected"),
    [
        (False, None, True),
        (False, False, True),
        (True, True, True),
        (True, False, False),
        (True, None, UNKNOWN),
        (None, False, UNKNOWN),
        (None, True, True),
    ],
)
def test_destination_outside_tokyo_area(in_tokyo_area, disadvantaged, expected):
    destination = Destination(
        code="x", prefecture_code="13", in_tokyo_area=in_tokyo_area, disadvantaged=disadvantaged
    )
    assert fact("destination.outside_tokyo_area", destination) == expected


def test_destination_participation():
    assert fact("destination.participates_relocation_grant") is UNKNOWN
    assert (
        fact("destination.participates_relocation_grant", replace(DEST, participates_relocation_grant=False))
        is False
    )


PASSTHROUGH = [
    ("household.has_spouse", "has_spouse", True),
    ("employment.route", "employment_route", "telework"),
    ("housing.acquisition", "housing_acquisition", "used"),
    ("housing.renovation_cost", "housing_renovation_cost", 1_200_000),
    ("housing.akiya_rental_conversion", "converts_akiya_to_rental", False),
    ("housing.monthly_rent", "monthly_rent", 45_000),
    ("commute.mode", "commute_mode", "shinkansen"),
    ("commute.destination_area", "commute_destination_area", "tokyo23"),
    ("commute.pass_monthly", "commuter_pass_monthly", 30_000),
    ("commute.allowance_monthly", "commute_allowance_monthly", 0),
    ("stay.intention_years", "stay_intention_years", 5),
    ("farming.new_farmer", "new_farmer", True),
    ("history.received_programs", "received_programs", ("a", "b")),
    ("household.tax_arrears", "tax_arrears", False),
    ("origin.prior_outside_years", "prior_outside_residence_years", 1.5),
]


@pytest.mark.parametrize(("key", "name", "value"), PASSTHROUGH)
def test_answer_facts_are_the_answer_or_unknown(key, name, value):
    assert fact(key, **{name: value}) == value
    assert fact(key) is UNKNOWN
    assert FACTS[key].inputs == (name,)


def test_missing_inputs_lists_only_unanswered_profile_fields():
    profile = Profile(evaluation_date=TODAY, has_spouse=True)
    assert missing_inputs(FACTS["spouse.age"], profile) == ("spouse_birth_date",)
    assert missing_inputs(FACTS["destination.outside_tokyo_area"], profile) == ()
    assert missing_inputs(FACTS["origin.years_in_tokyo23_last10"], profile) == (
        "residence_history",
        "commute_to_tokyo23_history",
        "study_in_tokyo23_history",
        "move_in_date",
    )


# --- validation -------------------------------------------------------------------------------------------

GOOD = Profile(
    evaluation_date=TODAY,
    applicant_birth_date=d("1988-05-01"),
    has_spouse=True,
    spouse_birth_date=d("1989-06-01"),
    children_birth_dates=(d("2018-04-01"),),
    residence_history=(tokyo23("2010-04-01", "2024-03-31"),),
    commute_to_tokyo23_history=(CommuteSpell(d("2010-04-01"), d("2024-03-31"), True),),
    study_in_tokyo23_history=(),
    move_in_date=MOVE,
    commuter_pass_monthly=30_000,
)


def test_a_sound_profile_has_no_errors():
    assert validate_profile(GOOD) == []
    assert validate_profile(Profile(evaluation_date=TODAY)) == []


@pytest.mark.parametrize(
    ("change", "field", "word"),
    [
        ({"applicant_birth_date": d("2025-01-01")}, "applicant_birth_date", "判定日より後"),
        ({"applicant_birth_date": d("1850-01-01")}, "applicant_birth_date", "130歳"),
        ({"spouse_birth_date": d("2030-01-01")}, "spouse_birth_date", "判定日より後"),
        ({"has_spouse": False}, "spouse_birth_date", "配偶者がいない"),
        ({"children_birth_dates": (d("1980-01-01"),)}, "children_birth_dates", "申請者の生年月日"),
        ({"children_birth_dates": (d("2025-01-01"),)}, "children_birth_dates", "判定日より後"),
        ({"move_in_date": d("1980-01-01"), "residence_history": ()}, "move_in_date", "生年月日より前"),
        (
            {"residence_history": (tokyo23("2020-04-01", "2019-03-31"),)},
            "residence_history",
            "終わりが始まりより前",
        ),
        ({"residence_history": (Spell(d("2020-04-01"), None, "osaka"),)}, "residence_history", "osaka"),
        (
            {"commute_to_tokyo23_history": (CommuteSpell(d("1980-04-01"), None, True),)},
            "commute_to_tokyo23_history",
            "生年月日より前",
        ),
        (
            {"study_in_tokyo23_history": (StudySpell(d("2025-04-01"), None),)},
            "study_in_tokyo23_history",
            "判定日より後",
        ),
        ({"commuter_pass_monthly": -1}, "commuter_pass_monthly", "0以上"),
        ({"employment_route": "freelance"}, "employment_route", "freelance"),
        ({"prior_outside_residence_years": 60.0}, "prior_outside_residence_years", "年齢を超えて"),
        ({"received_programs": ("",)}, "received_programs", "空"),
    ],
)
def test_validate_profile_refuses_impossible_answers(change, field, word):
    errors = [e for e in validate_profile(replace(GOOD, **change)) if e.field == field]
    assert errors, change
    assert word in errors[0].message_ja
    assert errors[0].message_en


# --- JSON ------------------------------------------------------------------------------------------------


def test_profile_from_dict_reads_iso_dates_and_spells():
    profile = profile_from_dict(
        {
            "evaluation_date": "2024-10-01",
            "applicant_birth_date": "1988-05-01",
            "has_spouse": False,
            "children_birth_dates": [],
            "residence_history": [{"start": "2018-04-01", "end": "2024-03-31", "area": "tokyo23"}],
            "commute_to_tokyo23_history": [
                {"start": "2018-04-01", "end": None, "employment_insurance": True}
            ],
            "study_in_tokyo23_history": [],
            "prior_outside_residence_years": 2,
            "received_programs": ["national-relocation-grant"],
        }
    )
    assert profile.residence_history == (tokyo23("2018-04-01", "2024-03-31"),)
    assert profile.commute_to_tokyo23_history == (CommuteSpell(d("2018-04-01"), None, True),)
    assert profile.children_birth_dates == ()
    assert profile.prior_outside_residence_years == 2.0
    assert profile.received_programs == ("national-relocation-grant",)
    assert profile.move_in_date is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"evaluation_date": "2024-13-01"}, "evaluation_date"),
        ({}, "evaluation_date"),
        ({"evaluation_date": "2024-10-01", "applicant_birth_date": "yesterday"}, "applicant_birth_date"),
        ({"evaluation_date": "2024-10-01", "has_spouse": "yes"}, "has_spouse"),
        ({"evaluation_date": "2024-10-01", "monthly_rent": 4.5}, "monthly_rent"),
        (
            {"evaluation_date": "2024-10-01", "residence_history": [{"start": "2020-01-01"}]},
            "residence_history",
        ),
        (
            {"evaluation_date": "2024-10-01", "commute_to_tokyo23_history": [{"start": "2020-01-01"}]},
            "commute_to_tokyo23_history",
        ),
        ({"evaluation_date": "2024-10-01", "children_birth_dates": "2020-01-01"}, "children_birth_dates"),
        ({"evaluation_date": "2024-10-01", "salary": 5}, "salary"),
    ],
)
def test_profile_from_dict_refuses_unreadable_answers(data, field):
    with pytest.raises(ProfileInputError) as caught:
        profile_from_dict(data)
    assert field in [e.field for e in caught.value.errors]


dates = st.dates(date(1950, 1, 1), date(2030, 12, 31))
spells = st.builds(
    Spell,
    dates,
    st.none() | dates,
    st.sampled_from(["tokyo23", "tokyo_area", "tokyo_area_disadvantaged", "other"]),
)
commutes = st.builds(CommuteSpell, dates, st.none() | dates, st.booleans())
studies = st.builds(StudySpell, dates, st.none() | dates)


def maybe(strategy):
    return st.none() | strategy


profiles = st.builds(
    Profile,
    evaluation_date=dates,
    applicant_birth_date=maybe(dates),
    has_spouse=maybe(st.booleans()),
    spouse_birth_date=maybe(dates),
    children_birth_dates=maybe(st.lists(dates, max_size=3).map(tuple)),
    residence_history=maybe(st.lists(spells, max_size=4).map(tuple)),
    commute_to_tokyo23_history=maybe(st.lists(commutes, max_size=3).map(tuple)),
    study_in_tokyo23_history=maybe(st.lists(studies, max_size=2).map(tuple)),
    move_in_date=maybe(dates),
    employment_route=maybe(st.sampled_from(["telework", "farming"])),
    commuter_pass_monthly=maybe(st.integers(0, 100_000)),
    prior_outside_residence_years=maybe(st.floats(0, 50)),
    received_programs=maybe(st.lists(st.sampled_from(["a", "b"]), max_size=2).map(tuple)),
    tax_arrears=maybe(st.booleans()),
)


@settings(max_examples=200)
@given(profiles)
def test_profile_json_round_trip(profile):
    assert profile_from_dict(profile_to_dict(profile)) == profile


@settings(max_examples=300)
@given(profiles)
def test_origin_facts_stay_in_range_and_bounds_contain_every_completion(profile):
    """Years in the last 10 lie in [0, 10]; an unknown history gives bounds holding what any answer would give."""
    for key in ("origin.years_in_tokyo23_last10", "origin.continuous_years_before_move"):
        value = FACTS[key].value(profile, DEST)
        if value is UNKNOWN:
            assert profile.residence_history is None or profile.move_in_date is None
            continue
        low, high = (value.low, value.high) if isinstance(value, Bounds) else (value, value)
        assert low >= 0 and (high is None or low <= high)
        if key == "origin.years_in_tokyo23_last10":
            assert high is not None and high <= 10
        known_commute = profile.commute_to_tokyo23_history
        known_study = profile.study_in_tokyo23_history
        commute_options = (
            [known_commute]
            if known_commute is not None
            else [(), (CommuteSpell(date(1950, 1, 1), None, True),)]
        )
        study_options = (
            [known_study] if known_study is not None else [(), (StudySpell(date(2010, 1, 1), None),)]
        )
        for commute in commute_options:
            for study in study_options:
                completed = replace(
                    profile, commute_to_tokyo23_history=commute, study_in_tokyo23_history=study
                )
                exact = FACTS[key].value(completed, DEST)
                assert isinstance(exact, float)
                assert low <= exact and (high is None or exact <= high)
