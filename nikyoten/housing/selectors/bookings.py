"""Reads for trial-stay booking: bookable units, availability calendars, and bookings for whom they concern."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.principals import organizations_with_role
from nikyoten.core.dates import add_months
from nikyoten.housing import stays
from nikyoten.housing.access import Action, access_booking, access_trial_stay
from nikyoten.housing.choices import BOOKABLE_KINDS, BookingStatus, ListingStatus, StayUnit
from nikyoten.housing.models import Booking, Listing, TrialStayUnit

#: A unit's settings, as staff edit them (`services.trial_stay_unit_save`) and the API shows them.
UNIT_SETTINGS = (
    "stay_unit",
    "min_stay",
    "max_stay",
    "price_yen",
    "capacity",
    "max_bookings_per_person",
    "lead_time_days",
    "house_rules",
    "is_bookable",
)
#: The longest range an availability query may cover.
AVAILABILITY_MAX_DAYS = 366


def yen_text(amount: int) -> str:
    """30,000円."""
    return _("%(amount)s円") % {"amount": f"{amount:,}"}


def date_text(day: date) -> str:
    """2027年1月15日 (the active language's date format)."""
    return date_format(day, "DATE_FORMAT")


def length_text(*, stay_unit: str, count: int) -> str:
    """3泊, 2か月."""
    if stay_unit == StayUnit.NIGHT:
        return ngettext("%(count)s泊", "%(count)s泊", count) % {"count": count}
    return ngettext("%(count)sか月", "%(count)sか月", count) % {"count": count}


def stay_range_text(*, unit: TrialStayUnit) -> str:
    """1〜6か月, 2〜14泊 (or one length when the minimum is the maximum)."""
    if unit.min_stay == unit.max_stay:
        return length_text(stay_unit=unit.stay_unit, count=unit.min_stay)
    if unit.stay_unit == StayUnit.NIGHT:
        return _("%(min)s〜%(max)s泊") % {"min": unit.min_stay, "max": unit.max_stay}
    return _("%(min)s〜%(max)sか月") % {"min": unit.min_stay, "max": unit.max_stay}


def price_text(*, unit: TrialStayUnit) -> str:
    """30,000円／月, 3,000円／泊."""
    if unit.stay_unit == StayUnit.NIGHT:
        return _("%(price)s／泊") % {"price": yen_text(unit.price_yen)}
    return _("%(price)s／月") % {"price": yen_text(unit.price_yen)}


def first_bookable_day(*, unit: TrialStayUnit) -> date:
    """The earliest start a request made today may ask for (the unit's lead time)."""
    return timezone.localdate() + timedelta(days=unit.lead_time_days)


def shortest_stay_end(*, unit: TrialStayUnit, start: date) -> date:
    """The departure of the unit's shortest stay from `start` (the form's suggestion)."""
    if unit.stay_unit == StayUnit.NIGHT:
        return start + timedelta(days=unit.min_stay)
    return add_months(start, unit.min_stay)


def trial_stay_list(*, actor: Any) -> QuerySet[TrialStayUnit]:
    """Units taking requests (bookable, listing 募集中), with their place."""
    return (
        TrialStayUnit.objects.visible_to(actor)
        .filter(is_bookable=True, listing__kind__in=BOOKABLE_KINDS, listing__status=ListingStatus.OPEN)
        .select_related("listing__organization", "listing__municipality__prefecture")
        .order_by("listing__municipality__code", "listing__title", "pk")
    )


def trial_stay_get(*, actor: Any, unit_id: int | str) -> TrialStayUnit:
    """One unit the actor may see (the same 404 for missing and forbidden)."""
    return access_trial_stay(actor, unit_id, action=Action.VIEW)


def confirmed_spans(*, unit: TrialStayUnit, start: date, end: date) -> list[stays.Span]:
    """The dates (no one's name) of the unit's confirmed stays sharing a night with [start, end)."""
    rows = (
        Booking.objects.filter(unit=unit)
        .confirmed()
        .overlapping(start, end)
        .order_by("start_date")
        .values_list("start_date", "end_date")
    )
    return list(rows)


@dataclass(frozen=True)
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[stays.Day | None]]
    previous: date
    next: date


