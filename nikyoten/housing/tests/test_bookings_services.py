"""Booking services: every stay rule and refusal, the workflow, the audit trail and the emails."""

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from nikyoten.accounts.models import AuditEvent
from nikyoten.accounts.principals import ApiClient
from nikyoten.accounts.tests.factories import UserFactory
from nikyoten.core.exceptions import NotFound
from nikyoten.housing.choices import BookingStatus, ListingKind, ListingStatus, StayUnit
from nikyoten.housing.models import Booking
from nikyoten.housing.services import bookings as services
from nikyoten.housing.tests.factories import BookingFactory, ListingFactory
from nikyoten.housing.tests.test_bookings_base import BookingWorld, months_later, start_day


class RequestRulesTests(BookingWorld):
    def request(self, **overrides):
        start = overrides.pop("start_date", start_day())
        values = {
            "actor": self.seeker,
            "unit_id": self.unit.pk,
            "start_date": start,
            "end_date": months_later(start, 2),
            "guests": 2,
            **overrides,
        }
        return services.booking_request(**values)

    def assert_refused(self, message, error=services.BookingRefused, **overrides):
        before = Booking.objects.count()
        with self.assertRaises(error) as caught:
            self.request(**overrides)
        self.assertEqual(caught.exception.message, message)
        self.assertEqual(Booking.objects.count(), before)

    def test_a_valid_request_is_saved_audited_and_sent_to_the_editors(self):
        with self.captureOnCommitCallbacks(execute=True):
            booking = self.request(message="夫婦で伺います。")
        self.assertEqual(booking.status, BookingStatus.REQUESTED)
        event = AuditEvent.objects.get(entity="booking", entity_id=str(booking.pk))
        self.assertEqual(event.actor, self.seeker)
        self.assertEqual(event.organization, self.org)
        self.assertNotIn("message", event.changes)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(sorted(mail.outbox[0].to), sorted([self.admin.email, self.editor.email]))
        self.assertIn("60,000円", mail.outbox[0].body)

    def test_no_email_before_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.request()
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(len(callbacks), 1)

    def test_months_are_calendar_months_from_the_start(self):
        start = start_day().replace(day=15) + timedelta(days=31)
        booking = self.request(start_date=start, end_date=months_later(start, 6))
        self.assertEqual(booking.end_date.day, 15)

    def test_a_month_unit_refuses_an_end_that_is_not_a_month_boundary(self):
        start = start_day()
        end = months_later(start, 2) + timedelta(days=1)
        with self.assertRaises(services.BookingRefused) as caught:
            self.request(start_date=start, end_date=end)
        self.assertIn("月単位の滞在です", caught.exception.message)
        self.assertIn("end_date", caught.exception.fields)

    def test_too_long_and_too_short(self):
        start = start_day()
        self.assert_refused(
            "この住宅の滞在は1〜6か月です（お申し込みは7か月）。", end_date=months_later(start, 7)
        )
        self.assert_refused(
            "この住宅の滞在は2〜14泊です（お申し込みは1泊）。",
            unit_id=self.nightly.pk,
            end_date=start + timedelta(days=1),
            guests=1,
        )

    def test_end_before_start(self):
        self.assert_refused("退去日は利用開始日より後にしてください。", end_date=start_day())

    def test_lead_time(self):
        soon = timezone.localdate() + timedelta(days=6)
        self.assert_refused("利用開始日の7日前までにお申し込みください。", start_date=soon)
        on_time = timezone.localdate() + timedelta(days=7)
        self.assertEqual(self.request(start_date=on_time).start_date, on_time)

    def test_capacity(self):
        self.assert_refused("この住宅の定員は4人です。", guests=5)

    def test_a_person_holds_at_most_the_units_quota(self):
        self.request()
        later = months_later(start_day(), 3)
        self.assert_refused(
            "この住宅で1人が同時に持てる予約は1件までです。申込中・確定の予約が終わるか、キャンセルしてからお申し込みください。",
            start_date=later,
        )
        # Other people are not counted, and a declined or cancelled booking frees the place.
        self.request(actor=self.seeker2, start_date=later)
        Booking.objects.filter(seeker=self.seeker).update(status=BookingStatus.CANCELLED)
        self.request(start_date=later)

    def test_past_bookings_do_not_count_against_the_quota(self):
        past = timezone.localdate() - timedelta(days=90)
        BookingFactory(
            unit=self.unit,
            seeker=self.seeker,
            start_date=past,
            end_date=months_later(past, 1),
            status=BookingStatus.CONFIRMED,
        )
        self.request()

    def test_requests_may_overlap_but_not_a_confirmed_booking(self):
        first = self.request()
        self.request(actor=self.seeker2)
        services.booking_approve(actor=self.editor, booking_id=first.pk)
        third = UserFactory()
        self.assert_refused(
            f"この期間には確定した予約（{_ja(first.start_date)}〜{_ja(first.end_date)}）があります。別の日程をお選びください。",
            error=services.BookingConflict,
            actor=third,
        )

    def test_a_unit_not_bookable_or_withdrawn_refuses(self):
        self.unit.is_bookable = False
        self.unit.save()
        self.assert_refused("この住宅は現在、予約を受け付けていません。")
        self.unit.is_bookable = True
        self.unit.save()
        self.unit.listing.status = ListingStatus.CONTRACTED
        self.unit.listing.save()
        self.assert_refused("この住宅は現在、予約を受け付けていません。")

    def test_only_signed_in_people_request(self):
        client = ApiClient(token=mock.Mock(organization_id=self.org.pk, role="editor"))
        self.assert_refused("予約を申し込むにはログインしてください。", actor=client)

    def test_a_unit_of_a_withdrawn_listing_of_another_organization_is_not_found(self):
        self.other_unit.listing.status = ListingStatus.WITHDRAWN
        self.other_unit.listing.save()
        with self.assertRaises(NotFound):
            self.request(unit_id=self.other_unit.pk)


