"""Trial-stay arithmetic with no Django: stay lengths in nights or months, availability and month calendars.

A stay runs from `start` (arrival) to `end` (departure, exclusive), so stays [a, b) and [b, c) are adjacent and
do not overlap. Months are calendar months counted from the start date: 2027-01-15 → 2027-03-15 is 2 months, and
a month-based stay must end on the start's day of month, or on the month's last day when that day does not
exist there (2027-01-31 → 2027-02-28 is 1 month).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from nikyoten.core.dates import add_months

NIGHT = "night"
MONTH = "month"

Span = tuple[date, date]


def whole_months(start: date, end: date) -> int | None:
    """How many calendar months [start, end) spans, or None when `end` is not a month boundary from `start`."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if months >= 1 and add_months(start, months) == end else None


def stay_length(unit: str, start: date, end: date) -> int | None:
    """The stay in the unit's terms (nights or whole months); None when it is empty or not whole months."""
    if end <= start:
        return None
    return (end - start).days if unit == NIGHT else whole_months(start, end)


def overlaps(a: Span, b: Span) -> bool:
    """Whether two stays share at least one night."""
    return a[0] < b[1] and b[0] < a[1]


def is_available(span: Span, busy: Iterable[Span]) -> bool:
    """Whether no busy stay shares a night with `span`."""
    return not any(overlaps(span, other) for other in busy)


class DayState(StrEnum):
    FREE = "free"
    BOOKED = "booked"
    CLOSED = "closed"  # in the past, or too soon to request


@dataclass(frozen=True)
class Day:
    date: date
    state: DayState


def month_grid(
    year: int, month: int, *, busy: Iterable[Span], first_bookable: date
) -> list[list[Day | None]]:
    """Weeks (Sunday first, as Japanese calendars) of the month's nights; None pads days of other months.

    A day is booked when a busy stay covers its night, closed when it comes before `first_bookable`.
    """
    spans = list(busy)
    weeks: list[list[Day | None]] = []
    for week in calendar.Calendar(firstweekday=calendar.SUNDAY).monthdatescalendar(year, month):
        row: list[Day | None] = []
        for day in week:
            if day.month != month:
                row.append(None)
            elif not is_available((day, day + timedelta(days=1)), spans):
                row.append(Day(day, DayState.BOOKED))
            elif day < first_bookable:
                row.append(Day(day, DayState.CLOSED))
            else:
                row.append(Day(day, DayState.FREE))
        weeks.append(row)
    return weeks
