"""Akiya services: every rule and refusal, the timeline they write and the audit trail on personal data."""

from datetime import timedelta
from itertools import pairwise

from nikyoten.accounts.choices import MembershipRole, OrganizationKind
from nikyoten.accounts.models import AuditEvent
from nikyoten.accounts.tests.factories import OrganizationFactory
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.housing.choices import AkiyaEventKind, AkiyaSource, AkiyaStage, CampaignResponse, OwnerKind
from nikyoten.housing.models import AkiyaCase, AkiyaCaseEvent, CampaignLetter, Owner
from nikyoten.housing.services import akiya as services
from nikyoten.housing.tests.akiya_world import LONG_AGO, TODAY, AkiyaWorld
from nikyoten.housing.tests.factories import AkiyaCaseFactory, ListingFactory, OwnerFactory

TOMORROW = TODAY + timedelta(days=1)


def audit(entity: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(entity=entity).order_by("occurred_at", "id"))


class CaseServiceTests(AkiyaWorld):
    def create(self, **overrides):
        values = {
            "actor": self.editor,
            "organization_id": self.org.pk,
            "reference": "AK-0100",
            "address": "十川1-1",
            "source": AkiyaSource.WATER,
            "discovered_on": TODAY,
        }
        return services.akiya_case_create(**{**values, **overrides})

    def test_create_opens_at_discovery_in_the_organizations_municipality(self) -> None:
        case = self.create(latitude=33.2, longitude=133.1)
        self.assertEqual(case.stage, AkiyaStage.DISCOVERED)
        self.assertEqual(case.municipality, self.org.municipality)
        self.assertEqual(case.stage_changed_on, TODAY)
        event = case.events.get()
        self.assertEqual(
            (event.kind, event.to_stage, event.actor), (AkiyaEventKind.STAGE, "discovered", self.editor)
        )

    def test_create_refusals(self) -> None:
        refusals = [
            ({"actor": self.viewer}, NotFound),
            ({"actor": self.other_editor}, NotFound),
            ({"actor": self.support_viewer}, NotFound),
            ({"reference": "AK-0001"}, ApplicationError),  # already used in this organization
            ({"discovered_on": TOMORROW}, ApplicationError),
            ({"latitude": 33.2}, ApplicationError),  # half a point
            ({"source": "rumour"}, ApplicationError),
            ({"address": "  "}, ApplicationError),
        ]
        for overrides, error in refusals:
            with self.subTest(overrides=overrides), self.assertRaises(error):
                self.create(**overrides)
        self.assertFalse(AkiyaCase.objects.filter(reference="AK-0100").exists())

    def test_a_prefecture_wide_body_keeps_no_cases(self) -> None:
        prefecture = OrganizationFactory(
            kind=OrganizationKind.PREFECTURE, municipality=None, prefecture=self.org.prefecture
        )
        editor = self.member(prefecture, MembershipRole.EDITOR)
        with self.assertRaisesMessage(ApplicationError, "市区町村に属する組織"):
            self.create(actor=editor, organization_id=prefecture.pk)

    def test_the_same_reference_is_fine_in_another_organization(self) -> None:
        case = self.create(actor=self.other_editor, organization_id=self.other_org.pk, reference="AK-0001")
        self.assertEqual(case.organization, self.other_org)

    def test_reference_message_names_the_field(self) -> None:
        with self.assertRaises(ApplicationError) as caught:
            self.create(reference="AK-0001")
        self.assertIn("管理番号", caught.exception.message)

    def test_update(self) -> None:
        case = services.akiya_case_update(
            actor=self.editor,
            case_id=self.case.pk,
            reference="AK-0009",
            address="窪川2-2",
            source=AkiyaSource.TAX,
            discovered_on=LONG_AGO,
            latitude=None,
            longitude=None,
            notes="相続登記が未了",
        )
        self.assertEqual((case.reference, case.address, case.notes), ("AK-0009", "窪川2-2", "相続登記が未了"))
        with self.assertRaises(NotFound):
            services.akiya_case_update(
                actor=self.viewer,
                case_id=self.case.pk,
                reference="X",
                address="X",
                source=AkiyaSource.TAX,
                discovered_on=LONG_AGO,
                latitude=None,
                longitude=None,
                notes="",
            )


