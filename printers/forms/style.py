"""The state style shared by every A4 form: agency left, national motto right, Times-like serif, signatures.

Margins and sizes follow the usual administrative layout (body 13 pt serif, title bold capitals).
Liberation Serif is embedded, so the PDF prints the same Vietnamese on any PC.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import qrcode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from counter_app.rules.display import fmt_date_formal
from counter_app.views.dossiers import OfficeInfo
from printers.fonts import register_reportlab_fonts

FONT = register_reportlab_fonts()
BOLD = "Serif-Bold"
ITALIC = "Serif-Italic"

BODY = ParagraphStyle("body", fontName=FONT, fontSize=13, leading=17, alignment=TA_JUSTIFY, spaceAfter=3)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=11, leading=13.5, alignment=TA_LEFT, spaceAfter=0)
CELL = ParagraphStyle("cell", parent=SMALL, fontSize=10.5, leading=12.5)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName=BOLD, alignment=TA_CENTER)
CENTER = ParagraphStyle("center", parent=BODY, alignment=TA_CENTER, spaceAfter=0)
CENTER_BOLD = ParagraphStyle("centerbold", parent=CENTER, fontName=BOLD)
CENTER_ITALIC = ParagraphStyle("centeritalic", parent=CENTER, fontName=ITALIC)
RIGHT_ITALIC = ParagraphStyle("rightitalic", parent=BODY, fontName=ITALIC, alignment=TA_RIGHT)
TITLE = ParagraphStyle("title", parent=CENTER, fontName=BOLD, fontSize=14, leading=18, spaceBefore=8)
HEAD_LEFT = ParagraphStyle("headleft", parent=CENTER, fontSize=12, leading=14.5)
HEAD_RIGHT = ParagraphStyle("headright", parent=CENTER, fontName=BOLD, fontSize=12, leading=14.5)



def place_name(office: OfficeInfo) -> str:
    """The place before the date: "Thành phố Hà Nội" is written "Hà Nội"."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if office.province_name.startswith(prefix):
            return office.province_name[len(prefix):]
    return office.province_name or office.ward_name


def _plain(commands: list) -> TableStyle:
    """A table style whose bare-string cells use the embedded serif too (reportlab's default is Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def esc(text: str) -> str:
    """Text for a reportlab Paragraph: NFC and with markup characters escaped."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(text, style)


def field(label: str, value: str) -> Paragraph:
    """ "Label: value" with the value in bold (values are escaped, labels are ours)."""
    return p(f"{label}: <b>{esc(value)}</b>" if value else f"{label}: ……………………………………")


