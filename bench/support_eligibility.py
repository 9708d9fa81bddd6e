"""Benchmark the eligibility engine: 10,000 program versions × one household profile, in-process.

Run: `.venv/bin/python bench/support_eligibility.py [--rounds 30]`. Pure Python (no database): the versions are
the real programs of `nikyoten.support.content` with their amounts and thresholds varied, as a catalogue of
~5,900 municipal programs with several versions each would be. Prints p50/p95 per round and versions/second.
"""

import argparse
import copy
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nikyoten.support import content, eligibility, facts


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(7)
    rules = varied_rules(args.versions, rng)
    profile = facts.profile_from_dict(
        {
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
    )
    destination = facts.Destination(
        code="09208",
        prefecture_code="09",
        in_tokyo_area=False,
        disadvantaged=False,
        participates_relocation_grant=True,
    )
    eligibility.evaluate_all(rules[:100], profile, destination)  # warm-up
    samples = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for rule in rules:
            eligibility.evaluate(rule, profile, destination)
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(
        f"{args.versions:,} versions × 1 profile: p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, "
        f"{args.versions / (statistics.median(samples) / 1000):,.0f} versions/s ({date.today()})"
    )


if __name__ == "__main__":
    main()
