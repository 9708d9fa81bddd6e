"""Benchmark the listing search on 1,000,000 listings: p50 / p95 of three typical searches, with their plans.

Run (SQLite): `.venv/bin/python bench/housing_search.py` — a separate file, /tmp/nikyoten-bench-housing.sqlite3.
Run (PostgreSQL): `DATABASE_URL=postgres://postgres@127.0.0.1:5432/nikyoten_bench_housing .venv/bin/python
bench/housing_search.py` (the database is created by `createdb` or exists). The first run migrates, loads the
municipality master and generates the listings (deterministic: seeded random, raw `executemany`); later runs
reuse them. Each search is timed as the search page runs it: the count (capped at 1,000), the first page's 20 ids,
then those listings with their related rows (prefecture, municipality, organization, trial stay, photos). The
plans printed are those of the page's ids query.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/nikyoten-bench-housing.sqlite3")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402

from nikyoten.accounts.choices import OrganizationKind  # noqa: E402
from nikyoten.accounts.models import Organization  # noqa: E402
from nikyoten.core.text import search_key  # noqa: E402
from nikyoten.housing.choices import (  # noqa: E402
    BuildingCondition,
    BuildingStructure,
    InternetAccess,
    ListingKind,
    ListingStatus,
    PetPolicy,
)
from nikyoten.housing.models import Listing  # noqa: E402
from nikyoten.housing.selectors.search import listing_search  # noqa: E402
from nikyoten.housing.views.search import PAGE_SIZE, CappedPaginator  # noqa: E402
from nikyoten.regions import reference_data  # noqa: E402
from nikyoten.regions.models import Municipality  # noqa: E402
from nikyoten.regions.services import reference_data_load  # noqa: E402

FEATURES = (
    "古民家",
    "平屋",
    "海が見える",
    "薪ストーブ",
    "リノベーション済み",
    "山あいの",
    "駅まで徒歩",
    "温泉付き",
)
EXTRAS = ("畑付き", "縁側のある", "広い庭", "日当たり良好", "蔵付き", "川沿いの", "眺望良好", "車庫付き")
KEYWORDS = ("古民家", "薪ストーブ", "海が見える", "縁側の", "日当たり", "川沿い", "リノベ", "温泉付")
KINDS = [k.value for k in ListingKind]
SALE = ListingKind.AKIYA_SALE.value
STATUSES = [ListingStatus.OPEN] * 70 + [ListingStatus.NEGOTIATING] * 12 + [ListingStatus.CONTRACTED] * 12
STATUSES += [ListingStatus.WITHDRAWN] * 6
PLANS = ("1K", "1DK", "2DK", "2LDK", "3DK", "3LDK", "4DK", "4LDK", "5DK", "5LDK", "6DK", "ワンルーム")
BATCH = 10_000


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def prepare(count: int) -> list[Municipality]:
    call_command("migrate", verbosity=0)
    if not Municipality.objects.exists():
        reference_data_load(data=reference_data.build())
    municipalities = list(
        Municipality.objects.municipalities().filter(inside_lat__isnull=False).select_related("prefecture")
    )
    have = Listing.objects.count()
    if have < count:
        generate(count - have, start=have, municipalities=municipalities)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE housing_listing")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return municipalities


def generate(count: int, *, start: int, municipalities: list[Municipality]) -> None:
    rng = random.Random(20261126 + start)
    organization = Organization.objects.filter(
        name="ベンチマーク用組織"
    ).first() or Organization.objects.create(
        name="ベンチマーク用組織",
        kind=OrganizationKind.MUNICIPALITY,
        prefecture_id="39",
        municipality_id="39412",
    )
    fields = [f for f in Listing._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO housing_listing ({columns}) VALUES ({placeholders})"  # noqa: S608 — column names
    now = datetime.now(UTC)
    naive = connection.vendor == "sqlite"
    started = time.perf_counter()
    for offset in range(0, count, BATCH):
        rows = []
        for _ in range(min(BATCH, count - offset)):
            m = rng.choice(municipalities)
            kind = rng.choice(KINDS)
            title = f"{m.name}の{rng.choice(FEATURES)}{rng.choice(EXTRAS)}{rng.choice(PLANS)}"
            description = f"{rng.choice(EXTRAS)}。{rng.choice(FEATURES)}の住まいです。"
            address = f"{m.prefecture.name}{m.name}{rng.randint(1, 30)}-{rng.randint(1, 30)}"
            updated = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            created = updated - timedelta(days=rng.randint(0, 400))
            confirmed = updated - timedelta(days=rng.randint(0, 200))
            if naive:
                updated, created, confirmed = (d.replace(tzinfo=None) for d in (updated, created, confirmed))
            values = {
                "created_at": created,
                "updated_at": updated,
                "is_sample": True,
                "organization_id": organization.pk,
                "prefecture_id": m.prefecture_id,
                "municipality_id": m.code,
                "kind": kind,
                "status": rng.choice(STATUSES),
                "title": title,
                "description": description,
                "sale_price_yen": rng.randrange(0, 25_000_001, 10_000) if kind == SALE else None,
                "rent_yen": None if kind == SALE else rng.randrange(15_000, 90_001, 500),
                "floor_plan": rng.choice(PLANS),
                "building_area_m2": round(rng.uniform(25, 250), 2),
                "land_area_m2": round(rng.uniform(50, 1500), 2),
                "year_built": rng.randint(1950, 2020),
                "structure": rng.choice(BuildingStructure.values),
                "condition": rng.choice(BuildingCondition.values),
                "renovation_notes": "",
                "parking_spaces": rng.randint(0, 3),
                "has_farmland": rng.random() < 0.2,
                "has_shop": rng.random() < 0.05,
                "pets": rng.choice(PetPolicy.values),
                "internet": rng.choice(InternetAccess.values),
                "heating_notes": "",
                "snow_notes": "",
                "postal_code": "",
                "address": address,
                "latitude": m.inside_lat + rng.uniform(-0.03, 0.03),
                "longitude": m.inside_lng + rng.uniform(-0.03, 0.03),
                "max_term_months": None,
                "master_lease_start": None,
                "master_lease_end": None,
                "master_lease_terms": "",
                "last_confirmed_at": confirmed,
                "search_text": search_key(
                    " ".join((title, description, address, m.prefecture.name, m.name, m.kana))
                ),
            }
            rows.append([values[f.attname] for f in fields])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        done = offset + len(rows)
        rate = done / (time.perf_counter() - started)
        print(f"  {start + done:>9,} listings ({rate:,.0f}/s)", file=sys.stderr, flush=True)


def searches(rng: random.Random, municipalities: list[Municipality]) -> dict[str, dict[str, str]]:
    m = rng.choice(municipalities)
    if rng.random() < 0.5:
        kind, low = SALE, rng.randrange(0, 10_000_001, 500_000)
        price = {
            "sale_price_min": str(low),
            "sale_price_max": str(low + rng.randrange(2_000_000, 15_000_001, 1_000_000)),
        }
    else:
        kind, low = rng.choice([k for k in KINDS if k != SALE]), rng.randrange(15_000, 60_001, 5_000)
        price = {"rent_min": str(low), "rent_max": str(low + rng.randrange(10_000, 40_001, 5_000))}
    half = rng.uniform(0.05, 0.3)
    lat, lng = m.inside_lat + rng.uniform(-0.05, 0.05), m.inside_lng + rng.uniform(-0.05, 0.05)
    return {
        "prefecture + kind + price + keyword": {
            "prefecture": m.prefecture_id,
            "kind": kind,
            **price,
            "q": rng.choice(KEYWORDS),
        },
        "map bounding box": {"bbox": f"{lat - half:.4f},{lng - half:.4f},{lat + half:.4f},{lng + half:.4f}"},
        "sort by updated (first page)": {
            "sort": "updated",
            **({"kind": rng.choice(KINDS)} if rng.random() < 0.5 else {}),
        },
    }


def run_page(params: dict[str, str]) -> None:
    """What the search page does: the search, the (capped) count and the first page with its related rows."""
    query = QueryDict(mutable=True)
    query.update(params)
    listings = listing_search(actor=AnonymousUser(), params=query)
    list(CappedPaginator(listings, PAGE_SIZE).get_page(1).object_list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    municipalities = prepare(args.listings)
    print(f"listings: {Listing.objects.count():,}")
    rng = random.Random(7)
    samples: dict[str, list[float]] = {}
    plans: dict[str, str] = {}
    for run in range(args.runs + 5):
        for name, params in searches(rng, municipalities).items():
            started = time.perf_counter()
            run_page(params)
            elapsed = (time.perf_counter() - started) * 1000
            if run >= 5:  # the first five warm the caches
                samples.setdefault(name, []).append(elapsed)
            if name not in plans:
                query = QueryDict(mutable=True)
                query.update(params)
                listings = listing_search(actor=AnonymousUser(), params=query)
                page_ids = listings.values_list("pk", flat=True)[:PAGE_SIZE]  # the page's first query
                plans[name] = f"params: {params}\n{page_ids.explain()}"
    print(
        f"\n{'search':<38} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  (runs: {args.runs}, capped count + first page)"
    )
    for name, values in samples.items():
        print(
            f"{name:<38} {statistics.median(values):>8.1f} {percentile(values, 0.95):>8.1f} {max(values):>8.1f}"
        )
    for name, plan in plans.items():
        print(f"\n--- {name}\n{plan}")


if __name__ == "__main__":
    main()
