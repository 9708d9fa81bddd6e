"""CSV and PDF exports of the two-base cost simulation (Japanese by default, English on request).

The PDF uses reportlab's built-in Japanese CID font (HeiseiKakuGo-W5): no font file is read or embedded,
so it works offline and PDF viewers supply the glyphs.
"""

import csv
import io
import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from nikyoten.support.cost import CATEGORIES, CATEGORY_LABELS, CostResult, MonthRow

PDF_FONT = "HeiseiKakuGo-W5"
_COLUMNS: tuple[str, ...] = ("month", *CATEGORIES, "net")


def _label(key: str, language: str) -> str:
    ja, en = CATEGORY_LABELS[key]
    return en if language == "en" else ja


def _text(ja: str, en: str, language: str) -> str:
    return en if language == "en" else ja


def to_csv(result: CostResult, *, language: str = "ja") -> str:
    """A header row, one row per month and a totals row; programs are negative, `net` is each row's sum.

    Only numbers follow the header, so no cell can be read as a spreadsheet formula. The byte-order mark
    (for Excel) is the caller's business.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_label(column, language) for column in _COLUMNS])
    for row in result.monthly_rows:
        writer.writerow([getattr(row, column) for column in _COLUMNS])
    writer.writerow(
        [
            _text("合計", "Total", language),
            *(result.totals[category] for category in CATEGORIES),
            result.net_total,
        ]
    )
    return buffer.getvalue()


def register_font() -> str:
    """Register reportlab's built-in Japanese CID font (once per process); returns its name."""
    try:
        pdfmetrics.getFont(PDF_FONT)
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=4),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4
        ),
        "subheading": ParagraphStyle(
            "subheading", parent=base, fontSize=10, leading=14, spaceBefore=6, spaceAfter=3
        ),
        "body": base,
        "bullet": ParagraphStyle(
            "bullet",
            parent=base,
            fontSize=8,
            leading=11.5,
            leftIndent=10,
            bulletIndent=2,
            bulletFontName=font,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7, leading=9),
    }


