"""The catalogue of real programs: every version parses, versions do not overlap, every figure has a source."""

import inspect
import json
import re
from datetime import date
from fractions import Fraction
from itertools import pairwise

import pytest

from nikyoten.support import content
from nikyoten.support.eligibility import (
    ByFactBenefit,
    HouseholdBenefit,
    ProgramRule,
    RateCapBenefit,
    UnspecifiedBenefit,
)

LEVELS = {"national", "prefecture", "municipality"}
CATEGORIES = {
    "relocation_grant",
    "housing_purchase",
    "renovation",
    "rent",
    "commute",
    "childcare",
    "startup",
    "farming",
    "trial_stay",
    "moving",
}
PROGRAM_KEYS = {
    "key",
    "name_ja",
    "name_en",
    "level",
    "prefecture",
    "municipality",
    "categories",
    "source_url",
    "other_sources",
    "last_verified",
    "funding_shares",
    "versions",
}
VERSION_KEYS = {
    "effective_from",
    "effective_to",
    "conditions",
    "benefit",
    "window",
    "repayment",
    "stacking",
    "budget_status",
    "deadline",
    "source_url",
    "last_verified",
    "notes_ja",
}
URL = re.compile(r"https?://[^\s]+")
PROGRAM_IDS = [p["key"] for p in content.PROGRAMS]
VERSIONS = [(p, v) for p in content.PROGRAMS for v in p["versions"]]
VERSION_IDS = [f"{p['key']}@{v['effective_from']}" for p, v in VERSIONS]


def program(key):
    return next(p for p in content.PROGRAMS if p["key"] == key)


def rule(key, effective_from) -> ProgramRule:
    p = program(key)
    return content.rule_for(p, next(v for v in p["versions"] if v["effective_from"] == effective_from))


def test_catalogue_is_json_with_unique_keys():
    json.dumps(content.PROGRAMS, ensure_ascii=False)
    assert len(set(PROGRAM_IDS)) == len(PROGRAM_IDS) == 6


@pytest.mark.parametrize(("p", "version"), VERSIONS, ids=VERSION_IDS)
def test_every_version_parses(p, version):
    parsed = content.rule_for(p, version)
    assert parsed.key == p["key"] and parsed.name_ja == p["name_ja"]
    assert set(version) == VERSION_KEYS
    assert version["budget_status"] in {"open", "low", "closed"}
    assert version["deadline"] is None or date.fromisoformat(version["deadline"])
    assert URL.fullmatch(version["source_url"])
    assert date.fromisoformat(version["last_verified"])
    assert version["notes_ja"].strip()


@pytest.mark.parametrize("p", content.PROGRAMS, ids=PROGRAM_IDS)
def test_program_metadata(p):
    assert set(p) == PROGRAM_KEYS
    assert re.fullmatch(r"[a-z0-9-]+", p["key"])
    assert URL.fullmatch(p["source_url"])
    assert all(URL.fullmatch(url) for url in p["other_sources"])
    assert p["level"] in LEVELS
    assert p["categories"] and set(p["categories"]) <= CATEGORIES
    assert p["name_ja"] and p["name_en"]
    assert date.fromisoformat(p["last_verified"])
    if p["level"] == "national":
        assert p["prefecture"] is None and p["municipality"] is None
    if p["level"] == "municipality":
        assert p["prefecture"].endswith(("都", "道", "府", "県")) and p["municipality"]
    if p["funding_shares"]:
        assert sum(Fraction(share) for share in p["funding_shares"].values()) == 1


@pytest.mark.parametrize("p", content.PROGRAMS, ids=PROGRAM_IDS)
def test_versions_are_ordered_and_do_not_overlap(p):
    periods = [
        (date.fromisoformat(v["effective_from"]), v["effective_to"] and date.fromisoformat(v["effective_to"]))
        for v in p["versions"]
    ]
    for start, end in periods:
        assert end is None or start <= end
    for (_, end), (next_start, _) in pairwise(periods):
        assert end is not None and end < next_start
    assert sum(end is None for _, end in periods) <= 1


