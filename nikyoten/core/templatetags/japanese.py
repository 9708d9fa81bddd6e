"""Template filters for Japanese formats: amounts in yen and years in the Japanese era (和暦)."""

from datetime import date

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from nikyoten.core.dates import era_year_of_date, era_year_of_year, wareki_date, wareki_year
from nikyoten.core.i18n import is_english, pick

register = template.Library()


@register.filter
def yen(amount: int | str | None) -> str:
    """`30000` → `30,000円` (`30,000 yen` in English); empty for no amount."""
    if amount is None or amount == "":
        return ""
    return pick(f"{intcomma(amount)}円", f"{intcomma(amount)} yen")


@register.filter
def wareki(value: int | str | date | None) -> str:
    """A year or a date in the Japanese era: `1978` → `昭和53年`; empty for none or before 明治."""
    if value is None or value == "":
        return ""
    try:
        if isinstance(value, date):
            return f"{era_year_of_date(value).en()}, {value:%d %b}" if is_english() else wareki_date(value)
        return era_year_of_year(int(value)).en() if is_english() else wareki_year(int(value))
    except ValueError:
        return ""


@register.filter
def year_with_wareki(year: int | str | None) -> str:
    """`1978` → `1978年（昭和53年）`, as a year built is shown (`1978 (Shōwa 53)` in English)."""
    if year is None or year == "":
        return ""
    era = wareki(year)
    if not era:
        return pick(f"{year}年", str(year))
    return pick(f"{year}年（{era}）", f"{year} ({era})")


@register.filter
def distance(metres: int | None) -> str:
    """A distance as people say it: `350` → `約350 m`, `1234` → `約1.2 km` (`about 1.2 km` in English)."""
    if metres is None:
        return ""
    text = f"{metres:,} m" if metres < 1000 else f"{metres / 1000:,.1f} km"
    return pick(f"約{text}", f"about {text}")
