"""The two-base cost simulator: travel model, pass choice, programs, totals, validation, comparison, chart."""

import dataclasses
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nikyoten.core.exceptions import ApplicationError
from nikyoten.core.geo import great_circle_km
from nikyoten.support.cost import (
    CATEGORIES,
    Base,
    CostInput,
    CostInputInvalid,
    Subsidy,
    chart_series,
    compare,
    simulate,
    svg_chart,
    validate,
)
from nikyoten.support.travel_model import (
    DEFAULT_PARAMETERS,
    Mode,
    RouteFare,
    applicable_modes,
    estimate_trip,
)

TOKYO = Base("13101", "千代田区", 35.6812, 139.7671, "Chiyoda")  # 東京駅
OYAMA = Base("09208", "小山市", 36.3147, 139.8006, "Oyama")  # 小山駅
OSAKA = Base("27127", "大阪市北区", 34.7025, 135.4959, "Kita, Osaka")  # 大阪駅
SENDAI = Base("04101", "仙台市青葉区", 38.2601, 140.8822, "Aoba, Sendai")  # 仙台駅
FUKUOKA = Base("40132", "福岡市博多区", 33.5897, 130.4207, "Hakata, Fukuoka")  # 博多駅
KARUIZAWA = Base("20321", "軽井沢町", 36.3428, 138.6353, "Karuizawa")  # 軽井沢駅
OYAMA_SUBSIDY = Subsidy("小山市 新幹線通勤定期券補助", "Oyama Shinkansen commuter pass subsidy", 10_000, 36)


def make_input(**overrides):
    values = {"base_a": TOKYO, "base_b": OYAMA, "mode": Mode.SHINKANSEN, "trips_per_month": 4.0}
    values.update(overrides)
    return CostInput(**values)


def errors_of(cost_input):
    return {(error.field, error.code): error for error in validate(cost_input)}


# --- travel_model ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected_km", "tolerance"),
    [
        (TOKYO, OYAMA, 70.5, 1),
        (TOKYO, OSAKA, 400, 5),
        (TOKYO, SENDAI, 306, 5),
        (TOKYO, FUKUOKA, 880, 10),
        (TOKYO, TOKYO, 0, 1e-9),
    ],
)
def test_great_circle_km(a, b, expected_km, tolerance):
    distance = great_circle_km(a.lat, a.lng, b.lat, b.lng)
    assert distance == pytest.approx(expected_km, abs=tolerance)
    assert great_circle_km(b.lat, b.lng, a.lat, a.lng) == pytest.approx(distance)


def test_great_circle_km_antipodes_is_half_the_circumference():
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(3.141592653589793 * 6371.0088)


@pytest.mark.parametrize("mode", list(Mode))
def test_each_mode_scales_with_distance(mode):
    params = DEFAULT_PARAMETERS[mode]
    distances = [300, 450, 600, 900]
    estimates = [estimate_trip(mode, distance, params) for distance in distances]
    fares = [estimate.one_way_yen for estimate in estimates]
    minutes = [estimate.one_way_minutes for estimate in estimates]
    assert fares == sorted(fares) and len(set(fares)) == len(fares)
    assert minutes == sorted(minutes) and len(set(minutes)) == len(minutes)
    for distance, estimate in zip(distances, estimates, strict=True):
        assert estimate.network_km == pytest.approx(distance * params.route_factor, abs=0.05)
        expected = params.base_fare_yen + params.fare_per_km_yen * distance * params.route_factor
        assert abs(estimate.one_way_yen - expected) <= 5
        assert estimate.one_way_yen % 10 == 0 and estimate.one_way_minutes % 5 == 0


