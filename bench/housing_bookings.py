"""Benchmark trial-stay booking in-process: a unit with years of confirmed stays, and contended approvals.

Run: `.venv/bin/python bench/housing_bookings.py [--iterations 200] [--stays 2000] [--threads 12]` against the
database in DATABASE_URL, after `make setup` (the municipality master and the demo accounts). It creates its own
organization, unit and bookings, and deletes them at the end.

1. Reads (Django's test client: routing, queries, rendering; no web server): the unit page with its calendar, the
   availability API over 366 days, the iCalendar feed with every confirmed stay, and the price check.
2. Contention: `--threads` threads approve overlapping requests of one unit at once, `--rounds` times; the wall
   time until all have answered, and the check that exactly one was confirmed each round.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_EMAIL_URL"] = "dummymail://"  # the approvals would print their emails

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from nikyoten.accounts.choices import MembershipRole, OrganizationKind  # noqa: E402
from nikyoten.accounts.models import Membership, Organization, User  # noqa: E402
from nikyoten.accounts.principals import roles_of  # noqa: E402
from nikyoten.housing.choices import BookingStatus, ListingKind, StayUnit  # noqa: E402
from nikyoten.housing.models import Booking, Listing, TrialStayUnit  # noqa: E402
from nikyoten.housing.services import bookings as services  # noqa: E402
from nikyoten.regions.models import Municipality  # noqa: E402

NAME = "bench-housing-bookings"


def _world(stays: int) -> tuple[Organization, User, User, TrialStayUnit]:
    shimanto = Municipality.objects.get(code="39412")
    organization = Organization.objects.create(
        name=NAME, kind=OrganizationKind.MUNICIPALITY, prefecture=shimanto.prefecture, municipality=shimanto
    )
    editor = User.objects.create(email=f"editor@{NAME}.example")
    seeker = User.objects.create(email=f"seeker@{NAME}.example")
    Membership.objects.create(user=editor, organization=organization, role=MembershipRole.EDITOR)
    listing = Listing.objects.create(
        organization=organization,
        prefecture=shimanto.prefecture,
        municipality=shimanto,
        kind=ListingKind.TRIAL_STAY,
        title=NAME,
        address=str(shimanto),
        last_confirmed_at=timezone.now(),
    )
    unit = TrialStayUnit.objects.create(
        listing=listing,
        stay_unit=StayUnit.NIGHT,
        min_stay=1,
        max_stay=30,
        price_yen=3000,
        capacity=4,
        max_bookings_per_person=stays + 100,
        lead_time_days=0,
    )
    start = timezone.localdate() - timedelta(days=stays * 2)
    Booking.objects.bulk_create(
        Booking(
            unit=unit,
            seeker=seeker,
            start_date=start + timedelta(days=4 * i),
            end_date=start + timedelta(days=4 * i + 3),
            guests=2,
            status=BookingStatus.CONFIRMED,
        )
        for i in range(stays)
    )
    return organization, editor, seeker, unit


def _time(label: str, call, iterations: int) -> None:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(iterations):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"| {label} | {statistics.median(samples):.2f} | {p95:.2f} | {1000 / statistics.mean(samples):.0f} |"
    )


def _race(editor: User, unit: TrialStayUnit, seeker: User, threads: int, after: int) -> tuple[float, int]:
    start = timezone.localdate() + timedelta(days=after)
    ids = [
        Booking.objects.create(
            unit=unit, seeker=seeker, start_date=start, end_date=start + timedelta(days=5), guests=1
        ).pk
        for _ in range(threads)
    ]
    barrier = threading.Barrier(threads)

    def approve(booking_id: int) -> bool:
        try:
            barrier.wait()
            services.booking_approve(actor=editor, booking_id=booking_id)
            return True
        except services.BookingConflict:
            return False
        finally:
            connection.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        confirmed = sum(pool.map(approve, ids))
    elapsed = (time.perf_counter() - began) * 1000
    Booking.objects.filter(pk__in=ids).delete()
    return elapsed, confirmed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--stays", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    organization, editor, seeker, unit = _world(args.stays)
    try:
        client = Client()
        client.force_login(seeker)
        today = timezone.localdate()
        page = f"/housing/trial-stays/{unit.pk}/"
        availability = (
            f"/api/v1/housing/trial-stays/{unit.pk}/availability/"
            f"?from={today.isoformat()}&to={(today + timedelta(days=366)).isoformat()}"
        )
        feed = f"/housing/trial-stays/{unit.pk}/calendar.ics"
        preview = {
            "start_date": (today + timedelta(days=2)).isoformat(),
            "end_date": (today + timedelta(days=5)).isoformat(),
            "guests": 2,
            "preview": "1",
        }
        print(
            f"{connection.vendor}, {args.stays} confirmed stays on the unit, {args.iterations} iterations\n"
        )
        print("| request | p50 ms | p95 ms | req/s |\n|---|---:|---:|---:|")
        _time("unit page (calendar of this month)", lambda: client.get(page), args.iterations)
        _time("availability API, 366 days", lambda: client.get(availability), args.iterations)
        events = client.get(feed).content.count(b"BEGIN:VEVENT")
        _time(
            f"calendar.ics ({events} events: a year back and ahead)",
            lambda: client.get(feed),
            max(args.iterations // 10, 5),
        )
        _time("price check (POST preview)", lambda: client.post(page, preview), args.iterations)

        roles_of(editor)
        after = 2 * args.stays + 10  # past the last confirmed stay
        rounds = [_race(editor, unit, seeker, args.threads, after) for _ in range(args.rounds)]
        times = sorted(elapsed for elapsed, _ in rounds)
        assert all(confirmed == 1 for _, confirmed in rounds), rounds
        print(
            f"\n{args.threads} concurrent approvals of overlapping requests, {args.rounds} rounds: exactly one "
            f"confirmed each round; all answered in {statistics.median(times):.1f} ms median, {times[-1]:.1f} ms max"
        )
    finally:
        Booking.objects.filter(unit=unit).delete()
        unit.delete()
        Listing.objects.filter(pk=unit.listing_id).delete()
        Membership.objects.filter(organization=organization).delete()
        User.objects.filter(email__endswith=f"@{NAME}.example").delete()
        organization.delete()


if __name__ == "__main__":
    main()
