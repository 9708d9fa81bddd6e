"""Access gates for housing: missing and forbidden both answer NotFound (404)."""

from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from nikyoten.core.exceptions import NotFound
from nikyoten.housing.models import (
    AkiyaCase,
    Booking,
    Campaign,
    Inquiry,
    Listing,
    Owner,
    SavedSearch,
    TrialStayUnit,
)

M = TypeVar("M", bound=models.Model)


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # staff: change, confirm, decide, answer


def _get(queryset: "models.QuerySet[M]", pk: int | str, message: str) -> M:
    try:
        return queryset.get(pk=int(pk))
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(message) from exc


def access_listing(actor: Any, listing_id: int | str, *, action: Action) -> Listing:
    listings = (
        Listing.objects.visible_to(actor) if action == Action.VIEW else Listing.objects.editable_by(actor)
    )
    return _get(
        listings.select_related("organization", "prefecture", "municipality"),
        listing_id,
        _("物件が見つかりません。"),
    )


def access_trial_stay(actor: Any, unit_id: int | str, *, action: Action) -> TrialStayUnit:
    units = (
        TrialStayUnit.objects.visible_to(actor)
        if action == Action.VIEW
        else TrialStayUnit.objects.editable_by(actor)
    )
    return _get(
        units.select_related("listing__organization", "listing__municipality__prefecture"),
        unit_id,
        _("お試し住宅が見つかりません。"),
    )


def access_booking(actor: Any, booking_id: int | str, *, action: Action) -> Booking:
    """VIEW: the seeker and the unit's organization; EDIT (approve, decline): the organization's editors."""
    bookings = (
        Booking.objects.visible_to(actor) if action == Action.VIEW else Booking.objects.decidable_by(actor)
    )
    return _get(
        bookings.select_related("unit__listing__organization", "seeker"),
        booking_id,
        _("予約が見つかりません。"),
    )


def access_akiya_case(actor: Any, case_id: int | str, *, action: Action) -> AkiyaCase:
    cases = (
        AkiyaCase.objects.visible_to(actor) if action == Action.VIEW else AkiyaCase.objects.editable_by(actor)
    )
    return _get(cases.select_related("organization", "municipality"), case_id, _("案件が見つかりません。"))


def access_owner(actor: Any, owner_id: int | str, *, action: Action) -> Owner:
    owners = Owner.objects.visible_to(actor) if action == Action.VIEW else Owner.objects.editable_by(actor)
    return _get(owners.select_related("case__organization"), owner_id, _("所有者が見つかりません。"))


def access_campaign(actor: Any, campaign_id: int | str, *, action: Action) -> Campaign:
    campaigns = (
        Campaign.objects.visible_to(actor) if action == Action.VIEW else Campaign.objects.editable_by(actor)
    )
    return _get(campaigns.select_related("organization"), campaign_id, _("働きかけが見つかりません。"))


def access_inquiry(actor: Any, inquiry_id: int | str, *, action: Action) -> Inquiry:
    """VIEW (and writing as the seeker): the seeker and the organization; EDIT (answer, close): its editors."""
    inquiries = (
        Inquiry.objects.visible_to(actor) if action == Action.VIEW else Inquiry.objects.answerable_by(actor)
    )
    return _get(
        inquiries.select_related("listing", "organization", "seeker"),
        inquiry_id,
        _("問い合わせが見つかりません。"),
    )


def access_saved_search(actor: Any, saved_search_id: int | str) -> SavedSearch:
    """A saved search, for the person who saved it only (view, rename, delete)."""
    return _get(
        SavedSearch.objects.owned_by(actor).select_related("user"),
        saved_search_id,
        _("保存した検索が見つかりません。"),
    )
