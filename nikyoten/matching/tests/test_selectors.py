"""Rankings on the real municipality master: the issue's acceptance case, the feature matrix and its cache."""

import numpy as np
from django.test import TestCase

from nikyoten.accounts.tests.factories import OrganizationFactory, UserFactory
from nikyoten.housing.choices import ListingStatus
from nikyoten.housing.tests.factories import TrialStayUnitFactory
from nikyoten.matching import features, selectors
from nikyoten.matching.ranking import Factor
from nikyoten.matching.tests.factories import RegionProfileFactory
from nikyoten.regions.choices import RegionFactKey
from nikyoten.regions.models import Municipality, RegionFact
from nikyoten.support import services as support_services

SHINJUKU = "13104"
OYAMA = "09208"
SHIMANTO = "39412"


def family(**overrides: object) -> selectors.Wishes:
    """The issue's family: 2 adults, children 3 and 6, telework to 新宿 twice a week, 150 km at most."""
    values: dict[str, object] = {
        "base": Municipality.objects.get(code=SHINJUKU),
        "work_style": "telework",
        "living_style": "telework",
        "adults": 2,
        "children_ages": (3, 6),
        "trips_per_month": 8,
        "max_distance_km": 150,
        "weights": {
            "childcare": 5,
            "low_hazard": 5,
            "trial_stay": 5,
            "access": 3,
            "support": 3,
            "region_fit": 2,
        },
    }
    return selectors.Wishes(**(values | overrides))  # type: ignore[arg-type]


class RankingDataTestCase(TestCase):
    """Real support programs; trial stays in 小山市 (in reach of 新宿) and 四万十町 (far); 境町 says it wants families."""

    @classmethod
    def setUpTestData(cls) -> None:
        support_services.support_content_load(actor=UserFactory(is_staff=True))
        cls.oyama_org = OrganizationFactory(code=OYAMA)
        TrialStayUnitFactory(listing__organization=cls.oyama_org)
        TrialStayUnitFactory(listing__organization=OrganizationFactory(code=SHIMANTO))
        withdrawn = TrialStayUnitFactory(listing__organization=cls.oyama_org)
        withdrawn.listing.status = ListingStatus.WITHDRAWN
        withdrawn.listing.save()
        TrialStayUnitFactory(listing__organization=cls.oyama_org, is_bookable=False)
        cls.sakai = Municipality.objects.get(prefecture__name="茨城県", name="境町")
        RegionProfileFactory(
            organization=OrganizationFactory(code=cls.sakai.code),
            coworking=True,
            coworking_vouched_on="2026-10-01",
        )


class AcceptanceTests(RankingDataTestCase):
    def test_the_family_gets_only_municipalities_within_150_km_with_reasons_from_the_data(self) -> None:
        result = selectors.region_ranking(wishes=family(), top=2000)
        self.assertGreater(result.candidates, 100)
        self.assertEqual(len(result.results), result.candidates)
        self.assertTrue(all(r.distance_km is not None and r.distance_km <= 150 for r in result.results))
        self.assertNotIn(SHINJUKU, [r.code for r in result.results])
        by_code = {r.code: r for r in result.results}
        self.assertNotIn(SHIMANTO, by_code)
        oyama = {c.factor: c for c in by_code[OYAMA].contributions}
        self.assertEqual(
            oyama[Factor.TRIAL_STAY].text_ja, "お試し住宅あり（1件）"
        )  # withdrawn and closed ones do not count
        self.assertEqual(oyama[Factor.CHILDCARE].text_ja, "保育所: データなし")
        self.assertEqual(oyama[Factor.LOW_HAZARD].text_en, "Low hazard: no data")
        self.assertRegex(oyama[Factor.ACCESS].text_ja, r"新宿区から約\d+分")
        self.assertRegex(oyama[Factor.SUPPORT].text_ja, r"^受けられる支援の合計 最大[\d,]+万円$")
        # Environment data is missing in this branch: confidence says so.
        self.assertLess(by_code[OYAMA].confidence, 1)
        sakai = {c.factor: c for c in by_code[self.sakai.code].contributions}
        self.assertEqual(
            sakai[Factor.REGION_FIT].text_ja,
            "地域が求める人物像に合う: テレワーク型、子育て世帯、テレワーク（都市の勤め先）",
        )
        self.assertEqual(sakai[Factor.TRIAL_STAY].text_ja, "予約できるお試し住宅の掲載なし")

    def test_a_trial_stay_weighs_in_the_direction_it_should(self) -> None:
        light = selectors.region_ranking(wishes=family(weights={"access": 3, "trial_stay": 0}), top=2000)
        heavy = selectors.region_ranking(wishes=family(weights={"access": 3, "trial_stay": 5}), top=2000)
        position = {r.code: i for i, r in enumerate(heavy.results)}
        self.assertEqual(heavy.results[0].code, OYAMA)
        self.assertLessEqual(position[OYAMA], [r.code for r in light.results].index(OYAMA))

    def test_travel_time_limit(self) -> None:
        result = selectors.region_ranking(
            wishes=family(max_distance_km=None, max_travel_minutes=60), top=2000
        )
        self.assertTrue(all(r.minutes is not None and r.minutes <= 60 for r in result.results))

    def test_compare_shows_the_same_factors_inside_the_limit_or_not(self) -> None:
        compared = selectors.region_comparison(
            wishes=family(), codes=[OYAMA, SHIMANTO, "00000", self.sakai.code, "01100", "13101"]
        )
        self.assertEqual([r.code for r in compared], [OYAMA, SHIMANTO, self.sakai.code])
        self.assertEqual([r.within_limit for r in compared], [True, False, True])
        self.assertEqual({len(r.contributions) for r in compared}, {6})
        access = [next(c for c in r.contributions if c.factor == Factor.ACCESS) for r in compared]
        self.assertTrue(all(c.normalised is not None for c in access))  # the far one is known, just slow
        self.assertEqual(access[1].normalised, 0.0)