class _Underline(Flowable):
    """The short rule under the agency name and the motto."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width, self.height = width, 2

    def draw(self) -> None:
        self.canv.setLineWidth(0.7)
        self.canv.line(0, 1, self.width, 1)


def _centered_rule(width: float) -> Table:
    table = Table([[_Underline(width)]], colWidths=[width])
    table.hAlign = "CENTER"
    table.setStyle(_plain([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


_UNIT = re.compile(r"\s((?:PHƯỜNG|XÃ|THỊ TRẤN|ĐẶC KHU)\s.+)$")


def agency_lines(name: str) -> str:
    """An agency's name in capitals for the header, its commune or ward on a line of its own and never
    split ("ỦY BAN NHÂN DÂN<br/>PHƯỜNG CỬA NAM", not "… PHƯỜNG CỬA / NAM")."""
    text = esc(name.upper())
    found = _UNIT.search(text)
    if not found:
        return text
    unit = found.group(1).replace(" ", "&nbsp;")
    return f"{text[:found.start()]}<br/>{unit}"


def _fitting(name: str, font: str, width: float) -> ParagraphStyle:
    """The header's style, a point or two smaller when a line of the agency's name would not fit its column
    (a long centre name would wrap in the middle, the way the commune's name used to)."""
    text = name.upper()
    found = _UNIT.search(text)
    lines = [text[:found.start()], found.group(1)] if found else [text]
    widest = max(stringWidth(line, font, HEAD_LEFT.fontSize) for line in lines)
    size = HEAD_LEFT.fontSize
    while size > 9 and widest * size / HEAD_LEFT.fontSize > width * 0.92:
        size -= 0.5
    if size == HEAD_LEFT.fontSize:
        return HEAD_LEFT
    return ParagraphStyle(f"headleft{size}", parent=HEAD_LEFT, fontSize=size, leading=size * 1.2)


def header(office: OfficeInfo, frame_width: float, *, number: str = "", on: date | None = None) -> list[Flowable]:
    """Agency block on the left, the national motto on the right, then the number and place/date line."""
    column = frame_width * 0.45
    left = [p(agency_lines(office.parent_name), _fitting(office.parent_name, FONT, column))] \
        if office.parent_name else []
    left += [p(f"<b>{agency_lines(office.name)}</b>", _fitting(office.name, BOLD, column)), _centered_rule(40 * mm)]
    right = [p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEAD_RIGHT),
             p("Độc lập - Tự do - Hạnh phúc", HEAD_RIGHT), _centered_rule(58 * mm)]
    widths = [frame_width * 0.45, frame_width * 0.55]
    rows = [[left, right]]
    if number or on:
        rows.append([p(esc(number), CENTER) if number else "",
                     p(f"{place_name(office)}, {fmt_date_formal(on)}", CENTER_ITALIC) if on else ""])
    table = Table(rows, colWidths=widths)
    table.setStyle(_plain([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]


@lru_cache(maxsize=64)
def _qr_runs(data: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR matrix of `data` as (size in modules, dark runs (row, first column, length)).

    Encoded once per link (a receipt's copies and a reprint share it). The `qrcode` library's own mask
    choice is kept: on A4 there is time for it, unlike on the kiosk's ticket.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    runs = []
    for r, row in enumerate(code.get_matrix()):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return code.modules_count, tuple(runs)


class QrFlowable(Flowable):
    """A QR code drawn as one filled path of horizontal runs, with a quiet zone of two modules.

    reportlab's own widget makes a shape per module and scores all eight masks on every build; this
    draws the same code in a fraction of the time and the PDF is smaller.
    """

    def __init__(self, data: str, size: float = 26 * mm) -> None:
        super().__init__()
        self.data, self.width, self.height = data, size, size

    def draw(self) -> None:
        count, runs = _qr_runs(self.data)
        module = self.width / (count + 4)
        top = self.height - 2 * module
        path = self.canv.beginPath()
        for r, c, length in runs:
            path.rect(2 * module + c * module, top - (r + 1) * module, length * module, module)
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.drawPath(path, stroke=0, fill=1)


def qr(data: str, size: float = 26 * mm) -> QrFlowable:
    return QrFlowable(data, size)


def title_with_code(title: str, code: str, link: str | Flowable, frame_width: float, subtitle: str = "") -> Table:
    """The form's title centred, with the dossier code and its status QR code (or a ready drawing) at the right."""
    text = [p(esc(title), TITLE)]
    if subtitle:
        text.append(p(esc(subtitle), CENTER_ITALIC))
    text.append(p(f"Mã hồ sơ: <b>{esc(code)}</b>", CENTER))
    table = Table([[text, qr(link) if isinstance(link, str) else link]], colWidths=[frame_width - 30 * mm, 30 * mm])
    table.setStyle(_plain([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                           ("RIGHTPADDING", (1, 0), (1, 0), 0)]))
    return table


def signatures(frame_width: float, blocks: Sequence[tuple[str, str]]) -> KeepTogether:
    """Signature blocks side by side: (who, name printed under the space for the signature)."""
    cells = [[p(f"<b>{esc(who)}</b>", CENTER), p("(Ký và ghi rõ họ tên)" if who else "", CENTER_ITALIC),
              Spacer(1, 22 * mm), p(f"<b>{esc(name)}</b>" if name else "", CENTER)] for who, name in blocks]
    table = Table([cells], colWidths=[frame_width / len(blocks)] * len(blocks))
    table.setStyle(_plain([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 6 * mm), table])


def grid(
    rows: list[list], widths: list[float], *, header_rows: int = 1, size: float = 10.5, padding: float = 6
) -> Table:
    """A ruled table; cells given as strings are wrapped in paragraphs so long text wraps."""
    cell = ParagraphStyle(f"cell{size}", parent=CELL, fontSize=size, leading=size * 1.2)
    head = ParagraphStyle(f"cellhead{size}", parent=CELL_HEAD, fontSize=size, leading=size * 1.2)
    body = [[c if not isinstance(c, str) else p(esc(c), head if i < header_rows else cell) for c in row]
            for i, row in enumerate(rows)]
    table = Table(body, colWidths=widths, repeatRows=header_rows)
    table.setStyle(_plain([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.93, 0.93, 0.93)),
    ]))
    return table


def copy_mark(number: int, copies: int, holders: Sequence[str]) -> Paragraph:
    holder = holders[number - 1] if number - 1 < len(holders) else ""
    return p(f"Liên {number}/{copies}{': ' + esc(holder) if holder else ''}", RIGHT_ITALIC)


def build(pages: Sequence[list[Flowable]], *, title: str, landscape_page: bool = False) -> bytes:
    """The PDF of the given pages (each a list of flowables, one copy per page group), fonts embedded."""
    size = landscape(A4) if landscape_page else A4
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=size, leftMargin=25 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=title, author="counter-app", lang="vi",
                            initialFontName=FONT, initialFontSize=13, initialLeading=17)
    story: list[Flowable] = []
    for i, page in enumerate(pages):
        if i:
            story.append(PageBreak())
        story += page
    doc.build(story)
    return buffer.getvalue()


def frame_width(landscape_page: bool = False) -> float:
    width = (landscape(A4) if landscape_page else A4)[0]
    return width - 40 * mm
