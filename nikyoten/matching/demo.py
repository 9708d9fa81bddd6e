"""The matching app's demo seeder: what the demo organizations' municipalities say about themselves, from the
seed's cases where it says something (all flagged sample; invented details are marked as such), and a saved
profile for the demo seeker (the issue's family). Idempotent."""

from datetime import date
from typing import Any

from django.db import transaction

from nikyoten.accounts.demo import DEMO_DOMAIN, DEMO_ORGANIZATIONS
from nikyoten.accounts.models import Organization, User
from nikyoten.matching import services
from nikyoten.matching.models import MatchingProfile, PractitionerStory
from nikyoten.matching.selectors import Wishes
from nikyoten.regions.models import Municipality

VOUCHED_ON = date(2026, 11, 1)
INVENTED = "（サンプル: 架空の内容です）"

# (organization name, profile fields, story (title, body, living style)) — the organizations of accounts.demo.
PROFILES: tuple[tuple[str, dict[str, Any], tuple[str, str, str]], ...] = (
    (
        "四万十町 にぎわい創出課（サンプル）",
        {
            "vision": (
                "空き家を町が借りて改修し転貸する（サブリース）ことで、お試し滞在住宅（1〜6か月）、移住支援住宅"
                "（最長2年）、中間管理住宅（最長12年）と段階に合った住まいを用意しています。"
            ),
            "life_stages": ["single", "couple", "child_raising"],
            "work_styles": ["telework", "farming", "local_job"],
            "skills_wanted": ["農業", "林業", "建築・改修"],
            "living_styles": ["telework", "local_issue"],
            "fiber": "partial",
            "fiber_vouched_on": VOUCHED_ON,
            "car_needed": "yes",
            "car_needed_vouched_on": VOUCHED_ON,
        },
        (
            "お試し滞在住宅から始めた二拠点生活" + INVENTED,
            "最初の半年はお試し滞在住宅で暮らし、東京の仕事をテレワークで続けました。今は移住支援住宅に住んでいます。",
            "telework",
        ),
    ),
    (
        "飛騨くらし支援機構（サンプル）",
        {
            "vision": (
                "空き家を賃貸住宅にするための改修費の一部を市が負担し、宅建業者と連携した空き家情報サイト"
                "「飛騨市住むとこネット」で住まい探しを支えています。"
            ),
            "life_stages": ["couple", "child_raising"],
            "work_styles": ["telework", "side_job", "startup"],
            "living_styles": ["parallel", "telework", "villa"],
            "snow": "heavy",
            "snow_vouched_on": VOUCHED_ON,
            "coordinator": True,
            "coordinator_vouched_on": VOUCHED_ON,
        },
        (
            "冬の飛騨で暮らしてみて" + INVENTED,
            "雪は多いですが、改修した空き家は暖かく、週末は家族でスキーに出かけます。",
            "parallel",
        ),
    ),
    (
        "三豊市二地域居住促進協議会 事務局（サンプル）",
        {
            "vision": (
                "耕作放棄地の再生や空き家の紹介、人材紹介を通じて、農業と他の仕事を組み合わせた働き方"
                "（瀬戸内ReFarming）を広げています。"
            ),
            "life_stages": ["single", "couple"],
            "work_styles": ["farming", "side_job"],
            "skills_wanted": ["農業", "営業"],
            "living_styles": ["parallel", "local_issue"],
            "coworking": True,
            "coworking_vouched_on": VOUCHED_ON,
        },
        (
            "平日は都市、週末は三豊の畑で" + INVENTED,
            "都市の会社に勤めながら、月に2回、三豊の畑の再生に加わっています。",
            "local_issue",
        ),
    ),
)


@transaction.atomic
def seed(*, password: str) -> list[str]:
    """The demo seeder of matching (see settings.NIKYOTEN_DEMO_SEEDERS); `password` is the accounts seeder's."""
    lines = []
    for organization_name, fields, (title, body, living_style) in PROFILES:
        organization = Organization.objects.get(name=organization_name, is_sample=True)
        editor = User.objects.get(email=f"{_slug(organization)}-editor@{DEMO_DOMAIN}")
        profile = services.region_profile_save(
            actor=editor, organization=organization, is_published=True, is_sample=True, **fields
        )
        if not PractitionerStory.objects.filter(profile=profile, title=title).exists():
            services.story_create(
                actor=editor,
                profile=profile,
                title=title,
                body=body,
                living_style=living_style,
                is_published=True,
                is_sample=True,
            )
        lines.append(f"地域の発信（サンプル）: {profile.municipality.name}")
    seeker = User.objects.get(email=f"seeker@{DEMO_DOMAIN}")
    name = "子育て世帯・新宿へテレワーク（サンプル）"
    if not MatchingProfile.objects.filter(owner=seeker, name=name).exists():
        services.matching_profile_create(
            actor=seeker,
            name=name,
            wishes=Wishes(
                base=Municipality.objects.get(code="13104"),
                work_style="telework",
                living_style="telework",
                adults=2,
                children_ages=(3, 6),
                trips_per_month=8,
                max_distance_km=150,
                weights={"childcare": 5, "low_hazard": 5, "trial_stay": 5, "access": 3, "support": 2},
            ),
            is_sample=True,
        )
    lines.append(f"保存した条件（サンプル）: {seeker.email}「{name}」")
    return lines


def _slug(organization: Organization) -> str:
    """The slug accounts.demo gave the organization's demo users."""
    return next(slug for _kind, slug, name, _p, _m in DEMO_ORGANIZATIONS if name == organization.name)
