"""Writers for trial-stay booking: unit settings, and a booking's request, approval, decline and cancellation.

Bookings are personal data: every change is audited, and emails go out only after the transaction commits.
No two confirmed bookings of a unit overlap: the services check first for a clear message, but the database
(migration 0002) has the last word, so concurrent approvals still end with exactly one confirmed.
"""

from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nikyoten.accounts.choices import AuditAction
from nikyoten.accounts.models import User
from nikyoten.accounts.selectors import organization_staff_emails
from nikyoten.accounts.services import audit_record
from nikyoten.core.dates import add_months
from nikyoten.core.exceptions import ApplicationError
from nikyoten.housing import stays
from nikyoten.housing.access import Action, access_booking, access_listing, access_trial_stay
from nikyoten.housing.choices import BOOKABLE_KINDS, HELD_BOOKING_STATUSES, BookingStatus, ListingStatus
from nikyoten.housing.models import Booking, TrialStayUnit
from nikyoten.housing.selectors.bookings import (
    date_text,
    first_bookable_day,
    length_text,
    stay_range_text,
    yen_text,
)


class BookingRefused(ApplicationError):
    """A stay rule of the unit refuses the request (the message names the rule)."""

    code = "booking_refused"


class BookingConflict(ApplicationError):
    """A confirmed booking already holds some of these nights."""

    code = "booking_conflict"
    status = 409


@transaction.atomic
def trial_stay_unit_save(
    *,
    actor: Any,
    listing_id: int,
    stay_unit: str,
    min_stay: int,
    max_stay: int,
    price_yen: int,
    capacity: int,
    max_bookings_per_person: int = 1,
    lead_time_days: int = 7,
    house_rules: str = "",
    is_bookable: bool = True,
) -> TrialStayUnit:
    """Configure (or change) the bookable unit of one of the actor's お試し住宅 or 移住支援住宅 listings."""
    listing = access_listing(actor, listing_id, action=Action.EDIT)
    if listing.kind not in BOOKABLE_KINDS:
        raise ApplicationError(_("予約を受け付けられるのは、お試し住宅と移住支援住宅の物件だけです。"))
    unit = TrialStayUnit.objects.select_for_update().filter(listing=listing).first()
    created = unit is None
    unit = unit or TrialStayUnit(listing=listing)
    values = {
        "stay_unit": stay_unit,
        "min_stay": min_stay,
        "max_stay": max_stay,
        "price_yen": price_yen,
        "capacity": capacity,
        "max_bookings_per_person": max_bookings_per_person,
        "lead_time_days": lead_time_days,
        "house_rules": house_rules,
        "is_bookable": is_bookable,
    }
    changed = sorted(field for field, value in values.items() if getattr(unit, field, None) != value)
    for field, value in values.items():
        setattr(unit, field, value)
    unit.full_clean()
    unit.save()
    if changed:
        audit_record(
            actor=actor,
            organization=listing.organization,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            entity="trial_stay_unit",
            entity_id=unit.pk,
            changes={field: str(values[field]) for field in changed},
        )
    return unit


def booking_rules_check(
    *, unit: TrialStayUnit, seeker: User, start_date: date, end_date: date, guests: int
) -> int:
    """The stay's length in the unit's terms (nights or months), or the first stay rule it breaks.

    Called by `booking_request`, and by the pages to show the price before the seeker requests.
    """
    if not unit.is_bookable or unit.listing.status != ListingStatus.OPEN:
        raise BookingRefused(_("この住宅は現在、予約を受け付けていません。"))
    if end_date <= start_date:
        raise BookingRefused(
            _("退去日は利用開始日より後にしてください。"),
            fields={"end_date": [_("利用開始日より後の日付です。")]},
        )
    length = stays.stay_length(unit.stay_unit, start_date, end_date)
    if length is None:
        example = add_months(start_date, unit.min_stay)
        message = _(
            "この住宅は月単位の滞在です。退去日は利用開始日と同じ日（その日がない月は月末）にしてください（例: %(start)sからなら%(end)s）。"
        ) % {"start": date_text(start_date), "end": date_text(example)}
        raise BookingRefused(message, fields={"end_date": [message]})
    if not unit.min_stay <= length <= unit.max_stay:
        message = _("この住宅の滞在は%(range)sです（お申し込みは%(length)s）。") % {
            "range": stay_range_text(unit=unit),
            "length": length_text(stay_unit=unit.stay_unit, count=length),
        }
        raise BookingRefused(message, fields={"end_date": [message]})
    if start_date < first_bookable_day(unit=unit):
        message = _("利用開始日の%(days)s日前までにお申し込みください。") % {"days": unit.lead_time_days}
        raise BookingRefused(message, fields={"start_date": [message]})
    if guests > unit.capacity:
        message = _("この住宅の定員は%(capacity)s人です。") % {"capacity": unit.capacity}
        raise BookingRefused(message, fields={"guests": [message]})
    held = Booking.objects.filter(
        unit=unit,
        seeker=seeker,
        status__in=HELD_BOOKING_STATUSES,
        end_date__gt=timezone.localdate(),
    ).count()
    if held >= unit.max_bookings_per_person:
        raise BookingRefused(
            _(
                "この住宅で1人が同時に持てる予約は%(count)s件までです。申込中・確定の予約が終わるか、キャンセルしてからお申し込みください。"
            )
            % {"count": unit.max_bookings_per_person}
        )
    _refuse_if_confirmed_overlap(unit_id=unit.pk, start_date=start_date, end_date=end_date, exclude=None)
    return length


