"""Pure akiya rules and statistics (outreach.py) and the letter formats (letters.py): tables and properties."""

from datetime import date, timedelta
from itertools import pairwise
from unittest import TestCase

from hypothesis import given
from hypothesis import strategies as st

from nikyoten.core.dates import add_months, wareki_date
from nikyoten.housing import letters, outreach
from nikyoten.housing.outreach import ABANDONED, PIPELINE, LetterOutcome, MoveRefusal, move_refusal

STAGES = [*PIPELINE, ABANDONED]
OPEN_STAGES = [stage for stage in STAGES if stage not in ("contracted", "abandoned")]
RESPONSES = ["pending", "interested", "undecided", "declined", "undeliverable"]


def refusal(current: str, target: str, *, abandoned_from: str | None = None, owner=True, listing=True):
    return move_refusal(
        current=current, target=target, abandoned_from=abandoned_from, has_owner=owner, has_listing=listing
    )


class MoveRefusalTableTests(TestCase):
    def test_moves(self) -> None:
        cases = [
            # (current, target, abandoned_from, has_owner, has_listing, expected)
            ("discovered", "owner_identified", None, True, False, None),
            ("discovered", "owner_identified", None, False, False, MoveRefusal.NO_OWNER),
            ("discovered", "intent_confirmed", None, True, False, None),
            ("owner_identified", "intent_confirmed", None, True, False, None),
            ("intent_confirmed", "renovation", None, True, False, None),
            ("intent_confirmed", "published", None, True, True, None),  # 改修 skipped
            ("intent_confirmed", "published", None, True, False, MoveRefusal.NO_LISTING),
            ("renovation", "published", None, True, False, MoveRefusal.NO_LISTING),
            ("published", "contracted", None, True, True, None),
            ("intent_confirmed", "owner_identified", None, True, True, MoveRefusal.BACKWARD),
            ("published", "discovered", None, True, True, MoveRefusal.BACKWARD),
            ("discovered", "discovered", None, True, True, MoveRefusal.SAME_STAGE),
            ("discovered", "abandoned", None, False, False, None),
            ("renovation", "abandoned", None, True, False, None),
            ("published", "abandoned", None, True, True, None),
            ("contracted", "abandoned", None, True, True, MoveRefusal.CLOSED),
            ("contracted", "published", None, True, True, MoveRefusal.CLOSED),
            ("abandoned", "abandoned", "renovation", True, True, MoveRefusal.SAME_STAGE),
            ("abandoned", "renovation", "renovation", True, False, None),
            ("abandoned", "intent_confirmed", "renovation", True, False, MoveRefusal.REOPEN_ELSEWHERE),
            ("abandoned", "published", "renovation", True, True, MoveRefusal.REOPEN_ELSEWHERE),
            ("abandoned", "discovered", None, False, False, MoveRefusal.REOPEN_ELSEWHERE),
            ("abandoned", "published", "published", True, False, MoveRefusal.NO_LISTING),
        ]
        for current, target, abandoned_from, owner, listing, expected in cases:
            with self.subTest(current=current, target=target, abandoned_from=abandoned_from):
                self.assertEqual(
                    refusal(current, target, abandoned_from=abandoned_from, owner=owner, listing=listing),
                    expected,
                )


class MoveRefusalPropertyTests(TestCase):
    @given(st.sampled_from(STAGES), st.sampled_from(STAGES), st.sampled_from([None, *OPEN_STAGES]))
    def test_nothing_leaves_contracted_and_nothing_goes_back(
        self, current: str, target: str, abandoned_from: str | None
    ) -> None:
        result = refusal(current, target, abandoned_from=abandoned_from)
        if current == "contracted":
            self.assertIsNotNone(result)
        if current in PIPELINE and target in PIPELINE and PIPELINE.index(target) < PIPELINE.index(current):
            self.assertIn(result, (MoveRefusal.BACKWARD, MoveRefusal.CLOSED))

    @given(st.sampled_from(OPEN_STAGES), st.booleans(), st.booleans())
    def test_abandoning_is_always_allowed_from_an_open_stage(
        self, current: str, owner: bool, listing: bool
    ) -> None:
        self.assertIsNone(refusal(current, "abandoned", owner=owner, listing=listing))

    @given(st.sampled_from(STAGES), st.sampled_from(STAGES), st.sampled_from([None, *OPEN_STAGES]))
    def test_recording_an_owner_or_a_listing_never_forbids_a_move(
        self, current: str, target: str, abandoned_from: str | None
    ) -> None:
        bare = refusal(current, target, abandoned_from=abandoned_from, owner=False, listing=False)
        full = refusal(current, target, abandoned_from=abandoned_from, owner=True, listing=True)
        if bare is None:
            self.assertIsNone(full)


