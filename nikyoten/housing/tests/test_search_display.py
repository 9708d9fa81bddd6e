"""Amounts as a Japanese reader expects them: 8,000円, 3.5万円/月, 680万円, 1億2,000万円."""

import unittest

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from nikyoten.housing.templatetags.housing_search import price, rent, yen_short


class AmountDisplayTests(unittest.TestCase):
    def test_table(self) -> None:
        cases = [
            (0, "0円"),
            (8_000, "8,000円"),
            (10_000, "1万円"),
            (17_000, "1.7万円"),
            (35_000, "3.5万円"),
            (38_500, "3.85万円"),
            (6_800_000, "680万円"),
            (25_000_000, "2,500万円"),
            (100_000_000, "1億円"),
            (120_000_000, "1億2,000万円"),
        ]
        for amount, expected in cases:
            with self.subTest(amount=amount):
                self.assertEqual(yen_short(amount), expected)

    def test_filters(self) -> None:
        self.assertEqual(price(6_800_000), "680万円")
        self.assertEqual(rent(35_000), "3.5万円/月")
        self.assertEqual((price(None), rent(None)), ("", ""))

    def test_english_shows_the_full_amount(self) -> None:
        with translation.override("en"):
            self.assertEqual(price(6_800_000), "6,800,000 yen")
            self.assertEqual(rent(35_000), "35,000 yen/month")

    @given(st.integers(min_value=0, max_value=99_999_999))
    def test_man_amounts_read_back_within_rounding(self, amount: int) -> None:
        text = yen_short(amount)
        self.assertTrue(text.endswith("円"))
        if amount >= 10_000:
            man = float(text.removesuffix("万円").replace(",", ""))
            self.assertAlmostEqual(man * 10_000, amount, delta=50)
        else:
            self.assertEqual(int(text.removesuffix("円").replace(",", "")), amount)