def _table(
    rows: list[list[object]], *, font: str, widths: list[float] | None = None, total_row: bool = False
) -> Table:
    """A ruled table: the first row is the (repeated) header, numbers are right-aligned."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F4F4")))
    table.setStyle(TableStyle(commands))
    return table


def _yen(amount: int) -> str:
    return f"{amount:,}"


def _header_cells(
    keys: Sequence[str], first: str, styles: dict[str, ParagraphStyle], language: str
) -> list[object]:
    return [Paragraph(escape(first), styles["cell"])] + [
        Paragraph(escape(_label(key, language)), styles["cell"]) for key in keys
    ]


def _yearly_rows(rows: list[MonthRow]) -> list[tuple[int, list[MonthRow]]]:
    years = math.ceil(len(rows) / 12)
    return [(year, rows[(year - 1) * 12 : year * 12]) for year in range(1, years + 1)]


def _result_story(
    result: CostResult, *, styles: dict[str, ParagraphStyle], font: str, language: str, width: float
) -> list[Flowable]:
    en = language == "en"
    mode = result.mode.label_en if en else result.mode.label_ja
    a, b = result.base_a.label(language), result.base_b.label(language)
    story: list[Flowable] = [
        Paragraph(escape(f"{a} – {b}（{mode}）" if not en else f"{a} – {b} ({mode})"), styles["heading"])
    ]

    pass_text = "—" if result.monthly_pass_yen is None else f"{_yen(result.monthly_pass_yen)}"
    figures = [
        [_text("項目", "Item", language), _text("値", "Value", language)],
        [_text("拠点A", "Base A", language), a],
        [_text("拠点B", "Base B", language), b],
        [_text("直線距離", "Great-circle distance", language), f"{result.distance_km:,.1f} km"],
        [_text("片道運賃（円）", "One-way fare (yen)", language), _yen(result.one_way_yen)],
        [
            _text("片道の所要時間", "One-way time", language),
            f"{result.one_way_minutes} {_text('分', 'min', language)}",
        ],
        [_text("1か月定期（円）", "Monthly pass (yen)", language), pass_text],
        [
            _text("交通費の計算", "Travel counted as", language),
            _text("定期券", "monthly pass", language)
            if result.uses_pass
            else _text("毎回の運賃", "fare by fare", language),
        ],
        [_text("交通費（月額・円）", "Travel per month (yen)", language), _yen(result.travel_monthly)],
        [_text("期間", "Period", language), f"{result.months} {_text('か月', 'months', language)}"],
        [_text("初年度の合計（円）", "First-year net (yen)", language), _yen(result.first_year_net)],
        [_text("5年間の合計（円）", "Five-year net (yen)", language), _yen(result.five_year_net)],
        [_text("期間の合計（円）", "Net over the period (yen)", language), _yen(result.net_total)],
        [_text("月平均（円）", "Monthly average (yen)", language), _yen(result.monthly_average_net)],
    ]
    story.append(_table([list(row) for row in figures], font=font, widths=[60 * mm, 90 * mm]))

    story.append(Paragraph(escape(_text("前提条件", "Assumptions", language)), styles["subheading"]))
    for ja, en_text in result.assumptions:
        story.append(Paragraph(escape(en_text if en else ja), styles["bullet"], bulletText="•"))

    numeric = (*CATEGORIES, "net")
    column_width = width / (len(numeric) + 1)
    story.append(
        Paragraph(escape(_text("年ごとの集計（円）", "By year (yen)", language)), styles["subheading"])
    )
    yearly: list[list[object]] = [_header_cells(numeric, _text("年", "Year", language), styles, language)]
    for year, months in _yearly_rows(result.monthly_rows):
        label = _text(f"{year}年目", f"Year {year}", language)
        yearly.append([label, *(_yen(sum(getattr(row, key) for row in months)) for key in numeric)])
    yearly.append(
        [
            _text("合計", "Total", language),
            *(_yen(result.totals[key]) for key in CATEGORIES),
            _yen(result.net_total),
        ]
    )
    story.append(_table(yearly, font=font, widths=[column_width] * (len(numeric) + 1), total_row=True))

    story.append(
        Paragraph(escape(_text("月ごとの内訳（円）", "By month (yen)", language)), styles["subheading"])
    )
    monthly: list[list[object]] = [_header_cells(numeric, _label("month", language), styles, language)]
    for row in result.monthly_rows:
        monthly.append([str(row.month), *(_yen(getattr(row, key)) for key in numeric)])
    monthly.append(
        [
            _text("合計", "Total", language),
            *(_yen(result.totals[key]) for key in CATEGORIES),
            _yen(result.net_total),
        ]
    )
    story.append(_table(monthly, font=font, widths=[column_width] * (len(numeric) + 1), total_row=True))
    return story


def _comparison_story(
    results: Sequence[CostResult], *, styles: dict[str, ParagraphStyle], font: str, language: str
) -> list[Flowable]:
    header = [
        _text("拠点B", "Base B", language),
        _text("交通手段", "Mode", language),
        _text("直線距離 (km)", "Distance (km)", language),
        _text("片道運賃", "One-way fare", language),
        _text("片道時間（分）", "One-way min", language),
        _text("月平均", "Monthly avg", language),
        _text("初年度", "First year", language),
        _text("5年間", "Five years", language),
    ]
    rows: list[list[object]] = [[Paragraph(escape(cell), styles["cell"]) for cell in header]]
    for result in results:
        rows.append(
            [
                Paragraph(escape(result.base_b.label(language)), styles["cell"]),
                result.mode.label_en if language == "en" else result.mode.label_ja,
                f"{result.distance_km:,.1f}",
                _yen(result.one_way_yen),
                str(result.one_way_minutes),
                _yen(result.monthly_average_net),
                _yen(result.first_year_net),
                _yen(result.five_year_net),
            ]
        )
    return [
        Paragraph(
            escape(_text("候補の比較（円）", "Candidates compared (yen)", language)), styles["heading"]
        ),
        _table(rows, font=font),
    ]


def to_pdf(results: CostResult | Sequence[CostResult], *, title: str, language: str = "ja") -> bytes:
    """A4 report: title, for each result its bases, key figures, assumptions, yearly and monthly tables.

    With more than one result (a comparison of base-B candidates) a comparison table comes first and each
    result starts on a new page; the monthly table breaks across pages with its header repeated.
    """
    items = [results] if isinstance(results, CostResult) else list(results)
    font = register_font()
    styles = _styles(font)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="nikyoten",
        subject=_text("二拠点生活の費用試算", "Two-base living cost estimate", language),
        lang="en" if language == "en" else "ja",
        displayDocTitle=True,
        invariant=True,
    )
    story: list[Flowable] = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(
            escape(
                _text(
                    "金額は円単位の概算（推定値）です。前提条件をご確認ください。",
                    "Amounts are estimates in yen; see the assumptions.",
                    language,
                )
            ),
            styles["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    if len(items) > 1:
        story.extend(_comparison_story(items, styles=styles, font=font, language=language))
    for index, result in enumerate(items):
        if index > 0 or len(items) > 1:
            story.append(PageBreak())
        story.extend(_result_story(result, styles=styles, font=font, language=language, width=doc.width))

    def footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.drawString(15 * mm, 8 * mm, title[:80])
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, f"{document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
