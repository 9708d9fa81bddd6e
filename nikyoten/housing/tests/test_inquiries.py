"""Inquiries: the rules of the service, who sees which thread (pages and API), notifications and rate limits."""

from unittest import mock

from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from nikyoten.accounts import services as account_services
from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import AuditEvent, User
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.housing.choices import InquiryStatus, ListingStatus
from nikyoten.housing.models import Inquiry, InquiryMessage
from nikyoten.housing.services import inquiries as services
from nikyoten.housing.tests.factories import InquiryFactory, InquiryMessageFactory, ListingFactory

BODY = "来月の週末に内見できますか。家族4人です。"
API_LIST = reverse("housing-api:inquiry-list")


class InquiryWorld(TestCase):
    """A 四万十町 listing with its organization's staff, a seeker, and another organization (飛騨市) with its own."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.organization = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.editor = MembershipFactory(organization=cls.organization, role=MembershipRole.EDITOR).user
        cls.viewer = MembershipFactory(organization=cls.organization, role=MembershipRole.VIEWER).user
        cls.listing = ListingFactory(organization=cls.organization)
        cls.seeker = UserFactory(email="seeker@example.jp")
        cls.other_seeker = UserFactory(email="other@example.jp")
        cls.other_organization = OrganizationFactory(code="21217", name="飛騨市 地域づくり課")
        cls.other_editor = MembershipFactory(
            organization=cls.other_organization, role=MembershipRole.EDITOR
        ).user
        cls.other_listing = ListingFactory(organization=cls.other_organization)
        cls.other_inquiry = InquiryFactory(
            listing=cls.other_listing, seeker=cls.other_seeker, subject="飛騨の件"
        )
        InquiryMessageFactory(inquiry=cls.other_inquiry, body="飛騨市の物件についての個人的な相談です。")

    def ask(self, **kwargs: object) -> Inquiry:
        return services.inquiry_create(
            **{
                "actor": self.seeker,
                "listing_id": self.listing.pk,
                "subject": "内見の希望",
                "body": BODY,
                **kwargs,
            }
        )


class InquiryServiceTests(InquiryWorld):
    def test_a_seeker_opens_a_thread_and_the_organizations_editors_are_told(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            inquiry = self.ask()
        self.assertEqual(inquiry.organization, self.organization)
        self.assertEqual(inquiry.status, InquiryStatus.NEW)
        self.assertEqual([m.body for m in inquiry.messages.all()], [BODY])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [self.editor.email])  # editors only, not viewers
        self.assertNotIn(BODY, mail.outbox[0].body)  # the message itself stays on the site
        self.assertIn(f"/housing/inquiries/{inquiry.pk}/", mail.outbox[0].body)
        self.assertTrue(
            AuditEvent.objects.filter(entity="housing.inquiry", entity_id=str(inquiry.pk)).exists()
        )

    def test_staff_answer_marks_it_answered_and_tells_the_seeker_then_the_seeker_reopens_it(self) -> None:
        inquiry = self.ask()
        with self.captureOnCommitCallbacks(execute=True):
            services.inquiry_reply(
                actor=self.editor, inquiry_id=inquiry.pk, body="はい、土曜日の午前はいかがですか。"
            )
        inquiry.refresh_from_db()
        self.assertEqual(inquiry.status, InquiryStatus.ANSWERED)
        self.assertEqual(mail.outbox[-1].to, [self.seeker.email])
        services.inquiry_reply(actor=self.seeker, inquiry_id=inquiry.pk, body="土曜日の10時でお願いします。")
        inquiry.refresh_from_db()
        self.assertEqual(inquiry.status, InquiryStatus.NEW)
        self.assertEqual([m.from_organization for m in inquiry.messages.order_by("id")], [False, True, False])

    def test_closed_listings_and_threads_refuse_messages(self) -> None:
        for status in (ListingStatus.CONTRACTED,):
            listing = ListingFactory(organization=self.organization, status=status)
            with self.assertRaisesMessage(ApplicationError, "募集を終了"):
                self.ask(listing_id=listing.pk)
        withdrawn = ListingFactory(organization=self.organization, status=ListingStatus.WITHDRAWN)
        with self.assertRaises(NotFound):
            self.ask(listing_id=withdrawn.pk)
        inquiry = self.ask()
        services.inquiry_close(actor=self.seeker, inquiry_id=inquiry.pk)
        with self.assertRaisesMessage(ApplicationError, "完了しています"):
            services.inquiry_reply(
                actor=self.editor, inquiry_id=inquiry.pk, body="追加のご連絡です。よろしくお願いします。"
            )
        self.assertEqual(inquiry.messages.count(), 1)

    def test_spam_rules_refuse_and_write_nothing(self) -> None:
        cases = {
            "短すぎ": "本文は10文字以上",
            "安い http://a.example http://b.example http://c.example www.d.example": "リンクは3件まで",
        }
        for body, message in cases.items():
            with self.subTest(body=body), self.assertRaisesMessage(ApplicationError, message):
                self.ask(body=body)
        self.ask()
        with self.assertRaisesMessage(ApplicationError, "同じ内容をすでに送信しました"):
            self.ask()
        self.assertEqual(Inquiry.objects.filter(seeker=self.seeker).count(), 1)

    def test_anonymous_and_api_clients_cannot_open_a_thread(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        with self.assertRaisesMessage(ApplicationError, "ログイン"):
            self.ask(actor=AnonymousUser())
        self.assertFalse(Inquiry.objects.filter(listing=self.listing).exists())

    def test_who_may_reply_and_close(self) -> None:
        """Role × action × organization: the seeker and the organization's editors write; viewers and others 404."""
        inquiry = self.ask()
        allowed = {
            self.seeker: True,
            self.editor: True,
            self.viewer: False,
            self.other_editor: False,
            self.other_seeker: False,
        }
        for actor, may in allowed.items():
            with self.subTest(actor=actor.email):
                if may:
                    services.inquiry_reply(
                        actor=actor, inquiry_id=inquiry.pk, body=f"{actor.email} からの返信です。"
                    )
                else:
                    with self.assertRaises(NotFound):
                        services.inquiry_reply(
                            actor=actor, inquiry_id=inquiry.pk, body="見えないはずの返信です。"
                        )
                    with self.assertRaises(NotFound):
                        services.inquiry_close(actor=actor, inquiry_id=inquiry.pk)
        self.assertEqual(inquiry.messages.count(), 3)


