"""The clerk app's look: calm, high contrast, large enough for an older clerk; sizes follow the system font.

Only the base point size is read from the system (so a clerk who enlarges text in Windows or the desktop
gets larger text here); every other size is relative to it.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

MIN_POINTS = 11.0  # below this, a long day at the counter is hard on the eyes
SCALE = 1.1


def apply_font(app: QApplication) -> float:
    """Scale the app font from the system's; return the body size in points."""
    font = QFont(app.font())
    base = max(MIN_POINTS, (font.pointSizeF() if font.pointSizeF() > 0 else 10.0) * SCALE)
    font.setPointSizeF(base)
    app.setFont(font)
    return base


def for_window() -> str:
    """The style sheet for a clerk window or dialog, sized from the app font (set it on the window)."""
    size = QApplication.font().pointSizeF()
    return style_sheet(size if size > 0 else MIN_POINTS)


def style_sheet(base: float) -> str:
    big = base * 1.3
    return f"""
QMainWindow, QDialog {{ background: #f7f8fa; }}
QLineEdit, QComboBox, QDateEdit, QDateTimeEdit, QSpinBox, QPlainTextEdit {{
    border: 1px solid #8a96a8; border-radius: 4px; padding: 3px 6px; background: #ffffff; color: #111111; }}
QLineEdit:focus, QComboBox:focus, QDateEdit:focus, QPlainTextEdit:focus, QTableView:focus, QTreeView:focus {{
    border: 2px solid #1d70b8; }}
QLineEdit:disabled, QComboBox:disabled, QDateEdit:disabled {{ background: #eceff3; color: #6b7380; }}
QLineEdit[problem="true"] {{ border: 2px solid #b3261e; background: #fff5f4; }}
QPushButton {{ border: 1px solid #6f7c8e; border-radius: 4px; padding: 5px 14px; background: #ffffff;
               color: #111111; }}
QPushButton:hover {{ background: #eef3f9; }}
QPushButton:focus {{ border: 2px solid #1d70b8; }}
QPushButton:disabled {{ color: #8a929c; border-color: #c3c8cf; }}
QPushButton#primary {{ background: #1d70b8; color: #ffffff; font-weight: 700; border: none;
                       padding: 7px 20px; }}
QPushButton#primary:hover {{ background: #155a96; }}
QPushButton#primary:disabled {{ background: #8fb5d9; }}
QHeaderView::section {{ background: #e8ecf1; color: #1b2633; font-weight: 600; padding: 4px; border: none;
                        border-right: 1px solid #c9d1dc; border-bottom: 1px solid #c9d1dc; }}
QTableView, QTreeView, QListView {{ background: #ffffff; gridline-color: #dde2e8; color: #111111;
                                    selection-background-color: #1d70b8; selection-color: #ffffff; }}
QTabBar::tab {{ padding: 6px 16px; border: 1px solid #c9d1dc; border-bottom: none; background: #e8ecf1;
                color: #1b2633; }}
QTabBar::tab:selected {{ background: #ffffff; font-weight: 700; color: #1b3a5c; }}
QLabel#title {{ font-size: {big}pt; color: #1b3a5c; }}
QLabel#hint {{ color: #4a5666; }}
QLabel#due {{ color: #1b3a5c; }}
QLabel#fieldLabel {{ color: #4a5666; }}
QStatusBar {{ background: #e8ecf1; color: #1b2633; }}
"""
