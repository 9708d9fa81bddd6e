"""和暦: era years for years and dates (table-driven), properties over every year and day, the template filters."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from nikyoten.core.dates import (
    ERAS,
    era_year_of_date,
    era_year_of_year,
    wareki_date,
    wareki_year,
    year_from_wareki,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1868, "明治元年"),
        (1911, "明治44年"),
        (1912, "大正元年"),
        (1925, "大正14年"),
        (1926, "昭和元年"),
        (1978, "昭和53年"),
        (1988, "昭和63年"),
        (1989, "平成元年"),
        (2018, "平成30年"),
        (2019, "令和元年"),
        (2024, "令和6年"),
    ],
)
def test_year_alone_takes_the_later_era_in_a_shared_year(year: int, expected: str) -> None:
    assert wareki_year(year) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
    ],
)
def test_a_date_takes_the_era_in_force_that_day(day: date, expected: str) -> None:
    assert wareki_date(day) == expected


def test_before_meiji_is_refused() -> None:
    with pytest.raises(ValueError):
        wareki_year(1867)
    with pytest.raises(ValueError):
        wareki_date(date(1867, 12, 31))
    with pytest.raises(ValueError):
        year_from_wareki("慶応", 3)


years = st.integers(min_value=1868, max_value=2200)
days = st.dates(min_value=date(1868, 1, 1), max_value=date(2200, 12, 31))


@given(years)
def test_year_round_trips(year: int) -> None:
    era_year = era_year_of_year(year)
    assert era_year.year >= 1
    assert year_from_wareki(era_year.era.name, era_year.year) == year


@given(years)
def test_eras_never_go_back_as_years_go_on(year: int) -> None:
    assert ERAS.index(era_year_of_year(year + 1).era) >= ERAS.index(era_year_of_year(year).era)


@given(days)
def test_a_date_and_its_year_agree_except_in_the_year_an_era_begins(day: date) -> None:
    by_date, by_year = era_year_of_date(day), era_year_of_year(day.year)
    if by_date.era != by_year.era:
        assert by_year.era.start.year == day.year and by_year.year == 1
        assert day < by_year.era.start
    assert by_date.era.start <= day


@given(days)
def test_the_next_day_is_in_the_same_or_the_next_era(day: date) -> None:
    today, tomorrow = era_year_of_date(day), era_year_of_date(day + timedelta(days=1))
    assert ERAS.index(tomorrow.era) - ERAS.index(today.era) in (0, 1)
    if tomorrow.era != today.era:
        assert tomorrow.year == 1 and day + timedelta(days=1) == tomorrow.era.start


def render(template: str, **context: object) -> str:
    return Template("{% load japanese %}" + template).render(Context(context))


def test_filters_in_japanese_and_english() -> None:
    with translation.override("ja"):
        assert render("{{ y|year_with_wareki }}", y=1978) == "1978年（昭和53年）"
        assert render("{{ d|wareki }}", d=date(2019, 5, 1)) == "令和元年5月1日"
        assert render("{{ a|yen }}", a=30000) == "30,000円"
        assert render("{{ y|wareki }}|{{ n|yen }}", y=1800, n=None) == "|"
    with translation.override("en"):
        assert render("{{ y|year_with_wareki }}", y=1989) == "1989 (Heisei 1)"
        assert render("{{ a|yen }}", a=30000) == "30,000 yen"


def test_distances_as_people_say_them() -> None:
    cases = [
        (0, "約0 m"),
        (350, "約350 m"),
        (999, "約999 m"),
        (1000, "約1.0 km"),
        (1234, "約1.2 km"),
        (25_050, "約25.1 km"),
    ]
    with translation.override("ja"):
        for metres, expected in cases:
            assert render("{{ m|distance }}", m=metres) == expected
        assert render("{{ m|distance }}", m=None) == ""
    with translation.override("en"):
        assert render("{{ m|distance }}", m=1234) == "about 1.2 km"