class InquiryPageTests(InquiryWorld):
    def test_a_seeker_asks_from_the_listing_and_reads_the_thread(self) -> None:
        self.client.force_login(self.seeker)
        url = reverse("housing:inquiry_create", args=[self.listing.pk])
        self.assertContains(self.client.get(url), self.listing.title)
        response = self.client.post(url, {"subject": "内見の希望", "body": BODY, "website": ""}, follow=True)
        inquiry = Inquiry.objects.get(seeker=self.seeker)
        self.assertRedirects(response, reverse("housing:inquiry_detail", args=[inquiry.pk]))
        self.assertContains(response, BODY)
        self.assertContains(self.client.get(reverse("housing:inquiry_list")), "内見の希望")

    def test_a_filled_honeypot_or_bad_body_shows_the_form_again_and_saves_nothing(self) -> None:
        self.client.force_login(self.seeker)
        url = reverse("housing:inquiry_create", args=[self.listing.pk])
        response = self.client.post(url, {"subject": "格安", "body": BODY, "website": "http://spam.example"})
        self.assertContains(response, "送信できませんでした")
        response = self.client.post(url, {"subject": "格安", "body": "短い"})
        self.assertContains(response, "本文は10文字以上")
        self.assertFalse(Inquiry.objects.filter(seeker=self.seeker).exists())

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        url = reverse("housing:inquiry_create", args=[self.listing.pk])
        response = self.client.get(url)
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False
        )

    def test_the_inbox_shows_the_organizations_threads_only_to_its_members(self) -> None:
        mine = self.ask()
        inbox = reverse("housing:inquiry_inbox", args=[self.organization.pk])
        self.client.force_login(self.viewer)
        with self.assertNumQueries(5):  # session, user, roles, organization, threads
            response = self.client.get(inbox)
        self.assertContains(response, mine.subject)
        self.assertNotContains(response, self.other_inquiry.subject)
        self.assertContains(self.client.get(inbox, {"status": "answered"}), "該当する問い合わせはありません")
        self.client.force_login(self.other_editor)
        self.assertEqual(self.client.get(inbox).status_code, 404)
        self.client.force_login(self.seeker)
        self.assertEqual(self.client.get(inbox).status_code, 404)

    def test_another_persons_or_organizations_thread_is_404_like_a_missing_one(self) -> None:
        for actor in (self.seeker, self.editor, self.viewer):
            self.client.force_login(actor)
            with self.subTest(actor=actor.email):
                self.assertEqual(
                    self.client.get(
                        reverse("housing:inquiry_detail", args=[self.other_inquiry.pk])
                    ).status_code,
                    404,
                )
                self.assertEqual(
                    self.client.get(reverse("housing:inquiry_detail", args=[999999])).status_code, 404
                )
                self.assertNotContains(self.client.get(reverse("housing:inquiry_list")), "飛騨の件")

    @mock.patch("django_ratelimit.core._get_window", return_value=4_000_000_000)
    def test_sending_is_rate_limited(self, _window: object) -> None:
        limit = int(settings.RATELIMIT_INQUIRY.split("/")[0])
        self.client.force_login(self.seeker)
        url = reverse("housing:inquiry_create", args=[self.listing.pk])
        for attempt in range(limit):
            response = self.client.post(url, {"subject": "質問", "body": f"{BODY}（{attempt}回目）"})
            self.assertEqual(response.status_code, 302, f"attempt {attempt + 1} should still be answered")
        response = self.client.post(url, {"subject": "質問", "body": f"{BODY}（もう一度）"})
        self.assertContains(response, "しばらくしてからお試しください", status_code=429)
        self.assertEqual(Inquiry.objects.filter(seeker=self.seeker).count(), limit)


