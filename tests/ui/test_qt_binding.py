"""The Qt binding itself must not break a window that stays open all day.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method that returns
nothing (`show`, `setText`, `QTimer.start`, `processEvents`…). After a few thousand such calls None
is freed and the process aborts ("deallocating None") — in hours for a clerk app whose panels refresh
every few seconds. pyproject.toml keeps PySide6 below 6.12; this test fails on a binding with the bug.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel


def test_calls_that_return_nothing_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    timer = QTimer()
    before = sys.getrefcount(None)
    for i in range(500):
        label.setText(str(i))
        label.show()
        timer.start(1000)
        timer.stop()
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"{lost} references to None lost in 2,000 calls: the Qt binding has the refcount bug"
