"""Query vocabulary for region profiles, practitioner stories and seekers' matching profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.principals import organizations_with_role

if TYPE_CHECKING:
    from nikyoten.matching.models import MatchingProfile, PractitionerStory, RegionProfile  # noqa: F401

# The organizations that may speak for a municipality: its own office, a council secretariat or a
# designated support corporation there.
PUBLISHER_KINDS = (
    OrganizationKind.MUNICIPALITY,
    OrganizationKind.COUNCIL_SECRETARIAT,
    OrganizationKind.SUPPORT_CORPORATION,
)


class RegionProfileQuerySet(models.QuerySet["RegionProfile"]):
    def published(self) -> RegionProfileQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, actor: Any) -> RegionProfileQuerySet:
        """Published profiles, and the unpublished ones of the actor's organizations."""
        members = organizations_with_role(actor, MembershipRole.VIEWER)
        return self.filter(Q(is_published=True) | Q(organization_id__in=members))

    def editable_by(self, actor: Any) -> RegionProfileQuerySet:
        return self.filter(organization_id__in=organizations_with_role(actor, MembershipRole.EDITOR))


class StoryQuerySet(models.QuerySet["PractitionerStory"]):
    def published(self) -> StoryQuerySet:
        return self.filter(is_published=True, profile__is_published=True)

    def editable_by(self, actor: Any) -> StoryQuerySet:
        return self.filter(profile__organization_id__in=organizations_with_role(actor, MembershipRole.EDITOR))


class MatchingProfileQuerySet(models.QuerySet["MatchingProfile"]):
    def owned_by(self, actor: Any) -> MatchingProfileQuerySet:
        """A signed-in person's own profiles (API clients act for an organization and own none)."""
        user_id = actor.pk if getattr(actor, "is_authenticated", False) and actor.pk else None
        return self.filter(owner_id=user_id)
