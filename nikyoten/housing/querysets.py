"""Query vocabulary for housing: who sees and edits listings, akiya cases, owners, bookings and inquiries.

Personal data (owners, bookings, inquiries) is visible only to whom it concerns: the seeker, the members of
the organization concerned, and for owners an organization holding the owner's unrevoked consent. Platform
admins get no exception here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.principals import is_platform_admin, organizations_with_role
from nikyoten.housing.choices import PUBLIC_STATUSES, BookingStatus

if TYPE_CHECKING:
    from nikyoten.housing.models import (  # noqa: F401
        AkiyaCase,
        Booking,
        Campaign,
        Inquiry,
        Listing,
        Owner,
        SavedSearch,
        TrialStayUnit,
    )


def _member_of(actor: Any) -> set[int]:
    return organizations_with_role(actor, MembershipRole.VIEWER)


def _editor_of(actor: Any) -> set[int]:
    return organizations_with_role(actor, MembershipRole.EDITOR)


def _user_id(actor: Any) -> int | None:
    """The id of a signed-in person (API clients act for an organization and own no bookings or inquiries)."""
    return actor.pk if getattr(actor, "is_authenticated", False) and actor.pk else None


def stale_before() -> Any:
    """Listings last confirmed before this moment are shown as possibly out of date."""
    return timezone.now() - timedelta(days=settings.HOUSING_STALE_AFTER_DAYS)


class ListingQuerySet(models.QuerySet["Listing"]):
    def public(self) -> ListingQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def visible_to(self, actor: Any) -> ListingQuerySet:
        """Public listings, and every listing of the actor's organizations (withdrawn ones too)."""
        if is_platform_admin(actor):
            return self.all()
        return self.filter(Q(status__in=PUBLIC_STATUSES) | Q(organization_id__in=_member_of(actor)))

    def editable_by(self, actor: Any) -> ListingQuerySet:
        if is_platform_admin(actor):
            return self.all()
        return self.filter(organization_id__in=_editor_of(actor))

    def stale(self) -> ListingQuerySet:
        return self.filter(last_confirmed_at__lt=stale_before())


class AkiyaCaseQuerySet(models.QuerySet["AkiyaCase"]):
    def visible_to(self, actor: Any) -> AkiyaCaseQuerySet:
        """Cases of the actor's organizations, and cases whose owner consented to share with one of them."""
        members = _member_of(actor)
        # A subquery rather than a join, so no DISTINCT is needed (lists and counts stay index-friendly).
        shared = self.model.objects.filter(
            owners__consents__recipient_id__in=members, owners__consents__revoked_on__isnull=True
        ).values("pk")
        return self.filter(Q(organization_id__in=members) | Q(pk__in=shared))

    def editable_by(self, actor: Any) -> AkiyaCaseQuerySet:
        return self.filter(organization_id__in=_editor_of(actor))


class OwnerQuerySet(models.QuerySet["Owner"]):
    def visible_to(self, actor: Any) -> OwnerQuerySet:
        """Owners of the actor's organizations' cases, and owners who consented to share with one of them."""
        members = _member_of(actor)
        shared = self.model.objects.filter(
            consents__recipient_id__in=members, consents__revoked_on__isnull=True
        ).values("pk")
        return self.filter(Q(case__organization_id__in=members) | Q(pk__in=shared))

    def editable_by(self, actor: Any) -> OwnerQuerySet:
        return self.filter(case__organization_id__in=_editor_of(actor))


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, actor: Any) -> CampaignQuerySet:
        return self.filter(organization_id__in=_member_of(actor))

    def editable_by(self, actor: Any) -> CampaignQuerySet:
        return self.filter(organization_id__in=_editor_of(actor))


class TrialStayUnitQuerySet(models.QuerySet["TrialStayUnit"]):
    def visible_to(self, actor: Any) -> TrialStayUnitQuerySet:
        from nikyoten.housing.models import Listing

        return self.filter(listing__in=Listing.objects.visible_to(actor))

    def editable_by(self, actor: Any) -> TrialStayUnitQuerySet:
        return self.filter(listing__organization_id__in=_editor_of(actor))


class BookingQuerySet(models.QuerySet["Booking"]):
    def visible_to(self, actor: Any) -> BookingQuerySet:
        """The seeker's own bookings, and the bookings of units the actor's organizations manage."""
        return self.filter(
            Q(seeker_id=_user_id(actor)) | Q(unit__listing__organization_id__in=_member_of(actor))
        )

    def decidable_by(self, actor: Any) -> BookingQuerySet:
        """Bookings the actor may approve or decline: editors of the unit's organization."""
        return self.filter(unit__listing__organization_id__in=_editor_of(actor))

    def confirmed(self) -> BookingQuerySet:
        return self.filter(status=BookingStatus.CONFIRMED)

    def overlapping(self, start: Any, end: Any) -> BookingQuerySet:
        """Bookings sharing at least one night with [start, end)."""
        return self.filter(start_date__lt=end, end_date__gt=start)


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def visible_to(self, actor: Any) -> InquiryQuerySet:
        """The seeker's own threads, and the threads addressed to the actor's organizations."""
        return self.filter(Q(seeker_id=_user_id(actor)) | Q(organization_id__in=_member_of(actor)))

    def answerable_by(self, actor: Any) -> InquiryQuerySet:
        return self.filter(organization_id__in=_editor_of(actor))


class SavedSearchQuerySet(models.QuerySet["SavedSearch"]):
    def owned_by(self, actor: Any) -> SavedSearchQuerySet:
        user_id = _user_id(actor)
        return self.filter(user_id=user_id) if user_id else self.none()
