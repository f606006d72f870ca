"""A period's report on A4 landscape: the office's header, each table of the report, signatures.

The tables and their columns are `counter_app.reports.tables`', the same the Excel workbook holds.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from counter_app.reports.tables import ReportTable, cell_text, period_text, report_tables
from counter_app.views.dossiers import OfficeInfo
from counter_app.views.reports import PeriodReport
from printers.forms.style import CENTER_ITALIC, SMALL, TITLE, build, esc, frame_width, grid, header, p, signatures

TABLE_TITLE = ParagraphStyle("tabletitle", parent=SMALL, keepWithNext=1, spaceAfter=4)


def _widths(table: ReportTable, w: float) -> list[float]:
    """The name column takes what the figures leave (a narrow STT first when there is one)."""
    figures = len(table.headings) - 1
    if table.headings[0] == "STT":
        rest = (w - 10 * mm - 62 * mm) / (figures - 1)
        return [10 * mm, 62 * mm, *[rest] * (figures - 1)]
    first = 62 * mm if figures > 2 else w / 2
    return [first, *[(w - first) / figures] * figures]


def _section(table: ReportTable, w: float) -> list[Flowable]:
    rows = [table.headings, *[[cell_text(c) for c in row] for row in table.rows]]
    if len(rows) == 1:
        rows.append(["Không có số liệu trong kỳ", *[""] * (len(table.headings) - 1)])
    return [Spacer(1, 4 * mm), p(f"<b>{esc(table.title)}</b>", TABLE_TITLE),
            grid(rows, _widths(table, w), size=8, padding=2)]  # its headings repeat on every page it spans


def period_report(office: OfficeInfo, report: PeriodReport, *, printed_on: date, made_by: str) -> bytes:
    """`made_by`: the full name of who made it (it is signed as the maker's, the head of the unit signs beside)."""
    w = frame_width(landscape_page=True)
    story: list[Flowable] = [
        *header(office, w, on=printed_on),
        p("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", TITLE),
        p(esc(period_text(report)) + f" — số liệu đến {report.at:%H:%M %d/%m/%Y}", CENTER_ITALIC),
    ]
    for table in report_tables(report):
        story += _section(table, w)
    story.append(signatures(w, [("NGƯỜI LẬP BÁO CÁO", made_by), ("TRƯỞNG BỘ PHẬN MỘT CỬA", "")]))
    return build([story], title=f"Báo cáo {period_text(report)}", landscape_page=True)
