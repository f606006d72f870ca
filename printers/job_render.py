"""Turn a print job into what its printer takes: ESC/POS bytes for thermal printers, a PDF for A4.

Dossier slips are rendered from the dossier as it is now and the event they are about (so a
reprint of a supplement request lists the same papers); a queue ticket prints the frozen view
taken when it was issued (people ahead, wait estimate at that moment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PIL import Image

from counter_app.errors import NotFound
from counter_app.office import Office
from counter_app.views.dossiers import DossierDetail, EventView, OfficeInfo
from counter_app.views.printing import JOB_KINDS, PrinterConfig, PrintJobView, PrintSettings, fits_printer
from counter_app.views.queue import TicketView
from printers import escpos_output, faults, slips, thermal_render
from printers.forms import dossier_forms, records

EVENT_OF_KIND = {"supplement": "request_supplement", "refusal": "refuse", "apology": "reschedule",
                 "result_slip": "return_result", "fee_receipt": "collect_fees", "fee_receipt_slip": "collect_fees"}


@dataclass(frozen=True)
class Output:
    data: bytes
    file_name: str
    is_pdf: bool
    image: Image.Image | None = None  # the rendered thermal slip, for a preview file


def result_place(office: OfficeInfo, settings: PrintSettings) -> str:
    return settings.result_place or f"Bộ phận Một cửa, {office.name}" + (f", {office.address}" if office.address
                                                                         else "")


def _kind(e: EventView) -> str:
    return e.kind.removeprefix("dossier.")


def _event(d: DossierDetail, job: PrintJobView) -> EventView:
    seq, kind = job.request.event_seq, EVENT_OF_KIND.get(job.kind)
    for e in reversed(d.events):
        if (seq is not None and e.seq == seq) or (seq is None and _kind(e) == kind):
            return e
    raise NotFound(f"dossier {d.code} has no {kind} event for {job.kind}",
                   f"Hồ sơ {d.code} không có bước “{JOB_KINDS[job.kind][0]}” để in.")


def _results(d: DossierDetail) -> list[str]:
    for e in reversed(d.events):
        if _kind(e) == "result_ready" and e.details.get("results"):
            return list(e.details["results"])
    return []


def _time_label(office: Office, d: DossierDetail) -> str:
    try:
        return office.procedure(d.procedure_key).time_label
    except NotFound:  # the procedure left the catalog since; the code still says what it was
        return ""


def _thermal(job: PrintJobView, office: Office, printer: PrinterConfig, at: datetime) -> Output:
    info, settings = office.info(), office.print_settings()
    if job.kind == "ticket":
        ticket = TicketView.model_validate(job.request.ticket)
        blocks = slips.ticket_blocks(ticket, info, settings.ticket_link(info.agency_code, ticket.day, ticket.label))
        name = f"ticket-{ticket.day:%Y%m%d}-{ticket.label}"
    elif job.kind == "test_page":
        blocks = slips.test_page_blocks(printer.name, printer.paper_mm, printer.profile, info, at)
        name = f"test-{at:%Y%m%d-%H%M%S}"
    else:
        d = office.dossier(job.request.code)
        if job.kind == "receipt_summary":
            blocks = slips.receipt_summary_blocks(d, info, settings.dossier_link(d.code, d.lookup_check))
        elif job.kind == "fee_receipt_slip":
            event = _event(d, job)
            blocks = slips.fee_receipt_blocks(d, info, str(event.details.get("receipt_no", "")),
                                              str(event.details.get("method", "")), event.signed_by)
        else:
            blocks = slips.result_notice_blocks(d, info, result_place(info, settings))
        name = f"{job.kind}-{d.code}"
    name = f"{name}-job{job.id}.bin"
    if printer.text_mode:
        return Output(escpos_output.text_bytes(blocks, printer.profile), name, False)
    image = thermal_render.render(blocks, escpos_output.printer_dots(printer.paper_mm, printer.profile))
    return Output(escpos_output.raster_bytes(image, printer.profile), name, False, image)


def _a4(job: PrintJobView, office: Office, printer: PrinterConfig, at: datetime) -> Output:
    info, settings = office.info(), office.print_settings()
    if job.kind == "test_page":
        data = records.test_page(info, printer.name, at, slips.VIETNAMESE_SAMPLE)
        return Output(data, f"test-{at:%Y%m%d-%H%M%S}-job{job.id}.pdf", True)
    if job.kind == "register":
        start, end = job.request.date_from or at.date(), job.request.date_to or job.request.date_from or at.date()
        data = records.register(info, office.register_entries(start, end), start, end, printed_on=at.date())
        return Output(data, f"register-{start:%Y%m%d}-{end:%Y%m%d}-job{job.id}.pdf", True)
    d = office.dossier(job.request.code)
    link = settings.dossier_link(d.code, d.lookup_check)
    if job.kind == "receipt":
        data = dossier_forms.receipt(info, d, link=link, time_label=_time_label(office, d),
                                     place=result_place(info, settings), copies=job.copies,
                                     bank=(settings.bank_bin, settings.bank_account, settings.bank_account_name))
    elif job.kind == "control_sheet":
        data = records.control_sheet(info, d, link=link)
    elif job.kind == "supplement":
        data = dossier_forms.supplement(info, d, _event(d, job), link=link)
    elif job.kind == "refusal":
        data = dossier_forms.refusal(info, d, _event(d, job), link=link)
    elif job.kind == "apology":
        data = dossier_forms.apology(info, d, _event(d, job), link=link)
    elif job.kind == "fee_receipt":
        data = dossier_forms.fee_receipt(info, d, _event(d, job), link=link)
    else:
        data = dossier_forms.result_slip(info, d, _event(d, job), _results(d), link=link)
    return Output(data, f"{job.kind}-{d.code}-job{job.id}.pdf", True)


def render(job: PrintJobView, office: Office, printer: PrinterConfig, at: datetime) -> Output:
    """The job's output for `printer`; a job the printer cannot print raises `PrintFault`."""
    if not fits_printer(job.kind, printer.kind):
        raise faults.bad_setup(printer.name, f"cannot print {job.kind}",
                               f"không in được {JOB_KINDS[job.kind][0].lower()}: hãy chuyển sang máy in khác.")
    if printer.kind == "a4":
        return _a4(job, office, printer, at)
    return _thermal(job, office, printer, at)
