"""`manage.py seed_demo`: one sample user per role and organization kind, a platform admin, idempotent."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.demo import DEMO_DOMAIN, DEMO_ORGANIZATIONS
from nikyoten.accounts.models import AuditEvent, Membership, Organization, User

DEMO_PASSWORD = "demo-password-for-tests"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=out)
    return out.getvalue()


class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = seed()

    def test_one_sample_organization_per_kind(self) -> None:
        organizations = Organization.objects.filter(is_sample=True)

        self.assertEqual(
            sorted(organizations.values_list("kind", flat=True)), sorted(OrganizationKind.values)
        )
        self.assertFalse(Organization.objects.filter(is_sample=False).exists())

    def test_one_user_per_role_in_every_organization(self) -> None:
        for organization in Organization.objects.all():
            with self.subTest(kind=organization.kind):
                roles = sorted(
                    Membership.objects.filter(organization=organization).values_list("role", flat=True)
                )
                self.assertEqual(roles, sorted(MembershipRole.values))
                for membership in Membership.objects.filter(organization=organization).select_related("user"):
                    self.assertEqual(Membership.objects.filter(user=membership.user).count(), 1)

    def test_everything_is_flagged_sample(self) -> None:
        self.assertTrue(User.objects.exists())
        self.assertFalse(User.objects.filter(is_sample=False).exists())
        self.assertFalse(User.objects.exclude(email__endswith=f"@{DEMO_DOMAIN}").exists())
        self.assertFalse(Organization.objects.filter(is_sample=False).exists())

    def test_a_platform_admin_and_a_seeker(self) -> None:
        platform_admin = User.objects.get(email=f"platform-admin@{DEMO_DOMAIN}")
        seeker = User.objects.get(email=f"seeker@{DEMO_DOMAIN}")

        self.assertTrue(platform_admin.is_staff)
        self.assertTrue(platform_admin.is_superuser)
        self.assertFalse(seeker.is_staff)
        self.assertFalse(seeker.memberships.exists())
        self.assertEqual(User.objects.filter(is_staff=True).get(), platform_admin)

    def test_organizations_sit_in_real_municipalities(self) -> None:
        shimanto = Organization.objects.get(kind=OrganizationKind.MUNICIPALITY)
        nagano = Organization.objects.get(kind=OrganizationKind.PREFECTURE)
        hida = Organization.objects.get(kind=OrganizationKind.SUPPORT_CORPORATION)

        self.assertEqual((shimanto.prefecture_id, shimanto.municipality_id), ("39", "39412"))
        self.assertEqual((nagano.prefecture.name, nagano.municipality_id), ("長野県", None))
        self.assertEqual(hida.municipality_id, "21217")
        for organization in Organization.objects.exclude(municipality=None).select_related("municipality"):
            with self.subTest(organization=organization.name):
                self.assertEqual(organization.municipality.prefecture_id, organization.prefecture_id)

    def test_users_sign_in_with_the_given_password(self) -> None:
        for user in User.objects.all():
            with self.subTest(email=user.email):
                self.assertTrue(user.check_password(DEMO_PASSWORD))

    def test_prints_every_login(self) -> None:
        self.assertIn(f"デモアカウント {2 + 3 * len(DEMO_ORGANIZATIONS)} 件", self.output)
        self.assertIn(f"municipality-admin@{DEMO_DOMAIN}", self.output)
        self.assertIn(DEMO_PASSWORD, self.output)

    def test_creation_is_audited(self) -> None:
        self.assertEqual(AuditEvent.objects.filter(entity="organization").count(), len(DEMO_ORGANIZATIONS))
        self.assertEqual(AuditEvent.objects.filter(entity="membership").count(), 3 * len(DEMO_ORGANIZATIONS))

    def test_running_twice_creates_nothing_new(self) -> None:
        counts = [model.objects.count() for model in (User, Organization, Membership, AuditEvent)]

        seed()

        self.assertEqual(
            [model.objects.count() for model in (User, Organization, Membership, AuditEvent)], counts
        )
        self.assertEqual(
            counts[:3],
            [2 + 3 * len(DEMO_ORGANIZATIONS), len(DEMO_ORGANIZATIONS), 3 * len(DEMO_ORGANIZATIONS)],
        )

    def test_running_again_restores_a_changed_demo_user(self) -> None:
        User.objects.filter(email=f"npo-editor@{DEMO_DOMAIN}").update(is_staff=True, is_sample=False)

        seed()

        user = User.objects.get(email=f"npo-editor@{DEMO_DOMAIN}")
        self.assertEqual((user.is_staff, user.is_sample), (False, True))
