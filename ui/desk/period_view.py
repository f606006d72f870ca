"""The supervisor's report for any period: the figures as tables, three charts, export to Excel and PDF."""

from __future__ import annotations

import textwrap
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.office import Office
from counter_app.reports import export
from counter_app.reports.tables import ReportTable, cell_text, report_tables
from counter_app.rules.periods import period_of
from counter_app.views.reports import PeriodReport
from ui.common.messages import Banner, error_text
from ui.common.worker import Runner
from ui.desk import period_charts

KINDS = (("day", "Ngày"), ("week", "Tuần"), ("month", "Tháng"), ("quarter", "Quý"), ("year", "Năm"),
         ("", "Từ ngày … đến ngày"))
LATE_HEADINGS = {"Đã giải quyết quá hạn", "Đang giải quyết quá hạn"}


class PeriodView(QDialog):
    def __init__(self, office: Office, *, today: date, made_by: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.made_by = office, made_by
        self.report: PeriodReport | None = None
        self.runner = Runner(self)
        self.setWindowTitle("Báo cáo theo kỳ")
        self.resize(1300, 700)
        self.kind = QComboBox()
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(2)  # the month: what a point reports most
        self.on = self._date(today)
        self.date_from, self.date_to = self._date(today), self._date(today)
        self.show_button = QPushButton("Xem", toolTip="Lập báo cáo cho kỳ đã chọn (F5)", shortcut="F5")
        self.show_button.setObjectName("primary")
        self.excel_button = QPushButton("Xuất Excel…")
        self.pdf_button = QPushButton("Xuất PDF…")
        self.title = QLabel()
        self.title.setObjectName("title")
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.banner = Banner()
        self.tabs = QTabWidget()
        top = QHBoxLayout()
        for widget in (QLabel("Kỳ"), self.kind, QLabel("chứa ngày"), self.on, QLabel("Từ"), self.date_from,
                       QLabel("đến"), self.date_to, self.show_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.excel_button)
        top.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.totals)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.on.dateChanged.connect(lambda _d: self._kind_changed())
        self.show_button.clicked.connect(self.refresh)
        self.excel_button.clicked.connect(lambda: self.export_to(self._ask_path("xlsx")))
        self.pdf_button.clicked.connect(lambda: self.export_to(self._ask_path("pdf")))
        self._kind_changed()
        self._set_exportable(False)
        self.refresh()

    @staticmethod
    def _date(day: date) -> QDateEdit:
        return QDateEdit(QDate(day.year, day.month, day.day), displayFormat="dd/MM/yyyy", calendarPopup=True)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.on.setEnabled(bool(kind))
        self.date_from.setEnabled(not kind)
        self.date_to.setEnabled(not kind)
        if kind:
            first, last = period_of(kind, self.on.date().toPython())
            self.date_from.setDate(QDate(first.year, first.month, first.day))
            self.date_to.setDate(QDate(last.year, last.month, last.day))

    def period(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()

    def refresh(self) -> None:
        first, last = self.period()
        if last < first:
            self.banner.show_message("Ngày kết thúc phải từ ngày bắt đầu trở đi.", "error")
            return
        self.banner.show_message("Đang lập báo cáo…", "info")
        self.show_button.setEnabled(False)
        self.runner.run(partial(self.office.period_report, first, last), self._show, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.show_button.setEnabled(True)
        self.banner.show_message(error_text(exc), "error")

    def _show(self, report: PeriodReport) -> None:
        self.report = report
        self.show_button.setEnabled(True)
        t = report.total
        span = (f"ngày {report.date_from:%d/%m/%Y}" if report.date_from == report.date_to
                else f"từ {report.date_from:%d/%m/%Y} đến {report.date_to:%d/%m/%Y}")
        self.title.setText(f"<b>Báo cáo {span}</b> (số liệu đến {report.at:%H:%M %d/%m/%Y})")
        rate = f"{t.on_time_rate * 100:.1f}".replace(".", ",") + "%" if t.on_time_rate is not None else "–"
        self.totals.setText(
            f"Tiếp nhận <b>{t.received}</b> (kỳ trước chuyển sang {t.carried_over}) · Đã giải quyết "
            f"<b>{t.settled}</b>, đúng hạn <b>{rate}</b> · Đang giải quyết quá hạn "
            f"<b>{t.in_progress_overdue}</b> · Từ chối {t.refused} · Rút {t.withdrawn} · "
            f"Vé xếp hàng <b>{report.queue_total.tickets}</b>")
        current = self.tabs.currentIndex()
        self.tabs.clear()
        for table in report_tables(report):
            self.tabs.addTab(self._table(table), table.sheet)
        charts = QWidget()
        grid = QGridLayout(charts)  # the days across the whole width; wait and on-time rate side by side below
        grid.addWidget(period_charts.received_per_day(report), 0, 0, 1, 2)
        grid.addWidget(period_charts.wait_by_hour(report), 1, 0)
        grid.addWidget(period_charts.on_time_per_field(report), 1, 1)
        self.tabs.addTab(charts, "Biểu đồ")
        self.tabs.setCurrentIndex(max(0, current))
        quiet = not t.to_handle and not t.settled and not report.queue_total.tickets
        self.banner.show_message("Không có hồ sơ hay vé nào trong kỳ này." if quiet else "", "info")
        self._set_exportable(True)

    @staticmethod
    def _table(table: ReportTable) -> QTableWidget:
        widget = QTableWidget(len(table.rows), len(table.headings))
        # Headings in lines of a dozen letters: fifteen figures then fit beside the name at 1366 px.
        widget.setHorizontalHeaderLabels([textwrap.fill(h, 13) for h in table.headings])
        widget.verticalHeader().setVisible(False)
        widget.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = widget.horizontalHeader()
        name_column = 1 if table.headings[0] == "STT" else 0
        for c in range(len(table.headings)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == name_column
                                        else QHeaderView.ResizeMode.ResizeToContents)
        late = {i for i, h in enumerate(table.headings) if h in LATE_HEADINGS}
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                item = QTableWidgetItem(cell_text(cell))
                if c in late and cell:
                    item.setForeground(QBrush(QColor("#9b1c1c")))
                widget.setItem(r, c, item)
        return widget

    def _set_exportable(self, ready: bool) -> None:
        self.excel_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready)

    def _ask_path(self, kind: str) -> Path | None:
        first, last = self.period()
        suggested = f"bao-cao-{first:%Y%m%d}-{last:%Y%m%d}.{kind}"
        name = "Excel (*.xlsx)" if kind == "xlsx" else "PDF (*.pdf)"
        chosen, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo", str(Path.home() / suggested), name)
        return Path(chosen) if chosen else None

    def export_to(self, path: Path | None) -> None:
        """Write the report shown to `path` (.xlsx or .pdf), off the window's thread."""
        if path is None or self.report is None:
            return
        report, office, made_by = self.report, self.office, self.made_by  # plain values: the call runs off this thread
        if path.suffix.lower() == ".pdf":
            from printers.forms.period_report import period_report  # reportlab: only when a PDF is asked for

            def make() -> bytes:
                return period_report(office.info(), report, printed_on=report.at.date(), made_by=made_by)
        else:
            def make() -> bytes:
                return export.to_xlsx(report, office.info().name)
        self.runner.run(lambda: path.write_bytes(make()),
                        lambda _n: self.banner.show_message(f"Đã lưu báo cáo vào {path}.", "ok"),
                        lambda exc: self.banner.show_message(
                            f"Không lưu được báo cáo vào {path}: {error_text(exc)}", "error"))
