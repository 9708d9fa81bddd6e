"""The organizations and people the akiya tests share: 四万十町's office (admin, editor, viewer), ANOTHER
municipality's office (境町) with its own private case, owner and campaign, and two 特定居住支援法人."""

from datetime import date, timedelta
from typing import Any

from django.test import TestCase

from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.housing.tests.factories import (
    AkiyaCaseFactory,
    CampaignFactory,
    CampaignLetterFactory,
    ListingFactory,
    OwnerConsentFactory,
    OwnerFactory,
)

TODAY = date.today()
LONG_AGO = TODAY - timedelta(days=400)


class AkiyaWorld(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.other_org = OrganizationFactory(name="境町 企画課", code="08546")
        cls.support = OrganizationFactory(
            name="飛騨くらし支援機構", kind=OrganizationKind.SUPPORT_CORPORATION, code="21217"
        )
        cls.other_support = OrganizationFactory(
            name="奄美すまい支援", kind=OrganizationKind.SUPPORT_CORPORATION, code="46222"
        )
        cls.admin = cls.member(cls.org, MembershipRole.ADMIN)
        cls.editor = cls.member(cls.org, MembershipRole.EDITOR)
        cls.viewer = cls.member(cls.org, MembershipRole.VIEWER)
        cls.other_editor = cls.member(cls.other_org, MembershipRole.EDITOR)
        cls.support_viewer = cls.member(cls.support, MembershipRole.VIEWER)
        cls.other_support_viewer = cls.member(cls.other_support, MembershipRole.VIEWER)
        cls.nobody = UserFactory()

        cls.case = AkiyaCaseFactory(
            organization=cls.org, reference="AK-0001", discovered_on=LONG_AGO, stage_changed_on=LONG_AGO
        )
        cls.owner = OwnerFactory(case=cls.case, name="架空 太郎", postal_code="7860001", address="高知市1-2")
        cls.consent = OwnerConsentFactory(owner=cls.owner, recipient=cls.support, consented_on=LONG_AGO)
        cls.listing = ListingFactory(organization=cls.org, title="十川の古民家")
        cls.campaign = CampaignFactory(organization=cls.org, title="第1回のご案内")
        cls.letter = CampaignLetterFactory(campaign=cls.campaign, owner=cls.owner, case=cls.case)

        cls.other_case = AkiyaCaseFactory(
            organization=cls.other_org, reference="SK-0001", address="境町の空き家"
        )
        cls.other_owner = OwnerFactory(case=cls.other_case, name="別町 花子")
        cls.other_campaign = CampaignFactory(organization=cls.other_org, title="境町の働きかけ")
        cls.other_listing = ListingFactory(organization=cls.other_org)

    @staticmethod
    def member(organization: Any, role: str) -> Any:
        return MembershipFactory(organization=organization, role=role).user
