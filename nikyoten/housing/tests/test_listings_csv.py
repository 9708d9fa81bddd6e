"""The listing CSV: encodings, every kind of bad row reported as (行, 列, 理由), dry run and all-or-nothing apply."""

import csv
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.models import AuditEvent
from nikyoten.accounts.tests.factories import MembershipFactory, OrganizationFactory
from nikyoten.core.exceptions import ApplicationError, NotFound
from nikyoten.housing import listing_csv, listing_rules
from nikyoten.housing.choices import SALE_KINDS, ListingKind, ListingStatus
from nikyoten.housing.models import Listing
from nikyoten.housing.selectors import listings as selectors
from nikyoten.housing.services import listings as services
from nikyoten.housing.tests.factories import ListingFactory
from nikyoten.regions.models import Municipality

HEADER = [
    "種別",
    "タイトル",
    "市区町村",
    "所在地",
    "賃料（円／月）",
    "価格（円）",
    "間取り",
    "建築年",
    "緯度",
    "経度",
]


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


class CsvTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organization = OrganizationFactory(code="39412", name="四万十町")
        cls.editor = MembershipFactory(organization=cls.organization, role=MembershipRole.EDITOR).user
        cls.shimanto = Municipality.objects.get(code="39412")
        cls.nakatosa = Municipality.objects.get(code="39401")
        cls.inside = (f"{cls.shimanto.inside_lat}", f"{cls.shimanto.inside_lng}")

    def good_rows(self) -> list[list[str]]:
        lat, lng = self.inside
        return [
            [
                "空き家（賃貸）",
                "川沿いの平屋",
                "39412",
                "四万十町藤ノ川",
                "25,000",
                "",
                "3DK",
                "1978",
                lat,
                lng,
            ],
            [
                "akiya_sale",
                "農地付きの古民家",
                "四万十町",
                "四万十町香月が丘",
                "",
                "３，０００，０００",
                "５ＬＤＫ",
                "昭和53年",
                "",
                "",
            ],
            [
                "中間管理住宅",
                "町が借り上げた家",
                "高知県四万十町",
                "四万十町琴平町",
                "１７０００",
                "",
                "",
                "",
                "",
                "",
            ],
        ]

    def parse(self, text: str) -> listing_csv.Parsed:
        return listing_csv.parse(
            text,
            places=selectors.MasterPlaces(),
            scope=selectors.scope_of(self.organization),
            existing=selectors.listing_existing_keys(organization=self.organization),
            today=timezone.localdate(),
        )

    def errors(self, rows: list[list[str]], header: list[str] = HEADER) -> list[tuple[int, str, str]]:
        return [(e.line, e.column, e.message) for e in self.parse(csv_text(rows, header)).errors]