class FeatureTests(RankingDataTestCase):
    def test_the_matrix_holds_the_1741_municipalities(self) -> None:
        matrix = features.features()
        self.assertEqual(len(matrix), 1741)
        self.assertEqual(len(set(matrix.codes)), 1741)
        self.assertIn("13104", matrix.codes)  # a special ward of Tokyo is a municipality
        self.assertIn("14100", matrix.codes)  # 横浜市 …
        self.assertNotIn("14101", matrix.codes)  # … but not its wards

    def test_the_environment_seam_reports_missing_data(self) -> None:
        columns = features.environment_columns(("13104", "09208"))
        self.assertEqual(
            set(columns),
            {Factor.CHILDCARE, Factor.SCHOOLS, Factor.HOSPITALS, Factor.LOW_HAZARD, Factor.STATION},
        )
        self.assertTrue(all(len(c) == 2 and all(v != v for v in c) for c in columns.values()))

    def test_the_environment_seam_reads_the_living_environment_facts(self) -> None:
        facts = {
            RegionFactKey.NURSERIES_PER_1K_CHILDREN: 4.5,
            RegionFactKey.ELEMENTARY_SCHOOLS: 20,
            RegionFactKey.JUNIOR_HIGH_SCHOOLS: 10,
            RegionFactKey.POPULATION_0_14: 15000,
            RegionFactKey.MEDICAL_PER_10K: 12.5,
            RegionFactKey.FLOOD_AREA_SHARE: 31.0,
        }
        first = features.features()
        for key, value in facts.items():
            RegionFact.objects.create(municipality_id="13104", key=key, value=value)
        self.assertIsNot(features.features(), first)  # an import rebuilds the matrix
        columns = features.environment_columns(("13104", "09208"))
        self.assertEqual(columns[Factor.CHILDCARE][0], 4.5)
        self.assertEqual(columns[Factor.SCHOOLS][0], 2.0)  # 30 schools per 15,000 children → 2 per 1,000
        self.assertEqual(columns[Factor.HOSPITALS][0], 12.5)
        self.assertEqual(columns[Factor.LOW_HAZARD][0], 31.0)
        self.assertTrue(np.isnan(columns[Factor.STATION][0]))  # not imported: no data, not zero
        self.assertTrue(all(np.isnan(column[1]) for column in columns.values()))

    def test_the_cache_is_rebuilt_when_an_input_changes(self) -> None:
        first = features.features()
        self.assertIs(features.features(), first)
        TrialStayUnitFactory(listing__organization=OrganizationFactory(code="20202"))
        rebuilt = features.features()
        self.assertIsNot(rebuilt, first)
        self.assertEqual(rebuilt.trial_stays[rebuilt.index_of("20202")], 1)

    def test_support_amounts_follow_the_household(self) -> None:
        single = features.support_amounts(features.Household(adults=1, children_ages=()))
        family_of_four = features.support_amounts(features.Household(adults=2, children_ages=(3, 6)))
        row = features.features().index_of(OYAMA)
        self.assertGreater(single[row], 0)
        self.assertGreater(family_of_four[row], single[row])  # the relocation grant adds per child
        self.assertTrue((family_of_four >= single).all())

    def test_ranking_runs_a_bounded_number_of_queries(self) -> None:
        wishes = family()
        selectors.region_ranking(wishes=wishes)  # warm the caches
        with self.assertNumQueries(1):  # the data version, one query
            selectors.region_ranking(wishes=wishes)
