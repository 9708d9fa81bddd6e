"""Template helpers for the pairs of Japanese and English text the pure support modules return."""

from django import template

from nikyoten.core.i18n import pick as pick_text
from nikyoten.support.cost import CATEGORY_LABELS

register = template.Library()


@register.simple_tag
def pick(ja: str, en: str) -> str:
    return pick_text(ja, en)


@register.simple_tag
def category_label(key: str) -> str:
    return pick_text(*CATEGORY_LABELS[key])
