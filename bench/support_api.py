"""Benchmark the support API in-process: POST eligibility/ (one municipality) and cost-simulations/.

Run: `.venv/bin/python bench/support_api.py [--iterations 200]` against the database in DATABASE_URL, after
`make setup` (reference data and the seed's programs loaded). Django's test client: routing, queries, engine and
serialisation, no web server.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from nikyoten.support.models import SupportProgram  # noqa: E402

PROFILE = {
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
    "commute_allowance_monthly": 80000,
    "pass_start_date": "2026-04-01",
    "stay_intention_years": 10,
    "tax_arrears": False,
    "received_programs": [],
}
REQUESTS = {
    "eligibility (小山市)": (
        "/api/v1/support/eligibility/",
        {"profile": PROFILE, "municipalities": ["09208"]},
    ),
    "eligibility (4 municipalities)": (
        "/api/v1/support/eligibility/",
        {"profile": PROFILE, "municipalities": ["09208", "21217", "20541", "13101"]},
    ),
    "cost-simulations (2 candidates)": (
        "/api/v1/support/cost-simulations/",
        {"base_a": "13101", "candidates": ["09208", "21217"], "mode": "shinkansen", "trips_per_month": 8},
    ),
}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    if not SupportProgram.objects.exists():
        sys.exit("支援制度がありません。先に `make setup`（または manage.py seed_demo）を実行してください。")
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'request':<34} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
    for name, (path, body) in REQUESTS.items():
        payload = json.dumps(body)
        for _ in range(5):
            client.post(path, payload, content_type="application/json")
        samples = []
        for _ in range(args.iterations):
            started = time.perf_counter()
            response = client.post(path, payload, content_type="application/json")
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}: {response.content[:300]!r}")
        print(
            f"{name:<34} {statistics.median(samples):8.1f} {percentile(samples, 0.95):8.1f} "
            f"{1000 * len(samples) / sum(samples):8.0f}"
        )


if __name__ == "__main__":
    main()
