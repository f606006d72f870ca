"""The office's sync with the city: its state, and what the city refused, with "send again" for a supervisor.

An op the city refused holds back only its own dossier. Once its cause is fixed (at the city, or a
missing intake sent first), a supervisor sends it again here; the dossier's later ops follow.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.events import SyncChanged
from counter_app.office import Office
from counter_app.rules.display import fmt_datetime
from counter_app.views.sync import RejectedOp, SyncStatus
from ui.common.messages import error_text
from ui.common.tables import read_only_table
from ui.common.worker import Runner, refresh_while_open
from ui.desk.sync_text import NOT_SET_TIP, clock_warning, count, kind_label

log = logging.getLogger(__name__)

COLUMNS = ("Hồ sơ", "Thao tác", "Lúc", "Lý do thành phố từ chối")


class SyncDialog(QDialog):
    def __init__(self, office: Office, actor: str, *, can_resend: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.actor = office, actor
        self.setWindowTitle("Đồng bộ với thành phố")
        self.resize(920, 460)
        self.runner = Runner(self)
        self.refused: list[RejectedOp] = []

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.warning = QLabel(visible=False, wordWrap=True)
        self.warning.setStyleSheet("color: #9b1c1c; font-weight: bold;")
        self.table = read_only_table(COLUMNS, stretch=len(COLUMNS) - 1)
        self.resend_button = QPushButton("Gửi lại", toolTip="Gửi lại thao tác đã chọn sau khi đã khắc phục (Ctrl+R)",
                                         shortcut="Ctrl+R", enabled=can_resend)
        if not can_resend:
            self.resend_button.setToolTip("Chỉ tổ trưởng hoặc quản trị được gửi lại dữ liệu bị từ chối.")
        self.sync_button = QPushButton("Đồng bộ ngay", toolTip="Gửi và nhận dữ liệu với thành phố ngay bây giờ")
        self.message = QLabel()
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(QLabel("Dữ liệu bị thành phố từ chối (chỉ giữ lại hồ sơ của chính nó):"))
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.resend_button)
        buttons.addStretch()
        buttons.addWidget(self.sync_button)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        self.resend_button.clicked.connect(self.resend)
        self.sync_button.clicked.connect(self.sync_now)
        refresh_while_open(self, office, SyncChanged, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.runner.run(self.office.sync_status, self._show, self._failed)

    def _show(self, status: SyncStatus) -> None:
        self.refused = status.rejected
        lines = [f"Lần đồng bộ thành công gần nhất: {fmt_datetime(status.last_success_at) or 'chưa lần nào'}",
                 f"Đang chờ gửi: {count(status.pending)} thay đổi hồ sơ"]
        if not status.configured:
            lines.insert(0, NOT_SET_TIP)
        if status.failures:
            lines.append(f"Lỗi gần nhất ({status.failures} lần liên tiếp): {status.last_error_vi}")
        if status.next_try_at:
            lines.append(f"Lần thử tới: {fmt_datetime(status.next_try_at)}")
        self.summary.setText("\n".join(lines))
        warning = clock_warning(status)
        self.warning.setText(warning + "." if warning else "")
        self.warning.setVisible(bool(warning))
        selected = self.table.currentRow()
        self.table.setRowCount(len(self.refused))
        for r, op in enumerate(self.refused):
            cells = (op.dossier_code, kind_label(op.kind), fmt_datetime(op.created_at), op.reason_vi)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(f"{op.reason_vi}\n(kỹ thuật: {op.reason}; mã thao tác {op.op_id})")
                self.table.setItem(r, c, item)
        for c in range(len(COLUMNS) - 1):  # the reason takes the rest of the width
            self.table.resizeColumnToContents(c)
        if 0 <= selected < len(self.refused):
            self.table.selectRow(selected)
        elif self.refused:
            self.table.selectRow(0)

    def _failed(self, exc: Exception) -> None:
        log.warning("sync dialog: %s", exc)
        self.message.setText(error_text(exc))

    def resend(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.refused):
            self.message.setText("Hãy chọn một thao tác bị từ chối trong danh sách.")
            return
        op = self.refused[row]
        self.runner.run(partial(self.office.resend_op, op.op_id, actor=self.actor),
                        lambda _r: self._done(f"Đã đưa thao tác {kind_label(op.kind).lower()} của hồ sơ "
                                              f"{op.dossier_code} vào hàng gửi lại."), self._failed)

    def sync_now(self) -> None:
        self.runner.run(self.office.request_sync, lambda _r: self._done("Đang đồng bộ với thành phố…"),
                        self._failed)

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.refresh()