class CaseMoveTests(AkiyaWorld):
    def move(self, case, to_stage, *, actor=None, on=None, listing_id=None, note=""):
        return services.akiya_case_move(
            actor=actor or self.editor,
            case_id=case.pk,
            to_stage=to_stage,
            occurred_on=on or TODAY,
            note=note,
            listing_id=listing_id,
        )

    def test_forward_through_every_stage_records_each_step(self) -> None:
        steps = [
            AkiyaStage.OWNER_IDENTIFIED,
            AkiyaStage.INTENT_CONFIRMED,
            AkiyaStage.RENOVATION,
            AkiyaStage.PUBLISHED,
            AkiyaStage.CONTRACTED,
        ]
        for stage in steps:
            listing = self.listing.pk if stage == AkiyaStage.PUBLISHED else None
            self.move(self.case, stage, listing_id=listing, note=f"{stage} へ")
        self.case.refresh_from_db()
        self.assertEqual((self.case.stage, self.case.listing), (AkiyaStage.CONTRACTED, self.listing))
        events = list(self.case.events.filter(kind=AkiyaEventKind.STAGE).order_by("id"))
        self.assertEqual([(e.from_stage, e.to_stage) for e in events], list(pairwise(["discovered", *steps])))
        self.assertEqual({e.actor for e in events}, {self.editor})

    def test_renovation_can_be_skipped(self) -> None:
        self.move(self.case, AkiyaStage.INTENT_CONFIRMED)
        case = self.move(self.case, AkiyaStage.PUBLISHED, listing_id=self.listing.pk)
        self.assertEqual(case.stage, AkiyaStage.PUBLISHED)

    def test_owner_identified_needs_an_owner(self) -> None:
        bare = AkiyaCaseFactory(organization=self.org, stage_changed_on=LONG_AGO)
        with self.assertRaisesMessage(ApplicationError, "所有者を1人以上登録"):
            self.move(bare, AkiyaStage.OWNER_IDENTIFIED)
        OwnerFactory(case=bare)
        self.assertEqual(self.move(bare, AkiyaStage.OWNER_IDENTIFIED).stage, AkiyaStage.OWNER_IDENTIFIED)

    def test_published_needs_a_listing_of_the_same_organization_not_linked_elsewhere(self) -> None:
        self.move(self.case, AkiyaStage.INTENT_CONFIRMED)
        with self.assertRaisesMessage(ApplicationError, "物件を1件選んで"):
            self.move(self.case, AkiyaStage.PUBLISHED)
        with self.assertRaisesMessage(ApplicationError, "この組織の物件だけ"):
            self.move(self.case, AkiyaStage.PUBLISHED, listing_id=self.other_listing.pk)
        linked = AkiyaCaseFactory(organization=self.org, listing=ListingFactory(organization=self.org))
        with self.assertRaisesMessage(ApplicationError, linked.reference):
            self.move(self.case, AkiyaStage.PUBLISHED, listing_id=linked.listing_id)
        self.case.refresh_from_db()
        self.assertEqual((self.case.stage, self.case.listing), (AkiyaStage.INTENT_CONFIRMED, None))

    def test_backward_same_and_closed_moves_are_refused(self) -> None:
        self.move(self.case, AkiyaStage.INTENT_CONFIRMED)
        for stage, message in [
            (AkiyaStage.OWNER_IDENTIFIED, "前の段階には戻せません"),
            (AkiyaStage.INTENT_CONFIRMED, "すでにこの段階です"),
            ("unknown", "段階を選んでください"),
        ]:
            with self.subTest(stage=stage), self.assertRaisesMessage(ApplicationError, message):
                self.move(self.case, stage)
        self.move(self.case, AkiyaStage.PUBLISHED, listing_id=self.listing.pk)
        self.move(self.case, AkiyaStage.CONTRACTED)
        with self.assertRaisesMessage(ApplicationError, "成約した案件"):
            self.move(self.case, AkiyaStage.ABANDONED)

    def test_abandon_and_reopen_only_to_the_stage_before(self) -> None:
        self.move(self.case, AkiyaStage.OWNER_IDENTIFIED)
        self.move(self.case, AkiyaStage.ABANDONED, note="所有者が売却を希望せず")
        with self.assertRaisesMessage(ApplicationError, "所有者特定"):
            self.move(self.case, AkiyaStage.INTENT_CONFIRMED)
        case = self.move(self.case, AkiyaStage.OWNER_IDENTIFIED, note="相続人から再度相談")
        self.assertEqual(case.stage, AkiyaStage.OWNER_IDENTIFIED)

    def test_dates_must_follow_the_last_change_and_not_be_in_the_future(self) -> None:
        with self.assertRaisesMessage(ApplicationError, "未来の日付"):
            self.move(self.case, AkiyaStage.OWNER_IDENTIFIED, on=TOMORROW)
        with self.assertRaisesMessage(ApplicationError, "前回の段階の変更日"):
            self.move(self.case, AkiyaStage.OWNER_IDENTIFIED, on=LONG_AGO - timedelta(days=1))

    def test_only_the_organizations_editors_move_cases(self) -> None:
        for actor in (self.viewer, self.other_editor, self.support_viewer, self.nobody):
            with self.subTest(actor=actor), self.assertRaises(NotFound):
                self.move(self.case, AkiyaStage.OWNER_IDENTIFIED, actor=actor)
        self.assertEqual(
            self.move(self.case, AkiyaStage.OWNER_IDENTIFIED, actor=self.admin).stage, "owner_identified"
        )

    def test_note_and_contact(self) -> None:
        event = services.akiya_case_note(
            actor=self.editor,
            case_id=self.case.pk,
            kind=AkiyaEventKind.CONTACT,
            occurred_on=TODAY,
            note=" 電話 ",
        )
        self.assertEqual((event.kind, event.note, event.actor), (AkiyaEventKind.CONTACT, "電話", self.editor))
        for kind, note, error in [
            (AkiyaEventKind.STAGE, "x", "種類"),
            (AkiyaEventKind.NOTE, " ", "内容"),
        ]:
            with self.subTest(kind=kind), self.assertRaisesMessage(ApplicationError, error):
                services.akiya_case_note(
                    actor=self.editor, case_id=self.case.pk, kind=kind, occurred_on=TODAY, note=note
                )


