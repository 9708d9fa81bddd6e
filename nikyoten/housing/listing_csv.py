"""The listing CSV format for offices that keep listings in spreadsheets: decode, parse and check every row.

No database here. The headers are Japanese and fixed (the file format, documented in
docs/decisions/20261126-housing-listings.md); values are read the way people type them in Excel: full-width
digits, thousands separators, choice labels or codes. Every problem is reported as (行, 列, 理由); a file with
any problem is not imported at all.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from nikyoten.core.dates import ERAS, year_from_wareki
from nikyoten.core.text import digits_only, nfkc
from nikyoten.housing import listing_rules
from nikyoten.housing.choices import (
    BuildingCondition,
    BuildingStructure,
    InternetAccess,
    ListingKind,
    ListingStatus,
    PetPolicy,
)
from nikyoten.housing.listing_rules import Place, PlaceNotFound, Places, Scope
from nikyoten.housing.models import floor_plan_validator

ENCODINGS = ("utf-8-sig", "cp932")
PROGRESS_EVERY = 1000


class CsvError(Exception):
    """The file as a whole cannot be read (encoding, no header); the message says why (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    line: int  # as Excel numbers rows: the header is 1
    column: str
    message: str


@dataclass
class Row:
    line: int
    municipality: Place
    values: dict[str, Any]


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class ValueInvalid(Exception):
    """One cell cannot be read; the message says why (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueInvalid(_("%(max)s文字以内で入力してください。") % {"max": max_length})
        return value

    return parse


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _number_text(value: str) -> str:
    """Full-width digits and commas made ASCII, commas dropped; anything else (万, 円, 約) is refused."""
    plain = nfkc(value).replace(",", "").replace(" ", "")
    if not _NUMBER.fullmatch(plain):
        raise ValueInvalid(
            _(
                "「%(value)s」は数値ではありません。「30000」のように数字だけで入力してください（「万」「円」などは付けません）。"
            )
            % {"value": value}
        )
    return plain


def _integer(maximum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        plain = _number_text(value)
        if "." in plain:
            raise ValueInvalid(_("「%(value)s」は整数ではありません。") % {"value": value})
        number = int(plain)
        if number > maximum:
            raise ValueInvalid(_("%(max)s以下の数で入力してください。") % {"max": f"{maximum:,}"})
        return number

    return parse


def _decimal(maximum: int) -> Callable[[str], Decimal]:
    def parse(value: str) -> Decimal:
        try:
            number = Decimal(_number_text(value)).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise ValueInvalid(_("「%(value)s」は数値ではありません。") % {"value": value}) from exc
        if number >= maximum:
            raise ValueInvalid(_("%(max)s未満の数で入力してください。") % {"max": f"{maximum:,}"})
        return number

    return parse


def _coordinate(low: float, high: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = float(_number_text(value))
        if not low <= number <= high:
            raise ValueInvalid(_("%(low)s〜%(high)sの範囲で入力してください。") % {"low": low, "high": high})
        return number

    return parse


_ERA_NAMES = "|".join(era.name for era in ERAS)
_WAREKI_YEAR = re.compile(rf"({_ERA_NAMES})(元|\d+)年?")


def _year(value: str) -> int:
    """`1978`, `１９７８年` or `昭和53年`; the range is checked with the other rules."""
    plain = nfkc(value).replace(" ", "")
    match = _WAREKI_YEAR.fullmatch(plain)
    if match:
        return year_from_wareki(match.group(1), 1 if match.group(2) == "元" else int(match.group(2)))
    return _integer(9999)(plain.removesuffix("年"))


def _choice(choices: Iterable[tuple[str, Any]]) -> Callable[[str], str]:
    """A choice by its Japanese label (as shown on the site) or its code."""
    with translation.override("ja"):
        by_text = {nfkc(str(label)): value for value, label in choices}
    by_text.update({value: value for value in by_text.values()})

    def parse(value: str) -> str:
        found = by_text.get(nfkc(value))
        if found is None:
            raise ValueInvalid(
                _("「%(value)s」は選べません（%(choices)s のどれかを入力してください）。")
                % {"value": value, "choices": "、".join(k for k in by_text if k not in by_text.values())}
            )
        return found

    return parse


_TRUE = frozenset({"あり", "有", "はい", "可", "○", "〇", "1", "true", "yes"})
_FALSE = frozenset({"なし", "無", "いいえ", "不可", "×", "0", "false", "no"})


def _boolean(value: str) -> bool:
    plain = nfkc(value).lower()
    if plain in _TRUE:
        return True
    if plain in _FALSE:
        return False
    raise ValueInvalid(_("「%(value)s」は「あり」か「なし」で入力してください。") % {"value": value})


def _date(value: str) -> date:
    plain = nfkc(value).replace("/", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", plain)
    try:
        if match is None:
            raise ValueError(value)
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise ValueInvalid(
            _("「%(value)s」は日付ではありません。「2025-04-01」か「2025/4/1」の形で入力してください。")
            % {"value": value}
        ) from exc


def _floor_plan(value: str) -> str:
    plain = nfkc(value).upper().replace(" ", "")
    if not re.fullmatch(floor_plan_validator.regex, plain):
        raise ValueInvalid(
            _(
                "「%(value)s」は間取りとして読めません。「4LDK」「2DK」「1R」「ワンルーム」のように入力してください。"
            )
            % {"value": value}
        )
    return plain


def _postal_code(value: str) -> str:
    code = digits_only(value)
    if not re.fullmatch(r"\d{7}", code):
        raise ValueInvalid(_("郵便番号は7桁の数字で入力してください（例: 786-0000）。"))
    return code


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[str], Any]
    required: bool = False


#: The columns, in the order of the template CSV. `市区町村` is resolved separately (code or name).
COLUMNS = (
    Column("種別", "kind", _choice(ListingKind.choices), required=True),
    Column("タイトル", "title", _text(120), required=True),
    Column("市区町村", "municipality", str, required=True),
    Column("所在地", "address", _text(200), required=True),
    Column("募集状況", "status", _choice(ListingStatus.choices)),
    Column("説明", "description", _text(5000)),
    Column("価格（円）", "sale_price_yen", _integer(10**12)),
    Column("賃料（円／月）", "rent_yen", _integer(2_000_000_000)),
    Column("間取り", "floor_plan", _floor_plan),
    Column("建物面積（㎡）", "building_area_m2", _decimal(10**6)),
    Column("土地面積（㎡）", "land_area_m2", _decimal(10**8)),
    Column("建築年", "year_built", _year),
    Column("構造", "structure", _choice(BuildingStructure.choices)),
    Column("建物の状態", "condition", _choice(BuildingCondition.choices)),
    Column("必要な改修", "renovation_notes", _text(5000)),
    Column("駐車場（台）", "parking_spaces", _integer(999)),
    Column("農地付き", "has_farmland", _boolean),
    Column("店舗付き", "has_shop", _boolean),
    Column("ペット", "pets", _choice(PetPolicy.choices)),
    Column("インターネット", "internet", _choice(InternetAccess.choices)),
    Column("暖房", "heating_notes", _text(200)),
    Column("雪", "snow_notes", _text(200)),
    Column("郵便番号", "postal_code", _postal_code),
    Column("緯度", "latitude", _coordinate(20, 46)),
    Column("経度", "longitude", _coordinate(122, 154)),
    Column("入居期間の上限（月）", "max_term_months", _integer(600)),
    Column("借上げ開始日", "master_lease_start", _date),
    Column("借上げ終了日", "master_lease_end", _date),
    Column("借上げの条件", "master_lease_terms", _text(5000)),
)
HEADERS = tuple(column.header for column in COLUMNS)
_BY_FIELD = {column.field: column for column in COLUMNS}


def _header_key(text: str) -> str:
    return nfkc(text).replace(" ", "").replace("\u3000", "")


_BY_HEADER = {_header_key(column.header): column for column in COLUMNS}


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or Shift_JIS (CP932, as Excel saves on Japanese Windows)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError(
        _("文字コードを読み取れません。UTF-8 か Shift_JIS（CP932）で保存したCSVを選んでください。")
    )


def template_csv() -> str:
    """The header line and one example row (四万十町's 移住支援住宅, illustrative values)."""
    example = {
        "種別": "移住支援住宅",
        "タイトル": "（記入例）川沿いの平屋",
        "市区町村": "39412",
        "所在地": "高知県高岡郡四万十町",
        "募集状況": "募集中",
        "賃料（円／月）": "25,000",
        "間取り": "3DK",
        "建築年": "昭和53年",
        "構造": "木造",
        "農地付き": "なし",
        "入居期間の上限（月）": "24",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow([example.get(header, "") for header in HEADERS])
    return buffer.getvalue()


def parse(
    text: str,
    *,
    places: Places,
    scope: Scope,
    existing: set[tuple[str, str, str]],
    today: date,
    progress: Callable[[int], None] | None = None,
) -> Parsed:
    """Read every row and collect every problem; `existing` holds (municipality, title, address) already listed."""
    reader = csv.reader(io.StringIO(text))
    result = Parsed()
    header = next(reader, None)
    if header is None:
        raise CsvError(_("CSVが空です。1行目に列名を入れてください。"))
    columns: list[Column | None] = []
    for name in header:
        column = _BY_HEADER.get(_header_key(name))
        if column is None and name.strip():
            result.errors.append(
                RowError(1, name, _("この列名は使えません（テンプレートの列名を使ってください）。"))
            )
        columns.append(column)
    present = {column.field for column in columns if column is not None}
    for column in COLUMNS:
        if column.required and column.field not in present:
            result.errors.append(RowError(1, column.header, _("必須の列がありません。")))
    if result.errors:
        return result
    seen: dict[tuple[Any, ...], int] = {}
    for index, cells in enumerate(reader, start=2):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
        if not any(cell.strip() for cell in cells):
            continue
        row = _row(index, cells, columns, places=places, scope=scope, today=today, errors=result.errors)
        if row is None:
            continue
        identity = (row.municipality.code, *sorted(row.values.items()))
        if identity in seen:
            result.errors.append(
                RowError(index, "", _("%(line)s行目と同じ内容です（重複）。") % {"line": seen[identity]})
            )
            continue
        seen[identity] = index
        if (row.municipality.code, row.values["title"], row.values["address"]) in existing:
            result.errors.append(
                RowError(
                    index, "タイトル", _("同じ市区町村・タイトル・所在地の物件がすでに登録されています。")
                )
            )
            continue
        result.rows.append(row)
    return result


def _row(
    line: int,
    cells: list[str],
    columns: list[Column | None],
    *,
    places: Places,
    scope: Scope,
    today: date,
    errors: list[RowError],
) -> Row | None:
    values: dict[str, Any] = {}
    before = len(errors)
    if len(cells) > len(columns):
        errors.append(RowError(line, "", _("列名のない位置に値があります（列の数が多すぎます）。")))
    municipality: Place | None = None
    for column, raw in zip(columns, cells, strict=False):
        if column is None:
            continue
        value = raw.strip()
        if not value:
            continue
        if column.field == "municipality":
            try:
                municipality = places.resolve(value)
            except PlaceNotFound as exc:
                errors.append(RowError(line, column.header, exc.message))
            continue
        try:
            values[column.field] = column.parse(value)
        except ValueInvalid as exc:
            errors.append(RowError(line, column.header, exc.message))
    reported = {error.column for error in errors[before:]}
    for column in COLUMNS:
        given = municipality is not None if column.field == "municipality" else column.field in values
        if column.required and not given and column.header not in reported:
            errors.append(RowError(line, column.header, _("入力してください。")))
    if municipality is None or len(errors) > before:
        return None
    facts = listing_rules.Facts(
        municipality=municipality,
        **{key: values[key] for key in _FACT_FIELDS if key in values},
    )
    for field_name, message in listing_rules.problems(facts, scope=scope, places=places, today=today):
        errors.append(RowError(line, _BY_FIELD[field_name].header, message))
    if len(errors) > before:
        return None
    return Row(line=line, municipality=municipality, values=values)


_FACT_FIELDS = (
    "kind",
    "sale_price_yen",
    "rent_yen",
    "year_built",
    "max_term_months",
    "master_lease_start",
    "master_lease_end",
    "master_lease_terms",
    "postal_code",
    "latitude",
    "longitude",
)
