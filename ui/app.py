"""The clerk application's start and its first window: looking dossiers up.

The full desk (sign-in, intake form, actions) comes with the clerk's-desk issue; this window
already works on the real `Office`: the office header, accent-insensitive search and the
latest dossiers with overdue ones marked.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.display import fmt_datetime
from counter_app.errors import OfficeError
from counter_app.events import PrintChanged
from counter_app.office import Office
from counter_app.print_views import PrinterView
from counter_app.views import DossierSummary, OfficeInfo
from printers.spool import Spool
from ui.print_jobs_dialog import PrintJobsDialog
from ui.queue_panel import QueuePanel
from ui.worker import Runner

log = logging.getLogger(__name__)

COLUMNS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Trạng thái", "Tiếp nhận", "Hẹn trả")
OVERDUE_BG = QColor("#fde2e1")


UNEXPECTED = "Đã có lỗi không mong muốn; chi tiết đã được ghi vào nhật ký."


def _error_text(exc: Exception) -> str:
    return exc.message_vi if isinstance(exc, OfficeError) else UNEXPECTED


class _PrintBridge(QObject):
    changed = Signal()


class LookupWindow(QMainWindow):
    """Office header, a search box, and the matching dossiers."""

    def __init__(self, office: Office, info: OfficeInfo, *, counter_no: int | None = None, actor: str = "") -> None:
        super().__init__()
        self.office = office
        self.counter_no = counter_no
        self.actor = actor
        self.queue_panel: QueuePanel | None = None
        self.runner = Runner(self)
        self.setWindowTitle(f"Một cửa — {info.name}")
        self.resize(1100, 680)

        header = QLabel(f"<b>{info.name}</b><br>{info.address} · Mã cơ quan {info.agency_code}")
        header.setTextFormat(Qt.TextFormat.RichText)
        self.search_box = QLineEdit(placeholderText="Tìm theo mã hồ sơ, họ tên, số căn cước, điện thoại, địa chỉ…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setToolTip("Tìm hồ sơ (Ctrl+F). Gõ không dấu cũng được: “nguyen van duc”.")
        self.status = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        body = QWidget()
        layout = QVBoxLayout(body)
        for widget in (header, self.search_box, self.table, self.status):
            layout.addWidget(widget)
        self.setCentralWidget(body)

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _text: self._debounce.start())
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search_box.setFocus)
        self._add_printer_status()
        if counter_no is not None:
            self._add_queue_panel(counter_no, actor)
        self.refresh()

    def _add_printer_status(self) -> None:
        """A status-bar button naming a printer problem as soon as the spool reports one (opens the print list)."""
        self.printer_button = QPushButton("Máy in: sẵn sàng", flat=True)
        self.printer_button.setToolTip("Lệnh in và máy in: in lại, chuyển máy in, hủy, in thử (Ctrl+Shift+P)")
        self.printer_button.clicked.connect(self.open_print_jobs)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, activated=self.open_print_jobs)
        self.statusBar().addPermanentWidget(self.printer_button)
        self._print_bridge = _PrintBridge(self)
        self._print_bridge.changed.connect(self._refresh_printers)
        self._unsubscribe_print = self.office.subscribe(
            lambda e: self._print_bridge.changed.emit() if isinstance(e, PrintChanged) else None)
        self._refresh_printers()

    def _refresh_printers(self) -> None:
        self.runner.run(self.office.printers, self._show_printers, lambda exc: log.warning("printers: %s", exc))

    def _show_printers(self, printers: list[PrinterView]) -> None:
        problems = [p.problem_vi for p in printers if p.enabled and p.problem_vi]
        self.printer_button.setText(problems[0] if problems else "Máy in: sẵn sàng")
        self.printer_button.setStyleSheet("color: #9b1c1c; font-weight: bold;" if problems else "")

    def open_print_jobs(self) -> PrintJobsDialog:
        dialog = PrintJobsDialog(self.office, self.actor, self)
        dialog.show()
        return dialog

    def _add_queue_panel(self, counter_no: int, actor: str) -> None:
        try:
            self.office.set_counter_open(counter_no, True, actor=actor)
        except OfficeError as exc:
            self.status.setText(exc.message_vi)
            return
        self.queue_panel = QueuePanel(self.office, counter_no, actor)
        dock = QDockWidget("Hàng chờ", self)
        dock.setObjectName("queueDock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setWidget(self.queue_panel)
        dock.setMinimumWidth(420)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._unsubscribe_print()
        if self.queue_panel is not None:
            self.queue_panel.shutdown()
            try:
                self.office.set_counter_open(self.queue_panel.counter_no, False, actor=self.actor)
            except OfficeError as exc:
                log.warning("could not mark counter closed: %s", exc)
        self.runner.wait()
        super().closeEvent(event)

    def refresh(self) -> None:
        query = self.search_box.text().strip()
        self.status.setText("Đang tải…")
        fetch = (lambda: self.office.search(query, limit=200)) if query else (lambda: self.office.recent(limit=200))
        self.runner.run(fetch, self._show, self._failed)

    def _show(self, rows: list[DossierSummary]) -> None:
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            cells = (d.code, d.applicant_name, d.procedure_name, d.status_label,
                     fmt_datetime(d.received_at), fmt_datetime(d.due_at))
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if d.overdue:
                    item.setBackground(QBrush(OVERDUE_BG))
                    item.setToolTip("Hồ sơ đã quá hạn hẹn trả")
                self.table.setItem(r, c, item)
        for column in (0, 1, 3, 4, 5):
            self.table.resizeColumnToContents(column)
        overdue = sum(d.overdue for d in rows)
        self.status.setText(f"{len(rows)} hồ sơ" + (f" · {overdue} quá hạn" if overdue else ""))

    def _failed(self, exc: Exception) -> None:
        self.status.setText(_error_text(exc))


def run_clerk_app(office: Office, *, counter_no: int | None = None, actor: str = "",
                  board: Callable[[], QWidget] | None = None, preview_dir: Path | None = None) -> int:
    """The clerk's window (with the counter's queue panel); `board` also opens the hall board.

    With `preview_dir` this process also runs the print spool (the embedded one-PC hub).
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Một cửa")
    try:
        info = office.info()
    except OfficeError as exc:
        log.error("cannot start: %s", exc)
        QMessageBox.critical(None, "Chưa thể mở phần mềm", exc.message_vi)
        return 2
    spool = Spool(office, preview_dir=preview_dir) if preview_dir is not None else None
    if spool is not None:
        spool.start()
    window = LookupWindow(office, info, counter_no=counter_no, actor=actor)
    window.show()
    hall = board() if board is not None else None
    code = app.exec()
    if spool is not None:
        spool.stop()
    if hall is not None:
        hall.deleteLater()
    return code
