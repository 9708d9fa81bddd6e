"""Time importing a prefecture-sized 国土数値情報 P04 file whose points carry no municipality code.

Run: `.venv/bin/python bench/import_ksj.py [--features 20000] [--rounds 3]` — uses a temporary SQLite file (migrated,
master loaded), never your database. Generates random points over 東京都's mainland in the exact P04 format, then
measures per round the whole import from a cold start (JSON decoding and validation, reading the JMA polygons,
point-in-polygon, the insert, the facts of the 62 municipalities recomputed; no progress bar) and, apart,
point-in-polygon alone on a built index. Wall time depends on what else runs on the machine; CPU time of this
process (`time.process_time`) much less, so both are printed.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.TemporaryDirectory()
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

import shapely  # noqa: E402
from django.core.management import call_command  # noqa: E402

from nikyoten.regions import ksj, selectors  # noqa: E402
from nikyoten.regions.services import ksj_import  # noqa: E402

MAINLAND_TOKYO = (138.94, 35.50, 139.92, 35.90)  # west, south, east, north


def p04_file(count: int, seed: int) -> dict:
    """`count` P04 points on 東京都's mainland territory (rejection sampling over its polygons)."""
    rng = random.Random(seed)
    territories = selectors.municipality_territories(
        codes=[
            code for code, _g in selectors.municipality_parts() if code.startswith("13") and code < "13360"
        ]
    )
    tokyo = shapely.union_all(list(territories.values()))
    shapely.prepare(tokyo)
    west, south, east, north = MAINLAND_TOKYO
    features = []
    while len(features) < count:
        lng, lat = rng.uniform(west, east), rng.uniform(south, north)
        if not shapely.contains_xy(tokyo, lng, lat):
            continue
        i = len(features)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "P04_001": rng.choice((1, 2, 2, 2, 3)),
                    "P04_002": f"ベンチ医療機関{i}",
                    "P04_003": f"東京都ベンチ町{i}",
                    "P04_004": "内科",
                    "P04_005": "",
                    "P04_006": "",
                    "P04_007": 5,
                    "P04_008": 0,
                    "P04_009": 9,
                    "P04_010": 9,
                },
                "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
            }
        )
    return {"type": "FeatureCollection", "name": "P04-20_13", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--features", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    text = json.dumps(p04_file(args.features, seed=1), ensure_ascii=False)
    print(f"P04 file: {args.features:,} points, {len(text) / 1e6:.1f} MB of GeoJSON")
    for round_ in range(1, args.rounds + 1):
        selectors._jma_parts.cache_clear()  # a cold start: the JMA polygons are read again, as by a new command
        started, cpu_started = time.perf_counter(), time.process_time()
        parsed = ksj.parse("P04", json.loads(text))
        parsed_at = time.perf_counter()
        report = ksj_import(
            parsed=parsed, edition="2020", source_name=f"P04-20_13-{round_}.geojson", prefectures=["13"]
        )
        imported_at, cpu_s = time.perf_counter(), time.process_time() - cpu_started
        assert report.rows_imported == args.features, report.summary()
        locator = selectors.municipality_locator()
        located_at = time.perf_counter()
        locator.locate([p.lat for p in parsed.points], [p.lng for p in parsed.points])
        locate_s = time.perf_counter() - located_at
        total_s, parse_s, import_s = imported_at - started, parsed_at - started, imported_at - parsed_at
        print(
            f"round {round_}: whole import {args.features / total_s:,.0f} features/s wall, "
            f"{args.features / cpu_s:,.0f} per CPU second ({total_s:.2f} s = "
            f"JSON + validation {parse_s:.2f} s + service {import_s:.2f} s: JMA polygons, point-in-polygon, "
            f"insert, {report.recomputed} municipalities recomputed); "
            f"point-in-polygon alone {args.features / locate_s:,.0f} features/s ({locate_s * 1000:.0f} ms)"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
