"""HTML flows of accounts through the test client: sign-up, login, reset, members, invitations, tokens."""

import html
import re
from unittest import mock

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import ApiToken, Invitation, Membership, User
from nikyoten.accounts.tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory

NEW_PASSWORD = "kochi-shimanto-2026"
MISSING_ORGANIZATION_ID = 999_999


def main_of(content: bytes) -> str:
    """The page's <main> element: what the visitor is told, without the per-request header (CSRF, path)."""
    found = re.search(r"<main\b.*?</main>", content.decode(), flags=re.DOTALL)
    assert found is not None
    return found.group(0)


def messages_of(response: object) -> list[str]:
    return [str(message) for message in response.context["messages"]]  # type: ignore[attr-defined]


class OrganizationPages(TestCase):
    """Organization A with an admin, an editor and a viewer; B (飛騨市) with its own member; a seeker."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.admin = MembershipFactory(
            organization=cls.org, role=MembershipRole.ADMIN, user__email="admin@shimanto.example.jp"
        ).user
        cls.editor_membership = MembershipFactory(
            organization=cls.org, role=MembershipRole.EDITOR, user__email="editor@shimanto.example.jp"
        )
        cls.editor = cls.editor_membership.user
        cls.viewer = MembershipFactory(
            organization=cls.org, role=MembershipRole.VIEWER, user__email="viewer@shimanto.example.jp"
        ).user
        cls.other_org = OrganizationFactory(name="飛騨市 移住推進課", code="21217")
        cls.other_member = MembershipFactory(
            organization=cls.other_org, role=MembershipRole.ADMIN, user__email="admin@hida.example.jp"
        ).user
        cls.seeker = UserFactory(email="seeker@example.jp")

    def members_url(self, pk: int | None = None) -> str:
        return reverse("accounts:organization_members", kwargs={"pk": pk or self.org.pk})

    def tokens_url(self, pk: int | None = None) -> str:
        return reverse("accounts:organization_tokens", kwargs={"pk": pk or self.org.pk})


class SignupViewTests(TestCase):
    url = reverse("accounts:signup")

    def signup(self, email: str, **extra: str) -> object:
        data = {
            "email": email,
            "display_name": "山田花子",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **extra,
        }
        return self.client.post(self.url, data)

    def test_creates_the_user_logs_in_and_redirects_to_the_account(self) -> None:
        response = self.signup("Hanako@Example.JP")

        self.assertRedirects(response, reverse("accounts:account"))
        user = User.objects.get(email="hanako@example.jp")
        self.assertEqual(self.client.session[SESSION_KEY], str(user.pk))
        self.assertContains(self.client.get(reverse("accounts:account")), "hanako@example.jp")

    def test_duplicate_email_shows_a_japanese_error_and_creates_nothing(self) -> None:
        UserFactory(email="hanako@example.jp")

        response = self.signup("HANAKO@example.jp")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "登録済みです。")
        self.assertEqual(User.objects.filter(email__iexact="hanako@example.jp").count(), 1)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_weak_password_is_shown_and_creates_nothing(self) -> None:
        response = self.signup("jiro@example.jp", password1="12345678", password2="12345678")

        self.assertContains(response, "このパスワードは数字しか使われていません。")
        self.assertFalse(User.objects.filter(email="jiro@example.jp").exists())

    def test_mismatched_passwords_are_refused(self) -> None:
        response = self.signup("jiro@example.jp", password2="something-else-2026")

        self.assertContains(response, "パスワードが一致しません。")
        self.assertFalse(User.objects.filter(email="jiro@example.jp").exists())

    def test_an_external_next_is_ignored(self) -> None:
        response = self.client.post(
            f"{self.url}?next=https://evil.example.com/",
            {"email": "saburo@example.jp", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

        self.assertRedirects(response, reverse("accounts:account"))


class LoginViewTests(TestCase):
    url = reverse("accounts:login")

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = UserFactory(email="taro@example.jp")

    def test_logs_in_with_email_and_password(self) -> None:
        response = self.client.post(self.url, {"username": "taro@example.jp", "password": PASSWORD})

        self.assertRedirects(response, reverse(settings.LOGIN_REDIRECT_URL), fetch_redirect_response=False)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.user.pk))

    def test_wrong_password_shows_the_japanese_message(self) -> None:
        response = self.client.post(self.url, {"username": "taro@example.jp", "password": "wrong-password"})

        self.assertContains(response, "メールアドレスまたはパスワードが正しくありません。")
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_inactive_user_cannot_log_in(self) -> None:
        User.objects.filter(pk=self.user.pk).update(is_active=False)

        response = self.client.post(self.url, {"username": "taro@example.jp", "password": PASSWORD})

        self.assertEqual(response.status_code, 200)
        self.assertNotIn(SESSION_KEY, self.client.session)


# django-ratelimit counts in fixed windows; pinning the window keeps a test from straddling its edge.
@mock.patch("django_ratelimit.core._get_window", return_value=4_000_000_000)
class LoginRateLimitTests(TestCase):
    url = reverse("accounts:login")
    limit = int(settings.RATELIMIT_LOGIN.split("/")[0])

    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = UserFactory(email="taro@example.jp")

    def test_after_the_limit_of_failures_from_one_ip_even_the_right_password_is_refused(
        self, _window: object
    ) -> None:
        for attempt in range(self.limit):
            response = self.client.post(
                self.url,
                {"username": f"guess{attempt}@example.jp", "password": "x"},
                REMOTE_ADDR="203.0.113.7",
            )
            self.assertEqual(response.status_code, 200, f"attempt {attempt + 1} should still be answered")

        response = self.client.post(
            self.url, {"username": "taro@example.jp", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
        )

        self.assertEqual(response.status_code, 429)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_other_ips_are_not_limited(self, _window: object) -> None:
        for attempt in range(self.limit + 1):
            self.client.post(
                self.url,
                {"username": f"guess{attempt}@example.jp", "password": "x"},
                REMOTE_ADDR="203.0.113.7",
            )

        response = self.client.post(
            self.url, {"username": "taro@example.jp", "password": PASSWORD}, REMOTE_ADDR="198.51.100.2"
        )

        self.assertEqual(response.status_code, 302)

    def test_one_account_is_limited_across_ips(self, _window: object) -> None:
        for attempt in range(self.limit):
            self.client.post(
                self.url,
                {"username": "taro@example.jp", "password": "x"},
                REMOTE_ADDR=f"203.0.113.{attempt + 1}",
            )

        response = self.client.post(
            self.url, {"username": "taro@example.jp", "password": PASSWORD}, REMOTE_ADDR="198.51.100.2"
        )

        self.assertEqual(response.status_code, 429)


@mock.patch("django_ratelimit.core._get_window", return_value=4_000_000_000)
class SignupRateLimitTests(TestCase):
    def test_too_many_signups_from_one_ip_answer_429(self, _window: object) -> None:
        limit = int(settings.RATELIMIT_SIGNUP.split("/")[0])
        for attempt in range(limit):
            self.client.post(
                reverse("accounts:signup"), {"email": f"u{attempt}@example.jp"}, REMOTE_ADDR="203.0.113.9"
            )

        response = self.client.post(
            reverse("accounts:signup"),
            {"email": "late@example.jp", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            REMOTE_ADDR="203.0.113.9",
        )

        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "しばらくしてからお試しください", status_code=429)
        self.assertFalse(User.objects.filter(email="late@example.jp").exists())


class LogoutViewTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = UserFactory()

    def test_logout_is_a_post(self) -> None:
        self.client.force_login(self.user)

        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        self.assertIn(SESSION_KEY, self.client.session)

        response = self.client.post(reverse("accounts:logout"))

        self.assertRedirects(response, reverse(settings.LOGOUT_REDIRECT_URL), fetch_redirect_response=False)
        self.assertNotIn(SESSION_KEY, self.client.session)


class PasswordResetTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = UserFactory(email="hanako@example.jp")

    def test_the_mailed_link_sets_a_new_password(self) -> None:
        response = self.client.post(reverse("accounts:password_reset"), {"email": "HANAKO@example.jp"})
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["hanako@example.jp"])
        self.assertIn("パスワードの再設定", mail.outbox[0].subject)
        link = re.search(r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body)
        assert link is not None, mail.outbox[0].body

        form_page = self.client.get(link.group(1), follow=True)
        self.assertTrue(form_page.context["validlink"])
        set_password_url = form_page.redirect_chain[-1][0]
        response = self.client.post(
            set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

        self.assertRedirects(response, reverse("accounts:password_reset_complete"))
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))
        self.assertFalse(self.client.login(username="hanako@example.jp", password=PASSWORD))
        login = self.client.post(
            reverse("accounts:login"), {"username": "hanako@example.jp", "password": NEW_PASSWORD}
        )
        self.assertEqual(login.status_code, 302)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.user.pk))

    def test_the_link_works_only_once(self) -> None:
        self.client.post(reverse("accounts:password_reset"), {"email": "hanako@example.jp"})
        path = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
        set_password_url = self.client.get(path, follow=True).redirect_chain[-1][0]
        self.client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

        again = self.client.get(path, follow=True)

        self.assertFalse(again.context["validlink"])

    def test_unknown_address_sends_nothing_but_answers_the_same(self) -> None:
        response = self.client.post(reverse("accounts:password_reset"), {"email": "nobody@example.jp"})

        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(mail.outbox, [])


class OrganizationMembersViewTests(OrganizationPages):
    def test_a_member_sees_the_members(self) -> None:
        self.client.force_login(self.viewer)

        response = self.client.get(self.members_url())

        self.assertEqual(response.status_code, 200)
        for email in (
            "admin@shimanto.example.jp",
            "editor@shimanto.example.jp",
            "viewer@shimanto.example.jp",
        ):
            self.assertContains(response, email)
        self.assertNotContains(response, "admin@hida.example.jp")
        self.assertFalse(response.context["can_manage"])
        self.assertNotContains(response, reverse("accounts:invitation_create", kwargs={"pk": self.org.pk}))

    def test_the_admin_also_sees_the_management_forms(self) -> None:
        self.client.force_login(self.admin)

        response = self.client.get(self.members_url())

        self.assertTrue(response.context["can_manage"])
        self.assertContains(response, reverse("accounts:invitation_create", kwargs={"pk": self.org.pk}))
        self.assertContains(
            response, reverse("accounts:membership_remove", kwargs={"pk": self.editor_membership.pk})
        )

    def test_non_members_get_the_same_404_as_a_missing_organization(self) -> None:
        for user in (self.seeker, self.other_member):
            with self.subTest(user=user.email):
                self.client.force_login(user)

                forbidden = self.client.get(self.members_url())
                missing = self.client.get(self.members_url(MISSING_ORGANIZATION_ID))

                self.assertEqual((forbidden.status_code, missing.status_code), (404, 404))
                self.assertEqual(main_of(forbidden.content), main_of(missing.content))
                self.assertIn("ページが見つかりません", main_of(forbidden.content))
                self.assertNotContains(forbidden, "editor@shimanto.example.jp", status_code=404)

    def test_anonymous_is_sent_to_login(self) -> None:
        response = self.client.get(self.members_url())

        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.members_url()}")

    def test_the_query_count_does_not_grow_with_the_members(self) -> None:
        self.client.force_login(self.admin)
        for _ in range(2):
            MembershipFactory(organization=self.org, role=MembershipRole.VIEWER)
        self.assertEqual(Membership.objects.filter(organization=self.org).count(), 5)
        with CaptureQueriesContext(connection) as five:
            self.assertEqual(self.client.get(self.members_url()).status_code, 200)

        for _ in range(5):
            MembershipFactory(organization=self.org, role=MembershipRole.VIEWER)
        with self.assertNumQueries(len(five)):
            response = self.client.get(self.members_url())

        self.assertEqual(len(response.context["memberships"]), 10)

    def test_the_query_count_baseline(self) -> None:
        self.client.force_login(self.admin)
        for _ in range(7):
            MembershipFactory(organization=self.org, role=MembershipRole.VIEWER)

        # session, user; organization + roles (gate of the members), organization (gate of the page),
        # organization (gate of the invitations); members; invitations
        with self.assertNumQueries(8):
            self.client.get(self.members_url())


class InvitationFlowTests(OrganizationPages):
    def invite(self, email: str = "newcomer@example.jp", role: str = MembershipRole.EDITOR) -> object:
        self.client.force_login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("accounts:invitation_create", kwargs={"pk": self.org.pk}),
                {"email": email, "role": role},
                follow=True,
            )

    def test_admin_invites_and_the_message_shows_the_link_once(self) -> None:
        response = self.invite()

        self.assertRedirects(response, self.members_url())
        invitation = Invitation.objects.get(email="newcomer@example.jp")
        self.assertEqual(invitation.role, MembershipRole.EDITOR)
        self.assertEqual(len(mail.outbox), 1)
        url = re.search(r"http://\S+/accounts/invitations/\S+/", mail.outbox[0].body).group(0)  # type: ignore[union-attr]
        (message,) = messages_of(response)
        self.assertIn(url, message)
        self.assertIn("newcomer@example.jp", message)
        self.assertNotContains(self.client.get(self.members_url()), url)

    def test_inviting_a_member_shows_the_refusal_on_the_form(self) -> None:
        response = self.invite(email="editor@shimanto.example.jp")

        self.assertContains(response, "この人は既にこの組織のメンバーです。")
        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_an_invalid_address_shows_the_form_again(self) -> None:
        response = self.invite(email="not-an-email")

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["invitation_form"].errors["email"])
        self.assertContains(response, "editor@shimanto.example.jp")
        self.assertFalse(Invitation.objects.exists())

    def test_an_editor_cannot_invite(self) -> None:
        self.client.force_login(self.editor)

        response = self.client.post(
            reverse("accounts:invitation_create", kwargs={"pk": self.org.pk}),
            {"email": "x@example.jp", "role": "admin"},
        )

        self.assertEqual(response.status_code, 404)
        self.assertFalse(Invitation.objects.exists())

    def test_the_invited_person_signs_up_through_the_link_and_joins(self) -> None:
        self.invite(role=MembershipRole.VIEWER)
        invitation_path = re.search(r"http://[^/]+(/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
        self.client.logout()

        page = self.client.get(invitation_path)
        self.assertContains(page, self.org.name)
        signup_href = re.search(r'href="(/accounts/signup/\?[^"]+)"', page.content.decode())
        assert signup_href is not None
        signup_url = html.unescape(signup_href.group(1))
        self.assertIn(f"next={invitation_path}", signup_url)

        signup_page = self.client.get(signup_url)
        self.assertEqual(signup_page.context["form"].initial["email"], "newcomer@example.jp")
        response = self.client.post(
            signup_url,
            {
                "email": "newcomer@example.jp",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "next": signup_page.context["next"],
            },
        )
        self.assertRedirects(response, invitation_path)

        accept_page = self.client.get(invitation_path)
        self.assertContains(accept_page, "招待を承諾する")
        response = self.client.post(invitation_path, follow=True)

        self.assertRedirects(response, self.members_url())
        membership = Membership.objects.get(organization=self.org, user__email="newcomer@example.jp")
        self.assertEqual(membership.role, MembershipRole.VIEWER)
        self.assertContains(response, "newcomer@example.jp")
        self.assertEqual(self.client.get(invitation_path).status_code, 404)

    def test_anonymous_accept_is_sent_to_login(self) -> None:
        self.invite()
        invitation_path = re.search(r"http://[^/]+(/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
        self.client.logout()

        response = self.client.post(invitation_path)

        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={invitation_path}", fetch_redirect_response=False
        )
        self.assertFalse(Membership.objects.filter(user__email="newcomer@example.jp").exists())

    def test_the_wrong_account_sees_an_error_and_does_not_join(self) -> None:
        self.invite()
        invitation_path = re.search(r"http://[^/]+(/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
        self.client.force_login(self.seeker)

        response = self.client.post(invitation_path, follow=True)

        self.assertIn("newcomer@example.jp", messages_of(response)[0])
        self.assertFalse(Membership.objects.filter(user=self.seeker).exists())

    def test_an_unknown_link_is_404(self) -> None:
        self.assertEqual(
            self.client.get(reverse("accounts:invitation_accept", kwargs={"secret": "nope"})).status_code, 404
        )

    def test_admin_revokes_an_invitation(self) -> None:
        self.invite()
        invitation = Invitation.objects.get()

        response = self.client.post(reverse("accounts:invitation_revoke", kwargs={"pk": invitation.pk}))

        self.assertRedirects(response, self.members_url())
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.revoked_at)


class MembershipManagementViewTests(OrganizationPages):
    def role_url(self, membership: Membership) -> str:
        return reverse("accounts:membership_role", kwargs={"pk": membership.pk})

    def remove_url(self, membership: Membership) -> str:
        return reverse("accounts:membership_remove", kwargs={"pk": membership.pk})

    def test_admin_changes_a_role(self) -> None:
        self.client.force_login(self.admin)

        response = self.client.post(self.role_url(self.editor_membership), {"role": "viewer"}, follow=True)

        self.assertRedirects(response, self.members_url())
        self.assertEqual(Membership.objects.get(pk=self.editor_membership.pk).role, MembershipRole.VIEWER)
        self.assertIn("閲覧者", messages_of(response)[0])

    def test_demoting_the_last_admin_shows_the_refusal(self) -> None:
        self.client.force_login(self.admin)
        own = Membership.objects.get(user=self.admin, organization=self.org)

        response = self.client.post(self.role_url(own), {"role": "editor"}, follow=True)

        self.assertRedirects(response, self.members_url())
        self.assertEqual(
            messages_of(response), ["組織には管理者が最低1人必要です。先に別の人を管理者にしてください。"]
        )
        self.assertEqual(Membership.objects.get(pk=own.pk).role, MembershipRole.ADMIN)

    def test_an_invalid_role_is_refused(self) -> None:
        self.client.force_login(self.admin)

        response = self.client.post(self.role_url(self.editor_membership), {"role": "owner"}, follow=True)

        self.assertEqual(messages_of(response), ["役割が正しくありません。"])
        self.assertEqual(Membership.objects.get(pk=self.editor_membership.pk).role, MembershipRole.EDITOR)

    def test_admin_removes_a_member(self) -> None:
        self.client.force_login(self.admin)

        response = self.client.post(self.remove_url(self.editor_membership), follow=True)

        self.assertRedirects(response, self.members_url())
        self.assertFalse(Membership.objects.filter(pk=self.editor_membership.pk).exists())
        self.assertNotContains(response, "editor@shimanto.example.jp")

    def test_non_admins_get_404_and_nothing_changes(self) -> None:
        for user in (self.editor, self.other_member, self.seeker):
            with self.subTest(user=user.email):
                self.client.force_login(user)

                self.assertEqual(
                    self.client.post(self.role_url(self.editor_membership), {"role": "admin"}).status_code,
                    404,
                )
                self.assertEqual(self.client.post(self.remove_url(self.editor_membership)).status_code, 404)

        self.assertEqual(Membership.objects.get(pk=self.editor_membership.pk).role, MembershipRole.EDITOR)

    def test_a_missing_membership_is_404(self) -> None:
        self.client.force_login(self.admin)

        self.assertEqual(
            self.client.post(reverse("accounts:membership_remove", kwargs={"pk": 999_999})).status_code, 404
        )
        self.assertEqual(
            self.client.post(
                reverse("accounts:membership_role", kwargs={"pk": 999_999}), {"role": "viewer"}
            ).status_code,
            404,
        )


class OrganizationTokensViewTests(OrganizationPages):
    def test_the_key_is_shown_once(self) -> None:
        self.client.force_login(self.admin)

        response = self.client.post(self.tokens_url(), {"name": "町の公式サイト", "role": "viewer"})

        self.assertEqual(response.status_code, 200)
        key = response.context["issued"].key
        self.assertContains(response, key)
        token = ApiToken.objects.get(organization=self.org)
        self.assertTrue(key.startswith(f"nk_{token.prefix}_"))
        later = self.client.get(self.tokens_url())
        self.assertContains(later, f"nk_{token.prefix}_…")
        self.assertNotContains(later, key)

    def test_admin_role_is_not_offered_or_accepted(self) -> None:
        self.client.force_login(self.admin)

        response = self.client.post(self.tokens_url(), {"name": "管理用", "role": "admin"})

        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["issued"])
        self.assertFalse(ApiToken.objects.exists())

    def test_non_admins_get_404(self) -> None:
        for user in (self.editor, self.viewer, self.other_member):
            with self.subTest(user=user.email):
                self.client.force_login(user)

                self.assertEqual(self.client.get(self.tokens_url()).status_code, 404)
                self.assertEqual(
                    self.client.post(self.tokens_url(), {"name": "x", "role": "viewer"}).status_code, 404
                )

        self.assertFalse(ApiToken.objects.exists())

    def test_admin_revokes_a_token(self) -> None:
        self.client.force_login(self.admin)
        self.client.post(self.tokens_url(), {"name": "町の公式サイト", "role": "editor"})
        token = ApiToken.objects.get()

        response = self.client.post(reverse("accounts:api_token_revoke", kwargs={"pk": token.pk}))

        self.assertRedirects(response, self.tokens_url())
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)


class OrganizationDetailViewTests(OrganizationPages):
    def test_the_profile_is_public_but_management_links_are_for_members(self) -> None:
        url = reverse("accounts:organization_detail", kwargs={"pk": self.org.pk})

        anonymous = self.client.get(url)
        self.assertContains(anonymous, self.org.name)
        self.assertNotContains(anonymous, self.members_url())

        self.client.force_login(self.admin)
        admin = self.client.get(url)
        self.assertContains(admin, self.members_url())
        self.assertContains(admin, self.tokens_url())

    def test_an_inactive_organization_is_404(self) -> None:
        inactive = OrganizationFactory(is_active=False)

        self.assertEqual(
            self.client.get(reverse("accounts:organization_detail", kwargs={"pk": inactive.pk})).status_code,
            404,
        )


class CsrfTests(OrganizationPages):
    def test_a_post_without_the_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.admin)
        url = reverse("accounts:invitation_create", kwargs={"pk": self.org.pk})

        response = client.post(url, {"email": "newcomer@example.jp", "role": "viewer"})

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Invitation.objects.exists())

        client.get(self.members_url())
        response = client.post(
            url,
            {
                "email": "newcomer@example.jp",
                "role": "viewer",
                "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Invitation.objects.exists())

    def test_login_without_the_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)

        response = client.post(
            reverse("accounts:login"), {"username": self.admin.email, "password": PASSWORD}
        )

        self.assertEqual(response.status_code, 403)
        self.assertNotIn(SESSION_KEY, client.session)
