"""Booking pages: the unit page with its calendar and form, my bookings, the staff inbox, settings and the feed."""

from datetime import timedelta
from unittest import mock

import icalendar
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from nikyoten.housing.choices import BookingStatus, ListingKind, ListingStatus
from nikyoten.housing.models import Booking
from nikyoten.housing.services import bookings as services
from nikyoten.housing.tests.factories import BookingFactory, ListingFactory, TrialStayUnitFactory
from nikyoten.housing.tests.test_bookings_base import BookingWorld, months_later, start_day


def detail_url(unit):
    return reverse("housing:trial_stay_detail", args=[unit.pk])


def request_data(start, end, guests=2, **extra):
    return {"start_date": start.isoformat(), "end_date": end.isoformat(), "guests": guests, **extra}


class UnitPageTests(BookingWorld):
    def test_anonymous_sees_the_rules_price_calendar_and_is_asked_to_sign_in(self):
        response = self.client.get(detail_url(self.unit))
        self.assertContains(response, "お試し滞在住宅 大正")
        self.assertContains(response, "1〜6か月")
        self.assertContains(response, "30,000円／月")
        self.assertContains(response, '<table class="stay-calendar">', html=False)
        self.assertContains(response, f"/accounts/login/?next={detail_url(self.unit)}")
        self.assertNotContains(response, 'name="start_date"')

    def test_the_calendar_shows_confirmed_nights_as_booked_in_words(self):
        start = months_later(start_day().replace(day=1), 1)
        BookingFactory(
            unit=self.unit, start_date=start, end_date=start + timedelta(days=3), status="confirmed"
        )
        response = self.client.get(detail_url(self.unit), {"month": start.strftime("%Y-%m")})
        calendar = response.context["calendar"]
        states = {day.date: day.state for week in calendar.weeks for day in week if day}
        self.assertEqual(states[start], "booked")
        self.assertEqual(states[start + timedelta(days=2)], "booked")
        self.assertEqual(states[start + timedelta(days=3)], "free")
        self.assertContains(response, "予約済")
        self.assertContains(response, f"?month={months_later(start, 1).strftime('%Y-%m')}")

    def test_a_malformed_month_shows_the_first_month_that_can_be_requested(self):
        response = self.client.get(detail_url(self.unit), {"month": "2027-13"})
        first = timezone.localdate() + timedelta(days=self.unit.lead_time_days)
        calendar = response.context["calendar"]
        self.assertEqual((calendar.year, calendar.month), (first.year, first.month))

    def test_the_form_suggests_the_shortest_stay_from_the_first_possible_day(self):
        self.client.force_login(self.seeker)
        first = timezone.localdate() + timedelta(days=3)
        response = self.client.get(detail_url(self.nightly))
        self.assertEqual(
            response.context["form"].initial, {"start_date": first, "end_date": first + timedelta(days=2)}
        )
        response = self.client.get(detail_url(self.unit))
        first = timezone.localdate() + timedelta(days=7)
        self.assertEqual(response.context["form"]["end_date"].initial, months_later(first, 1))

    def test_a_withdrawn_listing_of_another_organization_is_not_found(self):
        self.other_unit.listing.status = ListingStatus.WITHDRAWN
        self.other_unit.listing.save()
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(detail_url(self.other_unit)).status_code, 404)
        self.assertEqual(self.client.get(detail_url(self.other_unit) + "calendar.ics").status_code, 404)

    def test_list_shows_bookable_units_only_with_constant_queries(self):
        TrialStayUnitFactory(
            listing__organization=self.org, listing__title="受付停止の住宅", is_bookable=False
        )
        TrialStayUnitFactory(
            listing__organization=self.other_org,
            listing__title="飛騨の取下げ住宅",
            listing__status=ListingStatus.WITHDRAWN,
        )
        with self.assertNumQueries(1):
            response = self.client.get(reverse("housing:trial_stay_list"))
        self.assertContains(response, "お試し滞在住宅 大正")
        self.assertContains(response, "飛騨の体験住宅")
        self.assertNotContains(response, "受付停止の住宅")
        self.assertNotContains(response, "飛騨の取下げ住宅")


