"""What the kiosk and the board share: a full-screen window the public cannot close.

Staff close it with Ctrl+Shift+Q; any other close request (a touch gesture, the window
manager, Alt+F4) is ignored. Subclasses release their resources in `on_closing`.
"""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

STAFF_CLOSE = "Ctrl+Shift+Q"


class PublicScreen(QWidget):
    def __init__(self, object_name: str) -> None:
        super().__init__(objectName=object_name)
        self._may_close = False
        QShortcut(QKeySequence(STAFF_CLOSE), self, activated=self.close_for_real)

    def close_for_real(self) -> None:
        self._may_close = True
        self.close()

    def on_closing(self) -> None:
        """Stop timers and background work; called once, when staff close the screen."""

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:
            event.ignore()
            return
        self.on_closing()
        super().closeEvent(event)