@pytest.mark.parametrize(
    ("mode", "one_way_yen", "minutes", "monthly_pass"),
    [
        # Tokyo–Oyama (70.5 km great-circle) with the documented defaults; a change to the data shows here.
        (Mode.SHINKANSEN, 4170, 55, 100_080),
        (Mode.CONVENTIONAL_RAIL, 1560, 115, 39_000),
        (Mode.HIGHWAY_BUS, 1600, 110, None),
        (Mode.CAR, 3740, 90, None),
    ],
)
def test_tokyo_oyama_estimates(mode, one_way_yen, minutes, monthly_pass):
    estimate = estimate_trip(mode, great_circle_km(TOKYO.lat, TOKYO.lng, OYAMA.lat, OYAMA.lng))
    assert (estimate.one_way_yen, estimate.one_way_minutes, estimate.monthly_pass_yen) == (
        one_way_yen,
        minutes,
        monthly_pass,
    )
    assert estimate.applicable
    assert mode.label_ja in estimate.note_ja and "推定値" in estimate.note_ja


@pytest.mark.parametrize(
    ("mode", "distance", "applicable"),
    [
        (Mode.PLANE, 70.5, False),
        (Mode.PLANE, 299.9, False),
        (Mode.PLANE, 300, True),
        (Mode.PLANE, 1500, True),
        (Mode.SHINKANSEN, 10, False),
        (Mode.SHINKANSEN, 70.5, True),
        (Mode.CONVENTIONAL_RAIL, 5, True),
        (Mode.CONVENTIONAL_RAIL, 880, False),
        (Mode.HIGHWAY_BUS, 20, False),
        (Mode.CAR, 5, True),
        (Mode.CAR, 1500, False),
    ],
)
def test_mode_applicability(mode, distance, applicable):
    estimate = estimate_trip(mode, distance)
    assert estimate.applicable is applicable
    if not applicable:
        assert "限ります" in estimate.note_ja and "only" in estimate.note_en


def test_applicable_modes_by_distance():
    assert applicable_modes(70.5) == [Mode.SHINKANSEN, Mode.CONVENTIONAL_RAIL, Mode.HIGHWAY_BUS, Mode.CAR]
    assert applicable_modes(400) == list(Mode)
    assert applicable_modes(2000) == [Mode.PLANE]


def test_every_default_has_both_source_notes_and_labels():
    for mode, params in DEFAULT_PARAMETERS.items():
        assert "推定値" in params.source_ja and "Estimate" in params.source_en
        assert mode.label_ja and mode.label_en
    assert [mode.label_ja for mode in Mode] == ["新幹線", "在来線", "高速バス", "自家用車", "飛行機"]


def test_custom_parameters_replace_the_defaults():
    params = {
        Mode.SHINKANSEN: replace(DEFAULT_PARAMETERS[Mode.SHINKANSEN], base_fare_yen=0, fare_per_km_yen=10)
    }
    result = simulate(make_input(parameters=params))
    assert result.one_way_yen == 880  # 0 + 10 × 88.1 km, to 10 yen
    default = simulate(make_input())
    assert default.one_way_yen == 4170


# --- route fares -------------------------------------------------------------------------------------------


def test_route_fare_replaces_the_estimate():
    fare = RouteFare(
        Mode.SHINKANSEN,
        one_way_yen=3880,
        monthly_pass_yen=91_000,
        one_way_minutes=45,
        source_ja="JR東日本 小山–東京 新幹線定期 1か月",
        source_en="JR East Oyama–Tokyo Shinkansen pass, 1 month",
    )
    result = simulate(make_input(route_fare=fare, trips_per_month=20))
    assert (result.one_way_yen, result.one_way_minutes, result.monthly_pass_yen) == (3880, 45, 91_000)
    assert result.uses_pass and result.travel_monthly == 91_000
    sentences_ja = " ".join(ja for ja, _ in result.assumptions)
    sentences_en = " ".join(en for _, en in result.assumptions)
    assert "JR東日本 小山–東京 新幹線定期 1か月" in sentences_ja
    assert "JR East Oyama–Tokyo Shinkansen pass" in sentences_en


