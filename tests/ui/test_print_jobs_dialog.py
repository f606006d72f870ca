"""The clerk sees a printer's problem by name and reprints, redirects or cancels from the print list."""

from __future__ import annotations

from pathlib import Path

from counter_app.views.printing import Connection, PrinterConfig, PrintRequest
from printers.spool import Spool
from tests.conftest import make_form, signed_in
from ui.desk.clerk_window import ClerkWindow
from ui.desk.print_jobs_dialog import PrintJobsDialog

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def test_a_stuck_job_is_named_in_the_status_bar_and_can_be_redirected_and_reprinted(qtbot, office, clock, tmp_path):
    office.save_printer(PrinterConfig(name="A4 quầy 1", kind="a4", purposes=["a4"],
                                      connection=Connection(type="spooler", queue="khong-co-may-in-nay")),
                        actor="admin")
    office.save_printer(PrinterConfig(name="Xuất tệp PDF", kind="a4"), actor="admin")
    code = office.receive(make_form(), actor="canbo1").code
    job = office.submit_print(PrintRequest(kind="receipt", code=code, counter_no=1), actor="canbo1")
    spool = Spool(office, preview_dir=tmp_path, clock=clock)
    spool.drain()  # no CUPS queue of that name here (or no CUPS at all): the job waits with a message
    problem = office.print_job(job.id).last_error_vi
    assert problem.startswith("Máy in “A4 quầy 1”") and office.print_job(job.id).state == "pending"

    window = ClerkWindow(office, office.info(), signed_in(office, "canbo1"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.printer_button.text() == problem, timeout=5000)

    dialog: PrintJobsDialog = window.open_print_jobs()
    qtbot.waitUntil(lambda: dialog.jobs_table.rowCount() == 1, timeout=5000)
    assert dialog.jobs_table.item(0, 5).text() == problem
    assert dialog.jobs_table.item(0, 1).text() == f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả {code}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "print_jobs_dialog.png"))

    dialog.jobs_table.selectRow(0)
    dialog.redirect("Xuất tệp PDF")
    qtbot.waitUntil(lambda: office.print_job(job.id).printer == "Xuất tệp PDF", timeout=5000)
    assert spool.drain() == 1 and office.print_job(job.id).state == "done"
    assert len(list(tmp_path.glob(f"receipt-{code}-job{job.id}.pdf"))) == 1
    qtbot.waitUntil(lambda: window.printer_button.text() == "Máy in: sẵn sàng", timeout=5000)

    qtbot.waitUntil(lambda: dialog.jobs_table.item(0, 3).text() == "Đã in", timeout=5000)
    dialog.jobs_table.selectRow(0)
    dialog.reprint()
    qtbot.waitUntil(lambda: len(office.print_jobs()) == 1, timeout=5000)
    (again,) = office.print_jobs()
    assert again.id != job.id and again.printer == "Xuất tệp PDF" and again.request.code == code
    dialog.close()
    dialog.runner.wait()
    window.close()