def test_relocation_grant_figures_follow_rules_section_2():
    fy2022 = rule("national-relocation-grant", "2022-04-01")
    fy2023 = rule("national-relocation-grant", "2023-04-01")
    assert fy2022.benefit == HouseholdBenefit(
        single=600_000, household=1_000_000, per_child=300_000, child_max_age=17
    )
    assert fy2023.benefit == HouseholdBenefit(
        single=600_000, household=1_000_000, per_child=1_000_000, child_max_age=17
    )
    assert fy2023.window is not None and (
        fy2023.window.anchor,
        fy2023.window.from_months,
        fy2023.window.to_months,
    ) == ("move_in", 3, 12)
    assert [(s.trigger, s.from_months, s.to_months, s.share) for s in fy2023.repayment] == [
        ("move_out", 0, 36, 1.0),
        ("move_out", 36, 60, 0.5),
        ("job_exit", 0, 12, 1.0),
    ]
    assert fy2023.stacking.once_per == "household"
    assert program("national-relocation-grant")["funding_shares"] == {
        "national": "1/2",
        "prefecture": "1/4",
        "municipality": "1/4",
    }


def test_municipal_figures_follow_the_seed_and_rules_section_11():
    assert rule("oyama-housing-acquisition", "2024-01-01").benefit == ByFactBenefit(
        "housing.acquisition", (("new", 400_000), ("used", 200_000))
    )
    pass_benefit = rule("oyama-shinkansen-commuter-pass", "2022-04-01").to_dict()["benefit"]
    assert (pass_benefit["monthly_cap"], pass_benefit["months"]) == (10_000, 36)
    assert (
        program("oyama-shinkansen-commuter-pass")["source_url"]
        == "https://www.city.oyama.tochigi.jp/site/shinsei-navi/12.html"
    )
    seed, fy2025 = (rule("hida-akiya-rental-renovation", start) for start in ("2024-01-01", "2025-04-01"))
    assert (seed.benefit, fy2025.benefit) == (
        RateCapBenefit(0.5, 3_000_000, "housing.renovation_cost"),
        RateCapBenefit(0.5, 2_500_000, "housing.renovation_cost"),
    )
    assert "確認できていません" in program("hida-akiya-rental-renovation")["versions"][0]["notes_ja"]
    assert [(s.trigger, s.to_months, s.share) for s in fy2025.repayment] == [("obligation_broken", 60, 1.0)]
    assert rule("obuse-new-farmer-housing-cost", "2024-01-01").benefit.months == 84
    assert rule("obuse-new-farmer-housing-rental", "2024-01-01").benefit.months == 24
    assert isinstance(rule("obuse-new-farmer-housing-rental", "2024-01-01").benefit, UnspecifiedBenefit)


def test_shimanto_housing_is_not_a_support_program():
    assert all(p["municipality"] != "四万十町" for p in content.PROGRAMS)
    assert "四万十町" in (content.__doc__ or "")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 10, 1), {"national-relocation-grant": 300_000, "oyama-shinkansen-commuter-pass": None}),
        (date(2023, 3, 31), {"national-relocation-grant": 300_000, "oyama-shinkansen-commuter-pass": None}),
        (date(2023, 4, 1), {"national-relocation-grant": 1_000_000, "oyama-shinkansen-commuter-pass": None}),
    ],
)
def test_rules_on_a_day_pick_the_version_in_force(day, expected):
    rules = {r.key: r for r in content.rules_on(day)}
    assert set(rules) == set(expected)
    assert rules["national-relocation-grant"].benefit.per_child == expected["national-relocation-grant"]


def test_hida_switches_to_the_fy2025_cap():
    caps = {
        day: {r.key: r for r in content.rules_on(day)}["hida-akiya-rental-renovation"].benefit.cap
        for day in (date(2025, 3, 31), date(2025, 4, 1))
    }
    assert caps == {date(2025, 3, 31): 3_000_000, date(2025, 4, 1): 2_500_000}
    assert len(content.rules_on(date(2026, 11, 26))) == 6


def test_content_reads_nothing_at_run_time():
    source = inspect.getsource(content)
    assert "/work/shared" not in source and "open(" not in source and "import yaml" not in source
