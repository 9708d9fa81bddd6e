"""Demo listings: the seed's housing cases as real rows, and two sample listings to show freshness (idempotent).

From the seed (../shared/seed/cases.yaml, MLIT 中間とりまとめ 2024-01): 四万十町's 移住支援住宅 (up to 24 months) and
中間管理住宅 (up to 144 months, leased by the town from the owner and sublet), rents of 17,000–38,000 円/月; 境町's
PFI 地域優良賃貸 for young newly-wed and child-raising households; 奄美市's sublease by NPO法人あまみ空き家ラボ.
Not in the seed, so illustrative and said so in each description: the rent of each home, its floor plan, and
its place (the municipality's name and its inside point stand in for an address). Each goes to the demo
organization of its municipality (accounts.demo); the お試し滞在住宅 is the trial-stay seeder's.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from nikyoten.accounts.demo import DEMO_DOMAIN
from nikyoten.accounts.models import Organization, User
from nikyoten.housing.choices import ListingKind
from nikyoten.housing.models import Listing
from nikyoten.housing.services import listings as services
from nikyoten.regions.models import Municipality

SEED_SOURCE = "出典: 国土交通省 移住・二地域居住等促進専門委員会「中間とりまとめ」（2024年1月）の事例。"
ILLUSTRATIVE = "家賃・間取り・位置は例示です（所在地は市区町村名のみ、地図の位置は市区町村内の代表点）。"

# (municipality code, title, kind, rent, floor plan, max term in months, description, master-lease terms)
SEED_LISTINGS = (
    (
        "39412",
        "移住支援住宅（四万十町）",
        ListingKind.RELOCATION_SUPPORT,
        17000,
        "3DK",
        24,
        "町が空き家を所有者から借りて改修し、移住する人に転貸する住宅です。入居は最長2年間（24か月）。"
        "四万十町の町の住宅の家賃は月17,000〜38,000円です。",
        "町が所有者から借り上げ、改修して転貸（サブリース）。",
    ),
    (
        "39412",
        "中間管理住宅（四万十町）",
        ListingKind.SUBLEASE,
        38000,
        "4DK",
        144,
        "町が所有者から空き家を借り上げて改修し、長く住む人に転貸する住宅です。入居は最長12年間（144か月）。"
        "四万十町の町の住宅の家賃は月17,000〜38,000円です。",
        "町が所有者から借り上げ、改修して転貸（サブリース）。入居期間は最長12年間。",
    ),
    (
        "08546",
        "PFI方式の地域優良賃貸住宅（境町）",
        ListingKind.PUBLIC_RENTAL,
        60000,
        "2LDK",
        None,
        "境町が PFI 方式で整備した、町外から移り住む若い世帯（新婚・子育て世帯）向けの地域優良賃貸住宅です。"
        "この住宅への転入者は累計250人を超え、退去した世帯の約8割が町内に家を建てています。",
        "",
    ),
    (
        "46222",
        "空き家のサブリース住宅（奄美市）",
        ListingKind.SUBLEASE,
        30000,
        "3LDK",
        None,
        "奄美市では NPO法人あまみ空き家ラボ が空き家を所有者から借り上げ、転貸（サブリース）しています。"
        "この掲載はその仕組みを示すもので、掲載組織はデモ用のサンプル組織です。",
        "NPO が所有者から借り上げて転貸（サブリース）。",
    ),
)

# Sample listings (flagged) of 四万十町's demo organization; one backdated to fill the to-confirm list.
SAMPLE_LISTINGS: tuple[tuple[str, str, int | None, int | None, int], ...] = (
    ("（サンプル）山あいの古民家", ListingKind.AKIYA_RENT, 20000, None, 120),
    ("（サンプル）町なかの空き家", ListingKind.AKIYA_SALE, None, 3_000_000, 0),
)


def demo_listing(
    *, admin: User, organization: Organization, data: services.ListingInput, is_sample: bool
) -> Listing:
    """The organization's listing of that title, created through the service the first time (seeders run twice)."""
    return Listing.objects.filter(
        organization=organization, title=data.title
    ).first() or services.listing_create(
        actor=admin, organization_id=organization.pk, data=data, is_sample=is_sample
    )


def _organization(municipality: Municipality) -> Organization | None:
    return Organization.objects.filter(municipality=municipality, is_sample=True).order_by("pk").first()


def _seed_samples(admin: User) -> int:
    """The flagged samples of 四万十町's demo organization, one of them left unconfirmed for months."""
    shimanto = Municipality.objects.select_related("prefecture").get(code="39412")
    organization = _organization(shimanto)
    if organization is None:
        return 0
    created = 0
    for title, kind, rent, price, days_unconfirmed in SAMPLE_LISTINGS:
        if Listing.objects.filter(organization=organization, title=title).exists():
            continue
        listing = services.listing_create(
            actor=admin,
            organization_id=organization.pk,
            data=services.ListingInput(
                municipality=shimanto,
                kind=kind,
                title=title,
                address=shimanto.full_name,
                description="サンプルです。実在の物件ではありません。",
                rent_yen=rent,
                sale_price_yen=price,
                floor_plan="5DK",
                year_built=1978,
                latitude=shimanto.inside_lat,
                longitude=shimanto.inside_lng,
            ),
            is_sample=True,
        )
        if days_unconfirmed:
            # Demo only: a sample left unconfirmed, so the to-confirm list has something to show.
            Listing.objects.filter(pk=listing.pk).update(
                last_confirmed_at=timezone.now() - timedelta(days=days_unconfirmed)
            )
        created += 1
    return created


@transaction.atomic
def seed(*, password: str) -> list[str]:
    """The demo seeder of listings (see settings.NIKYOTEN_DEMO_SEEDERS): what it added, as lines to print."""
    admin = User.objects.get(email=f"platform-admin@{DEMO_DOMAIN}")
    created, missing = 0, []
    for code, title, kind, rent, floor_plan, max_term, description, terms in SEED_LISTINGS:
        municipality = Municipality.objects.select_related("prefecture").get(code=code)
        organization = _organization(municipality)
        if organization is None:
            missing.append(municipality.name)
            continue
        if Listing.objects.filter(organization=organization, title=title).exists():
            continue
        services.listing_create(
            actor=admin,
            organization_id=organization.pk,
            data=services.ListingInput(
                municipality=municipality,
                kind=kind,
                title=title,
                address=municipality.full_name,
                description=f"{description}\n{SEED_SOURCE}\n{ILLUSTRATIVE}",
                rent_yen=rent,
                floor_plan=floor_plan,
                max_term_months=max_term,
                master_lease_terms=terms,
                latitude=municipality.inside_lat,
                longitude=municipality.inside_lng,
            ),
        )
        created += 1
    created += _seed_samples(admin)
    lines = [f"物件（事例とサンプル）: 今回追加 {created} 件"]
    if missing:
        lines.append(f"  デモ組織がないため掲載していない事例: {'、'.join(missing)}")
    return lines
