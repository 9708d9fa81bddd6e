"""The pure ranking engine: properties (hypothesis) of scores, filters and confidence, and the wording table."""

from datetime import date

import numpy as np
from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nikyoten.matching import ranking
from nikyoten.matching.ranking import FACTORS, Factor
from nikyoten.support.travel_model import Mode, estimate_trip

N_FACTORS = len(FACTORS)
unit = st.floats(min_value=0, max_value=1, allow_nan=False)
maybe_unit = st.one_of(unit, st.just(float("nan")))
weights_strategy = arrays(np.float64, N_FACTORS, elements=st.integers(0, 5).map(float))


def matrix_strategy(rows: int) -> st.SearchStrategy[np.ndarray]:
    return arrays(np.float64, (rows, N_FACTORS), elements=maybe_unit)


def features(
    lat: list[float],
    lng: list[float],
    *,
    trial_stays: list[float] | None = None,
    coworking: list[float] | None = None,
    environment: dict[Factor, list[float]] | None = None,
    living: list[int] | None = None,
) -> ranking.Features:
    n = len(lat)
    nan = [float("nan")] * n
    env = {f: np.array((environment or {}).get(f, nan), dtype=float) for f in ranking.ENVIRONMENT_FACTORS}
    return ranking.Features(
        codes=tuple(f"{i:05d}" for i in range(n)),
        names_ja=tuple(f"町{i}" for i in range(n)),
        names_en=tuple(f"Town {i}" for i in range(n)),
        lat=np.array(lat, dtype=float),
        lng=np.array(lng, dtype=float),
        environment=env,
        trial_stays=np.array(trial_stays or [0.0] * n),
        coworking=np.array(coworking or nan),
        coordinator=np.array(nan),
        vouched_on={Factor.COWORKING: (date(2026, 11, 1),) * n, Factor.COORDINATOR: (None,) * n},
        wanted_life_stages=np.zeros(n, dtype=np.int64),
        wanted_work_styles=np.zeros(n, dtype=np.int64),
        welcomed_living_styles=np.array(living or [0] * n, dtype=np.int64),
    )


def query(**kwargs: object) -> ranking.Query:
    defaults: dict[str, object] = {
        "base_code": "99999",
        "base_name_ja": "新宿区",
        "base_name_en": "Shinjuku",
        "base_lat": 35.69,
        "base_lng": 139.70,
        "weights": {Factor.ACCESS: 3},
    }
    return ranking.Query(**(defaults | kwargs))  # type: ignore[arg-type]


points = st.lists(st.tuples(st.floats(24, 46), st.floats(122, 154)), min_size=1, max_size=60)


