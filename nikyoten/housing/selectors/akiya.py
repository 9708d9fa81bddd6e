"""Reads for the akiya pipeline: cases (own and shared under consent), owners, campaigns and their statistics."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When

from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.models import Organization
from nikyoten.accounts.principals import organizations_with_role
from nikyoten.housing import outreach
from nikyoten.housing.access import Action, access_akiya_case, access_campaign
from nikyoten.housing.choices import AkiyaEventKind, AkiyaStage, CampaignResponse
from nikyoten.housing.models import (
    AkiyaCase,
    AkiyaCaseEvent,
    Campaign,
    CampaignLetter,
    Listing,
    Owner,
    OwnerConsent,
)


def akiya_organizations(*, actor: Any, minimum: str = MembershipRole.VIEWER) -> QuerySet[Organization]:
    """The organizations whose akiya cases the actor reads (viewer) or writes (editor)."""
    return Organization.objects.filter(
        pk__in=organizations_with_role(actor, minimum), is_active=True
    ).order_by("name")


def _with_own_flag(cases: QuerySet[AkiyaCase], actor: Any) -> QuerySet[AkiyaCase]:
    """`is_own`: the case is the actor's organization's (not only shared with it under a consent)."""
    members = organizations_with_role(actor, MembershipRole.VIEWER)
    return cases.annotate(
        is_own=Case(
            When(organization_id__in=members, then=Value(True)), default=False, output_field=BooleanField()
        )
    )


def akiya_case_list(
    *,
    actor: Any,
    organization_id: int | None = None,
    stage: str | None = None,
    q: str | None = None,
    shared: bool | None = None,
) -> QuerySet[AkiyaCase]:
    """Cases the actor sees, newest change first; `shared=True` only those shared with it under a consent.

    The text search matches the reference and the case's address (substring; owners are not searched, so
    a search never reveals an owner's name).
    """
    cases = _with_own_flag(AkiyaCase.objects.visible_to(actor), actor)
    members = organizations_with_role(actor, MembershipRole.VIEWER)
    if shared is True:
        cases = cases.exclude(organization_id__in=members)
    elif shared is False:
        cases = cases.filter(organization_id__in=members)
    if organization_id is not None:
        cases = cases.filter(organization_id=organization_id)
    if stage:
        cases = cases.filter(stage=stage)
    if q:
        cases = cases.filter(Q(reference__icontains=q) | Q(address__icontains=q))
    # Only the organization's name is shown with each row: joining wider rows would slow the sort.
    return cases.select_related("organization").order_by("-stage_changed_on", "-id")


def akiya_stage_counts(*, actor: Any, organization_id: int | None = None) -> list[tuple[str, str, int]]:
    """(stage, label, number of cases) in pipeline order, over the actor's own organizations' cases."""
    cases = AkiyaCase.objects.filter(
        organization_id__in=organizations_with_role(actor, MembershipRole.VIEWER)
    )
    if organization_id is not None:
        cases = cases.filter(organization_id=organization_id)
    counts = dict(cases.order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n"))
    return [(stage.value, str(stage.label), counts.get(stage.value, 0)) for stage in AkiyaStage]


@dataclass(frozen=True)
class CaseDetail:
    """A case as the actor may see it: an organization member sees everything, a consent holder only the
    address, the stage and the owners who consented to it."""

    case: AkiyaCase
    is_own: bool
    may_edit: bool
    owners: list[Owner]
    events: list[AkiyaCaseEvent]


def akiya_case_get(*, actor: Any, case_id: int | str) -> CaseDetail:
    case = access_akiya_case(actor, case_id, action=Action.VIEW)
    is_own = case.organization_id in organizations_with_role(actor, MembershipRole.VIEWER)
    owners = Owner.objects.visible_to(actor).filter(case=case)
    if is_own:
        owners = owners.prefetch_related(
            Prefetch("consents", queryset=OwnerConsent.objects.select_related("recipient"))
        )
    events = list(case.events.select_related("actor").order_by("-occurred_on", "-id")) if is_own else []
    return CaseDetail(
        case=case,
        is_own=is_own,
        may_edit=case.organization_id in organizations_with_role(actor, MembershipRole.EDITOR),
        owners=list(owners),
        events=events,
    )


def akiya_listing_choices(*, case: AkiyaCase) -> QuerySet[Listing]:
    """Listings the case may be linked to: its organization's, not linked to another case."""
    return (
        Listing.objects.filter(organization_id=case.organization_id)
        .filter(Q(akiya_case__isnull=True) | Q(akiya_case=case))
        .order_by("title")
    )


def support_corporation_choices() -> QuerySet[Organization]:
    """Organizations an owner's consent may name: active 特定居住支援法人."""
    return Organization.objects.filter(kind=OrganizationKind.SUPPORT_CORPORATION, is_active=True).order_by(
        "name"
    )


def owner_list(*, actor: Any) -> QuerySet[Owner]:
    """Owners the actor may see: its organizations' cases', and those who consented to share with it."""
    return Owner.objects.visible_to(actor).select_related("case__organization").order_by("case_id", "id")


def campaign_list(*, actor: Any, organization_id: int | None = None) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.visible_to(actor)
    if organization_id is not None:
        campaigns = campaigns.filter(organization_id=organization_id)
    return (
        campaigns.select_related("organization")
        .annotate(
            letter_count=Count("letters", distinct=True),
            response_count=Count(
                "letters",
                filter=~Q(letters__response__in=[CampaignResponse.PENDING, CampaignResponse.UNDELIVERABLE]),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")
    )


def campaign_get(*, actor: Any, campaign_id: int | str) -> Campaign:
    campaign = access_campaign(actor, campaign_id, action=Action.VIEW)
    return campaign_list(actor=actor).get(pk=campaign.pk)


def campaign_letters(*, campaign: Campaign) -> QuerySet[CampaignLetter]:
    return campaign.letters.select_related("owner", "case").order_by("case__reference", "id")


def campaign_response_rates(*, campaign: Campaign, today: date) -> list[outreach.ResponseRate]:
    """Response rates at 3, 6, 9 and 36 months after sending (empty until the campaign is sent)."""
    if campaign.sent_on is None:
        return []
    outcomes = [
        outreach.LetterOutcome(response=response, responded_on=responded_on)
        for response, responded_on in campaign.letters.values_list("response", "responded_on")
    ]
    return outreach.response_rates(outcomes, sent_on=campaign.sent_on, today=today)


def akiya_conversion(*, actor: Any, organization_id: int | None = None) -> list[outreach.StageConversion]:
    """Conversion by stage over the actor's own organizations' cases, counted by the database in one query.

    A case reached a stage when it is at it or beyond, or a stage change ever took it there or beyond (the rule
    of `outreach.stage_conversion`, whose tests the selector's are checked against).
    """
    cases = AkiyaCase.objects.filter(
        organization_id__in=organizations_with_role(actor, MembershipRole.VIEWER)
    )
    if organization_id is not None:
        cases = cases.filter(organization_id=organization_id)
    counts = cases.aggregate(
        **{
            stage: Count(
                "pk",
                distinct=True,
                filter=Q(stage__in=outreach.PIPELINE[index:])
                | Q(events__kind=AkiyaEventKind.STAGE, events__to_stage__in=outreach.PIPELINE[index:]),
            )
            for index, stage in enumerate(outreach.PIPELINE)
        }
    )
    return outreach.conversion_rows([counts[stage] for stage in outreach.PIPELINE])