def test_route_fare_replaces_only_what_it_gives():
    estimated = simulate(make_input())
    result = simulate(make_input(route_fare=RouteFare(Mode.SHINKANSEN, monthly_pass_yen=91_000)))
    assert result.one_way_yen == estimated.one_way_yen
    assert result.one_way_minutes == estimated.one_way_minutes
    assert result.monthly_pass_yen == 91_000
    # A one-way fare alone: the pass follows it through the commuter-pass factor.
    result = simulate(make_input(route_fare=RouteFare(Mode.SHINKANSEN, one_way_yen=4000)))
    assert result.one_way_yen == 4000 and result.monthly_pass_yen == 4000 * 24


def test_a_real_fare_lifts_the_distance_range():
    assert ("mode", "mode_not_applicable") in errors_of(make_input(mode=Mode.PLANE))
    result = simulate(make_input(mode=Mode.PLANE, route_fare=RouteFare(Mode.PLANE, one_way_yen=9000)))
    assert result.one_way_yen == 9000


# --- pass or fares -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trips", "uses_pass", "travel"),
    [
        (0, False, 0),
        (4, False, 8 * 4000),
        (11, False, 22 * 4000),  # 88,000 < 91,000
        (11.375, False, 91_000),  # equal: fares, not the pass
        (12, True, 91_000),  # 96,000 > 91,000
        (62, True, 91_000),
    ],
)
def test_pass_or_fares(trips, uses_pass, travel):
    fare = RouteFare(Mode.SHINKANSEN, one_way_yen=4000, monthly_pass_yen=91_000)
    result = simulate(make_input(trips_per_month=trips, route_fare=fare))
    assert result.uses_pass is uses_pass
    assert result.travel_monthly == travel
    assert all(row.travel == travel for row in result.monthly_rows)
    sentence = " ".join(ja for ja, _ in result.assumptions)
    assert ("定期券で計算" in sentence) is uses_pass
    assert ("毎回の運賃で計算" in sentence) is not uses_pass


def test_modes_without_a_pass_pay_each_trip():
    result = simulate(make_input(mode=Mode.HIGHWAY_BUS, trips_per_month=62))
    assert result.monthly_pass_yen is None and not result.uses_pass
    assert result.travel_monthly == 62 * 2 * result.one_way_yen
    assert any("定期券は想定していません" in ja for ja, _ in result.assumptions)


def test_travel_rounds_half_up_at_the_month():
    fare = RouteFare(Mode.SHINKANSEN, one_way_yen=1001)
    assert simulate(make_input(trips_per_month=0.25, route_fare=fare)).travel_monthly == 501  # 500.5
    assert simulate(make_input(trips_per_month=0.1, route_fare=fare)).travel_monthly == 200  # 200.2


# --- months, programs, totals ------------------------------------------------------------------------------


def test_subsidy_10000_for_36_months():
    without = simulate(make_input(trips_per_month=20, second_home_rent_monthly=50_000))
    with_subsidy = simulate(
        make_input(trips_per_month=20, second_home_rent_monthly=50_000, subsidies=(OYAMA_SUBSIDY,))
    )
    assert without.net_total - with_subsidy.net_total == 360_000
    assert with_subsidy.totals["subsidies"] == -360_000
    assert [row.subsidies for row in with_subsidy.monthly_rows[:36]] == [-10_000] * 36
    assert [row.subsidies for row in with_subsidy.monthly_rows[36:]] == [0] * 24
    for before, after in zip(without.monthly_rows, with_subsidy.monthly_rows, strict=True):
        assert before.net - after.net == (10_000 if before.month <= 36 else 0)
    sentence = next(ja for ja, _ in with_subsidy.assumptions if "小山市 新幹線通勤定期券補助" in ja)
    assert "月 10,000 円 × 36 か月（1〜36 か月目）" in sentence and "計 360,000 円" in sentence


def test_subsidy_beyond_the_period_is_cut_and_said():
    result = simulate(make_input(months=24, subsidies=(OYAMA_SUBSIDY,)))
    assert result.totals["subsidies"] == -240_000
    assert any("期間（24 か月）外の 120,000 円は含みません" in ja for ja, _ in result.assumptions)


