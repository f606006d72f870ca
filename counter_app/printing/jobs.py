"""The persistent print spool and the printers' set-up, in the office store.

A job is written after the change it prints is committed (its own transaction), so a print
problem can never undo or block a dossier. Jobs of one printer are taken in order: while the
oldest waits for its retry, the printer's later jobs wait behind it, so slips never come out of
order. A worker claims a job with a lease; if it dies, the lease runs out and the job is taken again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from counter_app.errors import InvalidInput, NotFound
from counter_app.office_setup import get_office
from counter_app.store.models import Printer, PrintJob
from counter_app.views.printing import (
    JOB_KINDS,
    PURPOSES,
    PrinterConfig,
    PrinterView,
    PrintJobView,
    PrintRequest,
    PrintSettings,
    fits_printer,
)

LEASE = timedelta(seconds=60)
RETRY_STEPS_S = (2, 5, 10, 20, 30)  # then every 30 s: a printer with paper back should not wait long
JOB_RETRY_STEPS_S = (60, 300)  # a job that cannot be rendered is unlikely to heal by itself
ACTIVE = ("pending", "printing")


def settings(session: Session) -> PrintSettings:
    return PrintSettings.model_validate(get_office(session).printing or {})


def save_settings(session: Session, value: PrintSettings) -> None:
    office = get_office(session)
    office.printing = value.model_dump()
    session.add(office)


# --- printers
def _printer_row(session: Session, name: str) -> Printer:
    row = session.exec(select(Printer).where(Printer.name == name)).first()
    if row is None:
        raise NotFound(f"no printer {name!r}", f"Không có máy in “{name}”.")
    return row


def printer_config(session: Session, name: str) -> PrinterConfig:
    return PrinterConfig.model_validate(_printer_row(session, name).config)


def save_printer(session: Session, config: PrinterConfig, at: datetime) -> None:
    row = session.exec(select(Printer).where(Printer.name == config.name)).first() or Printer(name=config.name)
    row.config, row.updated_at = config.model_dump(mode="json"), at
    session.add(row)


def remove_printer(session: Session, name: str, at: datetime) -> None:
    """Remove a printer; its waiting jobs stay, without a printer, until redirected."""
    row = _printer_row(session, name)
    for job in session.exec(select(PrintJob).where(PrintJob.printer == name, col(PrintJob.state).in_(ACTIVE))):
        job.printer, job.state, job.updated_at = "", "pending", at
        job.last_error_en, job.last_error_vi = f"printer {name} removed", f"Máy in “{name}” đã bị gỡ bỏ."
        session.add(job)
    session.delete(row)


def printers(session: Session) -> list[PrinterView]:
    pending = dict(session.exec(select(PrintJob.printer, func.count()).where(col(PrintJob.state).in_(ACTIVE))
                                .group_by(PrintJob.printer)).all())
    views = []
    for row in session.exec(select(Printer).order_by(col(Printer.name))).all():
        head = session.exec(select(PrintJob).where(PrintJob.printer == row.name, col(PrintJob.state).in_(ACTIVE))
                            .order_by(col(PrintJob.id)).limit(1)).first()
        views.append(PrinterView(**row.config, pending_jobs=pending.get(row.name, 0),
                                 problem_vi=head.last_error_vi if head else ""))
    return views


def route(session: Session, purpose: str, counter_no: int | None) -> str:
    """The enabled printer for `purpose` at `counter_no`: one named for the counter wins over a shared one."""
    best = ""
    for row in session.exec(select(Printer).order_by(col(Printer.name))).all():
        cfg = PrinterConfig.model_validate(row.config)
        if not cfg.enabled or purpose not in cfg.purposes:
            continue
        if counter_no is not None and counter_no in cfg.counters:
            return cfg.name
        if not cfg.counters and not best:
            best = cfg.name
    return best


# --- jobs
def view(job: PrintJob) -> PrintJobView:
    return PrintJobView(
        id=job.id, kind=job.kind, request=PrintRequest.model_validate(job.request), printer=job.printer,
        state=job.state, attempts=job.attempts, copies=job.copies, actor=job.actor, created_at=job.created_at,
        updated_at=job.updated_at, next_try_at=job.next_try_at, last_error_vi=job.last_error_vi,
    )


def get_job(session: Session, job_id: int) -> PrintJob:
    job = session.get(PrintJob, job_id)
    if job is None:
        raise NotFound(f"no print job {job_id}", f"Không có lệnh in số {job_id}.")
    return job


def submit(session: Session, request: PrintRequest, *, actor: str, at: datetime) -> PrintJob:
    purpose = JOB_KINDS[request.kind][1]
    if request.printer:
        _check_fits(request.kind, printer_config(session, request.printer))
        printer = request.printer
    elif purpose:
        printer = route(session, purpose, request.counter_no)
    else:
        raise InvalidInput("a test page needs a printer", "Cần chọn máy in để in thử.")
    copies = settings(session).receipt_copies if request.kind == "receipt" else 1
    job = PrintJob(kind=request.kind, request=request.model_dump(mode="json"), printer=printer, copies=copies,
                   actor=actor, created_at=at, updated_at=at, next_try_at=at)
    if not printer:
        job.last_error_en = f"no printer set up for {purpose} at counter {request.counter_no}"
        job.last_error_vi = f"Chưa cài đặt máy in {PURPOSES[purpose]} cho quầy này: hãy chọn máy in khác."
    session.add(job)
    session.flush()
    return job


def claim(session: Session, worker: str, at: datetime, printer_names: list[str] | None = None) -> PrintJob | None:
    """Take the next job that is due, oldest first per printer; None when there is nothing to do."""
    query = select(PrintJob).where(col(PrintJob.state).in_(ACTIVE), PrintJob.printer != "").order_by(col(PrintJob.id))
    if printer_names is not None:
        query = query.where(col(PrintJob.printer).in_(printer_names))
    held: set[str] = set()
    for job in session.exec(query).all():
        if job.printer in held:
            continue
        leased = job.state == "printing" and job.lease_until is not None and job.lease_until > at
        due = job.next_try_at is None or job.next_try_at <= at
        if leased or not due:
            if leased or job.fault != "job":
                held.add(job.printer)  # printing now, or the printer itself is in trouble: keep the order
            continue
        job.state, job.worker, job.lease_until, job.updated_at = "printing", worker, at + LEASE, at
        job.attempts += 1
        session.add(job)
        return job
    return None


def _owned(session: Session, job_id: int, worker: str) -> PrintJob | None:
    job = get_job(session, job_id)
    return job if job.state == "printing" and job.worker == worker else None


def done(session: Session, job_id: int, worker: str, at: datetime) -> PrintJob | None:
    """Mark printed; None when the job was meanwhile cancelled or taken over (nothing changes)."""
    job = _owned(session, job_id, worker)
    if job is None:
        return None
    job.state, job.lease_until, job.updated_at = "done", None, at
    job.last_error_en = job.last_error_vi = job.fault = ""
    session.add(job)
    return job


def failed(
    session: Session, job_id: int, worker: str, at: datetime, *, error_en: str, error_vi: str, printer_fault: bool
) -> PrintJob | None:
    """It could not be printed: the job waits and is tried again, later each time.

    `printer_fault` says the printer is the problem (its later jobs wait too); otherwise the job alone is.
    """
    job = _owned(session, job_id, worker)
    if job is None:
        return None
    steps = RETRY_STEPS_S if printer_fault else JOB_RETRY_STEPS_S
    delay = steps[min(job.attempts, len(steps)) - 1]
    job.fault = "printer" if printer_fault else "job"
    job.state, job.lease_until, job.updated_at = "pending", None, at
    job.next_try_at = at + timedelta(seconds=delay)
    job.last_error_en, job.last_error_vi = error_en[:500], error_vi[:500]
    session.add(job)
    return job


def cancel(session: Session, job_id: int, at: datetime) -> PrintJob:
    job = get_job(session, job_id)
    if job.state not in ACTIVE:
        raise InvalidInput(f"print job {job_id} is {job.state}", f"Lệnh in số {job_id} đã kết thúc, không hủy được.")
    job.state, job.lease_until, job.updated_at = "cancelled", None, at
    session.add(job)
    return job


def redirect(session: Session, job_id: int, printer: str, at: datetime) -> PrintJob:
    """Send a waiting job to another printer, at once."""
    job = get_job(session, job_id)
    if job.state not in ACTIVE:
        raise InvalidInput(f"print job {job_id} is {job.state}", f"Lệnh in số {job_id} đã kết thúc.")
    _check_fits(job.kind, printer_config(session, printer))
    job.printer, job.state, job.next_try_at, job.lease_until, job.updated_at = printer, "pending", at, None, at
    job.last_error_en = job.last_error_vi = job.fault = ""
    session.add(job)
    return job


def reprint(session: Session, job_id: int, *, actor: str, at: datetime, printer: str = "") -> PrintJob:
    """A new job printing the same thing again (on the same printer unless another is named)."""
    old = get_job(session, job_id)
    request = PrintRequest.model_validate(old.request)
    request.printer = printer or old.printer
    return submit(session, request, actor=actor, at=at)


def _check_fits(kind: str, config: PrinterConfig) -> None:
    if not fits_printer(kind, config.kind):
        raise InvalidInput(f"{kind} cannot go to {config.kind} printer {config.name}",
                           f"Máy in “{config.name}” không in được {JOB_KINDS[kind][0].lower()}.")


def jobs(session: Session, *, active_only: bool = True, limit: int = 100) -> list[PrintJob]:
    query = select(PrintJob).order_by(col(PrintJob.id).desc()).limit(limit)
    if active_only:
        query = query.where(col(PrintJob.state).in_(ACTIVE))
    return list(session.exec(query).all())


def prune(session: Session, before: datetime) -> int:
    """Forget finished jobs (printed or cancelled) last touched before `before`."""
    result = session.execute(delete(PrintJob).where(col(PrintJob.state).in_(("done", "cancelled")),
                                                    PrintJob.updated_at < before))
    return result.rowcount
