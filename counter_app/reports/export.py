"""A period's report as an Excel workbook (a sheet per table) or one CSV file (the tables one after another)."""

from __future__ import annotations

import csv
import io

from counter_app.reports.tables import period_text, report_tables
from counter_app.views.reports import PeriodReport


def to_xlsx(report: PeriodReport, office_name: str) -> bytes:
    from openpyxl import Workbook  # only when a workbook is asked for
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in report_tables(report):
        sheet = book.create_sheet(table.sheet[:31])
        sheet.append([office_name])
        sheet.append([f"{table.title} — {period_text(report)}"])
        sheet["A1"].font = Font(bold=True)
        sheet["A2"].font = Font(bold=True, size=13)
        sheet.append([])
        sheet.append(table.headings)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in table.rows:
            sheet.append(row)
        sheet.freeze_panes = "A5"
        for i, heading in enumerate(table.headings, 1):
            widest = max([len(str(r[i - 1])) for r in table.rows if r[i - 1] is not None] + [min(len(heading), 14)])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(widest + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(report: PeriodReport, office_name: str) -> str:
    """UTF-8 text; written with a byte-order mark (see `CSV_ENCODING`) so Excel shows the Vietnamese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([office_name, period_text(report)])
    for table in report_tables(report):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headings)
        writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
    return out.getvalue()


CSV_ENCODING = "utf-8-sig"
