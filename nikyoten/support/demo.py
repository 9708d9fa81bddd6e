"""The support app's demo seeder: the real, sourced programs of the seed, plus a few sample programs (flagged)."""

from datetime import date

from django.db import transaction

from nikyoten.accounts.demo import DEMO_DOMAIN
from nikyoten.accounts.models import Organization, User
from nikyoten.regions.models import Municipality
from nikyoten.support import services
from nikyoten.support.choices import ProgramCategory, ProgramLevel
from nikyoten.support.models import SupportProgram
from nikyoten.support.travel_model import Mode

SAMPLE_SOURCE = "https://nikyoten.example/sample"
SAMPLE_NOTE = "サンプルです。実在の制度ではありません。"

# (key, name, category, prefecture, municipality, conditions, benefit) — invented, flagged sample.
SAMPLE_PROGRAMS = (
    (
        "sample-chino-rent",
        "（サンプル）移住者向け家賃補助",
        ProgramCategory.RENT,
        "長野県",
        "茅野市",
        {
            "all": [
                {"fact": "housing.acquisition", "op": "eq", "value": "rent"},
                {"fact": "stay.intention_years", "op": "gte", "value": 3},
            ]
        },
        {
            "kind": "monthly",
            "monthly_cap": 20000,
            "months": 24,
            "cost_fact": "housing.monthly_rent",
            "rate": 0.5,
        },
    ),
    (
        "sample-shiojiri-moving",
        "（サンプル）引越し費用補助",
        ProgramCategory.MOVING,
        "長野県",
        "塩尻市",
        {"all": [{"fact": "origin.last_area", "op": "in", "value": ["tokyo23", "tokyo_area"]}]},
        {"kind": "fixed", "amount": 100000},
    ),
    (
        "sample-mitoyo-families",
        "（サンプル）子育て世帯移住応援金",
        ProgramCategory.CHILDCARE,
        "香川県",
        "三豊市",
        {"all": [{"fact": "household.children_under_18", "op": "gte", "value": 1}]},
        {"kind": "fixed", "amount": 200000},
    ),
)


@transaction.atomic
def seed(*, password: str) -> list[str]:
    """Load the real programs, then the samples and a sample route fare (idempotent)."""
    admin = User.objects.get(email=f"platform-admin@{DEMO_DOMAIN}")
    created = services.support_content_load(actor=admin)
    for key, name, category, prefecture, municipality_name, conditions, benefit in SAMPLE_PROGRAMS:
        if SupportProgram.objects.filter(key=key).exists():
            continue
        municipality = Municipality.objects.municipalities().get(
            prefecture__name=prefecture, name=municipality_name
        )
        program = services.program_create(
            actor=admin,
            key=key,
            name=name,
            level=ProgramLevel.MUNICIPALITY,
            category=category,
            municipality=municipality,
            organization=Organization.objects.filter(municipality=municipality, is_sample=True).first(),
            summary=SAMPLE_NOTE,
            is_sample=True,
        )
        services.program_version_create(
            actor=admin,
            program_id=program.pk,
            effective_from=date(2025, 4, 1),
            conditions=conditions,
            benefit=benefit,
            source_url=SAMPLE_SOURCE,
            last_verified=date(2026, 11, 26),
            notes=SAMPLE_NOTE,
        )
        created += 1
    oyama = Municipality.objects.municipalities().get(prefecture__name="栃木県", name="小山市")
    chiyoda = Municipality.objects.get(code="13101")
    company = Organization.objects.get(municipality=oyama, is_sample=True)
    services.route_fare_save(
        actor=admin,
        organization_id=company.pk,
        origin=oyama,
        destination=chiyoda,
        mode=Mode.SHINKANSEN,
        monthly_pass_yen=90000,
        one_way_yen=4000,
        one_way_minutes=50,
        source="サンプル（実際の運賃ではありません）",
        is_sample=True,
    )
    return [
        f"支援制度: {SupportProgram.objects.count()} 件（今回追加 {created} 件、うちサンプル {SupportProgram.objects.filter(is_sample=True).count()} 件）"
    ]
