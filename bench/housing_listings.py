"""Time the listing CSV import: a valid 100,000-row file, checked (dry run), then checked and written (apply).

Run: `.venv/bin/python bench/housing_listings.py [--rows 100000] [--database-url URL]`. Without a URL it uses a
temporary SQLite file; with one (an empty database of your own, e.g. PostgreSQL) it migrates and loads the
master there first. The file is Shift_JIS, as Excel saves it, for a prefecture-wide organization (高知県), rows
spread over the prefecture's municipalities with their inside points and a mix of kinds, numbers typed with
full-width digits and commas, and 和暦 years.
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603


def generate(rows: int) -> bytes:
    from nikyoten.housing import listing_csv
    from nikyoten.regions.models import Municipality

    places = list(Municipality.objects.municipalities().filter(prefecture_id="39").order_by("code"))
    kinds = [
        ("空き家（賃貸）", "rent"),
        ("空き家（売買）", "sale"),
        ("賃貸", "rent"),
        ("移住支援住宅", "rent"),
        ("中間管理住宅", "rent"),
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=listing_csv.HEADERS, lineterminator="\r\n")
    writer.writeheader()
    for index in range(rows):
        place = places[index % len(places)]
        kind, money = kinds[index % len(kinds)]
        writer.writerow(
            {
                "種別": kind,
                "タイトル": f"ベンチマーク物件{index}",
                "市区町村": place.code if index % 2 else f"高知県{place.name}",
                "所在地": f"高知県{place.gun}{place.name}{index % 50 + 1}番地",
                "説明": "日当たりのよい平屋。庭と倉庫つき。",
                "価格（円）": f"{1_000_000 + index:,}" if money == "sale" else "",
                "賃料（円／月）": f"{17_000 + index % 21_000:,}".translate(_FULL_WIDTH)
                if money == "rent"
                else "",
                "間取り": ["3DK", "4LDK", "５ＤＫ", "2LDK"][index % 4],
                "建築年": "昭和53年" if index % 3 == 0 else str(1950 + index % 70),
                "構造": "木造",
                "駐車場（台）": str(index % 3),
                "農地付き": "あり" if index % 5 == 0 else "なし",
                "緯度": f"{place.inside_lat}",
                "経度": f"{place.inside_lng}",
                "入居期間の上限（月）": "24" if kind == "移住支援住宅" else "",
            }
        )
    return buffer.getvalue().encode("cp932")


_FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def child(rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    from nikyoten.accounts.choices import OrganizationKind
    from nikyoten.accounts.models import User
    from nikyoten.accounts.services import organization_create
    from nikyoten.housing.models import Listing
    from nikyoten.housing.services.listings import listing_import
    from nikyoten.regions.models import Prefecture

    admin = User.objects.create_user("bench-admin@example.jp", "bench-password", is_staff=True)
    organization = organization_create(
        actor=admin,
        name="高知県 移住促進課（ベンチマーク）",
        kind=OrganizationKind.PREFECTURE,
        prefecture=Prefecture.objects.get(code="39"),
    )
    started = time.perf_counter()
    data = generate(rows)
    generated = time.perf_counter() - started

    wall, cpu = time.perf_counter(), time.process_time()
    dry = listing_import(actor=admin, organization_id=organization.pk, data=data, apply=False)
    dry_wall, dry_cpu = time.perf_counter() - wall, time.process_time() - cpu
    if dry.errors:
        sys.exit(f"unexpected problems: {dry.errors[:5]}")

    wall, cpu = time.perf_counter(), time.process_time()
    applied = listing_import(actor=admin, organization_id=organization.pk, data=data, apply=True)
    apply_wall, apply_cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert applied.created == rows == Listing.objects.filter(organization=organization).count()

    print(
        f"{connection.vendor}: {rows:,} rows ({len(data) / 1e6:.1f} MB Shift_JIS, generated in {generated:.1f} s), "
        f"load average {os.getloadavg()[0]:.1f}\n"
        f"  dry run: {dry_wall:.1f} s wall, {dry_cpu:.1f} s CPU of this process\n"
        f"  apply (check again, then write): {apply_wall:.1f} s wall, {apply_cpu:.1f} s CPU of this process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url", help="an empty database of your own (default: a temporary SQLite file)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        # As on a server: DEBUG off (no query log), a throw-away secret.
        env = {
            **os.environ,
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret"),
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_reference_data", "-v0")
        subprocess.run([sys.executable, __file__, "--child", "--rows", str(args.rows)], env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