def _refuse_if_confirmed_overlap(
    *, unit_id: int, start_date: date, end_date: date, exclude: int | None
) -> None:
    """The early, friendly check; the database constraint remains the guarantee."""
    confirmed = Booking.objects.filter(unit_id=unit_id).confirmed().overlapping(start_date, end_date)
    if exclude is not None:
        confirmed = confirmed.exclude(pk=exclude)
    other = confirmed.order_by("start_date").first()
    if other is not None:
        raise BookingConflict(
            _("この期間には確定した予約（%(start)s〜%(end)s）があります。別の日程をお選びください。")
            % {"start": date_text(other.start_date), "end": date_text(other.end_date)}
        )


def _notify(recipients: list[str], subject: str, body: str) -> None:
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


def _summary(booking: Booking) -> str:
    return _("%(title)s　%(start)s〜%(end)s（%(guests)s人）") % {
        "title": booking.unit.listing.title,
        "start": date_text(booking.start_date),
        "end": date_text(booking.end_date),
        "guests": booking.guests,
    }


def _audit(*, actor: Any, booking: Booking, action: str, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        organization=booking.unit.listing.organization,
        action=action,
        entity="booking",
        entity_id=booking.pk,
        changes=changes,
    )


@transaction.atomic
def booking_request(
    *, actor: Any, unit_id: int | str, start_date: date, end_date: date, guests: int, message: str = ""
) -> Booking:
    """A signed-in seeker asks for a stay; the organization's editors are told. Requests may overlap."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise BookingRefused(_("予約を申し込むにはログインしてください。"))
    unit = access_trial_stay(actor, unit_id, action=Action.VIEW)
    # One request at a time per unit, so a person's quota cannot be overrun by two quick submissions.
    TrialStayUnit.objects.select_for_update().filter(pk=unit.pk).first()
    length = booking_rules_check(
        unit=unit, seeker=actor, start_date=start_date, end_date=end_date, guests=guests
    )
    booking = Booking(
        unit=unit, seeker=actor, start_date=start_date, end_date=end_date, guests=guests, message=message
    )
    booking.full_clean()
    booking.save()
    _audit(
        actor=actor,
        booking=booking,
        action=AuditAction.CREATE,
        changes={
            "status": booking.status,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
            "guests": guests,
        },
    )
    total = yen_text(length * unit.price_yen)
    _notify(
        organization_staff_emails(organization_id=booking.unit.listing.organization_id),
        _("【nikyoten】お試し住宅の予約申込: %(title)s") % {"title": unit.listing.title},
        _(
            "新しい予約の申込があります。\n\n%(summary)s\n料金の目安: %(total)s\n\n予約の受付画面で承認またはお断りをしてください。\n"
        )
        % {"summary": _summary(booking), "total": total},
    )
    return booking


def _locked(actor: Any, booking_id: int | str, *, action: Action) -> Booking:
    booking = access_booking(actor, booking_id, action=action)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    locked.unit, locked.seeker = booking.unit, booking.seeker
    return locked


def _decide(booking: Booking, *, actor: Any, status: str, note: str) -> None:
    booking.status = status
    booking.decided_by = actor if isinstance(actor, User) else None
    booking.decided_at = timezone.now()
    booking.decision_note = note
    booking.full_clean()


@transaction.atomic
def booking_approve(*, actor: Any, booking_id: int | str, note: str = "") -> Booking:
    """An editor of the unit's organization confirms a request; overlapping requests stay, but cannot be approved."""
    booking = _locked(actor, booking_id, action=Action.EDIT)
    if booking.status != BookingStatus.REQUESTED:
        raise BookingRefused(
            _("承認できるのは申込中の予約だけです（この予約は「%(status)s」です）。")
            % {"status": booking.get_status_display()}
        )
    _refuse_if_confirmed_overlap(
        unit_id=booking.unit_id, start_date=booking.start_date, end_date=booking.end_date, exclude=booking.pk
    )
    _decide(booking, actor=actor, status=BookingStatus.CONFIRMED, note=note)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        # Another approval of an overlapping request committed first (the database refused this one).
        raise BookingConflict(
            _("この期間には先に確定した予約があるため、承認できません。一覧を更新して確認してください。")
        ) from exc
    _audit(actor=actor, booking=booking, action=AuditAction.UPDATE, changes={"status": booking.status})
    _notify(
        [booking.seeker.email],
        _("【nikyoten】お試し住宅の予約が確定しました"),
        _("予約が確定しました。\n\n%(summary)s\n%(note)s\n") % {"summary": _summary(booking), "note": note},
    )
    return booking


