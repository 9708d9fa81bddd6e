"""Benchmark the region ranking: the engine in-process (all 1,741 municipalities, explanations for the top 30) and
`POST /api/v1/matching/rankings/` through Django's test client.

Run: `.venv/bin/python bench/matching_ranking.py [--runs 300] [--iterations 200]`. It builds its own temporary
SQLite database (migrate, load_reference_data, seed_demo: the real master, the seed's programs, the demo region
profiles), so it never touches yours. Profiles vary per run: a random base among the 1,741, random weights 0–5,
random household; half with a distance limit, a quarter with a time limit. The feature matrix and the support
amounts are cached by data version; the first (cold) builds are timed separately. On a shared, busy host the
wall-clock figures include waiting for a core: the engine's CPU time is printed too, and `uptime` before a run
says how busy the host was.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    for args in (
        ("migrate", "--noinput"),
        ("load_reference_data", "-v0"),
        ("seed_demo", "--password", "bench-pass-1"),
    ):
        command = [sys.executable, "manage.py", *args]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def line(name: str, samples: list[float]) -> str:
    return (
        f"{name:<44} {statistics.median(samples):8.2f} {percentile(samples, 0.95):8.2f} "
        f"{max(samples):8.2f} {len(samples):6d}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/bench.sqlite3"
        prepare(database_url)
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        run(args, rng)


def run(args: argparse.Namespace, rng: random.Random) -> None:
    from django.test import Client

    from nikyoten.matching import features, ranking, selectors
    from nikyoten.matching.choices import LivingStyle, WorkStyle
    from nikyoten.regions.models import Municipality

    bases = list(Municipality.objects.municipalities().select_related("prefecture"))

    def profile() -> dict[str, object]:
        limit = rng.random()
        return {
            "base": rng.choice(bases).code,
            "adults": rng.randint(1, 3),
            "children_ages": [rng.randint(0, 17) for _ in range(rng.randint(0, 3))],
            "work_style": rng.choice(WorkStyle.values),
            "living_style": rng.choice(LivingStyle.values),
            "trips_per_month": rng.randint(0, 12),
            "max_distance_km": rng.choice([50, 100, 150, 300, 800]) if limit < 0.5 else None,
            "max_travel_minutes": rng.choice([60, 90, 120, 240]) if 0.5 <= limit < 0.75 else None,
            "weights": {f.value: rng.randint(0, 5) for f in ranking.FACTORS},
        }

    version = features.data_version()
    started = time.perf_counter()
    matrix = features.features(version)
    cold_matrix = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    features.support_amounts(features.Household(adults=2, children_ages=(3, 6)), version)
    cold_support = (time.perf_counter() - started) * 1000

    # The engine alone: query built ahead (support amounts for a few households, as the cache would hold).
    households = [features.Household(adults=a, children_ages=c) for a in (1, 2) for c in ((), (3, 6), (10,))]
    amounts = {h: features.support_amounts(h, version) for h in households}
    by_code = {m.code: m for m in bases}
    engine, engine_cpu = [], []
    explained = 0
    for _ in range(args.runs):
        p = profile()
        base = by_code[str(p["base"])]
        household = rng.choice(households)
        query = ranking.Query(
            base_code=base.code,
            base_name_ja=base.name,
            base_name_en=base.name_en,
            base_lat=base.inside_lat or 0.0,
            base_lng=base.inside_lng or 0.0,
            weights={ranking.Factor(k): float(v) for k, v in dict(p["weights"]).items()},  # type: ignore[call-overload]
            max_km=p["max_distance_km"],  # type: ignore[arg-type]
            max_minutes=p["max_travel_minutes"],  # type: ignore[arg-type]
            support_yen=amounts[household],
            life_stages=ranking.bits(ranking.LIFE_STAGES, ["couple"]),
            work_styles=ranking.bits(ranking.WORK_STYLES, [str(p["work_style"])]),
            living_styles=ranking.bits(ranking.LIVING_STYLES, [str(p["living_style"])]),
            trips_per_month=int(p["trips_per_month"]),  # type: ignore[call-overload]
        )
        started, cpu = time.perf_counter(), time.process_time()
        result = ranking.rank(matrix, query, top=30)
        engine.append((time.perf_counter() - started) * 1000)
        engine_cpu.append((time.process_time() - cpu) * 1000)
        explained += sum(len(r.contributions) for r in result.results)

    # The selector (data version queries + cached matrix and support amounts + engine).
    wishes_runs = []
    family = selectors.Wishes(
        base=by_code["13104"],
        work_style="telework",
        living_style="telework",
        adults=2,
        children_ages=(3, 6),
        trips_per_month=8,
        max_distance_km=150,
        weights={
            "childcare": 5,
            "low_hazard": 5,
            "trial_stay": 5,
            "access": 3,
            "support": 3,
            "region_fit": 2,
        },
    )
    for _ in range(args.runs):
        started = time.perf_counter()
        selectors.region_ranking(wishes=family, top=30)
        wishes_runs.append((time.perf_counter() - started) * 1000)

    client = Client(HTTP_HOST="127.0.0.1")
    api_family, api_family_cpu, api_random = [], [], []
    body = json.dumps(
        {
            "base": "13104",
            "adults": 2,
            "children_ages": [3, 6],
            "work_style": "telework",
            "living_style": "telework",
            "trips_per_month": 8,
            "max_distance_km": 150,
            "weights": family.weights,
        }
    )
    for _ in range(5):
        client.post("/api/v1/matching/rankings/", body, content_type="application/json")
    for _ in range(args.iterations):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.post("/api/v1/matching/rankings/", body, content_type="application/json")
        api_family.append((time.perf_counter() - started) * 1000)
        api_family_cpu.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.content
    for _ in range(args.iterations):
        payload = json.dumps(profile())
        started = time.perf_counter()
        response = client.post("/api/v1/matching/rankings/", payload, content_type="application/json")
        api_random.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content

    print(f"rows ranked: {len(matrix)}; contributions explained: {explained} over {args.runs} runs")
    print(
        f"cold: feature matrix {cold_matrix:.0f} ms, support amounts for one household {cold_support:.0f} ms"
    )
    print(f"{'what':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'n':>6}")
    print(line("engine: rank 1,741 + explain top 30", engine))
    print(line("engine: the same, CPU time of the process", engine_cpu))
    print(line("selector: family (data version + engine)", wishes_runs))
    print(line("API rankings/: family (warm caches)", api_family))
    print(line("API rankings/: the same, CPU time of the process", api_family_cpu))
    print(line("API rankings/: random profiles", api_random))


if __name__ == "__main__":
    main()
