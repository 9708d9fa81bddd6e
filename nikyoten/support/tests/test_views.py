"""Seeker pages of the support app: catalogue, program history, 「受けられる支援」 and the cost simulator."""

from datetime import date
from urllib.parse import urlencode

from django.test import TestCase

from nikyoten.accounts.models import AuditEvent
from nikyoten.accounts.tests.factories import UserFactory
from nikyoten.regions.selectors import municipality_resolve
from nikyoten.support import facts, selectors, services
from nikyoten.support.models import SeekerProfile, SupportProgram

FAMILY = {
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
    "commuter_pass_monthly": 90000,
    "commute_allowance_monthly": 80000,
    "pass_start_date": "2026-04-01",
    "stay_intention_years": 10,
    "tax_arrears": False,
    "prior_outside_residence_years": 12.0,
    "received_programs": [],
}


class SupportPagesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(email="admin@example.jp", is_staff=True)
        services.support_content_load(actor=cls.admin)
        cls.seeker = UserFactory(email="seeker@example.jp")


class CatalogueTests(SupportPagesTestCase):
    def test_list_filters_by_municipality(self):
        response = self.client.get("/support/", {"municipality": "小山市"})
        keys = {p.key for p in response.context["programs"]}
        assert keys == {
            "national-relocation-grant",
            "oyama-housing-acquisition",
            "oyama-shinkansen-commuter-pass",
        }

    def test_list_query_count_is_constant(self):
        with self.assertNumQueries(2):
            self.client.get("/support/")

    def test_detail_shows_current_rules_and_history(self):
        program = SupportProgram.objects.get(key="hida-akiya-rental-renovation")
        response = self.client.get(f"/support/programs/{program.pk}/")
        assert len(response.context["versions"]) == 2
        assert response.context["current"].effective_from == date(2025, 4, 1)
        self.assertContains(response, "250万円")
        self.assertContains(response, "改定の履歴")

    def test_missing_program_is_404(self):
        assert self.client.get("/support/programs/999999/").status_code == 404


class VersionHistoryTests(SupportPagesTestCase):
    def test_old_version_still_answers_for_dates_in_its_period(self):
        hida = municipality_resolve(text="岐阜県飛騨市")
        answers = {"converts_akiya_to_rental": True, "housing_renovation_cost": 8_000_000}
        for day, cap in ((date(2024, 6, 1), 3_000_000), (date(2025, 6, 1), 2_500_000)):
            profile = facts.profile_from_dict({**answers, "evaluation_date": day.isoformat()})
            (check,) = selectors.eligibility_check(actor=self.seeker, profile=profile, municipalities=[hida])
            result = next(r for r in check.results if r.program.key == "hida-akiya-rental-renovation")
            assert result.evaluation.amount.maximum == cap, day


