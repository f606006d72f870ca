"""The first window on a real office store, driven with pytest-qt and screenshotted offscreen."""

from pathlib import Path

from tests.conftest import make_form
from ui.app import LookupWindow

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def test_lookup_window_lists_searches_and_marks_overdue(qtbot, office, clock):
    office.receive(make_form("ct.chu-ky", name="Đặng Thị Hương"), actor="canbo1")
    office.receive(make_form("1.004222"), actor="canbo1")
    clock.set(2026, 11, 23, 17, 30)  # the certification was due at 17:00
    window = LookupWindow(office, office.info())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.table.rowCount() == 2, timeout=5000)
    assert "1 quá hạn" in window.status.text()
    overdue_row = next(r for r in range(2) if window.table.item(r, 1).text() == "Đặng Thị Hương")
    assert window.table.item(overdue_row, 0).background().color().name() == "#fde2e1"

    qtbot.keyClicks(window.search_box, "dang thi huong")
    qtbot.waitUntil(lambda: window.table.rowCount() == 1, timeout=5000)
    assert window.table.item(0, 1).text() == "Đặng Thị Hương"
    assert window.table.item(0, 3).text() == "Được tiếp nhận"
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SHOTS / "lookup_window.png"))
    window.runner.wait()


def test_errors_reach_the_status_line_in_vietnamese(qtbot, office):
    window = LookupWindow(office, office.info())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "hồ sơ" in window.status.text(), timeout=5000)
    office.store.close()
    office.store.path.unlink()  # the database file is gone: reads now fail for real
    window.refresh()
    qtbot.waitUntil(lambda: "lỗi không mong muốn" in window.status.text(), timeout=5000)
    window.runner.wait()