class RequestPageTests(BookingWorld):
    def setUp(self):
        self.client.force_login(self.seeker)
        self.start = start_day()

    def test_the_price_is_shown_before_requesting_and_nothing_is_saved(self):
        response = self.client.post(
            detail_url(self.unit), request_data(self.start, months_later(self.start, 2), preview="1")
        )
        self.assertContains(response, "2か月 × 30,000円 = 合計 60,000円")
        self.assertFalse(Booking.objects.filter(unit=self.unit).exists())

    def test_a_request_is_saved_and_the_seeker_goes_to_their_bookings(self):
        response = self.client.post(
            detail_url(self.unit), request_data(self.start, months_later(self.start, 1))
        )
        self.assertRedirects(response, reverse("housing:booking_list"))
        self.assertEqual(Booking.objects.get(unit=self.unit).seeker, self.seeker)

    def test_a_refusal_is_shown_on_its_field(self):
        response = self.client.post(
            detail_url(self.unit), request_data(self.start, months_later(self.start, 1), guests=9)
        )
        self.assertEqual(response.context["form"].errors["guests"], ["この住宅の定員は4人です。"])
        self.assertContains(response, 'aria-invalid="true"')
        self.assertFalse(Booking.objects.filter(unit=self.unit).exists())

    def test_malformed_dates_are_refused_by_the_form(self):
        response = self.client.post(
            detail_url(self.unit), {"start_date": "2027-02-30", "end_date": "x", "guests": 1}
        )
        self.assertIn("start_date", response.context["form"].errors)
        self.assertIn("end_date", response.context["form"].errors)

    def test_anonymous_posts_are_sent_to_sign_in(self):
        self.client.logout()
        response = self.client.post(
            detail_url(self.unit), request_data(self.start, months_later(self.start, 1))
        )
        self.assertRedirects(
            response, f"/accounts/login/?next={detail_url(self.unit)}", fetch_redirect_response=False
        )
        self.assertFalse(Booking.objects.filter(unit=self.unit).exists())

    @override_settings(RATELIMIT_BOOKING="2/h")
    @mock.patch("django_ratelimit.core._get_window", return_value=4_000_000_000)
    def test_requests_are_rate_limited_per_user(self, _window):
        data = request_data(self.start, months_later(self.start, 7))  # refused by the rules, but counted
        for _ in range(2):
            self.assertEqual(self.client.post(detail_url(self.nightly), data).status_code, 200)
        response = self.client.post(detail_url(self.nightly), data)
        self.assertEqual(response.status_code, 429)
        # The preview does not count.
        self.client.force_login(self.seeker2)
        for _ in range(3):
            self.assertEqual(
                self.client.post(detail_url(self.nightly), {**data, "preview": "1"}).status_code, 200
            )


