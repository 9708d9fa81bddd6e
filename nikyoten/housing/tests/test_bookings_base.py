"""The world the booking tests share: 四万十町's office with a trial-stay unit, seekers, and 飛騨市 as `other`."""

from datetime import date, timedelta

from django.test import TestCase
from django.utils import timezone

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.core.dates import add_months
from nikyoten.housing.choices import BookingStatus, ListingKind, StayUnit
from nikyoten.housing.tests.factories import BookingFactory, TrialStayUnitFactory


def start_day() -> date:
    """A start far enough ahead for every unit's lead time."""
    return timezone.localdate() + timedelta(days=40)


def months_later(start: date, months: int) -> date:
    return add_months(start, months)


class BookingWorld(TestCase):
    """A: 四万十町 with admin, editor, viewer, a 1–6 month unit and a 2–14 night unit; B: 飛騨市 with its own."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.admin = MembershipFactory(organization=cls.org, role=MembershipRole.ADMIN).user
        cls.editor = MembershipFactory(
            organization=cls.org, role=MembershipRole.EDITOR, user__email="editor@shimanto.example.jp"
        ).user
        cls.viewer = MembershipFactory(organization=cls.org, role=MembershipRole.VIEWER).user
        cls.seeker = UserFactory(email="seeker@example.jp", display_name="移住 花子")
        cls.seeker2 = UserFactory(email="seeker2@example.jp", display_name="二拠点 太郎")
        cls.unit = TrialStayUnitFactory(listing__organization=cls.org, listing__title="お試し滞在住宅 大正")
        cls.nightly = TrialStayUnitFactory(
            listing__organization=cls.org,
            listing__title="移住体験住宅 十和",
            stay_unit=StayUnit.NIGHT,
            min_stay=2,
            max_stay=14,
            price_yen=3000,
            capacity=2,
            max_bookings_per_person=2,
            lead_time_days=3,
        )
        cls.other_org = OrganizationFactory(name="飛騨市 移住推進課", code="21217")
        cls.other_editor = MembershipFactory(
            organization=cls.other_org, role=MembershipRole.EDITOR, user__email="editor@hida.example.jp"
        ).user
        cls.other_seeker = UserFactory(email="hida-seeker@example.jp", display_name="飛騨 秘子")
        cls.other_unit = TrialStayUnitFactory(
            listing__organization=cls.other_org,
            listing__title="飛騨の体験住宅",
            listing__kind=ListingKind.TRIAL_STAY,
        )
        cls.other_booking = BookingFactory(
            unit=cls.other_unit,
            seeker=cls.other_seeker,
            start_date=start_day(),
            end_date=months_later(start_day(), 1),
            status=BookingStatus.CONFIRMED,
            message="飛騨の秘密のメッセージ",
        )
