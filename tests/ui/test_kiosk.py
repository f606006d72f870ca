"""The kiosk on a real office store: touch, priority, ticket shown and written, nothing breaks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from counter_app.views.printing import PrinterConfig
from printers.spool import Spool
from tests.conftest import make_form
from ui.hall.kiosk import KioskWindow, queue_ticket_print

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def _kiosk(qtbot, office, print_ticket) -> KioskWindow:
    window = KioskWindow(office, print_ticket=print_ticket)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def test_touching_a_lane_issues_one_ticket_shows_and_prints_it(qtbot, office, clock, tmp_path):
    office.set_counter_open(1, True, actor="canbo1")
    office.issue_ticket(lane="A")
    office.save_printer(PrinterConfig(name="Máy in vé", kind="thermal", purposes=["ticket"]), actor="admin")
    window = _kiosk(qtbot, office, lambda t: queue_ticket_print(office, t))
    assert window.pages.currentWidget() is window.idle_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "kiosk_idle.png"))

    qtbot.mouseClick(window.idle_page, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    assert window.pages.currentWidget() is window.choose_page
    qtbot.waitUntil(lambda: "1 người đang chờ" in window.lane_buttons["A"].text(), timeout=5000)
    qtbot.mouseClick(window.priority_buttons["elderly"], Qt.MouseButton.LeftButton)
    assert window.chosen_priority == "elderly"
    window.grab().save(str(SHOTS / "kiosk_choose.png"))
    qtbot.mouseClick(window.lane_buttons["A"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.lane_buttons["A"], Qt.MouseButton.LeftButton)  # an impatient second tap
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.ticket_page, timeout=5000)

    assert window.ticket_number.text() == "A002"
    assert window.ticket_priority.text() == "ƯU TIÊN · Người cao tuổi"
    assert "Có 0 người đang chờ trước" in window.ticket_info.text()  # priority goes before A001
    assert "dưới 6 phút" in window.ticket_info.text()  # one open counter, 6 minutes assumed per service
    window.grab().save(str(SHOTS / "kiosk_ticket.png"))
    assert [t.label for t in office.tickets_of_day()] == ["A001", "A002"]
    (job,) = office.print_jobs()
    assert job.kind == "ticket" and job.request.ticket["label"] == "A002" and job.printer == "Máy in vé"
    assert job.request.ticket["people_ahead"] == 0  # what the ticket says is frozen when it is taken
    assert Spool(office, preview_dir=tmp_path, clock=clock).drain() == 1
    assert (tmp_path / f"ticket-20261123-A002-job{job.id}.bin").stat().st_size > 1000
    assert (tmp_path / f"ticket-20261123-A002-job{job.id}.png").exists()
    window.runner.wait()


def test_without_a_ticket_printer_the_kiosk_says_to_remember_the_number(qtbot, office):
    window = _kiosk(qtbot, office, lambda t: queue_ticket_print(office, t))
    window.show_choose()
    qtbot.mouseClick(window.lane_buttons["B"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.ticket_page, timeout=5000)
    assert "xin ghi nhớ số trên màn hình" in window.ticket_info.text()
    (job,) = office.print_jobs()
    assert job.printer == "" and "Chưa cài đặt máy in vé xếp hàng" in job.last_error_vi
    window.runner.wait()


def test_the_citizen_cannot_close_it_and_a_printer_fault_still_gives_a_number(qtbot, office):
    def broken_printer(_ticket) -> None:
        raise OSError("paper out")

    window = _kiosk(qtbot, office, broken_printer)
    window.close()
    assert window.isVisible()
    window.show_choose()
    qtbot.mouseClick(window.lane_buttons["C"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.ticket_page, timeout=5000)
    assert window.ticket_number.text() == "C001"
    assert "Máy in phiếu đang gặp sự cố" in window.ticket_info.text()
    assert "không xác định" in window.ticket_info.text()  # no counter open for the lane
    window.show_idle()
    assert window.pages.currentWidget() is window.idle_page and window.chosen_priority == ""
    window.close_for_real()
    assert not window.isVisible()


def test_an_office_failure_is_an_apology_not_a_crash(qtbot, office):
    window = _kiosk(qtbot, office, lambda t: None)
    window.show_choose()
    office.store.close()
    office.store.path.unlink()
    qtbot.mouseClick(window.lane_buttons["A"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.choose_error.text() != "", timeout=5000)
    assert window.choose_error.text().startswith("Xin lỗi, hiện chưa lấy được số.")
    assert window.lane_buttons["A"].isEnabled()
    window.runner.wait()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1080, 1920)])
def test_the_kiosk_looks_a_dossier_up_from_its_receipt_qr(qtbot, office, width, height):
    """Issue 20 item 2: "Tra cứu hồ sơ" and the receipt's QR under the scanner; public facts only."""
    code = office.receive(make_form(name="Nguyễn Văn An", id_number="001090099999"), actor="canbo1").code
    kiosk = KioskWindow(office, print_ticket=lambda t: None)
    qtbot.addWidget(kiosk)
    kiosk.resize(width, height)
    kiosk.show()
    kiosk.show_choose()
    kiosk.show_lookup()
    assert kiosk.pages.currentWidget() is kiosk.lookup_page
    kiosk.lookup_input.setText(f"https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma={code}")  # as the scanner types
    kiosk.lookup_input.returnPressed.emit()
    qtbot.waitUntil(lambda: code in kiosk.lookup_result.text(), timeout=5000)
    shown = kiosk.lookup_result.text()
    kiosk.grab().save(str(SHOTS / f"kiosk_lookup_{width}x{height}.png"))
    result = kiosk.lookup_result
    assert result.mapTo(kiosk, result.rect().bottomRight()).x() <= width  # nothing runs off the side
    assert "Người nộp: Nguyễn V. A." in shown and "Tình trạng: <b>" in shown and "Hẹn trả kết quả" in shown
    assert "001090099999" not in shown and "Nguyễn Văn An" not in shown and "0912345678" not in shown
    kiosk.lookup_input.setText("https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma=000.00.73.H26-261123-9999")
    kiosk.lookup_input.returnPressed.emit()
    qtbot.waitUntil(lambda: "Không tìm thấy hồ sơ" in kiosk.lookup_result.text(), timeout=5000)
    kiosk.close_for_real()
