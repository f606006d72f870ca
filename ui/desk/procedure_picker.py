"""Pick a procedure: type part of its name (with or without accents) or its national code.

The catalog is loaded once in the background. With nothing typed the list shows the office's most
received procedures, then all of them grouped by field (lĩnh vực); as the clerk types, one list ranked
best first (`rules.procedure_rank`), searched in memory on each keystroke (a few hundred procedures).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from counter_app.office import Office
from counter_app.rules.procedure_rank import rank
from counter_app.rules.textfold import fold
from counter_app.views.dossiers import ProcedureInfo
from ui.common.worker import Runner

log = logging.getLogger(__name__)

FREQUENT = 10


class ProcedurePicker(QWidget):
    chosen = Signal(object)  # ProcedureInfo, or None when cleared

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.procedures: list[ProcedureInfo] = []
        self.frequent: list[str] = []  # the office's ten most received, Ctrl+1 … Ctrl+0
        self.current: ProcedureInfo | None = None
        self.search = QLineEdit(placeholderText="Tìm thủ tục theo tên hoặc mã (gõ không dấu được)…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Tìm thủ tục (Ctrl+T). Mũi tên xuống để chọn trong danh sách.")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Thủ tục", "Mã", "Thời hạn"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._take_first)
        self.tree.currentItemChanged.connect(self._picked)
        self.runner = Runner(self)
        self.runner.run(lambda: (office.procedures(), office.frequent_procedures(FREQUENT)), self._loaded,
                        lambda exc: log.warning("catalog: %s", exc))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self.tree.setFocus()
        super().keyPressEvent(event)

    def _loaded(self, loaded: tuple[list[ProcedureInfo], list[str]]) -> None:
        procedures, frequent = loaded
        self.procedures = list(procedures)
        known = {p.key for p in procedures}
        # A new office has no history yet: the catalog's first procedures fill the list until it has.
        self.frequent = [k for k in frequent if k in known]
        self.frequent += [p.key for p in procedures if p.key not in self.frequent][:FREQUENT - len(self.frequent)]
        self._filter(self.search.text())

    def choose_frequent(self, number: int) -> bool:
        """Ctrl+1 … Ctrl+9, Ctrl+0: the office's n-th most received procedure; False if there is none."""
        if not 0 <= number < len(self.frequent):
            return False
        self.search.clear()
        key = self.frequent[number]
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, Qt.ItemDataRole.UserRole) == key:
                    self.tree.setCurrentItem(group.child(j))  # shown where the clerk looks, and chosen
                    return True
        self.choose(key)
        return True

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        shown = 0
        by_key = {p.key: p for p in self.procedures}
        if not words and self.frequent:
            top = QTreeWidgetItem(self.tree, ["Thường dùng ở văn phòng này (Ctrl+1 … Ctrl+0)"])
            font = QFont(top.font(0))
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for n, key in enumerate(self.frequent):
                p = by_key[key]
                item = self._item(top, p, f"{(n + 1) % 10}. {p.name}")
                item.setToolTip(0, f"{p.name} (Ctrl+{(n + 1) % 10})")
        if words:  # searching: one list, best first (rules.procedure_rank), the office's most received first
            found = rank(self.procedures, text, self.frequent)
            top = QTreeWidgetItem(self.tree, [f"Kết quả tìm ({len(found)})"])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for p in found:
                self._item(top, p, p.name)
            self.tree.expandAll()
            return
        for p in self.procedures:
            group = groups.get(p.field)
            if group is None:
                group = groups[p.field] = QTreeWidgetItem(self.tree, [p.field or "Khác"])
                font = QFont(group.font(0))
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self._item(group, p, p.name)
            shown += 1
        if shown < 40:
            self.tree.expandAll()
        else:
            self.tree.collapseAll()
            if self.tree.topLevelItemCount() and self.frequent:
                self.tree.topLevelItem(0).setExpanded(True)  # the frequent ones stay open

    @staticmethod
    def _item(parent: QTreeWidgetItem, p: ProcedureInfo, label: str) -> QTreeWidgetItem:
        unsure = " (chưa xác nhận)" if any(u.startswith("time") for u in p.unconfirmed) else ""
        item = QTreeWidgetItem(parent, [label, p.code or "(chưa có mã)", p.time_label + unsure])
        item.setData(0, Qt.ItemDataRole.UserRole, p.key)
        item.setToolTip(0, p.name)
        return item

    def _take_first(self) -> None:
        """Enter in the search box takes the first match (and never saves the form)."""
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group.childCount():
                self.tree.setCurrentItem(group.child(0))
                return

    def _picked(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if key is None:
            return
        self.choose(key)

    def choose(self, key: str) -> None:
        self.current = next((p for p in self.procedures if p.key == key or (p.code and p.code == key)), None)
        self.chosen.emit(self.current)

    def clear(self) -> None:
        self.current = None
        self.search.clear()
        self.tree.setCurrentItem(None)
        self.chosen.emit(None)
