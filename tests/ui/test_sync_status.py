"""The clerk window's city-sync button and the sync dialog: state in Vietnamese, refreshed on each round,
"sync now", a clock far off the city's, and what the city refused, sent again by a supervisor."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from sqlmodel import col, select

from counter_app.city import changes as city_changes
from counter_app.city import outbox
from counter_app.events import SyncRequested
from counter_app.store.models import Outbox
from sync.client import SyncClient, SyncError
from tests.conftest import make_form, signed_in
from ui.desk.clerk_window import ClerkWindow
from ui.desk.sync_dialog import SyncDialog
from ui.desk.sync_text import SYNC_NOT_SET

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "clerk"
SHOTS.mkdir(parents=True, exist_ok=True)


def test_sync_button_follows_the_rounds_and_asks_for_one(qtbot, office, clock):
    window = ClerkWindow(office, office.info(), signed_in(office, "canbo1"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.sync.text() == SYNC_NOT_SET, timeout=5000)

    office.sync_configured = True  # as the scheduler does when it starts
    office.receive(make_form(), actor="canbo1")
    dead = SyncClient(office.store, httpx.Client(base_url="http://127.0.0.1:9", timeout=2), clock=clock)
    with pytest.raises(SyncError):
        dead.round()
    office.sync_finished(False)
    qtbot.waitUntil(lambda: window.sync.text().startswith("Đồng bộ lỗi"), timeout=5000)
    assert window.sync.text() == "Đồng bộ lỗi: Không kết nối được máy chủ thành phố. · 1 chờ gửi"
    assert "chưa lần nào" in window.sync.toolTip() and "Ctrl+Shift+Y" in window.sync.toolTip()

    asked: list[SyncRequested] = []
    office.subscribe(lambda e: asked.append(e) if isinstance(e, SyncRequested) else None)
    window.sync.click()  # opens the sync dialog
    (dialog,) = window.findChildren(SyncDialog)
    qtbot.waitUntil(lambda: "Đang chờ gửi: 1 thay đổi hồ sơ" in dialog.summary.text(), timeout=5000)
    assert "Không kết nối được máy chủ thành phố." in dialog.summary.text()
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    window.close()


def _refuse_first_op(office, clock) -> str:
    """What the sync client stores when the city refuses an op (the city side is tested in tests/sync)."""
    with office.store.write() as s:
        op = s.exec(select(Outbox).order_by(col(Outbox.id))).first()
        outbox.record_results(s, [(op.op_id, "rejected", "dossier 1 is unknown",
                                   "Thành phố chưa có hồ sơ này (chưa nhận được bản tiếp nhận).")], at=clock())
        st = city_changes.state(s)
        st.clock_skew_s = -3 * 86400 - 2 * 3600  # this PC runs three days behind
        s.add(st)
        return op.op_id


def test_a_supervisor_sends_a_refused_op_again_a_clerk_cannot(qtbot, office, clock):
    code = office.receive(make_form(), actor="canbo1").code
    office.sync_configured = True
    op_id = _refuse_first_op(office, clock)
    office.sync_finished(True)

    clerk = ClerkWindow(office, office.info(), signed_in(office, "canbo1"))
    qtbot.addWidget(clerk)
    qtbot.waitUntil(lambda: clerk.sync.text().startswith("Đồng hồ máy chậm 3 ngày 2 giờ"), timeout=5000)
    assert "1 bị từ chối" in clerk.sync.text()
    assert f"Bị từ chối: {code} (Tiếp nhận hồ sơ): Thành phố chưa có hồ sơ này" in clerk.sync.toolTip()
    seen = clerk.open_sync()
    qtbot.waitUntil(lambda: seen.table.rowCount() == 1, timeout=5000)
    assert not seen.resend_button.isEnabled()
    clerk.close()

    boss = ClerkWindow(office, office.info(), signed_in(office, "truongbp"))
    qtbot.addWidget(boss)
    boss.show()
    dialog = boss.open_sync()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    cells = [dialog.table.item(0, c).text() for c in range(4)]
    assert cells[0] == code and cells[1] == "Tiếp nhận hồ sơ"
    assert cells[3] == "Thành phố chưa có hồ sơ này (chưa nhận được bản tiếp nhận)."
    assert dialog.warning.text() == "Đồng hồ máy chậm 3 ngày 2 giờ so với thành phố: xin chỉnh lại ngày giờ."
    assert dialog.grab().save(str(SHOTS / "sync_dialog.png"))
    asked: list[SyncRequested] = []
    office.subscribe(lambda e: asked.append(e) if isinstance(e, SyncRequested) else None)
    qtbot.mouseClick(dialog.resend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=5000)
    assert "vào hàng gửi lại" in dialog.message.text() and asked  # and a round is asked for at once
    with office.store.read() as s:
        assert s.exec(select(Outbox.state).where(Outbox.op_id == op_id)).one() == "pending"
    boss.close()


def test_the_sync_words_are_a_clerks_not_a_technicians():
    from counter_app.views.sync import SyncStatus
    from ui.desk.sync_text import sync_text

    unset = SyncStatus(configured=False, last_success_at=None, last_attempt_at=None, failures=0, next_try_at=None,
                       last_error_vi="", pending=0, rejected=[])
    label, tip, _colour = sync_text(unset)
    assert label == SYNC_NOT_SET and "city_url" not in tip and "quản trị" in tip
    busy = unset.model_copy(update={"configured": True, "pending": 1101})
    assert "1.101 chờ gửi" in sync_text(busy)[0]
