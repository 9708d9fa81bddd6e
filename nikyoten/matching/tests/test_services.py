"""Services: region profiles (who may publish, vouched dates, one per municipality), stories, matching profiles."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.models import AuditEvent
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.core.exceptions import NotFound
from nikyoten.matching import services
from nikyoten.matching.models import MatchingProfile, RegionProfile
from nikyoten.matching.selectors import Wishes
from nikyoten.matching.tests.factories import MatchingProfileFactory, PractitionerStoryFactory
from nikyoten.regions.models import Municipality, Prefecture

SHIMANTO = "39412"


def editor_of(organization: object, role: str = MembershipRole.EDITOR) -> object:
    return MembershipFactory(organization=organization, role=role).user


class RegionProfileSaveTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.town = OrganizationFactory(code=SHIMANTO)
        cls.editor = editor_of(cls.town)

    def save(self, **kwargs: object) -> RegionProfile:
        return services.region_profile_save(**({"actor": self.editor, "organization": self.town} | kwargs))  # type: ignore[arg-type]

    def test_creates_then_replaces_the_municipality_profile(self) -> None:
        first = self.save(
            vision="川の町", living_styles=["telework", "telework", "villa"], skills_wanted=[" 農業 ", "農業"]
        )
        self.assertEqual(
            (first.municipality_id, first.living_styles, first.skills_wanted),
            (SHIMANTO, ["telework", "villa"], ["農業"]),
        )
        second = self.save(vision="山の町", is_published=True)
        self.assertEqual(second.pk, first.pk)
        self.assertEqual((second.vision, second.living_styles, second.is_published), ("山の町", [], True))

    def test_council_and_support_corporation_may_publish(self) -> None:
        for kind, code in (
            (OrganizationKind.COUNCIL_SECRETARIAT, "37208"),
            (OrganizationKind.SUPPORT_CORPORATION, "21217"),
        ):
            organization = OrganizationFactory(code=code, kind=kind)
            profile = services.region_profile_save(actor=editor_of(organization), organization=organization)
            self.assertEqual(profile.municipality_id, code)

    def test_refusals(self) -> None:
        realtor = OrganizationFactory(code="08546", kind=OrganizationKind.REALTOR)
        prefecture = OrganizationFactory(
            kind=OrganizationKind.PREFECTURE, municipality=None, prefecture=Prefecture.objects.get(code="20")
        )
        cases = [
            ("a viewer", {"actor": editor_of(self.town, MembershipRole.VIEWER)}),
            ("someone else", {"actor": UserFactory()}),
            ("another organization's editor", {"actor": editor_of(OrganizationFactory(code="09208"))}),
            ("a realtor", {"actor": editor_of(realtor), "organization": realtor}),
            ("a prefecture", {"actor": editor_of(prefecture), "organization": prefecture}),
        ]
        for label, kwargs in cases:
            with self.subTest(label), self.assertRaises(services.NotPublisher):
                self.save(**kwargs)
        self.assertFalse(RegionProfile.objects.exists())

    def test_an_inactive_organization_may_not_publish(self) -> None:
        self.town.is_active = False
        self.town.save()
        with self.assertRaises(services.NotPublisher):
            self.save()

    def test_one_profile_per_municipality(self) -> None:
        self.save()
        council = OrganizationFactory(code=SHIMANTO, kind=OrganizationKind.COUNCIL_SECRETARIAT)
        with self.assertRaises(services.ProfileTaken):
            services.region_profile_save(actor=editor_of(council), organization=council)

    def test_a_fact_comes_with_the_date_it_was_vouched_for(self) -> None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        for kwargs, field in [
            ({"snow": "heavy"}, "snow_vouched_on"),
            ({"coworking": False}, "coworking_vouched_on"),
            ({"fiber_vouched_on": date(2026, 1, 1)}, "fiber_vouched_on"),
            ({"coordinator": True, "coordinator_vouched_on": tomorrow}, "coordinator_vouched_on"),
        ]:
            with self.subTest(kwargs=kwargs), self.assertRaises(ValidationError) as caught:
                self.save(**kwargs)
            self.assertIn(field, caught.exception.message_dict)
        profile = self.save(coworking=False, coworking_vouched_on=date(2026, 1, 1))
        self.assertIs(profile.coworking, False)

    def test_persona_codes_are_checked(self) -> None:
        for field in ("life_stages", "work_styles", "living_styles"):
            with self.subTest(field), self.assertRaises(ValidationError) as caught:
                self.save(**{field: ["nope"]})
            self.assertIn(field, caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            self.save(skills_wanted=["x" * 41])


class StoryTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = PractitionerStoryFactory()
        cls.editor = editor_of(cls.story.profile.organization)

    def test_editors_write_stories(self) -> None:
        story = services.story_create(
            actor=self.editor, profile=self.story.profile, title="春", body="畑に出ています。"
        )
        self.assertFalse(story.is_published)
        services.story_update(
            actor=self.editor, story=story, title="夏", body="川で泳ぎました。", is_published=True
        )
        story.refresh_from_db()
        self.assertEqual((story.title, story.is_published), ("夏", True))
        services.story_delete(actor=self.editor, story=story)
        self.assertFalse(type(story).objects.filter(pk=story.pk).exists())

    def test_others_may_not(self) -> None:
        for actor in (UserFactory(), editor_of(self.story.profile.organization, MembershipRole.VIEWER)):
            with self.subTest(actor=actor):
                with self.assertRaises(services.NotPublisher):
                    services.story_create(actor=actor, profile=self.story.profile, title="x", body="y")
                with self.assertRaises(services.NotPublisher):
                    services.story_update(actor=actor, story=self.story, title="x", body="y")
                with self.assertRaises(services.NotPublisher):
                    services.story_delete(actor=actor, story=self.story)

    def test_a_story_needs_a_title_and_a_body(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.story_create(actor=self.editor, profile=self.story.profile, title="", body="")
        self.assertEqual(set(caught.exception.message_dict), {"title", "body"})


def wishes(**overrides: object) -> Wishes:
    values: dict[str, object] = {
        "base": Municipality.objects.get(code="13104"),
        "work_style": "telework",
        "living_style": "telework",
        "adults": 2,
        "children_ages": (3, 6),
        "max_distance_km": 150,
        "weights": {"childcare": 5},
    }
    return Wishes(**(values | overrides))  # type: ignore[arg-type]


class MatchingProfileTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.seeker = UserFactory()

    def test_create_update_delete_are_audited(self) -> None:
        profile = services.matching_profile_create(actor=self.seeker, name=" わが家 ", wishes=wishes())
        self.assertEqual(
            (profile.name, profile.owner, profile.children_ages), ("わが家", self.seeker, [3, 6])
        )
        services.matching_profile_update(
            actor=self.seeker, profile=profile, name="わが家", wishes=wishes(adults=1)
        )
        profile.refresh_from_db()
        self.assertEqual(profile.adults, 1)
        pk = profile.pk
        services.matching_profile_delete(actor=self.seeker, profile=profile)
        events = AuditEvent.objects.filter(entity="matching.matching_profile", entity_id=str(pk))
        self.assertEqual(sorted(events.values_list("action", flat=True)), ["create", "delete", "update"])
        self.assertEqual(events.get(action="update").changes, {"fields": ["adults"]})

    def test_refusals(self) -> None:
        cases = [
            ({"max_travel_minutes": 90}, "__all__"),  # both limits
            ({"children_ages": (18,)}, "children_ages"),
            ({"weights": {"childcare": 6}}, "weights"),
            ({"weights": {"jobs": 3}}, "weights"),
            ({"adults": 0}, "adults"),
            ({"work_style": "astronaut"}, "work_style"),
        ]
        for overrides, field in cases:
            with self.subTest(overrides=overrides), self.assertRaises(ValidationError) as caught:
                services.matching_profile_create(actor=self.seeker, name="x", wishes=wishes(**overrides))
            self.assertIn(field, caught.exception.message_dict)
        services.matching_profile_create(actor=self.seeker, name="同じ", wishes=wishes())
        with self.assertRaises(ValidationError):
            services.matching_profile_create(actor=self.seeker, name="同じ", wishes=wishes())
        self.assertEqual(MatchingProfile.objects.count(), 1)

    def test_anonymous_may_not_save_and_others_may_not_change(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        with self.assertRaises(services.NotSignedIn):
            services.matching_profile_create(actor=AnonymousUser(), name="x", wishes=wishes())
        profile = MatchingProfileFactory(owner=self.seeker)
        other = UserFactory()
        with self.assertRaises(NotFound):
            services.matching_profile_update(actor=other, profile=profile, name="x", wishes=wishes())
        with self.assertRaises(NotFound):
            services.matching_profile_delete(actor=other, profile=profile)
        self.assertTrue(MatchingProfile.objects.filter(pk=profile.pk).exists())
