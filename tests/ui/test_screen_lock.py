"""The clerk's screen locks when left alone: data hidden, form kept, the same password opens it, or a colleague's."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from counter_app.errors import SignInFailed
from tests.conftest import STAFF_PASSWORD, signed_in
from ui.desk.clerk_window import ClerkWindow
from ui.desk.sign_in import SignInDialog

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "clerk"
SHOTS.mkdir(parents=True, exist_ok=True)
IDLE_MIN = 0.01  # 0.6 s: the test's "15 minutes"


@pytest.fixture
def window(qtbot, office):
    w = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1), idle_lock_minutes=IDLE_MIN)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: len(w.intake.picker.procedures) > 0, timeout=5000)
    yield w
    if w.isVisible():
        w.close()


def test_left_alone_the_screen_locks_and_the_same_password_opens_it_with_the_form_kept(qtbot, window, office):
    first = window.session
    window.intake.name.setText("Nguyễn Văn Đức")
    qtbot.waitUntil(window.lock.isVisible, timeout=5000)
    assert not window.centralWidget().isVisible() and not window.menuBar().isVisible()
    assert not any(a.isEnabled() for a in window.findChildren(type(window.daily_action)))  # F2, F3, Ctrl+O… off
    assert window.lock.geometry() == window.rect()
    window.grab().save(str(SHOTS / "screen_locked_1366x768.png"))
    assert "Nguyễn Thị Lan" in window.lock.findChild(type(window.who)).text()  # the clerk's own name, not a login

    qtbot.keyClicks(window.lock.password, "sai-mat-khau")
    qtbot.keyClick(window.lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lock.banner.kind == "error", timeout=10_000)
    assert window.lock.isVisible() and "Sai tên đăng nhập" in window.lock.banner.text()

    qtbot.keyClicks(window.lock.password, STAFF_PASSWORD)
    qtbot.keyClick(window.lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.lock.isVisible(), timeout=10_000)
    assert window.centralWidget().isVisible() and window.intake.name.text() == "Nguyễn Văn Đức"
    assert window.session.token != first.token and window.daily_action.isEnabled() is False  # a clerk's menu
    with pytest.raises(SignInFailed):
        office.session(first.token)  # the session before the lock ended with the new sign-in
    assert office.session(window.session.token).username == "canbo1"


def test_another_clerk_takes_the_desk_over(qtbot, window, office):
    qtbot.waitUntil(window.lock.isVisible, timeout=5000)
    token = window.session.token
    with qtbot.waitSignal(window.finished, timeout=5000) as closed:
        qtbot.mouseClick(window.lock.other_button, Qt.MouseButton.LeftButton)
    assert closed.args == [True]
    with pytest.raises(SignInFailed):
        office.session(token)


def test_signing_in_where_already_signed_in_elsewhere_asks_first(qtbot, office):
    elsewhere = office.sign_in("canbo2", STAFF_PASSWORD, counter_no=3, machine="quay-3")
    dialog = SignInDialog(office, office.info(), username="canbo2", counter_no=2)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, STAFF_PASSWORD)
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.banner.kind == "warning", timeout=10_000)
    assert "quầy 3" in dialog.banner.text() and dialog.button.text() == "Đăng nhập tại đây"
    assert office.session(elsewhere.token).counter_no == 3  # nothing ended before the clerk confirms
    dialog.grab().save(str(SHOTS / "sign_in_elsewhere.png"))
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    assert dialog.session is not None and dialog.session.counter_no == 2
    with pytest.raises(SignInFailed):
        office.session(elsewhere.token)


def test_an_open_dossier_hides_with_the_lock_and_comes_back_with_the_unlock(qtbot, window, office):
    from tests.conftest import make_form

    made = office.receive(make_form(), actor="canbo1")
    window.idle.stop()
    detail = window._show_dossier(office.dossier(made.code))
    qtbot.waitUntil(detail.isVisible, timeout=5000)
    window.lock_screen()
    assert not detail.isVisible()
    qtbot.keyClicks(window.lock.password, STAFF_PASSWORD)
    qtbot.keyClick(window.lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.lock.isVisible(), timeout=10_000)
    assert detail.isVisible()  # the clerk finds the dossier where it was