class OwnerServiceTests(AkiyaWorld):
    def test_add_update_remove_are_audited_without_the_values(self) -> None:
        owner = services.owner_add(
            actor=self.editor,
            case_id=self.case.pk,
            kind=OwnerKind.PERSON,
            name="見本 花子",
            is_heir=True,
            relation="長女",
            postal_code="〒786-0002",
            address="四万十町1-1",
            email="hanako@example.jp",
        )
        self.assertEqual(owner.postal_code, "7860002")
        services.owner_update(actor=self.editor, owner_id=owner.pk, phone="0880-11-2222", name="見本 花子")
        services.owner_update(actor=self.editor, owner_id=owner.pk, phone="0880-11-2222")  # no change
        services.owner_remove(actor=self.editor, owner_id=owner.pk)
        events = audit("akiya_owner")
        self.assertEqual([e.action for e in events], ["create", "update", "delete"])
        self.assertEqual(events[1].changes, {"fields": ["phone"]})
        self.assertNotIn("見本", str([e.changes for e in events]))
        self.assertEqual({e.actor for e in events}, {self.editor})
        self.assertEqual({e.organization for e in events}, {self.org})
        self.assertFalse(Owner.objects.filter(pk=owner.pk).exists())

    def test_refusals(self) -> None:
        with self.assertRaises(NotFound):
            services.owner_add(actor=self.viewer, case_id=self.case.pk, name="x")
        with self.assertRaises(NotFound):
            services.owner_update(actor=self.support_viewer, owner_id=self.owner.pk, name="x")
        with self.assertRaises(NotFound):
            services.owner_remove(actor=self.other_editor, owner_id=self.owner.pk)
        with self.assertRaises(ApplicationError):
            services.owner_add(actor=self.editor, case_id=self.case.pk, name="")
        with self.assertRaisesMessage(ApplicationError, "郵便番号"):
            services.owner_add(actor=self.editor, case_id=self.case.pk, name="x", postal_code="123")
        self.assertEqual(audit("akiya_owner"), [])

    def test_removing_an_owner_removes_their_letters(self) -> None:
        services.owner_remove(actor=self.editor, owner_id=self.owner.pk)
        self.assertFalse(CampaignLetter.objects.filter(pk=self.letter.pk).exists())
        self.assertEqual(audit("akiya_owner")[0].changes, {"case": self.case.pk, "letters": 1})