class MyBookingsTests(BookingWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        start = start_day()
        cls.mine = BookingFactory(
            unit=cls.unit, seeker=cls.seeker, start_date=start, end_date=months_later(start, 1)
        )
        cls.theirs = BookingFactory(unit=cls.nightly, seeker=cls.seeker2, message="太郎のメッセージ")

    def test_only_my_bookings_with_constant_queries(self):
        BookingFactory(
            unit=self.nightly,
            seeker=self.seeker,
            start_date=start_day(),
            end_date=start_day() + timedelta(days=3),
        )
        self.client.force_login(self.seeker)
        with self.assertNumQueries(4):  # session, user, roles, bookings
            response = self.client.get(reverse("housing:booking_list"))
        self.assertEqual(len(response.context["bookings"]), 2)
        self.assertNotContains(response, "太郎のメッセージ")
        self.assertNotContains(response, "飛騨の体験住宅")

    def test_the_seeker_cancels(self):
        self.client.force_login(self.seeker)
        response = self.client.post(reverse("housing:booking_cancel", args=[self.mine.pk]))
        self.assertRedirects(response, reverse("housing:booking_list"))
        self.assertEqual(Booking.objects.get(pk=self.mine.pk).status, BookingStatus.CANCELLED)

    def test_another_seeker_cannot_cancel(self):
        self.client.force_login(self.seeker2)
        self.assertEqual(
            self.client.post(reverse("housing:booking_cancel", args=[self.mine.pk])).status_code, 404
        )
        self.assertEqual(Booking.objects.get(pk=self.mine.pk).status, BookingStatus.REQUESTED)

    def test_sign_in_required(self):
        response = self.client.get(reverse("housing:booking_list"))
        self.assertEqual(response.status_code, 302)


class InboxTests(BookingWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        start = start_day()
        cls.first = BookingFactory(
            unit=cls.unit,
            seeker=cls.seeker,
            start_date=start,
            end_date=months_later(start, 2),
            message="夫婦で伺います",
        )
        cls.second = BookingFactory(
            unit=cls.unit,
            seeker=cls.seeker2,
            start_date=months_later(start, 1),
            end_date=months_later(start, 3),
        )
        cls.inbox = reverse("housing:booking_manage_list")

    def test_the_inbox_lists_the_organizations_requests_with_constant_queries(self):
        self.client.force_login(self.editor)
        for _ in range(3):
            BookingFactory(
                unit=self.nightly, start_date=start_day(), end_date=start_day() + timedelta(days=2)
            )
        with self.assertNumQueries(6):  # session, user, roles, units (filter), bookings, confirmed blockers
            response = self.client.get(self.inbox)
        self.assertEqual(len(response.context["rows"]), 5)
        self.assertContains(response, "夫婦で伺います")
        self.assertContains(response, self.seeker.email)

    def test_filters_by_unit_and_status(self):
        self.client.force_login(self.editor)
        BookingFactory(unit=self.nightly, start_date=start_day(), end_date=start_day() + timedelta(days=2))
        response = self.client.get(self.inbox, {"unit": self.unit.pk})
        self.assertEqual({r["booking"].pk for r in response.context["rows"]}, {self.first.pk, self.second.pk})
        services.booking_approve(actor=self.editor, booking_id=self.first.pk)
        response = self.client.get(self.inbox, {"status": "confirmed"})
        self.assertEqual([r["booking"].pk for r in response.context["rows"]], [self.first.pk])

    def test_approve_then_the_overlapping_request_shows_why_it_cannot_be(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("housing:booking_approve", args=[self.first.pk]), {f"b{self.first.pk}-note": "鍵は役場で"}
        )
        self.assertRedirects(response, self.inbox + "?")
        self.assertEqual(Booking.objects.get(pk=self.first.pk).status, BookingStatus.CONFIRMED)
        response = self.client.get(self.inbox)
        row = next(r for r in response.context["rows"] if r["booking"].pk == self.second.pk)
        self.assertEqual(row["blocker"].pk, self.first.pk)
        self.assertContains(response, "があるため、承認できません")
        response = self.client.post(reverse("housing:booking_approve", args=[self.second.pk]), follow=True)
        self.assertContains(response, "この期間には確定した予約")
        self.assertEqual(Booking.objects.get(pk=self.second.pk).status, BookingStatus.REQUESTED)

    def test_decline_needs_a_note(self):
        self.client.force_login(self.editor)
        url = reverse("housing:booking_decline", args=[self.first.pk])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "お断りの理由を入力してください")
        self.client.post(url, {f"b{self.first.pk}-note": "工事のため"})
        self.assertEqual(Booking.objects.get(pk=self.first.pk).status, BookingStatus.DECLINED)

    def test_staff_cancel_a_confirmed_stay_with_a_note(self):
        services.booking_approve(actor=self.editor, booking_id=self.first.pk)
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("housing:booking_cancel", args=[self.first.pk]),
            {"from": "inbox", f"b{self.first.pk}-note": "台風のため"},
        )
        self.assertRedirects(response, self.inbox)
        booking = Booking.objects.get(pk=self.first.pk)
        self.assertEqual((booking.status, booking.decision_note), (BookingStatus.CANCELLED, "台風のため"))

    def test_viewers_see_the_inbox_but_cannot_decide(self):
        self.client.force_login(self.viewer)
        self.assertContains(self.client.get(self.inbox), "夫婦で伺います")
        self.assertEqual(
            self.client.post(reverse("housing:booking_approve", args=[self.first.pk])).status_code, 404
        )

    def test_isolation_another_organizations_bookings_never_show(self):
        for user in (self.admin, self.editor, self.viewer, self.seeker):
            self.client.force_login(user)
            for url in (
                self.inbox,
                reverse("housing:booking_list"),
                reverse("housing:trial_stay_manage_list"),
            ):
                with self.subTest(user=user.email, url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    for secret in ("飛騨の秘密のメッセージ", "飛騨 秘子", self.other_seeker.email):
                        self.assertNotContains(response, secret)
            with self.subTest(user=user.email, action="approve B's booking"):
                response = self.client.post(reverse("housing:booking_approve", args=[self.other_booking.pk]))
                self.assertEqual(response.status_code, 404)
                response = self.client.post(reverse("housing:booking_cancel", args=[self.other_booking.pk]))
                self.assertEqual(response.status_code, 404)
        self.assertEqual(Booking.objects.get(pk=self.other_booking.pk).status, BookingStatus.CONFIRMED)

    def test_sign_in_required(self):
        self.assertEqual(self.client.get(self.inbox).status_code, 302)


class FeedTests(BookingWorld):
    def test_confirmed_stays_as_all_day_busy_events_without_names(self):
        start = start_day()
        confirmed = BookingFactory(
            unit=self.unit,
            seeker=self.seeker,
            start_date=start,
            end_date=months_later(start, 1),
            status="confirmed",
            message="秘密",
        )
        BookingFactory(
            unit=self.unit,
            seeker=self.seeker2,
            start_date=months_later(start, 2),
            end_date=months_later(start, 3),
        )
        old = timezone.localdate() - timedelta(days=400)
        BookingFactory(unit=self.unit, start_date=old, end_date=old + timedelta(days=30), status="confirmed")
        with self.assertNumQueries(2):  # the unit, its confirmed stays from a year back
            response = self.client.get(reverse("housing:trial_stay_calendar", args=[self.unit.pk]))
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        feed = icalendar.Calendar.from_ical(response.content)
        events = list(feed.walk("VEVENT"))
        self.assertEqual(len(events), 1)
        event = events[0]
        self.assertEqual(str(event["uid"]), f"booking-{confirmed.pk}@127.0.0.1")
        self.assertEqual(event.decoded("dtstart"), start)
        self.assertEqual(event.decoded("dtend"), months_later(start, 1))
        self.assertEqual(str(event["transp"]), "OPAQUE")
        text = response.content.decode()
        for secret in (self.seeker.email, self.seeker.display_name, "秘密"):
            self.assertNotIn(secret, text)
        # The UID stays the same when the booking changes.
        Booking.objects.filter(pk=confirmed.pk).update(guests=3)
        again = icalendar.Calendar.from_ical(
            self.client.get(reverse("housing:trial_stay_calendar", args=[self.unit.pk])).content
        )
        self.assertEqual(str(next(iter(again.walk("VEVENT")))["uid"]), str(event["uid"]))


class SettingsPageTests(BookingWorld):
    def test_an_editor_configures_a_relocation_support_listing(self):
        listing = ListingFactory(
            organization=self.org, kind=ListingKind.RELOCATION_SUPPORT, title="移住支援住宅 窪川"
        )
        self.client.force_login(self.editor)
        manage = self.client.get(reverse("housing:trial_stay_manage_list"))
        self.assertContains(manage, "移住支援住宅 窪川")
        self.assertContains(manage, "未設定")
        url = reverse("housing:trial_stay_edit", args=[listing.pk])
        data = {
            "stay_unit": "month",
            "min_stay": 12,
            "max_stay": 24,
            "price_yen": 20000,
            "capacity": 4,
            "max_bookings_per_person": 1,
            "lead_time_days": 14,
            "house_rules": "",
            "is_bookable": "on",
        }
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("housing:trial_stay_manage_list"))
        self.assertEqual(listing.trial_stay.max_stay, 24)
        response = self.client.post(url, {**data, "min_stay": 30})
        self.assertContains(response, "最長滞在は最短滞在以上にしてください。")

    def test_the_manage_list_has_constant_queries(self):
        self.client.force_login(self.editor)
        ListingFactory(organization=self.org, kind=ListingKind.TRIAL_STAY)
        with self.assertNumQueries(4):  # session, user, roles, listings with their unit
            self.client.get(reverse("housing:trial_stay_manage_list"))

    def test_only_editors_of_the_organization(self):
        url = reverse("housing:trial_stay_edit", args=[self.unit.listing_id])
        for user, status in (
            (self.editor, 200),
            (self.viewer, 404),
            (self.seeker, 404),
            (self.other_editor, 404),
        ):
            self.client.force_login(user)
            with self.subTest(user=user.email):
                self.assertEqual(self.client.get(url).status_code, status)
