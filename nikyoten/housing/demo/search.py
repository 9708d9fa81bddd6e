"""Generated sample listings for the search (about 2,000, all `is_sample`, titled 【サンプル】), seeded random.

They belong to the demo organizations (accounts.demo) only, in real municipalities each may plausibly serve:
長野県's prefecture-wide akiya bank in 20 Nagano towns, 四万十町's office, 飛騨市's support corporation,
奄美市's NPO on 奄美大島 (3 municipalities), 境町's realtor with its neighbours (4) and 三豊市's council:
30 municipalities. No organization is invented. Every point is checked with `municipality_locate`.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from nikyoten.accounts.models import Organization
from nikyoten.core.exceptions import NotFound
from nikyoten.housing.choices import (
    SALE_KINDS,
    SUBLEASE_KINDS,
    BuildingCondition,
    BuildingStructure,
    InternetAccess,
    ListingKind,
    ListingStatus,
    PetPolicy,
)
from nikyoten.housing.models import Listing
from nikyoten.housing.search import listing_search_text
from nikyoten.regions.models import Municipality
from nikyoten.regions.selectors import municipality_locate

TITLE_PREFIX = "【サンプル】"
COUNT = 2000
SEED = 20261126

# (demo organization name, prefecture, municipalities it lists in, share of the listings)
AREAS: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    (
        "長野県 移住・交流課（サンプル）",
        "長野県",
        (
            "飯山市",
            "木曽町",
            "阿智村",
            "小谷村",
            "大町市",
            "伊那市",
            "駒ヶ根市",
            "茅野市",
            "塩尻市",
            "小布施町",
            "佐久市",
            "上田市",
            "飯田市",
            "安曇野市",
            "信濃町",
            "野沢温泉村",
            "白馬村",
            "富士見町",
            "松川町",
            "南木曽町",
        ),
        55,
    ),
    ("四万十町 にぎわい創出課（サンプル）", "高知県", ("四万十町",), 12),
    ("飛騨くらし支援機構（サンプル）", "岐阜県", ("飛騨市",), 10),
    ("奄美すまいネット（サンプル）", "鹿児島県", ("奄美市", "龍郷町", "大和村"), 8),
    ("さかい不動産（サンプル）", "茨城県", ("境町", "五霞町", "坂東市", "古河市"), 10),
    ("三豊市二地域居住促進協議会 事務局（サンプル）", "香川県", ("三豊市",), 5),
)
KINDS = (
    (ListingKind.AKIYA_SALE, 35),
    (ListingKind.AKIYA_RENT, 25),
    (ListingKind.RENTAL, 15),
    (ListingKind.SHARE_HOUSE, 4),
    (ListingKind.PUBLIC_RENTAL, 8),
    (ListingKind.TRIAL_STAY, 3),
    (ListingKind.RELOCATION_SUPPORT, 5),
    (ListingKind.SUBLEASE, 5),
)
STATUSES = (
    (ListingStatus.OPEN, 80),
    (ListingStatus.NEGOTIATING, 10),
    (ListingStatus.CONTRACTED, 8),
    (ListingStatus.WITHDRAWN, 2),
)
FEATURES = (
    "日当たりの良い",
    "縁側のある",
    "薪ストーブのある",
    "眺めの良い",
    "川沿いの",
    "畑に囲まれた",
    "駅に近い",
    "山あいの",
    "リノベーション済みの",
    "蔵のある",
    "庭の広い",
    "静かな集落の",
)
HOMES = ("古民家", "平屋", "二階建て", "町家", "農家住宅", "一軒家")
PLAN_TYPES = ("K", "DK", "LDK", "SLDK")


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def _point(rng: random.Random, municipality: Municipality) -> tuple[float | None, float | None]:
    """A point near the municipality's inside point that really lies in it (retried, else the point itself)."""
    if municipality.inside_lat is None or municipality.inside_lng is None:
        return None, None
    for _ in range(8):
        lat = municipality.inside_lat + rng.uniform(-0.03, 0.03)
        lng = municipality.inside_lng + rng.uniform(-0.03, 0.03)
        try:
            found = municipality_locate(lat=lat, lng=lng).municipality.code
        except NotFound:  # at sea: try another point
            found = None
        if found == municipality.code:
            return round(lat, 6), round(lng, 6)
    return municipality.inside_lat, municipality.inside_lng


