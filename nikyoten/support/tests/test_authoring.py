"""Staff authoring of support programs through the HTML forms: structured rules (no JSON), preview, access."""

import re
from datetime import date
from typing import Any

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.regions.models import Municipality
from nikyoten.support import services
from nikyoten.support.choices import ProgramCategory, ProgramLevel
from nikyoten.support.forms import ProgramVersionForm, condition_rows
from nikyoten.support.models import ProgramVersion, RouteFare, SupportProgram

MISSING_ID = 999_999
SOURCE = "https://www.town.shimanto.lg.jp/youkou"
ROW_FIELDS = {"conditions": ("fact", "op", "value", "group"), "amounts": ("value", "amount"), "repayment": ()}


def main_of(response: Any) -> str:
    """The page's <main> element: what the visitor is told, without the per-request header (CSRF, path)."""
    found = re.search(r"<main\b.*?</main>", response.content.decode(), flags=re.DOTALL)
    assert found is not None
    return found.group(0)


def rows_data(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    """A formset as the browser posts it: the typed rows, then one untouched blank row."""
    blank = {"group": "0"} if prefix == "conditions" else {}
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + 1), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate([*rows, blank]):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def version_data(
    *,
    conditions: list[dict[str, str]] = (),  # type: ignore[assignment]
    amounts: list[dict[str, str]] = (),  # type: ignore[assignment]
    repayment: list[dict[str, str]] = (),  # type: ignore[assignment]
    **fields: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "effective_from": "2025-04-01",
        "effective_to": "",
        "budget_status": "open",
        "deadline": "",
        "source_url": SOURCE,
        "last_verified": "2025-03-15",
        "notes": "",
        "benefit_kind": "fixed",
        "benefit_amount": "100000",
        "window_anchor": "",
        "window_from_months": "0",
        "window_to_months": "",
        "once_per": "",
        **fields,
    }
    data.update(rows_data("conditions", list(conditions)))
    data.update(rows_data("amounts", list(amounts)))
    data.update(rows_data("repayment", list(repayment)))
    return data


def posted_from(form: ProgramVersionForm) -> dict[str, Any]:
    """What a browser submits for an unbound (pre-filled) version form, untouched."""

    def value(bound: Any) -> Any:
        raw = bound.value()
        if raw is None:
            return ""
        if isinstance(raw, list):
            return raw
        return raw.isoformat() if isinstance(raw, date) else str(raw)

    data = {name: value(form[name]) for name in form.fields}
    for formset in (form.condition_rows, form.amount_rows, form.repayment_rows):
        data.update({f"{formset.prefix}-{k}": str(v) for k, v in formset.management_form.initial.items()})
        for row in formset.forms:
            data.update({row.add_prefix(name): value(row[name]) for name in row.fields})
    return data


