"""The administrator's catalog page: the version in use, the entries still unconfirmed, and a newer catalog
file imported from this PC, with what it changed."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.office import Office
from counter_app.views.catalog import CatalogChange, CatalogOverview
from ui.common.messages import error_text
from ui.common.worker import Runner


class CatalogPage(QWidget):
    def __init__(self, office: Office, *, actor: str, runner: Runner, report: Callable[[str, str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.actor, self.runner, self.report = office, actor, runner, report
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Thủ tục", "Chưa xác nhận"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.import_button = QPushButton("Nhập danh mục mới từ tệp…")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(lambda: self.import_file(self._ask_file()))
        self.changes = QListWidget()
        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(QLabel("Mục Cổng Dịch vụ công chưa công bố đủ (cần đối chiếu trước khi dùng):"))
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        right.addWidget(self.import_button)
        right.addWidget(QLabel("Thay đổi của lần nhập gần nhất:"))
        right.addWidget(self.changes, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def reload(self) -> None:
        self.runner.run(self.office.catalog_overview, self._show, lambda exc: self.report(error_text(exc), "error"))

    def _show(self, overview: CatalogOverview) -> None:
        self.heading.setText(f"<b>Danh mục phiên bản {overview.version}</b> — {overview.procedures} thủ tục"
                             + (f", ban hành {overview.issued}" if overview.issued else "")
                             + (f"; nguồn: {overview.source}" if overview.source else ""))
        self.table.setRowCount(len(overview.unconfirmed))
        for r, entry in enumerate(overview.unconfirmed):
            self.table.setItem(r, 0, QTableWidgetItem(entry.name))
            self.table.setItem(r, 1, QTableWidgetItem(", ".join(entry.what)))

    def _ask_file(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn tệp danh mục", str(Path.home()), "Danh mục (*.json)")
        return Path(chosen) if chosen else None

    def import_file(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.report(f"Không đọc được tệp “{path.name}”: {exc.__class__.__name__}.", "error")
            return
        self.runner.run(partial(self.office.import_catalog_text, text, actor=self.actor), self._imported,
                        lambda exc: self.report(error_text(exc), "error"))

    def _imported(self, change: CatalogChange) -> None:
        self.changes.clear()
        self.changes.addItem(f"Phiên bản {change.previous or '(chưa có)'} → {change.version}")
        self.changes.addItems([f"Thêm: {n}" for n in change.added] + [f"Bỏ: {n}" for n in change.removed]
                              + [f"Sửa {c}" for c in change.changed])
        self.report(f"Đã nhập danh mục {change.version}: thêm {len(change.added)}, bỏ {len(change.removed)}, "
                    f"sửa {len(change.changed)} thủ tục.", "ok")
        self.reload()
