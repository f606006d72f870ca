"""The print part of `LocalOffice`: printers' set-up and the persistent spool over the local store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlmodel import Session

from counter_app import accounts
from counter_app.dossiers import queries as dossier_queries
from counter_app.events import EventBus, PrintChanged
from counter_app.printing import jobs as print_jobs
from counter_app.store import Store
from counter_app.store.models import PrintJob
from counter_app.views.accounts import Role
from counter_app.views.printing import (
    PrinterConfig,
    PrinterView,
    PrintJobView,
    PrintRequest,
    PrintSettings,
    RegisterEntry,
)

log = logging.getLogger(__name__)

KEEP_FINISHED = timedelta(days=30)
PRUNE_EVERY = timedelta(hours=1)


class LocalPrinting:
    """Mixed into `LocalOffice`, which provides `store`, `bus` and `_now`."""

    store: Store
    bus: EventBus
    _now: Callable[[], datetime]
    _pruned_at: datetime | None = None

    def _job_write(self, fn: Callable[[Session, datetime], PrintJob | None]) -> PrintJobView | None:
        with self.store.write() as s:
            job = fn(s, self._now())
            result = print_jobs.view(job) if job is not None else None
        if result is not None:
            self.bus.publish(PrintChanged(result.id, result.state, result.printer, result.last_error_vi))
        return result

    def print_settings(self) -> PrintSettings:
        with self.store.read() as s:
            return print_jobs.settings(s)

    def save_print_settings(self, value: PrintSettings, *, actor: str) -> None:
        with self.store.write() as s:
            accounts.require(s, actor, Role.ADMINISTRATOR, "thay đổi cài đặt in")
            print_jobs.save_settings(s, value)
        log.info("print settings changed by %s", actor)

    def printers(self) -> list[PrinterView]:
        with self.store.read() as s:
            return print_jobs.printers(s)

    def printer(self, name: str) -> PrinterConfig:
        with self.store.read() as s:
            return print_jobs.printer_config(s, name)

    def save_printer(self, config: PrinterConfig, *, actor: str) -> None:
        with self.store.write() as s:
            accounts.require(s, actor, Role.ADMINISTRATOR, "cài đặt máy in")
            print_jobs.save_printer(s, config, self._now())
        log.info("printer %s (%s, %s) saved by %s", config.name, config.kind, config.connection.type, actor)
        self.bus.publish(PrintChanged(None, "printer", config.name))

    def remove_printer(self, name: str, *, actor: str) -> None:
        with self.store.write() as s:
            accounts.require(s, actor, Role.ADMINISTRATOR, "gỡ máy in")
            print_jobs.remove_printer(s, name, self._now())
        log.info("printer %s removed by %s", name, actor)
        self.bus.publish(PrintChanged(None, "printer", name))

    def submit_print(self, request: PrintRequest, *, actor: str) -> PrintJobView:
        job = self._job_write(lambda s, at: print_jobs.submit(s, request, actor=actor, at=at))
        assert job is not None
        log.info("print job %s queued: %s on %r", job.id, job.kind, job.printer)
        return job

    def print_jobs(self, *, active_only: bool = True, limit: int = 100) -> list[PrintJobView]:
        with self.store.read() as s:
            return [print_jobs.view(j) for j in print_jobs.jobs(s, active_only=active_only, limit=limit)]

    def print_job(self, job_id: int) -> PrintJobView:
        with self.store.read() as s:
            return print_jobs.view(print_jobs.get_job(s, job_id))

    def claim_print_job(self, worker: str, printers: list[str] | None = None) -> PrintJobView | None:
        def run(s: Session, at: datetime) -> PrintJob | None:
            # The spool polls every few seconds; forgetting old jobs needs doing only now and then.
            if self._pruned_at is None or at - self._pruned_at > PRUNE_EVERY:
                print_jobs.prune(s, at - KEEP_FINISHED)
                self._pruned_at = at
            return print_jobs.claim(s, worker, at, printers)

        return self._job_write(run)

    def print_job_done(self, job_id: int, *, worker: str) -> None:
        self._job_write(lambda s, at: print_jobs.done(s, job_id, worker, at))

    def print_job_failed(
        self, job_id: int, *, worker: str, error_en: str, error_vi: str, printer_fault: bool = True
    ) -> None:
        log.warning("print job %s failed: %s", job_id, error_en)
        self._job_write(lambda s, at: print_jobs.failed(s, job_id, worker, at, error_en=error_en, error_vi=error_vi,
                                                        printer_fault=printer_fault))

    def cancel_print_job(self, job_id: int, *, actor: str) -> None:
        log.info("print job %s cancelled by %s", job_id, actor)
        self._job_write(lambda s, at: print_jobs.cancel(s, job_id, at))

    def redirect_print_job(self, job_id: int, printer: str, *, actor: str) -> None:
        log.info("print job %s redirected to %s by %s", job_id, printer, actor)
        self._job_write(lambda s, at: print_jobs.redirect(s, job_id, printer, at))

    def reprint(self, job_id: int, *, actor: str, printer: str = "") -> PrintJobView:
        job = self._job_write(lambda s, at: print_jobs.reprint(s, job_id, actor=actor, at=at, printer=printer))
        assert job is not None
        return job

    def register_entries(self, date_from: date, date_to: date) -> list[RegisterEntry]:
        with self.store.read() as s:
            return dossier_queries.register_entries(s, date_from, date_to)