class PlaceholderTests(TestCase):
    def test_errors(self) -> None:
        cases = [
            ("{owner_name} 様 {address} {reference} {organization}", []),
            ("プレースホルダーなし", []),
            ("{name} 様", ["{name}"]),
            ("{} 様", ["{}"]),
            ("{0}", ["{0}"]),
            ("{owner_name:>10}", ["{owner_name:>10}"]),
            ("{owner_name!r}", ["{owner_name!r}"]),
            ("{owner_name.upper}", ["{owner_name.upper}"]),
            ("{owner_name", ["{"]),
            ("owner_name}", ["{"]),
            ("{{owner_name}}", []),
        ]
        for template, expected in cases:
            with self.subTest(template=template):
                self.assertEqual(outreach.placeholder_errors(template), expected)

    def test_render_fills_each_placeholder(self) -> None:
        text = outreach.render_letter(
            "{owner_name} 様／{address}／{reference}／{organization}／{{そのまま}}",
            {"owner_name": "架空 太郎", "address": "十川1-1", "reference": "AK-1", "organization": "町役場"},
        )
        self.assertEqual(text, "架空 太郎 様／十川1-1／AK-1／町役場／{そのまま}")


class AddMonthsTests(TestCase):
    def test_table(self) -> None:
        cases = [
            (date(2026, 1, 31), 1, date(2026, 2, 28)),
            (date(2024, 1, 31), 1, date(2024, 2, 29)),
            (date(2026, 11, 26), 3, date(2027, 2, 26)),
            (date(2026, 3, 31), 6, date(2026, 9, 30)),
            (date(2026, 12, 1), 36, date(2029, 12, 1)),
        ]
        for day, months, expected in cases:
            with self.subTest(day=day, months=months):
                self.assertEqual(add_months(day, months), expected)


SENT = date(2026, 1, 15)


class ResponseRateTests(TestCase):
    def test_windows(self) -> None:
        letters_ = [
            LetterOutcome("interested", date(2026, 2, 1)),  # within 3 months
            LetterOutcome("declined", date(2026, 4, 15)),  # on the last day of the 3-month window
            LetterOutcome("undecided", date(2026, 5, 1)),  # within 6
            LetterOutcome("interested", date(2027, 1, 1)),  # within 36
            LetterOutcome("undeliverable", date(2026, 1, 30)),  # returned mail, counted apart
            LetterOutcome("pending", None),
        ]
        rows = outreach.response_rates(letters_, sent_on=SENT, today=date(2026, 11, 26))
        self.assertEqual([r.months for r in rows], [3, 6, 9, 36])
        self.assertEqual([r.responses for r in rows], [2, 3, 3, 4])
        self.assertEqual([r.undeliverable for r in rows], [1, 1, 1, 1])
        self.assertEqual({r.letters for r in rows}, {6})
        self.assertEqual([r.elapsed for r in rows], [True, True, True, False])
        self.assertEqual(rows[0].window_end, date(2026, 4, 15))
        self.assertAlmostEqual(rows[0].percent, 100 * 2 / 6)

    def test_no_letters_is_zero_percent(self) -> None:
        rows = outreach.response_rates([], sent_on=SENT, today=SENT)
        self.assertEqual([r.percent for r in rows], [0.0] * 4)

    @given(
        st.lists(
            st.tuples(st.sampled_from(RESPONSES), st.integers(min_value=0, max_value=2000)),
            max_size=40,
        )
    )
    def test_rates_grow_with_the_window_and_stay_within_the_letters(self, outcomes) -> None:
        letters_ = [
            LetterOutcome(response, None if response == "pending" else SENT + timedelta(days=days))
            for response, days in outcomes
        ]
        rows = outreach.response_rates(letters_, sent_on=SENT, today=date(2030, 1, 1))
        for earlier, later in pairwise(rows):
            self.assertLessEqual(earlier.responses, later.responses)
            self.assertLessEqual(earlier.undeliverable, later.undeliverable)
        for row in rows:
            self.assertLessEqual(row.responses + row.undeliverable, row.letters)
            self.assertTrue(0 <= row.percent <= 100)


