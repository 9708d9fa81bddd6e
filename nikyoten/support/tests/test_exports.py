"""CSV and PDF exports of the cost simulation: shape, headers, numbers, the Japanese font and the title."""

import base64
import csv
import io
import re
import zlib

import pytest

from nikyoten.support.cost import Base, CostInput, Subsidy, compare, simulate
from nikyoten.support.exports import to_csv, to_pdf
from nikyoten.support.travel_model import Mode

TOKYO = Base("13101", "千代田区", 35.6812, 139.7671, "Chiyoda")
OYAMA = Base("09208", "小山市", 36.3147, 139.8006, "Oyama")
KARUIZAWA = Base("20321", "軽井沢町", 36.3428, 138.6353, "Karuizawa")
SENDAI = Base("04101", "仙台市青葉区", 38.2601, 140.8822, "Aoba, Sendai")
OSAKA = Base("27127", "大阪市北区", 34.7025, 135.4959, "Kita, Osaka")

JA_HEADER = [
    "月",
    "交通費",
    "住居費（二拠点目）",
    "光熱費",
    "通信費",
    "自動車費",
    "一時費用",
    "支援制度（控除）",
    "差引合計",
]
EN_HEADER = [
    "Month",
    "Travel",
    "Second home",
    "Utilities",
    "Internet",
    "Car",
    "One-time costs",
    "Support programs (deducted)",
    "Net",
]


def make_result(months=60, **overrides):
    values = {
        "base_a": TOKYO,
        "base_b": OYAMA,
        "mode": Mode.SHINKANSEN,
        "trips_per_month": 20,
        "months": months,
        "second_home_rent_monthly": 50_000,
        "utilities_monthly": 10_000,
        "internet_monthly": 5_000,
        "one_time_costs": 200_000,
        "subsidies": (Subsidy("小山市 新幹線通勤定期券補助", "Oyama Shinkansen pass subsidy", 10_000, 36),),
    }
    values.update(overrides)
    return simulate(CostInput(**values))


def _unescape_pdf_string(raw: bytes) -> bytes:
    """The bytes of a PDF literal string body (backslash escapes and octal codes resolved)."""
    out = bytearray()
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte != 0x5C:  # backslash
            out.append(byte)
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            out.extend({b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(nxt, nxt))
            i += 2
    return bytes(out)


def pdf_text(data: bytes) -> str:
    """The text reportlab drew with the CID font (UTF-16BE strings in its ASCII85+Flate content streams)."""
    texts = []
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", data, re.S):
        header, body = match.groups()
        if b"ASCII85Decode" in header:
            body = base64.a85decode(body.strip().removesuffix(b"~>"))
        if b"FlateDecode" in header:
            body = zlib.decompress(body)
        for string in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", body, re.S):
            texts.append(_unescape_pdf_string(string.group(1)).decode("utf-16-be", errors="replace"))
    return "\n".join(texts)


def pdf_info_title(data: bytes) -> str:
    raw = re.search(rb"/Title \(((?:\\.|[^\\)])*)\)", data, re.S).group(1)
    return _unescape_pdf_string(raw).decode("utf-16")


# --- CSV ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("months", [1, 13, 60, 120])
def test_csv_has_a_header_a_row_per_month_and_totals(months):
    result = make_result(months=months)
    rows = list(csv.reader(io.StringIO(to_csv(result))))
    assert len(rows) == months + 2
    assert rows[0] == JA_HEADER
    assert [int(row[0]) for row in rows[1:-1]] == list(range(1, months + 1))
    for row, month_row in zip(rows[1:-1], result.monthly_rows, strict=True):
        assert [int(cell) for cell in row[1:]] == [
            month_row.travel,
            month_row.second_home,
            month_row.utilities,
            month_row.internet,
            month_row.car,
            month_row.one_time,
            month_row.subsidies,
            month_row.net,
        ]
    totals = rows[-1]
    assert totals[0] == "合計"
    assert int(totals[-1]) == result.net_total == sum(int(row[-1]) for row in rows[1:-1])
    for column in range(1, len(JA_HEADER)):
        assert int(totals[column]) == sum(int(row[column]) for row in rows[1:-1])


def test_csv_numbers_for_the_oyama_case():
    rows = list(csv.reader(io.StringIO(to_csv(make_result()))))
    assert rows[1] == ["1", "100080", "50000", "10000", "5000", "0", "200000", "-10000", "355080"]
    assert rows[37] == ["37", "100080", "50000", "10000", "5000", "0", "0", "0", "165080"]
    assert rows[-1][7] == "-360000"


def test_csv_in_english():
    text = to_csv(make_result(months=12), language="en")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == EN_HEADER
    assert rows[-1][0] == "Total"
    assert not text.startswith("\ufeff")  # the BOM is the caller's business


# --- PDF ---------------------------------------------------------------------------------------------------


def test_pdf_is_a_japanese_pdf_with_the_title():
    title = "二拠点生活の費用試算（千代田区–小山市）"
    data = to_pdf([make_result()], title=title)
    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 5_000
    assert b"HeiseiKakuGo-W5" in data
    assert pdf_info_title(data) == title
    text = pdf_text(data)
    assert title in text
    for words in (
        "千代田区",
        "小山市",
        "前提条件",
        "年ごとの集計（円）",
        "月ごとの内訳（円）",
        "1年目",
        "5年目",
    ):
        assert words in text, words
    assert "小山市 新幹線通勤定期券補助" in text  # the assumptions name every program
    assert "-360,000" in text


def test_pdf_monthly_table_is_paginated_with_its_header_repeated():
    short = to_pdf(make_result(months=12), title="短い")
    long = to_pdf(make_result(months=120), title="長い")
    pages = re.compile(rb"/Type /Page\b(?!s)")
    assert len(pages.findall(long)) > len(pages.findall(short))
    text = pdf_text(long)
    assert text.count("差引合計") >= 3  # yearly table plus the monthly header on each of its pages
    assert "10年目" in text and "\n120\n" in text


def test_pdf_in_english_and_escapes_markup():
    odd = Base("99001", "<b>町</b> & 村", 36.0, 139.0, "<b>Town</b> & Village")
    data = to_pdf(make_result(base_b=odd), title="Cost <estimate> & more", language="en")
    text = pdf_text(data)
    assert "Cost <estimate> & more" in text
    assert "Chiyoda – <b>Town</b> & Village (Shinkansen)" in text  # the heading paragraph, not bold markup
    assert "Assumptions" in text and "By month (yen)" in text


def test_pdf_of_a_comparison_has_every_candidate():
    base_input = CostInput(base_a=TOKYO, base_b=OYAMA, mode=Mode.SHINKANSEN, trips_per_month=4)
    results = compare(base_input, [OYAMA, KARUIZAWA, SENDAI, OSAKA])
    text = pdf_text(to_pdf(results, title="候補の比較"))
    assert "候補の比較（円）" in text
    for result in results:
        assert result.base_b.name in text
        assert f"{result.five_year_net:,}" in text


def test_pdf_is_deterministic():
    result = make_result(months=24)
    assert to_pdf(result, title="同じ") == to_pdf([result], title="同じ")
