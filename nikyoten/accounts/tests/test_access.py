"""The organization gate and queryset vocabulary: a role × action × organization matrix, one case per cell."""

from collections.abc import Callable
from itertools import product
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from nikyoten.accounts.access import OrganizationAction, access_organization, can_act_on_organization
from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.models import ApiToken, Organization
from nikyoten.accounts.principals import ApiClient, has_role, is_platform_admin, roles_of
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.core.exceptions import NotFound

ACTORS = (
    "anonymous",
    "seeker",
    "viewer",
    "editor",
    "admin",
    "platform_admin",
    "api_viewer",
    "api_editor",
)
# "own" is organization A; "other" is B, where nobody but the platform admin has a role; "inactive" is a
# deactivated organization in which A's staff hold the same roles as in A (so the inactive flag alone
# refuses them).
ORGANIZATIONS = ("own", "other", "inactive")
ACTIONS = tuple(OrganizationAction)

V, M = OrganizationAction.VIEW, OrganizationAction.VIEW_MEMBERS
MM = OrganizationAction.MANAGE_MEMBERS
EVERYTHING = frozenset(ACTIONS)

# (actor, organization) → the actions allowed; every cell not listed allows nothing.
ALLOWED: dict[tuple[str, str], frozenset[OrganizationAction]] = {
    **{(actor, "own"): frozenset({V}) for actor in ACTORS},
    **{(actor, "other"): frozenset({V}) for actor in ACTORS},
    ("viewer", "own"): frozenset({V, M}),
    ("editor", "own"): frozenset({V, M}),
    ("admin", "own"): EVERYTHING,
    ("api_viewer", "own"): frozenset({V, M}),
    ("api_editor", "own"): frozenset({V, M}),
    ("platform_admin", "own"): EVERYTHING,
    ("platform_admin", "other"): EVERYTHING,
    ("platform_admin", "inactive"): EVERYTHING,
}

CELLS = [
    (actor, action, organization, action in ALLOWED.get((actor, organization), frozenset()))
    for actor, action, organization in product(ACTORS, ACTIONS, ORGANIZATIONS)
]


def expand(cases: list[tuple[Any, ...]], name: Callable[..., str]) -> Callable[[type], type]:
    """Turn `_check(self, *case)` into one `test_<name>` method per case: each cell passes or fails alone."""

    def decorate(cls: type) -> type:
        for case in cases:

            def method(self: Any, case: tuple[Any, ...] = case) -> None:
                self._check(*case)

            method.__name__ = f"test_{name(*case)}"
            setattr(cls, method.__name__, method)
        return cls

    return decorate


