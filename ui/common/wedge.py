"""Catch a keyboard-wedge scanner reading a citizen ID card QR anywhere in a window.

The scanner types `001090012345|…|…` and Enter as if it were a keyboard, into whatever field has
the focus. No person types "|" into a counter form, so the first "|" marks a scan: the digits typed
just before it are taken back out of the field, the rest is swallowed until Enter (or a short
pause), and the whole text is handed over as one `scanned` signal.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

GAP_S = 0.08  # scanners type a character every few milliseconds; people do not
END_MS = 600  # a scanner that sends no Enter: the scan ends after this pause


class WedgeScanner(QObject):
    started = Signal(QObject)  # the widget that had the focus when a scan began
    scanned = Signal(str)

    def __init__(self, root: QWidget) -> None:
        super().__init__(root)
        self.root = root
        self.buffer = ""
        self.active = False
        self._recent = ""
        self._last = 0.0
        self._end = QTimer(self, singleShot=True, interval=END_MS)
        self._end.timeout.connect(self._finish)
        QApplication.instance().installEventFilter(self)

    def _mine(self, obj: QObject) -> bool:
        return isinstance(obj, QWidget) and obj is QApplication.focusWidget() and (
            obj is self.root or self.root.isAncestorOf(obj))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self._mine(obj):
            return False
        assert isinstance(event, QKeyEvent)
        text = event.text()
        if self.active:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._finish()
            elif text:
                self.buffer += text
                self._end.start()
            return True
        now = time.monotonic()
        if now - self._last > GAP_S:
            self._recent = ""
        self._last = now
        if text == "|":
            self.started.emit(obj)
            self._take_back(obj, self._recent)
            # The card's number is its last 12 digits: a table that opened an editor on the first digit
            # passed that key on to it, so it was seen twice.
            number = re.search(r"\d{0,12}$", self._recent)
            self.buffer, self.active = (number.group(0) if number else "") + "|", True
            self._end.start()
            return True
        if text and text.isprintable():
            self._recent = (self._recent + text)[-13:]
        else:
            self._recent = ""
        return False

    @staticmethod
    def _take_back(widget: QObject, typed: str) -> None:
        """Remove the card number the scanner typed into the field before its first "|"."""
        if not typed:
            return
        if isinstance(widget, QLineEdit) and widget.text().endswith(typed):
            widget.setText(widget.text()[: -len(typed)])
        elif isinstance(widget, QPlainTextEdit) and widget.toPlainText().endswith(typed):
            widget.setPlainText(widget.toPlainText()[: -len(typed)])

    def _finish(self) -> None:
        self._end.stop()
        if self.active:
            self.active, text, self.buffer = False, self.buffer, ""
            self._recent = ""
            self.scanned.emit(text)

    def close(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