def _ja(day):
    return f"{day.year}年{day.month}月{day.day}日"


class DecisionTests(BookingWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        start = start_day()
        cls.first = BookingFactory(
            unit=cls.unit, seeker=cls.seeker, start_date=start, end_date=months_later(start, 2)
        )
        cls.overlapping = BookingFactory(
            unit=cls.unit,
            seeker=cls.seeker2,
            start_date=months_later(start, 1),
            end_date=months_later(start, 3),
        )

    def test_approve_confirms_audits_and_tells_the_seeker(self):
        with self.captureOnCommitCallbacks(execute=True):
            booking = services.booking_approve(actor=self.editor, booking_id=self.first.pk, note="鍵は役場で")
        self.assertEqual(booking.status, BookingStatus.CONFIRMED)
        self.assertEqual(booking.decided_by, self.editor)
        self.assertIsNotNone(booking.decided_at)
        self.assertEqual(mail.outbox[0].to, [self.seeker.email])
        self.assertIn("鍵は役場で", mail.outbox[0].body)
        self.assertTrue(
            AuditEvent.objects.filter(
                entity="booking", entity_id=str(booking.pk), changes__status="confirmed"
            )
        )

    def test_an_overlapping_request_stays_requested_and_cannot_be_approved(self):
        services.booking_approve(actor=self.editor, booking_id=self.first.pk)
        self.overlapping.refresh_from_db()
        self.assertEqual(self.overlapping.status, BookingStatus.REQUESTED)
        with self.assertRaises(services.BookingConflict) as caught:
            services.booking_approve(actor=self.editor, booking_id=self.overlapping.pk)
        self.assertIn("確定した予約", caught.exception.message)
        self.assertEqual(Booking.objects.get(pk=self.overlapping.pk).status, BookingStatus.REQUESTED)

    def test_without_the_pre_check_the_database_refuses_with_a_clear_message(self):
        services.booking_approve(actor=self.editor, booking_id=self.first.pk)
        with (
            mock.patch.object(services, "_refuse_if_confirmed_overlap"),
            self.assertRaises(services.BookingConflict) as caught,
        ):
            services.booking_approve(actor=self.editor, booking_id=self.overlapping.pk)
        self.assertIn("先に確定した予約", caught.exception.message)
        self.assertEqual(Booking.objects.filter(unit=self.unit).confirmed().count(), 1)

    def test_the_database_refuses_an_overlapping_confirmed_row_whatever_writes_it(self):
        services.booking_approve(actor=self.editor, booking_id=self.first.pk)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Booking.objects.filter(pk=self.overlapping.pk).update(status=BookingStatus.CONFIRMED)

    def test_only_requests_are_decided(self):
        services.booking_decline(actor=self.editor, booking_id=self.first.pk, note="改修工事のため")
        with self.assertRaises(services.BookingRefused) as caught:
            services.booking_approve(actor=self.editor, booking_id=self.first.pk)
        self.assertEqual(
            caught.exception.message, "承認できるのは申込中の予約だけです（この予約は「お断り」です）。"
        )
        with self.assertRaises(services.BookingRefused):
            services.booking_decline(actor=self.editor, booking_id=self.first.pk, note="再度")

    def test_decline_needs_a_note_and_sends_it(self):
        with self.assertRaises(services.BookingRefused) as caught:
            services.booking_decline(actor=self.editor, booking_id=self.first.pk, note="  ")
        self.assertIn("note", caught.exception.fields)
        with self.captureOnCommitCallbacks(execute=True):
            booking = services.booking_decline(
                actor=self.editor, booking_id=self.first.pk, note="改修工事のため"
            )
        self.assertEqual(booking.status, BookingStatus.DECLINED)
        self.assertEqual(mail.outbox[0].to, [self.seeker.email])
        self.assertIn("改修工事のため", mail.outbox[0].body)

    def test_who_may_decide(self):
        """role × action × organization: editors and admins of the unit's organization only."""
        cases = {
            "admin": (self.admin, True),
            "editor": (self.editor, True),
            "viewer": (self.viewer, False),
            "seeker": (self.seeker, False),
            "other organization's editor": (self.other_editor, False),
        }
        for name, (actor, allowed) in cases.items():
            for decide in ("approve", "decline"):
                with self.subTest(actor=name, action=decide), transaction.atomic():
                    sid = transaction.savepoint()
                    call = getattr(services, f"booking_{decide}")
                    if allowed:
                        call(actor=actor, booking_id=self.first.pk, note="理由")
                    else:
                        with self.assertRaises(NotFound):
                            call(actor=actor, booking_id=self.first.pk, note="理由")
                    transaction.savepoint_rollback(sid)

    def test_the_seeker_cancels_their_own_and_the_office_is_told(self):
        services.booking_approve(actor=self.editor, booking_id=self.first.pk)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            booking = services.booking_cancel(actor=self.seeker, booking_id=self.first.pk)
        self.assertEqual(booking.status, BookingStatus.CANCELLED)
        self.assertIsNotNone(booking.cancelled_at)
        self.assertEqual(mail.outbox[0].to, [self.seeker.email])
        self.assertEqual(sorted(mail.outbox[1].to), sorted([self.admin.email, self.editor.email]))
        event = AuditEvent.objects.filter(entity="booking", entity_id=str(booking.pk)).latest("pk")
        self.assertEqual(event.changes, {"status": "cancelled", "by": "seeker"})
        # Cancelling frees the dates for the overlapping request.
        services.booking_approve(actor=self.editor, booking_id=self.overlapping.pk)

    def test_who_may_cancel(self):
        cases = {
            "the seeker": (self.seeker, True),
            "editor": (self.editor, True),
            "viewer": (self.viewer, False),
            "another seeker": (self.seeker2, False),
            "other organization's editor": (self.other_editor, False),
        }
        for name, (actor, allowed) in cases.items():
            with self.subTest(actor=name), transaction.atomic():
                sid = transaction.savepoint()
                if allowed:
                    services.booking_cancel(actor=actor, booking_id=self.first.pk, note="台風のため")
                else:
                    with self.assertRaises(NotFound):
                        services.booking_cancel(actor=actor, booking_id=self.first.pk)
                transaction.savepoint_rollback(sid)

    def test_cancel_refuses_a_finished_or_already_closed_booking(self):
        services.booking_cancel(actor=self.seeker, booking_id=self.first.pk)
        with self.assertRaises(services.BookingRefused) as caught:
            services.booking_cancel(actor=self.seeker, booking_id=self.first.pk)
        self.assertEqual(caught.exception.message, "この予約はすでに「キャンセル」です。")
        past = timezone.localdate() - timedelta(days=60)
        Booking.objects.filter(pk=self.overlapping.pk).update(
            start_date=past, end_date=past + timedelta(days=30), status=BookingStatus.CONFIRMED
        )
        with self.assertRaises(services.BookingRefused) as caught:
            services.booking_cancel(actor=self.seeker2, booking_id=self.overlapping.pk)
        self.assertEqual(caught.exception.message, "終わった滞在はキャンセルできません。")


class UnitSettingsTests(BookingWorld):
    def save(self, **overrides):
        values = {
            "actor": self.editor,
            "listing_id": self.unit.listing_id,
            "stay_unit": StayUnit.MONTH,
            "min_stay": 1,
            "max_stay": 3,
            "price_yen": 25000,
            "capacity": 3,
            **overrides,
        }
        return services.trial_stay_unit_save(**values)

    def test_an_editor_changes_the_rules_audited(self):
        unit = self.save(house_rules="ゴミは分別してください。")
        self.assertEqual((unit.pk, unit.max_stay, unit.price_yen), (self.unit.pk, 3, 25000))
        event = AuditEvent.objects.get(entity="trial_stay_unit")
        self.assertEqual(set(event.changes), {"max_stay", "price_yen", "capacity", "house_rules"})

    def test_a_new_unit_for_a_relocation_support_listing(self):
        listing = ListingFactory(organization=self.org, kind=ListingKind.RELOCATION_SUPPORT)
        unit = self.save(listing_id=listing.pk, min_stay=12, max_stay=24)
        self.assertEqual(unit.listing, listing)

    def test_other_kinds_are_refused(self):
        listing = ListingFactory(organization=self.org, kind=ListingKind.AKIYA_RENT)
        with self.assertRaises(services.ApplicationError) as caught:
            self.save(listing_id=listing.pk)
        self.assertEqual(
            caught.exception.message, "予約を受け付けられるのは、お試し住宅と移住支援住宅の物件だけです。"
        )

    def test_max_below_min_is_refused_by_the_model(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.save(min_stay=4, max_stay=2)

    def test_who_may_configure(self):
        for name, actor, allowed in [
            ("admin", self.admin, True),
            ("editor", self.editor, True),
            ("viewer", self.viewer, False),
            ("seeker", self.seeker, False),
            ("other organization's editor", self.other_editor, False),
        ]:
            with self.subTest(actor=name):
                if allowed:
                    self.save(actor=actor)
                else:
                    with self.assertRaises(NotFound):
                        self.save(actor=actor)
