"""Demo akiya pipeline for the sample 四万十町 office: cases at every stage with invented owners, a sent campaign
with responses, and a consent to the sample 特定居住支援法人 (all flagged sample; idempotent)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from nikyoten.accounts.choices import OrganizationKind
from nikyoten.accounts.demo import DEMO_DOMAIN
from nikyoten.accounts.models import Organization, User
from nikyoten.housing.choices import AkiyaSource, AkiyaStage, BuildingCondition, CampaignResponse, ListingKind
from nikyoten.housing.demo.listings import demo_listing
from nikyoten.housing.models import AkiyaCase, Campaign, Listing
from nikyoten.housing.services import akiya as services
from nikyoten.housing.services.listings import ListingInput

EDITOR = f"municipality-editor@{DEMO_DOMAIN}"
CAMPAIGN_TITLE = "空き家活用のご意向うかがい 第1回（サンプル）"
LETTER_SUBJECT = "空き家の活用についてのご意向うかがい（{reference}）"
LETTER_BODY = (
    "{owner_name} 様\n\n"
    "{organization}では、町内の空き家を移住を希望される方の住まいとして活用する取り組みを進めています。\n"
    "{address} の建物について、今後の活用のご意向をお聞かせください。\n"
    "同封の回答票をご返送いただくか、お電話でご連絡ください。\n\n"
    "（サンプルの文書です）"
)
# (title, rent) — sample listings the pipeline's published cases link to; the last stays free for the demo.
LISTINGS = (
    ("（サンプル）十川の古民家 4DK", 25000),
    ("（サンプル）窪川駅近くの平屋 3LDK", 32000),
    ("（サンプル）大正地区の二階建て 5DK", 20000),
)
# (reference, address, source, days ago discovered, stages in order with days ago, owners)
# Owners: (name, kana, postal code, address, is_heir) — invented people at invented addresses.
CASES = (
    ("SAMPLE-001", "高岡郡四万十町十川（サンプル）1-1", AkiyaSource.WATER, 40, (), ()),
    (
        "SAMPLE-002",
        "高岡郡四万十町窪川（サンプル）2-2",
        AkiyaSource.SURVEY,
        300,
        ((AkiyaStage.OWNER_IDENTIFIED, 280),),
        (
            (
                "架空 太郎（サンプル）",
                "カクウ タロウ",
                "7860001",
                "高知県高知市架空町1-2-3（サンプル）",
                False,
            ),
        ),
    ),
    (
        "SAMPLE-003",
        "高岡郡四万十町大正（サンプル）3-3",
        AkiyaSource.RESIDENT,
        320,
        ((AkiyaStage.OWNER_IDENTIFIED, 300),),
        (
            ("見本 花子（サンプル）", "ミホン ハナコ", "1000001", "東京都千代田区見本1-1（サンプル）", False),
            (
                "見本 一郎（サンプル）",
                "ミホン イチロウ",
                "5300001",
                "大阪府大阪市北区見本2-2（サンプル）",
                True,
            ),
        ),
    ),
    (
        "SAMPLE-004",
        "高岡郡四万十町影野（サンプル）4-4",
        AkiyaSource.OWNER,
        360,
        (
            (AkiyaStage.OWNER_IDENTIFIED, 350),
            (AkiyaStage.INTENT_CONFIRMED, 300),
            (AkiyaStage.RENOVATION, 200),
        ),
        (("例示 次郎（サンプル）", "レイジ ジロウ", "7810001", "高知県高知市例示町3-4（サンプル）", False),),
    ),
    (
        "SAMPLE-005",
        "高岡郡四万十町十川（サンプル）5-5",
        AkiyaSource.TAX,
        400,
        ((AkiyaStage.OWNER_IDENTIFIED, 390), (AkiyaStage.INTENT_CONFIRMED, 350), (AkiyaStage.PUBLISHED, 300)),
        (
            (
                "株式会社サンプル不動産管理",
                "カブシキガイシャサンプルフドウサンカンリ",
                "7800001",
                "高知県高知市例町5-6",
                False,
            ),
        ),
    ),
    (
        "SAMPLE-006",
        "高岡郡四万十町窪川（サンプル）6-6",
        AkiyaSource.SURVEY,
        500,
        (
            (AkiyaStage.OWNER_IDENTIFIED, 480),
            (AkiyaStage.INTENT_CONFIRMED, 450),
            (AkiyaStage.PUBLISHED, 400),
            (AkiyaStage.CONTRACTED, 330),
        ),
        (
            (
                "仮名 三郎（サンプル）",
                "カメイ サブロウ",
                "7860002",
                "高知県高岡郡四万十町仮名1-1（サンプル）",
                False,
            ),
        ),
    ),
    (
        "SAMPLE-007",
        "高岡郡四万十町大正（サンプル）7-7",
        AkiyaSource.RESIDENT,
        380,
        ((AkiyaStage.OWNER_IDENTIFIED, 370), (AkiyaStage.INTENT_CONFIRMED, 320), (AkiyaStage.ABANDONED, 250)),
        (("例示 四郎（サンプル）", "レイジ シロウ", "", "", False),),
    ),
    (
        "SAMPLE-008",
        "高岡郡四万十町影野（サンプル）8-8",
        AkiyaSource.SURVEY,
        260,
        ((AkiyaStage.OWNER_IDENTIFIED, 240),),
        (("所在 不明子（サンプル）", "ショザイ フメイコ", "", "", True),),
    ),
)
# (case reference, response, days after sending) — the campaign was sent 200 days ago.
RESPONSES = (
    ("SAMPLE-003", CampaignResponse.UNDECIDED, 40),
    ("SAMPLE-004", CampaignResponse.INTERESTED, 20),
)
SENT_DAYS_AGO = 200


def _listing(admin: User, organization: Organization, title: str, rent: int) -> Listing:
    municipality = organization.municipality
    assert municipality is not None
    return demo_listing(
        admin=admin,
        organization=organization,
        data=ListingInput(
            municipality=municipality,
            kind=ListingKind.AKIYA_RENT,
            title=title,
            description="移住を希望される方向けの空き家です。（サンプルの物件です）",
            rent_yen=rent,
            floor_plan=title.rsplit(" ", 1)[-1],
            address=f"{municipality.prefecture.name}{municipality.name}（サンプル）",
            latitude=municipality.inside_lat,
            longitude=municipality.inside_lng,
            condition=BuildingCondition.MINOR_REPAIR,
        ),
        is_sample=True,
    )


@transaction.atomic
def seed(*, password: str) -> list[str]:
    """Create the sample pipeline once (later runs leave it as it is)."""
    editor = User.objects.get(email=EDITOR)
    organization = Organization.objects.get(
        kind=OrganizationKind.MUNICIPALITY, is_sample=True, memberships__user=editor
    )
    if Campaign.objects.filter(organization=organization, title=CAMPAIGN_TITLE).exists():
        return [
            f"空き家の案件（サンプル）: {AkiyaCase.objects.filter(organization=organization).count()} 件（作成済み）"
        ]
    today = timezone.localdate()
    admin = User.objects.get(email=f"platform-admin@{DEMO_DOMAIN}")
    listings = [_listing(admin, organization, title, rent) for title, rent in LISTINGS]
    free_listings = iter(listings)
    cases = {}
    for reference, address, source, discovered, stages, owners in CASES:
        case = services.akiya_case_create(
            actor=editor,
            organization_id=organization.pk,
            reference=reference,
            address=address,
            source=source,
            discovered_on=today - timedelta(days=discovered),
            notes="サンプルの案件です。",
            is_sample=True,
        )
        for name, kana, postal_code, owner_address, is_heir in owners:
            services.owner_add(
                actor=editor,
                case_id=case.pk,
                name=name,
                name_kana=kana,
                postal_code=postal_code,
                address=owner_address,
                is_heir=is_heir,
                relation="相続人（子）" if is_heir else "",
                email=f"{reference.lower()}@example.jp" if postal_code else "",
                is_sample=True,
            )
        for stage, days_ago in stages:
            services.akiya_case_move(
                actor=editor,
                case_id=case.pk,
                to_stage=stage,
                occurred_on=today - timedelta(days=days_ago),
                listing_id=next(free_listings).pk if stage == AkiyaStage.PUBLISHED else None,
            )
        cases[reference] = case
    campaign, added = services.campaign_create(
        actor=editor,
        organization_id=organization.pk,
        title=CAMPAIGN_TITLE,
        letter_subject=LETTER_SUBJECT,
        letter_body=LETTER_BODY,
        case_ids=[
            cases[reference].pk for reference in ("SAMPLE-002", "SAMPLE-003", "SAMPLE-004", "SAMPLE-008")
        ],
        is_sample=True,
    )
    sent_on = today - timedelta(days=SENT_DAYS_AGO)
    services.campaign_mark_sent(actor=editor, campaign_id=campaign.pk, sent_on=sent_on)
    for reference, response, days in RESPONSES:
        letter = campaign.letters.filter(case=cases[reference]).order_by("id").first()
        assert letter is not None
        services.campaign_letter_respond(
            actor=editor,
            campaign_id=campaign.pk,
            letter_id=letter.pk,
            response=response,
            responded_on=sent_on + timedelta(days=days),
            note="（サンプルの回答）",
        )
    lines = [f"空き家の案件（サンプル）: {len(cases)} 件、働きかけ 1 件（文書 {added.created} 通）"]
    support_corporation = Organization.objects.filter(
        kind=OrganizationKind.SUPPORT_CORPORATION, is_sample=True, is_active=True
    ).first()
    if support_corporation is not None:
        owner = cases["SAMPLE-003"].owners.order_by("id").first()
        assert owner is not None
        services.owner_consent_record(
            actor=editor,
            owner_id=owner.pk,
            recipient_id=support_corporation.pk,
            purpose="空き家の活用に向けた相談・改修の支援（サンプル）",
            consented_on=today - timedelta(days=100),
        )
        lines.append(f"  所有者の同意: {owner.name} → {support_corporation.name}")
    return lines
