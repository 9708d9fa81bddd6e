"""Japanese text helpers: search keys, width normalisation and the local-government check digit."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nikyoten.core.text import (
    digits_only,
    hiragana_to_katakana,
    katakana_to_hiragana,
    lg_check_digit,
    lg_code,
    search_key,
)

hiragana = st.text(
    alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096), min_size=1, max_size=20
)


@given(hiragana)
def test_katakana_and_hiragana_give_the_same_key(text):
    assert search_key(hiragana_to_katakana(text)) == search_key(text)
    assert katakana_to_hiragana(hiragana_to_katakana(text)) == text


@given(st.text(max_size=30))
def test_search_key_is_idempotent(text):
    assert search_key(search_key(text)) == search_key(text)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tōkyō", "toukyou"),
        ("TOKYO", "tokyo"),
        ("ﾁﾖﾀﾞ", "ちよだ"),
        ("Chiyoda-ku", "chiyoda ku"),
        ("ＳＨＩＭＡＮＴＯ", "shimanto"),
    ],
)
def test_search_key_equivalences(a, b):
    assert search_key(a) == search_key(b)


def test_search_key_keeps_kanji_apart():
    assert search_key("梼原町") != search_key("檮原町")


@pytest.mark.parametrize(
    ("raw", "digits"), [("100-0001", "1000001"), ("１００－０００１", "1000001"), ("〒100 0001", "1000001")]
)
def test_digits_only(raw, digits):
    assert digits_only(raw) == digits


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("13101", "131016"),
        ("01100", "011002"),
        ("28221", "282219"),
        ("27100", "271004"),
        ("13000", "130001"),
        ("01101", "011011"),
    ],
)
def test_lg_code_known_values(code, expected):
    assert lg_code(code) == expected


@given(st.from_regex(r"\d{5}", fullmatch=True))
def test_lg_code_appends_one_check_digit(code):
    full = lg_code(code)
    assert full[:5] == code and len(full) == 6 and full[5].isdigit()


@pytest.mark.parametrize("bad", ["1310", "131011", "abcde", ""])
def test_check_digit_refuses_malformed_codes(bad):
    with pytest.raises(ValueError, match="5-digit"):
        lg_check_digit(bad)
