"""Reads for support programs: lists, versions, the eligibility check and the two-base cost simulation."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.principals import is_platform_admin, organizations_with_role
from nikyoten.core.exceptions import ApplicationError
from nikyoten.core.i18n import pick
from nikyoten.regions.choices import MunicipalityKind
from nikyoten.regions.models import Municipality
from nikyoten.support import cost, eligibility, facts
from nikyoten.support.models import ProgramVersion, RelocationGrantStatus, RouteFare, SupportProgram
from nikyoten.support.travel_model import Mode
from nikyoten.support.travel_model import RouteFare as RouteFareOverride


def program_list(
    *,
    actor: Any,
    municipality: Municipality | None = None,
    prefecture: str | None = None,
    level: str | None = None,
    category: str | None = None,
    open_now: bool = False,
    on: date | None = None,
) -> QuerySet[SupportProgram]:
    """Programs with their current version prefetched (`current_versions`, at most one)."""
    day = on or timezone.localdate()
    programs = SupportProgram.objects.visible_to(actor).select_related("prefecture", "municipality")
    if municipality is not None:
        programs = programs.applying_to(municipality)
    if prefecture:
        programs = programs.filter(Q(prefecture_id=prefecture) | Q(municipality__prefecture_id=prefecture))
    if level:
        programs = programs.filter(level=level)
    if category:
        programs = programs.filter(category=category)
    current = ProgramVersion.objects.effective_on(day)
    if open_now:
        programs = programs.filter(
            pk__in=current.exclude(budget_status="closed")
            .filter(Q(deadline__isnull=True) | Q(deadline__gte=day))
            .values("program_id")
        )
    return programs.prefetch_related(Prefetch("versions", queryset=current, to_attr="current_versions"))


def program_manage_list(*, actor: Any) -> QuerySet[SupportProgram]:
    """The programs the actor may edit, with the version in force today (`current_versions`) and a count."""
    current = ProgramVersion.objects.effective_on(timezone.localdate())
    return (
        SupportProgram.objects.editable_by(actor)
        .select_related("prefecture", "municipality__prefecture", "organization")
        .annotate(version_count=Count("versions"))
        .prefetch_related(Prefetch("versions", queryset=current, to_attr="current_versions"))
        .order_by("level", "prefecture_id", "municipality_id", "name")
    )


def program_key_choices(*, exclude: SupportProgram | None = None) -> list[tuple[str, str]]:
    """(key, name) of every program, for stacking and "already received" choices."""
    programs = SupportProgram.objects.order_by("name")
    if exclude is not None:
        programs = programs.exclude(pk=exclude.pk)
    return list(programs.values_list("key", "name"))


def route_fare_list(*, actor: Any) -> QuerySet[RouteFare]:
    """Route fares of the organizations the actor edits for (all for platform admins)."""
    fares = RouteFare.objects.select_related(
        "organization", "origin__prefecture", "destination__prefecture"
    ).order_by("organization__name", "origin_id", "destination_id", "mode")
    if is_platform_admin(actor):
        return fares
    return fares.filter(organization_id__in=organizations_with_role(actor, MembershipRole.EDITOR))


def program_versions(*, program: SupportProgram) -> QuerySet[ProgramVersion]:
    return program.versions.order_by("-effective_from")


def route_fare_for(*, origin: Municipality, destination: Municipality, mode: str) -> RouteFare | None:
    """The most recently entered real fare for a route, in either direction."""
    return (
        RouteFare.objects.filter(mode=mode)
        .filter(Q(origin=origin, destination=destination) | Q(origin=destination, destination=origin))
        .order_by("-updated_at")
        .first()
    )


def _base(municipality: Municipality) -> cost.Base:
    assert municipality.inside_lat is not None and municipality.inside_lng is not None
    return cost.Base(
        code=municipality.code,
        name=municipality.name,
        name_en=municipality.name_en,
        lat=municipality.inside_lat,
        lng=municipality.inside_lng,
    )


@dataclass(frozen=True)
class Simulation:
    result: cost.CostResult
    municipality: Municipality
    route_fare: RouteFare | None


def cost_simulation(
    *,
    base_a: Municipality,
    candidates: Sequence[Municipality],
    mode: str,
    trips_per_month: float,
    months: int,
    second_home_rent_monthly: int,
    utilities_monthly: int,
    internet_monthly: int,
    car_monthly: int,
    one_time_costs: int,
    subsidies: dict[str, tuple[cost.Subsidy, ...]] | None = None,
) -> list[Simulation]:
    """Simulate base A with each base-B candidate (the form and the API allow four), with real fares where entered.

    `subsidies` maps a candidate's code to the programs that apply there. Raises cost.CostInputInvalid.
    """
    simulations = []
    for municipality in candidates:
        fare = route_fare_for(origin=base_a, destination=municipality, mode=mode)
        override = (
            RouteFareOverride(
                mode=Mode(mode),
                one_way_yen=fare.one_way_yen,
                monthly_pass_yen=fare.monthly_pass_yen,
                one_way_minutes=fare.one_way_minutes,
                source_ja=fare.source,
                source_en=fare.source,
            )
            if fare
            else None
        )
        cost_input = cost.CostInput(
            base_a=_base(base_a),
            base_b=_base(municipality),
            mode=Mode(mode),
            trips_per_month=trips_per_month,
            months=months,
            second_home_rent_monthly=second_home_rent_monthly,
            utilities_monthly=utilities_monthly,
            internet_monthly=internet_monthly,
            car_monthly=car_monthly,
            one_time_costs=one_time_costs,
            route_fare=override,
            subsidies=(subsidies or {}).get(municipality.code, ()),
        )
        simulations.append(
            Simulation(result=cost.simulate(cost_input), municipality=municipality, route_fare=fare)
        )
    return simulations


TOKYO_AREA_PREFECTURES = frozenset({"11", "12", "13", "14"})  # 東京圏: 埼玉・千葉・東京・神奈川
# 条件不利地域 (過疎・山村・離島 etc.) are never a special ward of Tokyo, a designated city or its ward.
URBAN_KINDS = frozenset(
    {MunicipalityKind.SPECIAL_WARD, MunicipalityKind.DESIGNATED_CITY, MunicipalityKind.WARD}
)


def destination_for(*, municipality: Municipality) -> facts.Destination:
    """What the engine needs to know about a destination; unknown participation stays unknown."""
    return destinations_for(municipalities=[municipality])[municipality.code]


def destinations_for(*, municipalities: Sequence[Municipality]) -> dict[str, facts.Destination]:
    """`destination_for` of many municipalities in one query (a ward falls back on its city's status)."""
    codes = {m.code for m in municipalities} | {m.parent_id for m in municipalities if m.parent_id}
    statuses = {s.municipality_id: s for s in RelocationGrantStatus.objects.filter(municipality_id__in=codes)}
    destinations = {}
    for municipality in municipalities:
        status = statuses.get(municipality.code) or statuses.get(municipality.parent_id or "")
        in_tokyo_area = municipality.prefecture_id in TOKYO_AREA_PREFECTURES
        disadvantaged: bool | None = False
        if in_tokyo_area and municipality.kind not in URBAN_KINDS:
            disadvantaged = status.disadvantaged if status else None
        destinations[municipality.code] = facts.Destination(
            code=municipality.code,
            prefecture_code=municipality.prefecture_id,
            in_tokyo_area=in_tokyo_area,
            disadvantaged=disadvantaged,
            participates_relocation_grant=status.participates if status else None,
        )
    return destinations


@dataclass(frozen=True)
class ProgramResult:
    program: SupportProgram
    version: ProgramVersion
    evaluation: eligibility.Evaluation


@dataclass(frozen=True)
class MunicipalityEligibility:
    municipality: Municipality
    summary: eligibility.Summary
    results: list[ProgramResult]


def programs_in_force(
    *, actor: Any, municipality: Municipality, on: date
) -> list[tuple[SupportProgram, ProgramVersion, eligibility.ProgramRule]]:
    """The state's, the prefecture's and the municipality's programs with their version on `on`, as rules."""
    in_force = []
    for program in program_list(actor=actor, municipality=municipality, on=on):
        current: list[ProgramVersion] = getattr(program, "current_versions", [])  # prefetched by program_list
        if not current:
            continue
        version = current[0]
        in_force.append((program, version, program_rule(program=program, version=version)))
    return in_force


def program_rule(*, program: SupportProgram, version: ProgramVersion) -> eligibility.ProgramRule:
    """A program version as the eligibility engine reads it."""
    return eligibility.ProgramRule.from_dict(
        {
            "key": program.key,
            "name_ja": program.name,
            "name_en": program.name_en or program.name,
            "conditions": version.conditions,
            "benefit": version.benefit,
            "window": version.window,
            "repayment": version.repayment,
            "stacking": version.stacking,
        }
    )


def eligibility_check(
    *, actor: Any, profile: facts.Profile, municipalities: Sequence[Municipality]
) -> list[MunicipalityEligibility]:
    """Every program of the state, the prefecture and the municipality in force on the profile's date, evaluated."""
    checks = []
    for municipality in municipalities:
        in_force = programs_in_force(actor=actor, municipality=municipality, on=profile.evaluation_date)
        summary = eligibility.evaluate_all(
            [rule for _p, _v, rule in in_force], profile, destination_for(municipality=municipality)
        )
        results = [
            ProgramResult(program=program, version=version, evaluation=evaluation)
            for (program, version, _rule), evaluation in zip(in_force, summary.evaluations, strict=True)
        ]
        checks.append(MunicipalityEligibility(municipality=municipality, summary=summary, results=results))
    return checks


def profile_error(errors: list[facts.ProfileError]) -> ApplicationError:
    """The answers cannot be used: every reason, in the user's language, by field."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(error.field, []).append(pick(error.message_ja, error.message_en))
    return ApplicationError(
        " ".join(message for messages in fields.values() for message in messages), fields=fields
    )


def profile_checked(*, data: dict[str, Any]) -> facts.Profile:
    """Answers read and checked; unreadable or impossible ones are refused (ApplicationError, by field)."""
    try:
        profile = facts.profile_from_dict(data)
    except facts.ProfileInputError as exc:
        raise profile_error(exc.errors) from exc
    problems = facts.validate_profile(profile)
    if problems:
        raise profile_error(problems)
    return profile


def profile_for(*, user: Any, answers: dict[str, Any] | None = None, on: date | None = None) -> facts.Profile:
    """A profile from the seeker's saved answers overlaid with `answers` (checked as `profile_checked` does)."""
    saved = (
        user.support_profile.answers
        if getattr(user, "is_authenticated", False) and hasattr(user, "support_profile")
        else {}
    )
    data = {**saved, **(answers or {}), "evaluation_date": (on or timezone.localdate()).isoformat()}
    return profile_checked(data=data)


def cost_subsidies(
    *, user: Any, candidates: Sequence[Municipality], answers: dict[str, Any] | None = None
) -> dict[str, tuple[cost.Subsidy, ...]]:
    """The programs a seeker is eligible for (from saved answers) as the cost simulator's deductions.

    Monthly programs pay from month 1; lump sums in the month their application window opens (month 1 if none).
    Programs that still need answers are not deducted. `answers` are an anonymous seeker's (from the session).
    """
    try:
        profile = profile_for(user=user, answers=answers)
    except ApplicationError:
        return {}
    subsidies: dict[str, tuple[cost.Subsidy, ...]] = {}
    for check in eligibility_check(actor=user, profile=profile, municipalities=candidates):
        items = []
        for result in check.results:
            evaluation = result.evaluation
            if evaluation.verdict != eligibility.Verdict.ELIGIBLE or evaluation.excluded_by:
                continue
            amount = evaluation.amount
            window = evaluation.window
            opens = window.from_months + 1 if window is not None else 1
            if amount.months and amount.monthly_minimum is not None:
                # A monthly amount still depending on unanswered facts counts at its minimum.
                items.append(
                    cost.Subsidy(
                        name_ja=result.program.name,
                        name_en=result.program.name_en or result.program.name,
                        monthly_yen=amount.monthly_minimum,
                        months=amount.months,
                    )
                )
            elif amount.minimum:
                items.append(
                    cost.Subsidy(
                        name_ja=result.program.name,
                        name_en=result.program.name_en or result.program.name,
                        one_time_yen=amount.minimum,
                        one_time_month=opens,
                    )
                )
        subsidies[check.municipality.code] = tuple(items)
    return subsidies


def program_preview(
    *, program: SupportProgram, rule: eligibility.ProgramRule, on: date
) -> eligibility.Evaluation:
    """A rule evaluated for a seeker who has answered nothing: its conditions in words and the questions it asks."""
    destination = (
        destination_for(municipality=program.municipality)
        if program.municipality is not None
        else facts.Destination(code="", prefecture_code=program.prefecture_id or "")
    )
    return eligibility.evaluate(rule, facts.Profile(evaluation_date=on), destination)