class AuthoringTestCase(TestCase):
    """四万十町's organization (admin, editor, viewer), 飛騨市's (editor), a seeker, a platform admin; a program each."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.shimanto = Municipality.objects.get(code="39412")
        cls.hida = Municipality.objects.get(code="21217")
        cls.org = OrganizationFactory(name="四万十町 にぎわい創出課")
        cls.other_org = OrganizationFactory(name="飛騨市 移住推進課", code="21217")
        cls.org_admin = MembershipFactory(organization=cls.org, role=MembershipRole.ADMIN).user
        cls.editor = MembershipFactory(organization=cls.org, role=MembershipRole.EDITOR).user
        cls.viewer = MembershipFactory(organization=cls.org, role=MembershipRole.VIEWER).user
        cls.other_editor = MembershipFactory(organization=cls.other_org, role=MembershipRole.EDITOR).user
        cls.seeker = UserFactory()
        cls.platform_admin = UserFactory(is_staff=True)
        cls.program = services.program_create(
            actor=cls.editor,
            key="shimanto-trial-stay",
            name="四万十町お試し滞在補助",
            level=ProgramLevel.MUNICIPALITY,
            category=ProgramCategory.TRIAL_STAY,
            municipality=cls.shimanto,
            organization=cls.org,
        )
        cls.first_version = services.program_version_create(
            actor=cls.editor,
            program_id=cls.program.pk,
            effective_from=date(2024, 4, 1),
            conditions={"all": [{"fact": "applicant.age", "op": "lte", "value": 39}]},
            benefit={"kind": "fixed", "amount": 50_000},
            source_url=SOURCE,
            last_verified=date(2024, 3, 1),
        )
        cls.other_program = services.program_create(
            actor=cls.other_editor,
            key="hida-akiya-renovation",
            name="飛騨市空き家改修補助",
            level=ProgramLevel.MUNICIPALITY,
            category=ProgramCategory.RENOVATION,
            municipality=cls.hida,
            organization=cls.other_org,
        )

    def detail_url(self, pk: int | None = None) -> str:
        return reverse("support:program_manage_detail", kwargs={"pk": pk or self.program.pk})

    def version_url(self, pk: int | None = None) -> str:
        return reverse("support:program_version_create", kwargs={"pk": pk or self.program.pk})

    def budget_url(self, version: ProgramVersion, pk: int | None = None) -> str:
        return reverse(
            "support:program_version_budget",
            kwargs={"pk": pk or version.program_id, "version_pk": version.pk},
        )


class ProgramCreateTests(AuthoringTestCase):
    url = reverse("support:program_manage_create")

    def test_platform_admin_creates_a_national_program_and_a_version_through_the_structured_form(
        self,
    ) -> None:
        self.client.force_login(self.platform_admin)
        response = self.client.post(
            self.url,
            {
                "key": "national-relocation-test",
                "name": "移住支援金（テスト）",
                "name_en": "Relocation grant (test)",
                "level": "national",
                "category": "relocation_grant",
                "municipality": "",
                "prefecture": "",
                "organization": "",
                "summary": "東京23区から地方へ移住した人への支援金",
                "funding_national": "1/2",
                "funding_prefecture": "１/４",
                "funding_municipality": "1/4",
            },
        )
        program = SupportProgram.objects.get(key="national-relocation-test")
        self.assertRedirects(response, self.detail_url(program.pk))
        self.assertEqual(program.level, ProgramLevel.NATIONAL)
        self.assertIsNone(program.organization)
        self.assertEqual(
            program.funding_shares, {"national": "1/2", "prefecture": "1/4", "municipality": "1/4"}
        )

        response = self.client.post(
            self.version_url(program.pk),
            version_data(
                conditions=[
                    {"fact": "applicant.age", "op": "lte", "value": "３９", "group": "0"},
                    {"fact": "origin.last_area", "op": "in", "value": "東京23区、tokyo_area", "group": "0"},
                    {"fact": "household.tax_arrears", "op": "eq", "value": "いいえ", "group": ""},
                    {
                        "fact": "employment.route",
                        "op": "eq",
                        "value": "テレワークで移住前の仕事を続ける",
                        "group": "1",
                    },
                    {"fact": "move.date", "op": "gte", "value": "2025/4/1", "group": "2"},
                    {"fact": "employment.route", "op": "eq", "value": "startup", "group": "1"},
                    {"fact": "origin.years_in_tokyo23_last10", "op": "gte", "value": "4.5", "group": "2"},
                ],
                repayment=[
                    {"trigger": "move_out", "from_months": "0", "to_months": "36", "share": "100"},
                    {"trigger": "move_out", "from_months": "36", "to_months": "60", "share": "50"},
                ],
                benefit_kind="household",
                benefit_amount="",
                benefit_single="600000",
                benefit_household="1000000",
                benefit_per_child="1000000",
                benefit_child_max_age="17",
                window_anchor="move_in",
                window_from_months="3",
                window_to_months="12",
                exclusive_with=["shimanto-trial-stay"],
                once_per="household",
            ),
        )

        self.assertRedirects(response, self.detail_url(program.pk))
        version = program.versions.get()
        self.assertEqual(
            version.conditions,
            {
                "all": [
                    {"fact": "applicant.age", "op": "lte", "value": 39},
                    {"fact": "origin.last_area", "op": "in", "value": ["tokyo23", "tokyo_area"]},
                    {"fact": "household.tax_arrears", "op": "eq", "value": False},
                    {
                        "any": [
                            {"fact": "employment.route", "op": "eq", "value": "telework"},
                            {"fact": "employment.route", "op": "eq", "value": "startup"},
                        ]
                    },
                    {
                        "any": [
                            {"fact": "move.date", "op": "gte", "value": "2025-04-01"},
                            {"fact": "origin.years_in_tokyo23_last10", "op": "gte", "value": 4.5},
                        ]
                    },
                ]
            },
        )
        self.assertEqual(
            version.benefit,
            {
                "kind": "household",
                "single": 600_000,
                "household": 1_000_000,
                "per_child": 1_000_000,
                "child_max_age": 17,
            },
        )
        self.assertEqual(version.window, {"anchor": "move_in", "from_months": 3, "to_months": 12})
        self.assertEqual(
            version.repayment,
            [
                {"trigger": "move_out", "from_months": 0, "to_months": 36, "share": 1.0},
                {"trigger": "move_out", "from_months": 36, "to_months": 60, "share": 0.5},
            ],
        )
        self.assertEqual(
            version.stacking, {"exclusive_with": ["shimanto-trial-stay"], "once_per": "household"}
        )
        self.assertEqual(version.effective_from, date(2025, 4, 1))
        self.assertEqual(version.created_by, self.platform_admin)

    def test_other_benefit_kinds_are_stored_as_the_engine_reads_them(self) -> None:
        self.client.force_login(self.editor)
        cases = [
            (
                {"benefit_kind": "by_fact", "benefit_amount": "", "benefit_fact": "housing.acquisition"},
                [{"value": "新築住宅を取得", "amount": "400000"}, {"value": "used", "amount": "200000"}],
                {
                    "kind": "by_fact",
                    "fact": "housing.acquisition",
                    "amounts": {"new": 400_000, "used": 200_000},
                },
            ),
            (
                {
                    "benefit_kind": "rate_cap",
                    "benefit_rate": "1/2",
                    "benefit_cap": "2500000",
                    "benefit_cost_fact": "housing.renovation_cost",
                },
                [],
                {"kind": "rate_cap", "rate": "1/2", "cap": 2_500_000, "cost_fact": "housing.renovation_cost"},
            ),
            (
                {
                    "benefit_kind": "monthly",
                    "benefit_monthly_cap": "10000",
                    "benefit_months": "36",
                    "benefit_cost_fact": "commute.pass_monthly",
                    "benefit_minus_fact": "commute.allowance_monthly",
                    "benefit_rate": "50%",
                },
                [],
                {
                    "kind": "monthly",
                    "monthly_cap": 10_000,
                    "months": 36,
                    "cost_fact": "commute.pass_monthly",
                    "minus_fact": "commute.allowance_monthly",
                    "rate": 0.5,
                },
            ),
            (
                {
                    "benefit_kind": "unspecified",
                    "benefit_months": "24",
                    "benefit_note_ja": "町にお問い合わせください",
                },
                [],
                {"kind": "unspecified", "months": 24, "note_ja": "町にお問い合わせください"},
            ),
        ]
        for year, (fields, amounts, expected) in enumerate(cases, start=2030):
            with self.subTest(kind=expected["kind"]):
                response = self.client.post(
                    self.version_url(),
                    version_data(effective_from=f"{year}-04-01", amounts=amounts, **fields),
                )
                self.assertRedirects(response, self.detail_url())
                self.assertEqual(self.program.versions.get(effective_from=date(year, 4, 1)).benefit, expected)

    def test_editor_creates_a_program_for_their_own_municipality(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            self.url, self.program_data(key="shimanto-rent", municipality="高知県四万十町")
        )

        program = SupportProgram.objects.get(key="shimanto-rent")
        self.assertRedirects(response, self.detail_url(program.pk))
        self.assertEqual(
            (program.municipality, program.prefecture_id, program.organization),
            (self.shimanto, "39", self.org),
        )

    def test_editor_is_refused_another_municipality_with_the_japanese_message_and_nothing_is_saved(
        self,
    ) -> None:
        self.client.force_login(self.editor)
        before = SupportProgram.objects.count()

        response = self.client.post(self.url, self.program_data(key="hida-rent", municipality="岐阜県飛騨市"))

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "この支援制度を登録する権限がありません")
        self.assertEqual(SupportProgram.objects.count(), before)

    def test_editor_cannot_pick_another_organization_nor_create_a_national_program(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            self.url,
            self.program_data(key="hida-rent", municipality="岐阜県飛騨市", organization=self.other_org.pk),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("organization", response.context["form"].errors)

        response = self.client.post(
            self.url, self.program_data(key="national-x", level="national", municipality="")
        )
        self.assertContains(response, "この支援制度を登録する権限がありません")
        self.assertFalse(SupportProgram.objects.filter(key__in=["hida-rent", "national-x"]).exists())

    def test_a_municipal_program_needs_a_municipality_and_a_key_is_unique(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(self.url, self.program_data(key="shimanto-trial-stay", municipality=""))

        form = response.context["form"]
        self.assertIn("municipality", form.errors)
        self.assertEqual(form.errors["key"], ["この識別子はすでに使われています。"])
        self.assertContains(response, 'aria-invalid="true"')
        response = self.client.post(self.url, self.program_data(key="Shimanto-Rent"))
        self.assertIn("英小文字・数字", response.context["form"].errors["key"][0])
        self.assertFalse(SupportProgram.objects.filter(key__iexact="shimanto-rent").exists())

    def program_data(self, **overrides: Any) -> dict[str, Any]:
        return {
            "key": "shimanto-rent",
            "name": "四万十町家賃補助",
            "name_en": "",
            "level": "municipality",
            "category": "rent",
            "municipality": "高知県四万十町",
            "prefecture": "",
            "organization": self.org.pk,
            "summary": "",
            "funding_national": "",
            "funding_prefecture": "",
            "funding_municipality": "",
            **overrides,
        }


class ProgramVersionTests(AuthoringTestCase):
    def test_a_second_version_closes_the_first_which_keeps_answering_its_dates(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            self.version_url(),
            version_data(
                effective_from="2025-04-01",
                conditions=[{"fact": "applicant.age", "op": "lte", "value": "45", "group": "0"}],
            ),
        )

        self.assertRedirects(response, self.detail_url())
        self.first_version.refresh_from_db()
        self.assertEqual(self.first_version.effective_to, date(2025, 3, 31))
        versions = ProgramVersion.objects.filter(program=self.program)
        self.assertEqual(list(versions.effective_on(date(2024, 10, 1))), [self.first_version])
        second = versions.effective_on(date(2025, 5, 1)).get()
        self.assertEqual(second.conditions, {"all": [{"fact": "applicant.age", "op": "lte", "value": 45}]})
        page = self.client.get(self.detail_url())
        self.assertEqual([v for v, _form in page.context["versions"]], [second, self.first_version])

    def test_malformed_rows_show_their_errors_on_the_row_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            self.version_url(),
            version_data(
                conditions=[
                    {"fact": "applicant.age", "op": "gte", "value": "abc", "group": "0"},
                    {"fact": "origin.last_area", "op": "eq", "value": "大阪府", "group": "0"},
                    {"fact": "", "op": "", "value": "39", "group": "0"},
                ]
            ),
        )

        self.assertEqual(response.status_code, 200)
        rows = response.context["form"].condition_rows.forms
        self.assertIn("申請者の年齢」は整数で入力してください（入力: abc）", rows[0].errors["value"][0])
        self.assertIn(
            "「大阪府」は「移住前に住んでいた地域」の選択肢にありません", rows[1].errors["value"][0]
        )
        self.assertIn("事実を選んでください", rows[2].errors["fact"][0])
        self.assertContains(response, "入力内容を確認してください（3件）")
        self.assertContains(response, 'href="#id_conditions-0-value"')
        self.assertEqual(ProgramVersion.objects.filter(program=self.program).count(), 1)
        self.first_version.refresh_from_db()
        self.assertIsNone(self.first_version.effective_to)

    def test_the_engines_refusal_is_put_on_the_row_it_names(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            self.version_url(),
            version_data(
                conditions=[
                    {"fact": "applicant.age", "op": "lte", "value": "39", "group": "0"},
                    {"fact": "household.tax_arrears", "op": "gte", "value": "はい", "group": "1"},
                ],
                window_anchor="move_in",
                window_from_months="12",
                window_to_months="3",
            ),
        )

        self.assertEqual(response.status_code, 200)
        rows = response.context["form"].condition_rows.forms
        self.assertEqual(rows[0].errors, {})
        self.assertIn("比較「gte」は使えません", rows[1].errors["op"][0])
        self.assertEqual(ProgramVersion.objects.filter(program=self.program).count(), 1)

    def test_an_overlapping_period_is_refused_and_the_earlier_version_is_left_open(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(self.version_url(), version_data(effective_from="2024-04-01"))

        self.assertEqual(response.status_code, 200)
        self.assertIn("effective_from", response.context["form"].errors)
        self.first_version.refresh_from_db()
        self.assertIsNone(self.first_version.effective_to)

    def test_preview_shows_the_questions_and_conditions_and_saves_nothing(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(
            self.version_url(),
            version_data(
                preview="1",
                conditions=[
                    {"fact": "applicant.age", "op": "lte", "value": "39", "group": "0"},
                    {
                        "fact": "housing.acquisition",
                        "op": "in",
                        "value": "新築住宅を取得、used",
                        "group": "0",
                    },
                ],
            ),
        )

        self.assertEqual(response.status_code, 200)
        preview = response.context["preview"]
        self.assertEqual(preview["questions"], ["申請者の生年月日", "住まいの取得"])
        self.assertEqual(
            preview["conditions"],
            [
                "申請者の年齢が39歳以下（回答が必要です）",
                "住まいの取得が「新築住宅を取得」「中古住宅を取得」のいずれか（回答が必要です）",
            ],
        )
        self.assertContains(response, "申請者の生年月日")
        self.assertContains(response, "プレビュー（まだ保存していません）")
        self.assertEqual(ProgramVersion.objects.filter(program=self.program).count(), 1)
        self.first_version.refresh_from_db()
        self.assertIsNone(self.first_version.effective_to)
        # The rows typed stay on the form, with blank rows to add more.
        form = response.context["form"]
        self.assertEqual(form.condition_rows.forms[1]["value"].value(), "新築住宅を取得、used")
        self.assertGreaterEqual(len(form.condition_rows.forms), 5)

    def test_the_form_is_prefilled_from_the_current_version_and_posts_it_back_unchanged(self) -> None:
        conditions = {
            "all": [
                {"fact": "origin.last_area", "op": "in", "value": ["tokyo23", "tokyo_area"]},
                {
                    "any": [
                        {"fact": "applicant.age", "op": "lte", "value": 39},
                        {"fact": "household.youngest_child_age", "op": "lte", "value": 15},
                    ]
                },
                {"fact": "commute.mode", "op": "eq", "value": "shinkansen"},
            ]
        }
        benefit = {
            "kind": "by_fact",
            "fact": "housing.acquisition",
            "amounts": {"new": 400_000, "used": 200_000},
        }
        services.program_version_create(
            actor=self.editor,
            program_id=self.program.pk,
            effective_from=date(2025, 4, 1),
            conditions=conditions,
            benefit=benefit,
            repayment=[{"trigger": "obligation_broken", "from_months": 0, "to_months": 60, "share": 1.0}],
            stacking={"exclusive_with": ["hida-akiya-renovation"], "once_per": None},
            source_url=SOURCE,
            last_verified=date(2025, 3, 1),
        )
        self.client.force_login(self.editor)
        form = self.client.get(self.detail_url()).context["form"]
        self.assertEqual(
            [form.condition_rows.forms[i].initial for i in range(4)],
            [
                {
                    "fact": "origin.last_area",
                    "op": "in",
                    "value": "東京23区、東京圏（23区を除く。条件不利地域ではない地域）",
                    "group": 0,
                },
                {"fact": "applicant.age", "op": "lte", "value": "39", "group": 1},
                {"fact": "household.youngest_child_age", "op": "lte", "value": "15", "group": 1},
                {"fact": "commute.mode", "op": "eq", "value": "新幹線", "group": 0},
            ],
        )

        response = self.client.post(self.version_url(), {**posted_from(form), "effective_from": "2026-04-01"})

        self.assertRedirects(response, self.detail_url())
        latest = self.program.versions.get(effective_from=date(2026, 4, 1))
        self.assertEqual(
            latest.conditions,
            {
                "all": [conditions["all"][0], conditions["all"][2], conditions["all"][1]]
            },  # the required rows come first
        )
        self.assertEqual(latest.benefit, benefit)
        self.assertEqual(
            latest.repayment,
            [{"trigger": "obligation_broken", "from_months": 0, "to_months": 60, "share": 1.0}],
        )
        self.assertEqual(latest.stacking, {"exclusive_with": ["hida-akiya-renovation"], "once_per": None})

    def test_a_tree_the_rows_cannot_show_is_said_so_and_the_rows_start_empty(self) -> None:
        services.program_version_create(
            actor=self.editor,
            program_id=self.program.pk,
            effective_from=date(2025, 4, 1),
            conditions={"not": {"fact": "household.tax_arrears", "op": "eq", "value": True}},
            benefit={"kind": "fixed", "amount": 10_000},
            source_url=SOURCE,
            last_verified=date(2025, 3, 1),
        )
        self.client.force_login(self.editor)
        response = self.client.get(self.detail_url())

        self.assertTrue(response.context["form"].tree_unsupported)
        self.assertContains(response, "この画面の形（必須の条件と「どれか1つ」のグループ）では表せない")
        self.assertEqual([row.initial for row in response.context["form"].condition_rows.forms], [{}, {}, {}])
        self.assertIsNone(condition_rows({"all": [{"all": []}]}))
        self.assertEqual(condition_rows({}), [])

    def test_budget_status_changes_without_a_new_version(self) -> None:
        self.client.force_login(self.editor)
        prefix = f"budget-{self.first_version.pk}"
        response = self.client.post(
            self.budget_url(self.first_version),
            {f"{prefix}-budget_status": "low", f"{prefix}-deadline": "2025-12-26"},
        )

        self.assertRedirects(response, self.detail_url())
        self.first_version.refresh_from_db()
        self.assertEqual(
            (self.first_version.budget_status, self.first_version.deadline), ("low", date(2025, 12, 26))
        )
        self.assertEqual(ProgramVersion.objects.filter(program=self.program).count(), 1)

    def test_budget_status_of_another_program_or_organization_is_404_and_unchanged(self) -> None:
        prefix = f"budget-{self.first_version.pk}"
        data = {f"{prefix}-budget_status": "closed", f"{prefix}-deadline": ""}
        self.client.force_login(self.other_editor)
        self.assertEqual(self.client.post(self.budget_url(self.first_version), data).status_code, 404)
        self.client.force_login(self.editor)
        wrong_program = self.budget_url(self.first_version, pk=self.other_program.pk)
        self.assertEqual(self.client.post(wrong_program, data).status_code, 404)
        self.first_version.refresh_from_db()
        self.assertEqual(self.first_version.budget_status, "open")


class RouteFareTests(AuthoringTestCase):
    url = reverse("support:route_fare_manage_list")

    def fare_data(self, **overrides: Any) -> dict[str, Any]:
        return {
            "organization": self.org.pk,
            "origin": "高知県四万十町",
            "destination": "東京都千代田区",
            "mode": "plane",
            "one_way_yen": "38000",
            "monthly_pass_yen": "",
            "one_way_minutes": "240",
            "source": "航空会社の運賃表（2025年4月）",
            **overrides,
        }

    def test_an_editor_adds_a_fare_for_their_organization_and_only_they_see_it(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(self.url, self.fare_data())

        self.assertRedirects(response, self.url)
        fare = RouteFare.objects.get()
        self.assertEqual(
            (
                fare.organization,
                fare.origin,
                fare.destination.code,
                fare.mode,
                fare.one_way_yen,
                fare.one_way_minutes,
            ),
            (self.org, self.shimanto, "13101", "plane", 38_000, 240),
        )
        self.assertContains(self.client.get(self.url), "航空会社の運賃表（2025年4月）")
        self.client.force_login(self.other_editor)
        self.assertNotContains(self.client.get(self.url), "航空会社の運賃表（2025年4月）")

    def test_a_fare_needs_a_price_and_an_organization_of_the_user(self) -> None:
        self.client.force_login(self.editor)
        response = self.client.post(self.url, self.fare_data(one_way_yen=""))
        self.assertContains(response, "片道運賃か1か月定期のどちらかを入力してください。")
        response = self.client.post(self.url, self.fare_data(organization=self.other_org.pk))
        self.assertIn("organization", response.context["form"].errors)
        self.assertFalse(RouteFare.objects.exists())

    def test_seekers_and_viewers_see_no_fares_and_cannot_add(self) -> None:
        RouteFare.objects.create(
            organization=self.org,
            origin=self.shimanto,
            destination=self.hida,
            mode="car",
            one_way_yen=1,
            source="x",
        )
        for user in (self.seeker, self.viewer):
            with self.subTest(user=user.email):
                self.client.force_login(user)
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["fares"], [])
                self.assertIsNone(response.context["form"])
                self.assertEqual(self.client.post(self.url, self.fare_data()).status_code, 404)
        self.assertEqual(RouteFare.objects.count(), 1)
        self.client.logout()
        self.assertRedirects(self.client.get(self.url), f"{reverse('accounts:login')}?next={self.url}")


class AccessMatrixTests(AuthoringTestCase):
    """(anonymous, seeker, viewer, editor of the organization, editor of another, platform admin) × the pages."""

    list_url = reverse("support:program_manage_list")
    create_url = reverse("support:program_manage_create")

    def test_the_matrix(self) -> None:
        expected = {
            # actor: (list, create, program page, add version)
            "seeker": (200, 404, 404, 404),
            "viewer": (200, 404, 404, 404),
            "editor": (200, 200, 200, 302),
            "other_editor": (200, 200, 404, 404),
            "org_admin": (200, 200, 200, 302),
            "platform_admin": (200, 200, 200, 302),
        }
        for month, (name, statuses) in enumerate(expected.items(), start=1):
            with self.subTest(actor=name):
                self.client.force_login(getattr(self, name))
                data = version_data(effective_from=f"2026-{month:02d}-01")
                answers = (
                    self.client.get(self.list_url),
                    self.client.get(self.create_url),
                    self.client.get(self.detail_url()),
                    self.client.post(self.version_url(), data),
                )
                self.assertEqual(tuple(r.status_code for r in answers), statuses)
                listed = [p.key for p in answers[0].context["programs"]]
                may_edit = statuses[2] == 200
                self.assertEqual("shimanto-trial-stay" in listed, may_edit)
                self.assertEqual(
                    "hida-akiya-renovation" in listed, name in ("other_editor", "platform_admin")
                )
        self.assertEqual(ProgramVersion.objects.filter(program=self.program).count(), 4)

    def test_anonymous_is_sent_to_login_everywhere(self) -> None:
        login = reverse("accounts:login")
        for url in (self.list_url, self.create_url, self.detail_url()):
            with self.subTest(url=url):
                self.assertRedirects(self.client.get(url), f"{login}?next={url}")
        response = self.client.post(self.version_url(), version_data())
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(login))
        self.assertEqual(ProgramVersion.objects.filter(program=self.program).count(), 1)

    def test_forbidden_and_missing_answer_the_same_404(self) -> None:
        for name in ("seeker", "viewer", "other_editor"):
            with self.subTest(actor=name):
                self.client.force_login(getattr(self, name))
                for url in (self.detail_url, self.version_url):
                    method = self.client.get if url == self.detail_url else self.client.post
                    forbidden, missing = method(url()), method(url(MISSING_ID))
                    self.assertEqual((forbidden.status_code, missing.status_code), (404, 404))
                    self.assertEqual(main_of(forbidden), main_of(missing))
        self.client.force_login(self.platform_admin)
        self.assertEqual(self.client.get(self.detail_url(MISSING_ID)).status_code, 404)

    def test_the_organization_page_links_to_program_management_for_its_admins(self) -> None:
        url = reverse("accounts:organization_detail", kwargs={"pk": self.org.pk})
        self.client.force_login(self.org_admin)
        self.assertContains(self.client.get(url), f'href="{self.list_url}"')
        self.client.force_login(self.seeker)
        self.assertNotContains(self.client.get(url), f'href="{self.list_url}"')

    def test_the_list_takes_the_same_number_of_queries_for_3_and_6_programs(self) -> None:
        for n in range(2):
            self.add_program(n)
        self.client.force_login(self.editor)
        with CaptureQueriesContext(connection) as three:
            response = self.client.get(self.list_url)
        self.assertEqual(len(response.context["programs"]), 3)
        for n in range(2, 5):
            self.add_program(n)

        with self.assertNumQueries(len(three.captured_queries)):
            response = self.client.get(self.list_url)

        self.assertEqual(len(response.context["programs"]), 6)
        self.assertContains(response, "予算残少", count=2)

    def add_program(self, n: int) -> None:
        program = services.program_create(
            actor=self.editor,
            key=f"shimanto-extra-{n}",
            name=f"四万十町の制度{n}",
            level=ProgramLevel.MUNICIPALITY,
            category=ProgramCategory.RENT,
            municipality=self.shimanto,
            organization=self.org,
        )
        services.program_version_create(
            actor=self.editor,
            program_id=program.pk,
            effective_from=timezone.localdate().replace(day=1),
            conditions={"all": []},
            benefit={"kind": "fixed", "amount": 1_000 * (n + 1)},
            budget_status="low" if n % 2 else "open",
            source_url=SOURCE,
            last_verified=date(2025, 3, 1),
        )