def trial_stay_calendar(*, unit: TrialStayUnit, year: int, month: int) -> CalendarMonth:
    """The month grid of the unit's nights: booked, free, or closed (past or within the lead time)."""
    first = date(year, month, 1)
    after = add_months(first, 1)
    return CalendarMonth(
        year=year,
        month=month,
        weeks=stays.month_grid(
            year,
            month,
            busy=confirmed_spans(unit=unit, start=first, end=after),
            first_bookable=first_bookable_day(unit=unit),
        ),
        previous=add_months(first, -1),
        next=after,
    )


#: The calendar feed leaves out stays that ended longer ago than this.
FEED_PAST_DAYS = 366


def trial_stay_feed(*, unit: TrialStayUnit) -> QuerySet[Booking]:
    """Confirmed stays of the unit for its calendar feed, from a year back: ids and dates only (no personal data)."""
    return (
        Booking.objects.filter(unit=unit, end_date__gt=timezone.localdate() - timedelta(days=FEED_PAST_DAYS))
        .confirmed()
        .order_by("start_date", "pk")
        .only("pk", "unit_id", "start_date", "end_date", "updated_at")
    )


def booking_list(
    *,
    actor: Any,
    mine: bool = False,
    managed: bool = False,
    unit_id: int | None = None,
    status: str | None = None,
) -> QuerySet[Booking]:
    """Bookings the actor may see: their own and those of units their organizations manage.

    `mine` keeps the actor's own requests; `managed` keeps those of their organizations' units (the inbox).
    """
    bookings = Booking.objects.visible_to(actor)
    if mine:
        bookings = bookings.filter(seeker_id=getattr(actor, "pk", None))
    if managed:
        bookings = bookings.filter(
            unit__listing__organization_id__in=organizations_with_role(actor, MembershipRole.VIEWER)
        )
    if unit_id is not None:
        bookings = bookings.filter(unit_id=unit_id)
    if status:
        bookings = bookings.filter(status=status)
    return bookings.select_related(
        "unit__listing__organization", "unit__listing__municipality__prefecture", "seeker"
    ).order_by("start_date", "pk")


def booking_get(*, actor: Any, booking_id: int | str) -> Booking:
    """One booking for the seeker or the unit's organization (the same 404 otherwise)."""
    return access_booking(actor, booking_id, action=Action.VIEW)


def trial_stay_manage_list(*, actor: Any) -> QuerySet[Listing]:
    """The actor's editable listings of bookable kinds, with their unit when one is configured."""
    return (
        Listing.objects.editable_by(actor)
        .filter(kind__in=BOOKABLE_KINDS)
        .select_related("trial_stay", "municipality__prefecture", "organization")
        .order_by("organization_id", "title", "pk")
    )


def trial_stay_managed_units(*, actor: Any) -> QuerySet[TrialStayUnit]:
    """Units of the actor's organizations (the inbox filter)."""
    return (
        TrialStayUnit.objects.filter(
            listing__organization_id__in=organizations_with_role(actor, MembershipRole.VIEWER)
        )
        .select_related("listing")
        .order_by("listing__title", "pk")
    )


def booking_blockers(*, bookings: list[Booking]) -> dict[int, Booking]:
    """Request id → the confirmed booking that shares a night with it (it can no longer be approved); one query."""
    requests = [b for b in bookings if b.status == BookingStatus.REQUESTED]
    if not requests:
        return {}
    confirmed = list(
        Booking.objects.filter(unit_id__in={b.unit_id for b in requests})
        .confirmed()
        .only("pk", "unit_id", "start_date", "end_date")
    )
    blockers = {}
    for request in requests:
        for other in confirmed:
            if other.unit_id == request.unit_id and stays.overlaps(
                (request.start_date, request.end_date), (other.start_date, other.end_date)
            ):
                blockers[request.pk] = other
                break
    return blockers
