"""Template helpers for the pairs of Japanese and English text the pure support modules return."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nikyoten.core.i18n import pick as pick_text
from nikyoten.support.choices import ProgramLevel
from nikyoten.support.cost import CATEGORY_LABELS
from nikyoten.support.eligibility import ANCHORS, WindowResult, date_en, date_ja

register = template.Library()


@register.simple_tag
def pick(ja: str, en: str) -> str:
    return pick_text(ja, en)


@register.simple_tag
def category_label(key: str) -> str:
    return pick_text(*CATEGORY_LABELS[key])


_VERDICTS = {
    "eligible": pgettext_lazy("verdict", "対象"),
    "not_eligible": pgettext_lazy("verdict", "対象外"),
    "need_to_know": pgettext_lazy("verdict", "要確認"),
}
_STATUSES = {"met": _("満たす"), "unmet": _("満たさない"), "unknown": _("回答が必要")}


@register.simple_tag
def verdict_label(verdict: str) -> str:
    return str(_VERDICTS[str(verdict)])


@register.simple_tag
def status_label(status: str) -> str:
    return str(_STATUSES[str(status)])


@register.simple_tag
def window_text(window: WindowResult) -> str:
    """申請期間 as dates where known, with where today falls."""
    anchor_ja, anchor_en = ANCHORS[window.anchor][2], ANCHORS[window.anchor][3]
    if window.opens and window.closes:
        period = pick_text(
            f"{date_ja(window.opens)}〜{date_ja(window.closes)}",
            f"{date_en(window.opens)} to {date_en(window.closes)}",
        )
    else:
        period = pick_text(
            f"{anchor_ja}の{window.from_months}か月後から{window.to_months}か月後まで",
            f"from {window.from_months} to {window.to_months} months after {anchor_en}",
        )
    status = {
        "open": _("受付期間中"),
        "not_yet": _("まだ受付前"),
        "closed": _("受付期間を過ぎています"),
        "unknown": _("日付の回答が必要"),
    }[str(window.status)]
    return f"{period}（{status}）"


@register.simple_tag
def level_label(level: str) -> str:
    """国 / 都道府県 / 市区町村 for a funding-share key."""
    return str(dict(ProgramLevel.choices).get(level, level))
