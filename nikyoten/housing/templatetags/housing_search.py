"""Display of listing facts in the Japanese way: amounts in 万円 (「3.5万円/月」「680万円」)."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

MAN = 10_000
OKU = 100_000_000


def yen_short(amount: int) -> str:
    """An amount in yen as a Japanese buyer reads it: 8,000円, 3.5万円, 680万円, 1億2,000万円."""
    if amount < MAN:
        return _("%(amount)s円") % {"amount": f"{amount:,}"}
    oku, rest = divmod(amount, OKU)
    if oku:
        man = rest // MAN
        if man:
            return _("%(oku)s億%(man)s万円") % {"oku": f"{oku:,}", "man": f"{man:,}"}
        return _("%(oku)s億円") % {"oku": f"{oku:,}"}
    man_text = f"{amount / MAN:,.2f}".rstrip("0").rstrip(".")
    return _("%(man)s万円") % {"man": man_text}


@register.filter
def price(amount: int | None) -> str:
    return "" if amount is None else yen_short(amount)


@register.filter
def rent(amount: int | None) -> str:
    return "" if amount is None else _("%(amount)s/月") % {"amount": yen_short(amount)}
