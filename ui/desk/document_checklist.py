"""The documents a procedure requires, as a checklist: received or not, and how many of each kind.

Space ticks the selected row; mandatory documents are marked, and the counts (original, certified
copy, copy) start at the catalog's values and can be changed for what the citizen actually brought.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRegularExpression, Qt
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from counter_app.views.dossiers import DocumentIn

COLUMNS = ("Nhận", "Tên giấy tờ", "Bắt buộc", "Bản\nchính", "Sao\nchứng thực", "Bản\nsao")
HEADER_TIPS = ("Đã nhận giấy tờ này (dấu cách)", "", "", "Số bản chính", "Số bản sao có chứng thực", "Số bản sao chụp")
COUNT_WIDTH = 92
MAX_COUNT = 20
COUNT_FIELDS = ("originals", "certified", "copies")


class _CountDelegate(QStyledItemDelegate):
    """A count is typed as one or two digits: letters never get in, and a scanner's long number cannot."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,2}"), editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return editor


class DocumentChecklist(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        # Only the counts are editable (their items' flags); typing a digit on one starts editing it.
        self.setEditTriggers(QTableWidget.EditTrigger.AnyKeyPressed | QTableWidget.EditTrigger.DoubleClicked
                             | QTableWidget.EditTrigger.EditKeyPressed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (3, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, COUNT_WIDTH)
        for column, tip in enumerate(HEADER_TIPS):
            if tip:
                self.horizontalHeaderItem(column).setToolTip(tip)
        self._counts = _CountDelegate(self)
        for column in (3, 4, 5):
            self.setItemDelegateForColumn(column, self._counts)
        self.setWordWrap(True)
        self.setToolTip("Dấu cách: đánh dấu đã nhận giấy tờ đang chọn. Số bản: gõ số vào ô.")
        self.docs: list[dict] = []

    def set_documents(self, docs: list[dict]) -> None:
        self.docs = list(docs)
        self.setRowCount(len(docs))
        for r, doc in enumerate(docs):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            check.setCheckState(Qt.CheckState.Unchecked)
            check.setData(Qt.ItemDataRole.AccessibleTextRole, doc["name"])
            self.setItem(r, 0, check)
            name = QTableWidgetItem(doc["name"])
            name.setToolTip(doc["name"])
            mandatory = QTableWidgetItem("Bắt buộc" if doc.get("mandatory") else "")
            for item in (name, mandatory):
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.setItem(r, 1, name)
            self.setItem(r, 2, mandatory)
            for c, field in enumerate(COUNT_FIELDS, start=3):
                count = QTableWidgetItem(str(int(doc.get(field, 0))))
                count.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                count.setToolTip(HEADER_TIPS[c] + " (gõ số để sửa)")
                self.setItem(r, c, count)
        self.resizeRowsToContents()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentRow() >= 0:
            item = self.item(self.currentRow(), 0)
            item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                               else Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)

    def set_checked(self, row: int, checked: bool = True) -> None:
        self.item(row, 0).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def check_all(self) -> None:
        for r in range(self.rowCount()):
            self.set_checked(r)

    def documents(self) -> list[DocumentIn]:
        result = []
        for r, doc in enumerate(self.docs):
            counts = {f: self.count(r, c, int(doc.get(f, 0))) for c, f in enumerate(COUNT_FIELDS, start=3)}
            result.append(DocumentIn(name=doc["name"], mandatory=bool(doc.get("mandatory")),
                                     provided=self.item(r, 0).checkState() == Qt.CheckState.Checked, **counts))
        return result

    def count(self, row: int, column: int, default: int) -> int:
        """The typed count (an emptied cell is none); only digits can be typed (`_CountDelegate`)."""
        text = self.item(row, column).text().strip()
        return int(text) if text.isdigit() else 0 if not text else default

    def count_problems(self) -> list[str]:
        """Counts past what one dossier holds, said rather than silently cut (issue 19)."""
        found = []
        for r, doc in enumerate(self.docs):
            for c, _field in enumerate(COUNT_FIELDS, start=3):
                n = self.count(r, c, 0)
                if n > MAX_COUNT:
                    what = COLUMNS[c].replace("\n", " ").lower()
                    found.append(f"“{doc['name']}”: {n} {what} là quá nhiều (nhiều nhất {MAX_COUNT}); xin kiểm tra.")
        return found

    def cancel_edit(self) -> None:
        """Drop a count being typed (a scan began in it): the cell keeps the number it had."""
        editor = QApplication.focusWidget()
        if self.state() == QTableWidget.State.EditingState and isinstance(editor, QLineEdit) and \
                self.isAncestorOf(editor):
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
            self.setFocus()

    def missing_mandatory(self) -> list[str]:
        return [d.name for d in self.documents() if d.mandatory and not d.provided]
