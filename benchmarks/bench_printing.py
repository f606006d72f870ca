"""Printing speed and size: a ticket to ESC/POS bytes, one A4 form to PDF, a kiosk press to bytes.

Goals (issue 5): ticket rendered to ESC/POS bytes under 20 ms and under 12 KB on 58 mm; one A4
form to PDF under 80 ms after the first. Issue 23: A4 forms under 60 ms each, the first of the day
included; an 80 mm ticket at most 18 KB and a 58 mm one 12 KB; on a fresh store and on the year-old one.
Run: `.venv/bin/python -m benchmarks.bench_printing`.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

from benchmarks._common import figures, history_note, office_at
from counter_app import accounts
from counter_app.local.office import LocalOffice
from counter_app.views.dossiers import ApplicantIn, IntakeForm
from counter_app.views.printing import PrinterConfig, PrintRequest, PrintSettings
from printers import escpos_output, job_render, slips, thermal_render
from printers.forms import dossier_forms

N = 200


def main() -> None:
    run(year=False)
    run(year=True)


def run(*, year: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = office_at(Path(tmp) / "bench.sqlite3", year=year)
        print(f"on {history_note(store)}:")
        office = LocalOffice(store)
        office.save_printer(PrinterConfig(name="Vé", kind="thermal", paper_mm=58, purposes=["ticket"]),
                            actor=accounts.SYSTEM)
        info, settings = office.info(), PrintSettings()

        for mm in (58, 80):
            samples, size = [], 0
            for i in range(N):
                # A new ticket each time (number, time, people ahead and link all change), so only
                # what really repeats on every ticket (office name, lane, footer) is drawn from cache.
                ticket = office.issue_ticket(lane="A", priority="elderly" if i % 2 else None)
                link = settings.ticket_link(info.agency_code, ticket.day, ticket.label)
                t0 = time.perf_counter()
                image = thermal_render.render(slips.ticket_blocks(ticket, info, link), thermal_render.paper_dots(mm))
                size = len(escpos_output.raster_bytes(image))
                samples.append((time.perf_counter() - t0) * 1000)
            print(figures(f"ticket {mm} mm to ESC/POS bytes", samples[1:]), f"size={size / 1024:.1f} KiB")

        samples = []
        for _ in range(50):
            t0 = time.perf_counter()
            t = office.issue_ticket(lane="A")
            job = office.submit_print(PrintRequest(kind="ticket", ticket=t.model_dump(mode="json")), actor="k")
            config = office.printers()[0]
            job_render.render(job, office, config, t.issued_at)
            samples.append((time.perf_counter() - t0) * 1000)
        print(figures("kiosk press: ticket issued, job queued, ESC/POS bytes ready", samples))

        form = IntakeForm(submission_id=str(uuid.uuid4()), procedure="1.004222", applicant=ApplicantIn(
            name="Nguyễn Văn Đức", id_number="001090012345", phone="0912345678", address="Số 12 Hàng Bông"))
        samples = []
        for _ in range(N // 4):
            # A new dossier each time: its own code, QR code and link.
            d = office.receive(form.model_copy(update={"submission_id": str(uuid.uuid4())}), actor="canbo1")
            t0 = time.perf_counter()
            pdf = dossier_forms.receipt(info, d, link=settings.dossier_link(d.code), time_label="15 ngày làm việc",
                                        place="Bộ phận Một cửa", copies=2)
            samples.append((time.perf_counter() - t0) * 1000)
        print(f"first receipt PDF: {samples[0]:.1f} ms (fonts loaded, subset)")
        print(figures("receipt (2 pages) to PDF after the first", samples[1:]), f"size={len(pdf) / 1024:.1f} KiB")
        store.close()


if __name__ == "__main__":
    main()
