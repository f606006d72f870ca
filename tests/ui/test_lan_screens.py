"""The same screens at a LAN hub: kiosk, counter and board are separate clients of a real hub process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from counter_app.views.printing import PrinterConfig
from tests.conftest import STAFF_PASSWORD
from tests.hub.conftest import Hub, running_hub
from ui.desk.clerk_window import ClerkWindow, hub_label
from ui.hall.announcer import Announcer
from ui.hall.board import BoardWindow
from ui.hall.kiosk import KioskWindow, queue_ticket_print

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "lan"


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    yield from running_hub(tmp_path)


def _clerk_window(qtbot, hub: Hub) -> ClerkWindow:
    office = hub.client("quay-1")
    session = office.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    window = ClerkWindow(office, office.info(), session, hub_label=hub_label(hub.url))
    qtbot.addWidget(window)
    window.resize(1400, 820)
    window.show()
    return window


def test_kiosk_counter_and_board_work_together_over_the_lan(qtbot, hub: Hub):
    kiosk_office = hub.client("kiosk")
    admin = hub.client("quay-2")
    admin.sign_in("admin", STAFF_PASSWORD, counter_no=2)
    admin.save_printer(PrinterConfig(name="Máy in vé", kind="thermal", purposes=["ticket"]), actor="admin")
    window = _clerk_window(qtbot, hub)
    board = BoardWindow(hub.client("bang-1"), announcer=Announcer())
    qtbot.addWidget(board)
    board.resize(1600, 900)
    board.show()
    kiosk = KioskWindow(kiosk_office, print_ticket=lambda t: queue_ticket_print(kiosk_office, t))
    qtbot.addWidget(kiosk)
    kiosk.resize(1280, 800)
    kiosk.show()

    panel = window.queue_panel
    qtbot.waitUntil(lambda: admin.counter_queue(1).is_open, timeout=5000)
    qtbot.mouseClick(kiosk.idle_page, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseClick(kiosk.lane_buttons["A"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.pages.currentWidget() is kiosk.ticket_page, timeout=5000)
    # Queued at the hub by the kiosk, as itself (and perhaps printed already by the hub's spool).
    (job,) = admin.print_jobs(active_only=False)
    assert (job.kind, job.printer) == ("ticket", "Máy in vé")
    # The counter hears of the new ticket through the hub's event stream (no polling).
    qtbot.waitUntil(lambda: panel.waiting.count() == 1, timeout=5000)
    assert panel.waiting.item(0).text().startswith("A001")

    qtbot.mouseClick(panel.buttons["next"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.current_label.text() == "A001", timeout=5000)
    qtbot.waitUntil(lambda: board.rows[0].ticket.text() == "A001", timeout=5000)
    assert board.rows[0].counter.text() == "Quầy 1"
    assert window.hub.text() == hub_label(hub.url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / "clerk_lan.png"))
    assert board.grab().save(str(SHOTS / "board_lan.png"))
    kiosk.close()
    window.close()
    qtbot.waitUntil(lambda: not admin.counter_queue(1).is_open, timeout=5000)


def test_a_lost_hub_keeps_the_typed_form_and_the_dossier_is_saved_once(qtbot, hub: Hub):
    window = _clerk_window(qtbot, hub)
    form = window.intake
    form.apply_scan("001090012345|012345678|Nguyễn Văn Đức|15061990|Nam|Số 12 Hàng Bông, Phường Cửa Nam, Hà Nội|"
                    "01012021")
    form.phone.setText("0912345678")
    qtbot.waitUntil(lambda: form.picker.tree.topLevelItemCount() > 0, timeout=5000)  # the catalog, from the hub
    form.picker.search.setFocus()
    qtbot.keyClicks(form.picker.search, "2.000815")
    qtbot.keyClick(form.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.procedure is not None, timeout=5000)
    form.checklist.check_all()

    hub.kill()
    qtbot.waitUntil(lambda: "mất kết nối" in window.hub.text(), timeout=5000)
    form.save()
    qtbot.waitUntil(lambda: form.banner.kind == "error", timeout=15000)
    assert "Không kết nối được máy chủ văn phòng" in form.banner.text()
    assert form.name.text() == "Nguyễn Văn Đức" and form.phone.text() == "0912345678"  # nothing typed is lost
    assert form.procedure is not None
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / "clerk_hub_lost.png"))

    hub.start()
    qtbot.waitUntil(lambda: window.hub.text().endswith("đã kết nối"), timeout=15000)
    form.save()
    qtbot.waitUntil(lambda: form.last_saved is not None, timeout=15000)
    form.save()  # an impatient second press after the form cleared: refused, nothing made
    window.runner.wait()
    office = hub.client("bang-2")
    assert office.queue_status() is not None
    counter = hub.client("quay-3")
    counter.sign_in("canbo3", STAFF_PASSWORD, counter_no=3)
    assert [d.code for d in counter.recent()] == [form.last_saved.code]
    window.close()
