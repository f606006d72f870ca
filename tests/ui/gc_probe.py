"""Run as a program by test_worker: Qt garbage in a cycle, a worker thread allocating; prints where it died.

Argument "collector": the applications' GUI-thread collector is installed; "none": Python's own.
"""

from __future__ import annotations

import os
import sys
import threading

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from ui.common import collector

app = QCoreApplication([])
if sys.argv[1] == "collector":
    collector.install(app)
gui = threading.get_ident()
freed_on: list[str] = []


class Holder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.me = self  # a cycle: only the garbage collector frees it
        self.timer = QTimer(self, interval=5, timeout=lambda: None)
        self.timer.start()
        self.destroyed.connect(lambda _o=None: freed_on.append("gui" if threading.get_ident() == gui else "worker"))


for _ in range(20):
    Holder()


def churn() -> None:
    for _ in range(100_000):
        cycle: list = []
        cycle.append(cycle)


worker = threading.Thread(target=churn)
worker.start()
worker.join()
if "worker" in freed_on:  # the event loop would now deliver a timer to freed memory
    print("freed on worker", flush=True)
    os._exit(0)
QTimer.singleShot(1500, app.quit)
app.exec()
print("freed on", " ".join(sorted(set(freed_on))), len(freed_on), flush=True)
