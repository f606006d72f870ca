"""The counter's queue panel inside the clerk window: function keys drive the real queue."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from counter_app.local.office import LocalOffice
from tests.conftest import signed_in
from ui.desk.clerk_window import ClerkWindow
from ui.desk.queue_panel import POLL_MS, QueuePanel

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def test_function_keys_call_recall_serve_and_finish(qtbot, office, clock):
    office.issue_ticket(lane="A")
    office.issue_ticket(lane="B", priority="pregnancy")
    office.issue_ticket(lane="C")
    window = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1))
    qtbot.addWidget(window)
    window.resize(1400, 800)
    window.show()
    panel = window.queue_panel
    qtbot.waitUntil(lambda: panel.waiting.count() == 3, timeout=5000)
    assert panel.waiting.item(0).text().startswith("★ B001")  # priority first, marked
    assert office.counter_queue(1).is_open  # opening the window opens the counter
    assert not panel.buttons["finish"].isEnabled() and panel.buttons["next"].isEnabled()
    assert "F5" in panel.buttons["next"].toolTip()

    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: panel.current_label.text() == "B001", timeout=5000)
    assert panel.buttons["recall"].isEnabled() and not panel.buttons["no_show"].isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: "đã gọi lại 1/2 lần" in panel.current_detail.text(), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: panel.buttons["finish"].isEnabled(), timeout=5000)
    assert "Đang phục vụ" in panel.current_detail.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / "queue_panel.png"))
    qtbot.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: panel.current_label.text() == "—", timeout=5000)
    assert "đã phục vụ 1" in panel.counts.text()
    assert [c.label for c in office.calls_since(0)] == ["B001", "B001"]

    # Double-click calls out of turn; a refusal from the office shows in Vietnamese.
    item = next(panel.waiting.item(i) for i in range(panel.waiting.count())
                if panel.waiting.item(i).text().startswith("C001"))
    panel._call_item(item)
    qtbot.waitUntil(lambda: panel.current_label.text() == "C001", timeout=5000)
    panel._call_item(panel.waiting.item(0))
    qtbot.waitUntil(lambda: "đang có vé C001" in panel.message.text(), timeout=5000)

    window.close()
    assert not office.counter_queue(1).is_open


def test_a_burst_of_events_folds_into_one_more_reload_that_shows_the_latest(qtbot, office):
    panel = QueuePanel(office, 1, "canbo1")
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.state is not None and not panel.reloader.busy, timeout=5000)
    loads: list[int] = []
    prepare = panel.reloader.prepare
    panel.reloader.prepare = lambda: (loads.append(1), prepare())[1]

    for _ in range(40):  # each ticket announces itself to the panel while its first reload runs
        office.issue_ticket(lane="A")
    qtbot.waitUntil(lambda: panel.state.waiting_total == 40 and not panel.reloader.busy, timeout=5000)
    assert len(loads) == 2  # the one started by the first ticket, and one for the 39 that came after


def test_a_change_that_raises_no_event_here_shows_at_the_next_quiet_poll(qtbot, office, clock):
    panel = QueuePanel(office, 1, "canbo1")
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.state is not None, timeout=5000)
    other_process = LocalOffice(office.store, clock=clock)  # its own event bus, as another program's
    other_process.issue_ticket(lane="A")
    qtbot.wait(200)
    assert panel.state.waiting_total == 0
    qtbot.waitUntil(lambda: panel.state.waiting_total == 1, timeout=POLL_MS + 2000)


def test_only_steps_that_change_its_lists_reload_another_counters_panel(qtbot, office):
    office.set_counter_open(2, True, actor="canbo2")
    office.issue_ticket(lane="A")
    office.issue_ticket(lane="A")
    panel = QueuePanel(office, 1, "canbo1")
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.state is not None and panel.state.waiting_total == 2
                    and not panel.reloader.busy, timeout=5000)
    loads: list[int] = []
    prepare = panel.reloader.prepare
    panel.reloader.prepare = lambda: (loads.append(1), prepare())[1]

    office.call_next(2, actor="canbo2")  # the waiting list shrinks: reload
    qtbot.waitUntil(lambda: panel.state.waiting_total == 1 and not panel.reloader.busy, timeout=5000)
    assert len(loads) == 1
    office.recall(2, actor="canbo2")
    office.start_serving(2, actor="canbo2")
    office.finish_ticket(2, actor="canbo2")
    qtbot.wait(300)
    assert len(loads) == 1  # counter 2's own ticket: nothing on counter 1's panel changed

    office.call_next(1, actor="canbo1")
    qtbot.waitUntil(lambda: panel.state.current is not None and not panel.reloader.busy, timeout=5000)
    office.start_serving(1, actor="canbo1")  # its own steps still reload it
    qtbot.waitUntil(lambda: panel.state.current.state == "serving", timeout=5000)
    assert len(loads) == 3
