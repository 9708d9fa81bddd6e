"""Choosing between the Japanese and English text that pure modules (no gettext) return as pairs."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "ja").startswith("en")


def pick(ja: str, en: str) -> str:
    """The text for the active language: English when the UI is in English, Japanese otherwise."""
    return en if is_english() else ja


def language() -> str:
    """'en' or 'ja', as the pure modules' `language=` parameters expect."""
    return "en" if is_english() else "ja"
