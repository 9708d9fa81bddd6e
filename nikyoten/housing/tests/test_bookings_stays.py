"""The pure stay arithmetic: table-driven cases and hypothesis properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nikyoten.core.dates import add_months
from nikyoten.housing import stays

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


def _span(start: date, nights: int) -> stays.Span:
    return (start, start + timedelta(days=nights))


SPANS = st.builds(_span, DAYS, st.integers(min_value=1, max_value=90))


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2027, 1, 15), 2, date(2027, 3, 15)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 8, 31), 1, date(2027, 9, 30)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2027, 12, 1), 1, date(2028, 1, 1)),
    ],
)
def test_add_months(start, months, end):
    assert add_months(start, months) == end


@pytest.mark.parametrize(
    ("unit", "start", "end", "length"),
    [
        (stays.MONTH, date(2027, 1, 15), date(2027, 3, 15), 2),
        (stays.MONTH, date(2027, 1, 31), date(2027, 2, 28), 1),
        (stays.MONTH, date(2027, 1, 15), date(2027, 3, 14), None),
        (stays.MONTH, date(2027, 1, 15), date(2027, 3, 16), None),
        (stays.MONTH, date(2027, 1, 30), date(2027, 2, 28), 1),
        (stays.MONTH, date(2027, 2, 28), date(2027, 3, 31), None),
        (stays.MONTH, date(2027, 1, 15), date(2027, 1, 20), None),
        (stays.MONTH, date(2027, 1, 15), date(2028, 1, 15), 12),
        (stays.NIGHT, date(2027, 1, 15), date(2027, 1, 18), 3),
        (stays.NIGHT, date(2027, 12, 30), date(2028, 1, 2), 3),
        (stays.NIGHT, date(2027, 1, 15), date(2027, 1, 15), None),
        (stays.NIGHT, date(2027, 1, 15), date(2027, 1, 14), None),
    ],
)
def test_stay_length(unit, start, end, length):
    assert stays.stay_length(unit, start, end) == length


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((date(2027, 1, 1), date(2027, 1, 5)), (date(2027, 1, 5), date(2027, 1, 9)), False),
        ((date(2027, 1, 1), date(2027, 1, 5)), (date(2027, 1, 4), date(2027, 1, 9)), True),
        ((date(2027, 1, 1), date(2027, 1, 9)), (date(2027, 1, 3), date(2027, 1, 4)), True),
        ((date(2027, 1, 5), date(2027, 1, 9)), (date(2027, 1, 1), date(2027, 1, 5)), False),
    ],
)
def test_overlaps(a, b, overlap):
    assert stays.overlaps(a, b) is overlap
    assert stays.overlaps(b, a) is overlap


def _nights(span: stays.Span) -> set[date]:
    return {span[0] + timedelta(days=i) for i in range((span[1] - span[0]).days)}


@given(SPANS, st.lists(SPANS, max_size=6))
def test_available_iff_no_busy_night_is_shared(span, busy):
    taken = set().union(*(_nights(other) for other in busy)) if busy else set()
    assert stays.is_available(span, busy) is _nights(span).isdisjoint(taken)


@given(DAYS, st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=400))
def test_nights_of_adjacent_stays_add_up(start, first, second):
    middle, end = start + timedelta(days=first), start + timedelta(days=first + second)
    assert stays.stay_length(stays.NIGHT, start, end) == stays.stay_length(
        stays.NIGHT, start, middle
    ) + stays.stay_length(stays.NIGHT, middle, end)


@given(DAYS, st.integers(min_value=1, max_value=36))
def test_the_end_n_months_later_is_n_months(start, months):
    assert stays.stay_length(stays.MONTH, start, add_months(start, months)) == months


@given(DAYS, st.integers(min_value=1, max_value=400))
def test_a_month_stay_is_whole_months_or_refused(start, nights):
    end = start + timedelta(days=nights)
    months = stays.stay_length(stays.MONTH, start, end)
    assert months is None or add_months(start, months) == end


@given(
    st.integers(min_value=2020, max_value=2035),
    st.integers(min_value=1, max_value=12),
    st.lists(SPANS, max_size=4),
    DAYS,
)
def test_month_grid_shows_each_night_once_in_its_state(year, month, busy, first_bookable):
    weeks = stays.month_grid(year, month, busy=busy, first_bookable=first_bookable)
    assert all(len(week) == 7 for week in weeks)
    days = [day for week in weeks for day in week if day is not None]
    assert [d.date for d in days] == [date(year, month, 1) + timedelta(days=i) for i in range(len(days))]
    assert days[-1].date.month == month and (days[-1].date + timedelta(days=1)).month != month
    for day in days:
        night = (day.date, day.date + timedelta(days=1))
        if not stays.is_available(night, busy):
            assert day.state == stays.DayState.BOOKED
        elif day.date < first_bookable:
            assert day.state == stays.DayState.CLOSED
        else:
            assert day.state == stays.DayState.FREE


def test_month_grid_starts_on_sunday():
    weeks = stays.month_grid(2027, 1, busy=[], first_bookable=date(2027, 1, 1))
    # 2027-01-01 is a Friday: five blanks (Sunday to Thursday) before it.
    assert weeks[0][:5] == [None] * 5
    assert weeks[0][5] == stays.Day(date(2027, 1, 1), stays.DayState.FREE)
