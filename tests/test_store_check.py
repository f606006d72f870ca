"""The store's start-up check on a thread: the first window shows at once, no write reaches a damaged file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from counter_app.errors import StoreDamaged
from counter_app.local.office import LocalOffice
from counter_app.store import Store
from counter_app.store.check import damaged
from tests.conftest import STAFF_PASSWORD, make_form
from ui.desk.sign_in import SignInDialog


def _damage(store: Store, path: Path) -> None:
    """Garbage over the last quarter of the file, as a failing disk leaves: the office and accounts,
    written first, still read; the catalog written after them does not."""
    store.checkpoint()
    store.close()
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size * 3 // 4)
        f.write(b"\xde\xad" * 8192)


def _naming(exc: StoreDamaged) -> StoreDamaged:
    return damaged(str(exc), "/media/usb/office-20261120.cabk")


def test_a_damaged_store_opens_for_the_sign_in_window_and_refuses_every_write(ready_store, db_path, caplog):
    _damage(ready_store, db_path)
    store = Store.open(db_path, check="later", on_damaged=_naming)  # the window is not held back
    try:
        office = LocalOffice(store)
        assert office.info().name  # reads go on while the check runs, and after
        for _ in range(2):  # refused for as long as the store stays open, not only the first time
            with pytest.raises(StoreDamaged) as err:
                office.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
            assert "office-20261120.cabk" in err.value.message_vi and "counter-app restore" in err.value.message_vi
        with pytest.raises(StoreDamaged):
            office.receive(make_form(), actor="canbo1")
    finally:
        store.close()
    assert any("fails quick_check" in r.getMessage() or "unreadable" in r.getMessage() for r in caplog.records)
    with pytest.raises(StoreDamaged):  # the command line's own start (check at once) says the same
        Store.open(db_path)


def test_a_sound_store_checked_later_takes_writes_and_closes_without_waiting(ready_store, db_path):
    ready_store.close()
    store = Store.open(db_path, check="later")
    try:
        office = LocalOffice(store)
        session = office.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
        assert office.session(session.token).username == "canbo1"
    finally:
        store.close()
    reopened = Store.open(db_path, check="later")
    reopened.close()  # at once, the check perhaps still running: stopped, not left reading
    assert not [t for t in threading.enumerate() if t.name == "store-check"]


def test_the_sign_in_window_names_the_damage_and_lets_nobody_in(qtbot, ready_store, db_path):
    _damage(ready_store, db_path)
    store = Store.open(db_path, check="later", on_damaged=_naming)
    try:
        office = LocalOffice(store)
        dialog = SignInDialog(office, office.info(), username="canbo1", counter_no=1)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.password, STAFF_PASSWORD)
        qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=10_000)
        assert "bị hỏng" in dialog.banner.text() and "office-20261120.cabk" in dialog.banner.text()
        assert not dialog.button.isEnabled() and dialog.session is None
    finally:
        store.close()
