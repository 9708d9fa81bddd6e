"""Writers for support programs, their versions, seekers' answers and route fares."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nikyoten.accounts.choices import AuditAction, MembershipRole, OrganizationKind
from nikyoten.accounts.models import Organization, User
from nikyoten.accounts.principals import has_role, is_platform_admin
from nikyoten.accounts.services import audit_record
from nikyoten.core.exceptions import ApplicationError
from nikyoten.core.i18n import pick
from nikyoten.regions.models import Municipality, Prefecture
from nikyoten.support import content, eligibility, facts, selectors
from nikyoten.support.access import ProgramAction, access_program
from nikyoten.support.choices import BudgetStatus, ProgramLevel
from nikyoten.support.models import (
    ProgramVersion,
    RelocationGrantStatus,
    RouteFare,
    SeekerProfile,
    SupportProgram,
)
from nikyoten.support.travel_model import Mode


def _may_manage(
    actor: Any,
    *,
    level: str,
    organization: Organization | None,
    municipality: Municipality | None,
    prefecture: Prefecture | None,
) -> bool:
    """National programs are the platform's; others belong to an editor's organization of that place."""
    if is_platform_admin(actor):
        return True
    if (
        level == ProgramLevel.NATIONAL
        or organization is None
        or not has_role(actor, organization.pk, MembershipRole.EDITOR)
    ):
        return False
    if organization.kind == OrganizationKind.PREFECTURE:
        return prefecture is not None and prefecture.pk == organization.prefecture_id
    return municipality is not None and municipality.pk == organization.municipality_id


@transaction.atomic
def program_create(
    *,
    actor: Any,
    key: str,
    name: str,
    level: str,
    category: str,
    name_en: str = "",
    prefecture: Prefecture | None = None,
    municipality: Municipality | None = None,
    organization: Organization | None = None,
    summary: str = "",
    funding_shares: dict[str, str] | None = None,
    is_sample: bool = False,
) -> SupportProgram:
    if municipality is not None:
        prefecture = municipality.prefecture
    if not _may_manage(
        actor, level=level, organization=organization, municipality=municipality, prefecture=prefecture
    ):
        raise ApplicationError(
            _(
                "この支援制度を登録する権限がありません（自分の組織の市区町村・都道府県の制度だけを登録できます）。"
            )
        )
    program = SupportProgram(
        key=key,
        name=name,
        name_en=name_en,
        level=level,
        category=category,
        prefecture=prefecture,
        municipality=municipality,
        organization=organization,
        summary=summary,
        funding_shares=funding_shares or {},
        is_sample=is_sample,
    )
    program.full_clean()
    program.save()
    return program


def rule_check(*, program: SupportProgram, parts: dict[str, Any]) -> eligibility.ProgramRule:
    """The engine's rule for a version's parts; a malformed rule is refused with the engine's message."""
    try:
        return eligibility.ProgramRule.from_dict(
            {"key": program.key, "name_ja": program.name, "name_en": program.name_en or program.name, **parts}
        )
    except eligibility.RuleError as exc:
        raise ApplicationError(
            pick(exc.message_ja, exc.message_en),
            fields={exc.path or "conditions": [pick(exc.message_ja, exc.message_en)]},
        ) from exc