class ParseTests(CsvTestCase):
    def test_good_rows_read_the_way_people_type_them(self) -> None:
        parsed = self.parse(csv_text(self.good_rows()))
        self.assertEqual(parsed.errors, [])
        first, second, third = (row.values for row in parsed.rows)
        self.assertEqual((first["kind"], first["rent_yen"], first["year_built"]), ("akiya_rent", 25000, 1978))
        self.assertEqual(
            (second["kind"], second["sale_price_yen"], second["floor_plan"], second["year_built"]),
            ("akiya_sale", 3_000_000, "5LDK", 1978),
        )
        self.assertEqual((third["kind"], third["rent_yen"]), (ListingKind.SUBLEASE, 17000))
        self.assertEqual([row.line for row in parsed.rows], [2, 3, 4])
        self.assertEqual({row.municipality.code for row in parsed.rows}, {"39412"})

    def test_utf8_with_and_without_bom_and_shift_jis_read_alike(self) -> None:
        text = csv_text(self.good_rows())
        for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("cp932")):
            with self.subTest(data=data[:3]):
                decoded = listing_csv.decode(data)
                self.assertEqual(decoded, text)
                self.assertEqual(len(self.parse(decoded).rows), 3)

    def test_undecodable_bytes_are_refused_as_a_whole(self) -> None:
        with self.assertRaises(listing_csv.CsvError):
            listing_csv.decode(b"\x82\x00\x81 ")

    def test_missing_required_and_unknown_columns(self) -> None:
        errors = self.errors([["賃貸", "x"]], header=["種別", "タイトル", "家賃"])
        self.assertIn((1, "家賃", "この列名は使えません（テンプレートの列名を使ってください）。"), errors)
        self.assertIn((1, "市区町村", "必須の列がありません。"), errors)
        self.assertIn((1, "所在地", "必須の列がありません。"), errors)

    def test_headers_in_full_width_or_half_width_brackets_are_the_same_column(self) -> None:
        header = ["種別", "タイトル", "市区町村", "所在地", "賃料(円/月)"]
        parsed = self.parse(csv_text([["賃貸", "離れ", "39412", "四万十町", "20000"]], header))
        self.assertEqual((parsed.errors, parsed.rows[0].values["rent_yen"]), ([], 20000))

    def test_every_bad_row_is_reported_with_line_column_and_reason(self) -> None:
        lat, lng = self.inside
        nakatosa = (f"{self.nakatosa.inside_lat}", f"{self.nakatosa.inside_lng}")
        rows = [
            ["別荘", "a", "39412", "四万十町", "20000", "", "", "", "", ""],  # 2: unknown kind
            ["賃貸", "b", "39412", "四万十町", "３万円", "", "", "", "", ""],  # 3: not a number
            ["賃貸", "c", "39412", "四万十町", "20000", "", "広い", "", "", ""],  # 4: bad 間取り
            ["賃貸", "d", "39412", "四万十町", "20000", "", "", "1850", "", ""],  # 5: year out of range
            ["賃貸", "e", "どこか町", "四万十町", "20000", "", "", "", "", ""],  # 6: unknown municipality
            ["賃貸", "f", "394121", "四万十町", "20000", "", "", "", "", ""],  # 7: wrong check digit
            ["賃貸", "g", "39412", "四万十町", "20000", "", "", "", *nakatosa],  # 8: point elsewhere
            ["賃貸", "h", "39412", "", "", "", "", "", "", ""],  # 9: missing values
            ["賃貸", "i", "39412", "四万十町", "20000", "", "", "", lat, lng],  # 10: good
            ["賃貸", "i", "39412", "四万十町", "20000", "", "", "", lat, lng],  # 11: duplicate of 10
            [
                "空き家（売買）",
                "j",
                "39412",
                "四万十町",
                "20000",
                "",
                "",
                "",
                "",
                "",
            ],  # 12: sale with rent, no price
        ]
        errors = self.errors(rows)
        by_line: dict[int, list[tuple[str, str]]] = {}
        for line, column, message in errors:
            by_line.setdefault(line, []).append((column, message))
        self.assertEqual(sorted(by_line), [2, 3, 4, 5, 6, 7, 8, 9, 11, 12])
        self.assertEqual(by_line[2][0][0], "種別")
        self.assertIn("「別荘」は選べません", by_line[2][0][1])
        self.assertEqual(by_line[3][0][0], "賃料（円／月）")
        self.assertIn("「３万円」は数値ではありません", by_line[3][0][1])
        self.assertIn("「万」「円」などは付けません", by_line[3][0][1])
        self.assertEqual(by_line[4][0][0], "間取り")
        self.assertEqual(
            by_line[5],
            [("建築年", f"建築年は1868〜{timezone.localdate().year + 1}年の範囲で入力してください。")],
        )
        self.assertEqual(by_line[6], [("市区町村", "「どこか町」という市区町村は見つかりません。")])
        self.assertEqual(by_line[7][0][0], "市区町村")
        self.assertEqual(by_line[8], [("緯度", "地図の位置が四万十町ではなく中土佐町にあります。")])
        self.assertEqual(by_line[9], [("所在地", "入力してください。")], "rules wait until every value reads")
        self.assertEqual(by_line[11], [("", "10行目と同じ内容です（重複）。")])
        self.assertEqual(
            sorted(by_line[12]),
            [
                ("価格（円）", "売買の物件には価格を入力してください。"),
                ("賃料（円／月）", "売買の物件に賃料は入力できません。"),
            ],
        )

    def test_rows_are_checked_without_a_query_per_row(self) -> None:
        def rows(count: int) -> str:
            lat, lng = self.inside
            return csv_text(
                [
                    ["賃貸", f"家{i}", "高知県四万十町", "四万十町", "20000", "", "", "", lat, lng]
                    for i in range(count)
                ]
                + [
                    ["賃貸", f"謎{i}", "どこか町", "四万十町", "20000", "", "", "", "", ""]
                    for i in range(count)
                ]
            )

        places = selectors.MasterPlaces()
        scope = selectors.scope_of(self.organization)
        today = timezone.localdate()
        with CaptureQueriesContext(connection) as few:
            listing_csv.parse(
                rows(1), places=selectors.MasterPlaces(), scope=scope, existing=set(), today=today
            )
        with self.assertNumQueries(len(few) - 1):  # the master is already read
            parsed = listing_csv.parse(rows(200), places=places, scope=scope, existing=set(), today=today)
        self.assertEqual((len(parsed.rows), len(parsed.errors)), (200, 200))

    def test_a_row_repeating_an_existing_listing_is_a_duplicate(self) -> None:
        ListingFactory(organization=self.organization, title="川沿いの平屋", address="四万十町藤ノ川")
        errors = self.errors(self.good_rows()[:1])
        self.assertEqual(
            errors, [(2, "タイトル", "同じ市区町村・タイトル・所在地の物件がすでに登録されています。")]
        )

    def test_template_csv_is_a_valid_file_that_shift_jis_can_hold(self) -> None:
        text = listing_csv.template_csv()
        self.assertEqual(listing_csv.decode(text.encode("cp932")), text)
        parsed = self.parse(text)
        self.assertEqual(parsed.errors, [])
        self.assertEqual(parsed.rows[0].values["max_term_months"], 24)


