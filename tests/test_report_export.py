"""A period's report exported: the Excel workbook read back with openpyxl, the PDF's text, the CSV, and
`counter-app report` on the command line. Figures checked against the December story of
tests/test_period_report.py, counted there from what the test did."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import openpyxl
import pytest

from counter_app.cli.main import main
from counter_app.reports import export
from counter_app.reports.tables import DOSSIER_HEADINGS, QUEUE_HEADINGS
from printers.forms.period_report import period_report as report_pdf
from tests.test_cli import demo_db  # noqa: F401 - a demo office, as a fixture
from tests.test_period_report import _expected, december  # noqa: F401 - the story, as a fixture

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


def _column(headings: list, name: str) -> int:
    return headings.index(name)


def test_the_workbook_has_a_sheet_per_table_with_the_story_s_figures(office, december):  # noqa: F811
    report = office.period_report(*DECEMBER)
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(report, office.info().name)))
    assert book.sheetnames == ["Theo lĩnh vực", "Theo thủ tục", "Theo cán bộ", "Tiếp nhận theo ngày",
                               "Hàng chờ theo quầy", "Hàng chờ theo giờ", "Đánh giá theo cán bộ",
                               "Đánh giá theo quầy"]
    sheet = book["Theo cán bộ"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [office.info().name] + [None] * (len(rows[3]) - 1)
    assert "01/12/2026" in rows[1][0] and "31/12/2026" in rows[1][0]
    headings = rows[3]
    assert headings == ["STT", "Cán bộ", *DOSSIER_HEADINGS]
    by_clerk = {row[1]: row for row in rows[4:]}
    lan = by_clerk["Nguyễn Thị Lan"]  # canbo1, by full name
    want = _expected(december, lambda _p, c: c == "canbo1")
    assert lan[_column(headings, "Tiếp nhận tại quầy")] == want["received_counter"]
    assert lan[_column(headings, "Kỳ trước chuyển sang")] == want["carried_over"]
    assert lan[_column(headings, "Đã giải quyết quá hạn")] == want["settled_late"]
    assert lan[_column(headings, "Đang giải quyết quá hạn")] == want["in_progress_overdue"]
    assert lan[_column(headings, "Từ chối")] == want["refused"]
    total = by_clerk["Tổng cộng"]
    everyone = _expected(december)
    assert total[_column(headings, "Yêu cầu bổ sung")] == everyone["supplement"]
    assert total[_column(headings, "Tỷ lệ đúng hạn (%)")] == 50.0  # 2 of 4 settled early or on time
    (queue_headings,) = book["Hàng chờ theo giờ"].iter_rows(min_row=4, max_row=4, values_only=True)
    assert list(queue_headings) == ["Giờ đến", *QUEUE_HEADINGS]


def test_the_pdf_is_the_office_s_report_ready_to_sign(office, december, tmp_path):  # noqa: F811
    report = office.period_report(*DECEMBER)
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(report_pdf(office.info(), report, printed_on=date(2027, 1, 5), made_by="Trần Văn Bình"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Từ ngày 01/12/2026 đến ngày 31/12/2026" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nguyễn Thị Lan" in text and "canbo1" not in text  # people by name, never by login
    assert "NGƯỜI LẬP BÁO CÁO" in text and "Trần Văn Bình" in text and "TRƯỞNG BỘ PHẬN MỘT CỬA" in text
    total = next(line for line in text.splitlines() if "Tổng cộng" in line and "50,0" in line)
    figures = [int(x) for x in total.split("Tổng cộng")[1].split()[:14] if x.isdigit()]
    everyone = _expected(december)
    assert figures[0] == everyone["received_counter"] and figures[3] == everyone["carried_over"]


def test_the_csv_holds_the_same_tables(office, december):  # noqa: F811
    report = office.period_report(*DECEMBER)
    rows = list(csv.reader(io.StringIO(export.to_csv(report, office.info().name))))
    titles = [r[0] for r in rows if len(r) == 1]
    assert titles[0] == "Tình hình, kết quả giải quyết hồ sơ theo lĩnh vực" and len(titles) == 8
    total = next(r for r in rows if len(r) > 2 and r[1] == "Tổng cộng")
    assert int(total[2]) == _expected(december)["received_counter"]


@pytest.mark.parametrize("kind", ["xlsx", "pdf", "csv"])
def test_counter_app_report_writes_each_format(demo_db, tmp_path, capsys, kind):  # noqa: F811
    out = tmp_path / f"thang.{kind}"
    assert main(["--db", str(demo_db), "report", "--period", "month", "--on", "2026-11-20", "--format", kind,
                 "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "01/11/2026-30/11/2026" in said and oct(out.stat().st_mode & 0o777) == "0o600"
    if kind == "xlsx":
        assert "Theo lĩnh vực" in openpyxl.load_workbook(out).sheetnames
    elif kind == "csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese right


def test_counter_app_report_refuses_an_unclear_period(demo_db, capsys):  # noqa: F811
    assert main(["--db", str(demo_db), "report"]) == 2
    assert "--period" in capsys.readouterr().err
    assert main(["--db", str(demo_db), "report", "--from", "2026-12-31", "--to", "2026-12-01"]) == 2
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi" in capsys.readouterr().err
