"""Access gates for region profiles, stories and matching profiles: missing and forbidden both answer 404."""

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from nikyoten.core.exceptions import NotFound
from nikyoten.matching.models import MatchingProfile, PractitionerStory, RegionProfile


class RegionProfileAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"


def access_region_profile(actor: Any, code: str, *, action: RegionProfileAction) -> RegionProfile:
    """A municipality's profile by its code: published ones for all, unpublished ones for its organization."""
    profiles = (
        RegionProfile.objects.visible_to(actor)
        if action == RegionProfileAction.VIEW
        else RegionProfile.objects.editable_by(actor)
    )
    try:
        return profiles.select_related("municipality__prefecture", "organization").get(municipality_id=code)
    except RegionProfile.DoesNotExist as exc:
        raise NotFound(_("地域の発信が見つかりません。")) from exc


def access_story(actor: Any, story_id: int | str) -> PractitionerStory:
    """A story the actor may edit (editors of the profile's organization)."""
    try:
        return (
            PractitionerStory.objects.editable_by(actor)
            .select_related("profile__municipality__prefecture", "profile__organization")
            .get(pk=int(story_id))
        )
    except (PractitionerStory.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("実践者の声が見つかりません。")) from exc


def access_matching_profile(actor: Any, profile_id: int | str) -> MatchingProfile:
    """The seeker's own profile; anyone else's answers as missing."""
    try:
        return (
            MatchingProfile.objects.owned_by(actor).select_related("base__prefecture").get(pk=int(profile_id))
        )
    except (MatchingProfile.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("保存した条件が見つかりません。")) from exc
