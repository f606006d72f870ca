"""The clerk window's city-sync button: state in Vietnamese, refreshed on each round, "sync now"."""

from __future__ import annotations

import httpx
import pytest

from counter_app.events import SyncRequested
from sync.client import SyncClient, SyncError
from tests.conftest import make_form, signed_in
from ui.clerk_window import SYNC_NOT_SET, ClerkWindow


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
    assert "chưa lần nào" in window.sync.toolTip() and "Ctrl+Shift+S" in window.sync.toolTip()

    asked: list[SyncRequested] = []
    office.subscribe(lambda e: asked.append(e) if isinstance(e, SyncRequested) else None)
    window.sync.click()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    window.close()
