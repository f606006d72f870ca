"""The clerk's view of printing: waiting and recent print jobs with their problem, and the printers.

From here a clerk reprints a slip, sends a stuck job to another printer, cancels one, or prints a
test page. Every call runs off the GUI thread; the list follows the office's print events.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import OfficeError
from counter_app.events import PrintChanged
from counter_app.office import Office
from counter_app.rules.display import fmt_datetime
from counter_app.views.printing import PRINTER_KINDS, PrinterView, PrintJobView, PrintRequest
from ui.common.tables import read_only_table
from ui.common.worker import Runner, refresh_while_open

log = logging.getLogger(__name__)

JOB_COLUMNS = ("Số", "Nội dung", "Máy in", "Trạng thái", "Lúc", "Ghi chú")
PRINTER_COLUMNS = ("Máy in", "Loại", "Kết nối", "Tình trạng")


class PrintJobsDialog(QDialog):
    def __init__(self, office: Office, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.actor = office, actor
        self.setWindowTitle("Lệnh in và máy in")
        self.resize(980, 520)
        self.runner = Runner(self)
        self.jobs: list[PrintJobView] = []
        self.printer_list: list[PrinterView] = []

        self.jobs_table = read_only_table(JOB_COLUMNS, stretch=5)
        self.printers_table = read_only_table(PRINTER_COLUMNS, stretch=3)
        self.reprint_button = QPushButton("In lại", toolTip="In lại phiếu đã chọn (Ctrl+R)", shortcut="Ctrl+R")
        self.redirect_button = QPushButton("Chuyển máy in…", toolTip="Gửi lệnh in đang chờ sang máy in khác")
        self.cancel_button = QPushButton("Hủy lệnh in", toolTip="Hủy lệnh in đang chờ")
        self.test_button = QPushButton("In thử", toolTip="In một trang thử trên máy in đã chọn")
        self.message = QLabel()
        self.message.setWordWrap(True)

        jobs_tab, printers_tab = QWidget(), QWidget()
        jobs_layout = QVBoxLayout(jobs_tab)
        jobs_layout.addWidget(self.jobs_table)
        buttons = QHBoxLayout()
        for button in (self.reprint_button, self.redirect_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch()
        jobs_layout.addLayout(buttons)
        printers_layout = QVBoxLayout(printers_tab)
        printers_layout.addWidget(self.printers_table)
        printers_layout.addWidget(self.test_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget()
        self.tabs.addTab(jobs_tab, "Lệnh in")
        self.tabs.addTab(printers_tab, "Máy in")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)

        self.reprint_button.clicked.connect(self.reprint)
        self.redirect_button.clicked.connect(self.redirect)
        self.cancel_button.clicked.connect(self.cancel)
        self.test_button.clicked.connect(self.test_page)
        refresh_while_open(self, office, PrintChanged, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        office = self.office
        self.runner.run(lambda: (office.print_jobs(active_only=False, limit=100), office.printers()),
                        self._show, self._failed)

    def _show(self, result: tuple[list[PrintJobView], list[PrinterView]]) -> None:
        self.jobs, self.printer_list = result
        self._fill(self.jobs_table, [(str(j.id), j.title_vi, j.printer or "(chưa có)", j.state_vi,
                                      fmt_datetime(j.created_at), j.last_error_vi) for j in self.jobs],
                   problem=[bool(j.last_error_vi) and j.state == "pending" for j in self.jobs])
        self._fill(self.printers_table, [(p.name, PRINTER_KINDS[p.kind], p.connection.label_vi(), p.state_vi)
                                         for p in self.printer_list],
                   problem=[bool(p.problem_vi) for p in self.printer_list])

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, ...]], problem: list[bool]) -> None:
        selected = table.currentRow()
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # long printer messages stay readable when the column is narrow
                if problem[r]:
                    item.setForeground(Qt.GlobalColor.darkRed)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        if 0 <= selected < len(rows):
            table.selectRow(selected)

    def _failed(self, exc: Exception) -> None:
        log.warning("print dialog: %s", exc)
        self.message.setText(exc.message_vi if isinstance(exc, OfficeError) else "Không thực hiện được; xem nhật ký.")

    def _selected_job(self) -> PrintJobView | None:
        row = self.jobs_table.currentRow()
        if not 0 <= row < len(self.jobs):
            self.message.setText("Hãy chọn một lệnh in trong danh sách.")
            return None
        return self.jobs[row]

    def _act(self, fn, done_text: str) -> None:
        self.runner.run(fn, lambda _r: (self.message.setText(done_text), self.refresh()), self._failed)

    def reprint(self) -> None:
        if (job := self._selected_job()) is not None:
            self._act(partial(self.office.reprint, job.id, actor=self.actor), f"Đã gửi in lại: {job.title_vi}.")

    def cancel(self) -> None:
        if (job := self._selected_job()) is not None:
            self._act(partial(self.office.cancel_print_job, job.id, actor=self.actor), f"Đã hủy lệnh in số {job.id}.")

    def redirect(self, printer: str | None = None) -> None:
        job = self._selected_job()
        if job is None:
            return
        if printer is None:
            names = [p.name for p in self.printer_list if p.name != job.printer and p.enabled]
            if not names:
                self.message.setText("Không có máy in nào khác để chuyển.")
                return
            printer, ok = QInputDialog.getItem(self, "Chuyển máy in", "Chọn máy in:", names, 0, False)
            if not ok:
                return
        self._act(partial(self.office.redirect_print_job, job.id, printer, actor=self.actor),
                  f"Đã chuyển lệnh in số {job.id} sang máy in “{printer}”.")

    def test_page(self) -> None:
        row = self.printers_table.currentRow()
        if not 0 <= row < len(self.printer_list):
            self.message.setText("Hãy chọn một máy in trong danh sách.")
            return
        name = self.printer_list[row].name
        self._act(partial(self.office.submit_print, PrintRequest(kind="test_page", printer=name), actor=self.actor),
                  f"Đã gửi trang in thử tới máy in “{name}”.")
