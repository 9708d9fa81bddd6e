"""Akiya gates and querysets: role × action × organization, for cases, owners and campaigns (404 when refused)."""

from django.contrib.auth.models import AnonymousUser

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import ApiToken
from nikyoten.accounts.principals import ApiClient
from nikyoten.accounts.tests.factories import UserFactory
from nikyoten.core.exceptions import NotFound
from nikyoten.housing.access import Action, access_akiya_case, access_campaign, access_owner
from nikyoten.housing.models import AkiyaCase, Campaign, Owner
from nikyoten.housing.services import akiya as services
from nikyoten.housing.tests.akiya_world import TODAY, AkiyaWorld

ALL = {"admin", "editor", "viewer", "token_viewer", "token_editor"}
EDITORS = {"admin", "editor", "token_editor"}
# Who passes each gate; everyone else (another municipality's office and its token, a support corporation
# without the owner's consent, a signed-in person of no organization, anonymous, a platform admin) gets 404.
EXPECTED = {
    ("case", Action.VIEW): ALL | {"support_with_consent"},
    ("case", Action.EDIT): EDITORS,
    ("owner", Action.VIEW): ALL | {"support_with_consent"},
    ("owner", Action.EDIT): EDITORS,
    ("campaign", Action.VIEW): ALL,
    ("campaign", Action.EDIT): EDITORS,
}


class AkiyaGateMatrixTests(AkiyaWorld):
    def actors(self) -> dict[str, object]:
        def token(organization, role):
            return ApiClient(token=ApiToken(organization=organization, role=role, name="t"))

        return {
            "admin": self.admin,
            "editor": self.editor,
            "viewer": self.viewer,
            "token_viewer": token(self.org, MembershipRole.VIEWER),
            "token_editor": token(self.org, MembershipRole.EDITOR),
            "other_municipality_editor": self.other_editor,
            "other_municipality_token": token(self.other_org, MembershipRole.EDITOR),
            "support_with_consent": self.support_viewer,
            "support_without_consent": self.other_support_viewer,
            "no_organization": self.nobody,
            "anonymous": AnonymousUser(),
            "platform_admin": UserFactory(is_staff=True),
        }

    def gates(self):
        return {
            "case": (access_akiya_case, self.case.pk),
            "owner": (access_owner, self.owner.pk),
            "campaign": (access_campaign, self.campaign.pk),
        }

    def test_matrix(self) -> None:
        for name, actor in self.actors().items():
            for (entity, action), allowed in EXPECTED.items():
                gate, pk = self.gates()[entity]
                with self.subTest(actor=name, entity=entity, action=action):
                    if name in allowed:
                        self.assertEqual(gate(actor, pk, action=action).pk, pk)
                    else:
                        with self.assertRaises(NotFound):
                            gate(actor, pk, action=action)

    def test_missing_and_malformed_ids_answer_like_forbidden_ones(self) -> None:
        for gate, _pk in self.gates().values():
            for missing in (10**9, "abc", None):
                with self.subTest(gate=gate.__name__, pk=missing), self.assertRaises(NotFound):
                    gate(self.admin, missing, action=Action.VIEW)

    def test_querysets_hold_exactly_the_rows_each_actor_may_see(self) -> None:
        actors = self.actors()
        for name, rows in [
            ("editor", {self.case}),
            ("other_municipality_editor", {self.other_case}),
            ("support_with_consent", {self.case}),
            ("support_without_consent", set()),
            ("anonymous", set()),
        ]:
            with self.subTest(actor=name):
                self.assertEqual(set(AkiyaCase.objects.visible_to(actors[name])), rows)
        self.assertEqual(
            set(Owner.objects.visible_to(actors["other_municipality_editor"])), {self.other_owner}
        )
        self.assertEqual(set(Campaign.objects.visible_to(actors["support_with_consent"])), set())

    def test_a_support_corporation_sees_only_the_consenting_owner_and_loses_them_on_revocation(self) -> None:
        heir = self.owner.case.owners.create(name="同意していない相続人", is_heir=True)
        self.assertEqual(set(Owner.objects.visible_to(self.support_viewer)), {self.owner})
        with self.assertRaises(NotFound):
            access_owner(self.support_viewer, heir.pk, action=Action.VIEW)
        services.owner_consent_revoke(actor=self.editor, consent_id=self.consent.pk, revoked_on=TODAY)
        for gate, pk in ((access_akiya_case, self.case.pk), (access_owner, self.owner.pk)):
            with self.subTest(gate=gate.__name__), self.assertRaises(NotFound):
                gate(self.support_viewer, pk, action=Action.VIEW)
        self.assertEqual(set(AkiyaCase.objects.visible_to(self.support_viewer)), set())
