"""Japanese text helpers: width and kana normalisation, search keys and the local-government check digit."""

import re
import unicodedata

_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_KANA_OFFSET = 0x60
_SEPARATORS = re.compile(r"[\s\-‐‑–—―ー・'’.,、。()（）]+")
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"))
_LATIN_DIACRITICS = re.compile("[\u0300-\u036f]")


def nfkc(text: str) -> str:
    """Full-width digits and letters to ASCII, half-width kana to full-width (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def katakana_to_hiragana(text: str) -> str:
    """Convert katakana to hiragana, leaving everything else as it is."""
    return "".join(
        chr(ord(ch) - _KANA_OFFSET) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch for ch in text
    )


def hiragana_to_katakana(text: str) -> str:
    """Convert hiragana to katakana, leaving everything else as it is."""
    return "".join(
        chr(ord(ch) + _KANA_OFFSET)
        if _KATAKANA_START - _KANA_OFFSET <= ord(ch) <= _KATAKANA_END - _KANA_OFFSET
        else ch
        for ch in text
    )


def search_key(text: str) -> str:
    """A form in which kanji, kana (either script, either width) and romaji (with or without long vowels) compare.

    The prolonged sound mark ー is dropped along with separators, so `toukyou`, `tokyo` and `Tōkyō` all match.
    """
    plain = unicodedata.normalize("NFKD", text).lower()
    key = _SEPARATORS.sub("", katakana_to_hiragana(nfkc(_LATIN_DIACRITICS.sub("", plain))))
    for long, short in _LONG_VOWELS:
        while long in key:
            key = key.replace(long, short)
    return key


def digits_only(text: str) -> str:
    """NFKC the text and drop hyphens, spaces and the 〒 mark (for postal codes and codes typed by people)."""
    return re.sub(r"[\s\-‐‑–—―ー〒]", "", nfkc(text))


_LG_WEIGHTS = (6, 5, 4, 3, 2)


def lg_check_digit(code5: str) -> str:
    """The check digit of a 全国地方公共団体コード: (11 − Σ dᵢ·wᵢ mod 11) mod 10 with weights 6,5,4,3,2."""
    if not re.fullmatch(r"\d{5}", code5):
        raise ValueError(f"not a 5-digit code: {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, _LG_WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def lg_code(code5: str) -> str:
    """The 6-digit local-government code (with check digit) for a 5-digit JIS X 0402 code."""
    return code5 + lg_check_digit(code5)


#: Characters that make a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet will not run as a formula: text starting like one gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