class StageConversionTests(TestCase):
    def test_table(self) -> None:
        histories = [
            ["discovered"],
            ["discovered", "owner_identified"],
            ["discovered", "owner_identified", "intent_confirmed", "abandoned"],
            ["discovered", "owner_identified", "intent_confirmed", "published"],  # 改修 skipped
            ["discovered", "owner_identified", "intent_confirmed", "renovation", "published", "contracted"],
        ]
        rows = outreach.stage_conversion(histories)
        self.assertEqual([r.stage for r in rows], list(PIPELINE))
        self.assertEqual([r.reached for r in rows], [5, 4, 3, 2, 2, 1])
        self.assertEqual([r.went_on for r in rows], [4, 3, 2, 2, 1, None])
        self.assertEqual(rows[0].percent, 80.0)
        self.assertIsNone(rows[-1].percent)

    def test_no_cases(self) -> None:
        rows = outreach.stage_conversion([])
        self.assertEqual({r.reached for r in rows}, {0})
        self.assertEqual({r.percent for r in rows}, {None})

    @given(st.lists(st.lists(st.sampled_from(STAGES), max_size=8), max_size=30))
    def test_counts_never_grow_along_the_pipeline(self, histories) -> None:
        rows = outreach.stage_conversion(histories)
        self.assertEqual(rows[0].reached, len(histories))
        for row in rows:
            if row.went_on is not None:
                self.assertLessEqual(row.went_on, row.reached)
                if row.percent is not None:
                    self.assertTrue(0 <= row.percent <= 100)


class LetterFormatTests(TestCase):
    def test_wareki(self) -> None:
        cases = [
            (date(2026, 11, 26), "令和8年11月26日"),
            (date(2019, 5, 1), "令和元年5月1日"),
            (date(2019, 4, 30), "平成31年4月30日"),
            (date(1989, 1, 8), "平成元年1月8日"),
            (date(1989, 1, 7), "昭和64年1月7日"),
        ]
        for day, expected in cases:
            with self.subTest(day=day):
                self.assertEqual(wareki_date(day), expected)  # as letters are dated

    def test_postal_mark(self) -> None:
        self.assertEqual(letters.postal_mark("7860001"), "〒786-0001")
        self.assertEqual(letters.postal_mark(""), "")

    def test_csv_is_a_mail_merge_table_with_formulas_defused(self) -> None:
        row = letters.Letter(
            owner_name="=HYPERLINK(1)",
            postal_code="7860001",
            owner_address="高知県高知市1-2",
            case_address="十川1-1",
            reference="AK-1",
            subject="件名",
            body="本文\n2行目",
        )
        text = letters.to_csv([row], sender="町役場")
        header, first = text.split("\r\n", 1)
        self.assertEqual(header, ",".join(letters.CSV_HEADER))
        self.assertIn("'=HYPERLINK(1) 様", first)
        self.assertIn("〒786-0001", first)
        self.assertIn('"本文\n2行目"', first)

    def test_pdf_has_one_page_per_letter(self) -> None:
        row = letters.Letter("架空 太郎", "7860001", "高知県高知市1-2", "十川1-1", "AK-1", "件名", "本文")
        content = letters.to_pdf([row, row, row], sender="町役場", title="t", on=date(2026, 11, 26))
        self.assertTrue(content.startswith(b"%PDF"))
        self.assertEqual(content.count(b"/Type /Page\n"), 3)
