"""Benchmark the eligibility engine: 10,000 program versions × one household profile, in-process.

Run: `.venv/bin/python bench/support_eligibility.py [--rounds 30]`. Pure Python (no database): the versions are
the real programs of `nikyoten.support.content` with their amounts and thresholds varied, as a catalogue of
~5,900 municipal programs with several versions each would be. Prints the p50 and p95 (nearest rank) of the
rounds, the slowest round, and versions/second.

A round is what the eligibility check of `nikyoten.support.selectors` does for one seeker: one call of
`eligibility.evaluate_all` over every version (a verdict, an amount and what to ask for each, and the totals
after stacking), then reading what a results page shows of the first `--shown` programs that may pay
(amount, reasons, repayment and question texts). The versions are parsed (and so compiled) once, outside the
timing, as the catalogue would be; each round gets a newly read profile, the engine keeps nothing from one call
to the next, and the garbage collector runs before each round (outside the timing) so that no round pays for
the garbage of the ones before.
"""

import argparse
import copy
import gc
import math
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nikyoten.support import content, eligibility, facts

ANSWERS = {
    "evaluation_date": "2026-11-26",
    "applicant_birth_date": "1990-05-01",
    "has_spouse": True,
    "spouse_birth_date": "1991-03-01",
    "children_birth_dates": ["2018-06-01", "2021-09-01"],
    "residence_history": [{"start": "2014-04-01", "end": "2026-03-31", "area": "tokyo23"}],
    "move_in_date": "2026-04-01",
    "employment_route": "telework",
    "housing_acquisition": "used",
    "commute_mode": "shinkansen",
    "commute_destination_area": "tokyo23",
    "commuter_pass_monthly": 90000,
    "stay_intention_years": 10,
}


def varied_rules(count: int, rng: random.Random) -> list[eligibility.ProgramRule]:
    """`count` rules built from the real programs' versions, with thresholds and amounts varied."""
    versions = [(p, v) for p in content.PROGRAMS for v in p["versions"]]  # type: ignore[union-attr]
    rules = []
    for i in range(count):
        program, version = versions[i % len(versions)]
        data = copy.deepcopy(
            {
                "key": f"{program['key']}-{i}",
                "name_ja": program["name_ja"],
                "name_en": program["name_en"],
                **version,
            }
        )
        for leaf in data["conditions"].get("all", []):
            if (
                isinstance(leaf, dict)
                and isinstance(leaf.get("value"), int)
                and not isinstance(leaf.get("value"), bool)
            ):
                leaf["value"] = max(0, leaf["value"] + rng.randint(-2, 2))
        for key in ("amount", "cap", "monthly_cap", "single", "household"):
            if key in data["benefit"]:
                data["benefit"][key] = int(data["benefit"][key] * rng.uniform(0.5, 1.5))
        rules.append(eligibility.ProgramRule.from_dict(data))
    return rules


def read_page(summary: eligibility.Summary, shown: int) -> int:
    """Read what the results page shows: totals, and for the first `shown` programs that may pay every text."""
    read = len(summary.questions) + summary.total_maximum + summary.possible_maximum
    payable = (e for e in summary.evaluations if e.verdict is not eligibility.Verdict.NOT_ELIGIBLE)
    for _, evaluation in zip(range(shown), payable, strict=False):
        texts = [evaluation.amount.text_ja, evaluation.amount.text_en]
        texts += [text for reason in evaluation.reasons for text in (reason.text_ja, reason.text_en)]
        texts += [text for step in evaluation.repayment for text in (step.text_ja, step.text_en)]
        texts += [question.label_ja for question in evaluation.questions]
        read += sum(map(len, texts))
    return read


def check(
    rules: list[eligibility.ProgramRule], profile: facts.Profile, destination: facts.Destination
) -> None:
    """The batch gives what evaluating each version alone gives (a sample, outside the timing)."""
    summary = eligibility.evaluate_all(rules, profile, destination)
    for i in range(0, len(rules), max(1, len(rules) // 500)):
        alone = eligibility.evaluate(rules[i], profile, destination)
        assert summary.evaluations[i] == alone, rules[i].key
        assert summary.evaluations[i].to_dict() == alone.to_dict(), rules[i].key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--shown", type=int, default=20, help="programs whose texts a round reads")
    args = parser.parse_args()
    rng = random.Random(7)
    rules = varied_rules(args.versions, rng)
    destination = facts.Destination(
        code="09208",
        prefecture_code="09",
        in_tokyo_area=False,
        disadvantaged=False,
        participates_relocation_grant=True,
    )
    check(rules, facts.profile_from_dict(ANSWERS), destination)
    eligibility.evaluate_all(rules[:100], facts.profile_from_dict(ANSWERS), destination)  # warm-up
    samples = []
    for _ in range(args.rounds):
        profile = facts.profile_from_dict(ANSWERS)
        gc.collect()
        started = time.perf_counter()
        summary = eligibility.evaluate_all(rules, profile, destination)
        read_page(summary, args.shown)
        samples.append((time.perf_counter() - started) * 1000)
        del summary
    ordered = sorted(samples)
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank: the 19th of 20 rounds, the 29th of 30
    print(
        f"{args.versions:,} versions × 1 profile: p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms "
        f"(max {ordered[-1]:.1f} ms), {args.versions / (statistics.median(samples) / 1000):,.0f} versions/s "
        f"({date.today()})"
    )


if __name__ == "__main__":
    main()