class OrganizationMatrixData(TestCase):
    """Organization A with a viewer, editor, admin and two API tokens; organization B; an inactive one."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.own = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.other = OrganizationFactory(name="飛騨市 移住推進課", code="21217")
        cls.inactive = OrganizationFactory(name="廃止された協議会", code="13101", is_active=False)
        cls.users = {"seeker": UserFactory(), "platform_admin": UserFactory(is_staff=True)}
        for role in MembershipRole:
            user = UserFactory()
            MembershipFactory(user=user, organization=cls.own, role=role)
            MembershipFactory(user=user, organization=cls.inactive, role=role)
            cls.users[role.value] = user
        cls.tokens = {
            f"api_{role.value}": ApiToken.objects.create(
                organization=cls.own,
                name=f"{role.label}のトークン",
                role=role,
                prefix=f"p{role.value}",
                key_hash=f"h{role.value}",
            )
            for role in (MembershipRole.VIEWER, MembershipRole.EDITOR)
        }

    def actor(self, name: str) -> Any:
        if name == "anonymous":
            return AnonymousUser()
        if name in self.tokens:
            return ApiClient(token=self.tokens[name])
        return self.users[name]

    def organization(self, name: str) -> Organization:
        return {"own": self.own, "other": self.other, "inactive": self.inactive}[name]


@expand(
    CELLS,
    lambda actor, action, org, allowed: (
        f"{actor}_{action.value}_on_{org}_{'allowed' if allowed else 'refused'}"
    ),
)
class AccessOrganizationMatrixTests(OrganizationMatrixData):
    """`can_act_on_organization` and `access_organization` agree with the matrix in every cell."""

    def _check(self, actor_name: str, action: OrganizationAction, org_name: str, allowed: bool) -> None:
        actor, organization = self.actor(actor_name), self.organization(org_name)

        self.assertIs(can_act_on_organization(actor, organization, action=action), allowed)
        if allowed:
            self.assertEqual(access_organization(actor, organization.pk, action=action), organization)
        else:
            with self.assertRaises(NotFound):
                access_organization(actor, organization.pk, action=action)


QUERYSET_CELLS = [
    (
        actor,
        organization,
        V in ALLOWED.get((actor, organization), frozenset()),
        MM in ALLOWED.get((actor, organization), frozenset()),
    )
    for actor, organization in product(ACTORS, ORGANIZATIONS)
]


@expand(
    QUERYSET_CELLS,
    lambda actor, org, visible, editable: f"{actor}_{org}_visible_{visible}_editable_{editable}".lower(),
)
class OrganizationQuerySetMatrixTests(OrganizationMatrixData):
    """`visible_to` matches VIEW and `editable_by` matches MANAGE_MEMBERS for every actor and organization."""

    def _check(self, actor_name: str, org_name: str, visible: bool, editable: bool) -> None:
        actor, organization = self.actor(actor_name), self.organization(org_name)

        self.assertIs(Organization.objects.visible_to(actor).filter(pk=organization.pk).exists(), visible)
        self.assertIs(Organization.objects.editable_by(actor).filter(pk=organization.pk).exists(), editable)


class AccessOrganizationNotFoundTests(OrganizationMatrixData):
    """Forbidden and missing organizations answer the same NotFound, so existence never leaks."""

    def assert_same_not_found(self, actor: Any, forbidden_id: object, action: OrganizationAction) -> None:
        missing_id = Organization.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
        with self.assertRaises(NotFound) as forbidden:
            access_organization(actor, forbidden_id, action=action)
        with self.assertRaises(NotFound) as missing:
            access_organization(actor, missing_id, action=action)

        self.assertIs(type(forbidden.exception), type(missing.exception))
        self.assertEqual(forbidden.exception.message, missing.exception.message)
        self.assertEqual(forbidden.exception.message, "組織が見つかりません。")
        self.assertEqual((forbidden.exception.code, forbidden.exception.status), ("not_found", 404))
        self.assertEqual(forbidden.exception.fields, missing.exception.fields)

    def test_members_of_another_organization_look_missing(self) -> None:
        self.assert_same_not_found(self.users["admin"], self.other.pk, OrganizationAction.VIEW_MEMBERS)

    def test_inactive_organization_looks_missing_even_to_its_admin(self) -> None:
        self.assert_same_not_found(self.users["admin"], self.inactive.pk, OrganizationAction.VIEW)

    def test_managing_as_editor_looks_missing(self) -> None:
        self.assert_same_not_found(self.users["editor"], self.own.pk, OrganizationAction.MANAGE_MEMBERS)

    def test_api_client_on_another_organization_looks_missing(self) -> None:
        self.assert_same_not_found(self.actor("api_editor"), self.other.pk, OrganizationAction.VIEW_MEMBERS)

    def test_anonymous_members_look_missing(self) -> None:
        self.assert_same_not_found(AnonymousUser(), self.own.pk, OrganizationAction.VIEW_MEMBERS)

    def test_malformed_ids_answer_not_found(self) -> None:
        for bad_id in ("abc", "", None, "1.5"):
            with self.subTest(bad_id=bad_id), self.assertRaises(NotFound) as raised:
                access_organization(self.users["platform_admin"], bad_id, action=OrganizationAction.VIEW)
            self.assertEqual(raised.exception.message, "組織が見つかりません。")


class PrincipalTests(OrganizationMatrixData):
    """Who counts as a platform admin, and which roles an actor holds."""

    def test_inactive_staff_user_is_not_a_platform_admin(self) -> None:
        staff = UserFactory(is_staff=True, is_active=False)

        self.assertFalse(is_platform_admin(staff))
        self.assertFalse(Organization.objects.visible_to(staff).filter(pk=self.inactive.pk).exists())
        with self.assertRaises(NotFound):
            access_organization(staff, self.other.pk, action=OrganizationAction.MANAGE_MEMBERS)

    def test_api_client_is_never_a_platform_admin(self) -> None:
        self.assertFalse(is_platform_admin(self.actor("api_editor")))

    def test_roles_of_user_leaves_out_inactive_organizations(self) -> None:
        self.assertEqual(roles_of(self.users["admin"]), {self.own.pk: MembershipRole.ADMIN})

    def test_roles_of_api_client_is_exactly_its_token_role(self) -> None:
        self.assertEqual(roles_of(self.actor("api_editor")), {self.own.pk: MembershipRole.EDITOR})
        self.assertEqual(roles_of(self.actor("api_viewer")), {self.own.pk: MembershipRole.VIEWER})

    def test_roles_of_anonymous_and_seeker_are_empty(self) -> None:
        self.assertEqual(roles_of(AnonymousUser()), {})
        self.assertEqual(roles_of(self.users["seeker"]), {})

    def test_has_role_follows_the_rank(self) -> None:
        editor = self.users["editor"]

        self.assertTrue(has_role(editor, self.own.pk, MembershipRole.VIEWER))
        self.assertTrue(has_role(editor, self.own.pk, MembershipRole.EDITOR))
        self.assertFalse(has_role(editor, self.own.pk, MembershipRole.ADMIN))
        self.assertFalse(has_role(editor, self.other.pk, MembershipRole.VIEWER))

    def test_roles_are_computed_once_per_actor(self) -> None:
        admin = self.users["admin"]
        roles_of(admin)

        with self.assertNumQueries(0):
            roles_of(admin)
            can_act_on_organization(admin, self.own, action=OrganizationAction.MANAGE_TOKENS)

    def test_prefecture_wide_organization_follows_the_same_gate(self) -> None:
        prefecture_body = Organization.objects.create(
            name="高知県 移住促進課", kind=OrganizationKind.PREFECTURE, prefecture=self.own.prefecture
        )
        MembershipFactory(user=self.users["seeker"], organization=prefecture_body, role=MembershipRole.VIEWER)
        seeker = self.users["seeker"]

        self.assertTrue(
            can_act_on_organization(seeker, prefecture_body, action=OrganizationAction.VIEW_MEMBERS)
        )
        self.assertFalse(
            can_act_on_organization(seeker, prefecture_body, action=OrganizationAction.MANAGE_MEMBERS)
        )
