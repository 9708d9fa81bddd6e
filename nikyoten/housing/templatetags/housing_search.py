"""Display of listing facts in the Japanese way: amounts in 万円 (「3.5万円/月」「680万円」)."""

from django import template
from django.utils.translation import gettext as _

from nikyoten.core.i18n import is_english

register = template.Library()

MAN = 10_000
OKU = 100_000_000


def yen_short(amount: int) -> str:
    """An amount in yen as a Japanese buyer reads it (8,000円, 3.5万円, 680万円, 1億2,000万円); in full in English."""
    if is_english():
        return f"{amount:,} yen"
    if amount < MAN:
        return f"{amount:,}円"
    oku, rest = divmod(amount, OKU)
    if oku:
        man = rest // MAN
        return f"{oku:,}億{man:,}万円" if man else f"{oku:,}億円"
    man_text = f"{amount / MAN:,.2f}".rstrip("0").rstrip(".")
    return f"{man_text}万円"


@register.filter
def price(amount: int | None) -> str:
    return "" if amount is None else yen_short(amount)


@register.filter
def rent(amount: int | None) -> str:
    return "" if amount is None else _("%(amount)s/月") % {"amount": yen_short(amount)}
