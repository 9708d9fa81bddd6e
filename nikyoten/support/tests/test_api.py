"""Support API: programs (filters, detail, history, query counts), eligibility, cost simulations and isolation."""

from datetime import date
from typing import Any

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from nikyoten.accounts import services as account_services
from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from nikyoten.regions.models import Municipality, Prefecture
from nikyoten.support import services
from nikyoten.support.models import SupportProgram

PROGRAMS_URL = reverse("support-api:program-list")
ELIGIBILITY_URL = reverse("support-api:eligibility-check")
COST_URL = reverse("support-api:cost-simulation")
ON = "2026-11-26"

GRANT = "national-relocation-grant"
HOUSING = "oyama-housing-acquisition"
SHINKANSEN = "oyama-shinkansen-commuter-pass"
HIDA = "hida-akiya-rental-renovation"
OBUSE_COST = "obuse-new-farmer-housing-cost"
OBUSE_RENTAL = "obuse-new-farmer-housing-rental"
ALL_KEYS = {GRANT, HOUSING, SHINKANSEN, HIDA, OBUSE_COST, OBUSE_RENTAL}

# A family of four moving from 23区 to 小山市, commuting back by 新幹線 (all the answers but received programs).
FAMILY: dict[str, Any] = {
    "applicant_birth_date": "1990-05-01",
    "has_spouse": True,
    "spouse_birth_date": "1991-03-01",
    "children_birth_dates": ["2018-06-01", "2021-09-01"],
    "residence_history": [{"start": "2014-04-01", "end": "2026-03-31", "area": "tokyo23"}],
    "move_in_date": "2026-04-01",
    "employment_route": "telework",
    "housing_acquisition": "used",
    "commute_mode": "shinkansen",
    "commute_destination_area": "tokyo23",
    "commuter_pass_monthly": 90_000,
    "commute_allowance_monthly": 80_000,
    "pass_start_date": "2026-04-01",
    "stay_intention_years": 10,
    "tax_arrears": False,
    "prior_outside_residence_years": 12,
}


def program_url(program: SupportProgram | int) -> str:
    pk = program if isinstance(program, int) else program.pk
    return reverse("support-api:program-detail", kwargs={"pk": pk})


def versions_url(program: SupportProgram | int) -> str:
    pk = program if isinstance(program, int) else program.pk
    return reverse("support-api:program-versions", kwargs={"pk": pk})


RULE = {
    "conditions": {"all": [{"fact": "applicant.age", "op": "lte", "value": 39}]},
    "benefit": {"kind": "fixed", "amount": 100_000},
}


