"""Python's cycle collector, run on the GUI thread only.

The collector runs on whichever thread happens to allocate when a generation's threshold is crossed:
an office call's worker, the LAN event stream, the sync. If the garbage it finds holds a Qt object
(a closed window kept alive by a cycle through its own signal connections), that object is destroyed
on the wrong thread: its timers cannot be unregistered there ("Timers cannot be stopped from another
thread"), and the next time one is due the GUI thread delivers it to freed memory and the process
dies with a segmentation fault. So a GUI process switches automatic collection off and collects here,
on a GUI-thread timer, generation by generation as the automatic collector would (calibre and
pyqtgraph do the same).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, app: QCoreApplication, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(app)
        self._timer = QTimer(self, interval=interval_ms, timeout=self.collect_due)
        self.was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def collect_due(self) -> None:
        """Collect the generations whose counts passed their thresholds, as the automatic collector would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 2 if counts[2] > thresholds[2] else 1
        gc.collect(generation)

    def uninstall(self) -> None:
        """Stop, collect everything once here, and give collection back to Python (tests do this between tests)."""
        global _installed
        self._timer.stop()
        gc.collect()
        if self.was_enabled:
            gc.enable()
        _installed = None
        self.deleteLater()


_installed: GuiThreadCollector | None = None


def install(app: QCoreApplication) -> GuiThreadCollector:
    """Collect garbage on `app`'s thread from now on; call once the application exists."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(app)
    return _installed