class ImportTests(CsvTestCase):
    def run_import(self, rows: list[list[str]], *, apply: bool, actor: Any = None) -> services.ImportReport:
        return services.listing_import(
            actor=actor or self.editor,
            organization_id=self.organization.pk,
            data=csv_text(rows).encode("cp932"),
            apply=apply,
        )

    def test_dry_run_writes_nothing(self) -> None:
        report = self.run_import(self.good_rows(), apply=False)
        self.assertEqual((report.rows, report.created, report.errors), (3, 0, []))
        self.assertFalse(Listing.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(entity="listing_import").exists())

    def test_apply_creates_every_row(self) -> None:
        report = self.run_import(self.good_rows(), apply=True)
        self.assertEqual(report.created, 3)
        listings = Listing.objects.order_by("id")
        self.assertEqual(
            [listing.title for listing in listings], ["川沿いの平屋", "農地付きの古民家", "町が借り上げた家"]
        )
        first = listings[0]
        self.assertEqual(
            (first.organization, first.prefecture_id, first.status),
            (self.organization, "39", ListingStatus.OPEN),
        )
        self.assertIn("しまんとちょう", first.search_text)
        self.assertLess((timezone.now() - first.last_confirmed_at).total_seconds(), 60)
        self.assertEqual(AuditEvent.objects.get(entity="listing_import").changes, {"created": 3})

    def test_apply_is_all_or_nothing(self) -> None:
        rows = [*self.good_rows(), ["賃貸", "悪い行", "39412", "四万十町", "３万円", "", "", "", "", ""]]
        report = self.run_import(rows, apply=True)
        self.assertEqual((report.created, [e.line for e in report.errors]), (0, [5]))
        self.assertFalse(Listing.objects.exists())

    def test_applying_the_same_file_twice_is_refused(self) -> None:
        self.run_import(self.good_rows(), apply=True)
        report = self.run_import(self.good_rows(), apply=True)
        self.assertEqual((report.created, len(report.errors)), (0, 3))
        self.assertEqual(Listing.objects.count(), 3)

    def test_only_editors_of_the_organization_import(self) -> None:
        viewer = MembershipFactory(organization=self.organization, role=MembershipRole.VIEWER).user
        other = MembershipFactory(organization=OrganizationFactory(code="08546")).user
        for actor in (viewer, other):
            with self.subTest(actor=actor), self.assertRaises(NotFound):
                self.run_import(self.good_rows(), apply=True, actor=actor)
        self.assertFalse(Listing.objects.exists())

    def test_an_unreadable_file_is_refused(self) -> None:
        with self.assertRaises(ApplicationError):
            services.listing_import(
                actor=self.editor, organization_id=self.organization.pk, data=b"\x82\x00\x81 ", apply=True
            )