class SupportApiTestCase(TestCase):
    """The real programs loaded by a platform admin; 小山市 takes part in 移住支援金."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.platform_admin = UserFactory(email="platform@nikyoten.example.jp", is_staff=True)
        services.support_content_load(actor=cls.platform_admin)
        cls.programs = {p.key: p for p in SupportProgram.objects.all()}
        cls.oyama = Municipality.objects.get(code="09208")
        cls.chiyoda = Municipality.objects.get(code="13101")

    def setUp(self) -> None:
        self.client = APIClient()

    def get(self, url: str, status: int = 200, **params: Any) -> Any:
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, status, response.content)
        return response.json()

    def post(self, url: str, body: dict[str, Any], status: int = 200, client: APIClient | None = None) -> Any:
        response = (client or self.client).post(url, body, format="json")
        self.assertEqual(response.status_code, status, response.content)
        return response.json()

    def assert_error(self, body: Any, code: str) -> dict[str, Any]:
        self.assertEqual(set(body), {"error"})
        self.assertEqual(body["error"]["code"], code)
        self.assertTrue(body["error"]["message"])
        self.assertIsInstance(body["error"]["fields"], dict)
        return body["error"]

    def add_program(self, key: str, **fields: Any) -> SupportProgram:
        program = services.program_create(
            actor=self.platform_admin, key=key, name=f"制度 {key}", category="moving", **fields
        )
        services.program_version_create(
            actor=self.platform_admin,
            program_id=program.pk,
            effective_from=date(2024, 1, 1),
            source_url="https://example.jp/support",
            last_verified=date(2026, 1, 1),
            **RULE,
        )
        return program


# --- programs ---------------------------------------------------------------------------------------------


class ProgramListApiTests(SupportApiTestCase):
    def keys(self, **params: Any) -> set[str]:
        body = self.get(PROGRAMS_URL, page_size=200, **params)
        return {row["key"] for row in body["results"]}

    def test_is_public_and_paginated_with_the_version_in_force(self) -> None:
        body = self.get(PROGRAMS_URL, on=ON)

        self.assertEqual(set(body), {"count", "next", "previous", "results"})
        self.assertEqual(body["count"], 6)
        housing = self.programs[HOUSING]
        version = housing.versions.get()
        row = next(row for row in body["results"] if row["key"] == HOUSING)
        self.assertEqual(
            row,
            {
                "id": housing.pk,
                "key": HOUSING,
                "name": "小山市住宅取得支援補助金",
                "name_en": "Oyama City home purchase subsidy",
                "level": "municipality",
                "category": "housing_purchase",
                "prefecture": "09",
                "municipality": "09208",
                "is_sample": False,
                "funding_shares": {},
                "current_version": {
                    "id": version.pk,
                    "effective_from": "2024-01-01",
                    "effective_to": None,
                    "budget_status": "open",
                    "deadline": None,
                    "source_url": version.source_url,
                    "last_verified": version.last_verified.isoformat(),
                    "benefit": {
                        "kind": "by_fact",
                        "fact": "housing.acquisition",
                        "amounts": {"new": 400_000, "used": 200_000},
                    },
                    "window": {},
                    "repayment": [],
                },
            },
        )
        grant = next(row for row in body["results"] if row["key"] == GRANT)
        self.assertEqual(
            grant["funding_shares"], {"national": "1/2", "prefecture": "1/4", "municipality": "1/4"}
        )
        self.assertEqual(grant["current_version"]["effective_from"], "2023-04-01")
        self.assertEqual(
            grant["current_version"]["window"], {"anchor": "move_in", "from_months": 3, "to_months": 12}
        )
        self.assertEqual(len(grant["current_version"]["repayment"]), 3)

    def test_pages_follow_page_size(self) -> None:
        first = self.get(PROGRAMS_URL, page_size=4)
        second = self.get(PROGRAMS_URL, page_size=4, page=2)

        self.assertEqual((first["count"], len(first["results"]), len(second["results"])), (6, 4, 2))
        self.assertIn("page=2", first["next"])
        self.assertIsNone(second["next"])

    def test_a_program_without_a_version_in_force_has_no_current_version(self) -> None:
        body = self.get(PROGRAMS_URL, on="2023-06-01", page_size=200)

        current = {row["key"]: row["current_version"] for row in body["results"]}
        self.assertEqual(body["count"], 6)
        self.assertIsNone(current[HOUSING])  # its only version starts 2024-01-01
        self.assertEqual(current[GRANT]["effective_from"], "2023-04-01")

    def test_query_count_does_not_grow_with_rows(self) -> None:
        with self.assertNumQueries(3):  # count, page, current versions
            self.assertEqual(self.get(PROGRAMS_URL)["count"], 6)
        for i in range(5):
            self.add_program(f"extra-{i}", level="municipality", municipality=self.oyama)

        with self.assertNumQueries(3):
            body = self.get(PROGRAMS_URL)
        self.assertEqual(body["count"], 11)
        self.assertTrue(all(row["current_version"] for row in body["results"]))
        with self.assertNumQueries(4):  # and the municipality of the filter
            self.assertEqual(self.get(PROGRAMS_URL, municipality="09208")["count"], 8)

    def test_filter_municipality_gives_the_states_the_prefectures_and_its_own(self) -> None:
        tochigi = Prefecture.objects.get(code="09")
        self.add_program("tochigi-moving", level="prefecture", prefecture=tochigi)
        self.add_program("gifu-moving", level="prefecture", prefecture=Prefecture.objects.get(code="21"))

        self.assertEqual(self.keys(municipality="09208"), {GRANT, HOUSING, SHINKANSEN, "tochigi-moving"})
        self.assertEqual(self.keys(municipality="21217"), {GRANT, HIDA, "gifu-moving"})

    def test_filter_municipality_refuses_an_unknown_code(self) -> None:
        error = self.assert_error(self.get(PROGRAMS_URL, status=400, municipality="99999"), "invalid")

        self.assertEqual(error["message"], "市区町村が見つかりません。")
        self.assertEqual(list(error["fields"]), ["municipality"])

    def test_filter_prefecture(self) -> None:
        self.add_program("tochigi-moving", level="prefecture", prefecture=Prefecture.objects.get(code="09"))

        self.assertEqual(self.keys(prefecture="09"), {HOUSING, SHINKANSEN, "tochigi-moving"})
        self.assertEqual(self.keys(prefecture="20"), {OBUSE_COST, OBUSE_RENTAL})

    def test_filter_level(self) -> None:
        self.assertEqual(self.keys(level="national"), {GRANT})
        self.assertEqual(self.keys(level="municipality"), ALL_KEYS - {GRANT})
        self.assert_error(self.get(PROGRAMS_URL, status=400, level="galactic"), "invalid")

    def test_filter_category(self) -> None:
        self.assertEqual(self.keys(category="commute"), {SHINKANSEN})
        self.assertEqual(self.keys(category="relocation_grant"), {GRANT})

    def test_filter_open_now(self) -> None:
        rental = self.programs[OBUSE_RENTAL].versions.get()
        services.program_version_set_budget(
            actor=self.platform_admin, version_id=rental.pk, budget_status="open", deadline=date(2026, 10, 31)
        )

        # 2024-06: 飛騨市's first version had closed its budget; 2026-11-26: 小布施町's deadline has passed.
        self.assertEqual(self.keys(open_now="true", on="2024-06-01"), ALL_KEYS - {HIDA})
        self.assertEqual(self.keys(open_now="true", on="2026-10-31"), ALL_KEYS)
        self.assertEqual(self.keys(open_now="true", on=ON), ALL_KEYS - {OBUSE_RENTAL})
        # Before 2024 only the national grant (from 2022) and the 新幹線 subsidy (from 2022) were in force.
        self.assertEqual(self.keys(open_now="true", on="2023-06-01"), {GRANT, SHINKANSEN})
        self.assertEqual(self.keys(open_now="false", on="2023-06-01"), ALL_KEYS)

    def test_filter_on_picks_the_version_in_force(self) -> None:
        def hida(on: str) -> dict[str, Any]:
            body = self.get(PROGRAMS_URL, municipality="21217", on=on)
            return next(row for row in body["results"] if row["key"] == HIDA)["current_version"]

        self.assertEqual(
            (hida("2024-06-01")["effective_from"], hida("2024-06-01")["budget_status"]),
            ("2024-01-01", "closed"),
        )
        self.assertEqual((hida(ON)["effective_from"], hida(ON)["budget_status"]), ("2025-04-01", "open"))
        self.assert_error(self.get(PROGRAMS_URL, status=400, on="2026-13-01"), "invalid")


class ProgramDetailApiTests(SupportApiTestCase):
    def test_detail_has_the_list_shape(self) -> None:
        program = self.programs[SHINKANSEN]

        body = self.get(program_url(program))

        listed = next(row for row in self.get(PROGRAMS_URL)["results"] if row["id"] == program.pk)
        self.assertEqual(body, listed)
        self.assertEqual(body["current_version"]["benefit"]["monthly_cap"], 10_000)

    def test_unknown_program_is_not_found(self) -> None:
        for url in (program_url(999_999), versions_url(999_999), f"{PROGRAMS_URL}abc/"):
            self.assert_error(self.get(url, status=404), "not_found")

    def test_versions_are_the_history_newest_first(self) -> None:
        program = self.programs[HIDA]

        with self.assertNumQueries(2):  # the program, its versions
            body = self.get(versions_url(program))

        self.assertEqual([v["effective_from"] for v in body], ["2025-04-01", "2024-01-01"])
        self.assertEqual([v["effective_to"] for v in body], [None, "2025-03-31"])
        self.assertEqual([v["budget_status"] for v in body], ["open", "closed"])
        self.assertEqual(
            set(body[0]),
            {
                "id",
                "effective_from",
                "effective_to",
                "conditions",
                "benefit",
                "window",
                "repayment",
                "stacking",
                "budget_status",
                "deadline",
                "source_url",
                "last_verified",
                "notes",
            },
        )
        self.assertIn("all", body[0]["conditions"])
        self.assertTrue(body[0]["notes"])
        grant = self.get(versions_url(self.programs[GRANT]))
        self.assertEqual([v["benefit"]["per_child"] for v in grant], [1_000_000, 300_000])
        self.assertEqual(grant[0]["stacking"], {"exclusive_with": [], "once_per": "household"})


# --- eligibility ------------------------------------------------------------------------------------------


class EligibilityApiTests(SupportApiTestCase):
    def check(self, profile: dict[str, Any], municipalities: list[str], **extra: Any) -> dict[str, Any]:
        return self.post(
            ELIGIBILITY_URL, {"profile": profile, "municipalities": municipalities, "on": ON, **extra}
        )

    def programs_of(self, body: dict[str, Any], index: int = 0) -> dict[str, dict[str, Any]]:
        return {p["key"]: p for p in body["municipalities"][index]["programs"]}

    def test_family_of_four_in_oyama(self) -> None:
        body = self.check(FAMILY, ["09208"])

        self.assertEqual(body["on"], ON)
        oyama = body["municipalities"][0]
        self.assertEqual((oyama["code"], oyama["name"], oyama["prefecture"]), ("09208", "小山市", "09"))
        programs = self.programs_of(body)
        self.assertEqual(set(programs), {GRANT, HOUSING, SHINKANSEN})

        housing = programs[HOUSING]
        self.assertEqual(
            (housing["verdict"], housing["amount"]["maximum"], housing["amount"]["exact"]),
            ("eligible", 200_000, True),
        )
        self.assertEqual(housing["id"], self.programs[HOUSING].pk)
        self.assertEqual(housing["version_id"], self.programs[HOUSING].versions.get().pk)
        self.assertEqual((housing["level"], housing["category"]), ("municipality", "housing_purchase"))
        self.assertEqual(housing["amount"]["text_ja"], "20万円")
        self.assertEqual({r["status"] for r in housing["reasons"]}, {"met"})

        shinkansen = programs[SHINKANSEN]
        amount = shinkansen["amount"]
        self.assertEqual(shinkansen["verdict"], "eligible")
        self.assertEqual(
            (amount["monthly"], amount["months"], amount["minimum"], amount["maximum"]),
            (10_000, 36, 360_000, 360_000),
        )
        self.assertEqual(amount["text_ja"], "月1万円×36か月（36万円）")
        self.assertEqual(
            shinkansen["window"],
            {
                "anchor": "pass_start",
                "from_months": 0,
                "to_months": 12,
                "opens": "2026-04-01",
                "closes": shinkansen["window"]["closes"],
                "status": "open",
            },
        )

        grant = programs[GRANT]
        self.assertEqual(grant["verdict"], "need_to_know")
        self.assertEqual((grant["amount"]["maximum"], grant["amount"]["exact"]), (3_000_000, True))
        self.assertEqual([q["key"] for q in grant["questions"]], ["received_programs"])
        question = grant["questions"][0]
        self.assertEqual(
            (question["label_ja"], question["kind"], question["choices"]),
            ("これまでに受けた支援制度", "list", []),
        )
        self.assertEqual([s["amount"] for s in grant["repayment"]], [3_000_000, 1_500_000, 3_000_000])
        self.assertTrue(all(s["text_ja"] and s["text_en"] for s in grant["repayment"]))
        self.assertEqual(grant["window"]["status"], "open")
        self.assertEqual(
            (grant["budget_status"], grant["deadline"], grant["excluded_by"]), ("open", None, None)
        )
        self.assertTrue(grant["source_url"].startswith("http"))

        self.assertEqual(
            oyama["totals"],
            {
                "total_minimum": 560_000,
                "total_maximum": 560_000,
                "possible_maximum": 3_560_000,
                "total_open_ended": False,
                "possible_open_ended": False,
            },
        )
        self.assertEqual([q["key"] for q in oyama["questions"]], ["received_programs"])

    def test_answering_received_programs_makes_the_grant_eligible(self) -> None:
        body = self.check({**FAMILY, "received_programs": []}, ["09208"])

        grant = self.programs_of(body)[GRANT]
        self.assertEqual(
            (grant["verdict"], grant["amount"]["maximum"], grant["questions"]), ("eligible", 3_000_000, [])
        )
        self.assertEqual(body["municipalities"][0]["totals"]["total_maximum"], 3_560_000)

    def test_the_grant_is_not_for_a_move_within_tokyo(self) -> None:
        body = self.check({**FAMILY, "received_programs": []}, ["13101"])

        grant = self.programs_of(body)[GRANT]
        self.assertEqual(grant["verdict"], "not_eligible")
        unmet = [r for r in grant["reasons"] if r["status"] == "unmet"]
        self.assertEqual([r["fact"] for r in unmet], ["destination.outside_tokyo_area"])
        self.assertTrue(unmet[0]["text_ja"] and unmet[0]["text_en"])
        self.assertEqual(grant["amount"]["maximum"], 0)
        self.assertNotIn(HOUSING, self.programs_of(body))

    def test_several_municipalities_by_code_local_government_code_or_name(self) -> None:
        body = self.check(FAMILY, ["092088", "東京都千代田区", "飛騨市"])

        self.assertEqual([m["code"] for m in body["municipalities"]], ["09208", "13101", "21217"])
        self.assertEqual(set(self.programs_of(body, 2)), {GRANT, HIDA})

    def test_no_answers_needs_to_know_and_asks(self) -> None:
        body = self.post(ELIGIBILITY_URL, {"municipalities": ["09208"], "on": ON})

        programs = self.programs_of(body)
        self.assertEqual({p["verdict"] for p in programs.values()}, {"need_to_know"})
        questions = [q["key"] for q in body["municipalities"][0]["questions"]]
        self.assertIn("applicant_birth_date", questions)
        self.assertIn("housing_acquisition", questions)
        housing = next(q for q in body["municipalities"][0]["questions"] if q["key"] == "housing_acquisition")
        self.assertIn(
            {"value": "used", "label_ja": "中古住宅を取得", "label_en": "Buy a used home"}, housing["choices"]
        )

    def test_birth_date_in_the_future_is_refused(self) -> None:
        body = self.post(
            ELIGIBILITY_URL,
            {
                "profile": {**FAMILY, "applicant_birth_date": "2027-01-01"},
                "municipalities": ["09208"],
                "on": ON,
            },
            status=400,
        )

        error = self.assert_error(body, "invalid")
        self.assertIn("申請者の生年月日が判定日より後です。", error["message"])
        self.assertIn("applicant_birth_date", error["fields"]["profile"])

    def test_move_before_birth_is_refused(self) -> None:
        body = self.post(
            ELIGIBILITY_URL,
            {"profile": {**FAMILY, "move_in_date": "1980-04-01"}, "municipalities": ["09208"], "on": ON},
            status=400,
        )

        error = self.assert_error(body, "invalid")
        self.assertEqual(error["fields"]["profile"]["move_in_date"], ["日付が申請者の生年月日より前です。"])

    def test_unreadable_answers_are_refused_by_field(self) -> None:
        body = self.post(
            ELIGIBILITY_URL,
            {
                "profile": {
                    "applicant_birth_date": "1990/05/01",
                    "has_spouse": "yes",
                    "favourite_colour": "red",
                },
                "municipalities": ["09208"],
            },
            status=400,
        )

        fields = self.assert_error(body, "invalid")["fields"]["profile"]
        self.assertEqual(set(fields), {"applicant_birth_date", "has_spouse", "favourite_colour"})
        self.assertEqual(fields["favourite_colour"], ["この項目はありません。"])

    def test_evaluation_date_belongs_in_on(self) -> None:
        body = self.post(
            ELIGIBILITY_URL, {"profile": {"evaluation_date": ON}, "municipalities": ["09208"]}, status=400
        )

        error = self.assert_error(body, "invalid")
        self.assertEqual(error["fields"], {"profile": [error["message"]]})
        self.assertIn("on", error["message"])

    def test_unknown_municipality_is_named(self) -> None:
        body = self.post(ELIGIBILITY_URL, {"municipalities": ["09208", "99999", "不思議町"]}, status=400)

        error = self.assert_error(body, "invalid")
        self.assertEqual(list(error["fields"]), ["municipalities"])
        self.assertEqual(len(error["fields"]["municipalities"]), 2)
        self.assertIn("99999", error["message"])
        self.assertIn("不思議町", error["fields"]["municipalities"][1])

    def test_at_most_four_municipalities(self) -> None:
        codes = ["09208", "13101", "21217", "20541", "39412"]

        error = self.assert_error(
            self.post(ELIGIBILITY_URL, {"municipalities": codes}, status=400), "invalid"
        )

        self.assertEqual(list(error["fields"]), ["municipalities"])
        self.assertIn("4", error["message"])
        self.post(ELIGIBILITY_URL, {"municipalities": codes[:4], "on": ON})

    def test_at_least_one_municipality_and_no_repeats(self) -> None:
        for municipalities in ([], ["09208", "小山市"], "09208"):
            body = self.post(ELIGIBILITY_URL, {"municipalities": municipalities}, status=400)
            self.assertEqual(list(self.assert_error(body, "invalid")["fields"]), ["municipalities"])
        self.assert_error(self.post(ELIGIBILITY_URL, {}, status=400), "invalid")

    def test_anonymous_clients_need_no_csrf_token(self) -> None:
        client = APIClient(enforce_csrf_checks=True)

        body = self.post(ELIGIBILITY_URL, {"municipalities": ["09208"], "on": ON}, client=client)

        self.assertEqual(len(body["municipalities"]), 1)

    def test_a_signed_in_browser_session_needs_a_csrf_token(self) -> None:
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(UserFactory())

        body = self.post(ELIGIBILITY_URL, {"municipalities": ["09208"]}, status=403, client=client)

        self.assert_error(body, "permission_denied")


class SavedAnswersIsolationTests(SupportApiTestCase):
    """A seeker's saved answers serve that seeker only: never another user, a token or an anonymous call."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.seeker = UserFactory(email="family@example.jp")
        services.seeker_profile_save(user=cls.seeker, answers={**FAMILY, "received_programs": []})
        cls.other = UserFactory(email="other@example.jp")
        cls.organization = OrganizationFactory(name="小山市 シティプロモーション推進課", code="09208")
        admin = MembershipFactory(organization=cls.organization, role=MembershipRole.ADMIN).user
        cls.token = account_services.api_token_issue(
            actor=admin, organization_id=cls.organization.pk, name="市のサイト"
        ).key

    def verdicts(self, client: APIClient, profile: dict[str, Any] | None = None) -> dict[str, str]:
        body = self.post(
            ELIGIBILITY_URL, {"profile": profile or {}, "municipalities": ["09208"], "on": ON}, client=client
        )
        return {p["key"]: p["verdict"] for p in body["municipalities"][0]["programs"]}

    def test_the_seeker_is_judged_on_saved_answers(self) -> None:
        self.client.force_login(self.seeker)

        self.assertEqual(
            self.verdicts(self.client), {GRANT: "eligible", HOUSING: "eligible", SHINKANSEN: "eligible"}
        )

    def test_posted_answers_take_precedence_over_saved_ones(self) -> None:
        self.client.force_login(self.seeker)

        body = self.post(
            ELIGIBILITY_URL,
            {"profile": {"housing_acquisition": "new"}, "municipalities": ["09208"], "on": ON},
        )

        housing = next(p for p in body["municipalities"][0]["programs"] if p["key"] == HOUSING)
        self.assertEqual(housing["amount"]["maximum"], 400_000)
        self.assertEqual(self.seeker.support_profile.answers["housing_acquisition"], "used")  # nothing saved

    def test_another_user_never_gets_the_seekers_answers(self) -> None:
        self.client.force_login(self.other)

        self.assertEqual(set(self.verdicts(self.client).values()), {"need_to_know"})

    def test_anonymous_and_token_calls_never_get_them(self) -> None:
        self.assertEqual(set(self.verdicts(APIClient()).values()), {"need_to_know"})
        token_client = APIClient()
        token_client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.token}")
        self.assertEqual(set(self.verdicts(token_client).values()), {"need_to_know"})

    def test_the_cost_simulator_deducts_only_the_callers_own_programs(self) -> None:
        body = {
            "base_a": "13101",
            "candidates": ["09208"],
            "mode": "shinkansen",
            "trips_per_month": 8,
            "apply_programs": True,
        }
        self.client.force_login(self.seeker)

        mine = self.post(COST_URL, body)["simulations"][0]

        # 小山市's housing subsidy has no window, so it applies whatever today is.
        names = [s["name_ja"] for s in mine["subsidies"]]
        self.assertIn("小山市住宅取得支援補助金", names)
        housing = next(s for s in mine["subsidies"] if s["name_ja"] == "小山市住宅取得支援補助金")
        self.assertEqual((housing["one_time_yen"], housing["one_time_month"]), (200_000, 1))
        self.assertLessEqual(mine["totals"]["subsidies"], -200_000)
        self.client.force_login(self.other)
        theirs = self.post(COST_URL, body)["simulations"][0]
        self.assertEqual((theirs["subsidies"], theirs["totals"]["subsidies"]), ([], 0))
        self.assertEqual(self.post(COST_URL, body, client=APIClient())["simulations"][0]["subsidies"], [])


