"""Akiya staff pages: what each role sees and does, isolation from another municipality, query counts."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from nikyoten.accounts.models import AuditEvent
from nikyoten.housing.choices import AkiyaEventKind, AkiyaSource, AkiyaStage, CampaignResponse
from nikyoten.housing.models import AkiyaCase, Campaign, CampaignLetter, Owner, OwnerConsent
from nikyoten.housing.services import akiya as services
from nikyoten.housing.tests.akiya_world import LONG_AGO, TODAY, AkiyaWorld
from nikyoten.housing.tests.factories import (
    AkiyaCaseFactory,
    CampaignFactory,
    OwnerConsentFactory,
    OwnerFactory,
)

LIST = reverse("housing:akiya_case_list")
SHARED = reverse("housing:akiya_case_shared_list")
CAMPAIGNS = reverse("housing:campaign_list")
QUERIES_CASE_DETAIL = 8
QUERIES_CAMPAIGN_DETAIL = 6


def url(name: str, *args: object) -> str:
    return reverse(f"housing:{name}", args=args)


class AkiyaPageTestCase(AkiyaWorld):
    def as_user(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client


class CaseListPageTests(AkiyaPageTestCase):
    def test_anonymous_is_sent_to_sign_in(self) -> None:
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_the_pipeline_overview_and_only_the_organizations_cases(self) -> None:
        AkiyaCaseFactory(organization=self.org, reference="AK-0002", stage=AkiyaStage.RENOVATION)
        response = self.as_user(self.viewer).get(LIST)
        self.assertContains(response, "AK-0001")
        self.assertContains(response, "AK-0002")
        self.assertNotContains(response, "SK-0001")
        self.assertNotContains(response, self.other_case.address)
        counts = {stage: count for stage, _label, count in response.context["stage_counts"]}
        self.assertEqual((counts["discovered"], counts["renovation"], counts["contracted"]), (1, 1, 0))
        self.assertFalse(response.context["may_edit"])
        self.assertNotContains(response, url("akiya_case_create"))

    def test_filters(self) -> None:
        AkiyaCaseFactory(
            organization=self.org, reference="AK-0002", address="窪川の家", stage=AkiyaStage.RENOVATION
        )
        client = self.as_user(self.editor)
        for params, expected in [
            ({"stage": "renovation"}, {"AK-0002"}),
            ({"stage": "discovered"}, {"AK-0001"}),
            ({"q": "窪川"}, {"AK-0002"}),
            ({"q": "ak-0001"}, {"AK-0001"}),
            ({"q": "架空"}, set()),  # owners' names are not searched
        ]:
            with self.subTest(params=params):
                page = client.get(LIST, params).context["page"]
                self.assertEqual({case.reference for case in page.object_list}, expected)

    def test_query_count_does_not_grow_with_the_rows(self) -> None:
        client = self.as_user(self.editor)
        client.get(LIST)  # warm the session
        with self.assertNumQueries(9):
            client.get(LIST)
        for n in range(5):
            AkiyaCaseFactory(organization=self.org, reference=f"AK-1{n:03d}")
        with self.assertNumQueries(9):
            client.get(LIST)

    def test_the_shared_list_of_a_support_corporation_follows_the_consent(self) -> None:
        client = self.as_user(self.support_viewer)
        self.assertContains(client.get(SHARED), "AK-0001")
        self.assertNotContains(client.get(SHARED), "SK-0001")
        self.assertNotContains(self.as_user(self.other_support_viewer).get(SHARED), "AK-0001")
        services.owner_consent_revoke(actor=self.editor, consent_id=self.consent.pk, revoked_on=TODAY)
        self.assertNotContains(client.get(SHARED), "AK-0001")

    def test_shared_list_query_count(self) -> None:
        client = self.as_user(self.support_viewer)
        client.get(SHARED)
        with self.assertNumQueries(6):
            client.get(SHARED)


class CaseDetailPageTests(AkiyaPageTestCase):
    def setUp(self) -> None:
        self.detail = url("akiya_case_detail", self.case.pk)
        AkiyaCase.objects.filter(pk=self.case.pk).update(notes="所有者は県外在住（内部メモ）")

    def test_members_see_owners_consents_and_timeline(self) -> None:
        services.akiya_case_note(
            actor=self.editor,
            case_id=self.case.pk,
            kind=AkiyaEventKind.CONTACT,
            occurred_on=TODAY,
            note="電話した",
        )
        response = self.as_user(self.viewer).get(self.detail)
        for text in ("架空 太郎", "高知市1-2", self.support.name, "内部メモ", "電話した"):
            self.assertContains(response, text)
        self.assertNotContains(response, url("akiya_case_move", self.case.pk))  # a viewer edits nothing
        editor_page = self.as_user(self.editor).get(self.detail)
        self.assertContains(editor_page, url("akiya_case_move", self.case.pk))
        self.assertContains(editor_page, url("owner_consent_revoke", self.case.pk, self.consent.pk))

    def test_query_count_does_not_grow_with_owners_consents_and_events(self) -> None:
        client = self.as_user(self.editor)
        client.get(self.detail)
        with self.assertNumQueries(QUERIES_CASE_DETAIL):
            client.get(self.detail)
        for n in range(3):
            owner = OwnerFactory(case=self.case)
            OwnerConsentFactory(owner=owner, recipient=self.support)
            services.akiya_case_note(
                actor=self.editor,
                case_id=self.case.pk,
                kind=AkiyaEventKind.NOTE,
                occurred_on=TODAY,
                note=f"{n}",
            )
        with self.assertNumQueries(QUERIES_CASE_DETAIL):
            client.get(self.detail)

    def test_a_support_corporation_sees_the_address_stage_and_consenting_owner_only(self) -> None:
        OwnerFactory(case=self.case, name="同意していない相続人")
        response = self.as_user(self.support_viewer).get(self.detail)
        self.assertContains(response, self.case.address)
        self.assertContains(response, "架空 太郎")
        for hidden in ("同意していない相続人", "内部メモ", "経過", self.support.name + " への同意を撤回"):
            self.assertNotContains(response, hidden)

    def test_others_get_404_and_lose_access_when_consent_is_revoked(self) -> None:
        for user in (self.other_editor, self.other_support_viewer, self.nobody):
            with self.subTest(user=user):
                self.assertEqual(self.as_user(user).get(self.detail).status_code, 404)
        client = self.as_user(self.support_viewer)
        self.assertEqual(client.get(self.detail).status_code, 200)
        response = self.as_user(self.editor).post(
            url("owner_consent_revoke", self.case.pk, self.consent.pk), {"revoked_on": TODAY.isoformat()}
        )
        self.assertRedirects(response, self.detail)
        self.assertEqual(client.get(self.detail).status_code, 404)


class CaseWritePageTests(AkiyaPageTestCase):
    def test_create_and_duplicate_reference_shown_on_the_field(self) -> None:
        client = self.as_user(self.editor)
        data = {
            "organization": self.org.pk,
            "reference": "AK-0500",
            "address": "十川5-5",
            "source": AkiyaSource.SURVEY,
            "discovered_on": TODAY.isoformat(),
        }
        response = client.post(url("akiya_case_create"), data)
        case = AkiyaCase.objects.get(reference="AK-0500")
        self.assertRedirects(response, url("akiya_case_detail", case.pk))
        again = client.post(url("akiya_case_create"), data)
        self.assertEqual(again.status_code, 200)
        self.assertIn("この管理番号はすでに使われています。", again.context["form"].errors["reference"])

    def test_create_is_offered_to_editors_only(self) -> None:
        self.assertEqual(self.as_user(self.viewer).get(url("akiya_case_create")).status_code, 404)
        self.assertEqual(self.as_user(self.editor).get(url("akiya_case_create")).status_code, 200)

    def test_edit_pages_answer_404_to_viewers_and_other_organizations(self) -> None:
        pages = [
            url("akiya_case_update", self.case.pk),
            url("akiya_case_move", self.case.pk),
            url("owner_create", self.case.pk),
            url("owner_update", self.owner.pk),
            url("owner_consent_create", self.owner.pk),
        ]
        for user in (self.viewer, self.other_editor, self.support_viewer):
            for page in pages:
                with self.subTest(user=user, page=page):
                    self.assertEqual(self.as_user(user).get(page).status_code, 404)
                    self.assertEqual(self.as_user(user).post(page, {}).status_code, 404)

    def test_move_to_published_links_a_listing_and_refusals_show_on_the_form(self) -> None:
        client = self.as_user(self.editor)
        move = url("akiya_case_move", self.case.pk)
        response = client.post(move, {"to_stage": "published", "occurred_on": TODAY.isoformat()})
        self.assertContains(response, "管理・公開に進めるには")
        choices = [c.pk for c in response.context["form"].fields["listing"].queryset]
        self.assertEqual(choices, [self.listing.pk])  # the other municipality's listing is not offered
        response = client.post(
            move, {"to_stage": "published", "occurred_on": TODAY.isoformat(), "listing": self.listing.pk}
        )
        self.assertRedirects(response, url("akiya_case_detail", self.case.pk))
        self.case.refresh_from_db()
        self.assertEqual((self.case.stage, self.case.listing), (AkiyaStage.PUBLISHED, self.listing))

    def test_owner_add_edit_delete_and_consent(self) -> None:
        client = self.as_user(self.editor)
        client.post(
            url("owner_create", self.case.pk),
            {"kind": "person", "name": "見本 花子", "postal_code": "786-0002"},
        )
        owner = Owner.objects.get(name="見本 花子")
        self.assertEqual(owner.postal_code, "7860002")
        client.post(url("owner_update", owner.pk), {"kind": "person", "name": "見本 花子", "phone": "0880-1"})
        owner.refresh_from_db()
        self.assertEqual(owner.phone, "0880-1")
        response = client.post(
            url("owner_consent_create", owner.pk),
            {"recipient": self.other_support.pk, "purpose": "相談", "consented_on": TODAY.isoformat()},
        )
        self.assertRedirects(response, url("akiya_case_detail", self.case.pk))
        self.assertTrue(OwnerConsent.objects.filter(owner=owner, recipient=self.other_support).exists())
        client.post(url("owner_delete", owner.pk))
        self.assertFalse(Owner.objects.filter(pk=owner.pk).exists())
        actions = list(
            AuditEvent.objects.filter(entity="akiya_owner", entity_id=owner.pk).values_list(
                "action", flat=True
            )
        )
        self.assertEqual(sorted(actions), ["create", "delete", "update"])

    def test_consent_to_an_organization_that_is_no_support_corporation_is_not_offered(self) -> None:
        response = self.as_user(self.editor).post(
            url("owner_consent_create", self.owner.pk),
            {"recipient": self.other_org.pk, "purpose": "相談", "consented_on": TODAY.isoformat()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("recipient", response.context["form"].errors)

    def test_note_errors_are_shown_on_the_detail_page(self) -> None:
        response = self.as_user(self.editor).post(
            url("akiya_case_note", self.case.pk),
            {"kind": "note", "occurred_on": TODAY.isoformat(), "note": ""},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("note", response.context["note_form"].errors)

    def test_csrf_is_enforced(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.editor)
        response = client.post(url("akiya_case_note", self.case.pk), {"kind": "note", "note": "x"})
        self.assertEqual(response.status_code, 403)


class CampaignPageTests(AkiyaPageTestCase):
    def test_list_shows_the_organizations_campaigns_only_with_stable_query_count(self) -> None:
        client = self.as_user(self.viewer)
        response = client.get(CAMPAIGNS)
        self.assertContains(response, "第1回のご案内")
        self.assertNotContains(response, "境町の働きかけ")
        with self.assertNumQueries(5):
            client.get(CAMPAIGNS)
        for _ in range(4):
            CampaignFactory(organization=self.org)
        with self.assertNumQueries(5):
            client.get(CAMPAIGNS)

    def test_detail_query_count_does_not_grow_with_the_letters(self) -> None:
        client = self.as_user(self.viewer)
        detail = url("campaign_detail", self.campaign.pk)
        client.get(detail)
        with self.assertNumQueries(QUERIES_CAMPAIGN_DETAIL):
            client.get(detail)
        for owner in OwnerFactory.create_batch(4, case=self.case):
            CampaignLetter.objects.create(campaign=self.campaign, case=self.case, owner=owner)
        with self.assertNumQueries(QUERIES_CAMPAIGN_DETAIL):
            client.get(detail)

    def test_create_from_cases_reports_owners_without_an_address(self) -> None:
        OwnerFactory(case=self.case, name="住所 不明", address="")
        client = self.as_user(self.editor)
        page = client.get(url("campaign_create"), {"stage": "discovered"})
        offered = {case.pk for case in page.context["form"].fields["cases"].queryset}
        self.assertEqual(offered, {self.case.pk})
        response = client.post(
            url("campaign_create"),
            {
                "organization": self.org.pk,
                "title": "第2回",
                "letter_subject": "{reference} について",
                "letter_body": "{owner_name} 様",
                "cases": [self.case.pk],
            },
            follow=True,
        )
        campaign = Campaign.objects.get(title="第2回")
        self.assertEqual(campaign.letters.count(), 1)
        self.assertContains(response, "住所が未登録のため")
        self.assertContains(response, "住所 不明")

    def test_bad_placeholders_are_shown_on_the_field(self) -> None:
        response = self.as_user(self.editor).post(
            url("campaign_create"),
            {"organization": self.org.pk, "title": "x", "letter_subject": "件名", "letter_body": "{name} 様"},
        )
        self.assertIn("letter_body", response.context["form"].errors)
        self.assertFalse(Campaign.objects.filter(title="x").exists())

    def test_send_respond_and_the_rate_table(self) -> None:
        client = self.as_user(self.editor)
        detail = url("campaign_detail", self.campaign.pk)
        sent_on = TODAY - timedelta(days=30)
        self.assertRedirects(
            client.post(url("campaign_sent", self.campaign.pk), {"sent_on": sent_on}), detail
        )
        response = client.post(
            url("campaign_letter_respond", self.campaign.pk, self.letter.pk),
            {"response": CampaignResponse.INTERESTED, "responded_on": TODAY.isoformat(), "move_case": "on"},
        )
        self.assertRedirects(response, detail)
        self.case.refresh_from_db()
        self.assertEqual(self.case.stage, AkiyaStage.INTENT_CONFIRMED)
        page = client.get(detail)
        rates = page.context["rates"]
        self.assertEqual(
            [(r.months, r.responses, r.letters) for r in rates], [(3, 1, 1), (6, 1, 1), (9, 1, 1), (36, 1, 1)]
        )
        self.assertContains(page, "100.0%")

    def test_downloads_are_for_editors_and_audited(self) -> None:
        pdf = self.as_user(self.editor).get(url("campaign_export", self.campaign.pk, "pdf"))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.assertIn("attachment;", pdf["Content-Disposition"])
        csv = self.as_user(self.editor).get(url("campaign_export", self.campaign.pk, "csv"))
        self.assertTrue(csv.content.decode("utf-8").startswith("\ufeff管理番号"))
        for user in (self.viewer, self.other_editor, self.support_viewer):
            for file_format in ("pdf", "csv"):
                with self.subTest(user=user, file_format=file_format):
                    response = self.as_user(user).get(url("campaign_export", self.campaign.pk, file_format))
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(AuditEvent.objects.filter(entity="akiya_campaign_export").count(), 2)

    def test_another_municipalitys_campaign_is_404_everywhere(self) -> None:
        letter = CampaignLetter.objects.create(
            campaign=self.other_campaign, case=self.other_case, owner=self.other_owner
        )
        client = self.as_user(self.editor)
        for page in (
            url("campaign_detail", self.other_campaign.pk),
            url("campaign_export", self.other_campaign.pk, "pdf"),
            url("campaign_export", self.other_campaign.pk, "csv"),
            url("campaign_letter_respond", self.other_campaign.pk, letter.pk),
            url("akiya_case_detail", self.other_case.pk),
            url("owner_update", self.other_owner.pk),
        ):
            with self.subTest(page=page):
                self.assertEqual(client.get(page).status_code, 404)
        self.assertEqual(
            client.post(url("campaign_sent", self.other_campaign.pk), {"sent_on": LONG_AGO}).status_code, 404
        )
