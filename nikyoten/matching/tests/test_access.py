"""Gates: role × action × organization for region profiles and stories; owner only for matching profiles."""

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.core.exceptions import NotFound
from nikyoten.matching.access import (
    RegionProfileAction,
    access_matching_profile,
    access_region_profile,
    access_story,
)
from nikyoten.matching.tests.factories import (
    MatchingProfileFactory,
    PractitionerStoryFactory,
    RegionProfileFactory,
)

VIEW, EDIT = RegionProfileAction.VIEW, RegionProfileAction.EDIT


class RegionProfileGateTests(TestCase):
    """四万十町's draft profile (own) and 小山市's published one (another organization, another municipality)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.own = OrganizationFactory(code="39412")
        cls.other = OrganizationFactory(code="09208")
        cls.draft = RegionProfileFactory(organization=cls.own, is_published=False)
        cls.published = RegionProfileFactory(organization=cls.other, is_published=True)
        cls.draft_story = PractitionerStoryFactory(profile=cls.draft)
        cls.other_story = PractitionerStoryFactory(profile=cls.published)
        cls.actors = {
            role.value: MembershipFactory(organization=cls.own, role=role).user for role in MembershipRole
        }
        cls.actors["outsider"] = UserFactory()
        cls.actors["platform_admin"] = UserFactory(is_staff=True)

    def allowed(self, actor: object, code: str, action: RegionProfileAction) -> bool:
        try:
            access_region_profile(actor, code, action=action)
        except NotFound:
            return False
        return True

    def test_matrix(self) -> None:
        expected = {
            # actor: (view own draft, edit own, view other's published, edit other's)
            "admin": (True, True, True, False),
            "editor": (True, True, True, False),
            "viewer": (True, False, True, False),
            "outsider": (False, False, True, False),
            "platform_admin": (False, False, True, False),
        }
        for name, row in expected.items():
            actor = self.actors[name]
            got = (
                self.allowed(actor, "39412", VIEW),
                self.allowed(actor, "39412", EDIT),
                self.allowed(actor, "09208", VIEW),
                self.allowed(actor, "09208", EDIT),
            )
            with self.subTest(actor=name):
                self.assertEqual(got, row)
        anonymous = AnonymousUser()
        self.assertEqual(
            (self.allowed(anonymous, "39412", VIEW), self.allowed(anonymous, "09208", VIEW)), (False, True)
        )

    def test_missing_and_forbidden_answer_alike(self) -> None:
        with self.assertRaises(NotFound) as missing:
            access_region_profile(self.actors["outsider"], "99999", action=VIEW)
        with self.assertRaises(NotFound) as forbidden:
            access_region_profile(self.actors["outsider"], "39412", action=VIEW)
        self.assertEqual(missing.exception.message, forbidden.exception.message)

    def test_story_gate(self) -> None:
        for name, own, other in [
            ("admin", True, False),
            ("editor", True, False),
            ("viewer", False, False),
            ("outsider", False, False),
        ]:
            with self.subTest(actor=name):
                for story, expected in ((self.draft_story, own), (self.other_story, other)):
                    try:
                        access_story(self.actors[name], story.pk)
                        allowed = True
                    except NotFound:
                        allowed = False
                    self.assertEqual(allowed, expected)
        with self.assertRaises(NotFound):
            access_story(self.actors["editor"], "abc")


class MatchingProfileGateTests(TestCase):
    def test_only_the_owner(self) -> None:
        profile = MatchingProfileFactory()
        self.assertEqual(access_matching_profile(profile.owner, profile.pk), profile)
        for actor in (UserFactory(), UserFactory(is_staff=True), AnonymousUser()):
            with self.subTest(actor=actor), self.assertRaises(NotFound):
                access_matching_profile(actor, profile.pk)
        with self.assertRaises(NotFound):
            access_matching_profile(profile.owner, "nope")
