"""The print spool against a printer on a real socket: faults wait and retry, nothing is lost or reordered."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest

from counter_app.local.office import LocalOffice
from counter_app.store import Store
from counter_app.views.printing import Connection, PrinterConfig, PrintRequest
from printers import job_render, thermal_render
from printers.spool import Spool
from tests.conftest import make_form
from tests.printing.decode import raster_image, zbar
from tests.printing.fake_printer import NetworkPrinter


@pytest.fixture
def net_printer():
    printer = NetworkPrinter()
    yield printer
    printer.close()


def _thermal(name: str, port: int, purposes: tuple[str, ...] = ("ticket", "slip")) -> PrinterConfig:
    return PrinterConfig(name=name, kind="thermal", paper_mm=58, purposes=list(purposes),
                         connection=Connection(type="network", host="127.0.0.1", tcp_port=port))


def _ticket_job(office, **kw) -> int:
    ticket = office.issue_ticket(lane="A")
    return office.submit_print(PrintRequest(kind="ticket", ticket=ticket.model_dump(mode="json"), **kw),
                               actor="kiosk").id


def _expected(office, job_id: int, clock) -> bytes:
    job = office.print_job(job_id)
    config = next(p for p in office.printers() if p.name == job.printer)
    return job_render.render(job, office, config, clock()).data


def test_a_ticket_reaches_the_network_printer_and_reads_back(office, clock, net_printer, tmp_path):
    office.save_printer(_thermal("Kiosk", net_printer.port), actor="admin")
    job_id = _ticket_job(office)
    assert Spool(office, preview_dir=tmp_path, clock=clock).drain() == 1
    assert office.print_job(job_id).state == "done"
    (data,) = net_printer.jobs
    assert data == _expected(office, job_id, clock)
    image = raster_image(data, thermal_render.paper_dots(58))
    image.save(tmp_path / "got.png")
    (link,) = zbar(tmp_path / "got.png")
    assert link.endswith("&so=A001")


def test_paper_out_holds_the_printer_s_jobs_in_order_until_paper_is_back(office, clock, net_printer, tmp_path):
    office.save_printer(_thermal("Kiosk", net_printer.port), actor="admin")
    net_printer.paper_out = True
    first, second = _ticket_job(office), _ticket_job(office)
    spool = Spool(office, preview_dir=tmp_path, clock=clock)
    assert spool.drain() == 1  # the second waits behind the first
    job = office.print_job(first)
    assert job.state == "pending" and "Máy in “Kiosk” hết giấy" in job.last_error_vi
    assert office.print_job(second).state == "pending" and not net_printer.jobs
    assert [p.problem_vi for p in office.printers()] == [job.last_error_vi]
    assert spool.drain() == 0  # not due yet

    net_printer.paper_out = False
    clock.at += timedelta(seconds=3)
    assert spool.drain() == 2
    assert net_printer.jobs == [_expected(office, first, clock), _expected(office, second, clock)]
    assert office.printers()[0].problem_vi == ""


def test_cover_open_and_unreachable_printers_are_named_in_the_message(office, clock, net_printer, tmp_path):
    net_printer.cover_open = True
    office.save_printer(_thermal("Kiosk", net_printer.port), actor="admin")
    job = _ticket_job(office)
    spool = Spool(office, preview_dir=tmp_path, clock=clock)
    spool.drain()
    assert office.print_job(job).last_error_vi == "Máy in “Kiosk” đang mở nắp: hãy đóng nắp máy in."

    with socket.create_server(("127.0.0.1", 0)) as s:
        dead_port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    office.save_printer(_thermal("Kiosk", dead_port), actor="admin")
    clock.at += timedelta(seconds=3)
    spool.drain()
    message = office.print_job(job).last_error_vi
    assert message.startswith("Không kết nối được máy in “Kiosk” (mạng 127.0.0.1:")
    assert office.print_job(job).attempts == 2


def test_a_job_survives_a_crash_and_is_taken_again_when_the_lease_ends(ready_store, db_path, clock, net_printer,
                                                                      tmp_path):
    office = LocalOffice(ready_store, clock=clock)
    office.save_printer(_thermal("Kiosk", net_printer.port), actor="admin")
    job = _ticket_job(office)
    assert office.claim_print_job("worker-that-dies") is not None  # claimed, then the process dies
    ready_store.close()

    store = Store.open(db_path)
    try:
        reopened = LocalOffice(store, clock=clock)
        spool = Spool(reopened, preview_dir=tmp_path, clock=clock)
        assert spool.drain() == 0  # still leased to the dead worker
        clock.at += timedelta(seconds=61)
        assert spool.drain() == 1
        assert reopened.print_job(job).state == "done" and len(net_printer.jobs) == 1
    finally:
        store.close()


def test_redirect_cancel_and_reprint(office, clock, net_printer, tmp_path):
    net_printer.paper_out = True
    office.save_printer(_thermal("Kiosk", net_printer.port), actor="admin")
    spare = NetworkPrinter()
    try:
        office.save_printer(_thermal("Dự phòng", spare.port, purposes=()), actor="admin")
        stuck, doomed = _ticket_job(office), _ticket_job(office)
        spool = Spool(office, preview_dir=tmp_path, clock=clock)
        spool.drain()
        office.redirect_print_job(stuck, "Dự phòng", actor="canbo1")
        office.cancel_print_job(doomed, actor="canbo1")
        assert spool.drain() == 1
        assert office.print_job(stuck).state == "done" and len(spare.jobs) == 1
        assert office.print_job(doomed).state == "cancelled" and not net_printer.jobs

        again = office.reprint(stuck, actor="canbo1")
        assert again.id != stuck and again.printer == "Dự phòng"
        assert spool.drain() == 1 and spare.jobs[1] == spare.jobs[0]
    finally:
        spare.close()


def test_a_job_that_cannot_be_rendered_does_not_hold_the_printer(office, clock, tmp_path):
    office.save_printer(PrinterConfig(name="A4", kind="a4", purposes=["a4"]), actor="admin")
    code = office.receive(make_form(), actor="canbo1").code
    broken = office.submit_print(PrintRequest(kind="refusal", code=code), actor="canbo1").id  # never refused
    receipt = office.submit_print(PrintRequest(kind="receipt", code=code), actor="canbo1").id
    assert Spool(office, preview_dir=tmp_path, clock=clock).drain() == 2
    assert office.print_job(receipt).state == "done"
    job = office.print_job(broken)
    assert job.state == "pending" and "không có bước “Phiếu từ chối" in job.last_error_vi
    assert office.dossier(code).status == 2  # printing never touches the dossier


def test_routing_prefers_the_counter_s_own_printer_and_says_when_there_is_none(office, clock, tmp_path):
    job = office.submit_print(PrintRequest(kind="receipt_summary", code="x", counter_no=2), actor="canbo2")
    assert job.printer == "" and "Chưa cài đặt máy in phiếu khổ nhỏ" in job.last_error_vi
    office.save_printer(PrinterConfig(name="Chung", kind="thermal", purposes=["slip"]), actor="admin")
    office.save_printer(PrinterConfig(name="Quầy 2", kind="thermal", purposes=["slip"], counters=[2]),
                        actor="admin")
    assert office.submit_print(PrintRequest(kind="receipt_summary", code="x", counter_no=2), actor="c").printer \
        == "Quầy 2"
    assert office.submit_print(PrintRequest(kind="receipt_summary", code="x", counter_no=1), actor="c").printer \
        == "Chung"
    office.redirect_print_job(job.id, "Chung", actor="canbo2")
    assert office.print_job(job.id).printer == "Chung"


def test_a4_jobs_cannot_be_sent_to_a_thermal_printer(office):
    from counter_app.errors import InvalidInput

    office.save_printer(PrinterConfig(name="Nhiệt", kind="thermal", purposes=["ticket"]), actor="admin")
    with pytest.raises(InvalidInput) as err:
        office.submit_print(PrintRequest(kind="receipt", code="x", printer="Nhiệt"), actor="canbo1")
    assert "không in được giấy tiếp nhận" in err.value.message_vi
    with pytest.raises(InvalidInput):
        PrinterConfig(name="A4 mạng", kind="a4", connection=Connection(type="network", host="10.0.0.9"))


def test_the_spool_thread_prints_a_job_as_soon_as_it_is_queued(office, net_printer, tmp_path, qtbot):
    office.save_printer(_thermal("Kiosk", net_printer.port), actor="admin")
    spool = Spool(office, preview_dir=tmp_path, idle_s=30)  # a long idle wait: only the wake-up can be this quick
    spool.start()
    try:
        job = _ticket_job(office)
        qtbot.waitUntil(lambda: office.print_job(job).state == "done", timeout=5000)
        assert len(net_printer.jobs) == 1
    finally:
        spool.stop()


def test_finished_jobs_are_forgotten_after_30_days_and_waiting_ones_never(office, clock, tmp_path):
    office.save_printer(PrinterConfig(name="Vé", kind="thermal", purposes=["ticket"]), actor="admin")
    printed, waiting = _ticket_job(office), _ticket_job(office, printer="Vé")
    spool = Spool(office, preview_dir=tmp_path, clock=clock, printers=["nothing-else"])
    Spool(office, preview_dir=tmp_path, clock=clock).run_once()
    assert office.print_job(printed).state == "done" and office.print_job(waiting).state == "pending"
    clock.at += timedelta(days=31)
    spool.run_once()  # a claim by any worker does the hourly clean-up
    assert [j.id for j in office.print_jobs(active_only=False)] == [waiting]
