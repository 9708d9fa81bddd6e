"""Booking API: units and availability, requests and the workflow steps, errors in the one shape, isolation."""

import json
from datetime import timedelta
from unittest import mock

from django.test import override_settings
from django.urls import reverse

from nikyoten.accounts import services as account_services
from nikyoten.accounts.choices import MembershipRole
from nikyoten.housing.choices import BookingStatus, ListingStatus
from nikyoten.housing.models import Booking
from nikyoten.housing.tests.factories import BookingFactory, TrialStayUnitFactory
from nikyoten.housing.tests.test_bookings_base import BookingWorld, months_later, start_day

UNITS = reverse("housing-api:trial-stay-list")
BOOKINGS = reverse("housing-api:booking-list")


def unit_url(unit, action=None):
    if action is None:
        return reverse("housing-api:trial-stay-detail", args=[unit.pk])
    return reverse(f"housing-api:trial-stay-{action}", args=[unit.pk])


def step_url(booking, step):
    return reverse(f"housing-api:booking-{step}", args=[booking.pk])


class TrialStayApiTests(BookingWorld):
    def test_list_of_bookable_units_with_constant_queries(self):
        TrialStayUnitFactory(listing__organization=self.org, is_bookable=False)
        with self.assertNumQueries(2):  # count, page
            body = self.client.get(UNITS).json()
        self.assertEqual(body["count"], 3)
        shimanto = next(u for u in body["results"] if u["id"] == self.unit.pk)
        self.assertEqual(shimanto["title"], "お試し滞在住宅 大正")
        self.assertEqual(
            shimanto["municipality"], {"code": "39412", "name": "四万十町", "prefecture": "高知県"}
        )
        self.assertEqual((shimanto["stay_unit"], shimanto["min_stay"], shimanto["max_stay"]), ("month", 1, 6))
        self.assertEqual(shimanto["price_yen"], 30000)

    def test_detail_and_missing(self):
        self.assertEqual(self.client.get(unit_url(self.unit)).json()["id"], self.unit.pk)
        response = self.client.get(reverse("housing-api:trial-stay-detail", args=[999_999]))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"]["code"], "not_found")

    def test_availability(self):
        start = start_day()
        BookingFactory(unit=self.unit, start_date=start, end_date=months_later(start, 1), status="confirmed")
        BookingFactory(unit=self.unit, start_date=months_later(start, 2), end_date=months_later(start, 3))
        body = self.client.get(
            unit_url(self.unit, "availability"),
            {"from": (start - timedelta(days=5)).isoformat(), "to": (start + timedelta(days=1)).isoformat()},
        ).json()
        self.assertFalse(body["available"])
        self.assertEqual(
            body["confirmed"],
            [{"start_date": start.isoformat(), "end_date": months_later(start, 1).isoformat()}],
        )
        self.assertNotIn("seeker", json.dumps(body))
        free = self.client.get(
            unit_url(self.unit, "availability"),
            {"from": months_later(start, 1).isoformat(), "to": months_later(start, 3).isoformat()},
        ).json()
        self.assertEqual((free["available"], free["confirmed"]), (True, []))

    def test_malformed_reversed_or_too_long_ranges_are_400_in_japanese(self):
        cases = {
            "malformed": (
                {"from": "2027-02-30", "to": "2027-03-01"},
                "from",
                "日付は 2027-01-15 の形式で指定してください。",
            ),
            "missing": ({"to": "2027-03-01"}, "from", "日付を指定してください。"),
            "reversed": (
                {"from": "2027-03-01", "to": "2027-02-01"},
                "to",
                "to は from より後の日付にしてください。",
            ),
            "same day": (
                {"from": "2027-03-01", "to": "2027-03-01"},
                "to",
                "to は from より後の日付にしてください。",
            ),
            "too long": (
                {"from": "2027-01-01", "to": "2028-01-03"},
                "to",
                "一度に確認できるのは366日までです。",
            ),
        }
        for name, (params, field, message) in cases.items():
            with self.subTest(name):
                response = self.client.get(unit_url(self.unit, "availability"), params)
                self.assertEqual(response.status_code, 400)
                error = response.json()["error"]
                self.assertEqual(error["code"], "invalid")
                self.assertEqual(error["message"], message)
                self.assertEqual(error["fields"][field], [message])


