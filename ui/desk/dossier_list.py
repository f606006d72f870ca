"""The dossier list: today's dossiers by default, filters, search, and rows fetched a page at a time.

The model never holds more than the pages the clerk has scrolled through; each page is read in the
background and appended when it arrives, so a list over 500,000 dossiers scrolls like a short one.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter_app.office import Office
from counter_app.rules.display import fmt_datetime
from counter_app.rules.lifecycle import STATUS_LABELS
from counter_app.rules.textfold import fold
from counter_app.views.dossiers import DossierSummary, ProcedureInfo
from counter_app.views.lists import DUE_FILTERS, PERIODS, DossierPage, DossierQuery, ListCursor
from ui.common.messages import error_text
from ui.common.worker import Runner

log = logging.getLogger(__name__)

COLUMNS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Trạng thái", "Tiếp nhận", "Hẹn trả", "Cán bộ")
OVERDUE_BG = QColor("#fde2e1")
DUE_TODAY_BG = QColor("#fff4d6")
PAGE = 200

Index = QModelIndex | QPersistentModelIndex


class DossierListModel(QAbstractTableModel):
    """Rows of `DossierSummary`, newest first, extended by `fetchMore` through the office in a worker."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.rows: list[DossierSummary] = []
        self.query = DossierQuery()
        self.next_after: ListCursor | None = None
        self.loading = False
        self.generation = 0  # answers to an older query are dropped
        self.names: dict[str, str] = {}  # user name -> full name, filled by the window
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None  # a header the clerk clicked (rows loaded so far)
        self.runner = Runner(self)

    def set_query(self, query: DossierQuery) -> None:
        self.generation += 1
        self.beginResetModel()
        self.rows, self.query, self.next_after, self.loading = [], query, None, False
        self.endResetModel()
        self._fetch(None)

    def reload(self) -> None:
        self.set_query(self.query)

    def _fetch(self, after: ListCursor | None) -> None:
        self.loading = True
        generation, query = self.generation, self.query
        self.runner.run(partial(self.office.dossier_page, query, after=after, limit=PAGE),
                        lambda page: self._append(page, generation), lambda exc: self._failed(exc, generation))

    def _append(self, page: DossierPage, generation: int) -> None:
        if generation != self.generation:
            return
        self.loading = False
        if page.rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.endInsertRows()
            if self.sorted_by is not None:
                self.sort(*self.sorted_by)
        self.next_after = page.next_after
        self.loaded.emit()

    def _failed(self, exc: Exception, generation: int) -> None:
        if generation == self.generation:
            self.loading = False
            self.failed.emit(error_text(exc))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's signature)
        return not parent.isValid() and self.next_after is not None and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch(self.next_after)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows loaded so far by a column the clerk clicked (a new query starts newest first)."""
        far = datetime.max.replace(tzinfo=UTC)
        keys = (lambda d: d.code, lambda d: fold(d.applicant_name), lambda d: fold(d.procedure_name),
                lambda d: d.status, lambda d: d.received_at, lambda d: d.due_at or far,
                lambda d: fold(self.names.get(d.clerk, d.clerk)))
        self.sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        d = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            who = f"{d.applicant_name} (cho {d.subject_name})" if d.subject_name else d.applicant_name
            # The office's own agency code starts every code: the day and number are what tell them apart.
            return (d.code.split("-", 1)[-1], who, d.procedure_name, d.status_label, fmt_datetime(d.received_at),
                    fmt_datetime(d.due_at), self.names.get(d.clerk, d.clerk))[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            if d.overdue:
                return QBrush(OVERDUE_BG)
            if d.due_today:
                return QBrush(DUE_TODAY_BG)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 0:
                return d.code
            if index.column() == 2:
                return d.procedure_name
            if d.overdue:
                return "Hồ sơ đã quá hạn hẹn trả"
            if d.due_today:
                return "Hồ sơ đến hạn trả trong hôm nay"
        return None


class DossierList(QWidget):
    """Filters above the table; Enter or a double click opens the dossier."""

    opened = Signal(str)  # dossier code

    def __init__(self, office: Office, *, actor: str) -> None:
        super().__init__()
        self.office, self.actor = office, actor
        self.runner = Runner(self)
        self.model = DossierListModel(office, self)
        self.period = self._combo(PERIODS)
        self.status = QComboBox()
        self.status.addItem("Mọi trạng thái", None)
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, int(status))
        self.procedure = QComboBox()
        self.procedure.addItem("Mọi thủ tục", "")
        self.procedure.setMaximumWidth(320)
        self.due = self._combo(DUE_FILTERS)
        self.mine = QCheckBox("Tôi tiếp nhận")
        self.search = QLineEdit(placeholderText="Tìm hoặc quét: mã hồ sơ, QR giấy hẹn, QR thẻ căn cước, họ tên, "
                                                "điện thoại…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Tìm hồ sơ (Ctrl+F). Gõ không dấu cũng được: “nguyen van duc”.")
        self.count = QLabel()
        self.count.setObjectName("hint")
        self._counted = False
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 105), (1, 170), (3, 130), (4, 110), (5, 110), (6, 120)):
            self.table.setColumnWidth(column, width)
        header.setSortIndicator(4, Qt.SortOrder.DescendingOrder)  # as the office lists them: newest first
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)  # a click sorts the rows loaded so far; every page keeps that order

        filters = QHBoxLayout()
        for label, widget in (("Thời gian", self.period), ("Trạng thái", self.status), ("Thủ tục", self.procedure),
                              ("Hạn trả", self.due)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.mine)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filters)
        self._period_before_search: int | None = None
        self.search.textChanged.connect(self._search_changed)
        self.period.activated.connect(self._period_chosen)
        for combo in (self.period, self.status, self.procedure, self.due):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.mine.toggled.connect(self.apply_filters)
        self.table.doubleClicked.connect(lambda index: self.opened.emit(self.model.rows[index.row()].code))
        self.table.activated.connect(lambda index: self.opened.emit(self.model.rows[index.row()].code))
        self.model.failed.connect(lambda text: self.count.setText(text))
        self.model.loaded.connect(self._show_count_soon)
        self.model.modelReset.connect(self._count_again)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        self.runner.run(self.office.procedures, self._procedures, lambda exc: log.warning("catalog: %s", exc))
        self.apply_filters()

    @staticmethod
    def _combo(options: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        for value, label in options.items():
            combo.addItem(label, value)
        return combo

    def _procedures(self, procedures: list[ProcedureInfo]) -> None:
        for p in sorted(procedures, key=lambda p: p.name):
            self.procedure.addItem(p.name, p.key)

    def _search_changed(self, text: str) -> None:
        """A search looks across every date (last week's receipt, scanned, must be found): the period shows
        "Tất cả" while there is text, and goes back to what it was when the box is cleared."""
        searching = bool(text.strip())
        if searching and self._period_before_search is None:
            self._period_before_search = self.period.currentIndex()
            self._set_period(self.period.findData("all"))
        elif not searching and self._period_before_search is not None:
            self._set_period(self._period_before_search)
            self._period_before_search = None
        self._debounce.start()

    def _period_chosen(self, _index: int) -> None:
        self._period_before_search = None  # the clerk's own choice stays when the search is cleared

    def _set_period(self, index: int) -> None:
        self.period.blockSignals(True)  # the debounced search reloads once for both
        self.period.setCurrentIndex(index)
        self.period.blockSignals(False)

    def query(self) -> DossierQuery:
        status = self.status.currentData()
        return DossierQuery(period=self.period.currentData(), statuses=[status] if status is not None else [],
                            procedure=self.procedure.currentData() or "", due=self.due.currentData(),
                            clerk=self.actor if self.mine.isChecked() else "", text=self.search.text().strip())

    def apply_filters(self) -> None:
        self.count.setText("Đang tải…")
        self.model.set_query(self.query())

    def _count_again(self) -> None:
        self._counted = False

    def _show_count_soon(self) -> None:
        """Count once per query, after its first page (the count of a big period takes longer)."""
        if self._counted:
            return
        self._counted = True
        query = self.model.query
        self.runner.run(partial(self.office.dossier_count, query), lambda n: self._show_count(n, query),
                        lambda exc: self.count.setText(error_text(exc)))

    def _show_count(self, total: int, query: DossierQuery) -> None:
        if query != self.model.query:
            return
        overdue = sum(d.overdue for d in self.model.rows)
        text = f"{total:,} hồ sơ".replace(",", ".")
        if overdue:
            text += f" · {overdue} quá hạn trong các dòng đang xem"
        self.count.setText(text)

    def shutdown(self) -> None:
        self.runner.wait()
        self.model.runner.wait()
