"""Trial-stay demo content: 四万十町's お試し滞在住宅 from the seed as a real row, sample units and bookings.

The listings are created with the Listing model (the listings services may take this over). Idempotent: a
listing is found again by its organization and title, and a demo seeker's sample bookings are made once.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from nikyoten.accounts.choices import OrganizationKind
from nikyoten.accounts.demo import DEMO_DOMAIN
from nikyoten.accounts.models import Organization, User
from nikyoten.core.dates import add_months
from nikyoten.housing.choices import BookingStatus, ListingKind, StayUnit
from nikyoten.housing.demo.listings import demo_listing
from nikyoten.housing.models import Booking, Listing, TrialStayUnit
from nikyoten.housing.services import bookings as services
from nikyoten.housing.services.listings import ListingInput
from nikyoten.regions.models import Municipality

SHIMANTO_DESCRIPTION = (
    "四万十町が空き家を改修し、所有者から借りて転貸している住宅のうち、移住を考える人が1〜6か月暮らしてみられる"
    "お試し滞在住宅です（四万十町の事例より）。町の住宅の家賃は月17,000〜38,000円で、ここでの月額はその範囲で"
    "設定しています。正確な場所と料金は町の窓口にお問い合わせください。"
)
SAMPLE_NOTE = "サンプルです。実在の住宅ではありません。"

# (prefecture, municipality, the demo organization's kind there, title, kind, stay unit, min, max, price,
#  capacity, lead days, house rules) — invented, flagged sample, in seed-case municipalities.
SAMPLE_UNITS = (
    (
        "長野県",
        "小布施町",
        OrganizationKind.AGRICULTURAL_COOPERATIVE,
        "（サンプル）農業体験の家",
        ListingKind.TRIAL_STAY,
        StayUnit.NIGHT,
        7,
        30,
        2500,
        5,
        14,
        "収穫体験の日程は農協の窓口で相談してください。寝具は備え付けです。",
    ),
    (
        "岐阜県",
        "飛騨市",
        OrganizationKind.SUPPORT_CORPORATION,
        "（サンプル）飛騨の町家 お試し住宅",
        ListingKind.TRIAL_STAY,
        StayUnit.NIGHT,
        2,
        14,
        3000,
        4,
        7,
        "冬は凍結防止のため水抜きをしてください。",
    ),
    (
        "鹿児島県",
        "奄美市",
        OrganizationKind.NPO,
        "（サンプル）奄美の平屋 移住支援住宅",
        ListingKind.RELOCATION_SUPPORT,
        StayUnit.MONTH,
        1,
        3,
        25000,
        4,
        14,
        "台風の接近時は雨戸を閉めてください。",
    ),
)


def _listing(
    *,
    admin: User,
    organization: Organization,
    municipality: Municipality,
    title: str,
    kind: str,
    description: str,
    rent_yen: int | None,
    is_sample: bool,
) -> Listing:
    data = ListingInput(
        municipality=municipality,
        kind=kind,
        title=title,
        description=description,
        rent_yen=rent_yen,
        address=municipality.full_name,
        latitude=municipality.inside_lat,
        longitude=municipality.inside_lng,
    )
    return demo_listing(admin=admin, organization=organization, data=data, is_sample=is_sample)


def _sample_booking(*, seeker: User, unit: TrialStayUnit, days_ahead: int, length: int) -> Booking | None:
    """One request by the demo seeker, once (a later run finds it and adds nothing)."""
    if Booking.objects.filter(unit=unit, seeker=seeker).exists():
        return None
    start = timezone.localdate() + timedelta(days=days_ahead)
    end = start + timedelta(days=length) if unit.stay_unit == StayUnit.NIGHT else add_months(start, length)
    return services.booking_request(
        actor=seeker, unit_id=unit.pk, start_date=start, end_date=end, guests=2, message=SAMPLE_NOTE
    )


@transaction.atomic
def seed(*, password: str) -> list[str]:
    """The demo seeder of trial stays (see settings.NIKYOTEN_DEMO_SEEDERS).

    The sample bookings go through the services, so their notifications go out to the demo accounts'
    reserved `.example` addresses (the console in development).
    """
    admin = User.objects.get(email=f"platform-admin@{DEMO_DOMAIN}")
    shimanto = Municipality.objects.get(code="39412")
    shimanto_office = Organization.objects.get(municipality=shimanto, is_sample=True)
    listing = _listing(
        admin=admin,
        organization=shimanto_office,
        municipality=shimanto,
        title="四万十町 お試し滞在住宅",
        kind=ListingKind.TRIAL_STAY,
        description=SHIMANTO_DESCRIPTION,
        rent_yen=30000,
        is_sample=False,
    )
    services.trial_stay_unit_save(
        actor=admin,
        listing_id=listing.pk,
        stay_unit=StayUnit.MONTH,
        min_stay=1,
        max_stay=6,
        price_yen=30000,
        capacity=4,
        lead_time_days=7,
        house_rules="町の移住相談窓口で鍵を受け取ってください。ゴミは町の分別ルールに従って出してください。",
    )
    sample_units = []
    for (
        prefecture,
        name,
        organization_kind,
        title,
        kind,
        stay_unit,
        min_stay,
        max_stay,
        price,
        capacity,
        lead_days,
        rules,
    ) in SAMPLE_UNITS:
        municipality = Municipality.objects.municipalities().get(prefecture__name=prefecture, name=name)
        organization = Organization.objects.get(
            municipality=municipality, kind=organization_kind, is_sample=True
        )
        sample_listing = _listing(
            admin=admin,
            organization=organization,
            municipality=municipality,
            title=title,
            kind=kind,
            description=SAMPLE_NOTE,
            rent_yen=price if stay_unit == StayUnit.MONTH else None,
            is_sample=True,
        )
        sample_units.append(
            services.trial_stay_unit_save(
                actor=admin,
                listing_id=sample_listing.pk,
                stay_unit=stay_unit,
                min_stay=min_stay,
                max_stay=max_stay,
                price_yen=price,
                capacity=capacity,
                lead_time_days=lead_days,
                house_rules=rules,
            )
        )
    seeker = User.objects.get(email=f"seeker@{DEMO_DOMAIN}")
    obuse, hida, _amami = sample_units
    _sample_booking(seeker=seeker, unit=obuse, days_ahead=45, length=10)
    hida_stay = _sample_booking(seeker=seeker, unit=hida, days_ahead=20, length=3)
    if hida_stay is not None:
        hida_editor = User.objects.get(email=f"support-corporation-editor@{DEMO_DOMAIN}")
        services.booking_approve(actor=hida_editor, booking_id=hida_stay.pk, note=SAMPLE_NOTE)
    units = TrialStayUnit.objects.count()
    confirmed = Booking.objects.filter(status=BookingStatus.CONFIRMED).count()
    return [f"お試し住宅: {units} 件（予約 {Booking.objects.count()} 件、うち確定 {confirmed} 件）"]