def _sale_price(rng: random.Random) -> int:
    """Many 「0円空き家」-style cheap homes, most under 1,000万円, a few up to 2,500万円."""
    draw = rng.random()
    if draw < 0.12:
        return 0
    if draw < 0.45:
        return rng.randrange(100_000, 1_000_001, 50_000)
    if draw < 0.9:
        return rng.randrange(1_000_000, 10_000_001, 100_000)
    return rng.randrange(10_000_000, 25_000_001, 500_000)


def _listing(rng: random.Random, organization: Organization, municipality: Municipality, n: int) -> Listing:
    kind = _weighted(rng, KINDS)
    area = Decimal(rng.randrange(2500, 25000)) / 100
    rooms = max(1, min(9, int(area // 25)))
    year = rng.randint(1950, 2020)
    lat, lng = _point(rng, municipality)
    now = timezone.now()
    stale = rng.random() < 0.15
    confirmed = now - timedelta(days=rng.randint(100, 400) if stale else rng.randint(0, 80))
    home = rng.choice(HOMES)
    sublease = kind in SUBLEASE_KINDS
    lease_start = date(2024, 4, 1) + timedelta(days=rng.randint(0, 600)) if sublease else None
    listing = Listing(
        organization=organization,
        prefecture=municipality.prefecture,
        municipality=municipality,
        kind=kind,
        status=_weighted(rng, STATUSES),
        title=f"{TITLE_PREFIX}{rng.choice(FEATURES)}{home}（{municipality.name}）",
        description=(
            f"{municipality.name}の{home}です。{year}年築、建物面積は約{area:.0f}m²。"
            "このデータはデモ用に自動で作ったサンプルで、実在の物件ではありません。"
        ),
        sale_price_yen=_sale_price(rng) if kind in SALE_KINDS else None,
        rent_yen=None if kind in SALE_KINDS else rng.randrange(15_000, 90_001, 1_000),
        floor_plan=f"{rooms}{rng.choice(PLAN_TYPES)}",
        building_area_m2=area,
        land_area_m2=Decimal(rng.randrange(5000, 150000)) / 100,
        year_built=year,
        structure=BuildingStructure.WOOD if rng.random() < 0.8 else rng.choice(BuildingStructure.values),
        condition=rng.choice(BuildingCondition.values),
        parking_spaces=rng.randint(0, 3),
        has_farmland=rng.random() < 0.25,
        has_shop=rng.random() < 0.05,
        pets=rng.choice(PetPolicy.values),
        internet=rng.choice(InternetAccess.values),
        address=f"{municipality.prefecture.name}{municipality.name}{rng.randint(1, 3000)}番地",
        latitude=lat,
        longitude=lng,
        max_term_months=rng.choice((24, 60, 144)) if sublease else None,
        master_lease_start=lease_start,
        master_lease_end=lease_start + timedelta(days=365 * 12) if lease_start else None,
        last_confirmed_at=confirmed,
        is_sample=True,
    )
    listing.search_text = listing_search_text(listing)
    return listing


@transaction.atomic
def seed(*, password: str) -> list[str]:
    """Create the sample listings once (idempotent: a second run finds them and does nothing)."""
    if Listing.objects.filter(is_sample=True, title__startswith=TITLE_PREFIX).exists():
        return ["住まいの検索用サンプル物件: 作成済み"]
    rng = random.Random(SEED)  # noqa: S311 — sample data, not secrets
    listings: list[Listing] = []
    total_share = sum(share for *_rest, share in AREAS)
    for name, prefecture, municipality_names, share in AREAS:
        organization = Organization.objects.get(name=name, is_sample=True)
        municipalities = list(
            Municipality.objects.municipalities()
            .select_related("prefecture")
            .filter(prefecture__name=prefecture, name__in=municipality_names)
            .order_by("code")
        )
        for n in range(COUNT * share // total_share):
            listings.append(_listing(rng, organization, municipalities[n % len(municipalities)], n))
    for listing in listings[:: len(listings) // 20]:  # the model's own rules, on a sample of the rows
        listing.full_clean()
    Listing.objects.bulk_create(listings, batch_size=500)
    municipality_count = len({listing.municipality_id for listing in listings})
    return [
        f"住まいの検索用サンプル物件: {len(listings):,} 件（{municipality_count} 市区町村）を作成しました"
    ]