class SupportCheckTests(SupportPagesTestCase):
    url = "/support/check/?" + urlencode({"m1": "栃木県小山市", "m2": "13101"})

    def results(self, response):
        return {
            check.municipality.code: {r.program.key: r.evaluation for r in check.results}
            for check in response.context["checks"]
        }

    def test_without_answers_everything_needs_to_be_known(self):
        response = self.client.get(self.url)
        oyama = self.results(response)["09208"]
        assert {e.verdict for e in oyama.values()} == {"need_to_know"}
        keys = {q.key for q in response.context["answers_form"].questions}
        assert {"applicant_birth_date", "residence_history", "housing_acquisition"} <= keys

    def test_answers_post_for_a_signed_in_seeker_are_saved_once_and_audited(self):
        self.client.force_login(self.seeker)
        services.seeker_profile_save(user=self.seeker, answers=FAMILY)
        response = self.client.get(self.url)
        oyama = self.results(response)["09208"]
        assert oyama["oyama-housing-acquisition"].verdict == "eligible"
        assert oyama["oyama-housing-acquisition"].amount.maximum == 200_000
        assert oyama["oyama-shinkansen-commuter-pass"].amount.maximum == 360_000
        assert oyama["national-relocation-grant"].verdict == "eligible"
        assert oyama["national-relocation-grant"].amount.maximum == 3_000_000
        chiyoda = self.results(response)["13101"]
        assert chiyoda["national-relocation-grant"].verdict == "not_eligible"
        self.assertContains(response, "3,560,000 円")
        assert AuditEvent.objects.filter(entity="seeker_profile", actor=self.seeker).exists()
        # The saved answers pre-fill the form: nothing is asked twice.
        assert response.context["answers_form"].initial["housing_acquisition"] == "used"

    def test_anonymous_answers_are_kept_in_the_session(self):
        post = {"applicant_birth_date": "1990-05-01", "housing_acquisition": "used"}
        response = self.client.post(self.url, post)
        assert response.status_code == 302
        assert self.client.session["support_answers"]["housing_acquisition"] == "used"
        assert not SeekerProfile.objects.exists()

    def test_impossible_answers_are_refused_and_nothing_is_saved(self):
        self.client.force_login(self.seeker)
        response = self.client.post(self.url, {"applicant_birth_date": "2099-01-01"})
        assert response.status_code == 200
        assert response.context["answers_form"].errors
        assert not SeekerProfile.objects.filter(user=self.seeker).exists()

    def test_another_seekers_answers_never_show(self):
        services.seeker_profile_save(user=self.seeker, answers=FAMILY)
        other = UserFactory(email="other@example.jp")
        self.client.force_login(other)
        response = self.client.get(self.url)
        assert self.results(response)["09208"]["oyama-housing-acquisition"].verdict == "need_to_know"
        assert "used" not in response.context["answers_form"].initial.values()

    def test_unknown_municipality_is_a_form_error(self):
        response = self.client.get("/support/check/", {"m1": "存在しない町"})
        assert "m1" in response.context["place_form"].errors


class CostSimulationPageTests(SupportPagesTestCase):
    params = {
        "base_a": "東京都千代田区",
        "base_b_1": "栃木県小山市",
        "base_b_2": "岐阜県飛騨市",
        "mode": "shinkansen",
        "trips_per_month": "8",
        "months": "60",
        "second_home_rent_monthly": "50000",
    }

    def test_simulation_with_two_candidates_and_chart(self):
        response = self.client.get("/support/cost/", self.params)
        simulations = response.context["simulations"]
        assert [s.municipality.code for s in simulations] == ["09208", "21217"]
        assert simulations[1].result.distance_km > simulations[0].result.distance_km
        self.assertContains(response, "<svg")

    def test_programs_the_seeker_qualifies_for_are_deducted(self):
        services.seeker_profile_save(user=self.seeker, answers=FAMILY)
        self.client.force_login(self.seeker)
        response = self.client.get("/support/cost/", {**self.params, "apply_programs": "on"})
        oyama = response.context["simulations"][0].result
        subsidies = [row.subsidies for row in oyama.monthly_rows]
        assert subsidies[0] <= -10_000 and subsidies[35] <= -10_000
        assert oyama.totals["subsidies"] <= -(360_000 + 200_000)
        without = self.client.get("/support/cost/", self.params).context["simulations"][0].result
        assert without.totals["subsidies"] == 0

    def test_bad_input_is_explained(self):
        response = self.client.get("/support/cost/", {**self.params, "mode": "plane", "base_b_2": ""})
        assert response.context["simulations"] is None
        assert response.context["form"].errors

    def test_csv_and_pdf_exports(self):
        csv_response = self.client.get("/support/cost/export.csv", {**self.params, "candidate": "2"})
        assert csv_response["Content-Type"].startswith("text/csv")
        body = csv_response.content.decode("utf-8-sig")
        assert body.splitlines()[0].startswith("月")
        assert len(body.strip().splitlines()) == 62
        pdf = self.client.get("/support/cost/export.pdf", self.params)
        assert pdf.content.startswith(b"%PDF")
        assert self.client.get("/support/cost/export.pdf", {"base_a": "x"}).status_code == 400
