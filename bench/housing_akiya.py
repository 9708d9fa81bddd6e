"""Benchmark the akiya pipeline: the pure statistics, the letter files, and the staff pages and API over many cases.

Run: `.venv/bin/python bench/housing_akiya.py [--cases 10000] [--letters 1000] [--iterations 30]` against the
database in DATABASE_URL after `make setup` (reference data and demo accounts). The cases, owners, events and a
campaign are created inside a transaction that is rolled back at the end, so the database is left as it was.
Django's test client: routing, queries, templates and serialisation, no web server.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from nikyoten.accounts.demo import DEMO_DOMAIN  # noqa: E402
from nikyoten.accounts.models import Organization, User  # noqa: E402
from nikyoten.housing import letters, outreach  # noqa: E402
from nikyoten.housing.choices import AkiyaEventKind, AkiyaSource  # noqa: E402
from nikyoten.housing.models import AkiyaCase, AkiyaCaseEvent, Campaign, CampaignLetter, Owner  # noqa: E402
from nikyoten.housing.services import akiya as services  # noqa: E402

EDITOR = f"municipality-editor@{DEMO_DOMAIN}"


class Rollback(Exception):
    """Raised at the end to roll the generated rows back."""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(name: str, run: Callable[[], object], iterations: int) -> None:
    run()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"{name:<46} {statistics.median(samples):>9.1f} {percentile(samples, 0.95):>9.1f}")


def generate(organization: Organization, count: int, rng: random.Random) -> list[Owner]:
    """`count` cases spread over the pipeline, each with one owner and its stage history."""
    today = date.today()
    cases = AkiyaCase.objects.bulk_create(
        AkiyaCase(
            organization=organization,
            municipality=organization.municipality,
            reference=f"BENCH-{n:06d}",
            address=f"ベンチ町{n}番地",
            source=AkiyaSource.SURVEY,
            discovered_on=today - timedelta(days=400),
            stage_changed_on=today - timedelta(days=400),
            stage=outreach.PIPELINE[0],
        )
        for n in range(count)
    )
    events = []
    for case in cases:
        furthest = rng.choice(range(len(outreach.PIPELINE)))
        for stage in outreach.PIPELINE[: furthest + 1]:
            events.append(
                AkiyaCaseEvent(case=case, kind=AkiyaEventKind.STAGE, occurred_on=today, to_stage=stage)
            )
        case.stage = outreach.PIPELINE[furthest]
    AkiyaCase.objects.bulk_update(cases, ["stage"], batch_size=2000)
    AkiyaCaseEvent.objects.bulk_create(events, batch_size=2000)
    return Owner.objects.bulk_create(
        Owner(case=case, name=f"所有者{n}", postal_code="7860000", address=f"高知県高知市{n}番地")
        for n, case in enumerate(cases)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--letters", type=int, default=1_000)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(20261126)
    editor = User.objects.filter(email=EDITOR).first()
    if editor is None:
        sys.exit(
            "デモアカウントがありません。先に `make setup`（または manage.py seed_demo）を実行してください。"
        )
    organization = Organization.objects.get(memberships__user=editor, kind="municipality")

    print(f"{'measure':<46} {'p50 ms':>9} {'p95 ms':>9}")
    histories = [outreach.PIPELINE[: rng.randrange(1, 7)] for _ in range(100_000)]
    timed("stage_conversion, 100,000 cases", lambda: outreach.stage_conversion(histories), args.iterations)
    sent = date(2025, 1, 10)
    outcomes = [
        outreach.LetterOutcome(
            rng.choice(["pending", "interested", "declined"]), sent + timedelta(days=rng.randrange(900))
        )
        for _ in range(10_000)
    ]
    timed(
        "response_rates, 10,000 letters",
        lambda: outreach.response_rates(outcomes, sent_on=sent, today=date(2026, 11, 26)),
        args.iterations,
    )
    rows = [
        letters.Letter(
            f"所有者{n}",
            "7860000",
            f"高知県高知市{n}番地",
            f"ベンチ町{n}番地",
            f"BENCH-{n:06d}",
            "件名",
            "本文\n" * 8,
        )
        for n in range(args.letters)
    ]
    pdf_runs = max(3, args.iterations // 10)
    timed(
        f"letters PDF, {args.letters:,} pages",
        lambda: letters.to_pdf(rows, sender="町", title="t", on=sent),
        pdf_runs,
    )
    timed(f"letters CSV, {args.letters:,} rows", lambda: letters.to_csv(rows, sender="町"), args.iterations)

    try:
        with transaction.atomic():
            started = time.perf_counter()
            owners = generate(organization, args.cases, rng)
            print(
                f"(generated {args.cases:,} cases with owners and events in {time.perf_counter() - started:.1f} s)"
            )
            campaign = Campaign.objects.create(
                organization=organization, title="bench", letter_subject="s", letter_body="{owner_name} 様"
            )
            CampaignLetter.objects.bulk_create(
                CampaignLetter(campaign=campaign, case_id=owner.case_id, owner=owner)
                for owner in owners[: args.letters]
            )
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(editor)
            for name, path in (
                ("page: pipeline overview + case list", "/housing/akiya/"),
                ("page: case list ?stage=renovation", "/housing/akiya/?stage=renovation"),
                ("api: akiya-cases/ (page 1 of 50)", "/api/v1/housing/akiya-cases/"),
                ("api: akiya-cases/?q=ベンチ町999", "/api/v1/housing/akiya-cases/?q=ベンチ町999"),
            ):
                timed(f"{name}, {args.cases:,} cases", partial(client.get, path), args.iterations)
            timed(
                f"service: letters PDF export, {args.letters:,} letters",
                lambda: services.campaign_letters_export(
                    actor=editor, campaign_id=campaign.pk, file_format="pdf"
                ),
                pdf_runs,
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