def test_subsidy_starting_later():
    subsidy = Subsidy("家賃補助", "Rent support", monthly_yen=20_000, months=12, start_month=7)
    rows = simulate(make_input(subsidies=(subsidy,))).monthly_rows
    assert [row.month for row in rows if row.subsidies] == list(range(7, 19))


def test_one_time_subsidy_in_its_month():
    subsidy = Subsidy("移住支援金", "Relocation grant", one_time_yen=1_000_000, one_time_month=5)
    rows = simulate(make_input(subsidies=(subsidy,))).monthly_rows
    assert [(row.month, row.subsidies) for row in rows if row.subsidies] == [(5, -1_000_000)]
    assert rows[4].net < 0  # money received that month
    assert rows[3].net > 0


def test_one_time_costs_in_month_one():
    rows = simulate(make_input(one_time_costs=300_000)).monthly_rows
    assert [(row.month, row.one_time) for row in rows if row.one_time] == [(1, 300_000)]


def test_totals_equal_the_sum_of_rows():
    result = simulate(
        make_input(
            trips_per_month=3.5,
            second_home_rent_monthly=45_000,
            utilities_monthly=12_000,
            internet_monthly=5_500,
            car_monthly=30_000,
            one_time_costs=250_000,
            subsidies=(OYAMA_SUBSIDY, Subsidy("移住支援金", "Relocation grant", one_time_yen=600_000)),
        )
    )
    for category in CATEGORIES:
        assert result.totals[category] == sum(getattr(row, category) for row in result.monthly_rows)
    for row in result.monthly_rows:
        assert row.net == sum(getattr(row, category) for category in CATEGORIES)
    assert result.totals["net"] == result.net_total == sum(row.net for row in result.monthly_rows)
    assert [row.month for row in result.monthly_rows] == list(range(1, 61))
    assert result.monthly_rows[0].subsidies == -610_000  # both programs in month 1


@pytest.mark.parametrize(
    ("months", "first_year_months", "five_year_months"),
    [(6, 6, 6), (24, 12, 24), (60, 12, 60), (120, 12, 60)],
)
def test_first_year_and_five_year_net(months, first_year_months, five_year_months):
    result = simulate(make_input(months=months, second_home_rent_monthly=40_000, one_time_costs=100_000))
    monthly = result.travel_monthly + 40_000
    assert len(result.monthly_rows) == months
    assert result.first_year_net == 100_000 + monthly * first_year_months
    assert result.five_year_net == 100_000 + monthly * five_year_months
    assert result.net_total == 100_000 + monthly * months


def test_monthly_average_rounds_half_up():
    result = simulate(make_input(trips_per_month=0, months=2, one_time_costs=1))
    assert result.net_total == 1 and result.monthly_average_net == 1  # 0.5 → 1
    result = simulate(make_input(trips_per_month=0, months=3, one_time_costs=4))
    assert result.monthly_average_net == 1  # 1.33 → 1


def test_assumptions_name_distance_model_source_and_estimate():
    result = simulate(make_input())
    ja = " ".join(sentence for sentence, _ in result.assumptions)
    en = " ".join(sentence for _, sentence in result.assumptions)
    assert "約 70.5 km" in ja and "about 70.5 km" in en
    assert DEFAULT_PARAMETERS[Mode.SHINKANSEN].source_ja in ja
    assert DEFAULT_PARAMETERS[Mode.SHINKANSEN].source_en in en
    assert "概算（推定値）" in ja and "estimates" in en
    assert len(result.assumptions) >= 5 and all(ja and en for ja, en in result.assumptions)