class CommandTests(CsvTestCase):
    def file(self, rows: list[list[str]]) -> Path:
        directory = Path(tempfile.mkdtemp())
        path = directory / "listings.csv"
        path.write_bytes(csv_text(rows).encode("utf-8-sig"))
        self.addCleanup(shutil.rmtree, directory)
        return path

    def test_dry_run_then_apply(self) -> None:
        path = self.file(self.good_rows())
        out = io.StringIO()
        call_command(
            "import_listings", str(path), "--organization", str(self.organization.pk), stdout=out, verbosity=0
        )
        self.assertIn("3 件を登録できます", out.getvalue())
        self.assertFalse(Listing.objects.exists())
        call_command(
            "import_listings",
            str(path),
            "--organization",
            str(self.organization.pk),
            "--apply",
            stdout=out,
            verbosity=0,
        )
        self.assertEqual(Listing.objects.count(), 3)
        self.assertEqual(AuditEvent.objects.get(entity="listing_import").actor, None)

    def test_bad_rows_are_listed_and_nothing_is_written(self) -> None:
        path = self.file([["別荘", "a", "39412", "四万十町", "20000", "", "", "", "", ""]])
        out = io.StringIO()
        with self.assertRaises(CommandError):
            call_command(
                "import_listings",
                str(path),
                "--organization",
                str(self.organization.pk),
                "--apply",
                stdout=out,
                verbosity=0,
            )
        self.assertIn("2行目\t種別\t「別荘」は選べません", out.getvalue())
        self.assertFalse(Listing.objects.exists())


# --- properties of the cell readers and the rules (no database) ---------------------------------------------

FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def reader(field: str) -> Any:
    return next(column.parse for column in listing_csv.COLUMNS if column.field == field)


@given(st.integers(min_value=0, max_value=10**12), st.booleans(), st.booleans())
def test_amounts_read_back_however_they_are_typed(amount: int, commas: bool, full_width: bool) -> None:
    text = f"{amount:,}" if commas else str(amount)
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert reader("sale_price_yen")(text) == amount


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["万", "万円", "円", "千"]))
def test_amounts_with_units_are_never_numbers(amount: int, unit: str) -> None:
    with pytest.raises(listing_csv.ValueInvalid, match="数値ではありません"):
        reader("rent_yen")(f"{amount}{unit}".translate(FULL_WIDTH))


@given(st.integers(min_value=1, max_value=99), st.sampled_from(["R", "K", "DK", "LDK", "SK", "SDK", "SLDK"]))
def test_floor_plans_in_either_width_read_as_ascii(rooms: int, layout: str) -> None:
    typed = f"{rooms}{layout.lower()}".translate(
        str.maketrans("0123456789rkdlsk", "０１２３４５６７８９ｒｋｄｌｓｋ")
    )
    assert reader("floor_plan")(typed) == f"{rooms}{layout}"


class _NoPlaces:
    def resolve(self, text: str) -> listing_rules.Place:
        raise listing_rules.PlaceNotFound(text)

    def locate(self, lat: float, lng: float) -> listing_rules.Place | None:
        return None

    def postal_municipalities(self, postal_code: str) -> frozenset[str]:
        return frozenset()


PLACE = listing_rules.Place(code="39412", name="四万十町", prefecture_code="39")
SCOPE = listing_rules.Scope(organization_name="四万十町", prefecture_code="39", municipality_code="39412")
money = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9))


@given(st.sampled_from(ListingKind.values), money, money)
def test_price_rules_accept_exactly_one_amount_of_the_kinds_sort(kind: str, price: Any, rent: Any) -> None:
    facts = listing_rules.Facts(kind=kind, municipality=PLACE, sale_price_yen=price, rent_yen=rent)
    found = listing_rules.problems(facts, scope=SCOPE, places=_NoPlaces(), today=date(2026, 11, 26))
    accepted = not found
    if kind in SALE_KINDS:
        assert accepted == (price is not None and rent is None)
    elif kind == ListingKind.TRIAL_STAY:  # priced by its bookable unit: a monthly rent is optional
        assert accepted == (price is None)
    else:
        assert accepted == (rent is not None and price is None)
