"""Japanese era (和暦) names for years and dates: 1978 → 昭和53年, 2019-05-01 → 令和元年5月1日.

Dates before 1873 are taken as Gregorian, as the rest of the site does; 明治 counts from 1868 (its first year
was made to start on 1 January). A year alone that two eras share is named by the later era, as is customary
(1989 → 平成元年); a date is named by the era in force that day.
"""

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Era:
    name: str
    romaji: str
    start: date


#: The modern eras with the first day of each (明治 from its year's start, see above).
ERAS = (
    Era("明治", "Meiji", date(1868, 1, 1)),
    Era("大正", "Taishō", date(1912, 7, 30)),
    Era("昭和", "Shōwa", date(1926, 12, 25)),
    Era("平成", "Heisei", date(1989, 1, 8)),
    Era("令和", "Reiwa", date(2019, 5, 1)),
)
FIRST_YEAR = ERAS[0].start.year


@dataclass(frozen=True)
class EraYear:
    era: Era
    year: int  # 1 is 元年

    def ja(self) -> str:
        return f"{self.era.name}{'元' if self.year == 1 else self.year}年"

    def en(self) -> str:
        return f"{self.era.romaji} {self.year}"


def era_year_of_year(year: int) -> EraYear:
    """The era year for a Gregorian year alone: the era that began in it, else the one in force."""
    if year < FIRST_YEAR:
        raise ValueError(f"before 明治: {year}")
    era = next(e for e in reversed(ERAS) if e.start.year <= year)
    return EraYear(era, year - era.start.year + 1)


def era_year_of_date(day: date) -> EraYear:
    """The era year for a date: the era in force on that day."""
    if day < ERAS[0].start:
        raise ValueError(f"before 明治: {day}")
    era = next(e for e in reversed(ERAS) if e.start <= day)
    return EraYear(era, day.year - era.start.year + 1)


def wareki_year(year: int) -> str:
    """`1978` → `昭和53年`, `1989` → `平成元年`."""
    return era_year_of_year(year).ja()


def wareki_date(day: date) -> str:
    """`2019-05-01` → `令和元年5月1日`, `2019-04-30` → `平成31年4月30日`."""
    return f"{era_year_of_date(day).ja()}{day.month}月{day.day}日"


def year_from_wareki(era_name: str, year: int) -> int:
    """The Gregorian year of an era year (`昭和`, 53 → 1978); the inverse of `era_year_of_year` within an era."""
    for era in ERAS:
        if era.name == era_name:
            return era.start.year + year - 1
    raise ValueError(f"unknown era: {era_name}")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month (1/31 + 1 → 2/28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
