"""Catch a keyboard-wedge scanner reading a citizen ID card QR anywhere in a window.

The scanner types `001090012345|…|…` and Enter as if it were a keyboard, into whatever field has
the focus. No person types "|" into a counter form, so the first "|" marks a scan: the digits typed
just before it are taken back out of the field, the rest is swallowed until Enter (or a short
pause), and the whole text is handed over as one `scanned` signal. Another QR (no "|") is known
by its speed and length when its Enter comes: it is taken back out of the field and handed over too.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

GAP_S = 0.08  # scanners type a character every few milliseconds; people do not
END_MS = 600  # a scanner that sends no Enter: the scan ends after this pause
BURST_GAP_S = 0.03  # faster than any typist between two characters
BURST_MIN = 16  # a QR's text; no name, phone or count is typed as one unbroken run this long


class WedgeScanner(QObject):
    started = Signal(QObject)  # the widget that had the focus when a scan began
    scanned = Signal(str)

    def __init__(self, root: QWidget) -> None:
        super().__init__(root)
        self.root = root
        self.buffer = ""
        self.active = False
        self._recent = ""
        self._burst = ""  # the fast run of characters typed just now, for a QR that is not a card
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
        if now - self._last > BURST_GAP_S:
            self._burst = ""
        self._last = now
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and len(self._burst) >= BURST_MIN:
            # Another QR (a receipt's link, a bank's code): typed too fast and too long for a person, with
            # no "|". It is taken back out of the field and handed over, so it never stays in a name.
            burst, self._burst = self._burst, ""
            self.started.emit(obj)
            self._take_back(obj, burst)
            self.scanned.emit(burst)
            return True
        if text == "|":
            self._burst = ""
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
            self._burst = self._burst + text if not text.isspace() else ""
        else:
            self._recent = self._burst = ""
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
            self._recent = self._burst = ""
            self.scanned.emit(text)

    def close(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
