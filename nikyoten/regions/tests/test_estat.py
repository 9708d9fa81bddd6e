"""The e-Stat census reader: header and notes, totals and age groups, suppressed values, malformed rows."""

from pathlib import Path

import pytest

from nikyoten.regions import estat
from nikyoten.regions.ksj import ImportFileError

FIXTURE = Path(__file__).parent / "fixtures" / "estat_census_2020.csv"


def text() -> str:
    return estat.decode(FIXTURE.read_bytes())


def test_population_age_groups_and_households_per_municipality():
    census = estat.parse(text())
    assert census.edition == "2020"
    assert census.values["13101"] == {
        "population": 66680,
        "households": 37000,
        "children_0_5": 480 + 470 + 460 + 450 + 440 + 430,
        "population_0_14": 8000,
        "population_15_64": 46000,
        "population_65_over": 12680,
    }
    assert census.skipped == {"全国・都道府県の行": 2}
    assert (census.rows_read, census.rows_imported) == (24, 22)
    assert census.lines["13101"] == 8


def test_suppressed_values_are_missing_not_zero():
    values = estat.parse(text()).values["13305"]
    assert "children_0_5" not in values  # 1歳 is X: the sum of 0〜5 cannot be known
    assert "population_15_64" not in values  # "-"
    assert values["population_0_14"] == 1800


def test_shift_jis_download_reads_alike():
    assert estat.parse(estat.decode(text().encode("cp932"))).values == estat.parse(text()).values


def test_five_year_groups_add_up():
    header = '"表章項目","年齢","地域 コード","地域","時間軸（年次）","value"'
    rows = [
        f'"人口","{label}","01100","札幌市","2020年","{n}"'
        for label, n in (("0～4歳", 10), ("5～9歳", 20), ("10～14歳", 30))
    ]
    assert estat.parse("\n".join([header, *rows])).values == {"01100": {"population_0_14": 60}}


def test_malformed_rows_are_named_and_refuse_the_file():
    lines = text().splitlines()
    lines[7] = lines[7].replace('"66680"', '"66,68O"')  # a letter O for a zero
    lines[8] = lines[8].replace('"0","総数",', "", 1)  # a cell short
    lines[9] = lines[9].replace('"13101"', '"99"', 1)
    with pytest.raises(ImportFileError) as error:
        estat.parse("\n".join(lines))
    assert error.value.problems == [
        "8 行目: value「66,68O」が数値ではありません",
        "9 行目: 列の数が 11 です（見出しは 13 列）",
        "10 行目: 地域 コード「99」が市区町村コードではありません",
    ]


def test_a_file_without_the_header_or_with_two_years_is_refused():
    with pytest.raises(ImportFileError, match="見出し行"):
        estat.parse('"統計名：","x"\n"a","b"\n')
    lines = text().splitlines()
    lines[7] = lines[7].replace('"2020000000","2020年"', '"2015000000","2015年"')
    with pytest.raises(ImportFileError, match="複数の年次が含まれています（2015、2020）"):
        estat.parse("\n".join(lines))
