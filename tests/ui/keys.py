"""Type any Unicode text as key events, the way a keyboard-wedge scanner does (QTest only types ASCII)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Send a key press and release per character to `widget`, through the application's event filters."""
    for ch in text:
        key = ord(ch.upper()) if ch.isascii() and ch.isprintable() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