class WeightMonotonicityTests(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(
        matrix=matrix_strategy(2),
        weights=weights_strategy,
        factor=st.integers(0, N_FACTORS - 1),
        extra=st.integers(1, 5),
    )
    def test_raising_a_weight_never_narrows_the_lead_of_the_better_row(
        self, matrix: np.ndarray, weights: np.ndarray, factor: int, extra: int
    ) -> None:
        """A's normalised value on f exceeds B's ⇒ a larger w_f never makes score(A) − score(B) smaller."""
        a, b = matrix[0, factor], matrix[1, factor]
        if np.isnan(a) or (not np.isnan(b) and a <= b):
            return
        before, _ = ranking.weighted_scores(matrix, weights)
        raised = weights.copy()
        raised[factor] += extra
        after, _ = ranking.weighted_scores(matrix, raised)
        self.assertGreaterEqual(after[0] - after[1], before[0] - before[1] - 1e-9)

    def test_the_property_can_fail(self) -> None:
        """Dividing by the total weight (a tempting normalisation) breaks it: the test above would catch that."""
        matrix = np.array([[1.0, 0.6] + [np.nan] * (N_FACTORS - 2), [0.0, 0.0] + [np.nan] * (N_FACTORS - 2)])
        weights = np.array([5.0, 1.0] + [0.0] * (N_FACTORS - 2))
        raised = weights.copy()
        raised[1] += 5

        def normalised(w: np.ndarray) -> np.ndarray:
            return ranking.weighted_scores(matrix, w)[0] / w.sum()

        self.assertLess(
            normalised(raised)[0] - normalised(raised)[1], normalised(weights)[0] - normalised(weights)[1]
        )
        self.assertGreater(
            ranking.weighted_scores(matrix, raised)[0][0] - ranking.weighted_scores(matrix, raised)[0][1],
            ranking.weighted_scores(matrix, weights)[0][0] - ranking.weighted_scores(matrix, weights)[0][1],
        )


class ConfidenceTests(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(
        matrix=matrix_strategy(3),
        weights=weights_strategy,
        row=st.integers(0, 2),
        column=st.integers(0, N_FACTORS - 1),
    )
    def test_removing_a_value_never_raises_confidence(
        self, matrix: np.ndarray, weights: np.ndarray, row: int, column: int
    ) -> None:
        _, before = ranking.weighted_scores(matrix, weights)
        missing = matrix.copy()
        missing[row, column] = np.nan
        _, after = ranking.weighted_scores(missing, weights)
        self.assertLessEqual(after[row], before[row] + 1e-12)

    def test_confidence_is_the_weighted_share_of_known_factors(self) -> None:
        matrix = np.full((1, N_FACTORS), np.nan)
        matrix[0, 0] = 0.5
        weights = np.zeros(N_FACTORS)
        weights[0], weights[1] = 3, 2
        scores, confidence = ranking.weighted_scores(matrix, weights)
        self.assertAlmostEqual(confidence[0], 0.6)
        self.assertAlmostEqual(scores[0], 1.5)

    def test_missing_contributes_nothing(self) -> None:
        matrix = np.full((2, N_FACTORS), np.nan)
        matrix[0, 1] = 0.0
        weights = np.ones(N_FACTORS)
        scores, confidence = ranking.weighted_scores(matrix, weights)
        self.assertEqual(scores[0], scores[1])
        self.assertGreater(confidence[0], confidence[1])


class HardFilterTests(SimpleTestCase):
    @settings(max_examples=150, deadline=None)
    @given(points=points, max_km=st.floats(1, 1500))
    def test_never_returns_a_municipality_beyond_the_distance(self, points: list, max_km: float) -> None:
        lat, lng = zip(*points, strict=True)
        result = ranking.rank(features(list(lat), list(lng)), query(max_km=max_km), top=100)
        self.assertTrue(all(r.distance_km is not None and r.distance_km <= max_km for r in result.results))

    @settings(max_examples=150, deadline=None)
    @given(points=points, max_minutes=st.integers(5, 600))
    def test_never_returns_a_municipality_beyond_the_travel_time(
        self, points: list, max_minutes: int
    ) -> None:
        lat, lng = zip(*points, strict=True)
        result = ranking.rank(features(list(lat), list(lng)), query(max_minutes=max_minutes), top=100)
        self.assertTrue(all(r.minutes is not None and r.minutes <= max_minutes for r in result.results))

    def test_the_limit_keeps_what_is_inside(self) -> None:
        # 東京 → 小田原 (~70 km) and → 大阪 (~400 km)
        result = ranking.rank(features([35.26, 34.69], [139.15, 135.50]), query(max_km=150))
        self.assertEqual([r.code for r in result.results], ["00000"])
        self.assertEqual(result.candidates, 1)

    def test_the_base_and_rows_without_a_position_are_out(self) -> None:
        matrix = features([35.69, float("nan"), 35.26], [139.70, float("nan"), 139.15])
        result = ranking.rank(matrix, query(base_code="00000", max_km=500))
        self.assertEqual([r.code for r in result.results], ["00002"])

    @given(distance=st.integers(0, 2500))
    def test_fastest_trip_agrees_with_the_cost_model(self, distance: int) -> None:
        minutes, mode_index = ranking.fastest_trip(np.array([float(distance)]))
        expected = [
            (estimate_trip(mode, float(distance)).one_way_minutes, i)
            for i, mode in enumerate(Mode)
            if estimate_trip(mode, float(distance)).applicable
        ]
        best = min(expected)
        self.assertEqual((minutes[0], mode_index[0]), best)


class DeterminismTests(SimpleTestCase):
    @settings(max_examples=100, deadline=None)
    @given(points=points, weights=st.dictionaries(st.sampled_from(FACTORS), st.integers(0, 5)))
    def test_same_input_same_ranking(self, points: list, weights: dict) -> None:
        lat, lng = zip(*points, strict=True)
        matrix = features(list(lat), list(lng), trial_stays=[float(i % 3) for i in range(len(lat))])
        first = ranking.rank(matrix, query(weights=weights), top=100)
        second = ranking.rank(matrix, query(weights=weights), top=100)
        self.assertEqual(first, second)

    def test_ties_are_broken_by_code(self) -> None:
        matrix = features([35.0, 35.0, 35.0], [139.0, 139.0, 139.0])
        result = ranking.rank(matrix, query(weights={Factor.TRIAL_STAY: 3}))
        self.assertEqual([r.code for r in result.results], ["00000", "00001", "00002"])


class PercentileTests(SimpleTestCase):
    @given(
        arrays(
            np.float64, st.integers(1, 50), elements=st.one_of(st.floats(-1e6, 1e6), st.just(float("nan")))
        )
    )
    def test_strictly_better_values_rank_strictly_higher(self, values: np.ndarray) -> None:
        ranks = ranking.percentile_rank(values)
        self.assertTrue(np.array_equal(np.isnan(ranks), np.isnan(values)))
        known = ~np.isnan(values)
        for i in np.flatnonzero(known):
            for j in np.flatnonzero(known):
                if values[i] > values[j]:
                    self.assertGreater(ranks[i], ranks[j])
        if known.any():
            self.assertTrue(((ranks[known] >= 0) & (ranks[known] <= 1)).all())

    def test_rows_outside_the_pool_are_placed_against_it(self) -> None:
        values = np.array([1.0, 2.0, 3.0, 10.0, 0.5, np.nan])
        among = np.array([True, True, True, False, False, True])
        np.testing.assert_array_equal(ranking.percentile_rank(values, among)[:5], [0.0, 0.5, 1.0, 1.0, 0.0])
        self.assertTrue(np.isnan(ranking.percentile_rank(values, among)[5]))

    def test_ties_share_the_lower_rank(self) -> None:
        ranks = ranking.percentile_rank(np.array([0.0, 0.0, 0.0, 5.0, np.nan]))
        np.testing.assert_array_equal(ranks[:4], [0.0, 0.0, 0.0, 1.0])


class ResultTests(SimpleTestCase):
    def test_every_weighted_factor_is_explained_and_missing_ones_lower_confidence(self) -> None:
        matrix = features(
            [35.26, 35.36],
            [139.15, 138.73],
            trial_stays=[2.0, 0.0],
            coworking=[1.0, float("nan")],
            living=[ranking.bits(ranking.LIVING_STYLES, ["telework"]), 0],
        )
        weights = {
            Factor.ACCESS: 3,
            Factor.TRIAL_STAY: 5,
            Factor.CHILDCARE: 5,
            Factor.COWORKING: 2,
            Factor.REGION_FIT: 2,
        }
        result = ranking.rank(
            matrix,
            query(
                weights=weights,
                living_styles=ranking.bits(ranking.LIVING_STYLES, ["telework"]),
                trips_per_month=8,
            ),
        )
        first = result.results[0]
        self.assertEqual(first.code, "00000")
        self.assertEqual([c.factor for c in first.contributions], [f for f in FACTORS if f in weights])
        texts = {c.factor: c.text_ja for c in first.contributions}
        self.assertEqual(texts[Factor.TRIAL_STAY], "お試し住宅あり（2件）")
        self.assertEqual(texts[Factor.CHILDCARE], "保育所: データなし")
        self.assertEqual(texts[Factor.COWORKING], "コワーキングスペースあり（自治体が2026年11月1日に確認）")
        self.assertEqual(texts[Factor.REGION_FIT], "地域が求める人物像に合う: テレワーク型")
        self.assertRegex(
            texts[Factor.ACCESS],
            r"^新幹線で新宿区から約\d+分（直線 約\d+ km、推定）。月8回の往復で約[\d.]+時間$",
        )
        self.assertAlmostEqual(first.confidence, 12 / 17)
        self.assertAlmostEqual(first.score, sum(c.contribution for c in first.contributions))
        second = result.results[1]
        self.assertAlmostEqual(second.confidence, 8 / 17)  # childcare, coworking and region fit unknown


class WordingTests(SimpleTestCase):
    def test_percent_bands(self) -> None:
        for normalised, expected in [
            (1.0, (True, 10)),
            (0.95, (True, 10)),
            (0.9, (True, 10)),
            (0.85, (True, 20)),
            (0.5, (True, 50)),
            (0.49, (False, 50)),
            (0.2, (False, 20)),
            (0.0, (False, 10)),
        ]:
            with self.subTest(normalised=normalised):
                self.assertEqual(ranking.percent_band(normalised), expected)

    def test_environment_sentences(self) -> None:
        for factor, normalised, ja, en in [
            (Factor.CHILDCARE, 0.95, "保育所が人口比で上位10%", "Nurseries per child: top 10% nationally"),
            (Factor.CHILDCARE, 0.1, "保育所が人口比で下位10%", "Nurseries per child: bottom 10% nationally"),
            (
                Factor.HOSPITALS,
                0.75,
                "病院・診療所が人口比で上位30%",
                "Hospitals and clinics per resident: top 30% nationally",
            ),
            (
                Factor.LOW_HAZARD,
                0.92,
                "浸水想定区域の割合が低い（全国で低い方から10%）",
                "Small share of flood-risk area (lowest 10% nationally)",
            ),
            (
                Factor.LOW_HAZARD,
                0.3,
                "浸水想定区域の割合が高い（全国で高い方から30%）",
                "Large share of flood-risk area (highest 30% nationally)",
            ),
            (Factor.STATION, 0.6, "駅の乗降客数が全国で上位40%", "Station ridership: top 40% nationally"),
            (
                Factor.SCHOOLS,
                0.99,
                "小中学校が子どもの数に比べて上位10%",
                "Schools per child: top 10% nationally",
            ),
        ]:
            with self.subTest(factor=factor, normalised=normalised):
                words = ranking.environment_words(factor, 1.0, normalised)
                self.assertEqual((words.text_ja, words.text_en), (ja, en))

    def test_other_sentences(self) -> None:
        params = ranking.parameters_for(Mode.SHINKANSEN)
        for words, ja, en in [
            (ranking.trial_stay_words(2), "お試し住宅あり（2件）", "Trial stays available (2)"),
            (ranking.trial_stay_words(0), "予約できるお試し住宅の掲載なし", "No bookable trial stay listed"),
            (
                ranking.support_words(1_000_000),
                "受けられる支援の合計 最大100万円",
                "Support programs: up to 1,000,000 yen in total",
            ),
            (
                ranking.support_words(0),
                "この世帯が受けられる支援制度は掲載なし",
                "No listed support program for this household",
            ),
            (
                ranking.vouched_words(Factor.COORDINATOR, True, date(2026, 4, 1)),
                "移住コーディネーターがいる（自治体が2026年4月1日に確認）",
                "A coordinator for newcomers (vouched for by the region on 1 Apr 2026)",
            ),
            (
                ranking.vouched_words(Factor.COWORKING, False, None),
                "コワーキングスペースなし",
                "No coworking space",
            ),
            (
                ranking.region_fit_words(
                    matched=[("テレワーク型", "telework"), ("子育て世帯", "families with children")],
                    share=1.0,
                ),
                "地域が求める人物像に合う: テレワーク型、子育て世帯",
                "The region is looking for: telework, families with children",
            ),
            (
                ranking.region_fit_words(matched=[], share=0.0),
                "地域が発信している求める人物像とは重ならない",
                "Not the people this region says it wants",
            ),
            (ranking.missing_words(Factor.LOW_HAZARD), "災害リスクの低さ: データなし", "Low hazard: no data"),
            (
                ranking.access_words(
                    base_ja="新宿区",
                    base_en="Shinjuku",
                    mode=Mode.SHINKANSEN,
                    minutes=60,
                    distance_km=98.6,
                    trips_per_month=0,
                    params=params,
                ),
                "新幹線で新宿区から約60分（直線 約99 km、推定）",
                "About 60 min from Shinjuku by Shinkansen (99 km as the crow flies; estimate)",
            ),
            (
                ranking.access_words(
                    base_ja="新宿区",
                    base_en="Shinjuku",
                    mode=Mode.CAR,
                    minutes=95,
                    distance_km=80,
                    trips_per_month=8,
                    params=params,
                ),
                "自家用車で新宿区から約95分（直線 約80 km、推定）。月8回の往復で約25.5時間",
                "About 95 min from Shinjuku by Private car (80 km as the crow flies; estimate); 8 round trips a month take about 25.5 hours",
            ),
        ]:
            with self.subTest(ja=ja):
                self.assertEqual((words.text_ja, words.text_en), (ja, en))

    def test_bits(self) -> None:
        self.assertEqual(ranking.bits(ranking.LIVING_STYLES, ["parallel", "villa", "nope"]), 0b101)