# --- validation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "code", "ja", "en"),
    [
        ({"base_b": TOKYO}, "base_b", "same_base", "同じ市区町村", "same municipality"),
        ({"base_b": Base("99999", "どこか", 91.0, 0.0)}, "base_b", "invalid_point", "緯度・経度", "latitude"),
        ({"trips_per_month": -1}, "trips_per_month", "trips_out_of_range", "0〜62 回", "between 0 and 62"),
        ({"trips_per_month": 62.5}, "trips_per_month", "trips_out_of_range", "0〜62 回", "between 0 and 62"),
        ({"trips_per_month": float("nan")}, "trips_per_month", "trips_out_of_range", "0〜62 回", "0 and 62"),
        ({"months": 0}, "months", "months_out_of_range", "1〜120 か月", "between 1 and 120"),
        ({"months": 121}, "months", "months_out_of_range", "1〜120 か月", "between 1 and 120"),
        ({"second_home_rent_monthly": -1}, "second_home_rent_monthly", "negative_amount", "家賃", "rent"),
        ({"utilities_monthly": -1}, "utilities_monthly", "negative_amount", "光熱費", "utilities"),
        ({"internet_monthly": -1}, "internet_monthly", "negative_amount", "通信費", "internet"),
        ({"car_monthly": -1}, "car_monthly", "negative_amount", "自動車費", "car costs"),
        ({"one_time_costs": -1}, "one_time_costs", "negative_amount", "一時費用", "One-time"),
        (
            {"mode": Mode.PLANE},
            "mode",
            "mode_not_applicable",
            "飛行機の推定は使えません（直線距離 300 km 以上が対象）。この距離で使える交通手段: 新幹線、在来線、高速バス、自家用車。",
            "Modes that fit this distance: Shinkansen, Conventional rail, Highway bus, Private car.",
        ),
        (
            {"mode": Mode.CONVENTIONAL_RAIL, "base_b": FUKUOKA},
            "mode",
            "mode_not_applicable",
            "使える交通手段: 新幹線、高速バス、自家用車、飛行機",
            "Shinkansen, Highway bus, Private car, Plane",
        ),
        (
            {"route_fare": RouteFare(Mode.CAR, one_way_yen=3000)},
            "route_fare",
            "route_fare_mode_mismatch",
            "自家用車のもの",
            "for Private car",
        ),
        (
            {"route_fare": RouteFare(Mode.SHINKANSEN, monthly_pass_yen=-5)},
            "route_fare.monthly_pass_yen",
            "negative_amount",
            "定期代",
            "pass price",
        ),
        (
            {"subsidies": (Subsidy("補助", "Aid", monthly_yen=-1, months=3),)},
            "subsidies.0.monthly_yen",
            "negative_amount",
            "支援制度「補助」の月額",
            "monthly amount",
        ),
        (
            {"subsidies": (Subsidy("補助", "Aid", months=-1),)},
            "subsidies.0.months",
            "negative_amount",
            "月数",
            "number of months",
        ),
        (
            {"subsidies": (Subsidy("補助", "Aid", one_time_yen=-1),)},
            "subsidies.0.one_time_yen",
            "negative_amount",
            "一時金",
            "lump sum",
        ),
        (
            {"subsidies": (Subsidy("補助", "Aid", monthly_yen=1, months=1, start_month=0),)},
            "subsidies.0.start_month",
            "month_out_of_range",
            "開始月",
            "first month",
        ),
        (
            {"subsidies": (Subsidy("補助", "Aid", one_time_yen=1, one_time_month=0),)},
            "subsidies.0.one_time_month",
            "month_out_of_range",
            "一時金の月",
            "lump sum",
        ),
        (
            {"parameters": {Mode.SHINKANSEN: replace(DEFAULT_PARAMETERS[Mode.SHINKANSEN], speed_kmh=0)}},
            "parameters",
            "invalid_parameters",
            "パラメータ",
            "parameters",
        ),
    ],
)
def test_validation_messages(overrides, field, code, ja, en):
    cost_input = make_input(**overrides)
    errors = errors_of(cost_input)
    assert (field, code) in errors, errors
    assert ja in errors[(field, code)].message_ja
    assert en in errors[(field, code)].message_en
    with pytest.raises(CostInputInvalid) as raised:
        simulate(cost_input)
    assert isinstance(raised.value, ApplicationError)
    assert (field, code) in {(error.field, error.code) for error in raised.value.errors}
    assert ja in raised.value.message or ja in " ".join(raised.value.fields[field])


def test_valid_input_has_no_errors():
    assert validate(make_input()) == []
    assert validate(make_input(base_b=OSAKA, mode=Mode.PLANE)) == []