class InquiryApiTests(InquiryWorld):
    def setUp(self) -> None:
        self.api = APIClient()

    def test_a_seeker_opens_replies_and_closes_over_the_api(self) -> None:
        self.api.force_authenticate(self.seeker)
        response = self.api.post(
            API_LIST, {"listing": self.listing.pk, "subject": "内見の希望", "body": BODY}
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertEqual([m["body"] for m in response.json()["messages"]], [BODY])
        self.api.force_authenticate(self.editor)
        reply = self.api.post(
            reverse("housing-api:inquiry-messages", args=[pk]), {"body": "土曜日はいかがですか。"}
        )
        self.assertEqual(reply.status_code, 201)
        self.assertTrue(reply.json()["from_organization"])
        closed = self.api.post(reverse("housing-api:inquiry-close", args=[pk]))
        self.assertEqual(closed.json()["status"], "closed")

    def test_refusals_use_the_error_shape(self) -> None:
        self.api.force_authenticate(self.seeker)
        response = self.api.post(API_LIST, {"listing": self.listing.pk, "subject": "x", "body": "短い"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["code"], "inquiry_refused")
        response = self.api.post(API_LIST, {"listing": 999999, "subject": "x", "body": BODY})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.api.get(API_LIST).json()["count"], 0)
        self.api.force_authenticate(None)
        self.assertIn(self.api.get(API_LIST).status_code, (401, 403))

    def test_lists_show_only_whom_it_concerns(self) -> None:
        mine = self.ask()
        expectations = {
            self.seeker: {mine.pk},
            self.viewer: {mine.pk},
            self.other_seeker: {self.other_inquiry.pk},
            self.other_editor: {self.other_inquiry.pk},
        }
        for actor, expected in expectations.items():
            self.api.force_authenticate(User.objects.get(pk=actor.pk))  # no roles cached yet
            with self.subTest(actor=actor.email), self.assertNumQueries(3):
                ids = {row["id"] for row in self.api.get(API_LIST).json()["results"]}
            self.assertEqual(ids, expected)
        self.api.force_authenticate(self.seeker)
        other = self.api.get(reverse("housing-api:inquiry-detail", args=[self.other_inquiry.pk]))
        self.assertEqual(other.status_code, 404)
        self.assertNotIn("飛騨市の物件", other.content.decode())

    def test_an_organization_token_reads_its_inbox_but_cannot_write_as_a_seeker(self) -> None:
        mine = self.ask()
        issued = account_services.api_token_issue(
            actor=MembershipFactory(organization=self.organization, role=MembershipRole.ADMIN).user,
            organization_id=self.organization.pk,
            name="受信箱連携",
            role=MembershipRole.VIEWER,
        )
        self.api.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
        ids = {row["id"] for row in self.api.get(API_LIST).json()["results"]}
        self.assertEqual(ids, {mine.pk})
        response = self.api.post(API_LIST, {"listing": self.listing.pk, "subject": "x", "body": BODY})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(InquiryMessage.objects.filter(inquiry__listing=self.listing).count(), 1)