@transaction.atomic
def booking_decline(*, actor: Any, booking_id: int | str, note: str) -> Booking:
    """An editor declines a request, saying why (the seeker receives the note)."""
    booking = _locked(actor, booking_id, action=Action.EDIT)
    if booking.status != BookingStatus.REQUESTED:
        raise BookingRefused(
            _("お断りできるのは申込中の予約だけです（この予約は「%(status)s」です）。")
            % {"status": booking.get_status_display()}
        )
    if not note.strip():
        message = _("お断りの理由を入力してください（申込者にお知らせします）。")
        raise BookingRefused(message, fields={"note": [message]})
    _decide(booking, actor=actor, status=BookingStatus.DECLINED, note=note.strip())
    booking.save()
    _audit(actor=actor, booking=booking, action=AuditAction.UPDATE, changes={"status": booking.status})
    _notify(
        [booking.seeker.email],
        _("【nikyoten】お試し住宅の予約をお受けできませんでした"),
        _("申し訳ありませんが、次の予約はお受けできませんでした。\n\n%(summary)s\n理由: %(note)s\n")
        % {"summary": _summary(booking), "note": booking.decision_note},
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking_id: int | str, note: str = "") -> Booking:
    """The seeker cancels their own request or confirmed stay, or an editor of the organization cancels it."""
    booking = _locked(actor, booking_id, action=Action.VIEW)
    by_seeker = isinstance(actor, User) and booking.seeker_id == actor.pk
    if not by_seeker:
        access_booking(actor, booking.pk, action=Action.EDIT)  # other members of the organization only view
    if booking.status not in HELD_BOOKING_STATUSES:
        raise BookingRefused(
            _("この予約はすでに「%(status)s」です。") % {"status": booking.get_status_display()}
        )
    if booking.end_date <= timezone.localdate():
        raise BookingRefused(_("終わった滞在はキャンセルできません。"))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    if note.strip():
        booking.decision_note = note.strip()
    booking.full_clean()
    booking.save()
    _audit(
        actor=actor,
        booking=booking,
        action=AuditAction.UPDATE,
        changes={"status": booking.status, "by": "seeker" if by_seeker else "organization"},
    )
    summary = _summary(booking)
    _notify(
        [booking.seeker.email],
        _("【nikyoten】お試し住宅の予約がキャンセルされました"),
        _("次の予約はキャンセルされました。\n\n%(summary)s\n%(note)s\n") % {"summary": summary, "note": note},
    )
    if by_seeker:
        _notify(
            organization_staff_emails(organization_id=booking.unit.listing.organization_id),
            _("【nikyoten】お試し住宅の予約のキャンセル: %(title)s") % {"title": booking.unit.listing.title},
            _("申込者が次の予約をキャンセルしました。\n\n%(summary)s\n") % {"summary": summary},
        )
    return booking