class BookingApiTests(BookingWorld):
    def post_request(self, unit=None, **overrides):
        start = start_day()
        data = {"start_date": start.isoformat(), "end_date": months_later(start, 2).isoformat(), "guests": 2}
        return self.client.post(
            unit_url(unit or self.unit, "request-booking"),
            {**data, **overrides},
            content_type="application/json",
        )

    def test_a_seeker_requests_a_stay(self):
        self.client.force_login(self.seeker)
        response = self.post_request(message="よろしくお願いします")
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(
            (body["status"], body["trial_stay_id"], body["guests"]), ("requested", self.unit.pk, 2)
        )
        self.assertEqual(body["seeker"]["email"], self.seeker.email)

    def test_a_rule_refusal_is_400_with_the_rule(self):
        self.client.force_login(self.seeker)
        response = self.post_request(guests=7)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["error"],
            {
                "code": "booking_refused",
                "message": "この住宅の定員は4人です。",
                "fields": {"guests": ["この住宅の定員は4人です。"]},
            },
        )

    def test_malformed_dates_are_400(self):
        self.client.force_login(self.seeker)
        response = self.post_request(start_date="15/01/2027")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["error"]["fields"]["start_date"], ["日付は 2027-01-15 の形式で指定してください。"]
        )

    def test_anonymous_is_refused(self):
        response = self.post_request()
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["message"], "予約を申し込むにはログインしてください。")

    @override_settings(RATELIMIT_BOOKING="1/h")
    @mock.patch("django_ratelimit.core._get_window", return_value=4_000_000_000)
    def test_rate_limited_in_the_error_shape(self, _window):
        self.client.force_login(self.seeker)
        self.assertEqual(self.post_request(guests=9).status_code, 400)
        response = self.post_request()
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["error"]["code"], "rate_limited")
        self.assertFalse(Booking.objects.filter(unit=self.unit).exists())

    def test_workflow_approve_conflict_decline_cancel(self):
        start = start_day()
        first = BookingFactory(
            unit=self.unit, seeker=self.seeker, start_date=start, end_date=months_later(start, 2)
        )
        second = BookingFactory(
            unit=self.unit, seeker=self.seeker2, start_date=start, end_date=months_later(start, 1)
        )
        self.client.force_login(self.editor)
        response = self.client.post(
            step_url(first, "approve"), {"note": "鍵は役場で"}, content_type="application/json"
        )
        self.assertEqual((response.status_code, response.json()["status"]), (200, "confirmed"))
        response = self.client.post(step_url(second, "approve"), {}, content_type="application/json")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["error"]["code"], "booking_conflict")
        self.assertIn("確定した予約", response.json()["error"]["message"])
        response = self.client.post(
            step_url(second, "decline"), {"note": ""}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            step_url(second, "decline"), {"note": "満室です"}, content_type="application/json"
        )
        self.assertEqual(response.json()["status"], "declined")
        self.client.force_login(self.seeker)
        response = self.client.post(step_url(first, "cancel"), {}, content_type="application/json")
        self.assertEqual(response.json()["status"], "cancelled")

    def test_an_organization_token_with_the_editor_role_decides(self):
        booking = BookingFactory(
            unit=self.unit, start_date=start_day(), end_date=months_later(start_day(), 1)
        )
        editor_key = account_services.api_token_issue(
            actor=self.admin, organization_id=self.org.pk, name="予約システム", role=MembershipRole.EDITOR
        ).key
        viewer_key = account_services.api_token_issue(
            actor=self.admin, organization_id=self.org.pk, name="閲覧", role=MembershipRole.VIEWER
        ).key
        response = self.client.post(step_url(booking, "approve"), HTTP_AUTHORIZATION=f"Bearer {viewer_key}")
        self.assertEqual(response.status_code, 404)
        response = self.client.post(step_url(booking, "approve"), HTTP_AUTHORIZATION=f"Bearer {editor_key}")
        self.assertEqual(response.json()["status"], "confirmed")

    def test_the_step_matrix(self):
        """role × step × organization: who gets 200 and who gets 404."""
        cases = [
            ("approve", self.editor, 200),
            ("approve", self.admin, 200),
            ("approve", self.viewer, 404),
            ("approve", self.seeker, 404),
            ("approve", self.other_editor, 404),
            ("decline", self.editor, 200),
            ("decline", self.viewer, 404),
            ("decline", self.seeker, 404),
            ("decline", self.other_editor, 404),
            ("cancel", self.seeker, 200),
            ("cancel", self.editor, 200),
            ("cancel", self.viewer, 404),
            ("cancel", self.seeker2, 404),
            ("cancel", self.other_editor, 404),
        ]
        for step, user, expected in cases:
            booking = BookingFactory(
                unit=self.nightly,
                seeker=self.seeker,
                start_date=start_day(),
                end_date=start_day() + timedelta(days=2),
            )
            self.client.force_login(user)
            with self.subTest(step=step, user=user.email):
                response = self.client.post(
                    step_url(booking, step), {"note": "理由"}, content_type="application/json"
                )
                self.assertEqual(response.status_code, expected)
            Booking.objects.filter(pk=booking.pk).delete()

    def test_my_bookings_and_my_organizations_with_constant_queries(self):
        mine = BookingFactory(
            unit=self.nightly,
            seeker=self.editor,
            start_date=start_day(),
            end_date=start_day() + timedelta(days=2),
        )
        theirs = BookingFactory(unit=self.unit, seeker=self.seeker)
        self.client.force_login(self.editor)
        with self.assertNumQueries(5):  # session, user, roles, count, page
            body = self.client.get(BOOKINGS).json()
        self.assertEqual({b["id"] for b in body["results"]}, {mine.pk, theirs.pk})
        self.assertEqual(
            [b["id"] for b in self.client.get(BOOKINGS, {"scope": "mine"}).json()["results"]], [mine.pk]
        )
        organization = self.client.get(BOOKINGS, {"scope": "organization", "trial_stay": self.unit.pk}).json()
        self.assertEqual([b["id"] for b in organization["results"]], [theirs.pk])
        self.assertEqual(self.client.get(BOOKINGS, {"status": "confirmed"}).json()["count"], 0)


