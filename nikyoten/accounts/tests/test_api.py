"""Accounts API: the public organization list, members for members and tokens only, `me`, and isolation."""

import json
from typing import Any

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nikyoten.accounts import services
from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.models import ApiToken, Organization
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.regions.models import Prefecture

ORGANIZATIONS_URL = reverse("accounts-api:organization-list")
ME_URL = reverse("accounts-api:me")
MISSING_ORGANIZATION_ID = 999_999


def members_url(organization: Organization | int) -> str:
    pk = organization if isinstance(organization, int) else organization.pk
    return reverse("accounts-api:organization-members", kwargs={"pk": pk})


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


class OrganizationsWithStaff(TestCase):
    """A (四万十町) with an admin, editor, viewer and a token; B (飛騨市) with its own staff and token."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.platform_admin = UserFactory(email="platform@nikyoten.example.jp", is_staff=True)
        cls.org = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.admin = MembershipFactory(
            organization=cls.org, role=MembershipRole.ADMIN, user__email="admin@shimanto.example.jp"
        ).user
        cls.editor = MembershipFactory(
            organization=cls.org, role=MembershipRole.EDITOR, user__email="editor@shimanto.example.jp"
        ).user
        cls.viewer = MembershipFactory(
            organization=cls.org, role=MembershipRole.VIEWER, user__email="viewer@shimanto.example.jp"
        ).user
        cls.key = services.api_token_issue(
            actor=cls.admin, organization_id=cls.org.pk, name="町の公式サイト"
        ).key

        cls.other_org = OrganizationFactory(name="飛騨市 移住推進課", code="21217")
        cls.other_admin = MembershipFactory(
            organization=cls.other_org, role=MembershipRole.ADMIN, user__email="admin@hida.example.jp"
        ).user
        cls.other_editor = MembershipFactory(
            organization=cls.other_org, role=MembershipRole.EDITOR, user__email="editor@hida.example.jp"
        ).user
        cls.other_key = services.api_token_issue(
            actor=cls.other_admin,
            organization_id=cls.other_org.pk,
            name="飛騨市サイト",
            role=MembershipRole.EDITOR,
        ).key
        cls.seeker = UserFactory(email="seeker@example.jp")

    def assert_not_found(self, response: Any) -> None:
        self.assertEqual(response.status_code, 404, response.content)
        body = response.json()
        self.assertEqual(set(body), {"error"})
        self.assertEqual(body["error"]["code"], "not_found")
        self.assertTrue(body["error"]["message"])


class OrganizationListApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.shimanto = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.shimanto_npo = OrganizationFactory(name="しまんと移住ネット", kind=OrganizationKind.NPO)
        cls.kochi = Organization.objects.create(
            name="高知県 移住促進課",
            kind=OrganizationKind.PREFECTURE,
            prefecture=Prefecture.objects.get(code="39"),
        )
        cls.hida = OrganizationFactory(name="飛騨市 移住推進課", code="21217")
        cls.chiyoda = OrganizationFactory(name="千代田区 地域振興課", code="13101")
        cls.closed = OrganizationFactory(name="解散した協議会", is_active=False)

    def names(self, query: dict[str, str] | None = None) -> list[str]:
        response = self.client.get(ORGANIZATIONS_URL, query or {})
        self.assertEqual(response.status_code, 200, response.content)
        return [row["name"] for row in response.json()["results"]]

    def test_is_public_and_paginated(self) -> None:
        response = self.client.get(ORGANIZATIONS_URL)

        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(set(body), {"count", "next", "previous", "results"})
        self.assertEqual(body["count"], 5)
        self.assertIsNone(body["next"])
        self.assertIsNone(body["previous"])
        row = next(row for row in body["results"] if row["id"] == self.shimanto.pk)
        self.assertEqual(
            row,
            {
                "id": self.shimanto.pk,
                "name": "四万十町 にぎわい創出課",
                "kind": "municipality",
                "prefecture": "39",
                "municipality": "39412",
                "is_sample": False,
            },
        )

    def test_pages_follow_page_size(self) -> None:
        first = self.client.get(ORGANIZATIONS_URL, {"page_size": 2}).json()
        last = self.client.get(ORGANIZATIONS_URL, {"page_size": 2, "page": 3}).json()

        self.assertEqual((first["count"], len(first["results"])), (5, 2))
        self.assertIn("page=2", first["next"])
        self.assertIsNone(first["previous"])
        self.assertEqual(len(last["results"]), 1)
        self.assertIsNone(last["next"])

    def test_inactive_organizations_are_absent(self) -> None:
        self.assertNotIn("解散した協議会", self.names())
        response = self.client.get(reverse("accounts-api:organization-detail", kwargs={"pk": self.closed.pk}))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"]["code"], "not_found")

    def test_platform_admins_also_see_inactive_organizations(self) -> None:
        self.client.force_login(UserFactory(is_staff=True))

        self.assertIn("解散した協議会", self.names())

    def test_ordered_by_prefecture_then_name(self) -> None:
        self.assertEqual(
            self.names(),
            [
                "千代田区 地域振興課",
                "飛騨市 移住推進課",
                "しまんと移住ネット",
                "四万十町 にぎわい創出課",
                "高知県 移住促進課",
            ],
        )

    def test_filter_by_prefecture(self) -> None:
        self.assertEqual(
            sorted(self.names({"prefecture": "39"})),
            sorted(["四万十町 にぎわい創出課", "しまんと移住ネット", "高知県 移住促進課"]),
        )

    def test_filter_by_municipality(self) -> None:
        self.assertEqual(
            sorted(self.names({"municipality": "39412"})),
            sorted(["四万十町 にぎわい創出課", "しまんと移住ネット"]),
        )

    def test_filter_by_kind(self) -> None:
        self.assertEqual(self.names({"kind": "prefecture"}), ["高知県 移住促進課"])

    def test_an_unknown_kind_is_refused_in_the_error_shape(self) -> None:
        response = self.client.get(ORGANIZATIONS_URL, {"kind": "castle"})

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["code"], "invalid")
        self.assertIn("kind", response.json()["error"]["fields"])

    def test_detail_is_public(self) -> None:
        response = self.client.get(reverse("accounts-api:organization-detail", kwargs={"pk": self.hida.pk}))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            (response.json()["name"], response.json()["municipality"]), ("飛騨市 移住推進課", "21217")
        )

    def test_the_query_count_does_not_grow_with_the_rows(self) -> None:
        with CaptureQueriesContext(connection) as few:
            self.client.get(ORGANIZATIONS_URL)
        for _ in range(10):
            OrganizationFactory(code="21217")

        # count + page
        with self.assertNumQueries(2):
            body = self.client.get(ORGANIZATIONS_URL).json()

        self.assertEqual(len(few), 2)
        self.assertEqual(body["count"], 15)


class MembersApiTests(OrganizationsWithStaff):
    def emails(self, response: Any) -> list[str]:
        self.assertEqual(response.status_code, 200, response.content)
        return [row["email"] for row in response.json()["results"]]

    def test_a_member_sees_the_members_and_roles(self) -> None:
        self.client.force_login(self.viewer)

        response = self.client.get(members_url(self.org))

        body = response.json()
        self.assertEqual(set(body), {"count", "next", "previous", "results"})
        self.assertEqual(
            [(row["email"], row["role"]) for row in body["results"]],
            [
                ("admin@shimanto.example.jp", "admin"),
                ("editor@shimanto.example.jp", "editor"),
                ("viewer@shimanto.example.jp", "viewer"),
            ],
        )
        self.assertEqual(set(body["results"][0]), {"id", "email", "display_name", "role"})

    def test_the_organizations_token_sees_the_members(self) -> None:
        response = self.client.get(members_url(self.org), **bearer(self.key))

        self.assertEqual(
            self.emails(response),
            ["admin@shimanto.example.jp", "editor@shimanto.example.jp", "viewer@shimanto.example.jp"],
        )

    def test_the_token_keyword_is_accepted_too(self) -> None:
        response = self.client.get(members_url(self.org), HTTP_AUTHORIZATION=f"Token {self.key}")

        self.assertEqual(response.status_code, 200)

    def test_the_platform_admin_sees_the_members(self) -> None:
        self.client.force_login(self.platform_admin)

        self.assertEqual(len(self.emails(self.client.get(members_url(self.org)))), 3)

    def test_outsiders_get_the_same_404_as_a_missing_organization(self) -> None:
        missing = self.client.get(members_url(MISSING_ORGANIZATION_ID))
        self.assert_not_found(missing)
        for name, user in (("other member", self.other_admin), ("seeker", self.seeker), ("anonymous", None)):
            with self.subTest(actor=name):
                self.client.logout()
                if user is not None:
                    self.client.force_login(user)

                response = self.client.get(members_url(self.org))

                self.assert_not_found(response)
                self.assertEqual(response.json(), missing.json())

    def test_another_organizations_token_gets_404(self) -> None:
        response = self.client.get(members_url(self.org), **bearer(self.other_key))

        self.assert_not_found(response)

    def test_a_revoked_token_gets_401_in_the_error_shape(self) -> None:
        token = ApiToken.objects.get(key_hash=ApiToken.hash_key(self.key))
        services.api_token_revoke(actor=self.admin, token_id=token.pk)

        response = self.client.get(members_url(self.org), **bearer(self.key))

        self.assertEqual(response.status_code, 401)
        error = response.json()["error"]
        self.assertEqual(error["code"], "authentication_failed")
        self.assertEqual(error["message"], "API トークンが無効です（失効済みか、存在しません）。")
        self.assertEqual(error["fields"], {})
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="api"')

    def test_an_unknown_key_and_a_malformed_header_get_401(self) -> None:
        for header in (f"Bearer {self.key}x", "Bearer", "Bearer two parts"):
            with self.subTest(header=header):
                response = self.client.get(members_url(self.org), HTTP_AUTHORIZATION=header)

                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"]["code"], "authentication_failed")

    def test_a_token_of_a_deactivated_organization_gets_401(self) -> None:
        Organization.objects.filter(pk=self.org.pk).update(is_active=False)

        self.assertEqual(self.client.get(members_url(self.org), **bearer(self.key)).status_code, 401)

    def test_using_a_token_records_it(self) -> None:
        before = timezone.now()

        self.client.get(members_url(self.org), **bearer(self.key))

        self.assertGreaterEqual(
            ApiToken.objects.get(key_hash=ApiToken.hash_key(self.key)).last_used_at, before
        )

    def test_the_query_count_does_not_grow_with_the_members(self) -> None:
        with CaptureQueriesContext(connection) as three:
            self.client.get(members_url(self.org), **bearer(self.key))
        for _ in range(7):
            MembershipFactory(organization=self.org, role=MembershipRole.VIEWER)

        # token (+ last-used stamp on the first call only), organization, count, page
        with self.assertNumQueries(len(three) - 1):
            response = self.client.get(members_url(self.org), **bearer(self.key))

        self.assertEqual(response.json()["count"], 10)
        self.assertEqual(len(three), 5)


class MeApiTests(OrganizationsWithStaff):
    def test_anonymous(self) -> None:
        self.assertEqual(
            self.client.get(ME_URL).json(),
            {"kind": "anonymous", "email": None, "is_platform_admin": False, "roles": []},
        )

    def test_a_user_with_roles(self) -> None:
        prefecture_body = Organization.objects.create(
            name="高知県 移住促進課", kind=OrganizationKind.PREFECTURE, prefecture=self.org.prefecture
        )
        MembershipFactory(organization=prefecture_body, user=self.editor, role=MembershipRole.VIEWER)
        closed = OrganizationFactory(name="解散した協議会", is_active=False)
        MembershipFactory(organization=closed, user=self.editor, role=MembershipRole.ADMIN)
        self.client.force_login(self.editor)

        body = self.client.get(ME_URL).json()

        self.assertEqual(
            (body["kind"], body["email"], body["is_platform_admin"]),
            ("user", "editor@shimanto.example.jp", False),
        )
        self.assertEqual(
            sorted((role["organization"]["name"], role["role"]) for role in body["roles"]),
            sorted([("四万十町 にぎわい創出課", "editor"), ("高知県 移住促進課", "viewer")]),
        )

    def test_a_seeker_has_no_roles(self) -> None:
        self.client.force_login(self.seeker)

        self.assertEqual(self.client.get(ME_URL).json()["roles"], [])

    def test_a_platform_admin(self) -> None:
        self.client.force_login(self.platform_admin)

        body = self.client.get(ME_URL).json()

        self.assertTrue(body["is_platform_admin"])
        self.assertEqual(body["roles"], [])

    def test_an_api_client_holds_exactly_its_tokens_role(self) -> None:
        body = self.client.get(ME_URL, **bearer(self.other_key)).json()

        self.assertEqual(
            (body["kind"], body["email"], body["is_platform_admin"]), ("api_client", None, False)
        )
        self.assertEqual(
            [(role["organization"]["id"], role["role"]) for role in body["roles"]],
            [(self.other_org.pk, "editor")],
        )


class IsolationTests(OrganizationsWithStaff):
    """Nothing of organization B (members' emails, tokens) shows in any answer to A's admin or A's token."""

    def responses_as(self, credentials: dict[str, str]) -> dict[str, Any]:
        urls = {
            "organizations": ORGANIZATIONS_URL,
            "organization A": reverse("accounts-api:organization-detail", kwargs={"pk": self.org.pk}),
            "organization B": reverse("accounts-api:organization-detail", kwargs={"pk": self.other_org.pk}),
            "members of A": members_url(self.org),
            "members of B": members_url(self.other_org),
            "me": ME_URL,
        }
        return {name: self.client.get(url, **credentials) for name, url in urls.items()}

    def assert_nothing_of_b(self, responses: dict[str, Any]) -> None:
        secrets = [
            "admin@hida.example.jp",
            "editor@hida.example.jp",
            self.other_key,
            ApiToken.objects.get(organization=self.other_org).prefix,
        ]
        for name, response in responses.items():
            text = json.dumps(response.json(), ensure_ascii=False)
            for secret in secrets:
                with self.subTest(response=name, secret=secret):
                    self.assertNotIn(secret, text)
        self.assertEqual(responses["members of A"].status_code, 200)
        self.assertIn("admin@shimanto.example.jp", json.dumps(responses["members of A"].json()))
        self.assert_not_found(responses["members of B"])

    def test_as_organization_a_admin(self) -> None:
        self.client.force_login(self.admin)

        self.assert_nothing_of_b(self.responses_as({}))

    def test_as_organization_a_token(self) -> None:
        self.assert_nothing_of_b(self.responses_as(bearer(self.key)))

    def test_b_is_a_public_organization_but_only_its_profile_shows(self) -> None:
        self.client.force_login(self.admin)

        body = self.client.get(
            reverse("accounts-api:organization-detail", kwargs={"pk": self.other_org.pk})
        ).json()

        self.assertEqual(set(body), {"id", "name", "kind", "prefecture", "municipality", "is_sample"})