class ConsentServiceTests(AkiyaWorld):
    def record(self, **overrides):
        values = {
            "actor": self.editor,
            "owner_id": self.owner.pk,
            "recipient_id": self.other_support.pk,
            "purpose": "改修の相談",
            "consented_on": TODAY,
        }
        return services.owner_consent_record(**{**values, **overrides})

    def test_record_and_revoke_are_audited(self) -> None:
        consent = self.record()
        self.assertEqual((consent.recorded_by, consent.revoked_on), (self.editor, None))
        services.owner_consent_revoke(actor=self.editor, consent_id=consent.pk, revoked_on=TODAY)
        consent.refresh_from_db()
        self.assertEqual((consent.revoked_on, consent.revoked_by), (TODAY, self.editor))
        self.assertEqual([e.action for e in audit("akiya_owner_consent")], ["create", "update"])

    def test_recipient_must_be_a_support_corporation(self) -> None:
        for recipient in (self.other_org, self.org):
            with (
                self.subTest(recipient=recipient),
                self.assertRaisesMessage(ApplicationError, "特定居住支援法人"),
            ):
                self.record(recipient_id=recipient.pk)

    def test_refusals(self) -> None:
        with self.assertRaisesMessage(ApplicationError, "すでに記録"):
            self.record(recipient_id=self.support.pk)  # an unrevoked consent exists
        with self.assertRaisesMessage(ApplicationError, "利用目的"):
            self.record(purpose=" ")
        with self.assertRaisesMessage(ApplicationError, "未来の日付"):
            self.record(consented_on=TOMORROW)
        with self.assertRaises(NotFound):
            self.record(actor=self.support_viewer)
        with self.assertRaisesMessage(ApplicationError, "同意日"):
            services.owner_consent_revoke(
                actor=self.editor, consent_id=self.consent.pk, revoked_on=LONG_AGO - timedelta(days=1)
            )
        for actor in (self.viewer, self.support_viewer, self.other_editor):
            with self.subTest(actor=actor), self.assertRaises(NotFound):
                services.owner_consent_revoke(actor=actor, consent_id=self.consent.pk, revoked_on=TODAY)

    def test_a_revoked_consent_cannot_be_revoked_again_but_a_new_one_can_be_recorded(self) -> None:
        services.owner_consent_revoke(actor=self.editor, consent_id=self.consent.pk, revoked_on=TODAY)
        with self.assertRaises(NotFound):
            services.owner_consent_revoke(actor=self.editor, consent_id=self.consent.pk, revoked_on=TODAY)
        self.assertIsNone(self.record(recipient_id=self.support.pk).revoked_on)


class CampaignServiceTests(AkiyaWorld):
    def create(self, **overrides):
        values = {
            "actor": self.editor,
            "organization_id": self.org.pk,
            "title": "第2回",
            "letter_subject": "{reference} について",
            "letter_body": "{owner_name} 様\n{address}",
        }
        return services.campaign_create(**{**values, **overrides})

    def test_one_letter_per_owner_with_an_address_and_the_others_reported(self) -> None:
        heir = OwnerFactory(case=self.case, name="住所 不明", address="", is_heir=True)
        second = AkiyaCaseFactory(organization=self.org)
        OwnerFactory(case=second)
        campaign, added = self.create(case_ids=[self.case.pk, second.pk])
        self.assertEqual(added.created, 2)
        self.assertEqual(added.skipped, [heir])
        again = services.campaign_add_cases(
            actor=self.editor, campaign_id=campaign.pk, case_ids=[self.case.pk]
        )
        self.assertEqual((again.created, again.skipped), (0, [heir]))
        self.assertEqual(campaign.letters.count(), 2)

    def test_placeholders_are_checked(self) -> None:
        for field, text in [
            ("letter_body", "{owner} 様"),
            ("letter_subject", "{0}"),
            ("letter_body", "{address"),
        ]:
            with (
                self.subTest(text=text),
                self.assertRaisesMessage(ApplicationError, "差し込み項目") as caught,
            ):
                self.create(**{field: text})
            self.assertIn(field, caught.exception.fields)

    def test_only_the_organizations_cases_and_editors(self) -> None:
        with self.assertRaisesMessage(ApplicationError, "この組織の案件だけ"):
            self.create(case_ids=[self.other_case.pk])
        with self.assertRaises(NotFound):
            self.create(actor=self.viewer)
        with self.assertRaises(NotFound):
            self.create(organization_id=self.other_org.pk)

    def test_sending(self) -> None:
        empty, _added = self.create()
        with self.assertRaisesMessage(ApplicationError, "文書が1通もありません"):
            services.campaign_mark_sent(actor=self.editor, campaign_id=empty.pk, sent_on=TODAY)
        with self.assertRaisesMessage(ApplicationError, "未来の日付"):
            services.campaign_mark_sent(actor=self.editor, campaign_id=self.campaign.pk, sent_on=TOMORROW)
        campaign = services.campaign_mark_sent(actor=self.editor, campaign_id=self.campaign.pk, sent_on=TODAY)
        self.assertEqual(campaign.sent_on, TODAY)
        with self.assertRaisesMessage(ApplicationError, "発送済み"):
            services.campaign_mark_sent(actor=self.editor, campaign_id=self.campaign.pk, sent_on=TODAY)
        with self.assertRaisesMessage(ApplicationError, "発送済み"):
            services.campaign_add_cases(
                actor=self.editor, campaign_id=self.campaign.pk, case_ids=[self.case.pk]
            )


