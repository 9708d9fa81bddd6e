"""Akiya API (staff only): cases with the move step, owners, campaigns with responses; isolation and query counts."""

from typing import Any

from django.urls import reverse
from rest_framework.test import APIClient

from nikyoten.accounts import services as account_services
from nikyoten.accounts.choices import MembershipRole
from nikyoten.housing.choices import AkiyaStage, CampaignResponse
from nikyoten.housing.models import AkiyaCase, CampaignLetter
from nikyoten.housing.services import akiya as services
from nikyoten.housing.tests.akiya_world import LONG_AGO, TODAY, AkiyaWorld
from nikyoten.housing.tests.factories import AkiyaCaseFactory, CampaignFactory, OwnerFactory

CASES = reverse("housing-api:akiya-case-list")
OWNERS = reverse("housing-api:owner-list")
CAMPAIGNS = reverse("housing-api:campaign-list")


def case_url(pk: int, action: str = "") -> str:
    return reverse(f"housing-api:akiya-case-{action or 'detail'}", args=[pk])


def respond_url(campaign_pk: int, letter_pk: int) -> str:
    return reverse("housing-api:campaign-respond", args=[campaign_pk, letter_pk])


class AkiyaApiTestCase(AkiyaWorld):
    def client_for(self, user: Any = None, *, token: str | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        if token is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    def token(self, role: str, organization: Any = None) -> str:
        organization = organization or self.org
        admin = self.admin if organization == self.org else self.member(organization, MembershipRole.ADMIN)
        return account_services.api_token_issue(
            actor=admin, organization_id=organization.pk, name="連携", role=role
        ).key

    def assert_error(self, response: Any, status: int, code: str) -> dict[str, Any]:
        self.assertEqual(response.status_code, status, response.content)
        body = response.json()
        self.assertEqual(set(body), {"error"})
        self.assertEqual(body["error"]["code"], code)
        return body["error"]


class AnonymousTests(AkiyaApiTestCase):
    def test_anonymous_callers_get_401(self) -> None:
        client = self.client_for()
        for url in (
            CASES,
            case_url(self.case.pk),
            OWNERS,
            CAMPAIGNS,
            reverse("housing-api:campaign-detail", args=[self.campaign.pk]),
        ):
            with self.subTest(url=url):
                self.assert_error(client.get(url), 401, "not_authenticated")
        self.assert_error(client.post(case_url(self.case.pk, "move"), {}), 401, "not_authenticated")


class CaseApiTests(AkiyaApiTestCase):
    def test_list_is_the_organizations_cases_with_a_fixed_number_of_queries(self) -> None:
        client = self.client_for(self.viewer)
        client.get(CASES)  # reads the caller's roles once
        with self.assertNumQueries(2):
            body = client.get(CASES).json()
        self.assertEqual([row["reference"] for row in body["results"]], ["AK-0001"])
        self.assertEqual(body["results"][0]["is_own"], True)
        for n in range(5):
            AkiyaCaseFactory(organization=self.org, reference=f"AK-2{n:03d}")
        with self.assertNumQueries(2):
            self.assertEqual(client.get(CASES).json()["count"], 6)

    def test_filters(self) -> None:
        AkiyaCaseFactory(
            organization=self.org, reference="AK-0002", address="窪川の家", stage=AkiyaStage.RENOVATION
        )
        client = self.client_for(self.editor)
        for params, expected in [
            ({"stage": "renovation"}, ["AK-0002"]),
            ({"q": "窪川"}, ["AK-0002"]),
            ({"organization": self.other_org.pk}, []),
        ]:
            with self.subTest(params=params):
                rows = client.get(CASES, params).json()["results"]
                self.assertEqual([row["reference"] for row in rows], expected)
        self.assert_error(client.get(CASES, {"stage": "nowhere"}), 400, "invalid")

    def test_another_municipalitys_case_is_404_and_never_listed(self) -> None:
        client = self.client_for(self.editor)
        self.assertNotIn("SK-0001", str(client.get(CASES).json()))
        self.assert_error(client.get(case_url(self.other_case.pk)), 404, "not_found")
        self.assert_error(
            client.post(
                case_url(self.other_case.pk, "move"), {"to_stage": "abandoned", "occurred_on": TODAY}
            ),
            404,
            "not_found",
        )
        self.assert_error(client.patch(case_url(self.other_case.pk), {"notes": "x"}), 404, "not_found")

    def test_a_support_corporation_sees_a_shared_case_without_the_organizations_notes(self) -> None:
        AkiyaCase.objects.filter(pk=self.case.pk).update(notes="内部メモ")
        client = self.client_for(self.support_viewer)
        row = client.get(case_url(self.case.pk)).json()
        self.assertEqual(
            (row["address"], row["stage"], row["is_own"]), (self.case.address, "discovered", False)
        )
        self.assertIsNone(row["notes"])
        services.owner_consent_revoke(actor=self.editor, consent_id=self.consent.pk, revoked_on=TODAY)
        self.assert_error(client.get(case_url(self.case.pk)), 404, "not_found")
        self.assertEqual(client.get(CASES).json()["count"], 0)

    def test_create_update_and_move_with_an_editor_token(self) -> None:
        client = self.client_for(token=self.token(MembershipRole.EDITOR))
        response = client.post(
            CASES,
            {
                "organization": self.org.pk,
                "reference": "AK-0300",
                "address": "十川3-3",
                "source": "survey",
                "discovered_on": LONG_AGO.isoformat(),
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertEqual(
            client.patch(case_url(pk), {"notes": "雨漏りあり"}, format="json").json()["notes"], "雨漏りあり"
        )
        OwnerFactory(case_id=pk)
        moved = client.post(
            case_url(pk, "move"),
            {"to_stage": "published", "occurred_on": TODAY.isoformat(), "listing": self.listing.pk},
            format="json",
        )
        self.assertEqual(moved.status_code, 200, moved.content)
        self.assertEqual((moved.json()["stage"], moved.json()["listing"]), ("published", self.listing.pk))
        self.assertIsNone(AkiyaCase.objects.get(pk=pk).events.last().actor)  # an API client is no person

    def test_refusals_in_the_one_error_shape(self) -> None:
        client = self.client_for(self.editor)
        error = self.assert_error(
            client.post(
                case_url(self.case.pk, "move"), {"to_stage": "published", "occurred_on": TODAY}, format="json"
            ),
            400,
            "invalid",
        )
        self.assertIn("管理・公開に進めるには", error["message"])
        self.assertIn("listing", error["fields"])
        duplicate = {
            "organization": self.org.pk,
            "reference": "AK-0001",
            "address": "x",
            "source": "survey",
            "discovered_on": TODAY.isoformat(),
        }
        self.assertIn(
            "reference",
            self.assert_error(client.post(CASES, duplicate, format="json"), 400, "invalid")["fields"],
        )
        self.assert_error(
            client.post(CASES, {**duplicate, "organization": self.other_org.pk}, format="json"),
            404,
            "not_found",
        )

    def test_viewers_and_viewer_tokens_cannot_write(self) -> None:
        for client in (
            self.client_for(self.viewer),
            self.client_for(token=self.token(MembershipRole.VIEWER)),
        ):
            with self.subTest(client=client):
                self.assert_error(
                    client.post(
                        case_url(self.case.pk, "move"), {"to_stage": "abandoned", "occurred_on": TODAY}
                    ),
                    404,
                    "not_found",
                )
                self.assert_error(client.patch(case_url(self.case.pk), {"notes": "x"}), 404, "not_found")
        self.case.refresh_from_db()
        self.assertEqual(self.case.stage, AkiyaStage.DISCOVERED)


class OwnerApiTests(AkiyaApiTestCase):
    def test_owners_for_whom_they_concern(self) -> None:
        for user, expected in [
            (self.viewer, ["架空 太郎"]),
            (self.other_editor, ["別町 花子"]),
            (self.support_viewer, ["架空 太郎"]),
            (self.other_support_viewer, []),
        ]:
            with self.subTest(user=user):
                rows = self.client_for(user).get(OWNERS).json()["results"]
                self.assertEqual([row["name"] for row in rows], expected)
        self.assert_error(
            self.client_for(self.editor).get(reverse("housing-api:owner-detail", args=[self.other_owner.pk])),
            404,
            "not_found",
        )

    def test_list_query_count(self) -> None:
        client = self.client_for(self.editor)
        client.get(OWNERS)  # reads the caller's roles once
        with self.assertNumQueries(2):
            client.get(OWNERS)
        OwnerFactory.create_batch(4, case=self.case)
        with self.assertNumQueries(2):
            self.assertEqual(client.get(OWNERS).json()["count"], 5)


class CampaignApiTests(AkiyaApiTestCase):
    def test_list_and_isolation(self) -> None:
        client = self.client_for(self.viewer)
        client.get(CAMPAIGNS)  # reads the caller's roles once
        with self.assertNumQueries(2):
            rows = client.get(CAMPAIGNS).json()["results"]
        self.assertEqual([(r["title"], r["letter_count"]) for r in rows], [("第1回のご案内", 1)])
        CampaignFactory.create_batch(3, organization=self.org)
        with self.assertNumQueries(2):
            self.assertEqual(client.get(CAMPAIGNS).json()["count"], 4)
        self.assert_error(
            client.get(reverse("housing-api:campaign-detail", args=[self.other_campaign.pk])),
            404,
            "not_found",
        )
        self.assertEqual(self.client_for(self.support_viewer).get(CAMPAIGNS).json()["count"], 0)

    def test_respond_and_read_the_rates(self) -> None:
        services.campaign_mark_sent(actor=self.editor, campaign_id=self.campaign.pk, sent_on=LONG_AGO)
        client = self.client_for(self.editor)
        body = {"response": CampaignResponse.INTERESTED, "responded_on": TODAY.isoformat(), "move_case": True}
        response = client.post(respond_url(self.campaign.pk, self.letter.pk), body, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        detail = response.json()
        self.assertEqual(detail["letters"][0]["response"], "interested")
        self.assertEqual(detail["response_count"], 1)
        rates = {r["months"]: (r["responses"], r["elapsed"]) for r in detail["response_rates"]}
        self.assertEqual(rates[36], (1, False))
        self.assertEqual(rates[3], (0, True))  # answered more than three months after sending
        self.case.refresh_from_db()
        self.assertEqual(self.case.stage, AkiyaStage.INTENT_CONFIRMED)

    def test_respond_refusals(self) -> None:
        other_letter = CampaignLetter.objects.create(
            campaign=self.other_campaign, case=self.other_case, owner=self.other_owner
        )
        body = {"response": "interested", "responded_on": TODAY.isoformat()}
        editor = self.client_for(self.editor)
        self.assert_error(
            editor.post(respond_url(self.campaign.pk, self.letter.pk), body), 400, "invalid"
        )  # unsent
        self.assert_error(
            editor.post(respond_url(self.other_campaign.pk, other_letter.pk), body), 404, "not_found"
        )
        self.assert_error(editor.post(respond_url(self.campaign.pk, other_letter.pk), body), 404, "not_found")
        viewer = self.client_for(self.viewer)
        self.assert_error(viewer.post(respond_url(self.campaign.pk, self.letter.pk), body), 404, "not_found")
        pending = {**body, "response": "pending"}
        self.assert_error(editor.post(respond_url(self.campaign.pk, self.letter.pk), pending), 400, "invalid")
