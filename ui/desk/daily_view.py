"""The supervisor's day: totals, then per clerk and per procedure; any day can be looked back at."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QDate
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.office import Office
from counter_app.rules.display import fmt_clock, fmt_date_long
from counter_app.views.lists import CountRow, DailyReport
from ui.common.messages import Banner, error_text
from ui.common.worker import Runner

FIGURES = (("received", "Tiếp nhận"), ("supplement", "Yêu cầu bổ sung"), ("refused", "Từ chối"),
           ("returned", "Trả kết quả"), ("due_today", "Đến hạn hôm nay"), ("overdue", "Quá hạn"))


class DailyView(QDialog):
    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.setWindowTitle("Tình hình trong ngày")
        self.resize(1000, 680)
        self.runner = Runner(self)
        self.day = QDateEdit(displayFormat="dd/MM/yyyy", calendarPopup=True)
        self.refresh_button = QPushButton("Cập nhật", toolTip="Đọc lại số liệu (F5)", shortcut="F5")
        self.title = QLabel()
        self.title.setObjectName("title")
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.banner = Banner()
        self.per_clerk = self._table("Cán bộ")
        self.per_procedure = self._table("Thủ tục")
        top = QHBoxLayout()
        top.addWidget(QLabel("Ngày"))
        top.addWidget(self.day)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.totals)
        layout.addWidget(self.banner)
        layout.addWidget(QLabel("Theo cán bộ"))
        layout.addWidget(self.per_clerk, 1)
        layout.addWidget(QLabel("Theo thủ tục"))
        layout.addWidget(self.per_procedure, 2)
        self.refresh_button.clicked.connect(self.refresh)
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.report: DailyReport | None = None
        self.refresh(first=True)

    @staticmethod
    def _table(first: str) -> QTableWidget:
        table = QTableWidget(0, 1 + len(FIGURES))
        table.setHorizontalHeaderLabels([first, *(label for _, label in FIGURES)])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    def refresh(self, first: bool = False) -> None:
        """`first`: the office's own today (its clock, not this PC's), then whatever day is picked."""
        chosen = None if first else self.day.date().toPython()
        self.runner.run(partial(self.office.daily_report, chosen), self._show,
                        lambda exc: self.banner.show_message(error_text(exc), "error"))

    def _show(self, report: DailyReport) -> None:
        self.report = report
        self.day.blockSignals(True)
        self.day.setDate(QDate(report.day.year, report.day.month, report.day.day))
        self.day.blockSignals(False)
        when = "" if report.day != report.at.date() else f" (đến {fmt_clock(report.at)})"
        self.title.setText(f"<b>{fmt_date_long(report.day)}</b>{when}")
        figures = (f"{label}: <b>{getattr(report, field)}</b>" for field, label in FIGURES)
        self.totals.setText(" &nbsp;·&nbsp; ".join(figures))
        self._fill(self.per_clerk, report.per_clerk)
        self._fill(self.per_procedure, report.per_procedure)
        quiet = not report.per_clerk and not report.per_procedure
        self.banner.show_message("Chưa có hồ sơ nào trong ngày này." if quiet else "", "info")

    @staticmethod
    def _fill(table: QTableWidget, rows: list[CountRow]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(row.label))
            for c, (field, _label) in enumerate(FIGURES, start=1):
                value = getattr(row, field)
                item = QTableWidgetItem(str(value) if value else "")
                if field == "overdue" and value:
                    item.setForeground(QBrush(QColor("#9b1c1c")))
                table.setItem(r, c, item)

