"""Every rule of the accounts services, including each refusal."""

import hashlib
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from nikyoten.accounts import services
from nikyoten.accounts.choices import AuditAction, MembershipRole, OrganizationKind
from nikyoten.accounts.models import ApiToken, AuditEvent, Invitation, Membership, Organization, User
from nikyoten.accounts.principals import ApiClient
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.regions.models import Municipality, Prefecture

STRONG_PASSWORD = "shimanto-river-2025"


class OrganizationWithStaff(TestCase):
    """Organization A (四万十町) with an admin, editor and viewer; B (飛騨市) with its own admin."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.admin = MembershipFactory(organization=cls.org, role=MembershipRole.ADMIN).user
        cls.editor_membership = MembershipFactory(organization=cls.org, role=MembershipRole.EDITOR)
        cls.editor = cls.editor_membership.user
        cls.viewer_membership = MembershipFactory(organization=cls.org, role=MembershipRole.VIEWER)
        cls.viewer = cls.viewer_membership.user
        cls.other_org = OrganizationFactory(name="飛騨市 移住推進課", code="21217")
        cls.other_admin = MembershipFactory(organization=cls.other_org, role=MembershipRole.ADMIN).user
        cls.seeker = UserFactory()
        cls.platform_admin = UserFactory(is_staff=True)

    def admin_membership(self) -> Membership:
        return Membership.objects.get(user=self.admin, organization=self.org)

    def api_client(self, role: str) -> ApiClient:
        token = ApiToken.objects.create(
            organization=self.org,
            name="町の公式サイト",
            role=role,
            prefix=f"x{role}",
            key_hash=f"hash-{role}",
        )
        return ApiClient(token=token)


class UserSignupTests(TestCase):
    def test_creates_a_seeker_with_a_lower_cased_email(self) -> None:
        user = services.user_signup(
            email="  Hanako.Yamada@Example.JP ", password=STRONG_PASSWORD, display_name=" 山田花子 "
        )

        user.refresh_from_db()
        self.assertEqual(user.email, "hanako.yamada@example.jp")
        self.assertEqual(user.display_name, "山田花子")
        self.assertTrue(user.check_password(STRONG_PASSWORD))
        self.assertFalse(user.is_staff)
        self.assertFalse(user.memberships.exists())

    def test_writes_an_audit_event(self) -> None:
        user = services.user_signup(email="taro@example.jp", password=STRONG_PASSWORD)

        event = AuditEvent.objects.get(entity="user", entity_id=str(user.pk))
        self.assertEqual(event.action, AuditAction.CREATE)
        self.assertEqual(event.actor, user)
        self.assertIsNone(event.organization)
        self.assertEqual(event.changes, {"email": "taro@example.jp"})

    def test_refuses_an_email_already_registered_in_another_case(self) -> None:
        UserFactory(email="taro@example.jp")

        with self.assertRaises(ApplicationError) as raised:
            services.user_signup(email="TARO@Example.jp", password=STRONG_PASSWORD)

        self.assertEqual(raised.exception.message, "このメールアドレスは既に登録されています。")
        self.assertIn("email", raised.exception.fields)
        self.assertEqual(User.objects.filter(email__iexact="taro@example.jp").count(), 1)
        self.assertFalse(AuditEvent.objects.filter(entity="user").exists())

    def test_refuses_a_weak_password_in_japanese(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            services.user_signup(email="jiro@example.jp", password="1234567")

        self.assertIn("このパスワードは短すぎます。", raised.exception.message)
        self.assertIn("このパスワードは数字しか使われていません。", raised.exception.fields["password"])
        self.assertFalse(User.objects.filter(email="jiro@example.jp").exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_refuses_a_password_like_the_email(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            services.user_signup(email="shimantogawa@example.jp", password="shimantogawa")

        self.assertIn("password", raised.exception.fields)
        self.assertFalse(User.objects.filter(email="shimantogawa@example.jp").exists())


class OrganizationCreateTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.platform_admin = UserFactory(is_staff=True)
        cls.kochi = Prefecture.objects.get(code="39")
        cls.shimanto = Municipality.objects.get(code="39412")
        cls.hida = Municipality.objects.get(code="21217")

    def test_platform_admin_creates_a_municipality_organization(self) -> None:
        org = services.organization_create(
            actor=self.platform_admin,
            name="四万十町 にぎわい創出課",
            kind=OrganizationKind.MUNICIPALITY,
            prefecture=self.kochi,
            municipality=self.shimanto,
        )

        org.refresh_from_db()
        self.assertEqual((org.prefecture_id, org.municipality_id, org.is_active), ("39", "39412", True))
        event = AuditEvent.objects.get(entity="organization", entity_id=str(org.pk))
        self.assertEqual(
            (event.action, event.actor, event.organization), (AuditAction.CREATE, self.platform_admin, org)
        )
        self.assertEqual(event.changes["municipality"], "39412")

    def test_refuses_everyone_but_platform_admins(self) -> None:
        org_admin = MembershipFactory(role=MembershipRole.ADMIN).user
        for actor in (AnonymousUser(), UserFactory(), org_admin, UserFactory(is_staff=True, is_active=False)):
            with self.subTest(actor=str(actor)), self.assertRaises(ApplicationError) as raised:
                services.organization_create(
                    actor=actor,
                    name="勝手な組織",
                    kind=OrganizationKind.NPO,
                    prefecture=self.kochi,
                    municipality=self.shimanto,
                )
            self.assertEqual(raised.exception.message, "組織を作成できるのは運営管理者だけです。")
        self.assertFalse(Organization.objects.filter(name="勝手な組織").exists())

    def test_prefecture_organization_gets_no_municipality(self) -> None:
        org = services.organization_create(
            actor=self.platform_admin,
            name="高知県 移住促進課",
            kind=OrganizationKind.PREFECTURE,
            prefecture=self.kochi,
            municipality=self.shimanto,
        )

        org.refresh_from_db()
        self.assertIsNone(org.municipality)
        self.assertIsNone(AuditEvent.objects.get(entity="organization").changes["municipality"])

    def test_municipality_organization_without_municipality_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            services.organization_create(
                actor=self.platform_admin,
                name="市町村不明",
                kind=OrganizationKind.MUNICIPALITY,
                prefecture=self.kochi,
            )

        self.assertIn("市区町村の組織には市区町村を指定してください。", raised.exception.messages)
        self.assertFalse(Organization.objects.filter(name="市町村不明").exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_municipality_in_another_prefecture_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            services.organization_create(
                actor=self.platform_admin,
                name="県をまたぐ組織",
                kind=OrganizationKind.NPO,
                prefecture=self.kochi,
                municipality=self.hida,
            )

        self.assertEqual(
            raised.exception.message_dict["municipality"], ["市区町村が都道府県に属していません。"]
        )
        self.assertFalse(Organization.objects.filter(name="県をまたぐ組織").exists())

    def test_prefecture_wide_body_may_have_no_municipality(self) -> None:
        org = services.organization_create(
            actor=self.platform_admin,
            name="高知県移住支援機構",
            kind=OrganizationKind.SUPPORT_CORPORATION,
            prefecture=self.kochi,
        )

        self.assertIsNone(org.municipality_id)


class MembershipAddTests(OrganizationWithStaff):
    def test_platform_admin_adds_a_member(self) -> None:
        membership = services.membership_add(
            actor=self.platform_admin, organization=self.org, user=self.seeker, role=MembershipRole.VIEWER
        )

        self.assertEqual((membership.user, membership.role), (self.seeker, MembershipRole.VIEWER))
        self.assertTrue(AuditEvent.objects.filter(entity="membership", entity_id=str(membership.pk)).exists())

    def test_organization_admin_must_invite_instead(self) -> None:
        with self.assertRaises(ApplicationError):
            services.membership_add(
                actor=self.admin, organization=self.org, user=self.seeker, role=MembershipRole.VIEWER
            )
        self.assertFalse(Membership.objects.filter(user=self.seeker).exists())

    def test_refuses_an_existing_member(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            services.membership_add(
                actor=self.platform_admin, organization=self.org, user=self.editor, role=MembershipRole.ADMIN
            )

        self.assertEqual(raised.exception.message, "このユーザーは既にこの組織のメンバーです。")
        self.assertEqual(
            Membership.objects.get(user=self.editor, organization=self.org).role, MembershipRole.EDITOR
        )


class InvitationCreateTests(OrganizationWithStaff):
    def invite(
        self, email: str = "new.staff@example.jp", role: str = MembershipRole.EDITOR
    ) -> services.IssuedInvitation:
        with self.captureOnCommitCallbacks(execute=True):
            return services.invitation_create(
                actor=self.admin, organization_id=self.org.pk, email=email, role=role
            )

    def test_admin_invites_and_one_email_carries_the_one_time_url(self) -> None:
        issued = self.invite(email="New.Staff@Example.JP")

        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["new.staff@example.jp"])
        self.assertIn(self.org.name, message.subject)
        self.assertIn(issued.url, message.body)
        self.assertRegex(issued.url, r"^http://127\.0\.0\.1:8000/accounts/invitations/[\w-]{40,}/$")
        invitation = Invitation.objects.get()
        self.assertEqual(
            (invitation.email, invitation.role, invitation.invited_by),
            ("new.staff@example.jp", "editor", self.admin),
        )
        self.assertTrue(invitation.is_open)

    def test_only_the_hash_of_the_secret_is_stored(self) -> None:
        issued = self.invite()
        secret = issued.url.rstrip("/").rsplit("/", 1)[-1]

        invitation = Invitation.objects.get()
        self.assertEqual(invitation.token_hash, hashlib.sha256(secret.encode()).hexdigest())
        self.assertNotIn(secret, str(Invitation.objects.values().get()))
        self.assertEqual(services.invitation_get_open(secret=secret), invitation)

    def test_expires_after_the_configured_days(self) -> None:
        with self.settings(INVITATION_VALID_DAYS=3):
            before = timezone.now()
            self.invite()

        expires_at = Invitation.objects.get().expires_at
        self.assertGreaterEqual(expires_at, before + timedelta(days=3))
        self.assertLess(expires_at, before + timedelta(days=3, minutes=1))

    def test_writes_an_audit_event(self) -> None:
        issued = self.invite(role=MembershipRole.VIEWER)

        event = AuditEvent.objects.get(entity="invitation")
        self.assertEqual(
            (event.actor, event.organization, event.entity_id),
            (self.admin, self.org, str(issued.invitation.pk)),
        )
        self.assertEqual(event.changes, {"email": "new.staff@example.jp", "role": "viewer"})

    def test_platform_admin_may_invite(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            services.invitation_create(
                actor=self.platform_admin, organization_id=self.org.pk, email="a@example.jp", role="admin"
            )

        self.assertEqual(len(mail.outbox), 1)

    def test_everyone_else_gets_not_found_and_nothing_is_sent(self) -> None:
        actors = {
            "editor": self.editor,
            "viewer": self.viewer,
            "seeker": self.seeker,
            "anonymous": AnonymousUser(),
            "other admin": self.other_admin,
            "api editor": self.api_client(MembershipRole.EDITOR),
        }
        for name, actor in actors.items():
            with (
                self.subTest(actor=name),
                self.captureOnCommitCallbacks(execute=True),
                self.assertRaises(NotFound),
            ):
                services.invitation_create(
                    actor=actor, organization_id=self.org.pk, email="x@example.jp", role="viewer"
                )

        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_reinviting_revokes_the_previous_open_invitation(self) -> None:
        first = self.invite(role=MembershipRole.VIEWER)
        second = self.invite(email="NEW.STAFF@example.jp", role=MembershipRole.EDITOR)

        first.invitation.refresh_from_db()
        self.assertIsNotNone(first.invitation.revoked_at)
        self.assertTrue(Invitation.objects.get(pk=second.invitation.pk).is_open)
        with self.assertRaises(NotFound):
            services.invitation_get_open(secret=first.url.rstrip("/").rsplit("/", 1)[-1])
        self.assertEqual(len(mail.outbox), 2)

    def test_reinviting_leaves_other_organizations_invitations_alone(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            elsewhere = services.invitation_create(
                actor=self.other_admin,
                organization_id=self.other_org.pk,
                email="new.staff@example.jp",
                role="viewer",
            )
        self.invite()

        self.assertTrue(Invitation.objects.get(pk=elsewhere.invitation.pk).is_open)

    def test_inviting_an_existing_member_is_refused(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            self.invite(email=self.editor.email.upper())

        self.assertNotIsInstance(raised.exception, NotFound)
        self.assertEqual(raised.exception.message, "この人は既にこの組織のメンバーです。")
        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_no_email_leaves_before_the_transaction_commits(self) -> None:
        services.invitation_create(
            actor=self.admin, organization_id=self.org.pk, email="later@example.jp", role="viewer"
        )

        self.assertEqual(mail.outbox, [])


class InvitationAcceptTests(OrganizationWithStaff):
    def invite(
        self, email: str = "newcomer@example.jp", role: str = MembershipRole.VIEWER
    ) -> tuple[Invitation, str]:
        issued = services.invitation_create(
            actor=self.admin, organization_id=self.org.pk, email=email, role=role
        )
        return issued.invitation, issued.url.rstrip("/").rsplit("/", 1)[-1]

    def test_creates_the_membership_with_the_invited_role(self) -> None:
        invitation, secret = self.invite(role=MembershipRole.EDITOR)
        newcomer = UserFactory(email="newcomer@example.jp")

        membership = services.invitation_accept(user=newcomer, secret=secret)

        self.assertEqual(
            (membership.organization, membership.user, membership.role), (self.org, newcomer, "editor")
        )
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.accepted_at)
        event = AuditEvent.objects.get(entity="membership", entity_id=str(membership.pk))
        self.assertEqual(
            (event.action, event.actor, event.organization), (AuditAction.CREATE, newcomer, self.org)
        )
        self.assertEqual(event.changes, {"user": "newcomer@example.jp", "role": "editor"})

    def test_works_once_then_the_link_is_invalid(self) -> None:
        _, secret = self.invite()
        newcomer = UserFactory(email="newcomer@example.jp")
        services.invitation_accept(user=newcomer, secret=secret)

        with self.assertRaises(NotFound) as raised:
            services.invitation_accept(user=newcomer, secret=secret)

        self.assertEqual(
            raised.exception.message, "この招待リンクは無効です（使用済み・取消・期限切れのいずれか）。"
        )
        self.assertEqual(Membership.objects.filter(user=newcomer).count(), 1)

    def test_refuses_a_user_signed_in_with_another_email(self) -> None:
        invitation, secret = self.invite()

        with self.assertRaises(ApplicationError) as raised:
            services.invitation_accept(user=self.seeker, secret=secret)

        self.assertNotIsInstance(raised.exception, NotFound)
        self.assertIn("newcomer@example.jp", raised.exception.message)
        self.assertFalse(Membership.objects.filter(user=self.seeker).exists())
        invitation.refresh_from_db()
        self.assertTrue(invitation.is_open)

    def test_expired_invitation_is_invalid(self) -> None:
        invitation, secret = self.invite()
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

        with self.assertRaises(NotFound):
            services.invitation_accept(user=UserFactory(email="newcomer@example.jp"), secret=secret)
        self.assertFalse(Membership.objects.filter(user__email="newcomer@example.jp").exists())

    def test_revoked_invitation_is_invalid(self) -> None:
        invitation, secret = self.invite()
        services.invitation_revoke(actor=self.admin, invitation_id=invitation.pk)

        with self.assertRaises(NotFound):
            services.invitation_accept(user=UserFactory(email="newcomer@example.jp"), secret=secret)

    def test_invitation_to_a_deactivated_organization_is_invalid(self) -> None:
        _, secret = self.invite()
        Organization.objects.filter(pk=self.org.pk).update(is_active=False)

        with self.assertRaises(NotFound):
            services.invitation_accept(user=UserFactory(email="newcomer@example.jp"), secret=secret)

    def test_unknown_secret_is_invalid(self) -> None:
        with self.assertRaises(NotFound):
            services.invitation_get_open(secret="not-a-real-secret")


class InvitationRevokeTests(OrganizationWithStaff):
    def test_admin_revokes_and_it_is_audited(self) -> None:
        issued = services.invitation_create(
            actor=self.admin, organization_id=self.org.pk, email="a@example.jp", role="viewer"
        )

        services.invitation_revoke(actor=self.admin, invitation_id=issued.invitation.pk)

        issued.invitation.refresh_from_db()
        self.assertIsNotNone(issued.invitation.revoked_at)
        self.assertTrue(AuditEvent.objects.filter(entity="invitation", action=AuditAction.DELETE).exists())

    def test_others_get_not_found(self) -> None:
        issued = services.invitation_create(
            actor=self.admin, organization_id=self.org.pk, email="a@example.jp", role="viewer"
        )

        for actor in (self.editor, self.other_admin, self.seeker):
            with self.subTest(actor=actor.email), self.assertRaises(NotFound):
                services.invitation_revoke(actor=actor, invitation_id=issued.invitation.pk)
        self.assertTrue(Invitation.objects.get(pk=issued.invitation.pk).is_open)

    def test_revoking_twice_is_refused(self) -> None:
        issued = services.invitation_create(
            actor=self.admin, organization_id=self.org.pk, email="a@example.jp", role="viewer"
        )
        services.invitation_revoke(actor=self.admin, invitation_id=issued.invitation.pk)

        with self.assertRaises(ApplicationError) as raised:
            services.invitation_revoke(actor=self.admin, invitation_id=issued.invitation.pk)
        self.assertNotIsInstance(raised.exception, NotFound)


class MembershipChangeRoleTests(OrganizationWithStaff):
    def test_admin_changes_a_role_and_it_is_audited_with_before_and_after(self) -> None:
        membership = services.membership_change_role(
            actor=self.admin, membership_id=self.editor_membership.pk, role=MembershipRole.VIEWER
        )

        self.assertEqual(Membership.objects.get(pk=membership.pk).role, MembershipRole.VIEWER)
        event = AuditEvent.objects.get(entity="membership", entity_id=str(membership.pk))
        self.assertEqual(
            (event.action, event.actor, event.organization), (AuditAction.UPDATE, self.admin, self.org)
        )
        self.assertEqual(event.changes, {"user": self.editor.email, "role": ["editor", "viewer"]})

    def test_admin_may_promote_to_admin(self) -> None:
        services.membership_change_role(
            actor=self.admin, membership_id=self.viewer_membership.pk, role=MembershipRole.ADMIN
        )

        self.assertEqual(Membership.objects.get(pk=self.viewer_membership.pk).role, MembershipRole.ADMIN)

    def test_platform_admin_may_change_roles(self) -> None:
        services.membership_change_role(
            actor=self.platform_admin, membership_id=self.editor_membership.pk, role="viewer"
        )

        self.assertEqual(Membership.objects.get(pk=self.editor_membership.pk).role, MembershipRole.VIEWER)

    def test_non_admins_get_not_found_and_nothing_changes(self) -> None:
        for actor in (
            self.editor,
            self.viewer,
            self.seeker,
            self.other_admin,
            AnonymousUser(),
            self.api_client("editor"),
        ):
            with self.subTest(actor=str(actor)), self.assertRaises(NotFound):
                services.membership_change_role(
                    actor=actor, membership_id=self.viewer_membership.pk, role="admin"
                )

        self.assertEqual(Membership.objects.get(pk=self.viewer_membership.pk).role, MembershipRole.VIEWER)
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.UPDATE).exists())

    def test_missing_membership_is_not_found(self) -> None:
        with self.assertRaises(NotFound):
            services.membership_change_role(actor=self.platform_admin, membership_id=999_999, role="viewer")

    def test_cannot_demote_the_last_admin(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            services.membership_change_role(
                actor=self.admin, membership_id=self.admin_membership().pk, role="editor"
            )

        self.assertEqual(
            raised.exception.message, "組織には管理者が最低1人必要です。先に別の人を管理者にしてください。"
        )
        self.assertEqual(self.admin_membership().role, MembershipRole.ADMIN)

    def test_an_admin_may_step_down_when_another_admin_remains(self) -> None:
        services.membership_change_role(
            actor=self.admin, membership_id=self.editor_membership.pk, role="admin"
        )

        services.membership_change_role(
            actor=self.admin, membership_id=self.admin_membership().pk, role="viewer"
        )

        self.assertEqual(self.admin_membership().role, MembershipRole.VIEWER)

    def test_refuses_an_unknown_role(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            services.membership_change_role(
                actor=self.admin, membership_id=self.editor_membership.pk, role="owner"
            )

        self.assertIn("role", raised.exception.fields)
        self.assertEqual(Membership.objects.get(pk=self.editor_membership.pk).role, MembershipRole.EDITOR)


class MembershipRemoveTests(OrganizationWithStaff):
    def test_admin_removes_a_member_and_it_is_audited(self) -> None:
        services.membership_remove(actor=self.admin, membership_id=self.editor_membership.pk)

        self.assertFalse(Membership.objects.filter(pk=self.editor_membership.pk).exists())
        self.assertTrue(User.objects.filter(pk=self.editor.pk).exists())
        event = AuditEvent.objects.get(entity="membership", entity_id=str(self.editor_membership.pk))
        self.assertEqual(
            (event.action, event.actor, event.organization), (AuditAction.DELETE, self.admin, self.org)
        )
        self.assertEqual(event.changes, {"user": self.editor.email, "role": "editor"})

    def test_non_admins_get_not_found(self) -> None:
        for actor in (self.editor, self.viewer, self.seeker, self.other_admin, self.api_client("viewer")):
            with self.subTest(actor=str(actor)), self.assertRaises(NotFound):
                services.membership_remove(actor=actor, membership_id=self.viewer_membership.pk)

        self.assertTrue(Membership.objects.filter(pk=self.viewer_membership.pk).exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_cannot_remove_the_last_admin(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            services.membership_remove(actor=self.platform_admin, membership_id=self.admin_membership().pk)

        self.assertNotIsInstance(raised.exception, NotFound)
        self.assertTrue(Membership.objects.filter(user=self.admin, organization=self.org).exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_admin_may_leave_when_another_admin_remains(self) -> None:
        MembershipFactory(organization=self.org, role=MembershipRole.ADMIN)

        services.membership_remove(actor=self.admin, membership_id=self.admin_membership().pk)

        self.assertFalse(Membership.objects.filter(user=self.admin, organization=self.org).exists())

    def test_admins_of_other_organizations_do_not_count(self) -> None:
        with self.assertRaises(ApplicationError):
            services.membership_remove(actor=self.admin, membership_id=self.admin_membership().pk)


class ApiTokenIssueTests(OrganizationWithStaff):
    def issue(self, **kwargs: object) -> services.IssuedToken:
        arguments: dict[str, object] = {
            "actor": self.admin,
            "organization_id": self.org.pk,
            "name": " 町の公式サイト ",
        }
        return services.api_token_issue(**{**arguments, **kwargs})  # type: ignore[arg-type]

    def test_admin_issues_a_token_and_the_key_is_returned_once(self) -> None:
        issued = self.issue(role=MembershipRole.EDITOR)

        token = ApiToken.objects.get()
        self.assertEqual(
            (token.organization, token.role, token.name, token.created_by),
            (self.org, "editor", "町の公式サイト", self.admin),
        )
        self.assertRegex(issued.key, rf"^nk_{token.prefix}_[\w-]{{40,}}$")
        self.assertEqual(token.key_hash, hashlib.sha256(issued.key.encode()).hexdigest())
        self.assertNotIn(issued.key, str(ApiToken.objects.values().get()))
        self.assertNotIn(issued.key, str(list(AuditEvent.objects.values_list("changes", flat=True))))
        self.assertIsNone(token.last_used_at)

    def test_issuing_is_audited(self) -> None:
        issued = self.issue()

        event = AuditEvent.objects.get(entity="api_token")
        self.assertEqual(
            (event.actor, event.organization, event.entity_id), (self.admin, self.org, str(issued.token.pk))
        )
        self.assertEqual(
            event.changes, {"name": "町の公式サイト", "role": "viewer", "prefix": issued.token.prefix}
        )

    def test_admin_role_is_refused(self) -> None:
        with self.assertRaises(ApplicationError) as raised:
            self.issue(role=MembershipRole.ADMIN)

        self.assertNotIsInstance(raised.exception, NotFound)
        self.assertIn("role", raised.exception.fields)
        self.assertFalse(ApiToken.objects.exists())

    def test_non_admins_get_not_found(self) -> None:
        for actor in (
            self.editor,
            self.viewer,
            self.seeker,
            self.other_admin,
            AnonymousUser(),
            self.api_client("editor"),
        ):
            with self.subTest(actor=str(actor)), self.assertRaises(NotFound):
                self.issue(actor=actor)

        self.assertFalse(ApiToken.objects.exclude(prefix="xeditor").exists())

    def test_the_key_authenticates_and_records_its_use(self) -> None:
        issued = self.issue()

        token = services.api_token_authenticate(key=issued.key)

        self.assertEqual(token, issued.token)
        self.assertIsNotNone(ApiToken.objects.get(pk=issued.token.pk).last_used_at)

    def test_recent_use_is_not_written_again(self) -> None:
        issued = self.issue()
        recent = timezone.now() - timedelta(minutes=1)
        ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=recent)

        services.api_token_authenticate(key=issued.key)
        self.assertEqual(ApiToken.objects.get(pk=issued.token.pk).last_used_at, recent)

        stale = timezone.now() - timedelta(minutes=6)
        ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=stale)
        services.api_token_authenticate(key=issued.key)
        self.assertGreater(ApiToken.objects.get(pk=issued.token.pk).last_used_at, stale)

    def test_a_wrong_key_does_not_authenticate(self) -> None:
        issued = self.issue()

        self.assertIsNone(services.api_token_authenticate(key=issued.key + "x"))
        self.assertIsNone(services.api_token_authenticate(key=issued.token.key_hash))

    def test_revoked_token_no_longer_authenticates(self) -> None:
        issued = self.issue()

        services.api_token_revoke(actor=self.admin, token_id=issued.token.pk)

        self.assertIsNone(services.api_token_authenticate(key=issued.key))
        self.assertFalse(ApiToken.objects.get(pk=issued.token.pk).is_active)
        self.assertTrue(AuditEvent.objects.filter(entity="api_token", action=AuditAction.DELETE).exists())

    def test_token_of_an_inactive_organization_does_not_authenticate(self) -> None:
        issued = self.issue()
        Organization.objects.filter(pk=self.org.pk).update(is_active=False)

        self.assertIsNone(services.api_token_authenticate(key=issued.key))

    def test_only_admins_revoke(self) -> None:
        issued = self.issue()

        for actor in (self.editor, self.other_admin):
            with self.subTest(actor=actor.email), self.assertRaises(NotFound):
                services.api_token_revoke(actor=actor, token_id=issued.token.pk)
        self.assertEqual(services.api_token_authenticate(key=issued.key), issued.token)