class IsolationApiTests(BookingWorld):
    """飛騨市's bookings (its seeker's name, email, message) never show to 四万十町's people or token."""

    def setUp(self):
        self.other_withdrawn = TrialStayUnitFactory(
            listing__organization=self.other_org,
            listing__title="飛騨の非公開住宅",
            listing__status=ListingStatus.WITHDRAWN,
        )

    def answers(self, **credentials):
        urls = [
            UNITS,
            BOOKINGS,
            f"{BOOKINGS}?scope=organization",
            reverse("housing-api:booking-detail", args=[self.other_booking.pk]),
            unit_url(self.other_withdrawn),
            unit_url(self.other_unit, "availability")
            + f"?from={start_day().isoformat()}&to={months_later(start_day(), 2).isoformat()}",
        ]
        return {url: self.client.get(url, **credentials) for url in urls}

    def assert_nothing_of_b(self, answers):
        for url, response in answers.items():
            text = json.dumps(response.json(), ensure_ascii=False)
            for secret in (
                "飛騨の秘密のメッセージ",
                "飛騨 秘子",
                self.other_seeker.email,
                "飛騨の非公開住宅",
            ):
                with self.subTest(url=url, secret=secret):
                    self.assertNotIn(secret, text)
        self.assertEqual(
            answers[reverse("housing-api:booking-detail", args=[self.other_booking.pk])].status_code, 404
        )
        self.assertEqual(answers[unit_url(self.other_withdrawn)].status_code, 404)

    def test_as_each_role_of_organization_a_and_a_seeker(self):
        for user in (self.admin, self.editor, self.viewer, self.seeker):
            self.client.force_login(user)
            with self.subTest(user=user.email):
                self.assert_nothing_of_b(self.answers())

    def test_as_organization_a_token(self):
        key = account_services.api_token_issue(
            actor=self.admin, organization_id=self.org.pk, name="公式サイト"
        ).key
        self.assert_nothing_of_b(self.answers(HTTP_AUTHORIZATION=f"Bearer {key}"))

    def test_b_can_see_its_own(self):
        self.client.force_login(self.other_editor)
        body = self.client.get(BOOKINGS).json()
        self.assertEqual([b["id"] for b in body["results"]], [self.other_booking.pk])
        self.assertEqual(body["results"][0]["message"], "飛騨の秘密のメッセージ")
        self.assertEqual(body["results"][0]["status"], BookingStatus.CONFIRMED)
