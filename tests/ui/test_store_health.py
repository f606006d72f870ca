"""The status bar tells the office when it was last backed up, and when its disk is filling."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from counter_app.backups import sealed
from counter_app.backups.service import BackupPlan, make_backup
from counter_app.views.health import StoreHealth
from tests.conftest import signed_in
from ui.desk.clerk_window import ClerkWindow
from ui.desk.health_text import RED, health_text

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "clerk"
SHOTS.mkdir(parents=True, exist_ok=True)


def _health(**changes) -> StoreHealth:
    values = {"backups_set_up": True, "last_backup_at": None, "backup_overdue": False, "last_error_vi": "",
              "free_bytes": 50_000_000_000, "low_space": False}
    return StoreHealth(**{**values, **changes})


def test_the_words_for_each_state(clock):
    assert health_text(_health(backups_set_up=False))[0] == "Sao lưu: chưa cài đặt"
    text, _tip, colour = health_text(_health(last_backup_at=clock()))
    assert text == "Sao lưu: 09:30 23/11/2026" and colour == ""
    text, _tip, colour = health_text(_health(last_backup_at=clock(), backup_overdue=True))
    assert text.startswith("Quá 2 ngày làm việc chưa sao lưu") and colour == RED
    text, tip, colour = health_text(_health(last_backup_at=clock(), free_bytes=800_000_000, low_space=True))
    assert text.startswith("Ổ đĩa máy chủ chỉ còn 0,8 GB") and colour == RED
    _text, tip, colour = health_text(_health(last_backup_at=clock(), last_error_vi="Không ghi được bản sao lưu."))
    assert "không thành công: Không ghi được" in tip and colour == RED


def test_the_clerk_window_shows_the_newest_backup_and_turns_red_when_it_is_old(qtbot, office, clock, tmp_path):
    (tmp_path / "disk2").mkdir()
    plan = BackupPlan(folders=(tmp_path / "disk2" / "b",), key=sealed.new_key(), state_file=tmp_path / "s.json")
    office.backup_plan = plan
    make_backup(office.store, plan, kind="closing", at=clock() - timedelta(days=6))
    window = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.health.text().startswith("Quá 2 ngày"), timeout=5000)
    assert RED in window.health.styleSheet()
    assert window.health.isVisible() and window.health.geometry().right() <= window.width()
    window.grab().save(str(SHOTS / "backup_overdue_1366x768.png"))
    make_backup(office.store, plan, kind="manual", at=clock())
    window._refresh_sync()
    qtbot.waitUntil(lambda: window.health.text() == "Sao lưu: 09:30 23/11/2026", timeout=5000)
    assert window.health.styleSheet() == ""
    window.close()