def test_every_error_is_reported_at_once():
    errors = errors_of(make_input(trips_per_month=-1, months=0, car_monthly=-5, mode=Mode.PLANE))
    assert set(errors) == {
        ("trips_per_month", "trips_out_of_range"),
        ("months", "months_out_of_range"),
        ("car_monthly", "negative_amount"),
        ("mode", "mode_not_applicable"),
    }


# --- comparison --------------------------------------------------------------------------------------------


def test_compare_returns_one_result_per_candidate_in_order():
    base_input = make_input(trips_per_month=4, second_home_rent_monthly=60_000, subsidies=(OYAMA_SUBSIDY,))
    results = compare(base_input, [OYAMA, KARUIZAWA, SENDAI, OSAKA])
    assert [result.base_b for result in results] == [OYAMA, KARUIZAWA, SENDAI, OSAKA]
    assert all(result.base_a == TOKYO and result.mode is Mode.SHINKANSEN for result in results)
    assert results[0] == simulate(base_input)
    distances = [result.distance_km for result in results]
    assert distances == sorted(distances)
    assert [r.net_total for r in results] == sorted(r.net_total for r in results)


def test_compare_refuses_five_candidates_and_none():
    with pytest.raises(CostInputInvalid) as raised:
        compare(make_input(), [OYAMA, KARUIZAWA, SENDAI, OSAKA, FUKUOKA])
    [error] = raised.value.errors
    assert error.code == "too_many_candidates"
    assert "4 つまで" in error.message_ja and "Up to 4" in error.message_en
    with pytest.raises(CostInputInvalid) as raised:
        compare(make_input(), [])
    assert [error.code for error in raised.value.errors] == ["no_candidates"]


def test_compare_names_the_candidate_that_fails():
    with pytest.raises(CostInputInvalid) as raised:
        compare(make_input(), [OYAMA, TOKYO, OYAMA])
    by_field = {error.field: error for error in raised.value.errors}
    assert by_field["candidates.1.base_b"].code == "same_base"
    assert by_field["candidates.1.base_b"].message_ja.startswith("候補 2（千代田区）: ")
    assert by_field["candidates.2"].code == "duplicate_candidate"


# --- chart -------------------------------------------------------------------------------------------------


def test_chart_series_is_the_running_net():
    result = simulate(make_input(months=14, one_time_costs=100_000, subsidies=(OYAMA_SUBSIDY,)))
    series = chart_series(result)
    assert [month for month, _ in series] == list(range(1, 15))
    running = 0
    for (_, value), row in zip(series, result.monthly_rows, strict=True):
        running += row.net
        assert value == running
    assert series[-1][1] == result.net_total


def test_svg_chart_is_accessible_escaped_and_has_one_line_per_result():
    strange = Base("99001", "<script>alert(1)</script> & 町", 36.0, 139.0)
    results = compare(make_input(), [OYAMA, KARUIZAWA, strange])
    svg = svg_chart(results, title='費用 <比較> & "累計"')
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="cost-chart-title cost-chart-desc"' in svg
    assert '<title id="cost-chart-title">費用 &lt;比較&gt; &amp; &quot;累計&quot;</title>' in svg
    assert svg.count("<polyline") == 3
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "累計（円）" in svg and "月（か月目）" in svg and "万円" in svg
    english = svg_chart(results, title="Cost", language="en")
    assert "Cumulative net (yen)" in english and "Month" in english and "¥" in english
    # The last point of each line is the result's total, at the right edge.
    points = re.findall(r'points="([^"]+)"', svg)
    ends = [float(line.split()[-1].split(",")[0]) for line in points]
    assert ends == [640 - 16] * 3


def test_svg_chart_handles_negative_totals_and_no_results():
    grant = Subsidy("移住支援金", "Relocation grant", one_time_yen=5_000_000)
    svg = svg_chart([simulate(make_input(subsidies=(grant,)))], title="t")
    assert "-" in re.search(r'<text x="78"[^>]*>([^<]+)</text>', svg).group(1)
    empty = svg_chart([], title="空")
    assert "<polyline" not in empty and "データなし" in empty


