"""Reads for matching: region profiles, the seeker's saved profiles, and rankings and comparisons of regions."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import Organization
from nikyoten.accounts.principals import organizations_with_role
from nikyoten.core.exceptions import NotFound
from nikyoten.matching import features, ranking
from nikyoten.matching.access import RegionProfileAction, access_region_profile
from nikyoten.matching.choices import LifeStage
from nikyoten.matching.models import MatchingProfile, PractitionerStory, RegionProfile
from nikyoten.matching.querysets import PUBLISHER_KINDS
from nikyoten.regions.models import Municipality

MAX_COMPARED = 4


def region_profile_get(*, code: str, actor: Any = None) -> RegionProfile:
    """A municipality's published profile (or its organization's draft) with its published stories."""
    profile = access_region_profile(actor, code, action=RegionProfileAction.VIEW)
    stories = PractitionerStory.objects.published().order_by("-created_at")
    return (
        RegionProfile.objects.select_related("municipality__prefecture", "organization")
        .prefetch_related(Prefetch("stories", queryset=stories, to_attr="published_stories"))
        .get(pk=profile.pk)
    )


@dataclass(frozen=True)
class Publisher:
    """An organization that may speak for its municipality, with its profile if it has one."""

    organization: Organization
    profile: RegionProfile | None


def region_profile_manage_list(*, actor: Any) -> list[Publisher]:
    """The organizations the actor edits for that may publish a region profile, and their profiles."""
    organizations = (
        Organization.objects.filter(
            pk__in=organizations_with_role(actor, MembershipRole.EDITOR),
            kind__in=PUBLISHER_KINDS,
            municipality__isnull=False,
            is_active=True,
        )
        .select_related("municipality__prefecture")
        .order_by("municipality_id", "name")
    )
    profiles = {
        p.organization_id: p
        for p in RegionProfile.objects.filter(organization__in=organizations).prefetch_related("stories")
    }
    return [Publisher(organization=o, profile=profiles.get(o.pk)) for o in organizations]


def publisher_get(*, actor: Any, organization_id: int | str) -> Publisher:
    """One of `region_profile_manage_list` (NotFound for any other organization)."""
    for publisher in region_profile_manage_list(actor=actor):
        if str(publisher.organization.pk) == str(organization_id):
            return publisher
    raise NotFound(_("組織が見つかりません。"))


def matching_profile_list(*, actor: Any) -> QuerySet[MatchingProfile]:
    return MatchingProfile.objects.owned_by(actor).select_related("base__prefecture").order_by("name")


@dataclass(frozen=True)
class Wishes:
    """A seeker's profile as read from a form, the API or a saved profile (not necessarily saved)."""

    base: Municipality
    work_style: str
    living_style: str
    adults: int = 1
    has_senior: bool = False
    children_ages: tuple[int, ...] = ()
    trips_per_month: int = 0
    max_distance_km: int | None = None
    max_travel_minutes: int | None = None
    budget_monthly_yen: int | None = None
    weights: dict[str, int] = field(default_factory=dict)

    @property
    def life_stages(self) -> list[str]:
        """Stages that follow from the household: children → 子育て世帯; else one adult → 単身, more → 夫婦."""
        stages: list[str]
        if self.children_ages:
            stages = [LifeStage.CHILD_RAISING]
        else:
            stages = [LifeStage.SINGLE if self.adults == 1 else LifeStage.COUPLE]
        return stages + ([LifeStage.SENIOR] if self.has_senior else [])

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, weights: dict[str, int]) -> "Wishes":
        """From a form's or a serializer's cleaned data (the same field names as `MatchingProfile`)."""
        return cls(
            base=data["base"],
            work_style=data["work_style"],
            living_style=data["living_style"],
            adults=data["adults"],
            has_senior=data["has_senior"],
            children_ages=tuple(data["children_ages"]),
            trips_per_month=data["trips_per_month"],
            max_distance_km=data.get("max_distance_km"),
            max_travel_minutes=data.get("max_travel_minutes"),
            budget_monthly_yen=data.get("budget_monthly_yen"),
            weights=weights,
        )


def _query(wishes: Wishes, version: tuple[Any, ...]) -> tuple[ranking.Features, ranking.Query]:
    matrix = features.features(version)
    weights = {ranking.Factor(k): float(v) for k, v in wishes.weights.items()}
    support = (
        features.support_amounts(
            features.Household(adults=wishes.adults, children_ages=tuple(sorted(wishes.children_ages))),
            version,
        )
        if weights.get(ranking.Factor.SUPPORT)
        else None
    )
    base = wishes.base
    assert base.inside_lat is not None and base.inside_lng is not None  # every master row has one
    query = ranking.Query(
        base_code=base.code,
        base_name_ja=base.name,
        base_name_en=base.name_en,
        base_lat=base.inside_lat,
        base_lng=base.inside_lng,
        weights=weights,
        max_km=wishes.max_distance_km,
        max_minutes=wishes.max_travel_minutes,
        support_yen=support,
        life_stages=ranking.bits(ranking.LIFE_STAGES, wishes.life_stages),
        work_styles=ranking.bits(ranking.WORK_STYLES, [wishes.work_style]),
        living_styles=ranking.bits(ranking.LIVING_STYLES, [wishes.living_style]),
        trips_per_month=wishes.trips_per_month,
    )
    return matrix, query


def region_ranking(*, wishes: Wishes, top: int = 30) -> ranking.Ranking:
    """The `top` municipalities for the wishes, best first, with the reasons (nothing is saved)."""
    matrix, query = _query(wishes, features.data_version())
    return ranking.rank(matrix, query, top=top)


def region_comparison(*, wishes: Wishes, codes: list[str]) -> list[ranking.Result]:
    """Up to four municipalities side by side on the same factors (unknown codes are left out)."""
    matrix, query = _query(wishes, features.data_version())
    return ranking.compare(matrix, query, codes[:MAX_COMPARED])
