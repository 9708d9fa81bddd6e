"""Writers for region profiles, practitioner stories and seekers' matching profiles."""

from dataclasses import asdict
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nikyoten.accounts.choices import AuditAction, MembershipRole
from nikyoten.accounts.models import Organization
from nikyoten.accounts.principals import has_role
from nikyoten.accounts.services import audit_record
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.matching.models import MatchingProfile, PractitionerStory, RegionProfile
from nikyoten.matching.querysets import PUBLISHER_KINDS
from nikyoten.matching.selectors import Wishes


class NotPublisher(ApplicationError):
    """The organization may not speak for a municipality, or the actor is not its editor."""

    code = "forbidden"
    status = 403


class ProfileTaken(ApplicationError):
    """Another organization already publishes the municipality's profile."""


@transaction.atomic
def region_profile_save(
    *,
    actor: Any,
    organization: Organization,
    vision: str = "",
    life_stages: list[str] | None = None,
    work_styles: list[str] | None = None,
    skills_wanted: list[str] | None = None,
    living_styles: list[str] | None = None,
    snow: str = "",
    snow_vouched_on: date | None = None,
    car_needed: str = "",
    car_needed_vouched_on: date | None = None,
    fiber: str = "",
    fiber_vouched_on: date | None = None,
    coworking: bool | None = None,
    coworking_vouched_on: date | None = None,
    coordinator: bool | None = None,
    coordinator_vouched_on: date | None = None,
    is_published: bool = False,
    is_sample: bool = False,
) -> RegionProfile:
    """Create or replace what the organization says about its municipality (one profile per municipality)."""
    if (
        organization.kind not in PUBLISHER_KINDS
        or organization.municipality_id is None
        or not organization.is_active
        or not has_role(actor, organization.pk, MembershipRole.EDITOR)
    ):
        raise NotPublisher(
            _(
                "この組織は地域の発信を編集できません（市区町村・協議会事務局・特定居住支援法人の編集者のみ）。"
            )
        )
    profile = (
        RegionProfile.objects.select_for_update().filter(municipality_id=organization.municipality_id).first()
    )
    if profile is None:
        profile = RegionProfile(municipality_id=organization.municipality_id, organization=organization)
    elif profile.organization_id != organization.pk:
        raise ProfileTaken(
            _("この市区町村の発信は別の組織（%(name)s）が管理しています。") % {"name": profile.organization}
        )
    profile.vision = vision
    profile.life_stages = sorted(set(life_stages or []))
    profile.work_styles = sorted(set(work_styles or []))
    profile.skills_wanted = list(dict.fromkeys(tag.strip() for tag in skills_wanted or []))
    profile.living_styles = sorted(set(living_styles or []))
    profile.snow, profile.snow_vouched_on = snow, snow_vouched_on
    profile.car_needed, profile.car_needed_vouched_on = car_needed, car_needed_vouched_on
    profile.fiber, profile.fiber_vouched_on = fiber, fiber_vouched_on
    profile.coworking, profile.coworking_vouched_on = coworking, coworking_vouched_on
    profile.coordinator, profile.coordinator_vouched_on = coordinator, coordinator_vouched_on
    profile.is_published = is_published
    profile.is_sample = is_sample
    profile.full_clean()
    profile.save()
    return profile


def _may_edit(actor: Any, profile: RegionProfile) -> None:
    if not has_role(actor, profile.organization_id, MembershipRole.EDITOR):
        raise NotPublisher(_("この地域の発信を編集する権限がありません。"))


@transaction.atomic
def story_create(
    *,
    actor: Any,
    profile: RegionProfile,
    title: str,
    body: str,
    living_style: str = "",
    is_published: bool = False,
    is_sample: bool = False,
) -> PractitionerStory:
    _may_edit(actor, profile)
    story = PractitionerStory(
        profile=profile,
        title=title,
        body=body,
        living_style=living_style,
        is_published=is_published,
        is_sample=is_sample,
    )
    story.full_clean()
    story.save()
    return story


@transaction.atomic
def story_update(
    *,
    actor: Any,
    story: PractitionerStory,
    title: str,
    body: str,
    living_style: str = "",
    is_published: bool = False,
) -> PractitionerStory:
    _may_edit(actor, story.profile)
    story.title, story.body, story.living_style, story.is_published = title, body, living_style, is_published
    story.full_clean()
    story.save()
    return story


@transaction.atomic
def story_delete(*, actor: Any, story: PractitionerStory) -> None:
    _may_edit(actor, story.profile)
    story.delete()


class NotSignedIn(ApplicationError):
    code = "not_authenticated"
    status = 401


def _wishes_fields(wishes: Wishes) -> dict[str, Any]:
    data = asdict(wishes)
    data["base"] = wishes.base
    data["children_ages"] = list(wishes.children_ages)
    return data


def _audit(actor: Any, profile: MatchingProfile, action: str, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        organization=None,
        action=action,
        entity="matching.matching_profile",
        entity_id=profile.pk,
        changes=changes,
    )


@transaction.atomic
def matching_profile_create(
    *, actor: Any, name: str, wishes: Wishes, is_sample: bool = False
) -> MatchingProfile:
    """Save a seeker's wishes under a name (personal data: audited)."""
    if not getattr(actor, "is_authenticated", False) or not actor.pk:
        raise NotSignedIn(_("条件を保存するにはログインしてください。"))
    profile = MatchingProfile(owner=actor, name=name.strip(), is_sample=is_sample, **_wishes_fields(wishes))
    profile.full_clean()
    profile.save()
    _audit(actor, profile, AuditAction.CREATE, {"name": profile.name})
    return profile


@transaction.atomic
def matching_profile_update(
    *, actor: Any, profile: MatchingProfile, name: str, wishes: Wishes
) -> MatchingProfile:
    """Replace a saved profile's name and wishes (only its owner's: the gate has been passed)."""
    if profile.owner_id != getattr(actor, "pk", None):
        raise NotFound(_("保存した条件が見つかりません。"))
    before = {key: getattr(profile, key) for key in ("name", *_wishes_fields(wishes))}
    profile.name = name.strip()
    for key, value in _wishes_fields(wishes).items():
        setattr(profile, key, value)
    profile.full_clean()
    profile.save()
    changed = sorted(key for key, value in before.items() if getattr(profile, key) != value)
    _audit(actor, profile, AuditAction.UPDATE, {"fields": changed})
    return profile


@transaction.atomic
def matching_profile_delete(*, actor: Any, profile: MatchingProfile) -> None:
    if profile.owner_id != getattr(actor, "pk", None):
        raise NotFound(_("保存した条件が見つかりません。"))
    _audit(actor, profile, AuditAction.DELETE, {"name": profile.name})
    profile.delete()