# --- properties --------------------------------------------------------------------------------------------

_BASES = [OYAMA, OSAKA, KARUIZAWA, SENDAI, FUKUOKA]
trips = st.floats(0, 62, allow_nan=False, allow_infinity=False)
amounts = st.integers(0, 300_000)
subsidies_strategy = st.builds(
    Subsidy,
    st.just("補助"),
    st.just("Aid"),
    monthly_yen=st.integers(0, 100_000),
    months=st.integers(0, 150),
    start_month=st.integers(1, 130),
    one_time_yen=st.integers(0, 3_000_000),
    one_time_month=st.integers(1, 130),
)


@st.composite
def cost_inputs(draw):
    base_b = draw(st.sampled_from(_BASES))
    distance = great_circle_km(TOKYO.lat, TOKYO.lng, base_b.lat, base_b.lng)
    mode = draw(st.sampled_from(applicable_modes(distance)))
    subsidies = draw(st.lists(subsidies_strategy, max_size=3))
    route_fare = draw(
        st.none()
        | st.builds(
            RouteFare,
            st.just(mode),
            one_way_yen=st.none() | st.integers(0, 40_000),
            monthly_pass_yen=st.none() | st.integers(0, 400_000),
            one_way_minutes=st.none() | st.integers(0, 600),
        )
    )
    return CostInput(
        base_a=TOKYO,
        base_b=base_b,
        mode=mode,
        trips_per_month=draw(trips),
        months=draw(st.integers(1, 120)),
        second_home_rent_monthly=draw(amounts),
        utilities_monthly=draw(amounts),
        internet_monthly=draw(amounts),
        car_monthly=draw(amounts),
        one_time_costs=draw(st.integers(0, 2_000_000)),
        route_fare=route_fare,
        subsidies=tuple(subsidies),
    )


@settings(deadline=None)
@given(cost_inputs(), trips, trips)
def test_net_total_is_monotonic_in_trips(cost_input, t1, t2):
    low, high = sorted((t1, t2))
    assert (
        simulate(replace(cost_input, trips_per_month=low)).net_total
        <= simulate(replace(cost_input, trips_per_month=high)).net_total
    )


@settings(deadline=None)
@given(cost_inputs(), amounts, amounts)
def test_net_total_is_monotonic_in_rent(cost_input, r1, r2):
    low, high = sorted((r1, r2))
    assert (
        simulate(replace(cost_input, second_home_rent_monthly=low)).net_total
        <= simulate(replace(cost_input, second_home_rent_monthly=high)).net_total
    )


@settings(deadline=None)
@given(cost_inputs(), subsidies_strategy)
def test_adding_a_subsidy_lowers_the_net_by_at_most_its_total(cost_input, subsidy):
    before = simulate(cost_input).net_total
    after = simulate(replace(cost_input, subsidies=(*cost_input.subsidies, subsidy))).net_total
    assert 0 <= before - after <= subsidy.total_yen
    monthly_within = subsidy.months == 0 or subsidy.start_month + subsidy.months - 1 <= cost_input.months
    if monthly_within and subsidy.one_time_month <= cost_input.months:
        assert before - after == subsidy.total_yen  # programs stack: each one counts in full


@settings(deadline=None)
@given(cost_inputs())
def test_rows_add_up_and_results_are_deterministic(cost_input):
    result = simulate(cost_input)
    assert sum(row.net for row in result.monthly_rows) == result.net_total
    assert len(result.monthly_rows) == cost_input.months
    assert result.five_year_net == sum(row.net for row in result.monthly_rows[:60])
    assert all(isinstance(value, int) for row in result.monthly_rows for value in dataclasses.astuple(row))
    assert all(row.travel >= 0 and row.subsidies <= 0 for row in result.monthly_rows)
    again = simulate(replace(cost_input))
    assert again == result
    assert svg_chart([again], title="t") == svg_chart([result], title="t")
