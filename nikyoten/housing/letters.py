"""Owner letters of an outreach campaign: a printable PDF (one A4 page per letter) and a mail-merge CSV.

Both are documents for owners in Japan and for a Japanese word processor's mail merge, so their wording and
the CSV header stay Japanese whatever the language of the page that asked for them. The PDF uses the support
exports' built-in Japanese CID font (nothing embedded).
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from nikyoten.core.dates import wareki_date
from nikyoten.core.text import spreadsheet_safe
from nikyoten.support.exports import register_font

CSV_HEADER = ("管理番号", "宛名", "郵便番号", "住所", "物件の所在地", "差出人", "件名", "本文")


@dataclass(frozen=True)
class Letter:
    owner_name: str
    postal_code: str
    owner_address: str
    case_address: str
    reference: str
    subject: str
    body: str


def postal_mark(code: str) -> str:
    """〒786-0000 for a 7-digit postal code; empty when none is recorded."""
    return f"〒{code[:3]}-{code[3:]}" if len(code) == 7 else ""


def to_csv(rows: Sequence[Letter], *, sender: str) -> str:
    """One row per letter, ready for a mail merge; the byte-order mark (for Excel) is the caller's business."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                spreadsheet_safe(value)
                for value in (
                    row.reference,
                    f"{row.owner_name} 様",
                    postal_mark(row.postal_code),
                    row.owner_address,
                    row.case_address,
                    sender,
                    row.subject,
                    row.body,
                )
            ]
        )
    return buffer.getvalue()


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    return [Paragraph(escape(line) or "&nbsp;", style) for line in text.splitlines()]


def to_pdf(rows: Sequence[Letter], *, sender: str, title: str, on: date) -> bytes:
    """A4, one page per letter: the owner's address block (〒, address, name), date and sender, subject, body."""
    font = register_font()
    base = ParagraphStyle("letter", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK")
    address = ParagraphStyle("address", parent=base, fontSize=11, leading=16)
    name = ParagraphStyle("name", parent=base, fontSize=14, leading=20, spaceBefore=4)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    subject = ParagraphStyle("subject", parent=base, fontSize=13, leading=20, alignment=TA_CENTER)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=sender,
        lang="ja",
        displayDocTitle=True,
        invariant=True,
    )
    story: list[Flowable] = []
    for index, row in enumerate(rows):
        if index:
            story.append(PageBreak())
        story += [
            Paragraph(escape(postal_mark(row.postal_code)), address),
            *_paragraphs(row.owner_address, address),
            Paragraph(escape(f"{row.owner_name} 様"), name),
            Spacer(1, 12 * mm),
            Paragraph(escape(wareki_date(on)), right),
            Paragraph(escape(sender), right),
            Spacer(1, 10 * mm),
            Paragraph(escape(row.subject), subject),
            Spacer(1, 8 * mm),
            *_paragraphs(row.body, base),
            Spacer(1, 12 * mm),
            Paragraph(escape(f"管理番号 {row.reference}／物件の所在地 {row.case_address}"), small),
        ]
    if not story:
        story.append(Paragraph(escape("文書はありません。"), base))
    doc.build(story)
    return buffer.getvalue()
