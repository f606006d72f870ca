"""The print spool's worker: takes persistent jobs from the office, renders them and sends them.

It runs in its own thread (the GUI never waits on a printer). A job that fails waits and is tried
again (the office spaces the retries); the clerk sees the printer's problem in Vietnamese and can
reprint, redirect or cancel. Nothing lives only in memory: after a crash the jobs are still in the
store and a new worker takes them when the old one's lease runs out.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from counter_app.errors import NotFound, OfficeError
from counter_app.events import OfficeEvent, PrintChanged
from counter_app.office import Office
from counter_app.rules.clock import now
from counter_app.views.printing import PrintJobView
from printers import connections, faults, job_render

log = logging.getLogger(__name__)


class Spool:
    """`run_once` handles one job; `start` runs it in a thread, woken at once when a job is queued."""

    def __init__(self, office: Office, *, preview_dir: Path, printers: list[str] | None = None,
                 idle_s: float = 2.0, clock: Callable[[], datetime] = now) -> None:
        self.office = office
        self.preview_dir = preview_dir
        self.printers = printers  # None: every printer of the office
        self.idle_s = idle_s
        self.clock = clock
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None

    # --- one job
    def run_once(self) -> PrintJobView | None:
        """Take and print one due job; returns it (as claimed) or None when nothing is due."""
        job = self.office.claim_print_job(self.worker, self.printers)
        if job is None:
            return None
        try:
            self._print(job)
        except faults.PrintFault as exc:  # the printer's trouble: its later jobs wait behind this one
            self.office.print_job_failed(job.id, worker=self.worker, error_en=str(exc), error_vi=exc.message_vi)
        except OfficeError as exc:  # this job's own trouble (e.g. its dossier is gone): it waits alone
            self.office.print_job_failed(job.id, worker=self.worker, error_en=str(exc), error_vi=exc.message_vi,
                                         printer_fault=False)
        except Exception as exc:  # a bug in rendering must not kill the spool or lose the job
            log.exception("print job %s: unexpected error", job.id)
            self.office.print_job_failed(job.id, worker=self.worker, error_en=f"{type(exc).__name__}: {exc}",
                                         error_vi="Lỗi khi tạo bản in; đã ghi nhật ký, lệnh in sẽ được thử lại.",
                                         printer_fault=False)
        else:
            self.office.print_job_done(job.id, worker=self.worker)
            log.info("print job %s (%s) printed on %s", job.id, job.kind, job.printer)
        return job

    def _print(self, job: PrintJobView) -> None:
        try:
            printer = self.office.printer(job.printer)
        except NotFound:
            raise faults.bad_setup(job.printer, "printer no longer set up",
                                   "không còn trong danh sách máy in.") from None
        if not printer.enabled:
            raise faults.bad_setup(printer.name, "printer disabled", "đang tạm ngừng; hãy bật lại hoặc chuyển máy in.")
        output = job_render.render(job, self.office, printer, self.clock())
        if not output.is_pdf:
            target = connections.send_escpos(printer, output.data, file_name=output.file_name,
                                             default_folder=self.preview_dir)
            if target is not None and output.image is not None:
                output.image.save(target.with_suffix(".png"))  # so a person can see the slip
            return
        # Copies are pages of the PDF (the receipt's two), so the spooler always prints it once.
        connections.send_pdf(printer, output.data, file_name=output.file_name, default_folder=self.preview_dir)

    def drain(self, limit: int = 1000) -> int:
        """Print every job that is due now (tests and the command line); returns how many were tried."""
        count = 0
        while count < limit and self.run_once() is not None:
            count += 1
        return count

    # --- the thread
    def _on_event(self, event: OfficeEvent) -> None:
        if isinstance(event, PrintChanged) and event.state == "pending" and event.job_id is not None:
            self._wake.set()

    def start(self) -> None:
        self._unsubscribe = self.office.subscribe(self._on_event)
        self._thread = threading.Thread(target=self._loop, name="print-spool", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once() is not None
            except Exception:  # the store may be busy or the hub away; try again shortly
                log.exception("print spool cycle failed")
                busy = False
            if not busy:
                self._wake.wait(self.idle_s)
                self._wake.clear()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._unsubscribe:
            self._unsubscribe()
        if self._thread:
            self._thread.join(timeout)
