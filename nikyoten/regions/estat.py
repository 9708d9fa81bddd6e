"""Read an e-Stat census table (CSV, column-oriented download) into population, age groups and households per code.

A pure module (no Django). The download starts with title lines, then a header row naming `地域 コード` and
`value`, then one row per cell, then notes. Suppressed or absent values (`-`, `X`, `…`, `***`, blank) are missing,
never zero: a total that needs a missing part is missing too. Rows for Japan or a prefecture (xx000) are skipped;
malformed rows raise ImportFileError naming the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from nikyoten.core.text import nfkc
from nikyoten.regions.ksj import ImportFileError, normalise_code

SUPPRESSED = {"", "-", "－", "X", "x", "…", "...", "***", "*"}
_AREA_COLUMNS = ("地域 コード", "地域コード", "area_code")
_VALUE_COLUMNS = ("value", "値")
_TIME_COLUMN = re.compile(r"^(時間軸|time)")
_NOT_CATEGORY = re.compile(r"(コード|_code)$|^(/?単位|unit|注釈記号|annotation|value|値)$")
_TOTAL = re.compile(r"^(総数|国籍総数|男女計|総計)")
_AGE = re.compile(r"^(?P<lo>[0-9]+)(?:[～〜~-](?P<hi>[0-9]+))?歳(?P<open>以上)?$")
_YEAR = re.compile(r"([0-9]{4})")
# Age groups derived from whatever bins the table has (single years or 5-year groups).
AGE_GROUPS = {
    "children_0_5": (0, 5),
    "population_0_14": (0, 14),
    "population_15_64": (15, 64),
    "population_65_over": (65, None),
}


@dataclass
class CensusFile:
    edition: str
    rows_read: int = 0
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # code → its first line, to name it in messages
    skipped: Counter[str] = field(default_factory=Counter)

    rows_imported: int = 0  # rows that gave a value (a population, an age group or households)


def decode(raw: bytes) -> str:
    """e-Stat offers UTF-8 (with BOM) and Shift_JIS downloads."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp932")


def _number(text: str) -> int | None:
    text = nfkc(text).strip().replace(",", "")
    if text in SUPPRESSED:
        return None
    if not re.fullmatch(r"[0-9]+", text):
        raise ValueError(text)
    return int(text)


def _tiled(bins: dict[tuple[int, int | None], int | None], lo: int, hi: int | None) -> int | None:
    """The sum of bins that exactly cover ages lo..hi (None = and over); None when not coverable or suppressed."""
    total, age = 0, lo
    while True:
        candidates = [
            (b_hi, value)
            for (b_lo, b_hi), value in bins.items()
            if b_lo == age and (hi is None or (b_hi is not None and b_hi <= hi))
        ]
        if not candidates:
            return None
        # The widest bin first (0〜14歳 rather than 0歳, 1歳, …); an open bin ends the walk.
        b_hi, value = max(candidates, key=lambda c: float("inf") if c[0] is None else c[0])
        if value is None:
            return None
        total += value
        if b_hi is None or b_hi == hi:
            return total
        age = b_hi + 1


def parse(text: str) -> CensusFile:
    """Read the table; raise ImportFileError naming each malformed line."""
    rows = list(csv.reader(io.StringIO(text)))
    header_at = next(
        (i for i, row in enumerate(rows) if any(c.strip() in _AREA_COLUMNS for c in row)),
        None,
    )
    if header_at is None:
        raise ImportFileError(["見出し行（「地域 コード」の列）が見つかりません"])
    header = [c.strip() for c in rows[header_at]]
    value_col = next((i for i, c in enumerate(header) if c in _VALUE_COLUMNS), None)
    if value_col is None:
        raise ImportFileError([f"{header_at + 1} 行目: 値の列（value）がありません"])
    area_col = next(i for i, c in enumerate(header) if c in _AREA_COLUMNS)
    time_col = next(
        (i for i, c in enumerate(header) if _TIME_COLUMN.match(c) and not c.endswith("コード")), None
    )
    tab_col = next(
        (i for i, c in enumerate(header) if c.startswith("表章項目") and not c.endswith("コード")), None
    )
    categories = [
        i
        for i, c in enumerate(header)
        if not _NOT_CATEGORY.search(c) and i not in (tab_col, time_col) and not c.startswith("地域")
    ]

    problems: list[str] = []
    years: set[str] = set()
    totals: dict[str, dict[str, int | None]] = defaultdict(dict)
    ages: dict[str, dict[tuple[int, int | None], int | None]] = defaultdict(dict)
    result = CensusFile(edition="")
    for line, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if len(row) != len(header):
            if len(row) <= 2:  # the notes after the table (注記) and blank lines
                continue
            problems.append(f"{line} 行目: 列の数が {len(row)} です（見出しは {len(header)} 列）")
            continue
        result.rows_read += 1
        try:
            code = normalise_code(row[area_col])
        except ValueError:
            problems.append(f"{line} 行目: 地域 コード「{row[area_col]}」が市区町村コードではありません")
            continue
        result.lines.setdefault(code, line)
        if code.endswith("000"):
            result.skipped["全国・都道府県の行"] += 1
            continue
        try:
            value = _number(row[value_col])
        except ValueError:
            problems.append(f"{line} 行目: value「{row[value_col]}」が数値ではありません")
            continue
        if time_col is not None and (year := _YEAR.search(row[time_col])):
            years.add(year[1])
        tab = row[tab_col].strip() if tab_col is not None else "人口"
        labels = [nfkc(row[i]).strip() for i in categories]
        subjects = [label for label in labels if not _TOTAL.match(label)]
        if not subjects and tab in ("人口", "総人口"):
            totals[code]["population"] = value
        elif not subjects and tab in ("世帯数", "一般世帯数"):
            totals[code].setdefault("households", value)
        elif len(subjects) == 1 and tab in ("人口", "総人口") and (age := _AGE.match(subjects[0])):
            lo = int(age["lo"])
            hi = None if age["open"] else int(age["hi"] or lo)
            ages[code][(lo, hi)] = value
        else:
            result.skipped["使わない項目"] += 1
            continue
        result.rows_imported += 1
    if len(years) > 1:
        problems.append(
            f"複数の年次が含まれています（{'、'.join(sorted(years))}）。1年次ずつ取り込んでください"
        )
    if problems:
        raise ImportFileError(problems)

    result.edition = years.pop() if years else ""
    for code in sorted(set(totals) | set(ages)):
        found = {key: value for key, value in totals[code].items() if value is not None}
        for key, (lo, hi) in AGE_GROUPS.items():
            if (value := _tiled(ages[code], lo, hi)) is not None:
                found[key] = value
        if found:
            result.values[code] = found
        else:
            result.skipped["秘匿・該当なしの値だけの地域"] += 1
    return result
