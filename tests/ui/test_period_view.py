"""The supervisor's report for a period in the clerk app: figures, charts, export; refused to a clerk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate

from tests.conftest import signed_in
from tests.test_period_report import _expected, december  # noqa: F401 - the December story, as a fixture
from ui.desk.clerk_window import ClerkWindow
from ui.desk.period_view import PeriodView

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "clerk"
SHOTS.mkdir(parents=True, exist_ok=True)


def test_the_period_report_is_a_supervisor_s(qtbot, office):
    clerk = ClerkWindow(office, office.info(), signed_in(office, "canbo2"))
    qtbot.addWidget(clerk)
    assert not clerk.period_action.isEnabled()
    clerk.close()
    boss = ClerkWindow(office, office.info(), signed_in(office, "truongbp"))
    qtbot.addWidget(boss)
    assert boss.period_action.isEnabled()
    view = boss.open_period()
    qtbot.waitUntil(lambda: view.report is not None, timeout=10_000)
    assert view.period() == (date(2026, 11, 1), date(2026, 11, 30))  # the month of the office's today
    view.close()
    view.runner.wait()
    boss.close()


def test_december_on_screen_in_charts_and_in_excel_at_1366x768(qtbot, office, december, tmp_path):  # noqa: F811
    view = PeriodView(office, today=date(2026, 12, 15), made_by="Trưởng Bộ Phận")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitUntil(lambda: view.report is not None, timeout=10_000)
    assert view.period() == (date(2026, 12, 1), date(2026, 12, 31))
    everyone = _expected(december)
    received = everyone["received_counter"] + everyone["received_online"]
    assert f"Tiếp nhận <b>{received}</b> (kỳ trước chuyển sang {everyone['carried_over']})" in view.totals.text()
    assert "đúng hạn <b>50,0%</b>" in view.totals.text()
    tabs = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert tabs == ["Theo lĩnh vực", "Theo thủ tục", "Theo cán bộ", "Tiếp nhận theo ngày", "Hàng chờ theo quầy",
                    "Hàng chờ theo giờ", "Đánh giá theo cán bộ", "Đánh giá theo quầy", "Biểu đồ"]
    clerks = view.tabs.widget(2)
    names = [clerks.item(r, 1).text() for r in range(clerks.rowCount())]
    assert "Nguyễn Thị Lan" in names and "Tổng cộng" in names
    hint = view.minimumSizeHint()  # everything fits the commonest clerk screen, its taskbar left free
    assert hint.width() <= 1366 and hint.height() <= 728, hint
    assert view.grab().save(str(SHOTS / "period_report.png"))
    view.tabs.setCurrentIndex(8)
    charts = view.tabs.widget(8).findChildren(QChartView)
    assert [c.chart().title() for c in charts] == [
        "Hồ sơ tiếp nhận theo ngày", "Thời gian chờ theo giờ đến (phút): không có vé nào trong kỳ",
        "Tỷ lệ giải quyết đúng hạn theo lĩnh vực (%)"]
    assert sum(charts[0].chart().series()[0].barSets()[0].at(i)
               for i in range(charts[0].chart().series()[0].barSets()[0].count())) == received
    assert view.grab().save(str(SHOTS / "period_report_charts.png"))

    out = tmp_path / "thang-12.xlsx"
    view.export_to(out)
    qtbot.waitUntil(lambda: "Đã lưu báo cáo" in view.banner.text(), timeout=10_000)
    sheet = openpyxl.load_workbook(out)["Theo lĩnh vực"]
    total = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    assert total[2] == everyone["received_counter"] and total[5] == everyone["carried_over"]

    pdf = tmp_path / "thang-12.pdf"
    view.banner.show_message("", "info")
    view.export_to(pdf)
    qtbot.waitUntil(lambda: "Đã lưu báo cáo" in view.banner.text(), timeout=10_000)
    assert pdf.read_bytes().startswith(b"%PDF")

    view.kind.setCurrentIndex(5)  # two dates of one's own
    view.date_from.setDate(QDate(2026, 12, 31))
    view.date_to.setDate(QDate(2026, 12, 1))
    view.refresh()
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi" in view.banner.text()
    view.close()
    view.runner.wait()