# --- cost simulations -------------------------------------------------------------------------------------


class CostSimulationApiTests(SupportApiTestCase):
    BODY: dict[str, Any] = {
        "base_a": "13101",
        "candidates": ["09208"],
        "mode": "shinkansen",
        "trips_per_month": 8,
        "second_home_rent_monthly": 60_000,
        "utilities_monthly": 10_000,
        "internet_monthly": 5_000,
        "car_monthly": 0,
        "one_time_costs": 150_000,
    }

    def test_chiyoda_to_oyama_by_shinkansen(self) -> None:
        body = self.post(COST_URL, self.BODY)

        self.assertEqual(
            body["base_a"], {"code": "13101", "name": "千代田区", "name_en": self.chiyoda.name_en}
        )
        self.assertEqual((body["mode"], body["trips_per_month"], body["months"]), ("shinkansen", 8.0, 60))
        [simulation] = body["simulations"]
        self.assertEqual(simulation["base_b"]["code"], "09208")
        self.assertGreater(simulation["distance_km"], 50)
        self.assertGreater(simulation["one_way_yen"], 0)
        self.assertIsNone(simulation["route_fare"])
        self.assertEqual(simulation["subsidies"], [])
        rows = simulation["monthly_rows"]
        self.assertEqual([row["month"] for row in rows], list(range(1, 61)))
        for category in (
            "travel",
            "second_home",
            "utilities",
            "internet",
            "car",
            "one_time",
            "subsidies",
            "net",
        ):
            self.assertEqual(simulation["totals"][category], sum(row[category] for row in rows), category)
        for row in rows:
            self.assertEqual(row["net"], sum(v for k, v in row.items() if k not in ("month", "net")))
        self.assertEqual(simulation["net_total"], simulation["totals"]["net"])
        self.assertEqual(simulation["five_year_net"], simulation["net_total"])
        self.assertEqual(simulation["first_year_net"], sum(row["net"] for row in rows[:12]))
        self.assertEqual(simulation["totals"]["one_time"], 150_000)
        self.assertEqual(simulation["travel_monthly"], rows[1]["travel"])
        self.assertTrue(all(a["ja"] and a["en"] for a in simulation["assumptions"]))

    def test_names_and_several_candidates(self) -> None:
        body = self.post(
            COST_URL,
            {**self.BODY, "base_a": "東京都千代田区", "candidates": ["小山市", "飛騨市"], "months": 12},
        )

        self.assertEqual([s["base_b"]["code"] for s in body["simulations"]], ["09208", "21217"])
        self.assertEqual(len(body["simulations"][1]["monthly_rows"]), 12)

    def test_plane_for_a_short_distance_is_refused(self) -> None:
        body = self.post(COST_URL, {**self.BODY, "mode": "plane"}, status=400)

        error = self.assert_error(body, "invalid_cost_input")
        self.assertIn("飛行機", error["message"])
        self.assertEqual(list(error["fields"]), ["mode"])

    def test_at_most_four_candidates(self) -> None:
        candidates = ["09208", "21217", "20541", "39412", "01100"]

        error = self.assert_error(
            self.post(COST_URL, {**self.BODY, "candidates": candidates}, status=400), "invalid"
        )

        self.assertEqual(list(error["fields"]), ["candidates"])

    def test_base_a_cannot_be_a_candidate(self) -> None:
        body = self.post(COST_URL, {**self.BODY, "candidates": ["09208", "千代田区"]}, status=400)

        self.assertEqual(list(self.assert_error(body, "invalid")["fields"]), ["candidates"])

    def test_out_of_range_input_is_refused_by_field(self) -> None:
        body = self.post(
            COST_URL,
            {**self.BODY, "trips_per_month": 100, "months": 0, "car_monthly": -1, "mode": "rocket"},
            status=400,
        )

        self.assertEqual(
            set(self.assert_error(body, "invalid")["fields"]),
            {"trips_per_month", "months", "car_monthly", "mode"},
        )
        body = self.post(COST_URL, {**self.BODY, "base_a": "99999"}, status=400)
        self.assertIn("99999", self.assert_error(body, "invalid")["fields"]["base_a"][0])

    def test_an_organizations_route_fare_replaces_the_estimate(self) -> None:
        estimated = self.post(COST_URL, self.BODY)["simulations"][0]
        organization = OrganizationFactory(name="小山市 シティプロモーション推進課", code="09208")
        fare = services.route_fare_save(
            actor=self.platform_admin,
            organization_id=organization.pk,
            origin=self.oyama,
            destination=self.chiyoda,
            mode="shinkansen",
            source="JR東日本 小山〜東京 特急料金込み（2026年4月）",
            one_way_yen=4_510,
        )

        simulation = self.post(COST_URL, self.BODY)["simulations"][0]

        self.assertNotEqual(estimated["one_way_yen"], 4_510)
        self.assertEqual(simulation["one_way_yen"], 4_510)
        self.assertEqual(simulation["route_fare"]["id"], fare.pk)
        self.assertEqual(simulation["route_fare"]["source"], "JR東日本 小山〜東京 特急料金込み（2026年4月）")
        assumptions = " ".join(a["ja"] for a in simulation["assumptions"])
        self.assertIn(
            "片道運賃 4,510 円は組織が入力した路線運賃です（JR東日本 小山〜東京 特急料金込み（2026年4月））",
            assumptions,
        )
        # Other modes keep the model's estimate.
        conventional = self.post(COST_URL, {**self.BODY, "mode": "conventional_rail"})["simulations"][0]
        self.assertIsNone(conventional["route_fare"])
