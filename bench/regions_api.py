"""Benchmark the public regions API in-process: p50/p95 latency and throughput per endpoint.

Run: `.venv/bin/python bench/regions_api.py [--iterations N]` against the database in DATABASE_URL (the master must
be loaded: `manage.py load_reference_data`). Uses Django's test client, so it measures the application (routing,
queries, serialisation), not a web server.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.test import Client  # noqa: E402
from tqdm import tqdm  # noqa: E402

from nikyoten.regions.models import Municipality  # noqa: E402


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    if not Municipality.objects.exists():
        sys.exit("市区町村マスタが空です。先に `manage.py load_reference_data` を実行してください。")

    rng = random.Random(1)
    municipalities = list(
        Municipality.objects.municipalities().values_list("code", "inside_lat", "inside_lng", "kana")
    )
    postal_codes = ["1000001", "0600000", "0040000", "9071801", "7860000", "5300001", "9800811"]
    client = Client(HTTP_HOST="127.0.0.1")

    endpoints = {
        "prefectures": lambda: "/api/v1/regions/prefectures/",
        "municipalities?prefecture": lambda: (
            f"/api/v1/regions/municipalities/?prefecture={rng.randint(1, 47):02d}"
        ),
        "municipalities?q (kana)": lambda: (
            f"/api/v1/regions/municipalities/?q={rng.choice(municipalities)[3][:3]}"
        ),
        "municipalities/{code}": lambda: f"/api/v1/regions/municipalities/{rng.choice(municipalities)[0]}/",
        "locate": lambda: "/api/v1/regions/municipalities/locate/?lat={1}&lng={2}".format(
            *rng.choice(municipalities)
        ),
        "postal-codes/{code}": lambda: f"/api/v1/regions/postal-codes/{rng.choice(postal_codes)}/",
    }
    print(f"{'endpoint':<28} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
    for name, url in endpoints.items():
        for _ in range(10):  # warm-up
            client.get(url())
        samples = []
        for _ in tqdm(range(args.iterations), desc=name, leave=False):
            path = url()
            started = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
        print(
            f"{name:<28} {statistics.median(samples):8.2f} {percentile(samples, 0.95):8.2f} "
            f"{1000 * len(samples) / sum(samples):8.0f}"
        )


if __name__ == "__main__":
    main()
