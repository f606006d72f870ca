"""A4 output through the system's print spooler with Qt's print support: one path on Windows and Linux.

QtPdf renders each page of the PDF at the printer's resolution and QPainter paints it on a `QPrinter`
for the named queue (CUPS on Linux, the Windows spooler on Windows): no PDF viewer registered for a
shell verb, no command-line tool, no temporary file deleted under a program still reading it. It runs
in a child process of its own, kept for the next job: the hub has no Qt application, and a printer
driver that crashes must not take the office's hub or the clerk's window with it. Only QtGui, QtPdf
and QtPrintSupport are used here, never widgets.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DPI = 300  # sharp text on every office laser printer; a page is about 500 KB to the spooler
TIMEOUT_S = 120  # a first job waits for Qt to load in the child and for the driver

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


@dataclass(frozen=True)
class Spooled:
    queue: str  # the queue the job went to (the default printer's name when none was named)
    pages: int


class SpoolError(Exception):
    """The spooler did not take the job; `kind` is "no_queue", "bad_pdf" or "refused"."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind, self.detail = kind, detail


def print_pdf(data: bytes, *, queue: str, title: str) -> Spooled:
    """Hand the PDF's pages to the queue (`""`: the system's default printer); `SpoolError` if refused."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        pool = _pool
    try:
        outcome = pool.submit(_print_in_child, data, queue, title).result(timeout=TIMEOUT_S)
    except BrokenProcessPool:
        shutdown()  # the child died (a driver crash): the next job starts a new one
        raise SpoolError("refused", "the printing process stopped unexpectedly") from None
    if isinstance(outcome, Spooled):
        return outcome
    raise SpoolError(*outcome)


def shutdown() -> None:
    """End the printing child (at exit, or when the environment it was started with changed)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _print_in_child(data: bytes, queue: str, title: str) -> Spooled | tuple[str, str]:
    if sys.platform != "win32" and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen is needed to print; a hub has none
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0] if sys.argv else "counter-app"])
    with tempfile.TemporaryDirectory(prefix="counter-app-a4-") as tmp:
        pdf = Path(tmp) / "job.pdf"
        pdf.write_bytes(data)
        os.chmod(pdf, 0o600)  # names citizens
        return _paint(pdf, queue, title)


def _paint(pdf: Path, queue: str, title: str) -> Spooled | tuple[str, str]:
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPageSize, QPainter
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    info = QPrinterInfo.printerInfo(queue) if queue else QPrinterInfo.defaultPrinter()
    if info.isNull():
        known = ", ".join(p.printerName() for p in QPrinterInfo.availablePrinters()) or "none"
        return "no_queue", f"no print queue {queue or '(default)'} on this PC (queues: {known})"
    document = QPdfDocument()
    error = document.load(str(pdf))
    if error != QPdfDocument.Error.None_ or document.pageCount() == 0:
        return "bad_pdf", f"the PDF could not be read ({error.name})"
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setResolution(DPI)
    printer.setFullPage(True)  # the PDF already has its margins
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter()
    if not painter.begin(printer):
        return "refused", f"the queue {info.printerName()} did not accept a job"
    try:
        for page in range(document.pageCount()):
            if page and not printer.newPage():
                return "refused", f"the queue {info.printerName()} refused page {page + 1}"
            target = printer.paperRect(QPrinter.Unit.DevicePixel)
            points = document.pagePointSize(page)
            scale = min(target.width() / points.width(), target.height() / points.height())
            size = QSize(round(points.width() * scale), round(points.height() * scale))
            image = document.render(page, size)
            painter.drawImage(QRectF(target.x(), target.y(), size.width(), size.height()), image)
    finally:
        painter.end()  # hands the job to the spooler
    pages = document.pageCount()
    document.close()
    return Spooled(queue=info.printerName(), pages=pages)