class LetterResponseTests(AkiyaWorld):
    def respond(self, **overrides):
        values = {
            "actor": self.editor,
            "campaign_id": self.campaign.pk,
            "letter_id": self.letter.pk,
            "response": CampaignResponse.INTERESTED,
            "responded_on": TODAY,
            "note": "売却を検討",
        }
        return services.campaign_letter_respond(**{**values, **overrides})

    def send(self, on=LONG_AGO) -> None:
        services.campaign_mark_sent(actor=self.editor, campaign_id=self.campaign.pk, sent_on=on)

    def test_a_response_before_sending_is_refused(self) -> None:
        with self.assertRaisesMessage(ApplicationError, "発送日を記録"):
            self.respond()

    def test_response_is_recorded_on_the_letter_the_timeline_and_the_audit_trail(self) -> None:
        self.send()
        letter = self.respond()
        self.assertEqual((letter.response, letter.responded_on), (CampaignResponse.INTERESTED, TODAY))
        contact = self.case.events.get(kind=AkiyaEventKind.CONTACT)
        self.assertIn("活用に前向き", contact.note)
        self.assertEqual([e.action for e in audit("akiya_campaign_letter")], ["update"])
        self.case.refresh_from_db()
        self.assertEqual(self.case.stage, AkiyaStage.DISCOVERED)  # not moved unless asked

    def test_an_interested_owner_moves_the_case_to_intent_confirmed_when_asked(self) -> None:
        self.send()
        self.respond(move_case=True)
        self.case.refresh_from_db()
        self.assertEqual((self.case.stage, self.case.stage_changed_on), (AkiyaStage.INTENT_CONFIRMED, TODAY))

    def test_a_case_already_further_along_is_left_where_it_is(self) -> None:
        self.send()
        services.akiya_case_move(
            actor=self.editor, case_id=self.case.pk, to_stage=AkiyaStage.RENOVATION, occurred_on=TODAY
        )
        self.respond(move_case=True)
        self.case.refresh_from_db()
        self.assertEqual(self.case.stage, AkiyaStage.RENOVATION)

    def test_refusals(self) -> None:
        self.send(on=TODAY - timedelta(days=10))
        refusals = [
            ({"response": CampaignResponse.PENDING}, "回答の種類"),
            ({"responded_on": TODAY - timedelta(days=11)}, "発送日"),
            ({"responded_on": TOMORROW}, "未来の日付"),
            ({"response": CampaignResponse.DECLINED, "move_case": True}, "活用に前向き"),
        ]
        for overrides, message in refusals:
            with self.subTest(overrides=overrides), self.assertRaisesMessage(ApplicationError, message):
                self.respond(**overrides)
        with self.assertRaises(NotFound):
            self.respond(actor=self.viewer)
        other_letter = CampaignLetter.objects.create(
            campaign=self.other_campaign, case=self.other_case, owner=self.other_owner
        )
        with self.assertRaises(NotFound):
            self.respond(letter_id=other_letter.pk)
        self.assertFalse(AkiyaCaseEvent.objects.filter(kind=AkiyaEventKind.CONTACT).exists())


class LetterExportTests(AkiyaWorld):
    def test_pdf_and_csv_for_editors_each_audited(self) -> None:
        pdf = services.campaign_letters_export(
            actor=self.editor, campaign_id=self.campaign.pk, file_format="pdf"
        )
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.assertEqual(pdf.content_type, "application/pdf")
        csv = services.campaign_letters_export(
            actor=self.admin, campaign_id=self.campaign.pk, file_format="csv"
        )
        text = csv.content.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff管理番号,宛名,郵便番号"))
        self.assertIn("架空 太郎 様", text)
        self.assertIn("〒786-0001", text)
        self.assertIn(self.org.name, text)
        events = audit("akiya_campaign_export")
        self.assertEqual(
            [(e.changes["format"], e.actor) for e in events], [("pdf", self.editor), ("csv", self.admin)]
        )

    def test_viewers_and_others_cannot_download(self) -> None:
        for actor in (self.viewer, self.other_editor, self.support_viewer, self.nobody):
            with self.subTest(actor=actor), self.assertRaises(NotFound):
                services.campaign_letters_export(actor=actor, campaign_id=self.campaign.pk, file_format="pdf")
        with self.assertRaises(NotFound):
            services.campaign_letters_export(
                actor=self.editor, campaign_id=self.campaign.pk, file_format="xls"
            )
        self.assertEqual(audit("akiya_campaign_export"), [])
