"""Sample organizations and one demo user per role and organization kind, in real municipalities (all flagged sample)."""

from dataclasses import dataclass

from django.db import transaction

from nikyoten.accounts import services
from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.models import Membership, Organization, User
from nikyoten.core.exceptions import ApplicationError
from nikyoten.regions.models import Municipality, Prefecture

DEMO_DOMAIN = "demo.nikyoten.example"

# (kind, slug, organization name, prefecture, municipality) — municipalities are the seed's cases.
DEMO_ORGANIZATIONS: tuple[tuple[str, str, str, str, str | None], ...] = (
    (
        OrganizationKind.MUNICIPALITY,
        "municipality",
        "四万十町 にぎわい創出課（サンプル）",
        "高知県",
        "四万十町",
    ),
    (OrganizationKind.PREFECTURE, "prefecture", "長野県 移住・交流課（サンプル）", "長野県", None),
    (
        OrganizationKind.SUPPORT_CORPORATION,
        "support-corporation",
        "飛騨くらし支援機構（サンプル）",
        "岐阜県",
        "飛騨市",
    ),
    (OrganizationKind.NPO, "npo", "奄美すまいネット（サンプル）", "鹿児島県", "奄美市"),
    (OrganizationKind.REALTOR, "realtor", "さかい不動産（サンプル）", "茨城県", "境町"),
    (OrganizationKind.COMPANY, "company", "小山テック株式会社（サンプル）", "栃木県", "小山市"),
    (
        OrganizationKind.TRANSPORT_OPERATOR,
        "transport",
        "茅野オンデマンド交通（サンプル）",
        "長野県",
        "茅野市",
    ),
    (OrganizationKind.CHAMBER_OF_COMMERCE, "chamber", "焼津市商工会（サンプル）", "静岡県", "焼津市"),
    (OrganizationKind.AGRICULTURAL_COOPERATIVE, "coop", "小布施町農協（サンプル）", "長野県", "小布施町"),
    (OrganizationKind.COWORKING_OPERATOR, "coworking", "塩尻コワーキング（サンプル）", "長野県", "塩尻市"),
    (
        OrganizationKind.COUNCIL_SECRETARIAT,
        "council",
        "三豊市二地域居住促進協議会 事務局（サンプル）",
        "香川県",
        "三豊市",
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    description: str


def _user(*, email: str, password: str, display_name: str, is_staff: bool = False) -> User:
    user = User.objects.filter(email=email).first() or User(email=email)
    user.display_name, user.is_sample = display_name, True
    user.is_staff = user.is_superuser = is_staff
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def demo_accounts_seed(*, password: str) -> list[DemoLogin]:
    """Create or refresh the demo accounts (idempotent); returns the logins to print."""
    platform_admin = _user(
        email=f"platform-admin@{DEMO_DOMAIN}",
        password=password,
        display_name="運営管理者（サンプル）",
        is_staff=True,
    )
    seeker = _user(email=f"seeker@{DEMO_DOMAIN}", password=password, display_name="移住希望者（サンプル）")
    logins = [
        DemoLogin(platform_admin.email, "運営管理者（組織の作成・管理画面 /admin/）"),
        DemoLogin(seeker.email, "移住・二地域居住の希望者（組織に所属しない）"),
    ]
    for kind, slug, name, prefecture_name, municipality_name in DEMO_ORGANIZATIONS:
        prefecture = Prefecture.objects.get(name=prefecture_name)
        municipality = (
            Municipality.objects.municipalities().get(prefecture=prefecture, name=municipality_name)
            if municipality_name
            else None
        )
        organization = Organization.objects.filter(
            name=name, is_sample=True
        ).first() or services.organization_create(
            actor=platform_admin,
            name=name,
            kind=kind,
            prefecture=prefecture,
            municipality=municipality,
            is_sample=True,
        )
        for role in MembershipRole:
            user = _user(
                email=f"{slug}-{role.value}@{DEMO_DOMAIN}",
                password=password,
                display_name=f"{name} {role.label}",
            )
            if not Membership.objects.filter(user=user, organization=organization).exists():
                services.membership_add(actor=platform_admin, organization=organization, user=user, role=role)
            logins.append(DemoLogin(user.email, f"{name}・{role.label}"))
    return logins


def seed(*, password: str) -> list[str]:
    """The demo seeder of accounts (see settings.NIKYOTEN_DEMO_SEEDERS): the logins, as lines to print."""
    if not Municipality.objects.exists():
        raise ApplicationError(
            "市区町村マスタが空です。先に `manage.py load_reference_data` を実行してください。"
        )
    logins = demo_accounts_seed(password=password)
    return [
        f"デモアカウント {len(logins)} 件（パスワードはすべて「{password}」）:",
        *(f"  {login.email:<48} {login.description}" for login in logins),
    ]