@transaction.atomic
def program_version_create(
    *,
    actor: Any,
    program_id: int,
    effective_from: date,
    conditions: dict[str, Any],
    benefit: dict[str, Any],
    source_url: str,
    last_verified: date,
    effective_to: date | None = None,
    window: dict[str, Any] | None = None,
    repayment: list[dict[str, Any]] | None = None,
    stacking: dict[str, Any] | None = None,
    budget_status: str = BudgetStatus.OPEN,
    deadline: date | None = None,
    notes: str = "",
) -> ProgramVersion:
    """Add a version; an open-ended earlier version ends the day before, so history keeps answering its dates."""
    program = access_program(actor, program_id, action=ProgramAction.EDIT)
    program = SupportProgram.objects.select_for_update().get(pk=program.pk)
    parts = {
        "conditions": conditions,
        "benefit": benefit,
        "window": window or {},
        "repayment": repayment or [],
        "stacking": stacking or {},
    }
    rule = rule_check(program=program, parts=parts)
    normalized = rule.to_dict()
    earlier_open = program.versions.filter(
        effective_to__isnull=True, effective_from__lt=effective_from
    ).first()
    if earlier_open is not None:
        earlier_open.effective_to = effective_from - timedelta(days=1)
        earlier_open.full_clean()
        earlier_open.save(update_fields=["effective_to", "updated_at"])
    end = effective_to or date.max
    overlapping = program.versions.filter(effective_from__lte=end).exclude(effective_to__lt=effective_from)
    if overlapping.exists():
        raise ApplicationError(
            _("適用期間が既存の版（%(start)s〜）と重なっています。")
            % {"start": overlapping.first().effective_from},  # type: ignore[union-attr]
            fields={"effective_from": [_("既存の版と重なっています。")]},
        )
    version = ProgramVersion(
        program=program,
        effective_from=effective_from,
        effective_to=effective_to,
        conditions=normalized["conditions"],
        benefit=normalized["benefit"],
        window=normalized.get("window") or {},
        repayment=normalized.get("repayment") or [],
        stacking=normalized.get("stacking") or {},
        budget_status=budget_status,
        deadline=deadline,
        source_url=source_url,
        last_verified=last_verified,
        notes=notes,
        created_by=actor if isinstance(actor, User) else None,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def program_version_set_budget(
    *, actor: Any, version_id: int, budget_status: str, deadline: date | None
) -> ProgramVersion:
    """Budget status and deadline change during a fiscal year without a new version of the rules."""
    version = ProgramVersion.objects.select_related("program").filter(pk=version_id).first()
    if version is None:
        raise ApplicationError(_("支援制度の版が見つかりません。"))
    access_program(actor, version.program_id, action=ProgramAction.EDIT)
    version.budget_status, version.deadline = budget_status, deadline
    version.full_clean()
    version.save(update_fields=["budget_status", "deadline", "updated_at"])
    return version


@transaction.atomic
def seeker_profile_save(*, user: User, answers: dict[str, Any]) -> SeekerProfile:
    """Keep a seeker's answers (merged with earlier ones) so each question is asked once; audited, values not logged."""
    profile, _created = SeekerProfile.objects.select_for_update().get_or_create(user=user)
    merged = {**profile.answers, **answers}
    merged.pop("evaluation_date", None)
    checked = selectors.profile_checked(data={**merged, "evaluation_date": timezone.localdate().isoformat()})
    changed = sorted(key for key in merged if profile.answers.get(key) != merged[key])
    profile.answers = {
        k: v for k, v in facts.profile_to_dict(checked).items() if v is not None and k != "evaluation_date"
    }
    profile.full_clean()
    profile.save()
    if changed:
        audit_record(
            actor=user,
            organization=None,
            action=AuditAction.UPDATE,
            entity="seeker_profile",
            entity_id=profile.pk,
            changes={"fields": changed},
        )
    return profile


@transaction.atomic
def route_fare_save(
    *,
    actor: Any,
    organization_id: int,
    origin: Municipality,
    destination: Municipality,
    mode: str,
    source: str,
    one_way_yen: int | None = None,
    monthly_pass_yen: int | None = None,
    one_way_minutes: int | None = None,
    is_sample: bool = False,
) -> RouteFare:
    """An organization's real fare for a route (replaces the distance model for that route and mode)."""
    if not (is_platform_admin(actor) or has_role(actor, organization_id, MembershipRole.EDITOR)):
        raise ApplicationError(_("区間運賃を登録する権限がありません。"))
    if mode not in Mode.__members__.values():
        raise ApplicationError(
            _("交通手段が正しくありません。"), fields={"mode": [_("選択肢から選んでください。")]}
        )
    fare = RouteFare.objects.filter(
        organization_id=organization_id, origin=origin, destination=destination, mode=mode
    ).first()
    fare = fare or RouteFare(
        organization_id=organization_id, origin=origin, destination=destination, mode=mode
    )
    fare.one_way_yen, fare.monthly_pass_yen, fare.one_way_minutes = (
        one_way_yen,
        monthly_pass_yen,
        one_way_minutes,
    )
    fare.source, fare.is_sample = source, is_sample
    fare.full_clean()
    fare.save()
    return fare


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


@transaction.atomic
def support_content_load(*, actor: Any) -> int:
    """Load the real, sourced programs of `content.PROGRAMS` (idempotent: existing keys and versions are kept)."""
    created = 0
    for data in content.PROGRAMS:
        municipality = None
        prefecture = None
        if data.get("prefecture"):
            prefecture = Prefecture.objects.get(name=data["prefecture"])
        if data.get("municipality"):
            municipality = Municipality.objects.municipalities().get(
                prefecture=prefecture, name=data["municipality"]
            )
        program = SupportProgram.objects.filter(key=data["key"]).first()
        if program is None:
            categories = data["categories"]
            program = program_create(
                actor=actor,
                key=str(data["key"]),
                name=str(data["name_ja"]),
                name_en=str(data["name_en"]),
                level=str(data["level"]),
                category=str(categories[0]) if isinstance(categories, list) else "",
                prefecture=prefecture,
                municipality=municipality,
                funding_shares=data.get("funding_shares") or {},  # type: ignore[arg-type]
            )
            created += 1
        versions = data["versions"]
        for version in versions if isinstance(versions, list) else []:
            assert isinstance(version, dict)
            start = _date(version["effective_from"])
            assert start is not None
            if program.versions.filter(effective_from=start).exists():
                continue
            program_version_create(
                actor=actor,
                program_id=program.pk,
                effective_from=start,
                effective_to=_date(version.get("effective_to")),
                conditions=version["conditions"],  # type: ignore[arg-type]
                benefit=version["benefit"],  # type: ignore[arg-type]
                window=version.get("window") or {},  # type: ignore[arg-type]
                repayment=version.get("repayment") or [],  # type: ignore[arg-type]
                stacking=version.get("stacking") or {},  # type: ignore[arg-type]
                budget_status=str(version.get("budget_status") or BudgetStatus.OPEN),
                deadline=_date(version.get("deadline")),
                source_url=str(version["source_url"]),
                last_verified=_date(version["last_verified"]) or timezone.localdate(),
                notes=str(version.get("notes_ja") or ""),
            )
    # 小山市 runs the national 移住支援金 (the seed lists it among the city's three programs).
    oyama = Municipality.objects.municipalities().get(prefecture__name="栃木県", name="小山市")
    RelocationGrantStatus.objects.update_or_create(
        municipality=oyama,
        defaults={"participates": True, "source": content.SEED_URL, "as_of": date(2024, 1, 1)},
    )
    return created
