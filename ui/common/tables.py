"""The read-only, one-row-at-a-time tables of the dialogs (print jobs, printers, refused sync ops)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableWidget


def read_only_table(columns: tuple[str, ...], stretch: int) -> QTableWidget:
    """A table of `columns` that selects whole rows, one at a time; column `stretch` takes the spare width."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
